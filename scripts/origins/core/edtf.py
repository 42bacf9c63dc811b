"""EDTF dates as (earliest, latest) day bounds, parsed once per distinct string.

Plain ISO dates and their `?`/`~`/`%` forms, and intervals of them, take a fast path with
calendar validation (`edtf.parse_edtf` costs milliseconds a value). Anything else in EDTF
levels 0-1 (unspecified digits, seasons, ...) goes to the `edtf` package, which is also
the reference the fast path is tested against.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

_PLAIN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%]?)")
QUALIFIERS = {"": "", "?": "uncertain", "~": "approximate", "%": "uncertain-approximate"}


@dataclass(frozen=True)
class Span:
    earliest: date | None  # None: open or unknown start
    latest: date | None  # None: open or unknown end
    precision: str  # day, month, year, interval, other
    qualifier: str = ""  # uncertain, approximate, uncertain-approximate


class DateError(ValueError):
    pass


class IntervalOrderError(DateError):
    """Both ends parse, but the start lies after the end."""


def _single(text: str) -> Span:
    m = _PLAIN.fullmatch(text)
    if m is None:
        return _with_edtf(text)
    y, mo, d, q = m.groups()
    year = int(y)
    if year == 0:
        raise DateError(f"{text!r}: year 0000 is not a calendar year")
    if mo is None:
        return Span(date(year, 1, 1), date(year, 12, 31), "year", QUALIFIERS[q])
    month = int(mo)
    if not 1 <= month <= 12:
        raise DateError(f"{text!r}: month {mo} does not exist (use 01-12)")
    last = calendar.monthrange(year, month)[1]
    if d is None:
        return Span(date(year, month, 1), date(year, month, last), "month", QUALIFIERS[q])
    day = int(d)
    if not 1 <= day <= last:
        raise DateError(f"{text!r}: {calendar.month_name[month]} {year} has no day {d}")
    return Span(date(year, month, day), date(year, month, day), "day", QUALIFIERS[q])


def _to_date(st) -> date | None:
    if st is None or isinstance(st, float):  # edtf returns ±inf for open ends
        return None
    return date(st.tm_year, st.tm_mon, st.tm_mday)


def _with_edtf(text: str) -> Span:
    import edtf

    try:
        parsed = edtf.parse_edtf(text)
    except Exception:  # the package raises its own exception types; all mean "not EDTF"
        raise DateError(
            f"{text!r} is not a valid EDTF date (write 2016, 2016-09, 2016-09-21, "
            "add ? or ~ for uncertain or approximate, or start/end)"
        ) from None
    try:
        return Span(_to_date(parsed.lower_strict()), _to_date(parsed.upper_strict()), "other")
    except (ValueError, OverflowError, TypeError) as exc:
        raise DateError(f"{text!r}: {exc}") from None


@cache
def parse(text: str) -> Span:
    """Parse an EDTF string; raises DateError with a message a contributor can act on."""
    if not isinstance(text, str) or text != text.strip() or not text:
        raise DateError(f"{text!r}: a date must not be empty or have spaces around it")
    if "/" in text:
        start, _, end = text.partition("/")
        if "/" in end:
            raise DateError(f"{text!r}: an interval has exactly one '/'")
        lo = None if start in ("", "..") else _single(start)
        hi = None if end in ("", "..") else _single(end)
        if lo is None and hi is None:
            raise DateError(f"{text!r}: an interval needs at least one known end")
        if lo is not None and hi is not None and lo.earliest and hi.latest and lo.earliest > hi.latest:
            raise IntervalOrderError(f"{text!r}: the interval starts ({start}) after it ends ({end})")
        return Span(lo.earliest if lo else None, hi.latest if hi else None, "interval")
    return _single(text)
