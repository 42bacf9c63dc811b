"""The check stage: load the package, run the project's checks, then the Table Schema checks.

`Validation` holds one run in its steps so that an orchestrator (origins.pipeline) can do work
between them, such as writing the outputs while frictionless is still reading; `validate()` runs
the steps in a row. Nothing here knows about the build.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from origins.archive import store as archive
from origins.archive.verify import QuoteChecks, verify
from origins.checks import Context, run_checks
from origins.checks.schema import SchemaValidation, schema_findings
from origins.core.clock import today
from origins.core.findings import ERROR, Finding, sort_findings
from origins.read.package import DESCRIPTOR, Dataset, LoadError, load


@dataclass
class Result:
    findings: list[Finding]
    dataset: Dataset | None
    stats: dict = field(default_factory=dict)  # rows per table, quotes verified, seconds per step
    quotes: QuoteChecks = field(default_factory=QuoteChecks)  # the quote verification stage's output

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
        skipped = self.stats.get("checks", {}).get("skipped", {})
        if skipped:
            reasons = "; ".join(f"{name} ({why})" for name, why in skipped.items())
            lines.append(f"checks not run: {reasons}")
        lines.append(f"{self.errors} error(s), {warnings} warning(s)")
        return lines


class Validation:
    """One validation run, in two steps: `check()` (load and the project's checks), `finish()`.

    `engine` checks the Table Schemas: "fast" compiles them to Arrow compute (origins.checks.schema_fast,
    handing any resource it cannot decide exactly to frictionless) in `finish()`; "frictionless"
    runs the reference validator on everything in a process forked at the start, so that it works
    while `check()` and whatever the caller does before `finish()` run.
    """

    def __init__(self, root, snapshots=None, strict: bool = False, on: date | None = None, engine: str = "fast"):
        self.root = Path(root)
        self.engine = engine
        self.snapshots, self.strict, self.on = snapshots, strict, on
        self.findings: list[Finding] = []
        self.dataset: Dataset | None = None
        self.quotes = QuoteChecks()
        self.ran: list[str] = []  # the checks that ran
        self.skipped: dict[str, str] = {}  # the checks that did not, and why
        self.timings: dict[str, float] = {}
        self._start = time.perf_counter()
        # forked before loading, so frictionless runs alongside the checks without a copy of the rows
        self._schema = (
            SchemaValidation(self.root) if engine == "frictionless" and (self.root / DESCRIPTOR).is_file() else None
        )

    def _lap(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[step] = round(now - self._start, 3)
        self._start = now

    def check(self) -> list[Finding]:
        """Load the package and run the registered checks; the findings so far."""
        try:
            ds = load(self.root)
        except LoadError as exc:
            if self._schema is not None:
                self._schema.cancel()
                self._schema = None
            self.findings = [exc.finding]
            return self.findings
        self._lap("load")
        dirs = archive.snapshot_dirs(self.root, self.snapshots)
        self.quotes = verify(ds, dirs)  # the quote verification stage, before the checks that read it
        self._lap("quotes")
        ctx = Context(today=self.on or today(), snapshot_dirs=dirs, strict=self.strict, quotes=self.quotes)
        self.dataset, self.findings = ds, list(ds.load_findings)
        ran = run_checks(ds, ctx)  # a check whose tables could not be read is listed as not run, with why
        self.findings += ran.findings
        self.ran, self.skipped = ran.ran, ran.skipped
        self._lap("checks")
        return self.findings

    @property
    def clean_so_far(self) -> bool:
        return self.dataset is not None and not any(f.severity == ERROR for f in self.findings)

    def finish(self) -> Result:
        """Join the Table Schema findings and return the whole result."""
        ds = self.dataset
        if ds is None:
            return Result(self.findings, None)
        self._start = time.perf_counter()  # what the caller did in between is not validation
        if self._schema is not None:
            raw = self._schema.result()
        else:
            from origins.checks.schema_fast import schema_errors

            raw = schema_errors(self.root, ds)
        self.findings += schema_findings(ds, raw)
        self._lap("schema")
        stats = {
            "timings": dict(self.timings),
            "rows": {name: t.num_rows for name, t in ds.tables.items()},
            "quotes": self.quotes.stats(),
            "checks": {"ran": list(self.ran), "skipped": dict(self.skipped)},
        }
        return Result(sort_findings(set(self.findings)), ds, stats, self.quotes)


def validate(
    root: Path | str = ".", snapshots=None, strict: bool = False, on: date | None = None, engine: str = "fast"
) -> Result:
    """Every finding about the package at `root` (see Validation for `engine`)."""
    run = Validation(root, snapshots, strict, on, engine)
    run.check()
    return run.finish()
