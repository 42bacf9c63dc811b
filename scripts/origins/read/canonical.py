"""Canonical CSV form, so that diffs show only real changes.

UTF-8 without BOM, LF line ends, the header in schema order, rows sorted by primary key,
minimal quoting, no spaces around cells, no blank lines. `canonical(table)` is idempotent.
"""

from __future__ import annotations

import csv
import io

from origins.read.package import Dataset, Table


def formattable(table: Table) -> bool:
    """Only a readable, regular file whose columns are the schema's can be rewritten safely;
    anything else has schema findings (SCH003/4/8/9-13) to fix first."""
    return (
        table.readable
        and not table.irregular
        and sorted(table.header) == sorted(table.fields)
        and len(set(table.header)) == len(table.header)
    )


def is_canonical(table: Table) -> bool:
    """Whether the file as read is already canonical, decided on columns (the common case).

    A file pyarrow read exactly (`Table.exact`, origins.read.cells) is already the minimal-quoting
    serialisation of its cells with the header in schema order, LF line ends and no blank line;
    what is left is the row order and spaces around cells. False may be wrong (the caller then
    compares with `canonical`); True never is."""
    return table.exact and not table.bom and in_key_order(table) and not padded(table)


def in_key_order(table: Table) -> bool:
    """Whether the rows are sorted by primary key (string order, as `canonical` sorts)."""
    import pyarrow.compute as pc

    from origins.core.columns import FALSE, TRUE

    if table.num_rows < 2 or not table.primary_key:
        return True
    after, equal = FALSE, TRUE
    for name in table.primary_key:
        cells = table.cells(name)
        prev, cur = cells.slice(0, len(cells) - 1), cells.slice(1)
        after = pc.or_(after, pc.and_(equal, pc.greater(prev, cur)))
        equal = pc.and_(equal, pc.equal(prev, cur))
    return not pc.any(after).as_py()


def padded(table: Table) -> bool:
    """Whether some cell starts or ends with whitespace (str.isspace, as `canonical` strips)."""
    import pyarrow.compute as pc

    for name in table.arrow.column_names:
        cells = table.cells(name)
        first = pc.unique(pc.utf8_slice_codeunits(cells, 0, 1)).to_pylist()
        last = pc.unique(pc.utf8_slice_codeunits(cells, -1, 2**31 - 1)).to_pylist()
        if any(c and c.isspace() for c in {*first, *last}):
            return True
    return False


def canonical(table: Table) -> str:
    names = list(table.fields)
    rows = [[(r.get(n) or "").strip().replace("\r\n", "\n") for n in names] for r in table.rows]
    keys = [names.index(k) for k in table.primary_key]
    rows.sort(key=lambda row: [row[k] for k in keys])
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(names)
    w.writerows(rows)
    return out.getvalue()


def first_difference(text: str, want: str) -> int:
    """1-based physical line of the first difference between two texts."""
    a, b = text.split("\n"), want.split("\n")
    for i, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            return i
    return min(len(a), len(b))


def format_dataset(ds: Dataset) -> list[str]:
    """Rewrite every non-canonical CSV in place; return the paths changed."""
    changed = []
    for table in ds.tables.values():
        if not formattable(table):
            changed.append(f"skipped {table.path}: fix its schema findings first (make validate)")
            continue
        want = canonical(table)
        if table.bom or table.text != want:
            (ds.root / table.path).write_text(want, encoding="utf-8", newline="")
            changed.append(f"formatted {table.path}")
    return changed
