"""How the site words values: dates at their true precision, money with its qualifier and period,
the span of a role, the host of an address, and which addresses may become links at all."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
QUALIFIER_WORDS = {
    "about": "about ",
    "at-least": "at least ",
    "more-than": "more than ",
    "less-than": "less than ",
    "up-to": "up to ",
    "exact": "",
    "range": "",
}
PERIOD_WORDS = {"per-year": " a year", "per-batch": " per batch", "one-time": ""}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def safe_url(url: str | None) -> str | None:
    """The URL if it is absolute http(s) with a host, else None (never a javascript: link)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() or c in "<>\"'`" for c in url):
        return None
    return url


def _one_date(text: str) -> str:
    qualifier = text[-1] if text and text[-1] in "?~%" else ""
    core = text.rstrip("?~%")
    parts = core.split("-")
    if len(parts) == 3:
        shown = f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    elif len(parts) == 2:
        shown = f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    else:
        shown = core
    if qualifier in "~%" and qualifier:
        shown = "about " + shown
    if qualifier in "?%" and qualifier:
        shown += " (uncertain)"
    return shown


def format_date(edtf: str) -> str:
    """An EDTF date at its true precision: '11 December 2015', 'September 2016', 'about 2016'."""
    if "/" in edtf:
        start, end = edtf.split("/", 1)
        if end in ("", ".."):
            return f"from {_one_date(start)}"
        if start in ("", ".."):
            return f"until {_one_date(end)}"
        return f"{_one_date(start)} – {_one_date(end)}"
    return _one_date(edtf)


def _amount(value: Decimal, unit: str, currency: str | None) -> str:
    if unit == "percent":
        return f"{value.normalize():f}%"
    if unit == "multiple":
        return f"{value.normalize():f} times"
    symbol = SYMBOLS.get(currency or "", f"{currency} ")
    for size, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if value >= size:
            n = (value / size).quantize(Decimal("0.01")).normalize()
            return f"{symbol}{n:f} {word}"
    whole = value.quantize(Decimal("0.01")).normalize()
    return f"{symbol}{whole:,f}" if whole == whole.to_integral() else f"{symbol}{value:,.2f}"


def format_figure(f: dict) -> str:
    """'more than $1.9 million', '$100,000–$200,000 a year', '51.2%'."""
    amount = _amount(f["amount"], f["unit"], f.get("currency"))
    if f["qualifier"] == "range" and f.get("amount_high") is not None:
        amount = f"{amount}–{_amount(f['amount_high'], f['unit'], f.get('currency'))}"
    return QUALIFIER_WORDS.get(f["qualifier"], "") + amount + PERIOD_WORDS.get(f.get("period") or "", "")


def host(url: str) -> str:
    """The site a link leads to, as a short link text ('theverge.com')."""
    return (urlsplit(url).hostname or url).removeprefix("www.")


def _when(edtf: str) -> str:
    """A role's start or end: an open interval is its known end, a closed one 'between … and …', an
    open start ('../2019-03-06': held by then, since when unknown) 'held by …'."""
    if "/" not in edtf:
        return _one_date(edtf)
    a, b = edtf.split("/", 1)
    if a in ("", ".."):
        return f"held by {_one_date(b)} (start unknown)"
    return _one_date(a) if b in ("", "..") else f"between {_one_date(a)} and {_one_date(b)}"


def role_span(r: dict) -> str:
    """'11 December 2015 – 20 February 2018'; no end reads 'from …, no known end' (an empty end is one
    not known to have ended, which is not the same as one known to go on)."""
    start = _when(r["start"])
    if r.get("end"):
        return f"{start} – {_when(r['end'])}"
    return f"{start}, no known end" if start.startswith("held by") else f"from {start}, no known end"


def role_text(r: dict) -> str:
    """'Co-chair, OpenAI (11 December 2015 – 20 February 2018)'; no end reads 'from …, no known end'."""
    return f"{r['title']}, {r['organization']} ({role_span(r)})"


def quote_standing(s: dict, cites: list[dict]) -> str:
    """Whether a source's quotes were verified: against its archived text, or why not."""
    quoted = [c for c in cites if c.get("quote")]
    verified = sum(bool(c.get("quote_verified")) for c in quoted)
    if not quoted:
        return "no quotes"
    if not s.get("sha256"):
        return f"{len(quoted)} quoted; not verified (no archived text)"
    return f"{verified} of {len(quoted)} verified" + ("" if verified == len(quoted) else " against the archived text")


QUESTION_WORDS = {
    "open": "Open (no ruling on it yet)",
    "decided": "Decided by a ruling",
    "agreed": "Agreed by the parties",
    "answered": "Answered by the documents, without a ruling",
    "moot": "Moot (it fell away)",
    "not-reached": "Not reached (the case ended without a ruling on it)",
}


def question_status(status: str) -> str:
    """A question's status in words (questions.status, whose schema says what each means)."""
    return QUESTION_WORDS.get(status, status.replace("-", " ").capitalize())


def answer_words(answer: str) -> str:
    """'yes' -> 'Yes', 'in-part' -> 'In part': a claim's answer to its question, as a heading."""
    return answer.replace("-", " ").capitalize()
