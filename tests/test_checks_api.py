"""The declaration API of origins.checks: a check reports only the codes and severities it declares,
a reporter iterates rows and locates findings, and run_checks can run the checks of some codes."""

from __future__ import annotations

import pytest

from origins.checks import Check, Code, Context, UndeclaredFinding, run_checks
from origins.core.findings import ERROR, WARNING, Finding
from origins.read.package import load

from conftest import TODAY, edit

TOY = Code("TOY001", "toy-finding", "A toy check found something.")
TOY_BOTH = Code("TOY002", "toy-either", "A toy check found something, surely or not.", (ERROR, WARNING), "either")


def toy(*codes: Code):
    """A check that is not registered: run(ds, ctx, r) as @check would register it."""
    return lambda run: Check(run, codes)


@pytest.fixture
def ds(minimal):
    return load(minimal)


@pytest.fixture
def ctx():
    return Context(today=TODAY)  # fresh each test: a run fills in its quotes


def test_reporter_locates_a_cell_with_the_declared_severity(ds, ctx):
    @toy(TOY)
    def first_person(ds, ctx, r):
        for i, row in r.rows("people"):
            if row["id"] == "per-bob":
                yield r.report("people", i, "name", "TOY001", "Bob is here")

    (f,) = first_person(ds, ctx)
    assert (f.path, f.line, f.column, f.code, f.severity, f.field, f.value) == (
        "raw/people.csv",
        3,
        2,
        "TOY001",
        ERROR,
        "name",
        "Bob",
    )


def test_reporter_rows_of_an_absent_table_are_none(ds, ctx):
    @toy(TOY)
    def nothing(ds, ctx, r):
        for i, _ in r.rows("no-such-table"):
            yield r.report("no-such-table", i, "", "TOY001", "unreachable")

    assert list(nothing(ds, ctx)) == []


def test_reporter_at_a_place_in_a_file(ds, ctx):
    @toy(TOY_BOTH)
    def whole_file(ds, ctx, r):
        yield r.at("datapackage.json", 6, 0, "TOY002", "the version", WARNING)

    assert list(whole_file(ds, ctx)) == [Finding("datapackage.json", 6, 0, "TOY002", "the version", WARNING)]


def test_an_undeclared_code_raises(ds, ctx):
    @toy(TOY)
    def wrong_code(ds, ctx, r):
        yield r.report("people", 0, "id", "TOY003", "not declared")

    with pytest.raises(UndeclaredFinding, match="wrong_code reported TOY003, which it does not declare"):
        list(wrong_code(ds, ctx))


def test_an_undeclared_severity_raises(ds, ctx):
    @toy(TOY)
    def wrong_severity(ds, ctx, r):
        yield r.report("people", 0, "id", "TOY001", "declared as an error", WARNING)

    with pytest.raises(UndeclaredFinding, match="reported TOY001 as 'warning', but declares it as error"):
        list(wrong_severity(ds, ctx))


def test_a_code_with_two_severities_needs_one_named(ds, ctx):
    @toy(TOY_BOTH)
    def unsaid(ds, ctx, r):
        yield r.report("people", 0, "id", "TOY002", "which one?")

    with pytest.raises(UndeclaredFinding, match="without a severity"):
        list(unsaid(ds, ctx))


def test_findings_built_without_the_reporter_are_held_to_the_declaration(ds, ctx):
    @toy(TOY)
    def by_hand(ds, ctx, r):
        yield Finding("raw/people.csv", 2, 1, "TOY001", "fine")
        yield Finding("raw/people.csv", 2, 1, "TOY001", "declared as an error", WARNING)

    found = by_hand(ds, ctx)
    assert next(found).message == "fine"
    with pytest.raises(UndeclaredFinding):
        next(found)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"code": "TOY1", "name": "toy", "description": "Bad code."},
        {"code": "TOY001", "name": "Toy_Name", "description": "Bad name."},
        {"code": "TOY001", "name": "toy", "description": "Bad severity.", "severity": "fatal"},
        {"code": "TOY001", "name": "toy", "description": "Two without when.", "severity": (ERROR, WARNING)},
        {"code": "TOY001", "name": "toy", "description": "When with one.", "when": "always"},
    ],
)
def test_a_malformed_declaration_fails_at_import(kwargs):
    with pytest.raises(ValueError):
        Code(**kwargs)


def test_catalogue_text_of_a_two_severity_code():
    assert TOY.severity_text == "error"
    assert TOY_BOTH.severity_text == "error or warning (either)"


def test_run_checks_only_some_codes(minimal, ctx):
    edit(minimal / "raw" / "people.csv", "per-bob,Bob,", "per-bob,Bob ,")  # FMT001 and TXT002
    ds = load(minimal)
    every = run_checks(ds, ctx)
    assert {f.code for f in every} == {"FMT001", "TXT002"}
    only = run_checks(ds, Context(today=None), only={"FMT001"})
    assert [(f.path, f.line, f.code) for f in only] == [("raw/people.csv", 3, "FMT001")]


def test_run_checks_only_an_unknown_code_raises(ds, ctx):
    with pytest.raises(ValueError, match="no check declares FMT999"):
        run_checks(ds, ctx, only={"FMT999"})
