"""The quote verification stage: each citation's quote looked for in its source's archived text.

It runs once per validation, after the package is read and before the checks, and produces a
`QuoteChecks`: one result per citation row (what CIT006, CIT008 and the email checks report from)
and, for the build, the same as an Arrow table keyed by the citation's primary key
(`quote_verified`, `quote_offset` in citations.parquet). Nothing later fills or changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from origins.archive.store import Text, find
from origins.core.columns import EMPTY, flags, ints, strings

KEY = ("row_id", "source_id", "locator")  # the citations' primary key


@dataclass(frozen=True)
class Quote:
    """What became of one citation's quote: 'verified' (with where), 'not-found' in the archived
    text, 'unpinned' (found, but the text's sha256 is not the one `sources.csv` records, so it
    proves nothing) or 'no-archive' (its source has no archived text here); None: no quote."""

    status: str
    source_id: str
    text: Text | None = None
    start: int | None = None
    end: int | None = None


@lru_cache(maxsize=512)
def _mapped(text: Text):
    from origins.archive.quotes import normalise_mapped

    return normalise_mapped(text.text)


def verify_each(ds, dirs: tuple[Path, ...]) -> list[Quote | None]:
    """One entry per citation row, in file order: is its quote in its source's archived text?"""
    from origins.archive.quotes import locate

    c, s = ds.tables.get("citations"), ds.tables.get("sources")
    if c is None or s is None:
        return []
    index = ds.index.get("sources", {})
    texts: dict[str, tuple[Text | None, str]] = {}
    found: dict[tuple, object] = {}
    headings: dict[tuple[str, str], int] = {}
    out: list[Quote | None] = [None] * c.num_rows  # None: no quote
    quoted = pc.not_equal(ds.column("citations", "quote"), EMPTY)
    for i, quote, sid, locator in ds.picked("citations", quoted, "quote", "source_id", "locator"):
        if sid not in texts:
            j = index.get(sid)
            name, sha = (s.cell(j, "snapshot"), s.cell(j, "sha256")) if j is not None else ("", "")
            texts[sid] = (find(dirs, name, sha) if (name or sha) else None), sha
        text, sha = texts[sid]
        if text is None:
            out[i] = Quote("no-archive", sid)
            continue
        if (text.sha256, locator) not in headings:  # a locator that is a heading of the text: where it is
            headings[text.sha256, locator] = text.text.find(locator) if locator else -1
        heading = headings[text.sha256, locator]
        where = (text.sha256, quote, max(heading, 0))  # one search for a quote cited twice in one place
        if where not in found:
            found[where] = locate(quote, text.text, _mapped(text), after=where[2])
        m = found[where]
        if m is None:
            out[i] = Quote("not-found", sid, text)
        else:
            out[i] = Quote("verified" if text.sha256 == sha else "unpinned", sid, text, m.start, m.end)
    return out


@dataclass
class QuoteChecks:
    """The stage's output: `checks[i]` is the result for citation row i (None: the row has no quote)."""

    checks: list[Quote | None] = field(default_factory=list)
    keys: list[tuple[str, str, str]] = field(default_factory=list)  # the citation key of each row

    def with_status(self, status: str):
        """(citation row, result) of the quotes whose check came out as `status`."""
        return ((i, q) for i, q in enumerate(self.checks) if q is not None and q.status == status)

    def stats(self) -> dict[str, int]:
        """How many quotes there are and how many were found in an archived text whose hash matches."""
        verified = sum(q is not None and q.status == "verified" for q in self.checks)
        total = sum(q is not None for q in self.checks)
        return {"total": total, "verified": verified, "unverified": total - verified}

    def table(self) -> pa.Table:
        """Key columns and, per quoted citation, whether it was verified and where it begins."""
        pairs = [(k, q) for k, q in zip(self.keys, self.checks, strict=True) if q is not None]
        columns = {name: strings([k[n] for k, _ in pairs]) for n, name in enumerate(KEY)}
        columns["quote_verified"] = flags([q.status == "verified" for _, q in pairs])
        columns["quote_offset"] = ints([q.start if q.status == "verified" else None for _, q in pairs])
        return pa.table(columns)


def verify(ds, dirs: tuple[Path, ...]) -> QuoteChecks:
    """The stage: every citation's quote checked against the archive in `dirs`."""
    c = ds.tables.get("citations")
    if c is None or not c.readable or "sources" not in ds.tables or not ds.tables["sources"].readable:
        return QuoteChecks()
    keys = list(zip(*(c.values(k) for k in KEY), strict=True))
    return QuoteChecks(verify_each(ds, dirs), keys)
