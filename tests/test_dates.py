"""EDTF parsing: the fast path agrees with the edtf package, and errors say what is wrong; the
date relations (checks.dates.RELATIONS) find certain conflicts as errors, possible ones as warnings."""

from __future__ import annotations

import json
from datetime import date

import edtf
import pytest

from origins.checks.dates import RELATIONS
from origins.core.edtf import DateError, IntervalOrderError, _with_edtf, parse

from conftest import REPO, edit, run

FAST = [
    "2015",
    "2015-12",
    "2015-12-11",
    "2016-02-29",
    "2016-09~",
    "2015-05?",
    "2017-09-20%",
    "2017-09/2018-02",
    "2015-10-07/2015-10-08",
    "2017/2019",
    "1999-12-31",
]


@pytest.mark.parametrize("text", FAST)
def test_fast_path_matches_edtf(text):
    ours = parse(text)
    ref = _with_edtf(text)
    assert (ours.earliest, ours.latest) == (ref.earliest, ref.latest)


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("2015", "year"),
        ("2015-12", "month"),
        ("2015-12-11", "day"),
        ("2017/2019", "interval"),
        ("201X", "other"),
    ],
)
def test_precision(text, precision):
    assert parse(text).precision == precision


def test_open_interval():
    span = parse("2024-11-18/..")
    assert (span.earliest, span.latest) == (date(2024, 11, 18), None)


def test_qualifier():
    assert parse("2016-09~").qualifier == "approximate"
    assert parse("2015-05?").qualifier == "uncertain"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2016-13", "month 13 does not exist"),
        ("2017-02-30", "February 2017 has no day 30"),
        ("2015-02-29", "February 2015 has no day 29"),
        ("2016-1-5", "not a valid EDTF date"),
        ("", "must not be empty"),
        (" 2016", "spaces around it"),
        ("../..", "at least one known end"),
    ],
)
def test_errors(text, message):
    with pytest.raises(DateError, match=message):
        parse(text)


def test_reversed_interval_is_its_own_error():
    with pytest.raises(IntervalOrderError):
        parse("2019/2017")


def test_edtf_package_agrees_on_invalid_dates():
    for bad in ("2016-13", "2017-02-30", "2016-1-5"):
        with pytest.raises(edtf.parser.edtf_exceptions.EDTFParseException):
            edtf.parse_edtf(bad)


# --- the date relations, one bad input per relation and kind of conflict -------------------------
# (id, [(file, old, new)], [(location, severity, message)]): the exact findings, nothing else

RELATION_CASES = [
    (
        "DAT004-certain",
        [("events", "2016-01-06,Bob", "2016-01-11,Bob")],
        [
            (
                "raw/citations.csv:6:2 DAT004",
                "error",
                "source src-doc was published 2016-01-10, but event evt-2016-01-06-reply begins 2016-01-11: "
                "a source cannot report a later event (certain conflict); check the event's date or cite a "
                "later source",
            )
        ],
    ),
    (
        "DAT004-possible",
        [("sources", "2016-01-10,2026-01-01", "2016-01,2026-01-01")],
        [
            (
                "raw/citations.csv:5:2 DAT004",
                "warning",
                "source src-doc was published 2016-01-01 to 2016-01-31, but event evt-2016-01-05-offer begins "
                "2016-01-05: a source cannot report a later event (possible conflict); check the event's date or "
                "cite a later source",
            ),
            (
                "raw/citations.csv:6:2 DAT004",
                "warning",
                "source src-doc was published 2016-01-01 to 2016-01-31, but event evt-2016-01-06-reply begins "
                "2016-01-06: a source cannot report a later event (possible conflict); check the event's date or "
                "cite a later source",
            ),
        ],
    ),
    (
        "DAT005-certain",
        [("events", "2016-01-06,Bob", "2016-01-04,Bob")],
        [
            (
                "raw/events.csv:3:7 DAT005",
                "error",
                "event evt-2016-01-06-reply (2016-01-04) responds to evt-2016-01-05-offer (2016-01-05), which it "
                "may not follow (certain conflict); a response cannot come before what it answers",
            )
        ],
    ),
    (
        "DAT005-possible",
        [("events", "2016-01-06,Bob", "2016-01,Bob")],
        [
            (
                "raw/events.csv:3:7 DAT005",
                "warning",
                "event evt-2016-01-06-reply (2016-01-01 to 2016-01-31) responds to evt-2016-01-05-offer "
                "(2016-01-05), which it may not follow (possible conflict); a response cannot come before what "
                "it answers",
            )
        ],
    ),
    (
        "DAT006-certain",
        [("figures", "org-acme,2016-01-05", "org-acme,2016-02-01")],
        [
            (
                "raw/figures.csv:2:12 DAT006",
                "error",
                "as_of 2016-02-01 is outside the dates of event evt-2016-01-05-offer (2016-01-05) (certain "
                "conflict); make as_of fall within the event, or attach the figure to another event",
            )
        ],
    ),
    (
        "DAT006-possible",
        [("figures", "org-acme,2016-01-05", "org-acme,2016-01")],
        [
            (
                "raw/figures.csv:2:12 DAT006",
                "warning",
                "as_of 2016-01-01 to 2016-01-31 is outside the dates of event evt-2016-01-05-offer (2016-01-05) "
                "(possible conflict); make as_of fall within the event, or attach the figure to another event",
            )
        ],
    ),
    (
        "DAT007-certain",
        [("claims", "per-alice,2016-01-05", "per-alice,2016-01-04")],
        [
            (
                "raw/claims.csv:2:3 DAT007",
                "error",
                "claim clm-alice-offer-large is made 2016-01-04, before event evt-2016-01-05-offer begins "
                "(2016-01-05) (certain conflict); fix the date, or set prediction to true if it foretold the event",
            )
        ],
    ),
    (
        "DAT007-possible",
        [("claims", "per-alice,2016-01-05", "per-alice,2016-01")],
        [
            (
                "raw/claims.csv:2:3 DAT007",
                "warning",
                "claim clm-alice-offer-large is made 2016-01-01 to 2016-01-31, before event evt-2016-01-05-offer "
                "begins (2016-01-05) (possible conflict); fix the date, or set prediction to true if it foretold "
                "the event",
            )
        ],
    ),
    (
        "DAT007-prediction-exempt",
        [
            ("claims", "per-alice,2016-01-05", "per-alice,2016-01-04"),
            ("claims", "generous.,disputed,,false", "generous.,disputed,,true"),
        ],
        [],
    ),
    (
        "DAT010-certain",
        [("roles", "chair,2015,2017", "chair,2015,2014")],
        [
            (
                "raw/roles.csv:2:7 DAT010",
                "error",
                "role rol-alice-acme-chair ends 2014-01-01 to 2014-12-31, before it starts (2015-01-01 to "
                "2015-12-31) (certain conflict); check both dates",
            )
        ],
    ),
    (
        "DAT010-possible",
        [("roles", "chair,2015,2017", "chair,2016-01-03,2016-01")],
        [
            (
                "raw/roles.csv:2:7 DAT010",
                "warning",
                "role rol-alice-acme-chair ends 2016-01-01 to 2016-01-31, before it starts (2016-01-03) "
                "(possible conflict); check both dates",
            )
        ],
    ),
]


@pytest.mark.parametrize("edits,expected", [pytest.param(e, x, id=i) for i, e, x in RELATION_CASES])
def test_date_relation(minimal, edits, expected):
    for table, old, new in edits:
        edit(minimal / "raw" / f"{table}.csv", old, new)
    result = run(minimal)
    assert [(f"{f.path}:{f.line}:{f.column} {f.code}", f.severity, f.message) for f in result.findings] == expected


def test_every_relation_has_a_certain_and_a_possible_case():
    cases = {i for i, _, _ in RELATION_CASES}
    for spec in RELATIONS:
        assert {f"{spec.code.code}-certain", f"{spec.code.code}-possible"} <= cases, spec.code.code


def test_relations_name_columns_the_schemas_have():
    """The specifications are data about the tables: a renamed column must not silently disable one."""
    descriptor = json.loads((REPO / "datapackage.json").read_text())
    columns = {
        r["name"]: {f["name"] for f in json.loads((REPO / r["schema"]).read_text())["fields"]}
        for r in descriptor["resources"]
    }
    for spec in RELATIONS:
        row = columns[spec.table]
        assert spec.report in row and (not spec.unless or spec.unless in row), spec.code.code
        for where in (spec.date, spec.bound):
            assert where.column in columns[where.table], (spec.code.code, where)
            assert not where.via or where.via in row, (spec.code.code, where)
