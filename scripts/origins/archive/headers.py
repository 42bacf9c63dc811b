"""The structure of an email compilation: each email's header (sender, recipients, copies, day)
and where its text starts and ends, so that events can be checked against the emails they cite.

The compilations of the Musk v. Altman exhibits print one header line per email, for example
``Sam Altman to Elon Musk, (cc: Sam Teller) - Sep 16, 2016 2:37 PM`` or
``Elon Musk to Ilya Sutskever (cc: Sam Altman; Greg Brockman) - Sep 20, 2017 (2:17PM)``.
A citation names its email by that header line in `locator`; the quote must lie in that
email's text, which runs from its header to the next one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_DAY = r"(?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})"
_TIME = r"(?:\s*\(?(?P<time>\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M)\)?)?"
HEADER = re.compile(
    r"^(?P<sender>[^\n]{1,60}?)"
    r"(?: received this email from (?P<origin>[^\n]{1,60}?) and forwards it)?"
    r" to:? (?P<rest>[^\n]{1,400}?) [-\u2013] " + _DAY + _TIME + r"[^\n]*$",
    re.MULTILINE,
)
_CC = re.compile(r",?\s*\(cc:?\s*(?P<cc>[^)]*)\)\s*$")
_SPLIT = re.compile(r"\s*(?:,|;|\band\b)\s*")


@dataclass(frozen=True)
class Email:
    header: str
    sender: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    forwarded: tuple[str, ...]  # authors of a forwarded email ('fw:' in the copy list)
    day: date
    time: str
    start: int  # offset of the header line in the text
    end: int  # offset where the next email begins (or the end of the text)


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in _SPLIT.split(text) if n.strip())


def _day(m: re.Match) -> date | None:
    for fmt in ("%b %d %Y", "%B %d %Y"):
        try:
            return datetime.strptime(f"{m['month']} {m['day']} {m['year']}", fmt).date()
        except ValueError:
            continue
    return None


def parse(text: str) -> list[Email]:
    """Every email header in a compilation, in order, with the span of its text."""
    found = []
    for m in HEADER.finditer(text):
        day = _day(m)
        if day is None or len(m["sender"].split()) > 4:
            continue  # prose that happens to contain " to ... - Month D, YYYY"
        rest, cc, fw = m["rest"].strip(), (), ()
        c = _CC.search(rest)
        if c:
            rest = rest[: c.start()]
            listed = _names(c["cc"])
            cc = tuple(n for n in listed if not n.lower().startswith("fw:"))
            fw = tuple(n[3:].strip() for n in listed if n.lower().startswith("fw:"))
        if m["origin"]:
            fw += (m["origin"].strip(),)
        found.append(
            (m.start(), m.group(0).strip(), m["sender"].strip(), _names(rest.rstrip(",")), cc, fw, day, m["time"] or "")
        )
    emails = []
    for k, (start, header, sender, to, cc, fw, day, time) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(text)
        emails.append(Email(header, sender, to, cc, fw, day, (time or "").replace(" ", ""), start, end))
    return emails


def by_header(emails: list[Email]) -> dict[str, list[Email]]:
    """Emails grouped by their header line (a header can repeat: the same two people, one day)."""
    out: dict[str, list[Email]] = {}
    for e in emails:
        out.setdefault(e.header, []).append(e)
    return out


def containing(emails: list[Email], offset: int) -> Email | None:
    """The email whose text holds the character at `offset`."""
    for e in emails:
        if e.start <= offset < e.end:
            return e
    return None
