"""The declaration API of the checks: `Code`, `@check`, `Reporter`, the registry and `run_checks`.

A module of its own, which imports no check, so that the check modules can import it without an
import cycle through the package that registers them (origins.checks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from origins.archive.verify import QuoteChecks
from origins.core.codes import Code, UndeclaredFinding
from origins.core.findings import Finding


@dataclass
class Context:
    """What one run knows besides the data: the day it runs on, where the archive is, how strict,
    and the quote verification stage's table (origins.archive.verify), which it reads, never fills."""

    today: date
    snapshot_dirs: tuple[Path, ...] = ()
    strict: bool = False
    quotes: QuoteChecks = field(default_factory=QuoteChecks)  # the quote verification stage's output


@dataclass(frozen=True)
class Check:
    """A check function with the codes it may emit and the tables it reads.

    Calling it as `check(ds, ctx)` runs the function with its own Reporter and holds every
    finding it yields to the declaration, including findings built without the reporter.
    """

    run: Callable[..., Iterable[Finding]]  # run(ds, ctx, reporter) yields findings
    codes: tuple[Code, ...]
    needs: tuple[str, ...] = ()  # the tables it reads; ("*",) for every table of the package

    @property
    def name(self) -> str:
        return self.run.__name__

    @cached_property  # looked up for every finding
    def declared(self) -> dict[str, Code]:
        return {c.code: c for c in self.codes}

    def __call__(self, ds, ctx: Context) -> Iterator[Finding]:
        for finding in self.run(ds, ctx, Reporter(ds, self)):
            yield self.verified(finding)

    def code(self, code: str) -> Code:
        """The declaration of `code`, which this check must have made."""
        declared = self.declared.get(code)
        if declared is None:
            raise UndeclaredFinding(
                f"check {self.name} reported {code}, which it does not declare; "
                f"it declares {', '.join(self.declared)}: add the Code to its @check"
            )
        return declared

    def severity_of(self, code: str, severity: str | None) -> str:
        """The severity a finding of `code` gets: the one asked for, or the declared one.

        Raises UndeclaredFinding when the check does not declare the code or that severity, or
        declares two severities and the report does not say which."""
        try:
            return self.code(code).check_severity(severity)
        except UndeclaredFinding as exc:
            raise UndeclaredFinding(f"check {self.name}: {exc}") from None

    def verified(self, finding: Finding) -> Finding:
        """The finding itself, once its code and severity are known to be declared."""
        self.severity_of(finding.code, finding.severity)
        return finding

    def missing(self, ds) -> list[str]:
        """The tables it reads that the package lacks or could not read (then it does not run)."""
        names = list(ds.tables) if self.needs == ("*",) else self.needs
        return [n for n in names if n in ds.tables and not ds.tables[n].readable]


class Reporter:
    """What a check reads rows through and reports findings through.

    `rows(table)` gives (position, row) for each row, nothing if the package has no such table,
    so that a check need not test for the table first. `report(...)` locates a finding at a
    cell; `at(...)` at a place in a file (a whole file, or a line of the descriptor). Both give
    the declared severity unless told otherwise, and refuse what the check did not declare.
    """

    def __init__(self, ds, check: Check):
        self.ds = ds
        self.check = check

    def rows(self, table: str) -> Iterator[tuple[int, dict[str, str]]]:
        t = self.ds.tables.get(table)
        return t.views() if t is not None else iter(())

    def where(self, table: str, mask) -> list[int]:
        """Positions of the rows of `table` where `mask` (Arrow booleans over its rows, as computed
        from `ds.column`) is true: the rows a column-wise check reports."""
        from origins.core.columns import positions

        return positions(mask) if table in self.ds.tables else []

    def picked(self, table: str, mask, *columns: str) -> Iterator[tuple]:
        """(position, cell of each of `columns`) for the rows of `table` where `mask` is true
        (`Dataset.picked`)."""
        return self.ds.picked(table, mask, *columns)

    def report(
        self, table: str, row: int, column: str, code: str, /, variant: str = "", severity: str | None = None, **fields
    ) -> Finding:
        """A finding at the cell `column` of row `row` of `table` (the whole row if `column` is ""),
        its message the code's template (of `variant`) filled with `fields`."""
        declared = self.check.code(code)
        message = declared.render(variant, **fields)
        return self.ds.finding(table, row, column, code, message, self.check.severity_of(code, severity))

    def at(
        self, path: str, line: int, column: int, code: str, /, variant: str = "", severity: str | None = None, **fields
    ) -> Finding:
        """A finding at `path:line:column` (0 for "the whole file" or "the whole line")."""
        self.check.severity_of(code, severity)
        return self.check.code(code).at(path, line, column, variant, severity=severity, **fields)


REGISTRY: dict[str, Code] = {}  # every code a registered check may emit
CHECKS: list[Check] = []  # in the order they run


def check(*codes: Code, needs: tuple[str, ...] | str = ()):
    """Register a check function, `run(ds, ctx, r)`, with the codes it may emit and the tables it
    reads (`needs`: names, or "*" for every table): it runs only when they could be read.

    Returns the Check, which is called as `check(ds, ctx)`; a code may belong to one check only.
    """
    needs = ("*",) if needs == "*" else tuple(needs)

    def register(func) -> Check:
        if not codes:
            raise ValueError(f"check {func.__name__} declares no code")
        for c in codes:
            if c.code in REGISTRY:
                raise ValueError(f"check code {c.code} registered twice")
            REGISTRY[c.code] = c
        registered = Check(func, codes, needs)
        CHECKS.append(registered)
        return registered

    return register


@dataclass
class Ran:
    """What a run of the checks did: their findings, the checks that ran, and those that did not
    with the reason (a table they read could not be read), so that nothing is skipped silently."""

    findings: list[Finding]
    ran: list[str]
    skipped: dict[str, str]


def run_checks(ds, ctx: Context, only: set[str] | None = None) -> Ran:
    """Run every registered check (or, with `only`, the checks that declare one of those codes,
    keeping only findings with those codes: `fmt --check` runs FMT001 alone). A check whose tables
    could not be read does not run and is listed as skipped, with the reason."""
    if only is not None:
        only = set(only)
        if unknown := only - REGISTRY.keys():
            raise ValueError(f"no check declares {', '.join(sorted(unknown))}")
    out = Ran([], [], {})
    for c in CHECKS:
        if only is not None and not only & c.declared.keys():
            continue
        unreadable = c.missing(ds)
        if unreadable:
            paths = ", ".join(ds.tables[n].path for n in unreadable)
            out.skipped[c.name] = f"needs {paths}, which could not be read"
            continue
        out.ran.append(c.name)
        out.findings.extend(f for f in c(ds, ctx) if only is None or f.code in only)
    return out
