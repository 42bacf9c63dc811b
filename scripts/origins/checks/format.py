"""File layout: every CSV in canonical form (see origins.read.canonical)."""

from __future__ import annotations

from origins.checks.registry import check
from origins.core.codes import Code
from origins.read.canonical import canonical, first_difference, formattable, is_canonical


@check(
    Code(
        "FMT001",
        "not-canonical",
        "A CSV file is not in canonical form (BOM, CRLF, column or row order, quoting, spaces).",
        {
            "bom": "file starts with a byte-order mark; run `make fmt`",
            "from": "file is not in canonical form from this line ({why}); run `make fmt`",
        },
    ),
    needs="*",
)
def not_canonical(ds, ctx, r):
    for table in ds.tables.values():
        if not formattable(table) or is_canonical(table):
            continue
        want = canonical(table)
        if table.bom:
            yield r.at(table.path, 1, 0, "FMT001", "bom")
        elif (text := table.text) != want:  # the quick test above may refuse a canonical file; this one decides
            line = first_difference(text, want)
            why = "CRLF line ends" if "\r\n" in text else "row order, quoting, spaces or blank lines"
            yield r.at(table.path, line, 0, "FMT001", "from", why=why)
