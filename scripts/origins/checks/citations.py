"""Citation checks: every statement is cited, every citation resolves, quotes match the archive."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from ..findings import WARNING
from . import check

PREFIX_TABLE = {
    "rol": "roles",
    "evt": "events",
    "clm": "claims",
    "fig": "figures",
    "per": "people",
    "org": "organizations",
    "src": "sources",
}
MUST_CITE = ("events", "claims", "figures", "roles")

_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u00b4`"), "'")
_QUOTES.update(dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"'))
_QUOTES.update(dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-"))
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Compare quotes the way a reader would: Unicode form, quote marks, dashes and spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


def cited_ids(ds) -> set[str]:
    t = ds.tables.get("citations")
    return {r.get("row_id", "") for r in t.rows} if t else set()


@check("CIT001", "uncited-row", "An event, claim, figure or role has no citation.")
def uncited_row(ds, ctx):
    cited = cited_ids(ds)
    for table in MUST_CITE:
        if table not in ds.tables:
            continue
        for i, row in enumerate(ds.tables[table].rows):
            rid = row.get("id") or ""
            if rid and rid not in cited:
                yield ds.finding(
                    table,
                    i,
                    "id",
                    "CIT001",
                    f"{rid} has no citation; add a row to citations.csv with row_id {rid}, the source and where in it",
                )


@check("CIT002", "citation-target-missing", "A citation's row_id names no existing row (or no table).")
def citation_target_missing(ds, ctx):
    t = ds.tables.get("citations")
    if t is None:
        return
    for i, row in enumerate(t.rows):
        rid = row.get("row_id") or ""
        table = PREFIX_TABLE.get(rid.split("-", 1)[0])
        if not rid:
            continue
        if table is None:
            yield ds.finding(
                "citations",
                i,
                "row_id",
                "CIT002",
                f"row_id {rid} does not start with a table prefix ({', '.join(p + '-' for p in PREFIX_TABLE)})",
            )
        elif rid not in ds.index.get(table, {}):
            yield ds.finding(
                "citations",
                i,
                "row_id",
                "CIT002",
                f"row_id {rid} is not an id in {table}.csv; cite an existing row or add the row first",
            )


@check("CIT003", "derived-from-cycle", "Sources derive from each other in a circle.")
def derived_from_cycle(ds, ctx):
    t = ds.tables.get("sources")
    if t is None:
        return
    parent = {r.get("id"): r.get("derived_from") for r in t.rows if r.get("id")}
    reported: set[str] = set()
    for start in sorted(parent):
        path, node = [], start
        while node in parent and node not in path:
            path.append(node)
            node = parent[node]
        if node in path:
            cycle = path[path.index(node) :]
            first = min(cycle)
            if first not in reported:
                reported.add(first)
                i = ds.index["sources"][first]
                yield ds.finding(
                    "sources",
                    i,
                    "derived_from",
                    "CIT003",
                    "derived_from forms a cycle: "
                    + " -> ".join(cycle + [cycle[0]])
                    + "; a source can only derive from an earlier document",
                )


@check("CIT004", "bad-url", "A URL is not an absolute http(s) address with a host.")
def bad_url(ds, ctx):
    t = ds.tables.get("sources")
    if t is None:
        return
    for i, row in enumerate(t.rows):
        url = row.get("url") or ""
        if not url:
            continue
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or "." not in host or any(c.isspace() for c in url):
            yield ds.finding(
                "sources",
                i,
                "url",
                "CIT004",
                f"url {url!r} is not an absolute http(s) address with a host name; "
                "paste the full address, starting with https://",
            )


@check(
    "CIT005", "source-never-cited", "A source (other than an excluded one) is cited by no citation.", severity=WARNING
)
def source_never_cited(ds, ctx):
    t, c = ds.tables.get("sources"), ds.tables.get("citations")
    if t is None or c is None:
        return
    used = {r.get("source_id") for r in c.rows}
    derived = {r.get("derived_from") for r in t.rows}
    for i, row in enumerate(t.rows):
        sid = row.get("id")
        if row.get("tier") == "excluded":
            continue  # listed on purpose, so that nobody cites it
        if sid and sid not in used and sid not in derived:
            yield ds.finding(
                "sources", i, "id", "CIT005", f"source {sid} is never cited; cite it or remove it", WARNING
            )


@lru_cache(maxsize=256)
def _snapshot(path: Path) -> tuple[str, str] | None:
    """(normalised text, sha256) of an archived text, read once per run."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return normalise(data.decode("utf-8", errors="replace")), hashlib.sha256(data).hexdigest()


def snapshot_path(ctx, name: str) -> Path | None:
    """The archived file for a snapshot name, or None if it would leave the snapshot directory."""
    return None if ctx.snapshot_dir is None else _resolve(str(ctx.snapshot_dir), name)


@lru_cache(maxsize=1024)
def _resolve(directory: str, name: str) -> Path | None:
    base = Path(directory).resolve()
    path = (base / name).resolve()
    return path if path.is_relative_to(base) and path != base else None


@check("CIT009", "snapshot-outside", "A source's snapshot name points outside the snapshot directory.")
def snapshot_outside(ds, ctx):
    t = ds.tables.get("sources")
    if t is None or ctx.snapshot_dir is None:
        return
    for i, row in enumerate(t.rows):
        name = row.get("snapshot") or ""
        if name and snapshot_path(ctx, name) is None:
            yield ds.finding(
                "sources",
                i,
                "snapshot",
                "CIT009",
                f"snapshot {name!r} leaves the snapshot directory; give a plain file name",
            )


@check("CIT007", "snapshot-hash-mismatch", "An archived text does not match the sha256 recorded for its source.")
def snapshot_hash_mismatch(ds, ctx):
    t = ds.tables.get("sources")
    if t is None:
        return
    for i, row in enumerate(t.rows):
        name, expected = row.get("snapshot") or "", row.get("sha256") or ""
        path = snapshot_path(ctx, name) if name else None
        snap = _snapshot(path) if path else None
        if snap and expected and snap[1] != expected:
            yield ds.finding(
                "sources",
                i,
                "sha256",
                "CIT007",
                f"the archived text {name} has sha256 {snap[1]}, not the recorded "
                f"{expected}; the archive changed: re-check the quotes, then update sha256",
            )


@check("CIT006", "quote-not-found", "A quote does not appear in its source's archived text.")
def quote_not_found(ds, ctx):
    c, s = ds.tables.get("citations"), ds.tables.get("sources")
    if c is None or s is None:
        return
    stats = ctx.stats.setdefault("quotes", {"total": 0, "verified": 0, "unverified": 0})
    for i, row in enumerate(c.rows):
        quote = row.get("quote") or ""
        if not quote:
            continue
        stats["total"] += 1
        sid = row.get("source_id") or ""
        j = ds.index.get("sources", {}).get(sid)
        name = s.rows[j].get("snapshot") if j is not None else ""
        path = snapshot_path(ctx, name) if name else None
        snap = _snapshot(path) if path else None
        if snap is None:
            stats["unverified"] += 1
            if ctx.strict:
                yield ds.finding(
                    "citations",
                    i,
                    "quote",
                    "CIT008",
                    f"quote cannot be verified: source {sid} has no archived text "
                    "in the snapshot directory (strict mode)",
                )
            continue
        if normalise(quote) in snap[0]:
            stats["verified"] += 1
        else:
            yield ds.finding(
                "citations",
                i,
                "quote",
                "CIT006",
                f"quote not found in the archived text of {sid} ({name}); copy the "
                "words exactly as the source has them, or drop the quote",
            )


@check(
    "CIT008",
    "quote-unverified",
    "A quote's source has no archived text to check it against (an error only with --strict).",
)
def quote_unverified(ds, ctx):
    return ()  # reported by CIT006's pass, which reads each archive once


@check("CIT010", "excluded-source-cited", "A citation uses a source whose tier is 'excluded'.")
def excluded_source_cited(ds, ctx):
    c, s = ds.tables.get("citations"), ds.tables.get("sources")
    if c is None or s is None:
        return
    excluded = {r.get("id") for r in s.rows if r.get("tier") == "excluded"}
    for i, row in enumerate(c.rows):
        if row.get("source_id") in excluded:
            yield ds.finding(
                "citations",
                i,
                "source_id",
                "CIT010",
                f"source {row.get('source_id')} is marked excluded (unreliable); cite a reliable source instead",
            )
