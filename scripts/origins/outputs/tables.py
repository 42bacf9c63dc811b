"""The tables as published: each validated CSV read once by Arrow's CSV reader with the types its
Table Schema declares (never inferred), lists split, EDTF columns given their earliest, latest and
precision, citations joined to what the quote verification stage found. Every table-shaped output
writes from these."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from origins.core.columns import combined, dates, strings
from origins.core.edtf import parse
from origins.read.arrow import DECIMAL, arrow_schema, field_meta
from origins.read.package import DESCRIPTOR, Dataset


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_metadata(ds: Dataset, resource: str) -> dict[str, str]:
    d = ds.descriptor
    version = d.get("version", "")
    lic = ", ".join(x.get("name", "") for x in d.get("licenses", []))
    return {
        "package": d.get("name", ""),
        "version": version,
        "resource": resource,
        "license": lic,
        "citation": f"{d.get('title', d.get('name'))}, version {version}. Licence {lic}.",
        "source_descriptor_sha256": sha256(ds.root / DESCRIPTOR),
    }


def _csv_types(table) -> dict[str, pa.DataType]:
    """What pyarrow's CSV reader should parse each column as (lists are split afterwards)."""
    kinds = {"number": DECIMAL, "boolean": pa.bool_(), "date": pa.date32(), "integer": pa.int64()}
    return {f["name"]: kinds.get(f.get("type"), pa.string()) for f in table.schema["fields"]}


def read_typed(root: Path, table) -> pa.Table:
    """The validated CSV, parsed by Arrow's C++ reader with the schema's types (not inferred)."""
    names = [f["name"] for f in table.schema["fields"]]
    convert = pacsv.ConvertOptions(
        column_types=_csv_types(table),
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        true_values=["true"],
        false_values=["false"],
        include_columns=names,
    )
    with (root / table.path).open("rb") as fh:
        data = pacsv.read_csv(
            fh, read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 22), convert_options=convert
        )
    return data.sort_by([(k, "ascending") for k in table.primary_key]) if data.num_rows else data


def _edtf_columns(values: pa.ChunkedArray) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Earliest, latest and precision of an EDTF column, parsing each distinct string once."""
    distinct = pc.unique(values).drop_null()
    spans = [parse(v) for v in distinct.to_pylist()]
    idx = pc.index_in(values, value_set=distinct)
    earliest = dates([s.earliest for s in spans])
    latest = dates([s.latest for s in spans])
    precision = strings([s.precision for s in spans])
    return tuple(pc.take(a, idx) for a in (earliest, latest, precision))


def arrow_table(root: Path, table, metadata: dict[str, str]) -> pa.Table:
    schema = arrow_schema(table.schema, metadata)
    data = read_typed(root, table)
    columns: dict[str, pa.ChunkedArray] = {}
    for field in table.schema["fields"]:
        name = field["name"]
        col = data.column(name)
        if field.get("type") == "list":
            col = pc.split_pattern(col, pattern=field.get("delimiter", ","))
        columns[name] = col
        if field.get("x-edtf"):
            columns[f"{name}_earliest"], columns[f"{name}_latest"], columns[f"{name}_precision"] = _edtf_columns(col)
    arrays = []
    for f in schema:
        col = columns[f.name]
        if pa.types.is_dictionary(f.type):
            col = pc.dictionary_encode(col.cast(pa.string())).cast(f.type)
        arrays.append(col.cast(f.type) if not pa.types.is_dictionary(f.type) else col)
    return pa.Table.from_arrays(arrays, schema=schema)


QUOTE_CHECK_FIELDS = (
    pa.field(
        "quote_verified",
        pa.bool_(),
        metadata=field_meta(
            "Whether the quote was found in its source's archived text (same sha256 as sources.sha256) "
            "after the documented normalisation; false: a quote without an archived text here; empty: no quote."
        ),
    ),
    pa.field(
        "quote_offset",
        pa.int64(),
        metadata=field_meta(
            "Character offset (0-based, Unicode code points) where the verified quote begins in the archived text; "
            "empty unless quote_verified."
        ),
    ),
)


def with_quote_checks(at: pa.Table, quotes: pa.Table | None) -> pa.Table:
    """citations.parquet with what the quote verification stage found for each quote (its table,
    keyed by the citations' primary key; origins.archive.verify), joined in Arrow, row order kept."""
    keys = ["row_id", "source_id", "locator"]
    if quotes is None or quotes.num_rows == 0:
        found = {f.name: pa.nulls(at.num_rows, f.type) for f in QUOTE_CHECK_FIELDS}
    else:  # a hash lookup on the whole key (a join without Acero, whose import pulls in pandas)
        at_ = pc.index_in(_key(at, keys), value_set=_key(quotes, keys))
        found = {f.name: pc.take(quotes.column(f.name), at_) for f in QUOTE_CHECK_FIELDS}
    for field in QUOTE_CHECK_FIELDS:
        at = at.append_column(field, found[field.name].cast(field.type))
    return at


def _key(table: pa.Table, names: list[str]) -> pa.Array:
    """One string per row that equals another row's only when every column does: each cell
    prefixed with its length (so no separator can be confused with a cell's text); null when a
    cell is null, so that, as in a join, a null key matches nothing."""
    parts = []
    for name in names:
        cell = combined(table.column(name)).cast(pa.string())
        parts += [pc.cast(pc.utf8_length(cell), pa.string()), cell]
    return pc.binary_join_element_wise(*parts, strings([":"])[0])


def typed_tables(ds: Dataset, quotes: pa.Table | None = None) -> dict[str, pa.Table]:
    """Every table typed as published, in descriptor order (the citations with the quote checks of
    `quotes`, empty without it): what a view such as the timeline is computed from."""
    out = {}
    for res in ds.descriptor["resources"]:
        name = res["name"]
        at = arrow_table(ds.root, ds.tables[name], file_metadata(ds, name))
        out[name] = with_quote_checks(at, quotes) if name == "citations" else at
    return out
