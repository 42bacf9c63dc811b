"""SQLite for Datasette: every table in one file, with its keys, full-text search and metadata.

Journalists browse and query data through Datasette (`datasette build/openai-origins.sqlite
-m build/metadata.json`). The file is written from the typed Arrow tables the build already
made, so it holds exactly what the Parquet files hold; column types, primary and foreign keys
and every description come from the Table Schemas through those tables. Nothing depends on
the clock: the same rows inserted in the same order and a final VACUUM give the same bytes.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from origins.core import jsontext
from origins.core.columns import strings
from origins.outputs.registry import Build, output
from origins.read.meaning import Meaning

FILENAME = "openai-origins.sqlite"
DATABASE = FILENAME.removesuffix(".sqlite")  # the name Datasette gives the database


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def column_type(t: pa.DataType) -> str:
    """SQLite type of an Arrow column: money NUMERIC (so sum() works), lists as JSON TEXT."""
    t = t.value_type if pa.types.is_dictionary(t) else t
    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        return "INTEGER"
    if pa.types.is_decimal(t):
        return "NUMERIC"
    return "TEXT"


def cell(value):
    """A Python value from Arrow as SQLite stores it: ISO dates, decimal strings, JSON lists."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def column_values(col: pa.ChunkedArray) -> list:
    """A column as SQLite stores it (see `cell`), converted by Arrow a whole column at a time:
    Python objects are made only for list cells, which become JSON text."""
    t = col.type
    if pa.types.is_dictionary(t):
        col, t = col.cast(t.value_type), t.value_type
    if pa.types.is_boolean(t):
        return col.cast(pa.int64()).to_pylist()
    if pa.types.is_date(t) or pa.types.is_decimal(t):
        return col.cast(pa.string()).to_pylist()
    if pa.types.is_list(t) or pa.types.is_struct(t):
        return [cell(v) for v in col.to_pylist()]
    return col.to_pylist()


_BATCH = 1 << 16  # rows a JSON text carries into SQLite


def sql_literals(values) -> pa.Array:
    """A column as JSON literals of what SQLite stores (see `cell`): 1 and 0 for booleans, ISO dates
    and decimal strings as strings, a list as the JSON text of the list (a string), null as null."""
    values, t = jsontext.plain(values)
    if pa.types.is_boolean(t):
        return pc.fill_null(values.cast(pa.int64()).cast(pa.string()), jsontext.NULL)
    if pa.types.is_integer(t):
        return pc.fill_null(values.cast(pa.string()), jsontext.NULL)
    if pa.types.is_date(t) or pa.types.is_decimal(t):
        return jsontext.quoted(values.cast(pa.string()))
    if pa.types.is_string(t):
        return jsontext.quoted(values)
    if pa.types.is_list(t) and pa.types.is_string(t.value_type):
        return jsontext.quoted(jsontext.joined_lists(values, ", "))  # json.dumps's separator
    return strings([json.dumps(cell(v), ensure_ascii=False) for v in values.to_pylist()])


def json_rows(batch) -> str:
    """A batch of rows as one JSON array of arrays, built by Arrow."""
    pieces: list = []
    for k, column in enumerate(batch.columns):
        pieces += ["[" if k == 0 else ",", sql_literals(column)]
    rows = jsontext.concatenated(jsontext.joined([*pieces, "],"]))
    return "[" + str(rows[:-1], "utf-8") + "]"


def insert_rows(con: sqlite3.Connection, name: str, table: pa.Table) -> None:
    """Insert `table` in order: as JSON texts that SQLite unpacks itself (json_each), so the inserts
    run with Python's lock released; row by row (`executemany`) where SQLite has no JSON functions
    or a text cell holds a NUL (`_holds_nul`).
    The values stored are the same either way (tested), so the file's bytes are too."""
    n = table.num_columns
    if _has_json(con) and not _holds_nul(table):
        picked = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(n))
        sql = f"INSERT INTO {quote(name)} SELECT {picked} FROM json_each(?)"
        for batch in table.to_batches(max_chunksize=_BATCH):
            if batch.num_rows:
                con.execute(sql, (json_rows(batch),))
        return
    marks = ", ".join("?" for _ in range(n))
    rows = zip(*(column_values(c) for c in table.columns), strict=True)
    con.executemany(f"INSERT INTO {quote(name)} VALUES ({marks})", rows)


def _holds_nul(table: pa.Table) -> bool:
    """Whether a text cell holds a NUL character: SQLite's JSON functions end a string there, where a
    bound value keeps it, so such a table is inserted row by row (a list's NUL is escaped in its
    JSON text, so only plain text columns are looked at)."""
    for column in table.columns:
        for chunk in column.chunks:
            values, t = jsontext.plain(chunk)
            data = values.buffers()[2] if pa.types.is_string(t) else None
            if data is not None and np.frombuffer(data, np.uint8).min(initial=1) == 0:
                return True
    return False


def _has_json(con: sqlite3.Connection) -> bool:
    try:
        con.execute("SELECT json_extract('[1]', '$[0]')")
    except sqlite3.OperationalError:
        return False
    return True


def create_table_sql(name: str, schema: pa.Schema, table_schema: dict) -> str:
    cols = [f"  {quote(f.name)} {column_type(f.type)}{'' if f.nullable else ' NOT NULL'}" for f in schema]
    cols.append(f"  PRIMARY KEY ({', '.join(quote(k) for k in table_schema['primaryKey'])})")
    for fk in table_schema.get("foreignKeys", []):
        ref = fk["reference"]
        cols.append(
            f"  FOREIGN KEY ({', '.join(quote(c) for c in fk['fields'])}) REFERENCES "
            f"{quote(ref.get('resource') or name)}({', '.join(quote(c) for c in ref['fields'])})"
        )
    return f"CREATE TABLE {quote(name)} (\n" + ",\n".join(cols) + "\n)"


def full_text_sql(name: str, columns: list[str]) -> list[str]:
    """An external-content FTS5 index, which Datasette finds by its content= table."""
    fts = quote(f"{name}_fts")
    cols = ", ".join(quote(c) for c in columns)
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content={quote(name)}, tokenize='porter unicode61')",
        f"INSERT INTO {fts} (rowid, {cols}) SELECT rowid, {cols} FROM {quote(name)}",
    ]


def write_sqlite(path: Path, tables, table_schemas: dict[str, dict], meaning: Meaning) -> Path:
    """Write `tables` (name -> typed Arrow table, in package order; or a callable giving each table by
    name, when it is ready) to a new SQLite file, with full-text search over the columns `meaning`
    marks searchable."""
    table_of = tables if callable(tables) else tables.__getitem__
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    try:
        # A new file, discarded whole if the build fails: no rollback journal and no fsync, and a
        # page cache of 64 MiB (the default 2 MiB makes building the key indexes reread pages).
        # None is stored in the file (the header stays that of a rollback-journal database), so
        # its bytes are those of a default connection; at 100,000 events 8.5 s -> 6.5 s.
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-65536")
        with con:
            for name in table_schemas:
                table = table_of(name)
                con.execute(create_table_sql(name, table.schema, table_schemas[name]))
                insert_rows(con, name, table)
            for name in table_schemas:  # the prose a reader searches: fields marked x-search
                columns = meaning.tables[name].names("search")
                for sql in full_text_sql(name, columns) if columns else ():
                    con.execute(sql)
        con.execute("VACUUM")
    finally:
        con.close()
    return path


def datasette_metadata(descriptor: dict, tables: dict[str, pa.Table]) -> dict:
    """Datasette's metadata.json: title, licence, source, and every table and column described."""
    from origins.release.citation import SPDX_URL, license_id

    lic = license_id(descriptor)
    source = next((s for s in descriptor.get("sources", []) if s.get("path", "").startswith("http")), {})
    resources = {r["name"]: r for r in descriptor["resources"]}
    described = {}
    for name, table in tables.items():
        res = resources.get(name, {})
        described[name] = {
            "title": res.get("title", name),
            "description": res.get("description", ""),
            "columns": {f.name: (f.metadata or {}).get(b"description", b"").decode() for f in table.schema},
        }
    return {
        "title": descriptor["title"],
        "description": descriptor["description"],
        "license": lic,
        "license_url": SPDX_URL.get(lic, descriptor["licenses"][0].get("path", "")),
        "source": source.get("title", descriptor["name"]),
        "source_url": source.get("path", ""),
        "databases": {DATABASE: {"tables": described}},
    }


SQLITE_LINE = (
    f"`{FILENAME}` with `metadata.json`: every table, its keys and full-text search, for\n"
    f"  `datasette {FILENAME} -m metadata.json`."
)


@output("datasette-metadata", "metadata.json", "application/json", rank=130, card=SQLITE_LINE)
def datasette_file(b: Build, path: Path) -> None:
    doc = datasette_metadata(b.ds.descriptor, b.typed)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@output("sqlite", FILENAME, "application/vnd.sqlite3", rank=140, card=SQLITE_LINE, concurrent=True)
def sqlite_file(b: Build, path: Path) -> None:
    """Written beside the other outputs, each table inserted as soon as it is typed (the inserts are
    a third of a build at 100,000 events); the same statements in the same order as alone."""
    schemas = {r["name"]: b.ds.tables[r["name"]].schema for r in b.ds.descriptor["resources"]}
    write_sqlite(path, b.typed_table, schemas, b.ds.meaning)
