"""References a Table Schema foreign key cannot express: ids that may name one of several tables."""

from __future__ import annotations

from .. import meaning
from ..findings import ID_CUTOFF, did_you_mean, quoted
from .registry import Code, check


@check(
    Code(
        "REF001",
        "unknown-party",
        "An id in a field marked x-references (party_id, claimant, about_party, payer, payee) names no row of the tables it may name.",
    )
)
def unknown_party(ds, ctx, r):
    schemas = meaning.schemas_of(ds)
    for table, column, targets in meaning.references(schemas):
        known: list[str] = []  # every id it may name, gathered at the first unknown one, for "did you mean"
        where = " nor in ".join(f"{ds.tables[t].path.rsplit('/', 1)[-1]}" for t in targets if t in ds.tables)
        for i, row in r.rows(table):
            value = row.get(column) or ""
            target = meaning.table_of_id(schemas, value) if value else None
            if value and (target not in targets or value not in ds.index.get(target, {})):
                known = known or [k for t in targets for k in ds.index.get(t, {})]
                yield r.report(
                    table,
                    i,
                    column,
                    "REF001",
                    f"{column} {quoted(value)} is neither in {where}"
                    f"{did_you_mean(value, known, ID_CUTOFF)}; add that person or organization first, or fix the id",
                )
