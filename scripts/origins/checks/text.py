"""Free-text hygiene: no spreadsheet formulas, no stray spaces."""

from __future__ import annotations

from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.columns import strings
from origins.read.meaning import FORMULA_START


@check(
    Code(
        "TXT001",
        "formula-injection",
        "A cell of a field marked x-free-text starts with =, +, - or @ and would run as a spreadsheet formula.",
        "{column} starts with {first!r}, which spreadsheets run as a formula; reword it so it starts with a letter "
        "or digit",
    ),
    needs="*",
)
def formula_injection(ds, ctx, r):
    for name, t in ds.tables.items():
        for column in (c for c in ds.meaning.tables[name].names("free_text") if c in t.header):
            for i in r.where(name, starts_with(ds.column(name, column), FORMULA_START)):
                yield r.report(name, i, column, "TXT001", column=column, first=t.cell(i, column)[0])


@check(
    Code(
        "TXT002",
        "surrounding-space",
        "A cell has spaces or line breaks at its start or end.",
        "{column} {start!r} has spaces or line breaks around it; remove them",
    ),
    needs="*",
)
def surrounding_space(ds, ctx, r):
    for name, t in ds.tables.items():
        for column in t.arrow.column_names:
            for i in r.where(name, padded(ds.column(name, column))):
                yield r.report(name, i, column, "TXT002", column=column, start=t.cell(i, column).strip()[:40])


def starts_with(cells, prefixes: tuple[str, ...]):
    """Which cells start with one of `prefixes` (Arrow booleans)."""
    import pyarrow.compute as pc

    return pc.is_in(pc.utf8_slice_codeunits(cells, 0, 1), value_set=strings(list(prefixes)))


def padded(cells):
    """Which cells start or end with whitespace as str.strip sees it (Arrow booleans): the distinct
    first and last characters are asked in Python, the rows found by a hash lookup."""
    import pyarrow.compute as pc

    first, last = pc.utf8_slice_codeunits(cells, 0, 1), pc.utf8_slice_codeunits(cells, -1, 2**31 - 1)
    spaces = {c for c in pc.unique(first).to_pylist() + pc.unique(last).to_pylist() if c and c.isspace()}
    if not spaces:
        return pc.is_in(first, value_set=strings([]))
    found = strings(sorted(spaces))
    return pc.or_(pc.is_in(first, value_set=found), pc.is_in(last, value_set=found))
