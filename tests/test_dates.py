"""EDTF parsing: the fast path agrees with the edtf package, and errors say what is wrong."""

from __future__ import annotations

from datetime import date

import edtf
import pytest

from origins.dates import DateError, IntervalOrderError, _with_edtf, parse

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
