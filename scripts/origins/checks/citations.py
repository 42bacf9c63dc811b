"""Citation checks: every statement is cited, every citation resolves, quotes match the archive."""

from __future__ import annotations

from urllib.parse import urlsplit

import pyarrow.compute as pc

from origins.archive import store as archive
from origins.checks.registry import Code, check
from origins.core.findings import ID_CUTOFF, WARNING, did_you_mean, quoted
from origins.read import meaning
from origins.read.package import unmatched


@check(
    Code(
        "CIT001", "uncited-row", "A row of a table marked x-must-cite (events, claims, figures, roles) has no citation."
    )
)
def uncited_row(ds, ctx, r):
    cited = pc.unique(ds.column("citations", "row_id"))
    for table in meaning.must_cite(meaning.schemas_of(ds)):
        ids = ds.column(table, "id")
        for i in unmatched(ids, cited):
            rid = ids[i].as_py()
            yield r.report(
                table,
                i,
                "id",
                "CIT001",
                f"{rid} has no citation; add a row to citations.csv with row_id {rid}, the source and where in it",
            )


@check(Code("CIT002", "citation-target-missing", "A citation's row_id names no existing row (or no table)."))
def citation_target_missing(ds, ctx, r):
    prefixes = meaning.prefix_table(meaning.schemas_of(ds))
    row_ids = ds.column("citations", "row_id")
    for i in ds.unresolved(row_ids, {table: prefix for prefix, table in prefixes.items()}):
        rid = row_ids[i].as_py()
        table = prefixes.get(rid.split("-", 1)[0])
        if table is None:
            every = [k for name in prefixes.values() for k in ds.index.get(name, {})]  # for "did you mean"
            why = (
                f"does not start with a table prefix{did_you_mean(rid, every, ID_CUTOFF)}; "
                f"start it with one of {', '.join(p + '-' for p in prefixes)}"
            )
        else:
            ids = ds.index.get(table, {})
            why = f"is not an id in {table}.csv{did_you_mean(rid, ids, ID_CUTOFF)}; cite an existing row or add the row first"
        yield r.report("citations", i, "row_id", "CIT002", f"row_id {quoted(rid)} {why}")


@check(Code("CIT003", "derived-from-cycle", "Sources derive from each other in a circle."))
def derived_from_cycle(ds, ctx, r):
    parent = {row.get("id"): row.get("derived_from") for _, row in r.rows("sources") if row.get("id")}
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
                yield r.report(
                    "sources",
                    i,
                    "derived_from",
                    "CIT003",
                    "derived_from forms a cycle: "
                    + " -> ".join(cycle + [cycle[0]])
                    + "; a source can only derive from an earlier document",
                )


@check(Code("CIT004", "bad-url", "A URL is not an absolute http(s) address with a host."))
def bad_url(ds, ctx, r):
    for i, row in r.rows("sources"):
        url = row.get("url") or ""
        if not url:
            continue
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or "." not in host or any(c.isspace() for c in url):
            yield r.report(
                "sources",
                i,
                "url",
                "CIT004",
                f"url {url!r} is not an absolute http(s) address with a host name; "
                "paste the full address, starting with https://",
            )


@check(
    Code(
        "CIT005",
        "source-never-cited",
        "A source (other than an excluded one) is cited by no citation.",
        severity=WARNING,
    )
)
def source_never_cited(ds, ctx, r):
    if "citations" not in ds.tables:
        return
    used = {row.get("source_id") for _, row in r.rows("citations")}
    derived = {row.get("derived_from") for _, row in r.rows("sources")}
    for i, row in r.rows("sources"):
        sid = row.get("id")
        if row.get("tier") == "excluded":
            continue  # listed on purpose, so that nobody cites it
        if sid and sid not in used and sid not in derived:
            yield r.report("sources", i, "id", "CIT005", f"source {sid} is never cited; cite it or remove it")


@check(Code("CIT009", "snapshot-outside", "A source's snapshot name points outside the snapshot directory."))
def snapshot_outside(ds, ctx, r):
    if not ctx.snapshot_dirs:
        return
    for i, row in r.rows("sources"):
        name = row.get("snapshot") or ""
        if name and any(archive.inside(d, name) is None for d in ctx.snapshot_dirs):
            yield r.report(
                "sources",
                i,
                "snapshot",
                "CIT009",
                f"snapshot {name!r} leaves the snapshot directory; give a plain file name",
            )


@check(Code("CIT007", "snapshot-hash-mismatch", "An archived text does not match the sha256 recorded for its source."))
def snapshot_hash_mismatch(ds, ctx, r):
    for i, row in r.rows("sources"):
        name, expected = row.get("snapshot") or "", row.get("sha256") or ""
        if not name or any(archive.inside(d, name) is None for d in ctx.snapshot_dirs):
            continue
        snap = archive.find(ctx.snapshot_dirs, name, expected)
        if snap and expected and snap.sha256 != expected:
            yield r.report(
                "sources",
                i,
                "sha256",
                "CIT007",
                f"the archived text {name} has sha256 {snap.sha256}, not the recorded "
                f"{expected}; the archive changed: re-check the quotes, then update sha256",
            )


def quotes_of(ds, ctx) -> list:
    """Each citation's quote checked against the archive, once per run (see archive.verify_quotes)."""
    if ctx.quotes is None:
        ctx.quotes = archive.verify_quotes(ds, ctx.snapshot_dirs)
    return ctx.quotes


def _quotes_with(ds, ctx, status: str):
    """(citation row, quote check) for the quotes whose check came out as `status`."""
    return ((i, q) for i, q in enumerate(quotes_of(ds, ctx)) if q is not None and q.status == status)


@check(Code("CIT006", "quote-not-found", "A quote does not appear in its source's archived text."))
def quote_not_found(ds, ctx, r):
    for i, q in _quotes_with(ds, ctx, "not-found"):
        yield r.report(
            "citations",
            i,
            "quote",
            "CIT006",
            f"quote not found in the archived text of {q.source_id} ({q.text.path.name}); copy the "
            "words exactly as the source has them (mark a gap with …), or drop the quote",
        )


@check(
    Code(
        "CIT008",
        "quote-unverified",
        "A quote's source has no archived text to check it against (an error only with --strict).",
    )
)
def quote_unverified(ds, ctx, r):
    if not ctx.strict:
        return
    for i, q in _quotes_with(ds, ctx, "no-archive"):
        yield r.report(
            "citations",
            i,
            "quote",
            "CIT008",
            f"quote cannot be verified: source {q.source_id} has no archived text "
            "in the snapshot directories (strict mode)",
        )


@check(Code("CIT010", "excluded-source-cited", "A citation uses a source whose tier is 'excluded'."))
def excluded_source_cited(ds, ctx, r):
    excluded = {row.get("id") for _, row in r.rows("sources") if row.get("tier") == "excluded"}
    for i, row in r.rows("citations"):
        if row.get("source_id") in excluded:
            yield r.report(
                "citations",
                i,
                "source_id",
                "CIT010",
                f"source {row.get('source_id')} is marked excluded (unreliable); cite a reliable source instead",
            )
