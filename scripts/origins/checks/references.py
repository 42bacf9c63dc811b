"""References a Table Schema foreign key cannot express: ids that may name one of several tables."""

from __future__ import annotations

from collections import Counter

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


# sources.derived_from orders sources too; CIT003 reports its cycles, in the words of sources.
REPORTED_ELSEWHERE = {("sources", "derived_from")}


def loops(parent: dict[str, str]) -> list[list[str]]:
    """Every cycle of the relation id -> parent[id], each once, starting at its smallest id."""
    found, done = [], set()
    for start in sorted(parent):
        path, node = [], start
        while node in parent and node not in path and node not in done:
            path.append(node)
            node = parent[node]
        if node in path:
            cycle = path[path.index(node) :]
            k = cycle.index(min(cycle))
            found.append(cycle[k:] + cycle[:k])
        done.update(path)
    return found


@check(
    Code(
        "REF002",
        "order-loop",
        "A row refers to itself, or rows refer to each other in a circle, through a column that orders its table "
        "(a foreign key of the table to itself: in_response_to, disputes, parent).",
        {
            "self": "{id} names itself in {column}; a row cannot {verb} itself: name another row or leave it empty",
            "cycle": "{column} goes round in a circle: {cycle}; one of these links is wrong",
        },
    ),
    needs="*",
)
def order_loop(ds, ctx, r):
    verbs = {"in_response_to": "answer", "disputes": "dispute", "parent": "be part of"}
    for table, column in ds.meaning.orders:
        if (table, column) in REPORTED_ELSEWHERE:
            continue
        ids, links = ds.column(table, "id").to_pylist(), ds.column(table, column).to_pylist()
        twice = {i for i, n in Counter(ids).items() if n > 1}  # SCH005 reports them
        parent = {rid: to for rid, to in zip(ids, links, strict=True) if rid and to and rid not in twice}
        for cycle in loops(parent):
            if len(cycle) == 1:
                i, verb = ds.index[table][cycle[0]], verbs.get(column, "precede")
                yield r.report(table, i, column, "REF002", "self", id=cycle[0], column=column, verb=verb)
                continue
            shown = " -> ".join(cycle + cycle[:1])
            for rid in sorted(cycle, key=ds.index[table].get):  # at each row of it: any link may be the wrong one
                yield r.report(table, ds.index[table][rid], column, "REF002", "cycle", column=column, cycle=shown)
