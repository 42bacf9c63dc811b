"""Dispute links: a disputed claim names who disputes it, and the link points both ways."""

from __future__ import annotations

from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.findings import WARNING
from origins.read.evidence import about_a_person, claim_sources, evidence_strength


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
    for i, row in r.rows("claims"):
        target = row.get("disputes") or ""
        j = ds.index["claims"].get(target)
        if target == row.get("id"):
            yield r.report("claims", i, "disputes", "CLM001", "self")
        elif j is not None and t.rows[j].get("status") != "disputed":
            yield r.report(
                "claims", i, "disputes", "CLM001", "status", id=row["id"], target=target, status=t.rows[j].get("status")
            )


@check(
    Code(
        "CLM002",
        "disputed-without-dispute",
        "A claim has status 'disputed' but no claim disputes it.",
        "{id} is marked disputed but no claim disputes it; add the disputing claim with its own citation, "
        "or change the status",
    ),
    needs=("claims",),
)
def disputed_without_dispute(ds, ctx, r):
    targets = {row.get("disputes") for _, row in r.rows("claims")}
    for i, row in r.rows("claims"):
        if row.get("status") == "disputed" and row.get("id") not in targets:
            yield r.report("claims", i, "status", "CLM002", id=row.get("id"))


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
    cited = claim_sources(ds)
    for i, row in r.rows("claims"):
        party = row.get("about_party") or ""
        if not about_a_person(ds, row) or row.get("status") == "disputed":
            continue  # a disputed claim is already shown as contested, beside its better source
        if not evidence_strength(ds, row.get("id", ""), cited):
            yield r.report("claims", i, "id", "CLM003", id=row.get("id"), party=party)
