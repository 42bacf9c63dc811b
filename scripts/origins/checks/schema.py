"""Table Schema validation, by frictionless (the authority), turned into located findings."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from origins.core.codes import Code, declared
from origins.core.findings import ID_CUTOFF, Finding, clip, did_you_mean, quoted, shorten
from origins.read.package import DESCRIPTOR, Dataset


def _sch(code: str, kind: str, description: str, fix: str, **variants: str) -> Code:
    """A Table Schema code: its own plain messages (`variants`), and frictionless's words followed by
    the code's fix for an error no plainer message covers."""
    return Code(
        code,
        kind,
        description,
        {**variants, "frictionless": "{title}: {note}; " + fix, "frictionless-bare": "{title}; " + fix},
    )


ONE_REPEAT = "{field} {value!r} is already used{where}; {fix}"
KEY_REPEAT = "the key {fields} ({shown}) is already used{where}; {fix}"

# frictionless error type -> its code (the code's name is the type)
CODES = declared(
    _sch(
        "SCH001",
        "type-error",
        "A value is not of its column's type.",
        "write the value in the column's type (see the data dictionary)",
        integer="{what} is not a whole number{hint}; write digits only, such as 2016",
        number="{what} is not a number{hint}; write digits, with '.' for decimals and no thousands separators",
        date="{what} is not a date; write YYYY-MM-DD",
        boolean="{what} is not true or false{hint}; write true or false",
        other="{what} is not a valid {kind}; see the data dictionary",
    ),
    _sch(
        "SCH002",
        "constraint-error",
        "A value breaks a rule of its column (required, pattern, allowed values, length, minimum).",
        "the value breaks a rule of its column (pattern, allowed values, length, minimum); see the data dictionary",
        required="{field} is empty; fill it in, the column is required",
        enum="{what} is not an allowed value{hint}; use one of: {allowed}",
        edtf="{what} is not a date; write YYYY-MM-DD, or an EDTF form such as 2016-09~",
        id="{what} is not in the form of an id{hint}; write lowercase letters, digits and single hyphens{start}",
        form="{what} is not in the expected form; {words}",
        minimum="{what} is below the minimum; write {limit} or more",
        exclusiveMinimum="{what} is too small; write more than {limit}",
        maximum="{what} is above the maximum; write {limit} or less",
        exclusiveMaximum="{what} is too large; write less than {limit}",
        maxLength="{what} is {length} characters long; shorten it to {limit} at most",
        minLength="{what} is shorter than {limit} characters; write more or leave it empty",
    ),
    _sch(
        "SCH003",
        "missing-cell",
        "A row has fewer cells than the header.",
        "the row has fewer cells than the header; add the missing commas",
        cell="the row has no cell for {field}; add the missing commas",
    ),
    _sch(
        "SCH004",
        "extra-cell",
        "A row has more cells than the header.",
        "the row has more cells than the header; quote cells that contain commas",
        cell="the row has a cell {extra!r} beyond the header; quote cells that contain commas",
    ),
    _sch(
        "SCH005",
        "primary-key",
        "Two rows have the same primary key.",
        "each row needs a unique key; choose a new id or remove the duplicate row",
        one=ONE_REPEAT,
        key=KEY_REPEAT,
    ),
    _sch(
        "SCH006",
        "foreign-key",
        "A value names no row of the table its foreign key points to.",
        "the value must be the id of an existing row in the referenced table",
        one="{field} {value!r} is not {kind} in {where}{hint}; use an existing id or add that row first",
        key="{fields} ({shown}) match no row of {where}; use an existing id or add that row first",
    ),
    _sch(
        "SCH007",
        "unique-error",
        "A value of a column marked unique is repeated.",
        "the value must be unique in its column",
        one=ONE_REPEAT,
        key=KEY_REPEAT,
    ),
    _sch("SCH008", "blank-row", "A line is empty.", "remove the empty line", line="the line is empty; remove it"),
    _sch(
        "SCH009",
        "missing-label",
        "The header lacks a column the schema declares.",
        "the header lacks a column the schema declares; add it in schema order",
        label="the header lacks the column {name!r}; add it in schema order",
    ),
    _sch(
        "SCH010",
        "extra-label",
        "The header has a column the schema does not declare.",
        "the header has a column the schema does not declare; remove it or add it to the schema",
        unnamed="column {number} of the header has no name; remove the column or name it",
        twice="the header has the column {label!r} twice; remove the second one",
        undeclared="the header has a column {label!r} the schema does not declare{hint}; remove it or add it to "
        "the schema",
    ),
    _sch(
        "SCH011",
        "incorrect-label",
        "A header column is not the schema's column at that place.",
        "the header does not match the schema; use the schema's column names in order",
        label="column {number} is named {label!r}, but the schema calls it {name!r}; use the schema's column names "
        "in order",
    ),
    _sch(
        "SCH012",
        "duplicate-label",
        "The header repeats a column name.",
        "the header repeats a column name; rename or remove the duplicate",
        label="the header repeats the column {label!r}; rename or remove the duplicate",
    ),
    _sch("SCH013", "blank-label", "The header has an empty column name.", "the header has an empty column name"),
    _sch("SCH000", "schema-error", "Another error frictionless reports about a table.", "see the Table Schema"),
)
CODE_OF = {c.name: c.code for c in CODES.values()}  # frictionless's error type -> code; others are SCH000
# raised here too, for the check catalogue (docs/checks.md)
PACKAGE_CODES = declared(
    Code(
        "PKG007",
        "package-rejected",
        "frictionless rejects the descriptor.",
        {
            "fatal": "the descriptor is not a valid data package: {why}",
            "frictionless": "{title}: {note}; fix the descriptor",
            "frictionless-bare": "{title}; fix the descriptor",
        },
    )
)
# Duplicates frictionless reports twice (a primary key that is also `unique`), and noise
# on blank rows, which already get their own finding.
_SKIP_ON_BLANK = {"primary-key", "missing-cell", "constraint-error"}


PLUGIN = "origins-declared-dialect"


def _declared_dialect_plugin():
    """A frictionless plugin (its documented extension point) whose CSV parser reads the project's
    dialect, RFC 4180 (comma, double quote), instead of guessing it with csv.Sniffer."""
    import csv as pycsv

    import frictionless
    from frictionless.formats.csv.parser import CsvParser

    class DeclaredDialectParser(CsvParser):
        def read_cell_stream_create(self):
            yield from pycsv.reader(self.loader.text_stream, dialect=pycsv.excel)

    class DeclaredDialect(frictionless.Plugin):
        def create_parser(self, resource):
            return DeclaredDialectParser(resource) if resource.format == "csv" else None

    return DeclaredDialect()


@contextmanager
def declared_dialect():
    """Tell frictionless the project's CSV dialect instead of letting it guess.

    The CSVs are RFC 4180, as `origins fmt` writes them and FMT001 checks. frictionless guesses the
    dialect with csv.Sniffer, whose regular expression takes time superlinear in a run of commas
    inside quotes (a cell of 30,000 commas: 9 s; 99,000: minutes), and a guess could only be wrong
    here. A plugin registered with frictionless's system for the duration of one validation says it;
    nothing of Python's csv module is changed.
    """
    from frictionless import system

    system.register(PLUGIN, _declared_dialect_plugin())
    try:
        yield
    finally:
        system.deregister(PLUGIN)


def frictionless_errors(root: str) -> dict:
    """Run frictionless on the package; return its errors as plain data (picklable, small)."""
    import frictionless  # imported here: the cost is paid only by the process that validates

    try:
        package = frictionless.Package(str(Path(root) / DESCRIPTOR), basepath=str(root))
        with declared_dialect():
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
            "label": str(getattr(err, "label", "") or ""),
            # foreign keys: which fields, with which values, point where
            "field_names": list(getattr(err, "field_names", []) or []),
            "field_cells": [str(c) for c in getattr(err, "field_cells", []) or []],
            "reference_name": str(getattr(err, "reference_name", "") or ""),
            "reference_field_names": list(getattr(err, "reference_field_names", []) or []),
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


def _frictionless_words(err: dict) -> tuple[str, dict]:
    """frictionless's own words (its title and note), for errors that have no plainer message below."""
    note = shorten(err["note"], 160)
    title = err["title"].rstrip(".")
    return ("frictionless", {"title": title, "note": note}) if note else ("frictionless-bare", {"title": title})


# A newcomer reads these instead of a regular expression: the forms the schemas use, in words.
PATTERN_WORDS = {
    "https?://[^\\s/?#]+[^\\s]*": "write a full web address, starting with https://",
    "[A-Z]{3}": "write a three-letter currency code in capitals, such as USD",
    "Q[1-9][0-9]*": "write a Wikidata id, such as Q42",
    "[0-9a-f]{64}": "write the file's sha256: 64 digits and lowercase letters a-f",
    "[a-z]{2,3}(-[A-Za-z0-9]{2,8})*": "write a language tag, such as en or zh-Hans",
    "[A-Za-z0-9][A-Za-z0-9._-]*": "write a plain file name: letters, digits, '.', '_' and '-'",
    "\\d+\\.\\d+\\.\\d+": "write a version, such as 1.2.0",
}
# ids and other slugs: an optional prefix (`per-`, `(per|org)-`), then lowercase words joined by hyphens
SLUG = re.compile(r"(?:\(?(?P<prefixes>[a-z|]+)\)?-)?\[a-z0-9\]\+\(-\[a-z0-9\]\+\)\*")


def _as_number(text: str, kind: str) -> bool:
    try:
        int(text) if kind == "integer" else float(text)
    except ValueError:
        return False
    return True


def _type_message(err: dict, field: dict) -> tuple[str, dict]:
    """The value, the type it should have, and how to write that type."""
    name, value, kind = err["field_name"], err["cell"], field.get("type", "")
    what = f"{name} {quoted(value)}"
    if kind in ("number", "integer"):
        plain = re.sub(r"[\s,_]", "", value)  # thousands separators, as people type them
        hint = did_you_mean(value, [plain]) if plain and _as_number(plain, kind) else ""
        return kind, {"what": what, "hint": hint}
    if kind == "date":
        return "date", {"what": what}
    if kind == "boolean":
        return "boolean", {"what": what, "hint": did_you_mean(value, ["true", "false"])}
    return "other", {"what": what, "kind": kind}


def _pattern_message(what: str, value: str, field: dict, pattern: str) -> tuple[str, dict]:
    """A rule of form: dates get the date hint, ids their shape in words, known forms a sentence."""
    if field.get("x-edtf"):
        return "edtf", {"what": what}
    slug = SLUG.fullmatch(pattern)
    if slug:
        fixed = value.strip().lower()
        hint = did_you_mean(value, [fixed]) if re.fullmatch(pattern, fixed) else ""
        prefixes = [p + "-" for p in (slug["prefixes"] or "").split("|") if p]
        start = " or ".join(prefixes) if len(prefixes) < 3 else "one of " + ", ".join(prefixes)
        return "id", {"what": what, "hint": hint, "start": f", starting with {start}" if prefixes else ""}
    return "form", {"what": what, "words": PATTERN_WORDS.get(pattern, f"see the data dictionary (pattern {pattern})")}


def _constraint_message(err: dict, field: dict) -> tuple[str, dict] | None:
    """Which rule the value breaks, with the value and what to write instead."""
    name, value = err["field_name"], err["cell"]
    rule = re.match(r'constraint "(\w+)"', err["note"])
    rules = field.get("constraints", {})
    what = f"{name} {quoted(value)}"
    match rule and rule[1]:
        case "required":
            return "required", {"field": name}
        case "enum":
            allowed = [str(v) for v in rules.get("enum", [])]
            return "enum", {"what": what, "hint": did_you_mean(value, allowed), "allowed": ", ".join(allowed)}
        case "pattern":
            return _pattern_message(what, value, field, str(rules.get("pattern", "")))
        case "minimum" | "exclusiveMinimum" | "maximum" | "exclusiveMaximum" | "minLength" as kind:
            return kind, {"what": what, "limit": rules.get(kind)}
        case "maxLength":
            return "maxLength", {"what": what, "length": len(value), "limit": rules.get("maxLength")}
    return None


def _first_lines(table, fields: list[str]) -> dict[tuple, int]:
    """The line where each value of `fields` first occurs, to name the row a duplicate repeats."""
    cache = table.__dict__.setdefault("_first_lines", {})
    key = tuple(fields)
    if key not in cache:
        first: dict[tuple, int] = {}
        for values, line in zip(zip(*(table.values(f) for f in fields), strict=True), table.lines, strict=False):
            first.setdefault(values, line)
        cache[key] = first
    return cache[key]


def _repeat_message(table, idx: int, fields: list[str], fix: str) -> tuple[str, dict] | None:
    """A duplicate key or unique value: the value and the line that has it first."""
    if not (fields and 0 <= idx < table.num_rows):
        return None
    values = tuple(table.row(idx).get(f, "") for f in fields)
    line = _first_lines(table, fields).get(values)
    where = f" on line {line}" if line and line != table.lines[idx] else ""
    if len(fields) == 1:
        return "one", {"field": fields[0], "value": clip(values[0]), "where": where, "fix": fix}
    shown = ", ".join(quoted(v) for v in values)
    return "key", {"fields": ", ".join(fields), "shown": shown, "where": where, "fix": fix}


def _foreign_key_message(err: dict, table, ds: Dataset) -> tuple[str, dict] | None:
    """The value that points nowhere, the file it should be in, and the id it most likely means."""
    names, cells = err["field_names"], err["field_cells"]
    if not names or len(names) != len(cells):
        return None
    target = ds.tables.get(err["reference_name"] or table.name)
    ref_fields = err["reference_field_names"] or names
    where = Path(target.path).name if target else (err["reference_name"] or table.name)
    kind = "an id" if ref_fields == ["id"] else "a " + ", ".join(ref_fields)
    if len(names) == 1:
        hint = did_you_mean(cells[0], target.values(ref_fields[0]), ID_CUTOFF) if target else ""
        return "one", {"field": names[0], "value": clip(cells[0]), "kind": kind, "where": where, "hint": hint}
    shown = ", ".join(quoted(c) for c in cells)
    return "key", {"fields": ", ".join(names), "shown": shown, "where": where}


def _label_message(err: dict, table) -> tuple[str, dict] | None:
    """Header problems: the column name as written, and the schema's name it most likely means."""
    label, name = err["label"], err["field_name"]
    match err["type"]:
        case "extra-label" if not label.strip():
            return "unnamed", {"number": err["field_number"]}
        case "extra-label" if label in table.fields:
            return "twice", {"label": clip(label)}
        case "extra-label":
            return "undeclared", {"label": clip(label), "hint": did_you_mean(label, table.fields)}
        case "incorrect-label":
            return "label", {"number": err["field_number"], "label": clip(label), "name": clip(name)}
        case "missing-label":
            return "label", {"name": clip(name)}
        case "duplicate-label":
            return "label", {"label": clip(label)}
    return None


def _explain(err: dict, table, ds: Dataset, idx: int) -> tuple[str, dict]:
    """The message for one error (its variant and fields): plain words with the value where there is
    one, else frictionless's."""
    field = table.fields.get(err["field_name"], {})
    match err["type"]:
        case "type-error":
            message = _type_message(err, field)
        case "constraint-error":
            message = _constraint_message(err, field)
        case "primary-key":
            fix = "choose a new id" if len(table.primary_key) == 1 else "change one of them"
            message = _repeat_message(table, idx, table.primary_key, fix + " or remove the duplicate row")
        case "unique-error":
            message = _repeat_message(table, idx, [err["field_name"]], "values in this column must be unique")
        case "foreign-key":
            message = _foreign_key_message(err, table, ds)
        case "missing-cell":
            message = "cell", {"field": err["field_name"]}
        case "extra-cell":
            message = "cell", {"extra": clip(err["cell"])}
        case "blank-row":
            message = "line", {}
        case _:
            message = _label_message(err, table)
    return message or _frictionless_words(err)


def schema_findings(ds: Dataset, raw: dict) -> list[Finding]:
    """Locate frictionless's errors at file:line:column."""
    rejected = PACKAGE_CODES["PKG007"]
    if "fatal" in raw:
        return [rejected.at(DESCRIPTOR, 0, 0, "fatal", why=shorten(raw["fatal"], 300))]
    findings = []
    for e in raw["package"]:
        variant, fields = _frictionless_words(e)
        findings.append(rejected.at(DESCRIPTOR, 0, 0, variant, **fields))
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
        code = CODE_OF.get(err["type"], "SCH000")
        field_name, col, value = err["field_name"], err["field_number"], err["cell"]
        if err["type"] == "foreign-key" and err["field_names"]:  # frictionless gives a row, not a cell
            field_name, value = err["field_names"][0], (err["field_cells"] or [""])[0]
            col = table.column(field_name)
        idx = -1
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
        variant, fields = _explain(err, table, ds, idx)
        findings.append(CODES[code].at(table.path, line, col, variant, cell=(field_name, value), **fields))
    return findings
