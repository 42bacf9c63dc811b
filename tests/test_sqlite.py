"""SQLite written from Arrow: rows carried in as JSON texts that SQLite unpacks (json_each), the
same stored values, and so the same file, as binding each row's Python values (`executemany`, the
path where SQLite has no JSON functions); and written beside the other outputs, in its own thread,
without outliving a build that fails."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arrow_tables import rows, table
from origins.outputs import sqlite as S
from origins.read.meaning import Meaning

SCHEMA = {
    "primaryKey": ["id"],
    "fields": [{"name": n} for n in ("id", "text", "kind", "tags", "n", "flag", "day", "amount")],
}


def written(tmp_path, t: pa.Table, json: bool, monkeypatch) -> bytes:
    monkeypatch.setattr(S, "_has_json", lambda con: json)
    path = tmp_path / f"{json}.sqlite"
    S.write_sqlite(path, {"things": t}, {"things": SCHEMA}, Meaning.parse({"things": SCHEMA}))
    return path.read_bytes()


@settings(max_examples=60, deadline=None)
@given(rows(min_size=1, max_size=25), st.sampled_from([1, 3, 1 << 16]))
def test_json_texts_store_what_binding_stores(tmp_path_factory, rs, batch):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(S, "_BATCH", batch)
        tmp = tmp_path_factory.mktemp("s")
        t = table(rs, ids=True)
        by_json, by_rows = written(tmp, t, True, mp), written(tmp, t, False, mp)
    assert by_json == by_rows
    stored = sqlite3.connect(tmp / "True.sqlite").execute("SELECT * FROM things ORDER BY rowid").fetchall()
    assert [r[0] for r in stored] == t.column("id").to_pylist()


def test_the_stored_values(tmp_path, monkeypatch):
    t = table(
        [
            {
                "text": 'a "b"\n\\',
                "kind": "é",
                "tags": ["x", 'y"'],
                "n": -3,
                "flag": True,
                "day": dt.date(2015, 12, 11),
                "amount": Decimal("425000.00"),
            },
            {"text": None, "kind": None, "tags": [], "n": None, "flag": False, "day": None, "amount": Decimal("1.50")},
        ],
        ids=True,
    )
    written(tmp_path, t, True, monkeypatch)
    con = sqlite3.connect(tmp_path / "True.sqlite")
    got = con.execute("SELECT text, kind, tags, n, flag, day, amount, typeof(amount) FROM things").fetchall()
    assert got == [
        ('a "b"\n\\', "é", '["x", "y\\""]', -3, 1, "2015-12-11", 425000, "integer"),
        (None, None, "[]", None, 0, None, 1.5, "real"),
    ]


def test_a_failing_output_stops_the_sqlite_thread_and_is_the_error_reported(minimal, tmp_path, monkeypatch):
    """The SQLite writer waits for each typed table; when another writer fails first, the build
    raises that writer's error (not the waiting thread's), promptly, and no thread is left behind."""
    import dataclasses
    import threading

    from origins.outputs import write_outputs
    from origins.outputs.registry import REGISTRY
    from origins.read.package import load

    def broken(b, path, table):
        if table == "events":
            raise RuntimeError("the CSV copy of events failed")
        return csv_copy(b, path, table)

    csv_copy = REGISTRY["csv"].write
    monkeypatch.setitem(REGISTRY, "csv", dataclasses.replace(REGISTRY["csv"], write=broken))
    with pytest.raises(RuntimeError, match="CSV copy of events"):
        write_outputs(load(minimal), tmp_path)
    assert not [t for t in threading.enumerate() if t.name.startswith("output")]


def test_a_nul_in_a_text_cell_is_stored_whole(tmp_path, monkeypatch):
    """SQLite's JSON functions end a string at a NUL; a table with one goes in row by row."""
    row = {"text": "a\x00b", "kind": None, "tags": ["\x00"], "n": 1, "flag": None, "day": None, "amount": None}
    t = table([row], ids=True)
    assert S._holds_nul(t) and not S._holds_nul(table([row | {"text": "ab"}], ids=True))
    assert written(tmp_path, t, True, monkeypatch) == written(tmp_path, t, False, monkeypatch)
    stored = sqlite3.connect(tmp_path / "True.sqlite").execute("SELECT text, tags FROM things").fetchall()
    assert stored == [("a\x00b", '["\\u0000"]')]
