"""Each person's roles on a small time line (people.html), laid out here and drawn as inline SVG by
templates/roles.svg: no script, and no inline style (the Content-Security-Policy forbids it; the
classes are styled in site.css).

A role's dates are EDTF, so each end is a range of days (roles.parquet's *_earliest and *_latest
bounds). The bar says exactly what they say: solid where the role was certainly held, pale where
a date is known only to a range (a month, a year, an interval), fading in where the start is not
known (`../2019-03-06`: held by then) and fading out where no end is known. The list beside it, in
words, is its text equivalent.
"""

from __future__ import annotations

from datetime import date, timedelta

W, LEFT, RIGHT, ROW, BAR, AXIS = 600, 4, 4, 14, 10, 14


def years_of(events: list[dict]) -> tuple[int, int]:
    """The years the dataset's events span: the axis every person's line shares."""
    days = [d for e in events for d in (e["date_earliest"], e["date_latest"]) if d]
    return min(days).year, max(days).year


def _x(day: date, first: int, last: int) -> float:
    """Position on a linear axis from 1 January of the first year to 31 December of the last."""
    start, end = date(first, 1, 1), date(last + 1, 1, 1)
    day = min(max(day, start), end)
    return LEFT + (W - LEFT - RIGHT) * (day - start).days / (end - start).days


def segments(r: dict, first: int, last: int) -> list[tuple[str, date, date]]:
    """The parts of a role's bar, as (kind, from, to): `held` (certainly held), `vague` (a bound
    known only to a range of days), `open-start` (no earliest start: held by its latest start),
    `open-end` (no end, or no latest end). Bounds that leave no day certain are all vague."""
    lo, hi = date(first, 1, 1), date(last, 12, 31)
    se, sl, ee, el = r["start_earliest"], r["start_latest"], r["end_earliest"], r["end_latest"]
    held_from = sl or se or lo
    held_to = (ee or held_from) if r.get("end") else hi
    out = []
    if se is None:
        out.append(("open-start", lo, held_from))
    elif se < held_from:
        out.append(("vague", se, held_from))
    if held_to < held_from:  # the start's range and the end's overlap: no day is certain
        return [(k, a, b) for k, a, b in out if k == "open-start"] + [("vague", se or lo, el or hi)]
    if not r.get("end"):
        out.append(("open-end", held_from, hi))
        return out
    out.append(("held", held_from, held_to))
    if el is None:
        out.append(("open-end", held_to, hi))
    elif el > held_to:
        out.append(("vague", held_to, el))
    return out


def role_line(roles: list[dict], first: int, last: int, describe) -> dict:
    """The geometry of one person's time line for templates/roles.svg: a row per role (its parts,
    named by `describe(role)`, the words of the list beside it), a tick per year, a label every
    other year."""
    rows = []
    for i, r in enumerate(roles):
        parts = []
        for kind, a, b in segments(r, first, last):
            x0, x1 = _x(a, first, last), _x(b + timedelta(days=1), first, last)  # to the end of its last day
            parts.append({"kind": kind, "x": round(x0, 1), "w": round(max(x1 - x0, 2), 1)})
        rows.append({"y": i * ROW + 2, "name": describe(r), "parts": parts})
    axis_y = len(roles) * ROW + 2
    ticks = []
    for year in range(first, last + 1):
        x = round(_x(date(year, 1, 1), first, last), 1)
        mid = round((x + _x(date(year + 1, 1, 1), first, last)) / 2, 1)
        ticks.append({"x": x, "mid": mid, "year": year if (year - first) % 2 == 0 else None})
    return {
        "width": W,
        "height": axis_y + AXIS,
        "bar": BAR,
        "axis_y": axis_y,
        "rows": rows,
        "ticks": ticks,
        "first": first,
        "last": last,
    }
