"""References a Table Schema foreign key cannot express: ids that may name one of several tables."""

from __future__ import annotations

from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.findings import ID_CUTOFF, clip, did_you_mean


@check(
    Code(
        "REF001",
        "unknown-party",
        "An id in a field marked x-references (party_id, claimant, about_party, payer, payee) names no row of "
        "the tables it may name.",
        "{column} {value!r} is neither in {where}{hint}; add that person or organization first, or fix the id",
    ),
    needs="*",
)
def unknown_party(ds, ctx, r):
    prefix_of = {t: p for p, t in ds.meaning.prefixes.items()}
    for table, column, targets in ds.meaning.references:
        values = ds.column(table, column)
        bad = ds.unresolved(values, {t: prefix_of[t] for t in targets if t in prefix_of})
        if not bad:
            continue
        known = [k for t in targets for k in ds.index.get(t, {})]  # for "did you mean"
        where = " nor in ".join(f"{ds.tables[t].path.rsplit('/', 1)[-1]}" for t in targets if t in ds.tables)
        for i in bad:
            value = values[i].as_py()
            hint = did_you_mean(value, known, ID_CUTOFF)
            yield r.report(table, i, column, "REF001", column=column, value=clip(value), where=where, hint=hint)
