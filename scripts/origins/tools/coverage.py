"""How complete and how well sourced the record is: the figures the README's coverage section shows."""

from __future__ import annotations

from collections import Counter

from origins.core.edtf import DateError, parse

STATEMENTS = ("evt-", "clm-", "fig-")  # rows whose citations should carry a quote


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"


def quotes_by_tier(ds, quotes: list) -> dict[str, dict[str, int]]:
    """Per source tier: citations, how many carry a quote, how many of those were verified."""
    tier_of = {r.get("id"): r.get("tier") for r in ds.tables["sources"].rows}
    out: dict[str, Counter] = {}
    for i, row in enumerate(ds.tables["citations"].rows):
        c = out.setdefault(tier_of.get(row.get("source_id")) or "unknown", Counter())
        c["citations"] += 1
        c["quoted"] += bool(row.get("quote"))
        q = quotes[i] if i < len(quotes) else None
        c["verified"] += q is not None and q.status == "verified"
    return {tier: {k: c[k] for k in ("citations", "quoted", "verified")} for tier, c in sorted(out.items())}


def coverage(ds, quotes: list | None = None) -> dict:
    """`quotes` (one archive.Quote or None per citation, from validate) adds the verification figures."""
    events = ds.tables["events"].rows
    years: Counter = Counter()
    day = 0
    for r in events:
        try:
            span = parse(r["date"])
        except DateError:
            continue
        years[span.earliest.year if span.earliest else "unknown"] += 1
        day += span.precision == "day"
    sources = ds.tables["sources"].rows
    tiers = Counter(r.get("tier") for r in sources)
    cites = ds.tables["citations"].rows
    statements = [r for r in cites if (r.get("row_id") or "").startswith(STATEMENTS)]
    out = {
        "rows": {name: t.num_rows for name, t in ds.tables.items()},
        "events_per_year": dict(sorted(years.items(), key=lambda kv: str(kv[0]))),
        "events_day_precision": _share(day, len(events)),
        "sources_per_tier": dict(sorted(tiers.items())),
        "sources_read": _share(sum(bool(r.get("accessed")) for r in sources), len(sources)),
        "statement_citations_quoted": _share(sum(bool(r.get("quote")) for r in statements), len(statements)),
        "as_of": list(ds.descriptor.get("x-coverage") or []),  # how far each family of sources was read
    }
    if quotes is not None:
        verified = sum(q is not None and q.status == "verified" for q in quotes)
        out["citations_verified"] = _share(verified, len(cites))
        out["quotes_by_tier"] = quotes_by_tier(ds, quotes)
    return out


def coverage_markdown(cov: dict) -> str:
    rows = ", ".join(f"{k} {v}" for k, v in cov["rows"].items())
    years = ", ".join(f"{k}: {v}" for k, v in cov["events_per_year"].items())
    tiers = ", ".join(f"{k} {v}" for k, v in cov["sources_per_tier"].items())
    lines = [
        f"- Rows: {rows}.",
        f"- Events per year: {years}.",
        f"- Events dated to the day: {cov['events_day_precision']}.",
        f"- Sources per tier: {tiers}; read (with a day of access): {cov['sources_read']}.",
        f"- Citations of events, claims and figures that carry a quote: {cov['statement_citations_quoted']}.",
    ]
    lines += [f"- {c['sources']}: read as of {c['as_of']} ({c['note']})." for c in cov.get("as_of", [])]
    if "citations_verified" in cov:
        lines.append(f"- Citations whose quote was verified against an archived text: {cov['citations_verified']}.")
        lines.append("- Quotes by source tier (citations: quoted / verified / unquoted):")
        for tier, c in cov["quotes_by_tier"].items():
            unquoted = c["citations"] - c["quoted"]
            lines.append(f"  - {tier}: {c['citations']}: {c['quoted']} / {c['verified']} / {unquoted}")
    return "\n".join(lines)
