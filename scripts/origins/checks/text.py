"""Free-text hygiene: no spreadsheet formulas, no stray spaces."""

from __future__ import annotations

from origins.checks.registry import check
from origins.core.codes import Code
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
        columns = [c for c in ds.meaning.tables[name].names("free_text") if c in t.header]
        for i, row in r.rows(name):
            for column in columns:
                value = row.get(column) or ""
                if value.startswith(FORMULA_START):
                    yield r.report(name, i, column, "TXT001", column=column, first=value[0])


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
    for name in ds.tables:
        for i, row in r.rows(name):
            for column, value in row.items():
                if value and value != value.strip():
                    yield r.report(name, i, column, "TXT002", column=column, start=value.strip()[:40])
