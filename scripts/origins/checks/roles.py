"""Roles in context: a participant acting in an office (participants.as_role) is the person who
held it, and the event falls within the office's dates. DAT010 (a role ending before it starts)
is among the date relations."""

from __future__ import annotations

import pyarrow.compute as pc

from origins.checks.dates import _fmt, outside, span
from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.findings import WARNING


def _acting(ds):
    """Which participants act in a role of roles.csv (Arrow booleans): the rows both checks read."""
    return pc.is_in(ds.column("participants", "as_role"), value_set=ds.column("roles", "id"))


@check(
    Code(
        "ROL001",
        "role-of-another-person",
        "A participant acts in a role that another person held.",
        "{party} takes part in {event} as {role}, but that role is {holder}'s; name a role {party} held",
    ),
    needs=("participants", "roles"),
)
def role_of_another_person(ds, ctx, r):
    roles = ds.rows_by_id("roles")
    for i, as_role, party, event in r.picked("participants", _acting(ds), "as_role", "party_id", "event_id"):
        role = roles.get(as_role)
        if role and role.get("person_id") != party:
            yield r.report(
                "participants",
                i,
                "as_role",
                "ROL001",
                party=party,
                event=event,
                role=as_role,
                holder=role.get("person_id"),
            )


@check(
    Code(
        "ROL002",
        "event-outside-role",
        "An event in which a person acts in a role lies outside that role's dates.",
        "{party} acts as {role} ({title}, {bounds}) in {event} ({date}), which lies {kind}ly outside the role's "
        "dates; check the event's date, the role's start and end, or the role named",
        severity=WARNING,
    ),
    needs=("participants", "roles", "events"),
)
def event_outside_role(ds, ctx, r):
    """The role's span runs from its start's earliest day to its end's latest (open where unknown)."""
    from origins.core.edtf import Span

    roles, events = ds.index.get("roles", {}), ds.index.get("events", {})
    for i, as_role, party, event in r.picked("participants", _acting(ds), "as_role", "party_id", "event_id"):
        j, k = roles.get(as_role), events.get(event)
        if j is None or k is None:
            continue
        start, end, when = span(ds, "roles", j, "start"), span(ds, "roles", j, "end"), span(ds, "events", k, "date")
        if when is None or start is None or (end and end.latest and start.earliest and end.latest < start.earliest):
            continue  # an undated event or role, or a role that ends before it starts (DAT010 says so)
        bounds = Span(start.earliest, end.latest if end else None, "interval")
        kind = outside(when, bounds)
        if kind:
            role = ds.tables["roles"].row(j)
            yield r.report(
                "participants",
                i,
                "as_role",
                "ROL002",
                party=party,
                role=role["id"],
                title=role.get("title"),
                bounds=f"{role.get('start')} to {role.get('end') or 'no known end'}",
                event=event,
                date=_fmt(when),
                kind=kind,
            )
