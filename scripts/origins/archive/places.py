"""Places in a document that a citation's `locator` names, and the grammar locators follow.

A locator is one or more parts joined by ", " (`p. 13 of 53, undisputed fact 43`), each naming a
place at a finer grain. For an archived text (one whose bytes are in the source archive) the
first part is resolved to a span of the text, and the quote must lie in that span:

- `line N`: the Nth line of the text.
- `bullet N`: the Nth line that starts with a bullet mark (•, ‣, ◦).
- `paragraph N`: the Nth paragraph of the body: blocks of text between blank lines, after a
  `Markdown Content:` line where a capture has one; headings (#), images, and their captions (a
  line in _italics_) and credits ("Photo by …") do not count. In a text with no blank line (as
  `origins snapshot` writes an article) each line that ends a sentence is a paragraph (a headline
  is not).
- `introduction`: the text before the first bullet (in a text without bullets, up to its second paragraph).
- `article`, `post`, `publication record` and the other words of WHOLE: the whole document.
- a line the text prints (an email's header, a section heading): the text from that line on
  (email compilations are resolved by origins.archive.headers, EML001 and EML002).

Pages, exhibits and entries of a filing or a log are not marked in a plain text: for them, and
for every locator of a text not in the archive, each part is checked against the forms below
(GRAMMAR) and against the forms its source's kind has (KINDS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_N = r"\d+"
_ID = r"[A-Z0-9]{1,4}(?:-\d+)?"  # an exhibit's letter or number: D, 15, PX 12
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DAY = rf"{_MONTH} (?:\d{{1,2}}(?:, \d{{4}})?|\d{{4}})"  # May 4, May 4, 2026, or May 2026
_TIME = r"\d{1,2}:\d{2} ?[AP]M"
_NOTE = r"(?: \([^()]*\))?"  # a parenthesis saying which numbering: (ECF header), (PX 12)

WHOLE = (
    "article",
    "post",
    "embedded post",
    "newsletter",
    "publication record",
    "single page",
    "summary",
    "standfirst",
    "dateline paragraph",
)

# form name -> pattern of one part; the order is the order docs/checks.md lists them in
GRAMMAR: dict[str, str] = {
    "page": rf"(?:printed )?p\. (?P<page>{_N})(?: of (?P<pages>{_N}))?{_NOTE}",
    "pages": rf"(?:printed )?pp\. (?P<first>{_N})-(?P<last>{_N})(?: of (?P<pages>{_N}))?{_NOTE}",
    "numbered paragraph": rf"(?:(?:response to|Exhibit {_ID}) )?¶ {_N}(?:-{_N})?",
    "line": rf"(?:line (?P<line>{_N})|lines {_N}-{_N}|l{{1,2}}\. {_N}(?:-{_N})?)",
    "footnote": rf"(?:footnote|n\.) {_N}",
    "undisputed fact": rf"undisputed fact {_N}",
    "table row": rf"row {_N}(?:/{_N})*",
    "exhibit": rf"(?:Exhibit|DX|PX) {_ID}(?: \(Dkt\. No\. {_N}(?:-{_N})?\))?",
    "docket entry": rf"Dkt\. No\. {_N}(?:-{_N})?",
    "bullet": rf"bullet (?P<bullet>{_N})",
    "paragraph": rf"paragraph (?P<paragraph>{_N})",
    "described paragraph": r'paragraph (?:beginning|after) .+|".+" paragraph',
    "section": r"section .+",
    "introduction": r"introduction",
    "whole document": "|".join(re.escape(w) for w in WHOLE),
    "dated entry": rf"(?:entry for|post of) {_DAY}",
    "message": rf"(?:message|email|reply) (?:of|at) .+|{_TIME}(?: \(\w+\))?|.+'s reply",
    "trial day": rf"Day {_N} — \w{{3}}, {_DAY}",
    "opening or close": r"opening|close",
    "named passage": r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+)?",
}
EXAMPLES: dict[str, str] = {  # one locator of each form, for docs/checks.md (tests parse each)
    "page": "p. 13 of 53",
    "pages": "printed pp. 4-6",
    "numbered paragraph": "¶ 83",
    "line": "line 2",
    "footnote": "footnote 3",
    "undisputed fact": "undisputed fact 43",
    "table row": "row 3/2/1",
    "exhibit": "Exhibit 15 (Dkt. No. 353-15)",
    "docket entry": "Dkt. No. 25-5",
    "bullet": "bullet 12",
    "paragraph": "paragraph 4",
    "described paragraph": 'paragraph beginning "TechCrunch reported"',
    "section": "section The Proposed Structure",
    "introduction": "introduction",
    "whole document": "article",
    "dated entry": "entry for March 3, 2017",
    "message": "message of 2:14 PM (GMT)",
    "trial day": "Day 7 — Tue, May 5, 2026",
    "opening or close": "opening",
    "named passage": "Brockman",
}
_PROSE = (
    "paragraph",
    "described paragraph",
    "line",
    "page",
    "pages",
    "section",
    "introduction",
    "whole document",
    "opening or close",
)  # a printed article has pages too
_FILING = ("page", "pages", "numbered paragraph", "line", "footnote", "section", "table row", "whole document")
# sources.kind -> the forms its locators take (email compilations also name an email by its header line)
KINDS: dict[str, tuple[str, ...]] = {
    "court-filing": (*_FILING, "undisputed fact", "exhibit", "docket entry", "message"),
    "court-docket": ("docket entry", "page", "whole document"),
    "tax-filing": _FILING,
    "email-compilation": ("exhibit", "page", "pages", "line", "named passage"),
    "social-post": ("bullet", "line", "paragraph", "introduction", "whole document"),
    "news-article": (*_PROSE, "named passage"),
    "press-release": _PROSE,
    "newsletter": _PROSE,
    "forum-post": _PROSE,
    "blog-post": (*_PROSE, "named passage", "dated entry", "trial day", "message", "exhibit", "docket entry"),
}
_FORMS = [(name, re.compile(pattern)) for name, pattern in GRAMMAR.items()]
# split at ", " except before a year (", 2017"), inside parentheses or quotes
_PARTS = re.compile(rf',\s+(?!\d{{4}}\b)(?!{_MONTH} \d)(?![^()]*\))(?![^"]*"(?:[^"]*"[^"]*")*[^"]*$)')


@dataclass(frozen=True)
class Part:
    text: str
    form: str  # a key of GRAMMAR, or "" when it matches none
    groups: dict


def parse(locator: str) -> list[Part]:
    """Each part of a locator with the form it takes ("" for none)."""
    out = []
    for text in _PARTS.split(locator.strip()):
        for name, pattern in _FORMS:
            m = pattern.fullmatch(text)
            if m:
                out.append(Part(text, name, {k: v for k, v in m.groupdict().items() if v is not None}))
                break
        else:
            out.append(Part(text, "", {}))
    return out


def problem(parts: list[Part], kind: str = "") -> str:
    """Why a parsed locator cannot point into any document, or into a document of that kind ('' when
    it can)."""
    for p in parts:
        if not p.form:
            return f"{p.text!r} is none of the forms of a locator"
        if kind in KINDS and p.form not in KINDS[kind]:
            return f"{p.text!r} is a {p.form}, which a {kind} does not have"
        g = p.groups
        if "pages" in g and int(g.get("page", g.get("last", 0))) > int(g["pages"]):
            return f"{p.text!r} names a page after the last"
        if "first" in g and int(g["first"]) > int(g["last"]):
            return f"{p.text!r} names its pages backwards"
        if any(int(g[k]) == 0 for k in ("page", "first", "line", "bullet", "paragraph") if k in g):
            return f"{p.text!r} counts from 0; pages, lines, bullets and paragraphs count from 1"
    return ""


# --- places in an archived text -------------------------------------------------------------

_BULLET = re.compile(r"^[ \t]*[•‣◦][ \t]", re.M)
_BLOCK = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")  # lines with text, up to a blank line
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_SENTENCE_END = re.compile(r"[.!?:;…\"'”’)]\s*$")  # a line that ends a sentence; a headline does not
_CAPTION = re.compile(r"_[^\n]+_|(?:Photo|Image|Illustration) by [^\n]+")  # an image's caption or credit line


@lru_cache(maxsize=64)
def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, in order."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return out


@lru_cache(maxsize=64)
def bullets(text: str) -> list[tuple[int, int]]:
    """(start, end) of every bulleted line, in order."""
    out = []
    for m in _BULLET.finditer(text):
        end = text.find("\n", m.start())
        out.append((m.start(), len(text) if end < 0 else end))
    return out


@lru_cache(maxsize=64)
def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every paragraph of the body (see the module docstring)."""
    body = text.find("Markdown Content:")
    pos = 0 if body < 0 else body + len("Markdown Content:")
    out = []
    for m in _BLOCK.finditer(text, pos):
        block = m.group().strip()
        if not block.startswith("#") and not _IMAGE.fullmatch(block) and not _CAPTION.fullmatch(block):
            out.append((m.start(), m.start() + len(m.group().rstrip())))
    if len(out) == 1 and "\n" in text[out[0][0] : out[0][1]]:  # no blank line anywhere: a line is a paragraph
        spans = [span for span in lines(text) if span[0] >= out[0][0] and text[span[0] : span[1]].strip()]
        return [(a, b) for a, b in spans if _SENTENCE_END.search(text[a:b])]
    return out


@dataclass(frozen=True)
class Place:
    """Where a locator points in an archived text: a span, or why there is none."""

    start: int = 0
    end: int = 0
    what: str = ""  # "bullet 12", "paragraph 3", … for messages
    missing: str = ""  # why the locator names no place of this text ('' when it does)


def place(locator: str, text: str) -> Place | None:
    """The span of `text` that `locator` names; None when the locator does not name a place the
    archive can resolve (a page of a filing: only its grammar is checked)."""
    parts = parse(locator)
    if not parts:
        return None
    first = parts[0]
    if first.form == "line" and "line" in first.groups:
        n, found = int(first.groups["line"]), lines(text)
        if n > len(found):
            return Place(missing=f"the text has {len(found)} lines", what=first.text)
        return Place(*found[n - 1], what=first.text)
    if first.form == "bullet":
        n, found = int(first.groups["bullet"]), bullets(text)
        if n > len(found):
            return Place(missing=f"the text has {len(found)} bullets", what=first.text)
        return Place(*found[n - 1], what=first.text)
    if first.form == "paragraph":
        n, found = int(first.groups["paragraph"]), paragraphs(text)
        if n > len(found):
            return Place(missing=f"the text has {len(found)} paragraphs", what=first.text)
        return Place(*found[n - 1], what=first.text)
    if first.form == "introduction":
        found = bullets(text) or paragraphs(text)[1:]
        return Place(0, found[0][0] if found else len(text), what="the introduction")
    if first.form == "whole document":
        return Place(0, len(text), what="the document")
    at = text.find(locator.strip())
    if at >= 0:  # a line of the text: a header or heading, and what follows it
        return Place(at, len(text), what=repr(locator.strip()))
    if first.form:
        return None  # a page, an exhibit, an entry: a place this text does not mark
    return Place(missing="it is neither a line of the text nor a form of docs/checks.md", what=locator)
