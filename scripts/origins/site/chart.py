"""The README's picture: events on a time axis by category, money figures marked by size."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa


def timeline_png(timeline: pa.Table, out: Path, name: str) -> Path:
    """The README's picture: events by category on a time axis, money figures as circles."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    rows = [r for r in timeline.to_pylist() if r["date_earliest"]]
    categories = sorted({r["category"] for r in rows})
    y = {c: i for i, c in enumerate(categories)}
    fig, ax = plt.subplots(figsize=(10, 4.2), dpi=100)
    ax.scatter(
        [r["date_earliest"] for r in rows],
        [y[r["category"]] for r in rows],
        s=14,
        color="#5b5b66",
        label="event",
        zorder=2,
    )
    money = [(r, f) for r in rows for f in r["figures"] if f["unit"] == "money" and f["amount"] > 0]
    ax.scatter(
        [r["date_earliest"] for r, _ in money],
        [y[r["category"]] for r, _ in money],
        s=[6 * (math.log10(float(f["amount"])) - 3) ** 2 for _, f in money],
        facecolors="none",
        edgecolors="#0b57d0",
        linewidths=1.2,
        label="money figure (size: amount)",
        zorder=3,
    )
    ax.set_yticks(range(len(categories)), categories)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="x", color="#e5e5ea")
    years = [r["date_earliest"].year for r in rows]
    ax.set_title(f"{name}: events by category, {min(years)}-{max(years)}")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="png", metadata={"Software": None})  # no version stamp: reproducible bytes
    plt.close(fig)
    return out


# --- the site's chart: SVG from a template ---------------------------------------------

SVG_W, LEFT, RIGHT, TOP, ROW, AXIS = 1000, 120, 12, 14, 26, 34


def _x(day, first_year: int, last_year: int) -> float:
    """Position on a linear time axis from 1 January of the first year to the end of the last."""
    start = day.replace(year=first_year, month=1, day=1)
    span = (start.replace(year=last_year + 1) - start).days
    return LEFT + (SVG_W - LEFT - RIGHT) * (day - start).days / span


def _money_radius(amount) -> float:
    """Circle radius grows with the order of magnitude, as the PNG's marker area does."""
    return round(3 + 1.6 * max(math.log10(float(amount)) - 3, 0), 1)


def chart_data(rows: list[dict], describe, money_text) -> dict:
    """The timeline's geometry for the SVG template (templates/chart.svg): a grid line per year, a
    row per category, a point per dated event (a link to its place, named by its <title>).

    `describe(row)` gives an event's date in words and `money_text(figure)` a money figure, so
    the chart reads exactly as the page does (both come from the site's formatting). Colours come
    from classes styled in site.css: the Content-Security-Policy forbids inline style.
    """
    dated = [r for r in rows if r["date_earliest"]]
    categories = sorted({r["category"] for r in dated})
    first, last = min(r["date_earliest"].year for r in dated), max(r["date_earliest"].year for r in dated)
    axis_y = TOP + ROW * len(categories)
    grid = []
    for year in range(first, last + 2):
        x = round(_x(dated[0]["date_earliest"].replace(year=year, month=1, day=1), first, last), 1)
        mid = round(x + (SVG_W - LEFT - RIGHT) / (last - first + 1) / 2, 1)
        grid.append({"x": x, "year": year if year <= last else None, "mid": mid})
    points = []
    for r in dated:
        money = [f for f in r["figures"] if f["unit"] == "money" and f["amount"] > 0]
        points.append(
            {
                "id": r["event_id"],
                "x": round(_x(r["date_earliest"], first, last), 1),
                "y": TOP + ROW * categories.index(r["category"]) + ROW // 2,
                "name": f"{describe(r)}: {r['title']}" + "".join(f"; {money_text(f)}" for f in money),
                "rings": [_money_radius(f["amount"]) for f in money],
            }
        )
    return {
        "width": SVG_W,
        "height": TOP + ROW * len(categories) + AXIS,
        "first": first,
        "last": last,
        "top": TOP - 8,
        "axis_y": axis_y,
        "grid": grid,
        "categories": [{"name": c, "x": LEFT - 8, "y": TOP + ROW * i + ROW // 2 + 4} for i, c in enumerate(categories)],
        "points": points,
    }
