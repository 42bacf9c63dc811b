r"""JSON text from Arrow columns, without a Python object per cell.

JSON's escapes as json.dumps(ensure_ascii=False) (and polars) write them: \\ and \", five short
forms (\b \t \n \f \r), every other control character as \u00XX, the rest of Unicode as itself.
The JSON Lines copies and the SQLite inserts (origins.outputs) are written with these.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from origins.core.columns import ints, text

_CONTROLS = [(chr(i), json.dumps(chr(i))[1:-1]) for i in range(0x20)]
# Arrow scalars: a Python literal handed to a compute function would import pandas (core.columns)
QUOTE, NOTHING, NULL, COMMA = text('"'), text(""), text("null"), text(",")


def escaped(values: pa.Array) -> pa.Array:
    """JSON string contents; the bytes are looked at once (numpy over the data buffer) so text with
    nothing to escape, nearly all of it, costs no string kernel at all."""
    data = values.buffers()[2]
    if data is None:
        return values
    raw = np.frombuffer(data, np.uint8)
    if (raw == 0x5C).any():
        values = pc.replace_substring(values, "\\", "\\\\")
    if (raw == 0x22).any():
        values = pc.replace_substring(values, '"', '\\"')
    if (raw < 0x20).any():
        for char, escape in _CONTROLS:
            values = pc.replace_substring(values, char, escape)
    return values


def quoted(values: pa.Array) -> pa.Array:
    """Each string as a JSON string literal, null as `null`."""
    return pc.fill_null(pc.binary_join_element_wise(QUOTE, escaped(values), QUOTE, NOTHING), NULL)


def plain(values: pa.Array) -> tuple[pa.Array, pa.DataType]:
    """A column with dictionaries decoded and large strings as strings (one kernel signature)."""
    t = values.type
    if pa.types.is_dictionary(t):
        values, t = values.dictionary_decode(), t.value_type
    if pa.types.is_large_string(t):
        values, t = values.cast(pa.string()), pa.string()
    return values, t


def joined_lists(values: pa.Array, separator: str) -> pa.Array:
    """A list<string> column as JSON arrays of string literals joined by `separator`; null stays null."""
    offsets = values.offsets  # of a slice: positions in the whole child array
    first, last = offsets[0].as_py(), offsets[-1].as_py()
    items = quoted(values.values.slice(first, last - first))
    lists = pa.ListArray.from_arrays(pc.subtract(offsets, ints([first], pa.int32())[0]), items, mask=values.is_null())
    return pc.binary_join_element_wise(text("["), pc.binary_join(lists, text(separator)), text("]"), NOTHING)


def concatenated(lines: pa.Array) -> memoryview:
    """The bytes of every string of an array, end to end (a view of its data buffer, no copy)."""
    _, offsets, data = lines.buffers()
    at = pa.Array.from_buffers(pa.int32(), len(lines) + 1, [None, offsets], offset=lines.offset)
    return memoryview(data)[at[0].as_py() : at[-1].as_py()]


def joined(pieces: list) -> pa.Array:
    """Each row's pieces (literal text and arrays) end to end: adjacent literals are merged first."""
    merged: list = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return pc.binary_join_element_wise(*(text(p) if isinstance(p, str) else p for p in merged), NOTHING)
