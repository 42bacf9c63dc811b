"""The README's picture: events on a time axis by category, money figures marked by size."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow.parquet as pq


def timeline_png(build: Path, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    rows = [r for r in pq.read_table(build / "timeline.parquet").to_pylist() if r["date_earliest"]]
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
    ax.set_title("openai-origins: events by category, 2014-2026")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="png", metadata={"Software": None})  # no version stamp: reproducible bytes
    plt.close(fig)
    return out
