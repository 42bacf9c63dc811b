"""The build stage: validated CSVs -> typed Parquet, CSV and JSON Lines copies, a timeline
view, SQLite, metadata and build/datapackage.json, written into a folder the caller gives
(origins.pipeline writes a temporary one and `install`s it).

Nothing in the outputs depends on the clock or the machine, so two builds of one commit
are byte-identical.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from origins.core.edtf import parse
from origins.outputs.card import card_markdown
from origins.outputs.sqlite import FILENAME as SQLITE_FILE
from origins.outputs.sqlite import datasette_metadata, write_sqlite
from origins.outputs.timeline import timeline_table
from origins.read.arrow import DECIMAL, arrow_schema, field_meta, table_schema_of
from origins.read.meaning import FORMULA_START
from origins.read.package import DESCRIPTOR, Dataset
from origins.release.citation import croissant, schema_org

# committed files inside build/ that a build carries over: .gitkeep keeps the fixed top-level
# folder in a fresh clone (README.md there is the generated dataset card, not committed)
KEEP: tuple[str, ...] = (".gitkeep",)


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


def sorted_rows(table) -> list[dict[str, str]]:
    pk = table.primary_key
    return sorted(table.rows, key=lambda r: tuple(r.get(k, "") for k in pk))


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
    earliest = pa.array([s.earliest for s in spans], pa.date32())
    latest = pa.array([s.latest for s in spans], pa.date32())
    precision = pa.array([s.precision for s in spans], pa.string())
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


def with_quote_checks(at: pa.Table, ds: Dataset, quotes: list) -> pa.Table:
    """citations.parquet with what validate found for each quote (archive.verify_quotes), in row order."""
    rows = ds.tables["citations"].rows
    found = {
        (r.get("row_id"), r.get("source_id"), r.get("locator")): q for r, q in zip(rows, quotes, strict=False) if q
    }
    keys = zip(*(at.column(c).to_pylist() for c in ("row_id", "source_id", "locator")), strict=True)
    checks = [found.get(k) for k in keys]
    verified = [None if q is None else q.status == "verified" for q in checks]
    offset = [q.start if q is not None and q.status == "verified" else None for q in checks]
    arrays = [pa.array(verified, pa.bool_()), pa.array(offset, pa.int64())]
    for field, array in zip(QUOTE_CHECK_FIELDS, arrays, strict=True):
        at = at.append_column(field, array)
    return at


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


def resource_entry(
    name: str, rel: str, path: Path, fmt: str, mediatype: str, schema: dict, title: str, description: str
) -> dict:
    """One resource of build/datapackage.json, described so that `frictionless validate` checks it as shipped.

    A Parquet file has its sha256 but no `bytes`: frictionless reads Parquet with pyarrow from
    the path, not through a byte stream, so it measures neither and reports any declared size
    as wrong ("actual is None"); the hashes are checked by the tests and by SHA256SUMS in the
    release. A JSON Lines file without rows is a `file` (checked by size and hash): frictionless
    needs a header to read a table, and JSON Lines objects have none until the first row.
    """
    empty_lines = fmt == "jsonl" and path.stat().st_size == 0
    entry = {
        "name": name,
        "type": "file" if empty_lines else "table",
        "title": title,
        "description": description,
        "path": rel,
        "format": fmt,
        "mediatype": mediatype,
    }
    if fmt != "parquet":
        entry.update({"encoding": "utf-8", "bytes": path.stat().st_size})
    entry.update({"hash": f"sha256:{sha256(path)}", "schema": schema})
    return entry


def temporal_coverage(timeline: pa.Table) -> str:
    """The years the events span, as an ISO 8601 interval of years ('2014/2026'), from the data."""
    first = pc.min(timeline["date_earliest"]).as_py()
    last = pc.max(pc.coalesce(timeline["date_latest"], timeline["date_earliest"])).as_py()
    return f"{first.year}/{last.year}" if first and last else ""


def write_outputs(ds: Dataset, out: Path, quotes: list | None = None, cite: dict | None = None) -> None:
    resources = []
    typed: dict[str, pa.Table] = {}
    (out / "csv").mkdir()
    (out / "json").mkdir()
    for res in ds.descriptor["resources"]:
        name = res["name"]
        table = ds.tables[name]
        at = arrow_table(ds.root, table, file_metadata(ds, name))
        if name == "citations":
            at = with_quote_checks(at, ds, quotes or [])
        typed[name] = at
        pq_path = out / f"{name}.parquet"
        write_parquet(at, pq_path)
        keys = {"primaryKey": table.primary_key}
        if table.schema.get("foreignKeys"):
            keys["foreignKeys"] = table.schema["foreignKeys"]
        schema = table_schema_of(at.schema, native_lists=True) | keys
        title, desc = res.get("title", name), res.get("description", "")
        resources.append(
            resource_entry(
                name,
                f"{name}.parquet",
                pq_path,
                "parquet",
                "application/vnd.apache.parquet",
                schema,
                title,
                desc,
            )
        )
        csv_path = out / "csv" / f"{name}.csv"
        write_csv_copy(ds.root, table, csv_path)
        resources.append(
            resource_entry(
                f"{name}-csv",
                f"csv/{name}.csv",
                csv_path,
                "csv",
                "text/csv",
                dict(table.schema),
                f"{title} (CSV)",
                desc + " Formula-safe CSV copy.",
            )
        )
        jl_path = out / "json" / f"{name}.jsonl"
        write_jsonl(at, jl_path)
        resources.append(
            resource_entry(
                f"{name}-jsonl",
                f"json/{name}.jsonl",
                jl_path,
                "jsonl",
                "application/jsonl",
                table_schema_of(at.schema) | keys,
                f"{title} (JSON Lines)",
                desc + " One JSON object a line.",
            )
        )
    tl = timeline_table(ds, file_metadata(ds, "timeline"), typed)
    tl_path = out / "timeline.parquet"
    write_parquet(tl, tl_path)
    resources.append(
        resource_entry(
            "timeline",
            "timeline.parquet",
            tl_path,
            "parquet",
            "application/vnd.apache.parquet",
            table_schema_of(tl.schema, native_lists=True),
            "Timeline",
            "One row per event, in date order, with its participants, figures and citations (a denormalised view).",
        )
    )
    d = ds.descriptor
    package = {
        k: d[k]
        for k in (
            "$schema",
            "id",
            "name",
            "title",
            "description",
            "version",
            "created",
            "keywords",
            "licenses",
            "contributors",
            "sources",
            "x-site",
        )
        if k in d
    }
    if cite:
        package["x-cite"] = cite  # the release to cite (and rows changed since), for the card and the site
    package["resources"] = resources
    (out / DESCRIPTOR).write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sizes = {r["path"]: (out / r["path"]).stat().st_size for r in resources}
    schemas = typed | {"timeline": tl}
    docs = {
        "croissant.json": croissant(d, package, {k: t.schema for k, t in schemas.items()}, sizes),
        "dataset.jsonld": schema_org(d, package, sizes, temporal_coverage(tl)),
    }
    docs["metadata.json"] = datasette_metadata(d, typed)
    for name, doc in docs.items():
        (out / name).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_sqlite(out / SQLITE_FILE, typed, {name: ds.tables[name].schema for name in typed})
    described = {r["name"]: r["description"] for r in resources}
    counts = {name: t.num_rows for name, t in schemas.items()}
    (out / "README.md").write_text(card_markdown(d, counts, described, cite), encoding="utf-8")


def install(tmp: Path, out: Path) -> None:
    """Move a finished build from `tmp` to `out` (carrying over the KEEP files), replacing any old one.

    The old build is renamed aside first, so that `out` holds either the old or the new build,
    never a half-written one."""
    for keep in KEEP:
        if (out / keep).is_file():
            shutil.copy2(out / keep, tmp / keep)
    old = out.with_name(f".{out.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
