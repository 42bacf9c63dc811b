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


def of_claims(ds, stances: tuple[str, ...] | None = None):
    """Which citations are of a claim (with one of `stances`, if given; "" is no stance), as Arrow
    booleans over the citations: a hash lookup on the columns, no Python test per row."""
    import pyarrow.compute as pc

    from origins.core.columns import strings

    chosen = pc.is_in(ds.column("citations", "row_id"), value_set=ds.column("claims", "id"))
    if stances is None:
        return chosen
    return pc.and_(chosen, pc.is_in(ds.column("citations", "stance"), value_set=strings(stances)))


def claim_citations(ds, stances: tuple[str, ...] | None = None) -> tuple[list[str], list[str], list[str]]:
    """(row ids, source ids, stances) of the citations `of_claims` picks, in file order: only those
    become Python strings."""
    import pyarrow.compute as pc

    at = pc.indices_nonzero(of_claims(ds, stances))
    return tuple(pc.take(ds.column("citations", n), at).to_pylist() for n in ("row_id", "source_id", "stance"))


def claim_sources(ds) -> dict[str, list[str]]:
    """Each cited claim's source ids, in the order of its citations."""
    out: dict[str, list[str]] = {}
    for cid, sid, _ in zip(*claim_citations(ds), strict=True):
        out.setdefault(cid, []).append(sid)
    return out


def about_people(ds):
    """Which claims attribute words or conduct to a person, as Arrow booleans over the claims: those
    whose about_party has the id prefix of the people table (the table_of their id is people)."""
    import pyarrow.compute as pc

    prefix = next((p for p, table in ds.meaning.prefixes.items() if table == "people"), None)
    about = ds.column("claims", "about_party")
    return pc.starts_with(about, pattern=f"{prefix}-") if prefix else pc.not_equal(about, about)


def weakly_sourced(ds) -> list[str]:
    """Claims about a person that cite neither a primary or official source nor two independent press
    sources, in file order; found once per loaded package (CLM003 and the timeline both ask)."""
    import pyarrow.compute as pc

    cache = ds.__dict__.setdefault("_evidence", {})
    if "weak" not in cache:
        cited = claim_sources(ds)
        about = pc.filter(ds.column("claims", "id"), about_people(ds)).to_pylist()
        cache["weak"] = [cid for cid in about if not evidence_strength(ds, cid, cited)]
    return cache["weak"]


# --- how a claim is graded (docs/checks.md, "How a claim is graded") ---------------------------

RUBRIC = """
A claim is what someone said; its status says how far evidence other than their own words bears
it out. Each citation of a claim says what the cited passage does to it (`citations.stance`):
`states` (it only shows that someone said it: the claimant's own document, or a report relaying
it), `supports` (it bears out the whole claim), `supports-in-part` (it bears out part of it) or
`contradicts` (it shows the claim, or a part of it, wrong: a misquotation is contradicted by the
full text). Stance is about truth, not attribution: a filing always shows that its party said
something, never that it is true, so a citation of the claimant's own document (`sources.party`
is the claimant) counts only as `states` whatever its stance (CLM005 reports such a stance).

From the citations that count (stance other than `states`, source not excluded and not the
claimant's own), the rubric gives, in this order:

1. `disputed`: a citation contradicts the claim, or a claim the rubric upholds (confirmed or
   partly-confirmed) disputes it (`claims.disputes`, from the better-supported claim to the one
   it corrects, one way only; opposite positions of two parties are linked through their question);
2. `confirmed`: strong evidence supports the whole claim: a primary or official source (or a
   compilation that transcribes primary documents), or two independent press reports (copies of
   one report, `sources.derived_from`, count once);
3. `partly-confirmed`: strong evidence supports it, but only in part;
4. `asserted`: otherwise: only the claimant's words, reports of them, or weak support (one press
   report).

A court's or jury's finding is a claim by the court or the jury; its own order only states it, so
it is `asserted` unless other evidence (an exhibit, the parties' agreed facts) bears it out, and
the question it answers records what was decided. CLM004 reports every claim whose status is not
the one the rubric gives, with the reason; `python -m origins validate` prints it at the line.
"""

EVIDENCE_STANCES = ("supports", "supports-in-part", "contradicts")  # `states` only shows who said it
UPHELD = ("confirmed", "partly-confirmed")


def _strong(sources: dict[str, dict], sids: list[str]) -> bool:
    """A primary or official source (or a compilation of primary documents), or two independent press reports."""
    if any(sources.get(s, {}).get("tier") in STRONG_TIERS or _transcribes_primary(sources, s) for s in sids):
        return True
    return len({_root(sources, s) for s in sids if sources.get(s, {}).get("tier") == "press"}) >= 2


def _named(sources: dict[str, dict], sids: list[str]) -> str:
    return ", ".join(f"{s} ({sources.get(s, {}).get('tier', '?')})" for s in dict.fromkeys(sids))


def counted(ds, claims: dict[str, dict] | None = None) -> dict[str, list[tuple[str, str]]]:
    """Each claim's evidence: (source id, stance) of its citations that bear on its truth, i.e. whose
    stance is not `states`, whose source is not excluded and is not the claimant's own document
    (`sources.party` = the claimant: a party's own filing only states its position)."""
    sources = ds.rows_by_id("sources")
    claims = claims if claims is not None else ds.rows_by_id("claims")
    out: dict[str, list[tuple[str, str]]] = {cid: [] for cid in claims}
    for cid, sid, stance in zip(*claim_citations(ds, EVIDENCE_STANCES), strict=True):
        if cid not in claims:
            continue
        src = sources.get(sid, {})
        if src.get("tier") == "excluded" or (src.get("party") and src.get("party") == claims[cid].get("claimant")):
            continue
        out[cid].append((sid, stance))
    return out


def grades(ds) -> dict[str, tuple[str, str]]:
    """The status the rubric gives each claim, with the reason in words: claim id -> (status, why).

    1. disputed: an independent source contradicts it, or a claim the rubric upholds (confirmed or
       partly-confirmed) disputes it;
    2. confirmed: strong independent evidence (a primary or official source, or two independent
       press reports) supports the whole claim;
    3. partly-confirmed: strong independent evidence supports it, but some of it only in part;
    4. asserted: otherwise (only the claimant's own words, relays of them, or weak support).
    A claim's own documents never raise it: see `counted`. Dispute links run one way (a mutual
    dispute is an error of its own), so the grades are computed along them; a cycle is cut."""
    sources = ds.rows_by_id("sources")
    claims = ds.rows_by_id("claims")
    evidence = counted(ds, claims)
    disputers: dict[str, list[str]] = {}
    for cid, row in claims.items():
        if row.get("disputes"):
            disputers.setdefault(row["disputes"], []).append(cid)
    out: dict[str, tuple[str, str]] = {}

    def grade(cid: str, seen: frozenset[str]) -> tuple[str, str]:
        if cid in out:
            return out[cid]
        ev = evidence.get(cid, [])
        against = [s for s, st in ev if st == "contradicts"]
        upheld = [d for d in disputers.get(cid, []) if d not in seen and grade(d, seen | {cid})[0] in UPHELD]
        full = [s for s, st in ev if st == "supports"]
        part = [s for s, st in ev if st == "supports-in-part"]
        if against or upheld:
            why = [f"{_named(sources, against)} contradicts it"] if against else []
            why += [f"{d} ({grade(d, seen | {cid})[0]}) disputes it" for d in upheld]
            result = ("disputed", "; ".join(why))
        elif full and _strong(sources, full):
            result = ("confirmed", f"{_named(sources, full)} supports it")
        elif (full or part) and _strong(sources, full + part):
            result = (
                "partly-confirmed",
                f"{_named(sources, full + part)} supports it, but only in part or not strongly enough for all of it",
            )
        elif full or part:
            result = ("asserted", f"only weak support ({_named(sources, full + part)}): one press report is not enough")
        else:
            result = ("asserted", "no source but the claimant's own words (or a report of them) bears on it")
        if not seen:
            out[cid] = result
        return result

    for cid in claims:
        grade(cid, frozenset())
    return out
