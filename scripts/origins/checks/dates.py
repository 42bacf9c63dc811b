"""Date checks on EDTF bounds: certain conflicts are errors, possible ones warnings.

For two spans A and B, "A certainly before B" means latest(A) < earliest(B); "A possibly
before B" means earliest(A) < earliest(B) while not certainly so. Open ends never conflict.
"""

from __future__ import annotations

from datetime import date

from ..dates import DateError, IntervalOrderError, Span, parse
from ..findings import ERROR, WARNING
from . import check


def edtf_fields(ds):
    """(table, column) of every EDTF column, as the schemas mark them (x-edtf)."""
    for name, t in ds.tables.items():
        for f in t.schema.get("fields", []):
            if f.get("x-edtf"):
                yield name, f["name"]


def span(ds, table: str, row: int, column: str) -> Span | None:
    """The parsed span of a cell, or None if empty or invalid (DAT001 reports those)."""
    value = ds.tables[table].rows[row].get(column) or ""
    if not value:
        return None
    try:
        return parse(value)
    except DateError:
        return None


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


@check("DAT001", "invalid-date", "A date is not valid EDTF (e.g. 2016-13, 2017-02-30, 2016-1-5).")
def invalid_date(ds, ctx):
    for table, column in edtf_fields(ds):
        for i, row in enumerate(ds.tables[table].rows):
            value = row.get(column) or ""
            if not value:
                continue
            try:
                parse(value)
            except IntervalOrderError:
                continue  # DAT003
            except DateError as exc:
                yield ds.finding(table, i, column, "DAT001", f"{column} {exc}")


@check("DAT003", "interval-reversed", "An interval starts after it ends.")
def interval_reversed(ds, ctx):
    for table, column in edtf_fields(ds):
        for i, row in enumerate(ds.tables[table].rows):
            value = row.get(column) or ""
            try:
                parse(value) if value else None
            except IntervalOrderError as exc:
                yield ds.finding(table, i, column, "DAT003", f"{column} {exc}; swap the two ends")
            except DateError:
                pass


@check("DAT002", "future-date", "A date lies after the day of the run.")
def future_date(ds, ctx):
    for table, column in edtf_fields(ds):
        for i in range(len(ds.tables[table].rows)):
            s = span(ds, table, i, column)
            if s and s.earliest and s.earliest > ctx.today:
                yield ds.finding(
                    table,
                    i,
                    column,
                    "DAT002",
                    f"{column} begins {s.earliest}, after today ({ctx.today}); only record what has happened",
                )
    for i, rec in ds.records("sources").items():
        if rec.accessed and rec.accessed > ctx.today:
            yield ds.finding(
                "sources", i, "accessed", "DAT002", f"accessed {rec.accessed} is after today ({ctx.today})"
            )


def _severity(kind: str) -> str:
    return ERROR if kind == "certain" else WARNING


@check("DAT004", "source-before-event", "A source reports an event that began after the source was published.")
def source_before_event(ds, ctx):
    c = ds.tables.get("citations")
    if c is None or "events" not in ds.tables or "sources" not in ds.tables:
        return
    events, sources = ds.index["events"], ds.index["sources"]
    for i, row in enumerate(c.rows):
        ev, src = events.get(row.get("row_id")), sources.get(row.get("source_id"))
        if ev is None or src is None:
            continue
        e, s = span(ds, "events", ev, "date"), span(ds, "sources", src, "published")
        kind = order(e, s) if e and s else None
        if kind:
            yield ds.finding(
                "citations",
                i,
                "source_id",
                "DAT004",
                f"source {row['source_id']} was published {_fmt(s)}, but event "
                f"{row['row_id']} begins {_fmt(e)}: a source cannot report a later "
                f"event ({kind} conflict); check the event's date or cite a later source",
                _severity(kind),
            )


@check(
    "DAT009",
    "claim-without-its-document",
    "None of a claim's sources could have made it: all were published before the claim.",
)
def claim_without_its_document(ds, ctx):
    c = ds.tables.get("citations")
    if c is None or "claims" not in ds.tables or "sources" not in ds.tables:
        return
    sources = ds.index["sources"]
    spans: dict[int, list] = {}
    for row in c.rows:
        cl, src = ds.index["claims"].get(row.get("row_id")), sources.get(row.get("source_id"))
        if cl is not None and src is not None:
            spans.setdefault(cl, []).append((row["source_id"], span(ds, "sources", src, "published")))
    for i, cited in sorted(spans.items()):
        made = span(ds, "claims", i, "made_on")
        if made is None or any(s is None or order(made, s) != "certain" for _, s in cited):
            continue  # some source may be the document that makes the claim
        latest = ", ".join(f"{sid} ({_fmt(s)})" for sid, s in cited)
        yield ds.finding(
            "claims",
            i,
            "made_on",
            "DAT009",
            f"claim {ds.tables['claims'].rows[i]['id']} is made {_fmt(made)}, but every source cited for "
            f"it was published earlier: {latest}; cite the document that makes the claim, or fix made_on",
        )


def _before_referenced(ds, table: str, ref_column: str, date_column: str):
    """Rows of `table` whose `date_column` may precede the event their `ref_column` names.

    Yields (row position, row, this row's span, the event's span, 'certain' or 'possible').
    """
    t = ds.tables.get(table)
    if t is None or "events" not in ds.tables:
        return
    for i, row in enumerate(t.rows):
        target = ds.index["events"].get(row.get(ref_column) or "")
        if target is None:
            continue
        mine, theirs = span(ds, table, i, date_column), span(ds, "events", target, "date")
        kind = order(theirs, mine) if mine and theirs else None
        if kind:
            yield i, row, mine, theirs, kind


@check("DAT005", "response-before-original", "An event ends before the event it responds to begins.")
def response_before_original(ds, ctx):
    for i, row, mine, theirs, kind in _before_referenced(ds, "events", "in_response_to", "date"):
        yield ds.finding(
            "events",
            i,
            "in_response_to",
            "DAT005",
            f"event {row['id']} ({_fmt(mine)}) responds to {row['in_response_to']} "
            f"({_fmt(theirs)}), which it may not follow ({kind} conflict); "
            "a response cannot come before what it answers",
            _severity(kind),
        )


@check("DAT006", "figure-outside-event", "A figure's as-of date lies outside its event's dates.")
def figure_outside_event(ds, ctx):
    t = ds.tables.get("figures")
    if t is None or "events" not in ds.tables:
        return
    for i, row in enumerate(t.rows):
        ev = ds.index["events"].get(row.get("event_id") or "")
        a = span(ds, "figures", i, "as_of")
        e = span(ds, "events", ev, "date") if ev is not None else None
        if not (a and e and a.earliest and e.earliest):
            continue
        a_hi, e_hi = a.latest or date.max, e.latest or date.max
        if a_hi < e.earliest or a.earliest > e_hi:
            kind = "certain"
        elif a.earliest < e.earliest or a_hi > e_hi:
            kind = "possible"
        else:
            continue
        yield ds.finding(
            "figures",
            i,
            "as_of",
            "DAT006",
            f"as_of {_fmt(a)} is outside the dates of event {row['event_id']} "
            f"({_fmt(e)}) ({kind} conflict); make as_of fall within the event, "
            "or attach the figure to another event",
            _severity(kind),
        )


@check(
    "DAT007",
    "claim-before-event",
    "A claim is made before the event it is about began (unless a prediction).",
)
def claim_before_event(ds, ctx):
    for i, row, made, event, kind in _before_referenced(ds, "claims", "about_event", "made_on"):
        if (row.get("prediction") or "").lower() == "true":
            continue
        yield ds.finding(
            "claims",
            i,
            "made_on",
            "DAT007",
            f"claim {row['id']} is made {_fmt(made)}, before event {row['about_event']} "
            f"begins ({_fmt(event)}) ({kind} conflict); fix the date, or set "
            "prediction to true if it foretold the event",
            _severity(kind),
        )


@check("DAT008", "accessed-before-published", "A source was accessed before it was published.")
def accessed_before_published(ds, ctx):
    for i, rec in ds.records("sources").items():
        s = span(ds, "sources", i, "published")
        if not (rec.accessed and s and s.earliest):
            continue
        if rec.accessed < s.earliest:
            yield ds.finding(
                "sources",
                i,
                "accessed",
                "DAT008",
                f"accessed {rec.accessed} is before the source was published ({_fmt(s)}); check both dates",
            )


@check("DAT010", "role-ends-before-start", "A role ends before it starts.")
def role_ends_before_start(ds, ctx):
    t = ds.tables.get("roles")
    for i, row in enumerate(t.rows if t else []):
        start, end = span(ds, "roles", i, "start"), span(ds, "roles", i, "end")
        kind = order(start, end) if start and end else None
        if kind:
            yield ds.finding(
                "roles",
                i,
                "end",
                "DAT010",
                f"role {row.get('id')} ends {_fmt(end)}, before it starts ({_fmt(start)}) ({kind} conflict); "
                "check both dates",
                _severity(kind),
            )
