"""The same tables as CSV (formula-safe copies of the canonical files) and as JSON Lines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from origins.core import jsontext
from origins.core.columns import text
from origins.outputs.parquet import keys, resource_text
from origins.outputs.registry import Build, Described, output
from origins.read.arrow import table_schema_of
from origins.read.cells import header, serialised
from origins.read.meaning import FORMULA_START

SHARED_LINE = "`csv/<table>.csv` and `json/<table>.jsonl`: the same tables as formula-safe CSV and JSON Lines."


# where a cell can begin: after a comma or a line end, inside quotes or not (a byte search each)
_CELL_STARTS = [lead + quote + c.encode() for lead in (b",", b"\n") for quote in (b"", b'"') for c in FORMULA_START]


def may_hold_formula(data: bytes) -> bool:
    """Whether some cell of a CSV file could start with a formula character."""
    return data.lstrip(b'"').startswith(tuple(c.encode() for c in FORMULA_START)) or any(
        s in data for s in _CELL_STARTS
    )


def write_csv_copy(root: Path, table, path: Path) -> None:
    """The canonical CSV as it is when no cell could run as a formula, else rewritten safely from
    its columns: sorted by primary key (a stable sort, as the canonical form is), each formula-like
    cell prefixed, serialised as the csv module writes (origins.read.cells.serialised)."""
    source = root / table.path
    if not may_hold_formula(source.read_bytes()):
        shutil.copyfile(source, path)
        return
    names = [f["name"] for f in table.schema["fields"]]
    cells = pa.table({n: table.cells(n) for n in names})
    if table.primary_key and cells.num_rows:
        cells = cells.take(pc.sort_indices(cells, [(k, "ascending") for k in table.primary_key]))
    safe = pa.table({n: formula_safe(cells.column(n)) for n in names})
    path.write_bytes(header(names) + serialised(safe))


_APOSTROPHE = text("'")


def formula_safe(column) -> pa.Array:
    """Every cell of a column that a spreadsheet would run as a formula prefixed with ' (OWASP CSV
    injection)."""
    risky = None
    for start in FORMULA_START:
        starts = pc.starts_with(column, pattern=start)
        risky = starts if risky is None else pc.or_(risky, starts)
    return pc.if_else(risky, pc.binary_join_element_wise(_APOSTROPHE, column, jsontext.NOTHING), column)


_BATCH = 1 << 16


def _pieces(key: str, values: pa.Array) -> list:
    """One column's part of each line: literal text and arrays, joined later in one pass. Strings
    without nulls take their quotes from the literal text around them; null is written `null`."""
    values, t = jsontext.plain(values)
    if pa.types.is_date(t) or pa.types.is_decimal(t):
        values, t = values.cast(pa.string()), pa.string()
    if pa.types.is_string(t):
        if values.null_count == 0:
            return [key + '"', jsontext.escaped(values), '"']
        return [key, jsontext.quoted(values)]
    if pa.types.is_boolean(t):
        return [key, pc.fill_null(pc.if_else(values, text("true"), text("false")), jsontext.NULL)]
    if pa.types.is_integer(t):
        return [key, pc.fill_null(values.cast(pa.string()), jsontext.NULL)]
    if pa.types.is_list(t) and pa.types.is_string(t.value_type):
        return [key, pc.fill_null(jsontext.joined_lists(values, ","), jsontext.NULL)]
    raise TypeError(f"no JSON Lines form for a {t} column")


def write_jsonl(table: pa.Table, path: Path) -> None:
    """One JSON object a line, in the table's column order, written from Arrow columns a batch at a
    time: the same bytes polars' `write_ndjson` gave (tested), without importing polars."""
    keys = [
        ("{" if i == 0 else ",") + json.dumps(n, ensure_ascii=False) + ":" for i, n in enumerate(table.column_names)
    ]
    with path.open("wb") as fh:
        for batch in table.to_batches(max_chunksize=_BATCH):
            if batch.num_rows:
                pieces = [p for key, column in zip(keys, batch.columns, strict=True) for p in _pieces(key, column)]
                fh.write(jsontext.concatenated(jsontext.joined([*pieces, "}\n"])))


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
