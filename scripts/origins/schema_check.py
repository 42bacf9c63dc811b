"""Table Schema validation, by frictionless (the authority), turned into located findings."""

from __future__ import annotations

from pathlib import Path

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


def frictionless_errors(root: str) -> dict:
    """Run frictionless on the package; return its errors as plain data (picklable, small)."""
    import frictionless  # imported here: the cost is paid only by the process that validates

    try:
        package = frictionless.Package(str(Path(root) / DESCRIPTOR), basepath=str(root))
        report = package.validate(limit_errors=10**9)
    except frictionless.FrictionlessException as exc:
        return {"fatal": exc.error.note or exc.error.message}

    def plain(err, task=None):
        return {
            "task": task,
            "type": err.type,
            "title": str(getattr(err, "title", err.type)),
            "note": str(getattr(err, "note", "") or ""),
            "row": getattr(err, "row_number", None),
            "field_name": getattr(err, "field_name", "") or "",
            "field_number": getattr(err, "field_number", 0) or 0,
            "cell": str(getattr(err, "cell", "") or ""),
        }

    return {
        "package": [plain(e) for e in report.errors],
        "tasks": [plain(e, t.name) for t in report.tasks for e in t.errors],
    }


class SchemaValidation:
    """frictionless in a forked process, so that it runs while this one loads and checks.

    frictionless (pure Python, row by row) dominates the run time; the project's own checks
    need none of its results, so on a two-core machine the two halves overlap. Where fork is not
    available the work runs in this process when the result is asked for.
    """

    def __init__(self, root: Path):
        import multiprocessing as mp

        self.root = str(root)
        self._pool = None
        if "fork" in mp.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"))
            self._future = self._pool.submit(frictionless_errors, self.root)

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def result(self) -> dict:
        if self._pool is None:
            return frictionless_errors(self.root)
        try:
            return self._future.result()
        finally:
            self._pool.shutdown()


def _message_of(err: dict, hint: str) -> str:
    note = shorten(err["note"], 160)
    title = err["title"].rstrip(".")
    return f"{title}: {note}; {hint}" if note else f"{title}; {hint}"


def schema_findings(ds: Dataset, raw: dict) -> list[Finding]:
    """Locate frictionless's errors at file:line:column."""
    if "fatal" in raw:
        return [
            Finding(
                DESCRIPTOR, 0, 0, "PKG007", f"the descriptor is not a valid data package: {shorten(raw['fatal'], 300)}"
            )
        ]
    findings = [Finding(DESCRIPTOR, 0, 0, "PKG007", _message_of(e, "fix the descriptor")) for e in raw["package"]]
    blank = {(e["task"], e["row"]) for e in raw["tasks"] if e["type"] == "blank-row"}
    unreadable = {name for name, t in ds.tables.items() if not t.readable}
    seen: set[tuple] = set()
    for err in raw["tasks"]:
        table = ds.tables.get(err["task"])
        if table is None or not table.readable:
            continue  # already reported when loading
        refs = {fk["reference"].get("resource") or err["task"] for fk in table.schema.get("foreignKeys", [])}
        if err["row"] is None and refs & unreadable:
            continue  # frictionless failed to open a referenced file, already reported as unreadable
        row = err["row"]
        if err["type"] in _SKIP_ON_BLANK and (err["task"], row) in blank:
            continue
        code, hint = CODES.get(err["type"], OTHER)
        field_name, col = err["field_name"], err["field_number"]
        if row is None:  # header or file-level error
            line = 1 if err["type"].endswith("-label") else 0
        else:
            idx = row - 2
            line = table.lines[idx] if 0 <= idx < len(table.lines) else row
        if err["type"] == "unique-error" and table.primary_key == [field_name]:
            continue  # the same duplicate is reported as a primary-key error
        key = (table.path, line, col, code)
        if key in seen:
            continue
        seen.add(key)
        findings.append(Finding(table.path, line, col, code, _message_of(err, hint), ERROR, field_name, err["cell"]))
    return findings


def validate_schema(ds: Dataset) -> list[Finding]:
    """Schema findings for a loaded dataset, frictionless run here (see SchemaValidation)."""
    return schema_findings(ds, frictionless_errors(str(ds.root)))
