"""Date checks on EDTF bounds: certain conflicts are errors, possible ones warnings.

For two spans A and B, "A certainly before B" means latest(A) < earliest(B); "A possibly
before B" means earliest(A) < earliest(B) while not certainly so. Open ends never conflict.

The relations between two dates of related rows (DAT004-DAT007, DAT010) are data: RELATIONS
says, for each, which table's rows it judges, where each of the two dates is (a column of the
row, or of the row another column names), how they must relate and what the finding says; one
function, `date_relations`, applies them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.columns import EMPTY, ints, numbers, strings, text, truth
from origins.core.edtf import DateError, IntervalOrderError, Span, parse
from origins.core.findings import ERROR, WARNING
from origins.read.models import typed_column, typed_record


def edtf_fields(ds):
    """(table, column) of every EDTF column, as the schemas mark them (x-edtf)."""
    for name, t in ds.tables.items():
        for f in t.schema.get("fields", []):
            if f.get("x-edtf"):
                yield name, f["name"]


def span(ds, table: str, row: int, column: str) -> Span | None:
    """The parsed span of a cell, or None if empty or invalid (DAT001 reports those)."""
    return span_of(ds.tables[table].cell(row, column))


def _fmt(s: Span) -> str:
    if s.earliest == s.latest:
        return str(s.earliest)
    return f"{s.earliest or '..'} to {s.latest or '..'}"


def order(first: Span, second: Span) -> str | None:
    """How surely `second` comes before `first` begins: 'certain', 'possible' or None."""
    if first.earliest is None or second.earliest is None:
        return None
    if second.latest is not None and second.latest < first.earliest:
        return "certain"
    if second.earliest < first.earliest:
        return "possible"
    return None


def outside(inner: Span, outer: Span) -> str | None:
    """How surely `inner` lies outside `outer`: 'certain', 'possible' or None."""
    if not (inner.earliest and outer.earliest):
        return None
    inner_hi, outer_hi = inner.latest or date.max, outer.latest or date.max
    if inner_hi < outer.earliest or inner.earliest > outer_hi:
        return "certain"
    if inner.earliest < outer.earliest or inner_hi > outer_hi:
        return "possible"
    return None


@check(
    Code("DAT001", "invalid-date", "A date is not valid EDTF (e.g. 2016-13, 2017-02-30, 2016-1-5).", "{column} {why}"),
    needs="*",
)
def invalid_date(ds, ctx, r):
    for table, column in edtf_fields(ds):
        for i in r.where(table, _failing(ds, table, column, DateError, IntervalOrderError)):
            try:
                parse(ds.tables[table].cell(i, column))
            except DateError as exc:
                yield r.report(table, i, column, "DAT001", column=column, why=exc)


def _failing(ds, table: str, column: str, error: type, unless: type | None = None):
    """Which cells of an EDTF column fail to parse with `error` (but not `unless`), as Arrow
    booleans: each distinct value is parsed once."""
    cells = ds.column(table, column)
    bad = []
    for value in pc.unique(cells).to_pylist():
        try:
            parse(value) if value else None
        except DateError as exc:
            if isinstance(exc, error) and not (unless and isinstance(exc, unless)):
                bad.append(value)
    return pc.is_in(cells, value_set=strings(bad))


@check(
    Code("DAT003", "interval-reversed", "An interval starts after it ends.", "{column} {why}; swap the two ends"),
    needs="*",
)
def interval_reversed(ds, ctx, r):
    for table, column in edtf_fields(ds):
        for i in r.where(table, _failing(ds, table, column, IntervalOrderError)):
            try:
                parse(ds.tables[table].cell(i, column))
            except IntervalOrderError as exc:
                yield r.report(table, i, column, "DAT003", column=column, why=exc)


@check(
    Code(
        "DAT002",
        "future-date",
        "A date lies after the day of the run.",
        {
            "date": "{column} begins {begins}, after today ({today}); only record what has happened",
            "accessed": "accessed {accessed} is after today ({today})",
        },
    ),
    needs="*",
)
def future_date(ds, ctx, r):
    for table, column in edtf_fields(ds):
        first, _, ok = bounds(ds, table, column)
        for i in np.flatnonzero(ok & (first != NO_START) & (first > ctx.today.toordinal())).tolist():
            begins = span(ds, table, i, column).earliest
            yield r.report(table, i, column, "DAT002", "date", column=column, begins=begins, today=ctx.today)
    accessed = typed_column(ds, "sources", "accessed") if "sources" in ds.tables else []
    for i in [i for i, day in enumerate(accessed) if day and day > ctx.today]:
        if rec := typed_record(ds, "sources", i):  # the whole row must fit, as frictionless reads it
            yield r.report("sources", i, "accessed", "DAT002", "accessed", accessed=rec.accessed, today=ctx.today)


@check(
    Code(
        "DAT009",
        "claim-without-its-document",
        "None of a claim's sources could have made it: all were published before the claim.",
        "claim {id} is made {made}, but every source cited for it was published earlier: {sources}; cite the "
        "document that makes the claim, or fix made_on",
    ),
    needs=("claims", "sources", "citations"),
)
def claim_without_its_document(ds, ctx, r):
    """Joins, not loops: each citation of a claim is joined to its claim's made_on and its source's
    published bounds by id; a claim is reported when every one of its citations' sources was
    certainly published before it (a count of pairs and of such pairs per claim). The list of
    sources is written out only for a reported claim."""
    if "claims" not in ds.tables or "sources" not in ds.tables:
        return
    n = ds.tables["citations"].num_rows
    if not n:
        return
    claim, source = _positions(ds, "citations", "row_id", "claims"), _positions(ds, "citations", "source_id", "sources")
    pair = (claim >= 0) & (source >= 0)
    claim, source = claim[pair], source[pair]
    made_first, _, made_ok = bounds(ds, "claims", "made_on")
    pub_first, pub_last, pub_ok = bounds(ds, "sources", "published")
    # order(made, published) == "certain": the source's latest day lies before the claim's earliest
    earlier = pub_ok[source] & (pub_first[source] != NO_START) & (made_first[claim] != NO_START)
    earlier &= (pub_last[source] != NO_END) & (pub_last[source] < made_first[claim])
    claims = ds.tables["claims"].num_rows
    pairs, certain = np.bincount(claim, minlength=claims), np.bincount(claim, weights=earlier, minlength=claims)
    reported = np.flatnonzero((pairs > 0) & (certain == pairs) & made_ok).tolist()
    if not reported:
        return
    rows = np.flatnonzero(pair)
    for i in reported:
        cited = [ds.tables["citations"].cell(int(k), "source_id") for k in rows[claim == i]]
        spans = [(sid, span(ds, "sources", ds.index["sources"][sid], "published")) for sid in cited]
        latest = ", ".join(f"{sid} ({_fmt(s)})" for sid, s in spans)
        made = span(ds, "claims", i, "made_on")
        yield r.report(
            "claims", i, "made_on", "DAT009", id=ds.tables["claims"].cell(i, "id"), made=_fmt(made), sources=latest
        )


def _positions(ds, table: str, column: str, target: str) -> np.ndarray:
    """For each row of `table`, the position of the `target` row whose id its `column` names (the
    first such row, as ds.index has it), or -1: a hash join on the ids."""
    ids = ds.ids(target)
    if not len(ids):
        return np.full(ds.tables[table].num_rows, -1, dtype=np.int64)
    return numbers(pc.fill_null(pc.index_in(ds.column(table, column), value_set=ids).cast(pa.int64()), MISSING))


@check(
    Code(
        "DAT011",
        "day-not-in-quote",
        "The quotes of an event's citations name days and none of them lies within the event's dates (a citation "
        "whose note says what its quoted day is does not count).",
        "event {id} is dated {date}, but its quotes name {days} and no other day; correct the date, or say in "
        "the citation's note what the quoted day is (a deadline the order sets, the day of what a filing recites)",
    ),
    needs=("events", "citations"),
)
def day_not_in_quote(ds, ctx, r):
    from origins.core import quoted

    index = ds.index.get("events", {})
    named: dict[int, list[tuple[date, str]]] = {}
    quoting = pc.not_equal(ds.column("citations", "quote"), EMPTY)  # only citations with a quote are read
    for _, row_id, quote, note in r.picked("citations", quoting, "row_id", "quote", "note"):
        i = index.get(row_id)
        if i is not None and not note.strip():  # a note says what its day is
            named.setdefault(i, []).extend(quoted.days(quote))
    for i, found in sorted(named.items()):
        when = span(ds, "events", i, "date")
        if not found or when is None:
            continue
        if all(outside(Span(d, d, "day"), when) == "certain" for d, _ in found):
            days = ", ".join(dict.fromkeys(repr(text) for _, text in found))
            yield r.report(
                "events", i, "date", "DAT011", id=ds.tables["events"].row(i)["id"], date=_fmt(when), days=days
            )


@check(
    Code(
        "DAT008",
        "accessed-before-published",
        "A source was accessed before it was published.",
        "accessed {accessed} is before the source was published ({published}); check both dates",
    ),
    needs=("sources",),
)
def accessed_before_published(ds, ctx, r):
    first, _, ok = bounds(ds, "sources", "published")
    accessed = typed_column(ds, "sources", "accessed")
    early = [
        i for i, day in enumerate(accessed) if day and ok[i] and first[i] != NO_START and day.toordinal() < first[i]
    ]
    for i in early:
        rec, s = typed_record(ds, "sources", i), span(ds, "sources", i, "published")
        if rec is None:
            continue
        if rec.accessed < s.earliest:
            yield r.report("sources", i, "accessed", "DAT008", accessed=rec.accessed, published=_fmt(s))


# --- relations between two dates, as data ----------------------------------------------------


@dataclass(frozen=True)
class DateOf:
    """Where a relation finds a date: `column` of `table`, in the row that this row's `via`
    column names by id, or in this row itself when `via` is empty."""

    table: str
    column: str
    via: str = ""


# name -> how surely the date breaks the relation with its bound: 'certain', 'possible' or None
RELATION_KINDS = {
    "not-before": lambda d, bound: order(bound, d),  # the date may not come before the bound begins
    "within": outside,  # the date lies within the bound
}


def conflict(code: str, name: str, description: str, message: str) -> Code:
    """The declaration of a relation's code: an error when the conflict is certain, a warning
    when the dates' precision leaves it only possible. The message template may use `row` (the
    judged row: `{row[id]}`), `date`, `bound` (the two dates as spans) and `kind` (certain/possible)."""
    return Code(code, name, description, message, (ERROR, WARNING), "error when certain, warning when only possible")


@dataclass(frozen=True)
class Relation:
    """One date relation: the rows of `table` it judges, the `date` of each judged against its
    `bound`, the `relation` they must keep (a RELATION_KINDS name), the column the finding points
    at (the message is its code's template), and `unless`, a boolean column whose true value
    exempts a row."""

    code: Code
    table: str
    date: DateOf
    bound: DateOf
    relation: str
    report: str
    unless: str = ""

    def __post_init__(self):
        if self.relation not in RELATION_KINDS:
            raise ValueError(f"{self.code.code}: unknown relation {self.relation!r}")
        for where in (self.date, self.bound):
            if not where.via and where.table != self.table:
                raise ValueError(f"{self.code.code}: a date of this row must be in {self.table}")


RELATIONS = (
    Relation(
        conflict(
            "DAT004",
            "source-before-event",
            "A source reports an event that began after the source was published.",
            "source {row[source_id]} was published {date}, but event {row[row_id]} begins {bound}: a source "
            "cannot report a later event ({kind} conflict); check the event's date or cite a later source",
        ),
        table="citations",
        date=DateOf("sources", "published", via="source_id"),
        bound=DateOf("events", "date", via="row_id"),
        relation="not-before",
        report="source_id",
    ),
    Relation(
        conflict(
            "DAT005",
            "response-before-original",
            "An event ends before the event it responds to begins.",
            "event {row[id]} ({date}) responds to {row[in_response_to]} ({bound}), which it may not follow "
            "({kind} conflict); a response cannot come before what it answers",
        ),
        table="events",
        date=DateOf("events", "date"),
        bound=DateOf("events", "date", via="in_response_to"),
        relation="not-before",
        report="in_response_to",
    ),
    Relation(
        conflict(
            "DAT006",
            "figure-outside-event",
            "A figure's as-of date lies outside its event's dates.",
            "as_of {date} is outside the dates of event {row[event_id]} ({bound}) ({kind} conflict); make "
            "as_of fall within the event, or attach the figure to another event",
        ),
        table="figures",
        date=DateOf("figures", "as_of"),
        bound=DateOf("events", "date", via="event_id"),
        relation="within",
        report="as_of",
    ),
    Relation(
        conflict(
            "DAT007",
            "claim-before-event",
            "A claim is made before the event it is about began (unless a prediction).",
            "claim {row[id]} is made {date}, before event {row[about_event]} begins ({bound}) ({kind} "
            "conflict); fix the date, or set prediction to true if it foretold the event",
        ),
        table="claims",
        date=DateOf("claims", "made_on"),
        bound=DateOf("events", "date", via="about_event"),
        relation="not-before",
        report="made_on",
        unless="prediction",
    ),
    Relation(
        conflict(
            "DAT010",
            "role-ends-before-start",
            "A role ends before it starts.",
            "role {row[id]} ends {date}, before it starts ({bound}) ({kind} conflict); check both dates",
        ),
        table="roles",
        date=DateOf("roles", "end"),
        bound=DateOf("roles", "start"),
        relation="not-before",
        report="end",
    ),
)


NO_START, NO_END = -1, date.max.toordinal()  # an open or unknown end, as order() and outside() read None


def bounds(ds, table: str, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(earliest, latest, valid) of every cell of an EDTF column as day ordinals (NO_START and
    NO_END for an open end; valid False for an empty or invalid cell), built once per column.

    Each distinct value is parsed once, then spread to its rows by an Arrow hash lookup: a column
    of 100,000 dates holds a few thousand distinct ones."""
    cache = ds.__dict__.setdefault("_bounds", {})
    if (table, column) not in cache:
        cells = ds.column(table, column)
        values = pc.unique(cells)
        spans = [span_of(v) for v in values.to_pylist()]
        first = np.array([s.earliest.toordinal() if s and s.earliest else NO_START for s in spans] + [NO_START])
        last = np.array([s.latest.toordinal() if s and s.latest else NO_END for s in spans] + [NO_END])
        ok = np.array([s is not None for s in spans] + [False])
        at = numbers(pc.index_in(cells, value_set=values).cast(pa.int64())) if len(cells) else np.zeros(0, np.int64)
        cache[table, column] = first[at], last[at], ok[at]
    return cache[table, column]


def span_of(value: str) -> Span | None:
    """The span of one cell's text, or None if empty or invalid."""
    if not value:
        return None
    try:
        return parse(value)
    except DateError:
        return None


def _bounds_at(ds, where: DateOf, table: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bounds `where` points at from each row of `table`: its own column, or the column of the
    row its `via` column names (a hash join on the ids; no such row: not valid)."""
    first, last, ok = bounds(ds, where.table, where.column)
    if not where.via:
        return first, last, ok
    n = ds.tables[table].num_rows
    ids = ds.ids(where.table)
    if not len(ids) or not n:
        return np.full(n, NO_START), np.full(n, NO_END), np.zeros(n, bool)
    at = numbers(pc.fill_null(pc.index_in(ds.column(table, where.via), value_set=ids).cast(pa.int64()), MISSING))
    found = at >= 0
    at = np.where(found, at, 0)
    return first[at], last[at], ok[at] & found


MISSING = ints([-1])[0]


def _kinds(relation: str, d, bound) -> tuple[np.ndarray, np.ndarray]:
    """(certain, possible) for every row at once: order() and outside() on day ordinals."""
    (de, dl, _), (be, bl, _) = d, bound
    if relation == "not-before":  # order(bound, d): d may not come before bound begins
        known = (be != NO_START) & (de != NO_START)
        certain = known & (dl != NO_END) & (dl < be)
        possible = known & ~certain & (de < be)
    else:  # within: outside(inner=d, outer=bound)
        known = (de != NO_START) & (be != NO_START)
        certain = known & ((dl < be) | (de > bl))
        possible = known & ~certain & ((de < be) | (dl > bl))
    return certain, possible


@check(*(spec.code for spec in RELATIONS), needs="*")
def date_relations(ds, ctx, r):
    """Every relation of RELATIONS on every row of its table, as array arithmetic on the parsed
    bounds joined by id: a certain conflict is an error, a possible one (the dates' precision
    leaves room either way) a warning. Spans and the row are read only for a reported row."""
    for spec in RELATIONS:
        t = ds.tables.get(spec.table)
        if t is None or not t.num_rows:
            continue
        d, bound = _bounds_at(ds, spec.date, spec.table), _bounds_at(ds, spec.bound, spec.table)
        judged = d[2] & bound[2]
        if spec.unless:
            judged &= ~truth(pc.equal(pc.utf8_lower(ds.column(spec.table, spec.unless)), TRUE_TEXT))
        certain, possible = _kinds(spec.relation, d, bound)
        for i in np.flatnonzero(judged & (certain | possible)).tolist():
            row = t.row(i)
            ds_, bs = _span_at(ds, spec.date, i, row), _span_at(ds, spec.bound, i, row)
            kind = "certain" if certain[i] else "possible"
            yield r.report(
                spec.table,
                i,
                spec.report,
                spec.code.code,
                severity=ERROR if kind == "certain" else WARNING,
                row=row,
                date=_fmt(ds_),
                bound=_fmt(bs),
                kind=kind,
            )


TRUE_TEXT = text("true")


def _span_at(ds, where: DateOf, i: int, row: dict[str, str]) -> Span | None:
    """The span `where` points at from row `i` (None if the named row or a valid date is missing)."""
    if not where.via:
        return span(ds, where.table, i, where.column)
    target = ds.index.get(where.table, {}).get(row.get(where.via) or "")
    return span(ds, where.table, target, where.column) if target is not None else None
