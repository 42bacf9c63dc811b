"""Finding codes: one type for every code the pipeline can emit, wherever it is raised.

A `Code` says what a finding is (a stable id such as DAT004, a kebab-case name, a one-line
description), how severe it is, which family it belongs to (the three capitals name it, see
FAMILIES) and how its message reads: a template with named fields, or several templates keyed by
variant when one code words two cases. The message a contributor reads is always the template
filled in, so the wording of a code lives in one place, beside its declaration; docs/checks.md
lists the codes. Reading the package (PKG), the Table Schema checks (SCH) and the registered checks
declare their codes with this type alike.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

from origins.core.findings import ERROR, WARNING, Finding

SEVERITIES = (ERROR, WARNING)

# the family each prefix names; a code's family is its module in origins.checks (or the stage that raises it)
FAMILIES = {
    "CIT": "citations",
    "CLM": "claims",
    "DAT": "dates",
    "DEC": "declarations",
    "EML": "emails",
    "FMT": "format",
    "MON": "money",
    "PKG": "package",
    "QST": "questions",
    "REF": "references",
    "REL": "releases",
    "ROL": "roles",
    "SCH": "schema",
    "TXT": "text",
}


class UndeclaredFinding(Exception):
    """A finding with a code, severity or message field its declaration does not have: a bug in the
    code that reports it, not a finding about the data, so it stops the run instead of reaching the
    contributor as a finding."""


@dataclass(frozen=True)
class Code:
    """A finding code as the catalogue lists it.

    `severity` is "error" or "warning", or both as `(ERROR, WARNING)` for a code whose severity
    depends on the case; `when` then says which case gets which (it is shown in the catalogue).
    `message` is the template of the message (`str.format` fields), or a mapping of variant name
    to template when the code words more than one case.
    """

    code: str  # three capitals and three digits: DAT004
    name: str  # kebab-case: source-before-event
    description: str  # one line ending with "."
    message: str | Mapping[str, str]
    severity: str | tuple[str, ...] = ERROR
    when: str = ""

    def __post_init__(self):
        if not re.fullmatch(r"[A-Z]{3}\d{3}", self.code):
            raise ValueError(f"code {self.code!r} is not three capitals and three digits")
        if self.code[:3] not in FAMILIES:
            raise ValueError(f"{self.code}: no family is named {self.code[:3]} (see FAMILIES)")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", self.name):
            raise ValueError(f"{self.code}: name {self.name!r} is not kebab-case")
        severities = self.severities
        if not severities or len(set(severities)) != len(severities) or set(severities) - set(SEVERITIES):
            raise ValueError(f"{self.code}: severity {self.severity!r} is not error, warning or both")
        if (len(severities) > 1) != bool(self.when):
            raise ValueError(f"{self.code}: say `when` for a code with two severities, and only then")
        if not self.templates or not all(isinstance(t, str) and t for t in self.templates.values()):
            raise ValueError(f"{self.code}: give a message template")

    @property
    def family(self) -> str:
        return FAMILIES[self.code[:3]]

    @property
    def templates(self) -> dict[str, str]:
        """Variant -> template ('' is the only variant of a code with one template)."""
        return {"": self.message} if isinstance(self.message, str) else dict(self.message)

    @property
    def severities(self) -> tuple[str, ...]:
        return (self.severity,) if isinstance(self.severity, str) else tuple(self.severity)

    @property
    def severity_text(self) -> str:
        """The severity as the catalogue shows it: `error`, or `error or warning (when …)`."""
        both = " or ".join(self.severities)
        return f"{both} ({self.when})" if self.when else both

    def fields(self, variant: str = "") -> set[str]:
        """The names a template needs."""
        names = (f for _, f, _, _ in string.Formatter().parse(self.template(variant)) if f)
        return {re.split(r"[.\[]", f, maxsplit=1)[0] for f in names}  # `row[id]` needs `row`

    def template(self, variant: str = "") -> str:
        try:
            return self.templates[variant]
        except KeyError:
            raise UndeclaredFinding(
                f"{self.code} has no message variant {variant!r}; it has {', '.join(map(repr, self.templates))}"
            ) from None

    def render(self, variant: str = "", **fields) -> str:
        """The message: the template of `variant` filled with `fields` (exactly the fields it names)."""
        need = self.fields(variant)
        if set(fields) != need:
            raise UndeclaredFinding(
                f"{self.code}{' ' + variant if variant else ''} needs the fields {sorted(need)}, got {sorted(fields)}"
            )
        return self.template(variant).format(**fields)

    def check_severity(self, severity: str | None) -> str:
        """The severity a finding gets: the one asked for, or the declared one (refusing others)."""
        if severity is None:
            if len(self.severities) > 1:
                raise UndeclaredFinding(
                    f"{self.code} reported without a severity, but it may be {self.severity_text}: pass severity="
                )
            return self.severities[0]
        if severity not in self.severities:
            raise UndeclaredFinding(f"{self.code} reported as {severity!r}, but it is declared {self.severity_text}")
        return severity

    def at(
        self,
        path: str,
        line: int,
        column: int,
        variant: str = "",
        /,
        *,
        severity: str | None = None,
        cell: tuple[str, str] = ("", ""),
        **fields,
    ) -> Finding:
        """A finding of this code at `path:line:column` (0 for "the whole file" or "the whole line"),
        `cell` naming the column and value it is about; `fields` fill the message template (any name
        but `severity` and `cell`)."""
        message = self.render(variant, **fields)
        return Finding(path, line, column, self.code, message, self.check_severity(severity), *cell)


def declared(*codes: Code) -> dict[str, Code]:
    """Codes by id, as a module that raises them lists them for the catalogue."""
    return {c.code: c for c in codes}
