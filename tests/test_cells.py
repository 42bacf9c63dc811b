"""The Arrow reading of a CSV (origins.read.cells) against the csv module's, and runs without pandas.

pyarrow's reading is accepted only when the file is exactly the serialisation of its cells; these
tests hold it to the csv module cell for cell and line for line, on random cells and on the files
it must refuse (which the csv module then reads, so every finding stays where it was).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from origins.core.columns import flags, ints, positions, strings, text
from origins.read.cells import read_exact, serialised, to_rows
from origins.read.package import load

from conftest import FIXTURE, REPO, edit, make_package

NAMES = ["id", "note", "text"]


def written(rows: list[list[str]], names=NAMES) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(names)
    w.writerows(rows)
    return out.getvalue().encode()


def by_csv_module(data: bytes) -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(data.decode(), newline=""), strict=True)
    next(reader)
    rows, lines, start = [], [], 2
    for cells in reader:
        rows.append(cells)
        lines.append(start)
        start = reader.line_num + 1
    return rows, lines


CELL = st.text(alphabet=st.sampled_from(list('ab ,"\n\té€-')), max_size=8)


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=6))
def test_the_arrow_reading_is_the_csv_modules_cell_for_cell_and_line_for_line(rows):
    data = written(rows)
    read = read_exact(data, NAMES)
    assert read is not None, data
    table, lines = read
    assert [list(r.values()) for r in to_rows(table)] == rows
    assert (rows, lines) == by_csv_module(data)
    assert written([]) + serialised(table) == data


@pytest.mark.parametrize(
    "data, why",
    [
        (b'id,note,text\n"a"b,c,d\n', "a quote inside an unquoted cell: pyarrow reads ab, the csv module fails"),
        (b'id,note,text\n"a",b,c\n', "a cell quoted without need"),
        (b"id,note,text\r\na,b,c\r\n", "CRLF line ends"),
        (b"id,note,text\na,b,c\n\nd,e,f\n", "a blank line"),
        (b"id,note,text\na,b\n", "a short row"),
        (b"id,note,text\na,b,c,d\n", "a long row"),
        (b"id,text,note\na,b,c\n", "the header in another order"),
        (b"id,note,text\na,b,c", "no line end after the last row"),
        (b"", "an empty file"),
    ],
)
def test_a_file_that_is_not_exactly_its_cells_is_left_to_the_csv_module(data, why):
    assert read_exact(data, NAMES) is None, why


def test_lines_count_the_line_breaks_inside_cells():
    data = written([["a", "one\ntwo\nthree", "x"], ["b", "", ""], ["c", "q\n", "\n"]])
    table, lines = read_exact(data, NAMES)
    assert lines == [2, 5, 6] == by_csv_module(data)[1]


def test_a_package_read_by_the_csv_module_has_the_same_cells_as_arrow(tmp_path):
    """The slow path (a CRLF file) gives the same columns as the fast one, so checks see no difference."""
    make_package(tmp_path / "p", FIXTURE / "raw")
    people = tmp_path / "p" / "raw" / "people.csv"
    fast = load(tmp_path / "p").tables["people"]
    assert fast.exact
    people.write_bytes(people.read_bytes().replace(b"\n", b"\r\n"))
    slow = load(tmp_path / "p").tables["people"]
    assert not slow.exact
    assert slow.lines == fast.lines
    for name in fast.fields:
        assert slow.cells(name).to_pylist() == fast.cells(name).to_pylist()
    assert slow.rows == fast.rows


def test_values_become_arrow_without_pandas():
    code = (
        "import sys; from origins.core.columns import *; import pyarrow.compute as pc;"
        "a = strings(['a', None]); pc.equal(a, text('a')); ints([1]); positions(flags([True]));"
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(REPO / "scripts")}
    )
    assert out.stdout.strip() == "False", out.stderr
    assert strings(["a", None, "é"]).to_pylist() == ["a", None, "é"]
    assert text("x").as_py() == "x" and ints([3, 4]).to_pylist() == [3, 4]
    assert positions(flags([False, True, True])) == [1, 2]


@pytest.mark.parametrize("empty", [False, True], ids=["fixture", "no roles"])
def test_validate_and_build_import_neither_pandas_nor_polars(tmp_path, empty):
    """Start-up (issue 25): validating and building a package, site included, imports neither pandas
    nor polars (the JSON Lines copies are written from Arrow columns). A Python literal handed to
    pyarrow anywhere would bring pandas back, and so would joining the chunks of an empty table's
    column (core.columns.combined): hence the package whose roles.csv has no row. (polars puts a
    lazy stand-in for pandas in sys.modules, hence the submodules asked.)"""
    make_package(tmp_path / "p", FIXTURE / "raw")
    if empty:
        roles = tmp_path / "p" / "raw" / "roles.csv"
        roles.write_text(roles.read_text().splitlines()[0] + "\n")
        edit(tmp_path / "p" / "raw" / "participants.csv", "sender,rol-alice-acme-chair,", "sender,,")
        citations = tmp_path / "p" / "raw" / "citations.csv"
        kept = [line for line in citations.read_text().splitlines(keepends=True) if "rol-alice" not in line]
        citations.write_text("".join(kept))
    code = (
        "import sys; from origins.pipeline import build; "
        f"out = build({str(tmp_path / 'p')!r}, {str(tmp_path / 'out')!r}, {str(FIXTURE / 'snapshots')!r}); "
        "print(sorted(m.split('.')[0] for m in ('pandas.core.frame', 'polars.dataframe') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(REPO / "scripts")}
    )
    assert out.stdout.startswith("[]"), out.stdout + out.stderr
    assert (tmp_path / "out" / "events.parquet").is_file() and (tmp_path / "out" / "site" / "index.html").is_file()
