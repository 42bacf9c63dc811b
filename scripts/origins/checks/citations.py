"""Citation checks: every statement is cited, every citation resolves, quotes match the archive."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import pyarrow.compute as pc

from origins.archive import headers
from origins.archive import store as archive
from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.columns import EMPTY, strings, text
from origins.core.findings import ID_CUTOFF, WARNING, clip, did_you_mean
from origins.read.package import unmatched


@check(
    Code(
        "CIT001",
        "uncited-row",
        "A row of a table marked x-must-cite (events, claims, figures, roles) has no citation.",
        "{id} has no citation; add a row to citations.csv with row_id {id}, the source and where in it",
    ),
    needs="*",
)
def uncited_row(ds, ctx, r):
    cited = pc.unique(ds.column("citations", "row_id"))
    for table in ds.meaning.must_cite:
        ids = ds.column(table, "id")
        for i in unmatched(ids, cited):
            rid = ids[i].as_py()
            yield r.report(table, i, "id", "CIT001", id=rid)


@check(
    Code(
        "CIT002",
        "citation-target-missing",
        "A citation's row_id names no existing row (or no table).",
        {
            "no-table": "row_id {row_id!r} does not start with a table prefix{hint}; start it with one of {prefixes}",
            "no-row": "row_id {row_id!r} is not an id in {table}.csv{hint}; cite an existing row or add the row first",
        },
    ),
    needs="*",
)
def citation_target_missing(ds, ctx, r):
    prefixes = ds.meaning.prefixes
    row_ids = ds.column("citations", "row_id")
    for i in ds.unresolved(row_ids, {table: prefix for prefix, table in prefixes.items()}):
        rid = row_ids[i].as_py()
        table = prefixes.get(rid.split("-", 1)[0])
        if table is None:
            every = [k for name in prefixes.values() for k in ds.index.get(name, {})]  # for "did you mean"
            hint = did_you_mean(rid, every, ID_CUTOFF)
            yield r.report(
                "citations",
                i,
                "row_id",
                "CIT002",
                "no-table",
                row_id=clip(rid),
                hint=hint,
                prefixes=", ".join(p + "-" for p in prefixes),
            )
        else:
            hint = did_you_mean(rid, ds.index.get(table, {}), ID_CUTOFF)
            yield r.report("citations", i, "row_id", "CIT002", "no-row", row_id=clip(rid), table=table, hint=hint)


@check(
    Code(
        "CIT003",
        "derived-from-cycle",
        "Sources derive from each other in a circle.",
        "derived_from forms a cycle: {cycle}; a source can only derive from an earlier document",
    ),
    needs=("sources",),
)
def derived_from_cycle(ds, ctx, r):
    from origins.checks.references import loops

    t = ds.tables.get("sources")
    parent = dict(zip(t.values("id"), t.values("derived_from"), strict=True)) if t else {}
    for cycle in loops({k: v for k, v in parent.items() if k and v}):
        i = ds.index["sources"][cycle[0]]
        yield r.report("sources", i, "derived_from", "CIT003", cycle=" -> ".join(cycle + cycle[:1]))


# An address every test of CIT004 passes: scheme http or https, a host of letters, digits and
# hyphens with a dot, an optional port, then anything but a character Python counts as space.
# (every character for which str.isspace is true, as RE2 escapes; tests/test_urls.py holds it to that)
SPACE_CLASS = r"\x{9}-\x{d}\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
PLAIN_URL = rf"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?([/?#][^{SPACE_CLASS}]*)?$"


@check(
    Code(
        "CIT004",
        "bad-url",
        "A URL is not an absolute http(s) address with a host.",
        "url {url!r} is not an absolute http(s) address with a host name; paste the full address, starting with https://",
    ),
    needs=("sources",),
)
def bad_url(ds, ctx, r):
    urls = ds.column("sources", "url")
    # urlsplit only for what is not plainly an http(s) address with a dotted host and no space
    doubtful = pc.and_(pc.not_equal(urls, EMPTY), pc.invert(pc.match_substring_regex(urls, pattern=PLAIN_URL)))
    for i, url in r.picked("sources", doubtful, "url"):
        if not absolute_http(url):
            yield r.report("sources", i, "url", "CIT004", url=url)


def absolute_http(url: str) -> bool:
    """CIT004's rule: an http(s) scheme, a host name with a dot, no character Python counts as space."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and "." in host and not any(c.isspace() for c in url)


@check(
    Code(
        "CIT005",
        "source-never-cited",
        "A source (other than an excluded one) is cited by no citation.",
        "source {id} is never cited; cite it or remove it",
        severity=WARNING,
    ),
    needs=("citations", "sources"),
)
def source_never_cited(ds, ctx, r):
    if "citations" not in ds.tables:
        return
    ids = ds.column("sources", "id")
    used = pc.or_(
        pc.is_in(ids, value_set=ds.column("citations", "source_id")),
        pc.is_in(ids, value_set=ds.column("sources", "derived_from")),
    )
    excluded = pc.equal(ds.column("sources", "tier"), text("excluded"))  # listed on purpose, so that nobody cites it
    unused = pc.and_(pc.not_equal(ids, EMPTY), pc.invert(pc.or_(used, excluded)))
    for i, sid in r.picked("sources", unused, "id"):
        yield r.report("sources", i, "id", "CIT005", id=sid)


@check(
    Code(
        "CIT009",
        "snapshot-outside",
        "A source's snapshot name points outside the snapshot directory.",
        "snapshot {name!r} leaves the snapshot directory; give a plain file name",
    ),
    needs=("sources",),
)
def snapshot_outside(ds, ctx, r):
    if not ctx.snapshot_dirs:
        return
    for i, name in r.picked("sources", pc.not_equal(ds.column("sources", "snapshot"), EMPTY), "snapshot"):
        if any(archive.inside(d, name) is None for d in ctx.snapshot_dirs):
            yield r.report("sources", i, "snapshot", "CIT009", name=name)


@check(
    Code(
        "CIT007",
        "snapshot-hash-mismatch",
        "An archived text does not match the sha256 recorded for its source.",
        "the archived text {name} has sha256 {found}, not the recorded {expected}; the archive changed: "
        "re-check the quotes, then update sha256",
    ),
    needs=("sources",),
)
def snapshot_hash_mismatch(ds, ctx, r):
    named = pc.not_equal(ds.column("sources", "snapshot"), EMPTY)
    for i, name, expected in r.picked("sources", named, "snapshot", "sha256"):
        if any(archive.inside(d, name) is None for d in ctx.snapshot_dirs):
            continue
        snap = archive.find(ctx.snapshot_dirs, name, expected)
        if snap and expected and snap.sha256 != expected:
            yield r.report("sources", i, "sha256", "CIT007", name=name, found=snap.sha256, expected=expected)


@check(
    Code(
        "CIT006",
        "quote-not-found",
        "A quote does not appear in its source's archived text.",
        "quote not found in the archived text of {source} ({file}); copy the words exactly as the source has them "
        "(mark a gap with …), or drop the quote",
    ),
    needs=("citations", "sources"),
)
def quote_not_found(ds, ctx, r):
    for i, q in ctx.quotes.with_status("not-found"):
        yield r.report("citations", i, "quote", "CIT006", source=q.source_id, file=q.text.path.name)


@check(
    Code(
        "CIT008",
        "quote-unverified",
        "A quote's source has no archived text to check it against (an error only with --strict).",
        "quote cannot be verified: source {source} has no archived text in the snapshot directories (strict mode)",
    ),
    needs=("citations", "sources"),
)
def quote_unverified(ds, ctx, r):
    if not ctx.strict:
        return
    for i, q in ctx.quotes.with_status("no-archive"):
        yield r.report("citations", i, "quote", "CIT008", source=q.source_id)


@check(
    Code(
        "CIT010",
        "excluded-source-cited",
        "A citation uses a source whose tier is 'excluded'.",
        "source {source} is marked excluded (unreliable); cite a reliable source instead",
    ),
    needs=("citations", "sources"),
)
def excluded_source_cited(ds, ctx, r):
    sources = ds.column("sources", "id")
    excluded = pc.filter(sources, pc.equal(ds.column("sources", "tier"), text("excluded")))
    for i, sid in r.picked("citations", pc.is_in(ds.column("citations", "source_id"), value_set=excluded), "source_id"):
        yield r.report("citations", i, "source_id", "CIT010", source=sid)


_COMPILATION = text("email-compilation")


def _archived(ctx, r, compilations: bool = False) -> dict[str, archive.Text]:
    """Archived texts whose bytes are the ones sources.csv records, by source id; email compilations
    only if asked (their locators are header lines, which the email checks resolve)."""
    out = {}
    column = r.ds.column
    pinned = pc.or_(
        pc.not_equal(column("sources", "snapshot"), EMPTY), pc.not_equal(column("sources", "sha256"), EMPTY)
    )
    if not compilations:
        pinned = pc.and_(pinned, pc.not_equal(column("sources", "kind"), _COMPILATION))
    for _, sid, name, sha in r.picked("sources", pinned, "id", "snapshot", "sha256"):
        text = archive.find(ctx.snapshot_dirs, name, sha)
        if text is not None and (not sha or text.sha256 == sha):
            out[sid] = text
    return out


@check(
    Code(
        "CIT011",
        "locator-not-in-text",
        "A citation's locator names no place of its source's archived text (a bullet or paragraph it does not "
        "have, a line it does not print), or its quote is not at that place.",
        {
            "nowhere": "locator {locator!r} names no place of the archived text of {source}: {why}; see the locator "
            "forms in docs/checks.md",
            "elsewhere": "the quote is not in {place} of {source}{found}; point the locator at the place that has it",
        },
    ),
    needs=("citations", "sources"),
)
def locator_not_in_text(ds, ctx, r):
    from origins.archive import places
    from origins.archive.quotes import locate, normalise_mapped

    texts = _archived(ctx, r, compilations=True)
    kinds = ds.column("sources", "kind")
    compilations = set(pc.filter(ds.column("sources", "id"), pc.equal(kinds, _COMPILATION)).to_pylist())
    # A locator is parsed and placed once per source, and a place's text normalised once, however
    # many citations give it (pure functions of their arguments, so the findings are the same).
    parsed, placed, spans = {}, {}, {}
    archived = pc.is_in(ds.column("citations", "source_id"), value_set=strings(sorted(texts)))
    for i, sid, locator, quote in r.picked("citations", archived, "source_id", "locator", "quote"):
        text = texts[sid]
        if locator not in parsed:
            parsed[locator] = places.parse(locator)
        parts = parsed[locator]
        if sid in compilations and not parts[0].form:
            continue  # an email's header line: the email checks resolve it (EML001, EML002)
        if (sid, locator) not in placed:
            placed[sid, locator] = places.place(locator, text.text)
        where = placed[sid, locator]
        why = where.missing if where is not None else ""
        if not why and places.problem(parts) and where is None:
            why = places.problem(parts)
        if why:
            yield r.report("citations", i, "locator", "CIT011", "nowhere", locator=locator, source=sid, why=why)
            continue
        q = ctx.quotes.checks[i] if i < len(ctx.quotes.checks) else None
        if where is None or q is None or q.start is None:
            continue  # no quote, or one found nowhere in the text (CIT006 says so)
        span = (sid, where.start, where.end)
        if span not in spans:
            spans[span] = normalise_mapped(text.text[where.start : where.end])
        if locate(quote, text.text[where.start : where.end], spans[span]) is not None:
            continue
        found = ""
        for form, spans_of in (("line", places.lines), ("bullet", places.bullets), ("paragraph", places.paragraphs)):
            if parts[0].form == form:
                n = next((k for k, (a, b) in enumerate(spans_of(text.text), 1) if locate(quote, text.text[a:b])), 0)
                found = f" but in {form} {n}" if n else ""
        yield r.report("citations", i, "locator", "CIT011", "elsewhere", place=where.what, source=sid, found=found)


@check(
    Code(
        "CIT012",
        "locator-form",
        "A locator of a source with no archived text does not follow the locator forms of docs/checks.md for "
        "its source's kind, or names a page after the last.",
        "locator {locator!r}: {why}; write it in the forms of docs/checks.md (for example 'p. 3 of 12, ¶ 4' or "
        "'paragraph 5')",
        severity=WARNING,
    ),
    needs=("citations", "sources"),
)
def locator_form(ds, ctx, r):
    texts = _archived(ctx, r, compilations=True)
    kinds = dict(zip(ds.column("sources", "id").to_pylist(), ds.column("sources", "kind").to_pylist(), strict=True))
    sids, locators = ds.column("citations", "source_id").to_pylist(), ds.column("citations", "locator").to_pylist()
    for i, (sid, locator) in enumerate(zip(sids, locators, strict=True)):
        if sid in texts:
            continue  # an archived text: CIT011 (or, for a compilation, EML001) resolves its locator
        why = _form_problem(locator, kinds.get(sid, ""))
        if why:
            yield r.report("citations", i, "locator", "CIT012", locator=locator, why=why)


@lru_cache(maxsize=65536)
def _form_problem(locator: str, kind: str) -> str:
    """Why a locator does not take a form of its source's kind ('' when it does), computed once per
    distinct (locator, kind): locators repeat across citations."""
    from origins.archive import places

    if kind == "email-compilation" and headers.HEADER.fullmatch(locator.strip()):
        return ""  # an email's header line, the form a compilation's locators take
    return places.problem(places.parse(locator), kind)
