"""The declaration API of the checks: `Code`, `@check`, `Reporter`, the registry and `run_checks`.

A module of its own, which imports no check, so that the check modules can import it without an
import cycle through the package that registers them (origins.checks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from origins.core.findings import ERROR, WARNING, Finding

SEVERITIES = (ERROR, WARNING)


@dataclass
class Context:
    """What one run knows besides the data: the day it runs on, where the archive is, how strict."""

    today: date
    snapshot_dirs: tuple[Path, ...] = ()
    strict: bool = False
    quotes: list | None = None  # each citation's quote against the archive, filled once (citations.quotes_of)


@dataclass(frozen=True)
class Code:
    """A finding code as the catalogue lists it.

    `severity` is "error" or "warning", or both as `(ERROR, WARNING)` for a code whose severity
    depends on the case; `when` then says which case gets which (it is shown in the catalogue).
    """

    code: str  # three capitals and three digits: DAT004
    name: str  # kebab-case: source-before-event
    description: str  # one line ending with "."
    severity: str | tuple[str, ...] = ERROR
    when: str = ""

    def __post_init__(self):
        if not re.fullmatch(r"[A-Z]{3}\d{3}", self.code):
            raise ValueError(f"code {self.code!r} is not three capitals and three digits")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", self.name):
            raise ValueError(f"{self.code}: name {self.name!r} is not kebab-case")
        severities = self.severities
        if not severities or len(set(severities)) != len(severities) or set(severities) - set(SEVERITIES):
            raise ValueError(f"{self.code}: severity {self.severity!r} is not error, warning or both")
        if (len(severities) > 1) != bool(self.when):
            raise ValueError(f"{self.code}: say `when` for a code with two severities, and only then")

    @property
    def severities(self) -> tuple[str, ...]:
        return (self.severity,) if isinstance(self.severity, str) else tuple(self.severity)

    @property
    def severity_text(self) -> str:
        """The severity as the catalogue shows it: `error`, or `error or warning (when …)`."""
        both = " or ".join(self.severities)
        return f"{both} ({self.when})" if self.when else both


class UndeclaredFinding(Exception):
    """A check reported a code or a severity it did not declare: a bug in the check, not a finding
    about the data, so it stops the run instead of reaching the contributor as a finding."""


@dataclass(frozen=True)
class Check:
    """A check function with the codes it may emit.

    Calling it as `check(ds, ctx)` runs the function with its own Reporter and holds every
    finding it yields to the declaration, including findings built without the reporter.
    """

    run: Callable[..., Iterable[Finding]]  # run(ds, ctx, reporter) yields findings
    codes: tuple[Code, ...]

    @property
    def name(self) -> str:
        return self.run.__name__

    @cached_property  # looked up for every finding
    def declared(self) -> dict[str, Code]:
        return {c.code: c for c in self.codes}

    def __call__(self, ds, ctx: Context) -> Iterator[Finding]:
        for finding in self.run(ds, ctx, Reporter(ds, self)):
            yield self.verified(finding)

    def severity_of(self, code: str, severity: str | None) -> str:
        """The severity a finding of `code` gets: the one asked for, or the declared one.

        Raises UndeclaredFinding when the check does not declare the code or that severity, or
        declares two severities and the report does not say which."""
        declared = self.declared.get(code)
        if declared is None:
            raise UndeclaredFinding(
                f"check {self.name} reported {code}, which it does not declare; "
                f"it declares {', '.join(self.declared)}: add the Code to its @check"
            )
        if severity is None:
            if len(declared.severities) > 1:
                raise UndeclaredFinding(
                    f"check {self.name} reported {code} without a severity, but {code} may be "
                    f"{declared.severity_text}: pass severity="
                )
            return declared.severities[0]
        if severity not in declared.severities:
            raise UndeclaredFinding(
                f"check {self.name} reported {code} as {severity!r}, but declares it as {declared.severity_text}"
            )
        return severity

    def verified(self, finding: Finding) -> Finding:
        """The finding itself, once its code and severity are known to be declared."""
        self.severity_of(finding.code, finding.severity)
        return finding


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
        return enumerate(t.rows) if t is not None else iter(())

    def report(
        self, table: str, row: int, column: str, code: str, message: str, severity: str | None = None
    ) -> Finding:
        """A finding at the cell `column` of row `row` of `table` (the whole row if `column` is "")."""
        return self.ds.finding(table, row, column, code, message, self.check.severity_of(code, severity))

    def at(self, path: str, line: int, column: int, code: str, message: str, severity: str | None = None) -> Finding:
        """A finding at `path:line:column` (0 for "the whole file" or "the whole line")."""
        return Finding(path, line, column, code, message, self.check.severity_of(code, severity))


REGISTRY: dict[str, Code] = {}  # every code a registered check may emit
CHECKS: list[Check] = []  # in the order they run


def check(*codes: Code):
    """Register a check function, `run(ds, ctx, r)`, with the codes it may emit.

    Returns the Check, which is called as `check(ds, ctx)`; a code may belong to one check only.
    """

    def register(func) -> Check:
        if not codes:
            raise ValueError(f"check {func.__name__} declares no code")
        for c in codes:
            if c.code in REGISTRY:
                raise ValueError(f"check code {c.code} registered twice")
            REGISTRY[c.code] = c
        registered = Check(func, codes)
        CHECKS.append(registered)
        return registered

    return register


def run_checks(ds, ctx: Context, only: set[str] | None = None) -> list[Finding]:
    """The findings of every registered check, or with `only`, of the checks that declare one of
    those codes (and only findings with those codes): `fmt --check` runs FMT001 alone."""
    if only is not None:
        only = set(only)
        if unknown := only - REGISTRY.keys():
            raise ValueError(f"no check declares {', '.join(sorted(unknown))}")
    out: list[Finding] = []
    for c in CHECKS:
        if only is None:
            out.extend(c(ds, ctx))
        elif only & c.declared.keys():
            out.extend(f for f in c(ds, ctx) if f.code in only)
    return out
