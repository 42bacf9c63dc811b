"""How complete and how well sourced the record is: the figures the README's coverage section shows."""

from __future__ import annotations

from collections import Counter

from .dates import DateError, parse


def coverage(ds, quotes: dict | None = None) -> dict:
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
    tiers = Counter(r.get("tier") for r in ds.tables["sources"].rows)
    out = {
        "rows": {name: len(t.rows) for name, t in ds.tables.items()},
        "events_per_year": dict(sorted(years.items(), key=lambda kv: str(kv[0]))),
        "events_day_precision": f"{day}/{len(events)} ({day / len(events):.0%})" if events else "0/0",
        "sources_per_tier": dict(sorted(tiers.items())),
    }
    if quotes is not None:
        n = len(ds.tables["citations"].rows)
        out["citations_verified"] = (
            f"{quotes.get('verified', 0)}/{n} ({quotes.get('verified', 0) / n:.0%})" if n else "0/0"
        )
    return out


def coverage_markdown(cov: dict) -> str:
    rows = ", ".join(f"{k} {v}" for k, v in cov["rows"].items())
    years = ", ".join(f"{k}: {v}" for k, v in cov["events_per_year"].items())
    tiers = ", ".join(f"{k} {v}" for k, v in cov["sources_per_tier"].items())
    lines = [
        f"- Rows: {rows}.",
        f"- Events per year: {years}.",
        f"- Events dated to the day: {cov['events_day_precision']}.",
        f"- Sources per tier: {tiers}.",
    ]
    if "citations_verified" in cov:
        lines.append(f"- Citations whose quote was verified against an archived text: {cov['citations_verified']}.")
    return "\n".join(lines)
