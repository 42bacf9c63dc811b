"""The declaration API: one Code type for every finding (a family, a severity, a message template),
a check reports only the codes, severities and message fields it declares, a reporter iterates rows
and locates findings, and run_checks says which checks ran and which could not."""

from __future__ import annotations

import pytest

from origins.checks import Check, Code, Context, UndeclaredFinding, catalogue, run_checks
from origins.core.findings import ERROR, WARNING, Finding
from origins.read.package import load

from conftest import TODAY, edit

TOY = Code("TXT901", "toy-finding", "A toy check found something.", "{who} is here")
TOY_BOTH = Code(
    "TXT902",
    "toy-either",
    "A toy check found something, surely or not.",
    {"version": "the version {version}", "other": "something else"},
    (ERROR, WARNING),
    "either",
)


def toy(*codes: Code, needs=()):
    """A check that is not registered: run(ds, ctx, r) as @check would register it."""
    return lambda run: Check(run, codes, tuple(needs))


@pytest.fixture
def ds(minimal):
    return load(minimal)


@pytest.fixture
def ctx():
    return Context(today=TODAY)


def test_reporter_locates_a_cell_with_the_declared_severity_and_the_template_filled(ds, ctx):
    @toy(TOY)
    def first_person(ds, ctx, r):
        for i, row in r.rows("people"):
            if row["id"] == "per-bob":
                yield r.report("people", i, "name", "TXT901", who=row["name"])

    (f,) = first_person(ds, ctx)
    assert (f.path, f.line, f.column, f.code, f.severity, f.field, f.value, f.message) == (
        "raw/people.csv",
        3,
        2,
        "TXT901",
        ERROR,
        "name",
        "Bob",
        "Bob is here",
    )


def test_reporter_rows_of_an_absent_table_are_none(ds, ctx):
    @toy(TOY)
    def nothing(ds, ctx, r):
        for i, _ in r.rows("no-such-table"):
            yield r.report("no-such-table", i, "", "TXT901", who="nobody")

    assert list(nothing(ds, ctx)) == []


def test_reporter_picks_the_rows_a_mask_selects_with_their_cells(ds, ctx):
    """A column-wise check selects rows with Arrow booleans over a table and reads only those rows'
    cells (Reporter.picked); a null in the mask selects nothing, and an absent table gives no rows."""
    import pyarrow.compute as pc

    from origins.core.columns import text

    @toy(TOY)
    def aliased(ds, ctx, r):
        mask = pc.not_equal(ds.column("people", "aliases"), text(""))
        for i, pid, aliases in r.picked("people", mask, "id", "aliases"):
            yield r.report("people", i, "aliases", "TXT901", who=f"{pid} ({aliases})")
        yield from (r.report("people", i, "", "TXT901", who="?") for i, *_ in r.picked("absent", mask, "id"))

    (f,) = aliased(ds, ctx)
    assert (f.line, f.column, f.message) == (2, 3, "per-alice (Al;A.) is here")

    import pyarrow as pa

    from origins.checks.registry import Reporter

    rows = ds.tables["people"].num_rows
    with_null = pa.array([True] + [None] * (rows - 1), pa.bool_())  # a null selects no row
    assert [i for i, *_ in Reporter(ds, aliased).picked("people", with_null, "id")] == [0]


def test_reporter_at_a_place_in_a_file_with_a_variant(ds, ctx):
    @toy(TOY_BOTH)
    def whole_file(ds, ctx, r):
        yield r.at("datapackage.json", 6, 0, "TXT902", "version", WARNING, version="1.0.0")

    assert list(whole_file(ds, ctx)) == [Finding("datapackage.json", 6, 0, "TXT902", "the version 1.0.0", WARNING)]


def test_an_undeclared_code_raises(ds, ctx):
    @toy(TOY)
    def wrong_code(ds, ctx, r):
        yield r.report("people", 0, "id", "TXT903", who="x")

    with pytest.raises(UndeclaredFinding, match="wrong_code reported TXT903, which it does not declare"):
        list(wrong_code(ds, ctx))


def test_an_undeclared_severity_raises(ds, ctx):
    @toy(TOY)
    def wrong_severity(ds, ctx, r):
        yield r.report("people", 0, "id", "TXT901", severity=WARNING, who="x")

    with pytest.raises(UndeclaredFinding, match="TXT901 reported as 'warning', but it is declared error"):
        list(wrong_severity(ds, ctx))


def test_a_code_with_two_severities_needs_one_named(ds, ctx):
    @toy(TOY_BOTH)
    def unsaid(ds, ctx, r):
        yield r.report("people", 0, "id", "TXT902", "other")

    with pytest.raises(UndeclaredFinding, match="without a severity"):
        list(unsaid(ds, ctx))


@pytest.mark.parametrize(
    ("variant", "fields", "says"),
    [
        ("", {}, "needs the fields \\['who'\\], got \\[\\]"),
        ("", {"who": "Bob", "extra": 1}, "needs the fields \\['who'\\], got \\['extra', 'who'\\]"),
        ("loud", {"who": "Bob"}, "has no message variant 'loud'"),
    ],
)
def test_a_message_is_its_template_with_exactly_its_fields(ds, ctx, variant, fields, says):
    @toy(TOY)
    def misfilled(ds, ctx, r):
        yield r.report("people", 0, "id", "TXT901", variant, **fields)

    with pytest.raises(UndeclaredFinding, match=says):
        list(misfilled(ds, ctx))


def test_findings_built_without_the_reporter_are_held_to_the_declaration(ds, ctx):
    @toy(TOY)
    def by_hand(ds, ctx, r):
        yield Finding("raw/people.csv", 2, 1, "TXT901", "fine")
        yield Finding("raw/people.csv", 2, 1, "TXT901", "declared as an error", WARNING)

    found = by_hand(ds, ctx)
    assert next(found).message == "fine"
    with pytest.raises(UndeclaredFinding):
        next(found)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"code": "TXT1", "name": "toy", "description": "Bad code.", "message": "x"},
        {"code": "ZZZ001", "name": "toy", "description": "No such family.", "message": "x"},
        {"code": "TXT901", "name": "Toy_Name", "description": "Bad name.", "message": "x"},
        {"code": "TXT901", "name": "toy", "description": "Bad severity.", "message": "x", "severity": "fatal"},
        {
            "code": "TXT901",
            "name": "toy",
            "description": "Two without when.",
            "message": "x",
            "severity": (ERROR, WARNING),
        },
        {"code": "TXT901", "name": "toy", "description": "When with one.", "message": "x", "when": "always"},
        {"code": "TXT901", "name": "toy", "description": "No template.", "message": ""},
    ],
)
def test_a_malformed_declaration_fails_at_import(kwargs):
    with pytest.raises(ValueError):
        Code(**kwargs)


def test_catalogue_text_of_a_two_severity_code():
    assert TOY.severity_text == "error"
    assert TOY_BOTH.severity_text == "error or warning (either)"


def test_every_code_of_every_stage_is_one_type_with_a_family_and_a_template():
    """PKG (reading), SCH (the Table Schema engines), FMT and the checks alike."""
    codes = catalogue()
    assert {c[:3] for c in codes} >= {"PKG", "SCH", "FMT", "CIT", "DAT", "REL"}
    for code, c in codes.items():
        assert isinstance(c, Code) and c.code == code
        assert c.family and all(c.templates.values())
        assert c.severities


def test_run_checks_only_some_codes(minimal, ctx):
    edit(minimal / "raw" / "people.csv", "per-bob,Bob,", "per-bob,Bob ,")  # FMT001 and TXT002
    ds = load(minimal)
    every = run_checks(ds, ctx)
    assert {f.code for f in every.findings} == {"FMT001", "TXT002"}
    assert "not_canonical" in every.ran and every.skipped == {}
    only = run_checks(ds, Context(today=None), only={"FMT001"})
    assert [(f.path, f.line, f.code) for f in only.findings] == [("raw/people.csv", 3, "FMT001")]
    assert only.ran == ["not_canonical"]


def test_run_checks_only_an_unknown_code_raises(ds, ctx):
    with pytest.raises(ValueError, match="no check declares FMT999"):
        run_checks(ds, ctx, only={"FMT999"})


def test_a_check_that_needs_an_unreadable_table_is_reported_as_not_run(ds):
    ds.tables["people"].readable = False
    run = toy(TOY, needs=("people",))(lambda ds, ctx, r: iter(()))
    assert run.missing(ds) == ["people"]
    assert toy(TOY, needs=("events",))(lambda ds, ctx, r: iter(())).missing(ds) == []
    assert toy(TOY, needs=("*",))(lambda ds, ctx, r: iter(())).missing(ds) == ["people"]
