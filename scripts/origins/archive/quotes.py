"""Finding a quote in an archived text, the way a careful reader would.

Normalisation (applied to both the quote and the text, documented in docs/checks.md):
Unicode NFKC (per character with its combining marks), curly and straight quote marks made
straight, the dashes and minus signs made '-', and every run of white space one space. An
ellipsis character '…' in a quote marks an elision: each part must be found, in order. The
result gives the character offset of the match in the original (not normalised) text, so a
reader can jump to it. Where a citation's locator is a heading of the text (an email's header
line, a section title), the quote is looked for under that heading first.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

ELLIPSIS = "\u2026"
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u00b4`"), "'")
_QUOTES.update(dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"'))
_QUOTES.update(dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-"))
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The normal form of a text (see the module docstring)."""
    if text.isascii():  # the common case: NFKC changes nothing (the quote table still maps '`')
        return _SPACE.sub(" ", text.translate(_QUOTES)).strip()
    return normalise_mapped(text)[0].strip()


def _clusters(text: str):
    """(start, characters) of each base character with the combining marks that follow it."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            yield start, text[start:i]
            start = i


_TOKEN = re.compile(r"[!-~]+(?: [!-~]+)*|\s+|.", re.S)  # ASCII words one space apart, white space, one other character


def normalise_mapped(text: str) -> tuple[str, list[int]]:
    """The normal form and, for each of its characters, the offset it came from in `text`.

    Printable ASCII passes NFKC unchanged and the quote table maps it one to one, so runs of it
    (words one space apart) are taken whole; other characters are normalised one by one. A text
    with combining marks goes cluster by cluster (`normalise_clusters`, which this equals on every
    other text).
    """
    if not text.isascii() and any(unicodedata.combining(c) for c in set(text)):
        return normalise_clusters(text)
    return _normalise_chunks((m.start(), m.group()) for m in _TOKEN.finditer(text))


def normalise_clusters(text: str) -> tuple[str, list[int]]:
    """`normalise_mapped` one character cluster at a time: the reference, and the way for texts with
    combining marks."""
    return _normalise_chunks(_clusters(text))


def _normalise_chunks(chunks) -> tuple[str, list[int]]:
    """The normal form of (offset, text) chunks, each white space, printable ASCII, or one character
    (cluster) to normalise; with the offset each output character came from."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for start, chunk in chunks:
        if chunk.isspace():
            if not space:
                out.append(" ")
                where.append(start)
            space = True
            continue
        space = False
        if "!" <= chunk[0] <= "~" and chunk.isascii():
            out.append(chunk.translate(_QUOTES))
            where.extend(range(start, start + len(chunk)))
            continue
        norm = _SPACE.sub(" ", unicodedata.normalize("NFKC", chunk).translate(_QUOTES))
        out.append(norm)
        where.extend([start] * len(norm))
    return "".join(out), where


@dataclass(frozen=True)
class Match:
    """Where a quote was found: offsets in the original text (end is exclusive)."""

    start: int
    end: int


def parts(quote: str) -> list[str]:
    """The normalised parts of a quote, split at each elision '…'."""
    return [p for p in (normalise(x) for x in quote.split(ELLIPSIS)) if p]


def locate(quote: str, text: str, mapped: tuple[str, list[int]] | None = None, after: int = 0) -> Match | None:
    """Where `quote` occurs in `text` after normalisation, every elided part in order; or None.

    `after` (an offset in `text`) starts the search there: a citation whose locator is a
    heading of the text (an email's header line, a section title) is looked for under that
    heading first, so that a short quote ('Ok') is found where it was cited."""
    pieces = parts(quote)
    if not pieces:
        return None
    norm, where = mapped or normalise_mapped(text)
    later = _find(pieces, norm, where, bisect_left(where, after)) if after else None
    return later or _find(pieces, norm, where, 0)


def _find(pieces: list[str], norm: str, where: list[int], pos: int) -> Match | None:
    first, last = None, 0
    for piece in pieces:
        i = norm.find(piece, pos)
        if i < 0:
            return None
        first = i if first is None else first
        pos = last = i + len(piece)
    return Match(where[first], where[last - 1] + 1)
