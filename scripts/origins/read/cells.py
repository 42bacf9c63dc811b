"""A CSV's cells as Arrow strings, read by pyarrow when that reading is provably exact.

pyarrow's CSV reader is an order of magnitude faster than the csv module and gives columns, but it
is lenient where the csv module is strict (`"a"b` reads as `ab`) and it does not say on which
physical line a row starts. So a reading is accepted only when the file is exactly the
minimal-quoting serialisation of the cells read (the form `make fmt` writes): then no other
reading of the bytes exists, and the line of each row follows from the line breaks inside its
cells. The test is Arrow compute over the columns plus one comparison of bytes; a file that fails
it (a ragged row, a blank line, a CR, extra quotes) is read by the csv module instead.
"""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from origins.core.columns import EMPTY, filled, numbers, strings, text

COMMA, NEWLINE, QUOTE = text(","), text("\n"), text('"')


def quoted(column) -> pa.Array:
    """Each cell as the csv module writes it with minimal quoting and LF line ends: in double quotes,
    inner quotes doubled, when it holds a comma, a quote or an LF (a CR alone is not quoted, since
    it is not part of the line terminator)."""
    column = filled(column)
    escaped = pc.binary_join_element_wise(
        QUOTE, pc.replace_substring(column, pattern='"', replacement='""'), QUOTE, EMPTY
    )
    return pc.if_else(pc.match_substring_regex(column, pattern='[",\n]'), escaped, column)


def serialised(table: pa.Table) -> bytes:
    """The rows of `table` (header excluded) as the csv module writes them, each line ended by LF."""
    if table.num_columns == 0 or table.num_rows == 0:
        return b""
    cols = [quoted(c) for c in table.columns]
    if len(cols) == 1:  # the csv module quotes a lone empty cell, so that the row is not blank
        cols = [pc.if_else(pc.equal(cols[0], EMPTY), text('""'), cols[0])]
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*cols, COMMA), EMPTY, NEWLINE)
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset : lines.offset + len(lines) + 1]
    return lines.buffers()[2].to_pybytes()[offsets[0] : offsets[-1]]


def header(names: list[str]) -> bytes:
    """The header line of a CSV of `names`, as the csv module writes it."""
    return serialised(pa.table({str(i): strings([n]) for i, n in enumerate(names)}))


def read_exact(data: bytes, names: list[str]) -> tuple[pa.Table, list[int]] | None:
    """(cells, the line each row starts on) when `data` (UTF-8, no BOM) has the header `names` and
    is exactly the serialisation of what pyarrow reads; None when only the csv module can tell."""
    if not names or b"\r" in data or len(set(names)) != len(names):
        return None
    head = header(names)
    if not data.startswith(head):
        return None
    options = {
        "convert_options": pv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
        "parse_options": pv.ParseOptions(newlines_in_values=True),
        "read_options": pv.ReadOptions(column_names=names, skip_rows=1, block_size=max(1 << 20, len(data) + 1)),
    }
    try:
        table = pv.read_csv(io.BytesIO(data), **options)
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    table = table.combine_chunks()
    if head + serialised(table) != data:
        return None
    breaks = np.ones(table.num_rows, dtype=np.int64)
    for column in table.columns:
        breaks += numbers(pc.count_substring(filled(column), pattern="\n"))
    starts = np.empty(table.num_rows, dtype=np.int64)
    starts[:1] = 2
    np.cumsum(breaks[:-1], out=starts[1:])
    starts[1:] += 2
    return table, starts.tolist()


def from_rows(rows: list[dict[str, str]], names: list[str]) -> pa.Table:
    """Rows read by the csv module as an Arrow table of strings ("" for a missing cell)."""
    return pa.table({n: strings([r.get(n) or "" for r in rows]) for n in names}) if names else pa.table({})


def to_rows(table: pa.Table) -> list[dict[str, str]]:
    """An Arrow table of strings as one dict per row (for code not yet on columns)."""
    names = table.column_names
    columns = [filled(c).to_pylist() for c in table.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
