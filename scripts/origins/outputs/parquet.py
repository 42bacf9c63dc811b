"""Parquet: one typed file per table (zstd, sorted by primary key, column meanings in field metadata)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from origins.outputs.registry import Build, Described, output
from origins.outputs.tables import arrow_table, file_metadata, with_quote_checks
from origins.read.arrow import table_schema_of


def write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(
        table,
        path,
        compression="zstd",
        write_statistics=True,
        use_dictionary=True,
        version="2.6",
        store_schema=True,
    )


def keys(table) -> dict:
    """The primary and foreign keys a published Table Schema keeps from the raw one."""
    out = {"primaryKey": table.primary_key}
    if table.schema.get("foreignKeys"):
        out["foreignKeys"] = table.schema["foreignKeys"]
    return out


def resource_text(b: Build, name: str) -> tuple[str, str]:
    """A table's title and description, as the package descriptor gives them."""
    res = next(r for r in b.ds.descriptor["resources"] if r["name"] == name)
    return res.get("title", name), res.get("description", "")


@output(
    "parquet",
    "{table}.parquet",
    "application/vnd.apache.parquet",
    rank=10,
    each="table",
    format="parquet",
    card="`<table>.parquet`: one typed Parquet file per table (zstd, sorted by primary key).",
)
def parquet(b: Build, path: Path, table: str) -> Described:
    at = arrow_table(b.ds.root, b.ds.tables[table], file_metadata(b.ds, table))
    if table == "citations":  # the one table the quote verification stage adds columns to
        at = with_quote_checks(at, b.quotes)
    b.typed[table] = at
    write_parquet(at, path)
    title, description = resource_text(b, table)
    return Described(
        table, table_schema_of(at.schema, native_lists=True) | keys(b.ds.tables[table]), title, description
    )
