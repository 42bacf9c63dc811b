"""Dispute links: a disputed claim names who disputes it, and the link points both ways."""

from __future__ import annotations

from . import check


@check("CLM001", "dispute-target-not-disputed", "A claim disputes another claim whose status is not 'disputed'.")
def dispute_target_not_disputed(ds, ctx):
    t = ds.tables.get("claims")
    for i, row in enumerate(t.rows if t else []):
        target = row.get("disputes") or ""
        j = ds.index["claims"].get(target)
        if target == row.get("id"):
            yield ds.finding("claims", i, "disputes", "CLM001", "a claim cannot dispute itself")
        elif j is not None and t.rows[j].get("status") != "disputed":
            yield ds.finding(
                "claims",
                i,
                "disputes",
                "CLM001",
                f"{row['id']} disputes {target}, whose status is "
                f"{t.rows[j].get('status')!r}; set that claim's status to disputed",
            )


@check("CLM002", "disputed-without-dispute", "A claim has status 'disputed' but no claim disputes it.")
def disputed_without_dispute(ds, ctx):
    t = ds.tables.get("claims")
    if t is None:
        return
    targets = {r.get("disputes") for r in t.rows}
    for i, row in enumerate(t.rows):
        if row.get("status") == "disputed" and row.get("id") not in targets:
            yield ds.finding(
                "claims",
                i,
                "status",
                "CLM002",
                f"{row.get('id')} is marked disputed but no claim disputes it; add the "
                "disputing claim with its own citation, or change the status",
            )
