"""Claims: dispute links point one way and agree with the statuses; each citation of a claim says
what it does to it (its stance), and the status is the one the grading rubric gives
(origins.read.evidence.grades; docs/checks.md, "How a claim is graded")."""

from __future__ import annotations

import pyarrow.compute as pc

from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.columns import EMPTY, strings, text
from origins.core.findings import WARNING
from origins.read.evidence import (
    EVIDENCE_STANCES,
    about_people,
    grades,
    of_claims,
    weakly_sourced,
)


@check(
    Code(
        "CLM001",
        "dispute-target-not-disputed",
        "A claim disputes another claim whose status is not 'disputed'.",
        {
            "self": "a claim cannot dispute itself",
            "status": "{id} disputes {target}, whose status is {status!r}; set that claim's status to disputed",
        },
    ),
    needs=("claims",),
)
def dispute_target_not_disputed(ds, ctx, r):
    t = ds.tables.get("claims")
    ids, targets = ds.column("claims", "id"), ds.column("claims", "disputes")
    linked = pc.or_(pc.equal(targets, ids), pc.is_in(targets, value_set=ids))  # itself, or a claim of the table
    for i, cid, target in r.picked("claims", linked, "id", "disputes"):
        j = ds.index["claims"].get(target)
        if target == cid:
            yield r.report("claims", i, "disputes", "CLM001", "self")
        elif j is not None and t.row(j).get("status") != "disputed":
            yield r.report(
                "claims", i, "disputes", "CLM001", "status", id=cid, target=target, status=t.row(j).get("status")
            )


@check(
    Code(
        "CLM002",
        "disputed-without-dispute",
        "A claim has status 'disputed' but neither a citation that contradicts it nor a claim that disputes it.",
        "{id} is marked disputed, but no citation of it contradicts it and no claim disputes it; cite the source "
        "that shows it wrong (stance contradicts), or change the status",
    ),
    needs=("claims", "citations"),
)
def disputed_without_dispute(ds, ctx, r):
    ids = ds.column("claims", "id")
    rows, stances = ds.column("citations", "row_id"), ds.column("citations", "stance")
    against = pc.filter(rows, pc.equal(stances, text("contradicts")))
    answered = pc.or_(pc.is_in(ids, value_set=ds.column("claims", "disputes")), pc.is_in(ids, value_set=against))
    unanswered = pc.and_(pc.equal(ds.column("claims", "status"), text("disputed")), pc.invert(answered))
    for i, cid in r.picked("claims", unanswered, "id"):
        yield r.report("claims", i, "status", "CLM002", id=cid)


@check(
    Code(
        "CLM003",
        "weakly-sourced-claim-about-person",
        "A claim that attributes words or conduct to a person lacks a primary or official source, or two "
        "independent press sources.",
        "{id} attributes words or conduct to {party} but cites neither a primary or official source nor two "
        "independent press sources; add one, or mark the claim disputed",
        severity=WARNING,
    ),
    needs=("claims", "citations", "sources"),
)
def weakly_sourced_claim(ds, ctx, r):
    if "citations" not in ds.tables or "sources" not in ds.tables:
        return
    # a disputed claim is already shown as contested, beside its better source
    undisputed = pc.not_equal(ds.column("claims", "status"), text("disputed"))
    weak = pc.is_in(ds.column("claims", "id"), value_set=strings(weakly_sourced(ds)))
    for i, cid, party in r.picked("claims", pc.and_(pc.and_(about_people(ds), undisputed), weak), "id", "about_party"):
        yield r.report("claims", i, "id", "CLM003", id=cid, party=party)


@check(
    Code(
        "CLM004",
        "status-not-by-rubric",
        "A claim's status is not the one the grading rubric gives from its citations' stances and sources.",
        "{id} is marked {status}, but its evidence gives {graded}: {why}; set the status to {graded}, or correct "
        "the stances of its citations",
    ),
    needs=("claims", "citations", "sources"),
)
def status_not_by_rubric(ds, ctx, r):
    graded = grades(ds)
    have = strings(sorted(cid for cid, (status, _) in graded.items() if status))
    for i, cid, marked in r.picked("claims", pc.is_in(ds.column("claims", "id"), value_set=have), "id", "status"):
        status, why = graded[cid]
        if marked == status:
            continue
        yield r.report("claims", i, "status", "CLM004", id=cid, status=marked, graded=status, why=why)


@check(
    Code(
        "CLM005",
        "own-document-as-evidence",
        "A claim cites its claimant's own document as evidence (supports, supports in part or contradicts).",
        "{source} is {claimant}'s own document (sources.party), so it only shows that {claimant} said it: set the "
        "stance to states, and cite independent evidence for {id}",
    ),
    needs=("claims", "citations", "sources"),
)
def own_document_as_evidence(ds, ctx, r):
    claims, sources = ds.rows_by_id("claims"), ds.rows_by_id("sources")
    evidence = of_claims(ds, EVIDENCE_STANCES)  # the citations that could count as evidence
    for i, row_id, source_id in r.picked("citations", evidence, "row_id", "source_id"):
        claim = claims[row_id]
        party = sources.get(source_id, {}).get("party")
        if party and party == claim.get("claimant"):
            yield r.report("citations", i, "stance", "CLM005", source=source_id, claimant=party, id=claim["id"])


@check(
    Code(
        "CLM006",
        "claim-citation-without-stance",
        "A citation of a claim does not say what it does to the claim (its stance).",
        "say what {source} does to {id}: states (only shows it was said), supports, supports-in-part or contradicts",
    ),
    needs=("claims", "citations"),
)
def claim_citation_without_stance(ds, ctx, r):
    for i, source_id, row_id in r.picked("citations", of_claims(ds, ("",)), "source_id", "row_id"):
        yield r.report("citations", i, "stance", "CLM006", source=source_id, id=row_id)


@check(
    Code(
        "CLM007",
        "stance-outside-claims",
        "A citation of a row that is not a claim has a stance (stances grade claims only).",
        "{id} is not a claim; a stance grades claims only, so leave it empty",
    ),
    needs=("citations",),
)
def stance_outside_claims(ds, ctx, r):
    with_stance = pc.not_equal(ds.column("citations", "stance"), EMPTY)
    for i, row_id in r.picked("citations", with_stance, "row_id"):
        if ds.meaning.table_of(row_id) != "claims":
            yield r.report("citations", i, "stance", "CLM007", id=row_id)
