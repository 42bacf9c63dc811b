"""Numbers and days a quote states, read the way a careful reader would, with the precision it shows.

A quote is evidence for the row that cites it; where it prints an amount or a day, the row must
agree with it (MON009, DAT011). This module only reads: it finds each amount of money (in US
dollars: `$44 million`, `$US38 million`, `$20MM`, `$275k`, `$97,375,000,000`, `1 billion dollar`,
`50 million US dollars`, `$50-60 million`), percentage (`51.2%`, `50 percent`, `25bps`), multiple
(`100x`, `100 times`) and calendar day (`July 22, 2019`, `22 July 2019`, `2019-07-22`,
`07/22/2019`) with the value and the unit of its last shown digit (`$97.4 billion`: 0.1 billion;
`$425,000`: one dollar), so that "agrees" can allow exactly the rounding the quote shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

SCALES = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mm": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "t": 10**12,
    "trillion": 10**12,
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:thousand|million|billion|trillion|mm|mn|bn|[kmbt])\b"
_MONEY = re.compile(
    rf"(?:US ?\$|\$ ?(?:US)? ?)(?P<a>{_NUM})\+?(?: ?(?:-|–|to) ?\$?(?P<b>{_NUM})\+?)? ?(?P<s>{_SCALE})?"
    rf"|\b(?P<w>{_NUM})\+? ?(?P<ws>{_SCALE})? (?:US )?(?:dollars?|USD)\b",
    re.I,
)
_PERCENT = re.compile(rf"\b(?P<a>{_NUM})(?: ?(?:%|-|–|to) ?(?P<b>{_NUM}))? ?(?P<u>%|percent\b|per cent\b|bps\b)", re.I)
_MULTIPLE = re.compile(rf"\b(?P<a>{_NUM}) ?(?:x|times)\b", re.I)
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = r"(?P<m>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DAYS = re.compile(
    rf"\b{_MONTH} (?P<d>\d{{1,2}}), (?P<y>(?:19|20)\d\d)\b"
    rf"|\b(?P<d2>\d{{1,2}}) (?P<m2>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? (?P<y2>(?:19|20)\d\d)\b"
    r"|\b(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d)\b"
    r"|\b(?P<m4>\d{1,2})/(?P<d4>\d{1,2})/(?P<y4>(?:19|20)\d\d)\b"
)


@dataclass(frozen=True)
class Number:
    """An amount a quote states: its value, the unit of its last shown digit, and the text."""

    value: Decimal
    step: Decimal  # 0.1e9 for "$97.4 billion"; 1 for "$425,000"
    text: str

    def agrees(self, amount: Decimal, qualifier: str) -> bool:
        """Whether a row's amount with that qualifier says what this number says: equal within the
        rounding the quote shows, and for 'about' also within 5 % of it."""
        slack = self.step / 2
        if qualifier == "about":
            slack = max(slack, abs(self.value) * Decimal("0.05"))
        return abs(amount - self.value) <= slack


def _number(text: str, scale: int = 1) -> Number:
    digits = text.replace(",", "")
    places = len(digits.split(".")[1]) if "." in digits else 0
    return Number(Decimal(digits) * scale, Decimal(scale) / (10**places), text)


def _scaled(a: str, b: str | None, s: str | None, whole: str) -> list[Number]:
    scale = SCALES[s.lower()] if s else 1
    return [replace(_number(x, scale), text=whole) for x in (a, b) if x]


def money(quote: str) -> list[Number]:
    """Every dollar amount the quote states (see the module docstring)."""
    out = []
    for m in _MONEY.finditer(quote):
        if m["w"]:
            out += _scaled(m["w"], None, m["ws"], m.group().strip())
        else:
            out += _scaled(m["a"], m["b"], m["s"], m.group().strip())
    return out


def percents(quote: str) -> list[Number]:
    """Every percentage the quote states; basis points are read as hundredths of a percent."""
    out = []
    for m in _PERCENT.finditer(quote):
        for x in (m["a"], m["b"]):
            if x:
                n = _number(x)
                if m["u"].lower() == "bps":
                    n = Number(n.value / 100, n.step / 100, n.text)
                out.append(replace(n, text=m.group().strip()))
    return out


def multiples(quote: str) -> list[Number]:
    """Every multiple ("100x", "100 times") the quote states."""
    return [replace(_number(m["a"]), text=m.group().strip()) for m in _MULTIPLE.finditer(quote)]


READERS = {"money": money, "percent": percents, "multiple": multiples}  # figures.unit -> reader


def days(quote: str) -> list[tuple[date, str]]:
    """Every calendar day the quote names, with its text (impossible days, like February 30, are skipped)."""
    out = []
    for m in _DAYS.finditer(quote):
        try:
            if m["m"]:
                d = date(int(m["y"]), _month(m["m"]), int(m["d"]))
            elif m["m2"]:
                d = date(int(m["y2"]), _month(m["m2"]), int(m["d2"]))
            elif m["y3"]:
                d = date(int(m["y3"]), int(m["m3"]), int(m["d3"]))
            else:
                d = date(int(m["y4"]), int(m["m4"]), int(m["d4"]))
        except ValueError:
            continue
        out.append((d, m.group()))
    return out


def _month(name: str) -> int:
    return next(i for i, full in enumerate(_MONTHS, 1) if full.startswith(name.lower()[:3]))
