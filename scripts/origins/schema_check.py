"""Table Schema validation, by frictionless (the authority), turned into located findings."""

from __future__ import annotations

from .findings import ERROR, Finding, shorten
from .package import DESCRIPTOR, Dataset

# frictionless error type -> (stable code, plain-language fix)
CODES: dict[str, tuple[str, str]] = {
    "type-error": ("SCH001", "write the value in the column's type (see the data dictionary)"),
    "constraint-error": (
        "SCH002",
        "the value breaks a rule of its column (pattern, allowed values, length, minimum); see the data dictionary",
    ),
    "missing-cell": ("SCH003", "the row has fewer cells than the header; add the missing commas"),
    "extra-cell": ("SCH004", "the row has more cells than the header; quote cells that contain commas"),
    "primary-key": ("SCH005", "each row needs a unique key; choose a new id or remove the duplicate row"),
    "foreign-key": ("SCH006", "the value must be the id of an existing row in the referenced table"),
    "unique-error": ("SCH007", "the value must be unique in its column"),
    "blank-row": ("SCH008", "remove the empty line"),
    "missing-label": ("SCH009", "the header lacks a column the schema declares; add it in schema order"),
    "extra-label": (
        "SCH010",
        "the header has a column the schema does not declare; remove it or add it to the schema",
    ),
    "incorrect-label": (
        "SCH011",
        "the header does not match the schema; use the schema's column names in order",
    ),
    "duplicate-label": ("SCH012", "the header repeats a column name; rename or remove the duplicate"),
    "blank-label": ("SCH013", "the header has an empty column name"),
}
OTHER = ("SCH000", "see the Table Schema")
# Duplicates frictionless reports twice (a primary key that is also `unique`), and noise
# on blank rows, which already get their own finding.
_SKIP_ON_BLANK = {"primary-key", "missing-cell", "constraint-error"}


def _message(err, hint: str) -> str:
    note = shorten(str(getattr(err, "note", "") or ""), 160)
    title = str(getattr(err, "title", err.type)).rstrip(".")
    return f"{title}: {note}; {hint}" if note else f"{title}; {hint}"


def validate_schema(ds: Dataset) -> list[Finding]:
    import frictionless  # imported here: the cost is paid only when validating

    try:
        package = frictionless.Package(str(ds.root / DESCRIPTOR), basepath=str(ds.root))
        report = package.validate(limit_errors=10**9)
    except frictionless.FrictionlessException as exc:
        return [
            Finding(
                DESCRIPTOR,
                0,
                0,
                "PKG007",
                f"the descriptor is not a valid data package: {shorten(exc.error.note or exc.error.message, 300)}",
            )
        ]
    findings: list[Finding] = []
    for err in report.errors:
        findings.append(Finding(DESCRIPTOR, 0, 0, "PKG007", _message(err, "fix the descriptor")))
    for task in report.tasks:
        table = ds.tables.get(task.name)
        if table is None or not table.readable:
            continue  # already reported when loading
        blank = {e.row_number for e in task.errors if e.type == "blank-row"}
        seen: set[tuple] = set()
        for err in task.errors:
            row = getattr(err, "row_number", None)
            if err.type in _SKIP_ON_BLANK and row in blank:
                continue
            code, hint = CODES.get(err.type, OTHER)
            field_name = getattr(err, "field_name", "") or ""
            col = getattr(err, "field_number", 0) or 0
            cell = getattr(err, "cell", "") or ""
            if row is None:  # header or file-level error
                line = 1 if err.type.endswith("-label") else 0
            else:
                idx = row - 2
                line = table.lines[idx] if 0 <= idx < len(table.lines) else row
            if err.type == "unique-error" and table.primary_key == [field_name]:
                continue  # the same duplicate is reported as a primary-key error
            key = (line, col, code)
            if key in seen:
                continue
            seen.add(key)
            findings.append(Finding(table.path, line, col, code, _message(err, hint), ERROR, field_name, str(cell)))
    return findings
