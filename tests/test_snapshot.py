"""`origins snapshot` end to end against a real HTTP server on 127.0.0.1 (no mocks of HTTP).

The server plays both parts: the web archive (`/web/<timestamp>id_/<url>`, which holds a capture
of the article only and, like the Wayback Machine, redirects a short timestamp to the capture's
full one) and the original sites (an article, a redirect, a Markdown file, pages in legacy
charsets, a very large page, a slow page). Every run works on a copy of tests/fixtures/minimal.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from origins.archive.fetch import capture_day, wayback_address
from origins.cli import main

from conftest import FIXTURE

CAPTURE = "20240102030405"  # the archive's one capture of /article
EPOCH = "1795651200"  # SOURCE_DATE_EPOCH: 2026-11-26, the day of captures made outside the archive
SLOW = 2.0  # seconds the slow page waits before answering (the tests allow 0.5)

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Founders disagree | Example News</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/tech">Tech</a> Subscribe to our newsletter for daily updates</nav></header>
<main><article>
<h1>Founders disagree over control of the lab</h1>
<p>The founders of the research lab argued for weeks over who would control the new company,
according to emails released by the court on Friday.</p>
<p>One founder wrote that the lab needed billions of dollars a year to stay relevant, and that a
nonprofit alone could not raise that much money from donors.</p>
<p>The other founders replied that no single person should hold absolute control over a technology
this powerful, and proposed a board with several members instead.</p>
</article></main>
<aside>Related stories: Ten gadgets we loved this year</aside>
<footer>Copyright 2024 Example News. All rights reserved. Privacy policy. Cookie settings.</footer>
</body></html>
"""
QUOTE = "no single person should hold absolute control over a technology this powerful"

MOVED = """<html><head><title>Moved story</title></head><body><article>
<h1>The moved story</h1>
<p>This story now lives at a new address, after the site reorganised its pages and sections in the
spring. Readers who follow the old link are sent here automatically by the server.</p>
<p>The move changed nothing in the text itself, which is still the one that was first published.</p>
</article></body></html>
"""

NOTES = "# Notes\n\nA plain Markdown file, kept *exactly* as served.\r\nSecond line.\n"

LEGACY = """<html><head><meta charset="iso-8859-1"><title>Caf\u00e9</title></head><body><article>
<h1>Cr\u00e8me br\u00fbl\u00e9e au caf\u00e9</h1>
<p>Le chef a dit \u201cSe\u00f1or, la cr\u00e8me br\u00fbl\u00e9e est pr\u00eate\u201d \u2013 et tout le caf\u00e9 a
applaudi. Cette page est \u00e9crite dans un ancien jeu de caract\u00e8res, d\u00e9clar\u00e9 comme latin-1
mais envoy\u00e9 comme windows-1252, comme le font les navigateurs depuis toujours.</p>
<p>Na\u00efve fa\u00e7ade, \u00e0 bient\u00f4t : les accents doivent tous survivre au d\u00e9codage de la page.</p>
</article></body></html>
"""
HEADER_1252 = LEGACY.replace('<meta charset="iso-8859-1">', "")

PAGES = {  # path: (status, headers, body)
    "/article": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE.encode()),
    "/old": (301, {"Location": "/new"}, b""),
    "/new": (200, {"Content-Type": "text/html"}, MOVED.encode()),
    "/notes.md": (200, {"Content-Type": "text/markdown; charset=utf-8"}, NOTES.encode()),
    "/legacy": (200, {"Content-Type": "text/html"}, LEGACY.encode("cp1252")),
    "/legacy-header": (200, {"Content-Type": "text/html; charset=windows-1252"}, HEADER_1252.encode("cp1252")),
    "/excluded": (200, {"Content-Type": "text/plain"}, b"never fetched"),
    "/report": (200, {"Content-Type": "text/plain; charset=utf-8"}, b"Fixture report.\n"),
    "/gzipped": (
        200,
        {"Content-Type": "text/plain; charset=utf-8", "Content-Encoding": "gzip"},
        gzip.compress("Sent compressed although we asked for identity: ünïcode.\n".encode(), mtime=0),
    ),
    "/doc": (200, {"Content-Type": "text/plain"}, b"Fixture document, as served today.\n"),
}
ARCHIVED = {"/article"}  # what the archive holds a capture of
HUGE = 2_000_000  # bytes of /huge, sent without Content-Length; the tests allow 100,000


class Handler(BaseHTTPRequestHandler):
    """The archive and the original sites; every path asked for is logged on the server."""

    def do_GET(self):  # noqa: N802 (the http.server API)
        self.server.log.append(self.path)
        try:
            if self.path.startswith("/web/"):
                self.archive()
            elif self.path == "/huge":
                self.huge()
            elif self.path == "/slow":
                time.sleep(SLOW)
                self.send(200, {"Content-Type": "text/plain"}, b"too late")
            else:
                self.send(*PAGES.get(self.path, (404, {"Content-Type": "text/plain"}, b"not found")))
        except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            pass

    def archive(self):
        """`/web/<timestamp>id_/<url>`: a capture of an archived path, a redirect to its full timestamp."""
        stamp, _, url = self.path[len("/web/") :].partition("/")
        path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else ""
        if path not in ARCHIVED:
            self.send(404, {"Content-Type": "text/plain"}, b"not in the archive")
        elif stamp != f"{CAPTURE}id_":
            self.send(302, {"Location": f"/web/{CAPTURE}id_/{url}"}, b"")
        else:
            self.send(*PAGES[path])

    def huge(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for _ in range(HUGE // 10_000):
            self.wfile.write(b"<p>" + b"x" * 9_993 + b"</p>")

    def send(self, status, headers, body):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output clean
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping on /slow must not hold up the end of the tests

    def handle_error(self, request, client_address):  # a client that went away is not an error here
        pass


@pytest.fixture(scope="module")
def site():
    """The local server, its base address and its request log."""
    server = Server(("127.0.0.1", 0), Handler)
    server.log = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def free_port() -> int:
    """A port on which nothing listens (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add_sources(pkg: Path, base: str) -> None:
    """The fixture's sources, their example.org addresses moved to `base`, and one per page."""
    path = pkg / "raw" / "sources.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    for r in rows:
        r["url"] = r["url"].replace("https://example.org", base)
    extra = {  # id: (path, tier, accessed)
        "src-article": ("/article", "press", "2024-01-02"),
        "src-moved": ("/old", "press", ""),
        "src-notes": ("/notes.md", "secondary", ""),
        "src-legacy": ("/legacy", "press", ""),
        "src-legacy-header": ("/legacy-header", "press", ""),
        "src-huge": ("/huge", "press", ""),
        "src-gzipped": ("/gzipped", "secondary", ""),
        "src-slow": ("/slow", "press", ""),
        "src-excluded": ("/excluded", "excluded", ""),
    }
    for sid, (p, tier, accessed) in extra.items():
        row = dict.fromkeys(header, "")
        row.update(id=sid, title=f"Page {p}", publisher="Example News", url=base + p, language="en")
        row.update(kind="news-article", tier=tier, accessed=accessed)
        rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.fixture
def pkg(minimal, site, monkeypatch, tmp_path):
    """A copy of the minimal package whose sources point at the local server."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ORIGINS_SNAPSHOT_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # never the user's own cache
    add_sources(minimal, site[1])
    return minimal


def snapshot(pkg: Path, base: str, capsys, *args: str) -> tuple[int, list[str]]:
    """`origins snapshot` on `pkg`, with the archive at `base`/web/ and a scratch cache."""
    code = main(
        [
            "--root",
            str(pkg),
            "snapshot",
            "--cache",
            str(pkg.parent / "cache"),
            "--snapshots",
            str(FIXTURE / "snapshots"),
            "--wayback",
            f"{base}/web/",
            "--timeout",
            "0.5",
            "--max-bytes",
            "100000",
            *args,
        ]
    )
    out, err = capsys.readouterr()
    assert err == ""  # no traceback, no library noise
    return code, out.splitlines()


def source(pkg: Path, sid: str) -> dict[str, str]:
    with (pkg / "raw" / "sources.csv").open(encoding="utf-8", newline="") as f:
        return next(r for r in csv.DictReader(f) if r["id"] == sid)


def archived_text(pkg: Path, sid: str) -> str:
    """The stored text of a source, checked against the sha256 its row records."""
    sha = source(pkg, sid)["sha256"]
    data = (pkg.parent / "cache" / "sha256" / sha).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha
    return data.decode("utf-8")


def test_article_main_text_is_archived_without_boilerplate(pkg, site, capsys):
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-article")
    assert code == 0, lines
    text = archived_text(pkg, "src-article")
    assert "Founders disagree over control of the lab" in text
    assert QUOTE in " ".join(text.split())
    for boilerplate in ("Subscribe to our newsletter", "Related stories", "All rights reserved", "Cookie settings"):
        assert boilerplate not in text
    row = source(pkg, "src-article")
    # asked for the capture nearest the day it was read; the archive redirected to the capture itself
    assert f"/web/20240102id_/{site[1]}/article" in site[0].log
    assert row["capture_url"] == f"{site[1]}/web/{CAPTURE}id_/{site[1]}/article"
    assert row["captured"] == "2024-01-02"  # the capture's own day, from its timestamp
    assert row["snapshot"] == ""
    assert lines[-1].endswith("wrote raw/sources.csv")
    assert main(["--root", str(pkg), "fmt", "--check"]) == 0  # written in canonical form
    capsys.readouterr()


def test_redirect_records_the_final_address(pkg, site, capsys):
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-moved")
    assert code == 0, lines
    row = source(pkg, "src-moved")
    assert row["capture_url"] == f"{site[1]}/new"
    assert row["captured"] == "2026-11-26"  # no archive timestamp: the run's day (SOURCE_DATE_EPOCH)
    assert "the server" in archived_text(pkg, "src-moved")


def test_archive_404_falls_back_to_the_original_url(pkg, site, capsys):
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-notes")
    assert code == 0, lines
    assert f"/web/2id_/{site[1]}/notes.md" in site[0].log  # asked the archive first (latest capture)
    row = source(pkg, "src-notes")
    assert row["capture_url"] == f"{site[1]}/notes.md"
    assert archived_text(pkg, "src-notes") == NOTES  # Markdown kept byte for byte


def test_declared_non_utf8_charsets_are_decoded(pkg, site, capsys):
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-legacy", "--source", "src-legacy-header")
    assert code == 0, lines
    for sid in ("src-legacy", "src-legacy-header"):
        text = archived_text(pkg, sid)
        assert "Crème brûlée au café" in text
        assert "“Señor, la crème brûlée est prête” – et tout le café" in text  # latin-1 label read as windows-1252
        assert "Naïve façade, à bientôt" in text
        assert "\ufffd" not in text


def test_very_large_page_is_refused(pkg, site, capsys):
    before = (pkg / "raw" / "sources.csv").read_bytes()
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-huge")
    assert code == 1
    assert f"{site[1]}/huge: refused: the page is larger than 100,000 bytes (--max-bytes)" in lines[0]
    assert lines[0].startswith("src-huge: not archived:")
    assert (pkg / "raw" / "sources.csv").read_bytes() == before
    assert not (pkg.parent / "cache" / "sha256").exists()


def test_compressed_response_is_inflated(pkg, site, capsys):
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-gzipped")
    assert code == 0, lines
    assert archived_text(pkg, "src-gzipped") == "Sent compressed although we asked for identity: ünïcode.\n"


def test_slow_server_hits_the_timeout(pkg, site, capsys):
    start = time.monotonic()
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-slow")
    assert time.monotonic() - start < SLOW  # gave up, did not wait for the answer
    assert code == 1
    assert lines[0].startswith("src-slow: not archived:")
    assert f"{site[1]}/slow: timed out after 0.5 s (--timeout)" in lines[0]
    assert source(pkg, "src-slow")["sha256"] == ""


def test_offline_says_so_in_one_line_and_changes_nothing(pkg, site, capsys):
    dead = f"http://127.0.0.1:{free_port()}"
    path = pkg / "raw" / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(site[1], dead), encoding="utf-8")
    before = path.read_bytes()
    code, lines = snapshot(pkg, dead, capsys)
    assert code == 0
    assert lines == ["offline: no address could be reached (9 source(s) tried); nothing changed"]
    assert path.read_bytes() == before
    assert not (pkg.parent / "cache").exists()
    code, lines = snapshot(pkg, site[1], capsys, "--offline")  # said outright: no attempt at all
    assert (code, lines) == (0, ["offline (--offline): nothing fetched, nothing changed"])


def test_fetched_quote_verifies_with_validate(pkg, site, capsys):
    assert snapshot(pkg, site[1], capsys, "--source", "src-article")[0] == 0
    citations = pkg / "raw" / "citations.csv"
    with citations.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(
            ["clm-alice-offer-large", "src-article", "paragraph 3", QUOTE, "supports", ""]
        )
    assert main(["--root", str(pkg), "fmt"]) == 0  # the new citation in its place
    code = main(
        [
            "--root",
            str(pkg),
            "validate",
            "--snapshots",
            str(pkg.parent / "cache"),
            "--snapshots",
            str(FIXTURE / "snapshots"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "quotes: 6 of 6 verified against archived texts" in out


def test_whole_run_skips_archived_excluded_and_urlless_sources(pkg, site, capsys):
    code, lines = snapshot(pkg, site[1], capsys)
    assert code == 1  # the huge and the slow page fail; the rest are stored
    assert lines[-1].startswith("snapshot: 7 stored, 0 restored, 2 failed, 2 skipped")
    assert not any("/excluded" in p for p in site[0].log)  # tier 'excluded' is never fetched
    assert source(pkg, "src-doc")["capture_url"] == ""  # its text was already archived
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-article", "--source", "src-excluded")
    assert code == 0
    assert lines == [
        "src-article: skipped: already in the archive (--refresh fetches it again)",
        "src-excluded: skipped: tier 'excluded' (never cited)",
        "nothing to fetch (2 source(s) skipped)",
    ]


def test_restore_fetches_the_pinned_capture_again_byte_for_byte(pkg, site, capsys):
    assert snapshot(pkg, site[1], capsys, "--source", "src-article", "--source", "src-notes")[0] == 0
    path = pkg / "raw" / "sources.csv"
    before, texts = path.read_bytes(), sorted((pkg.parent / "cache" / "sha256").iterdir())
    contents = [p.read_bytes() for p in texts]
    for p in texts:
        p.unlink()
    site[0].log.clear()
    code, lines = snapshot(pkg, site[1], capsys, "--restore")
    assert code == 0, lines
    assert [line.split(" ")[1] for line in lines[:-1]] == ["restored", "restored"]
    assert site[0].log[0] == f"/web/{CAPTURE}id_/{site[1]}/article"  # the recorded capture, not a new one
    assert [p.read_bytes() for p in texts] == contents
    assert path.read_bytes() == before  # --restore never writes sources.csv


def test_refresh_replaces_a_pinned_text_and_its_file_name(pkg, site, capsys):
    old = source(pkg, "src-doc")
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-doc", "--wayback", "")
    assert (code, lines[0]) == (0, "src-doc: skipped: already in the archive (--refresh fetches it again)")
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-doc", "--wayback", "", "--refresh")
    assert code == 0, lines
    assert site[0].log[-1] == "/doc"  # --wayback '': the source's own address only
    row = source(pkg, "src-doc")
    assert row["sha256"] != old["sha256"]
    assert archived_text(pkg, "src-doc") == "Fixture document, as served today.\n"
    assert (old["snapshot"], row["snapshot"]) == ("doc.txt", "")  # the name was of the replaced text


def test_a_named_snapshot_without_sha256_is_not_replaced_unasked(pkg, site, capsys):
    path = pkg / "raw" / "sources.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    next(r for r in rows if r["id"] == "src-later")["snapshot"] = "report.txt"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-later")
    assert code == 0
    assert lines[0] == (
        "src-later: skipped: names a snapshot file but records no sha256 (record it, or --refresh to replace the text)"
    )


def test_usage_errors_exit_2_before_any_fetch(pkg, site, capsys):
    site[0].log.clear()
    code, lines = snapshot(pkg, site[1], capsys, "--source", "src-nope", "--source", "src-article")
    assert (code, lines) == (2, ["src-nope: no such source in sources.csv"])
    code, lines = snapshot(pkg, site[1], capsys, "--restore", "--refresh")
    assert code == 2 and len(lines) == 1
    assert site[0].log == []


def test_wayback_address_and_capture_day():
    url = "https://example.org/a?b=1"
    assert wayback_address("https://web.archive.org/web/", url, "2024-11-18") == (
        "https://web.archive.org/web/20241118id_/https://example.org/a?b=1"
    )
    assert wayback_address("https://web.archive.org/web", url, "2016-09") == (
        "https://web.archive.org/web/2id_/https://example.org/a?b=1"  # no day known: the latest capture
    )
    today = date(2026, 11, 26)
    assert capture_day("https://web.archive.org/web/20161231235959id_/http://x.org/", today) == "2016-12-31"
    assert capture_day("https://x.org/web/2016/page", today) == "2026-11-26"
    assert capture_day("https://web.archive.org/web/20169999000000id_/http://x.org/", today) == "2026-11-26"
