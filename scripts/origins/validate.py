"""The validate stage: load, schema checks (frictionless), then the registered checks."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import archive
from .checks import Context, run_checks
from .checks.citations import quotes_of
from .clock import today
from .findings import ERROR, Finding, sort_findings
from .package import DESCRIPTOR, Dataset, LoadError, load
from .schema_check import SchemaValidation, schema_findings


@dataclass
class Result:
    findings: list[Finding]
    dataset: Dataset | None
    stats: dict = field(default_factory=dict)
    quotes: list = field(default_factory=list)  # archive.Quote (or None) per citation row

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def summary(self) -> list[str]:
        """The closing lines a person reads: rows checked, quotes verified, errors and warnings."""
        rows = self.stats.get("rows", {})
        quotes = self.stats.get("quotes", {})
        warnings = sum(f.severity != ERROR for f in self.findings)
        lines = []
        if rows:
            lines.append("rows checked: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
        if quotes:
            lines.append(
                f"quotes: {quotes['verified']} of {quotes['total']} verified against archived texts, "
                f"{quotes['unverified']} unverified (no archived text with the recorded sha256 available)"
            )
        lines.append(f"{self.errors} error(s), {warnings} warning(s)")
        return lines


def validate(
    root: Path | str = ".",
    snapshots: list[str] | str | None = None,
    strict: bool = False,
    on: date | None = None,
    meanwhile: Callable[[Dataset, list], None] | None = None,
    engine: str = "fast",
) -> Result:
    """Every finding about the package at `root`.

    `engine` checks the Table Schemas: "fast" compiles them to Arrow compute (origins.fastschema,
    handing any resource it cannot decide exactly to frictionless), "frictionless" runs the
    reference validator on everything, in a forked process alongside the project's checks.

    `meanwhile`, if given, runs after the project's own checks found no error and while
    frictionless is still working: the build uses it to write its outputs to a scratch folder,
    which it throws away if frictionless then reports an error.
    """
    start = time.perf_counter()
    root = Path(root)
    # forked before loading, so frictionless runs alongside the checks below without a copy of the rows
    schema = SchemaValidation(root) if engine == "frictionless" and (root / DESCRIPTOR).is_file() else None
    try:
        ds = load(root)
    except LoadError as exc:
        if schema is not None:
            schema.cancel()
        return Result([exc.finding], None)
    loaded = time.perf_counter()
    ctx = Context(today=on or today(), snapshot_dirs=archive.snapshot_dirs(root, snapshots), strict=strict)
    findings = list(ds.load_findings)
    if all(t.readable for t in ds.tables.values()):
        findings += run_checks(ds, ctx)
    checked = time.perf_counter()
    if meanwhile is not None and not any(f.severity == ERROR for f in findings):
        meanwhile(ds, quotes_of(ds, ctx) if ds.tables.get("citations") else [])
    waited = time.perf_counter()
    if schema is not None:
        raw = schema.result()
    else:
        from .fastschema import schema_errors

        raw = schema_errors(root, ds)
    findings += schema_findings(ds, raw)
    ctx.stats["timings"] = {
        "load": round(loaded - start, 3),
        "checks": round(checked - loaded, 3),
        "schema": round(time.perf_counter() - waited, 3),
    }
    ctx.stats["rows"] = {name: len(t.rows) for name, t in ds.tables.items()}
    quotes = quotes_of(ds, ctx) if "citations" in ds.tables and ds.tables["citations"].readable else []
    ctx.stats["quotes"] = quote_stats(quotes)
    return Result(sort_findings(set(findings)), ds, ctx.stats, quotes)


def quote_stats(quotes: list) -> dict[str, int]:
    """How many quotes there are and how many were found in an archived text whose hash matches."""
    verified = sum(q is not None and q.status == "verified" for q in quotes)
    total = sum(q is not None for q in quotes)
    return {"total": total, "verified": verified, "unverified": total - verified}
