"""The canonical CSV formatter: no-op on the committed data, fixes mess, idempotent."""

from __future__ import annotations

from origins.read.canonical import format_dataset
from origins.read.package import load

from conftest import REPO, located, run


def _snapshot(root):
    return {p.name: p.read_bytes() for p in sorted((root / "raw").glob("*.csv"))}


def test_committed_data_is_canonical(repo_copy):
    before = _snapshot(repo_copy)
    assert [m for m in format_dataset(load(repo_copy)) if m.startswith("formatted")] == []
    assert _snapshot(repo_copy) == before == _snapshot(REPO)


def test_formatting_fixes_bom_crlf_order_and_spaces_and_is_idempotent(minimal):
    people = minimal / "raw" / "people.csv"
    lines = people.read_text().splitlines()
    messy = [lines[0], lines[2].replace("Bob,", "Bob  ,"), lines[1]]
    people.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(messy).encode() + b"\r\n")
    assert "raw/people.csv:1:0 FMT001" in located(run(minimal))
    assert format_dataset(load(minimal)) == ["formatted raw/people.csv"]
    once = _snapshot(minimal)
    assert located(run(minimal)) == []
    assert not [m for m in format_dataset(load(minimal)) if m.startswith("formatted")]
    assert _snapshot(minimal) == once
    assert people.read_bytes().startswith(b"id,name,aliases,description,wikidata\nper-alice,")


def test_files_with_schema_errors_are_left_alone(minimal):
    people = minimal / "raw" / "people.csv"
    people.write_text(people.read_text().replace("answers.,", "answers."))
    before = people.read_bytes()
    messages = format_dataset(load(minimal))
    assert "skipped raw/people.csv: fix its schema findings first (make validate)" in messages
    assert people.read_bytes() == before


def test_quick_canonical_test_agrees_with_the_formatter(minimal):
    from origins.read.canonical import canonical, is_canonical

    for table in load(REPO).tables.values():
        assert is_canonical(table) and table.text == canonical(table), table.path
    people = minimal / "raw" / "people.csv"
    people.write_text(people.read_text().replace("per-bob,Bob,", 'per-bob,"Bob",'))
    table = load(minimal).tables["people"]
    assert not is_canonical(table) and table.text != canonical(table)
