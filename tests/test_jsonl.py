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

from origins.outputs import copies

TYPES = {
    "text": pa.string(),
    "kind": pa.dictionary(pa.int32(), pa.string()),
    "tags": pa.list_(pa.string()),
    "n": pa.int64(),
    "flag": pa.bool_(),
    "day": pa.date32(),
    "amount": pa.decimal128(18, 2),
}

# every control character, quotes, backslashes, line and paragraph separators, astral characters
text = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["", '"', "\\", "\x00\x1f\x7f"])
cells = {
    "text": st.none() | text,
    "kind": st.none() | st.sampled_from(["a", 'q"', "é"]),
    "tags": st.none() | st.lists(text, max_size=3),
    "n": st.none() | st.integers(-(2**63), 2**63 - 1),
    "flag": st.none() | st.booleans(),
    "day": st.none() | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    "amount": st.none() | st.decimals(-(10**15), 10**15, places=2, allow_nan=False, allow_infinity=False),
}
rows = st.lists(st.fixed_dictionaries(cells), max_size=30)


def table(rs: list[dict]) -> pa.Table:
    columns = {name: [r[name] for r in rs] for name in TYPES}
    return pa.table(
        {
            name: pa.array(values, pa.string()).dictionary_encode() if name == "kind" else pa.array(values, TYPES[name])
            for name, values in columns.items()
        }
    )


def by_json_module(t: pa.Table) -> bytes:
    def plain(v):
        return str(v) if isinstance(v, (dt.date, Decimal)) else v

    return b"".join(
        (json.dumps({k: plain(v) for k, v in r.items()}, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        for r in t.to_pylist()
    )


@settings(max_examples=150, deadline=None)
@given(rows, st.sampled_from([1, 2, 7, 1 << 16]))
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
