"""References a Table Schema foreign key cannot express: ids that may name two tables."""

from __future__ import annotations

from ..findings import ID_CUTOFF, did_you_mean, quoted
from . import check

PARTY_FIELDS = [
    ("participants", "party_id"),
    ("claims", "claimant"),
    ("figures", "payer"),
    ("figures", "payee"),
]


def party_exists(ds, value: str) -> bool:
    table = {"per": "people", "org": "organizations"}.get(value.split("-", 1)[0])
    return table is not None and value in ds.index.get(table, {})


@check(
    "REF001",
    "unknown-party",
    "A person or organization id (party_id, claimant, payer, payee) names no row of people or organizations.",
)
def unknown_party(ds, ctx):
    parties: list[str] = []  # every known id, gathered at the first unknown one, for "did you mean"
    for table, column in PARTY_FIELDS:
        if table not in ds.tables:
            continue
        for i, row in enumerate(ds.tables[table].rows):
            value = row.get(column) or ""
            if value and not party_exists(ds, value):
                parties = parties or [*ds.index.get("people", {}), *ds.index.get("organizations", {})]
                yield ds.finding(
                    table,
                    i,
                    column,
                    "REF001",
                    f"{column} {quoted(value)} is neither in people.csv nor in organizations.csv"
                    f"{did_you_mean(value, parties, ID_CUTOFF)}; add that person or organization first, or fix the id",
                )
