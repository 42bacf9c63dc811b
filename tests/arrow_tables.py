"""Random typed tables with every column type the published tables have (strings, dictionaries,
lists of strings, integers, booleans, dates, decimals, nulls everywhere), for the tests of the
writers that turn Arrow columns into text (JSON Lines, SQLite)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import strategies as st

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
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["", '"', "\\", "\x00\x1f\x7f"])


def rows(text=TEXT, **size):
    """Lists of rows (column -> value or None) of the columns of TYPES."""
    cells = {
        "text": st.none() | text,
        "kind": st.none() | st.sampled_from(["a", 'q"', "é"]),
        "tags": st.none() | st.lists(text, max_size=3),
        "n": st.none() | st.integers(-(2**63), 2**63 - 1),
        "flag": st.none() | st.booleans(),
        "day": st.none() | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        "amount": st.none() | st.decimals(-(10**15), 10**15, places=2, allow_nan=False, allow_infinity=False),
    }
    return st.lists(st.fixed_dictionaries(cells), **size)


def table(rs: list[dict], ids: bool = False) -> pa.Table:
    """The rows as a typed table (`kind` dictionary-encoded); with an `id` column first if asked."""
    columns = {"id": pa.array([f"r{k:05d}" for k in range(len(rs))])} if ids else {}
    for name, type_ in TYPES.items():
        values = [r[name] for r in rs]
        columns[name] = pa.array(values, pa.string()).dictionary_encode() if name == "kind" else pa.array(values, type_)
    return pa.table(columns)
