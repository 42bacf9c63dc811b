"""Fill the source archive from the network: `origins snapshot` (`make snapshots`).

For each source with a `url` (not tier 'excluded'), the text is fetched from, in order:

1. the address recorded in `capture_url`, when the source already pins a sha256 (so that a
   text this command wrote once is fetched again from the very same capture, byte for byte);
2. the Internet Archive's raw capture of the URL, `<wayback>/<timestamp>id_/<url>` (the `id_`
   form serves the page as captured, without the archive's toolbar or rewritten links). The
   timestamp asks for the capture nearest the day the project read the source (`accessed`),
   else its publication day, else `2`, which the archive resolves to its latest capture;
3. the URL itself.

HTML is reduced to its main text with trafilatura (options fixed below so the same page always
gives the same bytes); plain text and Markdown are kept as they are. Bytes are decoded by the
declared charset (byte-order mark, HTTP header, then `<meta>`), with WHATWG's rule that
latin-1 and ASCII labels mean windows-1252, and windows-1252 for undeclared non-UTF-8 pages.

The text is stored content-addressed, `<cache>/sha256/<hex>` (archive.BY_HASH), and the source's
row records `sha256`, `capture_url` (the address finally read, after redirects) and `captured`
(the capture's day: the Wayback timestamp of that address, else the run's day, which
SOURCE_DATE_EPOCH pins). `snapshot` (a file name) is not needed for a content-addressed text:
it is left as it is, and emptied only when the recorded text is replaced (--refresh), because it
would then name a different text.

A source whose text is already in the archive (by its recorded sha256), or that names a
snapshot file without recording its sha256 (a curated text, not to be replaced unasked), is
skipped unless --refresh. A source that pins a sha256 whose text is missing
is restored only by a fetch that reproduces that hash; otherwise its row is kept and the
difference reported. `--restore` limits a run to those pinned sources and never writes
`sources.csv` (what CI does).

When no address could be reached at all (no network), or with --offline, the run says so in
one line, writes nothing and exits 0. Any other failure is one line per source (the texts that
could be fetched are still stored and recorded) and the exit code is 1; an unknown --source or
contradictory options exit 2 before anything is fetched.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from datetime import date
from http.client import HTTPException, InvalidURL
from pathlib import Path

from origins.archive import store as archive
from origins.read.canonical import canonical, formattable
from origins.read.package import LoadError, load

WAYBACK = "https://web.archive.org/web/"
WAYBACK_ENV = "ORIGINS_WAYBACK_BASE"
TIMEOUT = 30.0  # seconds for a whole fetch (connection, headers and body)
MAX_BYTES = 10_000_000  # a page above this is refused, never truncated: a cut text would verify less
USER_AGENT = "openai-origins-snapshot/1 (source archive of the openai-origins dataset)"
CHUNK = 65536

HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
_TIMESTAMP = re.compile(r"/web/(\d{8})\d{0,6}(?:[a-z]{2}_)?/[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.IGNORECASE)
_WHATWG_1252 = {"iso8859-1", "ascii", "latin-1"}  # labels browsers decode as windows-1252


class FetchError(Exception):
    """One address could not give a usable text; the message is what the user reads."""


class Unreachable(FetchError):
    """No connection could be made (no network, no such host, nothing listening)."""


@dataclass(frozen=True)
class Options:
    """What a run does; the defaults are a user's run with network."""

    sources: tuple[str, ...] = ()
    refresh: bool = False
    restore: bool = False
    offline: bool = False
    cache: Path | None = None
    snapshots: list[str] | None = None
    wayback: str | None = None
    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True)
class Page:
    """A fetched response: the address finally read, its media type and charset, its bytes."""

    url: str
    media_type: str
    charset: str
    body: bytes


@dataclass
class Outcome:
    """What became of one source: 'stored', 'restored', 'failed' or 'unreachable'."""

    source_id: str
    status: str
    message: str
    updates: dict[str, str] = field(default_factory=dict)


# --- fetching -------------------------------------------------------------------------------


def fetch(url: str, timeout: float, max_bytes: int) -> Page:
    """GET `url`, following redirects, within `timeout` seconds overall and `max_bytes` bytes.

    The socket timeout bounds each wait; the deadline bounds a server that answers slowly but
    never stops (a trickle would otherwise evade a per-read timeout)."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError("not an http(s) address")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    deadline = time.monotonic() + timeout
    try:
        with _OPENER.open(request, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(_too_large(max_bytes))
            body = _decoded(_read_bounded(resp, deadline, timeout, max_bytes), resp.headers, max_bytes)
            media = resp.headers.get_content_type() if resp.headers.get("Content-Type") else ""
            return Page(resp.geturl(), media, resp.headers.get_content_charset() or "", body)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FetchError(f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise _classify(exc.reason, timeout) from None
    except (OSError, HTTPException) as exc:
        raise _classify(exc, timeout) from None
    except ValueError as exc:  # a malformed address
        raise FetchError(f"bad address ({exc})") from None


class _HttpRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (urllib's own handler also follows ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise FetchError(f"redirected to a non-http(s) address ({newurl})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpRedirects)


def _decoded(body: bytes, headers, max_bytes: int) -> bytes:
    """The body without its Content-Encoding: we ask for none, but a server may compress anyway;
    the inflated size is bounded too (a small gzip can expand enormously)."""
    coding = (headers.get("Content-Encoding") or "identity").strip().lower()
    if coding == "identity" or not body:
        return body
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported content encoding {coding}")
    wbits = 16 + zlib.MAX_WBITS if "gzip" in coding else zlib.MAX_WBITS
    try:
        inflater = zlib.decompressobj(wbits)
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise FetchError(f"cannot decompress the {coding} body ({exc})") from None
    if len(data) > max_bytes or inflater.unconsumed_tail:
        raise FetchError(_too_large(max_bytes))
    return data


def _read_bounded(resp, deadline: float, timeout: float, max_bytes: int) -> bytes:
    """The body, refused as soon as it passes `max_bytes` or the deadline."""
    parts, size = [], 0
    while chunk := resp.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(_too_large(max_bytes))
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {timeout:g} s (--timeout)")
        parts.append(chunk)
    return b"".join(parts)


def _too_large(max_bytes: int) -> str:
    return f"refused: the page is larger than {max_bytes:,} bytes (--max-bytes)"


def _classify(reason, timeout: float) -> FetchError:
    """A network failure as one readable message; only a failed connection counts as offline."""
    if isinstance(reason, TimeoutError | socket.timeout):
        return FetchError(f"timed out after {timeout:g} s (--timeout)")
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return FetchError(f"TLS error ({getattr(reason, 'reason', None) or reason})")
    if isinstance(reason, InvalidURL):
        return FetchError(f"bad address ({reason})")
    if isinstance(reason, socket.gaierror):
        return Unreachable("cannot resolve the host name")
    if isinstance(reason, ConnectionRefusedError | ConnectionAbortedError):
        return Unreachable("connection refused")
    if isinstance(reason, HTTPException | ConnectionResetError):
        return FetchError(f"the server closed the connection ({type(reason).__name__})")
    if isinstance(reason, OSError):
        return Unreachable(f"cannot connect ({reason.strerror or reason})")
    return FetchError(str(reason))


def wayback_address(base: str, url: str, when: str) -> str:
    """The Internet Archive's raw (`id_`) capture address of `url` nearest the day `when`."""
    stamp = when.replace("-", "") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", when or "") else "2"
    return f"{base.rstrip('/')}/{stamp}id_/{url}"


def capture_day(url: str, fallback: date) -> str:
    """The day of a capture: the Wayback timestamp in its address, else `fallback`."""
    m = _TIMESTAMP.search(url)
    if m:
        s = m.group(1)
        try:
            return date(int(s[:4]), int(s[4:6]), int(s[6:8])).isoformat()
        except ValueError:
            pass
    return fallback.isoformat()


# --- decoding and extraction ----------------------------------------------------------------


def charset_of(page: Page) -> str:
    """The encoding to read the bytes with: BOM, then HTTP header, then <meta>, else UTF-8 if the
    bytes are valid UTF-8, else windows-1252 (WHATWG's default for undeclared Western pages)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if page.body.startswith(bom):
            return name
    declared = [page.charset]
    if page.media_type in HTML_TYPES or not page.media_type:
        m = _META_CHARSET.search(page.body[:1024])  # the HTML standard's prescan window
        declared.append(m.group(1).decode("ascii") if m else "")
    for label in declared:
        name = _codec(label)
        if name:
            return name
    try:
        page.body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _codec(label: str) -> str:
    """Python's codec for a charset label ('' if unknown), with WHATWG's latin-1 rule."""
    try:
        name = codecs.lookup(label.strip()).name if label.strip() else ""
    except LookupError:
        return ""
    return "cp1252" if name in _WHATWG_1252 else name


def is_html(page: Page) -> bool:
    """HTML by its media type, or, when none is given, by its first character."""
    if page.media_type:
        return page.media_type in HTML_TYPES
    return page.body.lstrip()[:1] == b"<"


def text_of(page: Page) -> str:
    """The text to archive: the main text of an HTML page, a plain-text or Markdown file as is."""
    if page.media_type and page.media_type not in HTML_TYPES | TEXT_TYPES:
        raise FetchError(f"unsupported content type {page.media_type}")
    decoded = page.body.decode(charset_of(page), errors="replace")
    if not is_html(page):
        return decoded
    text = main_text(decoded, page.url)
    if not text:
        raise FetchError("no main text found in the page")
    return text + "\n"


def main_text(html: str, url: str) -> str:
    """trafilatura's main text, with every option that changes the result fixed: no comments,
    links, images or metadata, and no deduplication (its cache would make a page's text depend
    on the pages read before it in the same run)."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # failures are reported by us, once
    return (
        trafilatura.extract(
            html,
            url=url,
            output_format="txt",
            fast=False,
            favor_precision=False,
            favor_recall=False,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_formatting=False,
            include_links=False,
            with_metadata=False,
            deduplicate=False,
        )
        or ""
    )


# --- the archive ----------------------------------------------------------------------------


def store(cache: Path, data: bytes) -> str:
    """Write `data` to `cache/sha256/<hex>` (atomically, once) and return the hex."""
    hexdigest = hashlib.sha256(data).hexdigest()
    path = cache / archive.BY_HASH / hexdigest
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{hexdigest}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return hexdigest


def archived(dirs: tuple[Path, ...], row: dict[str, str]) -> bool:
    """Whether the text with the source's recorded sha256 is already at hand (by name or hash)."""
    sha = row.get("sha256") or ""
    text = archive.find(dirs, row.get("snapshot") or "", sha) if sha else None
    return text is not None and text.sha256 == sha


# --- one source -----------------------------------------------------------------------------


def addresses(row: dict[str, str], opts: Options, wayback: str) -> list[str]:
    """Where to look for the source's text, best first (see the module docstring)."""
    url = row.get("url") or ""
    out = []
    if row.get("sha256") and row.get("capture_url") and not opts.refresh:
        out.append(row["capture_url"])
    if wayback:
        out.append(wayback_address(wayback, url, row.get("accessed") or row.get("published") or ""))
    out.append(url)
    return list(dict.fromkeys(out))


def snapshot_source(row: dict[str, str], opts: Options, cache: Path, wayback: str, today: date) -> Outcome:
    """Try each address until one gives a text (the pinned one, if a sha256 is pinned)."""
    sid, pinned = row.get("id") or "", "" if opts.refresh else row.get("sha256") or ""
    errors, reachable = [], False
    for address in addresses(row, opts, wayback):
        try:
            page = fetch(address, opts.timeout, opts.max_bytes)
            data = text_of(page).encode("utf-8")
        except Unreachable as exc:
            errors.append(f"{address}: {exc}")
            continue
        except FetchError as exc:
            reachable = True
            errors.append(f"{address}: {exc}")
            continue
        reachable = True
        sha = hashlib.sha256(data).hexdigest()
        if pinned and sha != pinned:
            errors.append(f"{address}: the text has sha256 {sha[:12]}…, not the recorded {pinned[:12]}…")
            continue
        store(cache, data)
        return _stored(row, sha, page.url, today)
    status = "failed" if reachable else "unreachable"
    return Outcome(sid, status, f"{sid}: not archived: " + "; ".join(errors))


def _stored(row: dict[str, str], sha: str, final_url: str, today: date) -> Outcome:
    """The row's new cells: a restored pinned text keeps its recorded provenance."""
    sid = row.get("id") or ""
    if sha == row.get("sha256"):
        updates = {
            k: v for k, v in (("capture_url", final_url), ("captured", capture_day(final_url, today))) if not row.get(k)
        }
        return Outcome(sid, "restored", f"{sid}: restored {sha[:12]}… from {final_url}", updates)
    updates = {"sha256": sha, "capture_url": final_url, "captured": capture_day(final_url, today)}
    if row.get("snapshot"):
        updates["snapshot"] = ""  # the name was of the text now replaced
    return Outcome(
        sid, "stored", f"{sid}: stored {sha[:12]}… from {final_url} (captured {updates['captured']})", updates
    )


# --- a run ----------------------------------------------------------------------------------


def select(rows: list[dict[str, str]], opts: Options, dirs: tuple[Path, ...]) -> tuple[list[dict], list[str], int]:
    """The rows to fetch, a line for each --source that cannot be, and how many were skipped."""
    by_id = {r.get("id"): r for r in rows}
    lines = [f"{s}: no such source in sources.csv" for s in opts.sources if s not in by_id]
    chosen = [by_id[s] for s in dict.fromkeys(opts.sources) if s in by_id] if opts.sources else rows
    todo, skipped = [], 0
    for r in chosen:
        reason = _skip_reason(r, opts, dirs)
        if reason:
            skipped += 1
            if opts.sources:
                lines.append(f"{r.get('id')}: skipped: {reason}")
        else:
            todo.append(r)
    return todo, lines, skipped


def _skip_reason(row: dict[str, str], opts: Options, dirs: tuple[Path, ...]) -> str:
    if not row.get("url"):
        return "no url"
    if row.get("tier") == "excluded":
        return "tier 'excluded' (never cited)"
    if opts.restore and not row.get("sha256"):
        return "no sha256 recorded (--restore fetches pinned texts only)"
    if not opts.refresh and archived(dirs, row):
        return "already in the archive (--refresh fetches it again)"
    if not opts.refresh and row.get("snapshot") and not row.get("sha256"):
        return "names a snapshot file but records no sha256 (record it, or --refresh to replace the text)"
    return ""


def write_sources(root: Path, outcomes: list[Outcome]) -> str | None:
    """Apply the outcomes' cells to sources.csv, read afresh (others may have edited it while we
    fetched), and write it in canonical form; the path written, or None if nothing changed."""
    table = load(root).tables["sources"]
    if not formattable(table):
        raise FetchError("sources.csv was changed meanwhile and cannot be rewritten safely; nothing recorded")
    by_id = {r.get("id"): r for r in table.rows}
    changed = False
    for o in outcomes:
        row = by_id.get(o.source_id)
        for k, v in o.updates.items():
            if row is not None and (row.get(k) or "") != v:
                row[k] = v
                changed = True
    if not changed:
        return None
    path = root / table.path
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(canonical(table), encoding="utf-8", newline="")
    os.replace(tmp, path)
    return table.path


def run(root: Path | str, opts: Options) -> tuple[int, list[str]]:
    """Fetch, store and record; the exit code and the lines to print."""
    root = Path(root)
    if opts.offline:
        return 0, ["offline (--offline): nothing fetched, nothing changed"]
    if opts.restore and opts.refresh:
        return 2, ["--restore fetches the recorded texts, --refresh replaces them: give one of them"]
    try:
        ds = load(root)
    except LoadError as exc:
        return 1, [exc.finding.message]
    table = ds.tables.get("sources")
    if table is None or not formattable(table):
        return 1, ["sources.csv cannot be rewritten safely (run `make validate` and fix its schema findings first)"]
    cache = Path(opts.cache) if opts.cache else archive.local_archive()
    dirs = tuple(dict.fromkeys((cache.resolve(), *archive.snapshot_dirs(root, opts.snapshots))))
    todo, lines, skipped = select(table.rows, opts, dirs)
    if any("no such source" in line for line in lines):
        return 2, lines
    if not todo:
        return 0, [*lines, f"nothing to fetch ({skipped} source(s) skipped)"]
    wayback = wayback_base(opts)
    outcomes = [snapshot_source(r, opts, cache, wayback, _today()) for r in todo]
    if all(o.status == "unreachable" for o in outcomes):
        return 0, [f"offline: no address could be reached ({len(outcomes)} source(s) tried); nothing changed"]
    lines += [o.message for o in outcomes]
    try:
        written = None if opts.restore else write_sources(root, [o for o in outcomes if o.updates])
    except FetchError as exc:
        return 1, [*lines, str(exc)]
    counts = {s: sum(o.status == s for o in outcomes) for s in ("stored", "restored", "failed", "unreachable")}
    failed = counts["failed"] + counts["unreachable"]
    lines.append(
        f"snapshot: {counts['stored']} stored, {counts['restored']} restored, {failed} failed, {skipped} skipped"
        f" in {cache}; " + (f"wrote {written}" if written else "sources.csv unchanged")
    )
    return (1 if failed else 0), lines


def wayback_base(opts: Options) -> str:
    """The web archive to ask first: --wayback, else $ORIGINS_WAYBACK_BASE, else the Internet
    Archive; an empty value fetches the sources' own addresses only (and lets tests use a local
    server)."""
    if opts.wayback is not None:
        return opts.wayback
    return os.environ.get(WAYBACK_ENV, WAYBACK)


def _today() -> date:
    from origins.core.clock import today

    return today()
