"""Arrow arrays and scalars from Python values, without importing pandas.

pyarrow imports pandas (about 0.35 s with compiled bytecode, 2 s without) the first time any
Python value becomes Arrow: `pa.array(list)`, `pa.scalar(x)`, and a Python literal handed to a
compute function (`pc.equal(col, "x")`), because it asks whether the value is a pandas object.
Arrays built from buffers skip that question. So the checks and outputs pass literals as
`text("x")` and build arrays with `strings`, `ints` and `flags`; a run that reads, checks and
writes the committed data then never imports pandas (tests/test_columns.py holds it to that).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def strings(values: Iterable[str | None]) -> pa.StringArray:
    """A string array of `values` (None becomes null)."""
    values = list(values)
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    valid = _validity([v is not None for v in values]) if any(v is None for v in values) else None
    array = pa.Array.from_buffers(
        pa.large_string(), len(encoded), [valid, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    )
    return array.cast(pa.string())


def text(value: str) -> pa.StringScalar:
    """One string as an Arrow scalar, to hand to a compute function in place of a literal."""
    return strings([value])[0]


INT64 = pa.int64()


def ints(values: Sequence[int | None] | np.ndarray, type: pa.DataType = INT64) -> pa.Array:
    """An integer array of `values` (None becomes null)."""
    valid = None
    if not isinstance(values, np.ndarray) and any(v is None for v in values):
        valid = _validity([v is not None for v in values])
        values = [0 if v is None else v for v in values]
    data = np.ascontiguousarray(values, dtype=type.to_pandas_dtype())
    return pa.Array.from_buffers(type, len(data), [valid, pa.py_buffer(data)])


def _validity(present: list[bool]) -> pa.Buffer:
    return pa.py_buffer(np.packbits(np.array(present, dtype=bool), bitorder="little"))


EPOCH = 719163  # date(1970, 1, 1).toordinal(): date32 counts days from it


def dates(values) -> pa.Array:
    """A date32 array of `datetime.date` values (None becomes null)."""
    days = [None if v is None else v.toordinal() - EPOCH for v in values]
    return ints(days, pa.int32()).view(pa.date32())


def number(value: int | float) -> pa.Scalar:
    """An int64 or float64 scalar, as `pa.scalar` would type a Python int or float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return ints([value])[0]
    data = np.array([value], dtype=np.float64)
    return pa.Array.from_buffers(pa.float64(), 1, [None, pa.py_buffer(data)])[0]


def flags(values: Sequence[bool] | np.ndarray) -> pa.BooleanArray:
    """A boolean array (no nulls) of `values`."""
    bits = np.packbits(np.asarray(values, dtype=bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])


FALSE = flags([False])[0]
TRUE = flags([True])[0]
EMPTY = text("")


def combined(values) -> pa.Array:
    """One array of a chunked array (an array as it is). `combine_chunks` of a column with no chunks,
    the column of an empty table, builds its empty array with `pa.array`, which imports pandas."""
    if not isinstance(values, pa.ChunkedArray):
        return values
    if values.num_chunks == 1:
        return values.chunk(0)
    return values.combine_chunks() if values.num_chunks else pa.nulls(0, values.type)


def numbers(array) -> np.ndarray:
    """A numeric Arrow array without nulls as a NumPy view (`to_numpy` would import pandas)."""
    array = combined(array)
    dtype = np.dtype(array.type.to_pandas_dtype())
    return np.frombuffer(array.buffers()[1], dtype=dtype)[array.offset : array.offset + len(array)]


def truth(mask) -> np.ndarray:
    """A boolean Arrow array as a NumPy bool array (null as False)."""
    mask = combined(mask)
    if mask.null_count:
        mask = pc.fill_null(mask, FALSE)
    bits = np.unpackbits(np.frombuffer(mask.buffers()[1], dtype=np.uint8), bitorder="little")
    return bits[mask.offset : mask.offset + len(mask)].astype(bool)


def positions(mask) -> list[int]:
    """The positions where a boolean array (or chunked array) is true; null counts as false."""
    return pc.indices_nonzero(pc.fill_null(mask, FALSE) if mask.null_count else mask).to_pylist()


def filled(column) -> pa.Array:
    """A string column as one array, null cells as ""."""
    column = combined(column)
    if column.null_count:
        column = pc.fill_null(column, EMPTY)
    return column
