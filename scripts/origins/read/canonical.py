"""Canonical CSV form, so that diffs show only real changes.

UTF-8 without BOM, LF line ends, the header in schema order, rows sorted by primary key,
minimal quoting, no spaces around cells, no blank lines. `canonical(table)` is idempotent.
"""

from __future__ import annotations

import csv
import io
import re

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


_OVERQUOTED = re.compile(r'(?:^|,)"[^",\r\n]*"(?=,|$)', re.MULTILINE)


def is_canonical(table: Table) -> bool:
    """Whether the file as read is already canonical, without re-serialising it (the common case)."""
    text = table.text
    if table.bom or "\r" in text or table.header != list(table.fields) or not text.endswith("\n") or "\n\n" in text:
        return False
    if _OVERQUOTED.search(text):
        return False
    pk = table.primary_key
    previous = None
    for r in table.rows:
        key = [r.get(k, "") for k in pk]
        if previous is not None and key < previous:
            return False
        previous = key
        for v in r.values():
            if v and (v[0].isspace() or v[-1].isspace()):
                return False
    return True


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
