"""The same tables as CSV (formula-safe copies of the canonical files) and as JSON Lines."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pyarrow as pa

from origins.outputs.parquet import keys, resource_text
from origins.outputs.registry import Build, Described, output
from origins.outputs.tables import sorted_rows
from origins.read.arrow import table_schema_of
from origins.read.meaning import FORMULA_START

SHARED_LINE = "`csv/<table>.csv` and `json/<table>.jsonl`: the same tables as formula-safe CSV and JSON Lines."


def formula_safe(value: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula (OWASP CSV injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value


# where a cell can begin: after a comma or a line end, inside quotes or not (a byte search each)
_CELL_STARTS = [lead + quote + c.encode() for lead in (b",", b"\n") for quote in (b"", b'"') for c in FORMULA_START]


def may_hold_formula(data: bytes) -> bool:
    """Whether some cell of a CSV file could start with a formula character."""
    return data.lstrip(b'"').startswith(tuple(c.encode() for c in FORMULA_START)) or any(
        s in data for s in _CELL_STARTS
    )


def write_csv_copy(root: Path, table, path: Path) -> None:
    """The canonical CSV as it is when no cell could run as a formula, else rewritten safely."""
    source = root / table.path
    if not may_hold_formula(source.read_bytes()):
        shutil.copyfile(source, path)
        return
    names = [f["name"] for f in table.schema["fields"]]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(names)
        for r in sorted_rows(table):
            w.writerow([formula_safe(r.get(n, "")) for n in names])


def write_jsonl(table: pa.Table, path: Path) -> None:
    """One JSON object a line; decimals as strings (exact), dates as ISO strings."""
    import polars as pl

    pl.from_arrow(table).write_ndjson(path)


@output("csv", "csv/{table}.csv", "text/csv", rank=20, each="table", format="csv", card=SHARED_LINE)
def csv_copy(b: Build, path: Path, table: str) -> Described:
    write_csv_copy(b.ds.root, b.ds.tables[table], path)
    title, description = resource_text(b, table)
    return Described(
        f"{table}-csv", dict(b.ds.tables[table].schema), f"{title} (CSV)", description + " Formula-safe CSV copy."
    )


@output("jsonl", "json/{table}.jsonl", "application/jsonl", rank=30, each="table", format="jsonl", card=SHARED_LINE)
def json_lines(b: Build, path: Path, table: str) -> Described:
    at = b.typed[table]
    write_jsonl(at, path)
    title, description = resource_text(b, table)
    schema = table_schema_of(at.schema) | keys(b.ds.tables[table])
    return Described(f"{table}-jsonl", schema, f"{title} (JSON Lines)", description + " One JSON object a line.")
