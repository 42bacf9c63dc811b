"""The formula-safe CSV copies (origins.outputs.copies.write_csv_copy), written from Arrow columns.

The oracle is the csv module: the rows sorted by primary key (a stable sort), every cell that a
spreadsheet would run as a formula prefixed with an apostrophe, written with minimal quoting."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from origins.outputs.copies import may_hold_formula, write_csv_copy
from origins.read.cells import read_exact
from origins.read.meaning import FORMULA_START
from origins.read.package import Table

NAMES = ["id", "note", "extra"]
cell = st.text(alphabet=st.sampled_from(list('ab=+-@",\n\r é') + ["\u2028"]), max_size=6)
rows = st.lists(st.tuples(st.sampled_from(["b", "a", "=c", ""]), cell, cell), min_size=1, max_size=12)


def by_csv_module(rs: list[tuple[str, ...]], names: list[str]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(names)
    for r in sorted(rs, key=lambda r: r[0]):
        w.writerow(["'" + v if v.startswith(FORMULA_START) else v for v in r])
    return out.getvalue().encode()


def table_of(tmp_path, rs, names=NAMES) -> Table:
    data = by_csv_module([], names) + b"".join(
        (lambda o: (csv.writer(o, lineterminator="\n").writerow(r), o.getvalue())[1])(io.StringIO()).encode()
        for r in rs
    )
    (tmp_path / "t.csv").write_bytes(data)
    schema = {"fields": [{"name": n} for n in names], "primaryKey": ["id"]}
    t = Table("t", "t.csv", schema, header=list(names), root=tmp_path)
    read = read_exact(data, list(names))
    if read is not None:
        t._arrow, t.lines = read
    else:  # what the csv module reads (a CR in a cell): the rows as dicts
        t._rows = [dict(zip(names, r, strict=True)) for r in rs]
        t.lines = list(range(2, 2 + len(rs)))
    return t


@settings(max_examples=200, deadline=None)
@given(rows)
def test_the_copy_is_the_csv_modules_sorted_formula_safe_rows(tmp_path_factory, rs):
    tmp = tmp_path_factory.mktemp("c")
    t = table_of(tmp, rs)
    write_csv_copy(tmp, t, tmp / "copy.csv")
    written = (tmp / "copy.csv").read_bytes()
    if may_hold_formula((tmp / "t.csv").read_bytes()):
        assert written == by_csv_module(rs, NAMES)
    else:  # nothing could run as a formula: the file itself
        assert written == (tmp / "t.csv").read_bytes()


def test_a_formula_is_escaped_and_rows_sorted(tmp_path):
    t = table_of(tmp_path, [("b", "=1+1", ""), ("a", 'say "hi", then\nleave', "@x")])
    write_csv_copy(tmp_path, t, tmp_path / "copy.csv")
    assert (tmp_path / "copy.csv").read_bytes() == (b'id,note,extra\na,"say ""hi"", then\nleave",\'@x\nb,\'=1+1,\n')
