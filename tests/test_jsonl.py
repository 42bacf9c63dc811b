"""The JSON Lines copies, written from Arrow columns (origins.outputs.copies.write_jsonl).

Two oracles, on random tables of every column type the published tables have: the standard
library's `json.dumps` row by row (the format's meaning), and polars' `write_ndjson`, which wrote
these files before (the bytes every earlier release has)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arrow_tables import rows, table
from origins.outputs import copies


def by_json_module(t: pa.Table) -> bytes:
    def plain(v):
        return str(v) if isinstance(v, (dt.date, Decimal)) else v

    return b"".join(
        (json.dumps({k: plain(v) for k, v in r.items()}, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        for r in t.to_pylist()
    )


@settings(max_examples=150, deadline=None)
@given(rows(max_size=30), st.sampled_from([1, 2, 7, 1 << 16]))
def test_jsonl_is_json_dumps_of_each_row_and_polars_bytes(tmp_path_factory, rs, batch):
    t = table(rs)
    path = tmp_path_factory.mktemp("j") / "t.jsonl"
    old, copies._BATCH = copies._BATCH, batch
    try:
        copies.write_jsonl(t, path)
    finally:
        copies._BATCH = old
    written = path.read_bytes()
    assert written == by_json_module(t)
    reference = path.with_suffix(".polars")
    pl.from_arrow(t).write_ndjson(reference)
    assert written == reference.read_bytes()


def test_a_slice_and_an_empty_table(tmp_path):
    t = table(
        [
            {
                "text": "x\n",
                "kind": "a",
                "tags": ["\t", ""],
                "n": 1,
                "flag": True,
                "day": dt.date(2015, 12, 11),
                "amount": Decimal("1.50"),
            },
            {"text": None, "kind": None, "tags": None, "n": None, "flag": None, "day": None, "amount": None},
            {
                "text": '"',
                "kind": "é",
                "tags": [],
                "n": -2,
                "flag": False,
                "day": dt.date(1, 1, 1),
                "amount": Decimal("-0.01"),
            },
        ]
    )
    copies.write_jsonl(t.slice(1, 2), tmp_path / "s.jsonl")
    assert (tmp_path / "s.jsonl").read_bytes() == (
        b'{"text":null,"kind":null,"tags":null,"n":null,"flag":null,"day":null,"amount":null}\n'
        + '{"text":"\\"","kind":"é","tags":[],"n":-2,"flag":false,"day":"0001-01-01","amount":"-0.01"}\n'.encode()
    )
    copies.write_jsonl(t.slice(0, 0), tmp_path / "e.jsonl")
    assert (tmp_path / "e.jsonl").read_bytes() == b""


def test_a_column_type_without_a_json_form_is_named(tmp_path):
    with pytest.raises(TypeError, match="double"):
        copies.write_jsonl(pa.table({"x": pa.array([1.5])}), tmp_path / "x.jsonl")
