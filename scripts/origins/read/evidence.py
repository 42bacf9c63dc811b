"""How strong the evidence for a row is: the tiers of the sources that cite it, with copies of one
report counted once. Shared by the claim checks and the timeline (each claim's standing)."""

from __future__ import annotations

STRONG_TIERS = {"primary", "official"}


def _root(sources: dict[str, dict], sid: str) -> str:
    """The original a source derives from (itself if none): copies of one report are one source."""
    seen = set()
    while sources.get(sid, {}).get("derived_from") and sid not in seen:
        seen.add(sid)
        sid = sources[sid]["derived_from"]
    return sid


def _transcribes_primary(sources: dict[str, dict], sid: str) -> bool:
    """A compilation that transcribes primary documents counts as primary evidence."""
    row = sources.get(sid, {})
    parent = sources.get(row.get("derived_from") or "", {})
    return row.get("kind") == "email-compilation" and parent.get("tier") == "primary"


def evidence_strength(ds, claim_id: str, cited: dict[str, list[str]]) -> bool:
    """True when a claim has a primary or official source, or two independent press sources."""
    sources = ds.rows_by_id("sources")
    sids = cited.get(claim_id, [])
    if any(sources.get(s, {}).get("tier") in STRONG_TIERS or _transcribes_primary(sources, s) for s in sids):
        return True
    press = {_root(sources, s) for s in sids if sources.get(s, {}).get("tier") == "press"}
    return len(press) >= 2


def claim_sources(ds) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in ds.tables["citations"].rows:
        out.setdefault(r.get("row_id", ""), []).append(r.get("source_id", ""))
    return out


def about_a_person(ds, row: dict) -> bool:
    """Whether a claim attributes words or conduct to a person (its about_party is a row of the
    table whose ids `people` declares)."""
    return ds.meaning.table_of(row.get("about_party") or "") == "people"


def weakly_sourced(ds) -> list[str]:
    """Claims about a person that cite neither a primary or official source nor two independent press sources."""
    cited = claim_sources(ds)
    rows = ds.tables["claims"].rows if "claims" in ds.tables else []
    return [r["id"] for r in rows if about_a_person(ds, r) and not evidence_strength(ds, r["id"], cited)]
