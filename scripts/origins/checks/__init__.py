"""The registry of checks: each has a stable code, a name, a severity and a one-line description.

A check is a function of the loaded dataset and the run's context that yields findings.
Importing this package registers every check module below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..findings import ERROR, Finding


@dataclass
class Context:
    today: date
    snapshot_dirs: tuple[Path, ...] = ()
    strict: bool = False
    stats: dict = field(default_factory=dict)
    quotes: list | None = None  # each citation's quote against the archive, filled once (citations.quotes_of)


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    severity: str
    description: str
    run: Callable[..., Iterable[Finding]]


REGISTRY: dict[str, Check] = {}


def check(code: str, name: str, description: str, severity: str = ERROR):
    def register(func):
        if code in REGISTRY:
            raise ValueError(f"check code {code} registered twice")
        REGISTRY[code] = Check(code, name, severity, description, func)
        return func

    return register


def run_checks(ds, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for c in REGISTRY.values():
        out.extend(c.run(ds, ctx))
    return out


from . import citations, claims, dates, emails, layout, money, references, releases, text  # noqa: E402,F401  (registers)
