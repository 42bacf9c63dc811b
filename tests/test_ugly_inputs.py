"""What contributors really send: none of it may crash the validator or make it read outside."""

from __future__ import annotations

import os

from origins.archive.store import inside

from conftest import edit, located, run


def test_bom_is_read_and_reported_as_format(minimal):
    path = minimal / "raw" / "people.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert located(run(minimal)) == ["raw/people.csv:1:0 FMT001"]


def test_crlf_line_endings_are_read_and_reported_as_format(minimal):
    path = minimal / "raw" / "people.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    (finding,) = run(minimal).findings
    assert (finding.line, finding.code) == (1, "FMT001") and "CRLF" in finding.message


def test_empty_trailing_line_is_a_located_blank_row(minimal):
    path = minimal / "raw" / "people.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    assert located(run(minimal)) == ["raw/people.csv:4:0 SCH008"]


def test_quoted_newline_keeps_physical_lines_right(minimal):
    path = minimal / "raw" / "events.csv"
    edit(path, "Alice offers money to Acme.", '"Alice offers money\nto Acme."')
    edit(path, "too small.,correspondence", "too small.,chitchat")
    # the second data row starts on line 4 because the first spans lines 2-3
    assert located(run(minimal)) == ["raw/events.csv:4:5 SCH002"]


def test_ten_megabyte_cell_is_reported_not_fatal(minimal):
    edit(minimal / "raw" / "events.csv", "Alice offers money to Acme.", "x" * 10_000_000)
    assert located(run(minimal)) == ["raw/events.csv:2:4 SCH002"]


def test_snapshot_symlink_out_of_the_directory_is_refused(minimal, tmp_path):
    snaps = tmp_path / "snaps"
    snaps.mkdir()
    os.symlink("/etc/passwd", snaps / "doc.txt")
    result = run(minimal, snapshots=snaps)
    assert located(result) == ["raw/sources.csv:2:15 CIT009"]
    assert result.stats["quotes"]["verified"] == 0


def test_snapshot_path_stays_inside(tmp_path):
    assert inside(tmp_path, "../../etc/passwd") is None
    assert inside(tmp_path, "/etc/passwd") is None
    assert inside(tmp_path, "doc.txt") == (tmp_path / "doc.txt").resolve()
