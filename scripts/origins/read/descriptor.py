"""The descriptor checked like the data: datapackage.json and the Table Schemas against what the
pipeline needs from them, with findings at the line of the offending key and its JSON pointer.

What build, the citation files (CITATION.cff, Zenodo, Croissant, schema.org), the dataset card,
the SQLite metadata and the release read from the descriptor is declared once below as JSON
Schemas (DESCRIPTOR_SCHEMA, TABLE_SCHEMA) and checked with `jsonschema`; frictionless, the
authority on Table Schema, then judges each schema file that passes ours. A descriptor that
validates clean therefore never makes a later stage stop with a traceback.

Codes: PKG008 a required entry is missing or empty; PKG009 an entry has the wrong type or form;
PKG006 a resource's path or schema path leaves the package; PKG010 frictionless rejects a Table
Schema that has every entry the pipeline needs.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path

from origins.core.codes import Code, declared
from origins.core.findings import Finding, shorten
from origins.read.arrow import BASE_TYPES

MISSING, INVALID, OUTSIDE, REJECTED = "PKG008", "PKG009", "PKG006", "PKG010"
# The codes raised here, for the check catalogue (docs/checks.md)
CODES = declared(
    Code(
        OUTSIDE,
        "path-outside-package",
        "A resource's path or schema path leaves the package (absolute, `..` or a URL).",
        "{pointer} is {value}, which is not a path inside the package{hint}",
    ),
    Code(
        MISSING,
        "entry-missing",
        "datapackage.json or a Table Schema lacks an entry that build, the citation files, the card "
        "or release need (title, description, version, created, licences, contributors with an author, "
        "keywords, sources, resources and their name, path and schema; fields, primaryKey), or it is empty; "
        "the message gives its JSON pointer.",
        {
            "missing": "{pointer} is missing; {hint}",
            "has-no": "{pointer} has no {what}; {hint}",
            "empty": "{pointer} is empty; {hint}",
        },
    ),
    Code(
        INVALID,
        "entry-invalid",
        "An entry of datapackage.json or a Table Schema has the wrong type or form (a version that is "
        "not SemVer, a created that is not an RFC 3339 date-time, a column type the pipeline cannot write, "
        "two resources with one name); the message gives its JSON pointer.",
        {
            "type": "{pointer} must be {want}, not {got}{hint}",
            "enum": "{pointer} is {value}; write one of {allowed}{hint}",
            "form": "{pointer} is {value}, which is not {what}{hint}",
            "name-taken": "{pointer} is {value}, like /resources/{first}/name; rename one",
        },
    ),
    Code(
        REJECTED,
        "table-schema-rejected",
        "frictionless rejects a Table Schema that has every entry the pipeline needs (a primary or "
        "foreign key naming no column, a constraint its type does not support).",
        "{pointer}: {note}; see the Table Schema standard (datapackage.org)",
    ),
)

# https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string
SEMVER = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
# relative, with forward slashes, no '..' segment, no scheme or drive: the pipeline reads it under the package root
INSIDE = r"^(?![/\\])(?![A-Za-z][A-Za-z0-9+.-]*:)(?!(?:.*/)?\.\.(?:/|$))[^\\]+$"
RFC3339 = r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$"
NAME = r"^[a-z0-9._-]+$"

# The tables the checks, the timeline and the site are written for.
TABLES = ("sources", "people", "organizations", "roles", "events", "participants", "claims", "figures", "citations")


def _text(hint: str) -> dict:
    return {"type": "string", "minLength": 1, "x-hint": hint}


def _list(items: dict, hint: str) -> dict:
    return {"type": "array", "minItems": 1, "items": items, "x-hint": hint}


DESCRIPTOR_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name", "title", "description", "version", "created", "licenses", "contributors", "keywords"]
    + ["sources", "resources"],
    "properties": {
        "name": {
            **_text("write a lower-case name such as openai-origins"),
            "pattern": NAME,
            "x-what": "a lower-case name",
        },
        "title": _text("give the dataset's title, as it is cited"),
        "description": _text("say in a few sentences what the dataset holds"),
        "version": {
            **_text("write a semantic version MAJOR.MINOR.PATCH, such as 1.0.0 or 1.0.0-dev (see docs/releases.md)"),
            "pattern": SEMVER,
            "x-what": "a semantic version",
        },
        "created": {
            **_text("write an RFC 3339 date-time such as 2026-11-26T00:00:00Z (its day is the release date)"),
            "format": "date-time",
            "x-what": "an RFC 3339 date-time",
        },
        "id": {"type": "string", "x-hint": "write the concept DOI as https://doi.org/10...."},
        "homepage": {"type": "string", "x-hint": "write the repository's address"},
        "keywords": _list(_text("write each keyword as a non-empty string"), 'list keywords, such as ["OpenAI"]'),
        "licenses": _list(
            {
                "type": "object",
                "required": ["name", "path"],
                "properties": {
                    "name": {
                        **_text("write the SPDX id of the licence, such as CC-BY-4.0"),
                        "pattern": r"^[A-Za-z0-9.+-]+$",
                        "x-what": "an SPDX licence id",
                    },
                    "path": _text("give the licence's address, such as https://creativecommons.org/licenses/by/4.0/"),
                    "title": {"type": "string"},
                },
                "x-hint": 'describe the licence as {"name": "CC-BY-4.0", "path": "https://..."}',
            },
            'list the licence as [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]',
        ),
        "contributors": {
            **_list(
                {
                    "type": "object",
                    "required": ["title"],
                    "properties": {
                        "title": _text("give the contributor's name as it is cited"),
                        "roles": {
                            "type": "array",
                            "items": {"type": "string"},
                            "x-hint": 'list roles, such as ["author"]',
                        },
                    },
                    "x-hint": 'describe the contributor as {"title": "...", "roles": ["author"]}',
                },
                'list the contributors, such as [{"title": "openai-origins contributors", "roles": ["author"]}]',
            ),
            "contains": {
                "type": "object",
                "required": ["roles"],
                "properties": {"roles": {"contains": {"const": "author"}}},
            },
            "x-what": 'contributor with the role "author"',
            "x-code": MISSING,
        },
        "sources": _list(
            {
                "type": "object",
                "required": ["title", "path"],
                "properties": {
                    "title": _text("name the source"),
                    "path": _text("give the source's address or a path in the package"),
                },
                "x-hint": 'describe the source as {"title": "...", "path": "https://..."}',
            },
            'list the sources the dataset starts from, as [{"title": "...", "path": "https://..."}]',
        ),
        "resources": {
            **_list(
                {
                    "type": "object",
                    "required": ["name", "path", "schema"],
                    "properties": {
                        "name": {
                            **_text("write a lower-case name such as events"),
                            "pattern": NAME,
                            "x-what": "a lower-case name",
                        },
                        "path": {
                            **_text("write the CSV's path relative to the package root, such as raw/events.csv"),
                            "pattern": INSIDE,
                            "x-code": OUTSIDE,
                        },
                        "schema": {
                            **_text(
                                "give the Table Schema's file, relative to the package root, such as schemas/events.json"
                            ),
                            "pattern": INSIDE,
                            "x-code": OUTSIDE,
                        },
                        "format": {"enum": ["csv"], "x-hint": "the pipeline reads CSV files"},
                        "title": {"type": "string"},
                        "description": {"type": "string"},
                    },
                    "x-hint": 'describe the resource as {"name": ..., "path": "raw/....csv", "schema": "schemas/....json"}',
                },
                "list the resources, one per table",
            ),
            "allOf": [
                {
                    "contains": {"type": "object", "required": ["name"], "properties": {"name": {"const": t}}},
                    "x-what": f"resource named {t!r}",
                    "x-code": MISSING,
                }
                for t in TABLES
            ],
        },
    },
}

_KEYS = {"type": "array", "items": {"type": "string"}, "minItems": 1}
TABLE_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["fields", "primaryKey"],
    "properties": {
        "fields": _list(
            {
                "type": "object",
                "required": ["name", "type"],
                "properties": {
                    "name": _text("name the column as in the CSV header"),
                    "type": {
                        "enum": list(BASE_TYPES),
                        "x-hint": "the pipeline writes these types to Parquet: " + ", ".join(BASE_TYPES),
                    },
                    "description": {"type": "string"},
                    "constraints": {
                        "type": "object",
                        "x-hint": 'write constraints as an object, such as {"required": true}',
                    },
                    "delimiter": {"type": "string", "minLength": 1},
                    "x-edtf": {"type": "boolean", "x-hint": "write true for a column of EDTF dates"},
                    # the meaning properties origins.read.meaning reads (docs/data-dictionary.md)
                    **{
                        k: {"type": "boolean", "x-hint": f"write true or leave {k} out"}
                        for k in ("x-free-text", "x-editorial", "x-search")
                    },
                    "x-references": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "string", "minLength": 1},
                        "x-hint": 'list the tables the id may name, such as ["people", "organizations"]',
                    },
                    "x-order": {"enum": ["enum"], "x-hint": 'write "enum" when the enum lists values in reading order'},
                },
                "x-hint": 'describe the column as {"name": ..., "type": "string", "description": ...}',
            },
            "list the columns of the table",
        ),
        "primaryKey": {**_KEYS, "x-hint": 'list the key\'s columns, such as ["id"]'},
        "x-id-prefix": {
            "type": "string",
            "pattern": "^[a-z]+$",
            "x-hint": 'write the lower-case prefix of the ids, such as "evt" for evt-…',
        },
        "x-must-cite": {"type": "boolean", "x-hint": "write true when every row needs a citation"},
        "foreignKeys": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["fields", "reference"],
                "properties": {
                    "fields": _KEYS,
                    "reference": {
                        "type": "object",
                        "required": ["fields"],
                        "properties": {"resource": {"type": "string"}, "fields": _KEYS},
                    },
                },
                "x-hint": 'write {"fields": ["event_id"], "reference": {"resource": "events", "fields": ["id"]}}',
            },
        },
    },
}

_TYPES = {
    "string": "a string",
    "array": "a list [...]",
    "object": "an object {...}",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "null",
}


def _json_type(value) -> str:
    for kind, cls in (("null", type(None)), ("boolean", bool), ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, cls):
            return kind
    return "number"


def _rfc3339(value) -> bool:
    """RFC 3339 date-time: the shape by regular expression, the calendar by the standard library."""
    if not isinstance(value, str):
        return True
    if not re.match(RFC3339, value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return False
    return True


@cache
def _validator(which: str):
    """One compiled validator per schema; the date-time format is checked here, not left to optional packages."""
    from jsonschema import Draft202012Validator, FormatChecker

    formats = FormatChecker(formats=())
    formats.checks("date-time")(_rfc3339)
    schema = DESCRIPTOR_SCHEMA if which == "descriptor" else TABLE_SCHEMA
    return Draft202012Validator(schema, format_checker=formats)


def pointer(parts: Iterable) -> str:
    """RFC 6901 JSON pointer of a path of keys and indices."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def positions(text: str) -> dict[str, tuple[int, int]]:
    """Line and column (1-based) of every JSON pointer in a valid JSON text: of the key for an
    object member, of the value for a list item, of the first character for the root.

    The standard json module keeps no positions; this walks the text with its scanners.
    """
    decoder = json.JSONDecoder()
    from json.decoder import scanstring

    out: dict[str, tuple[int, int]] = {}
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def at(i: int) -> tuple[int, int]:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if starts[mid] <= i else (lo, mid - 1)
        return lo + 1, i - starts[lo] + 1

    def ws(i: int) -> int:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        return i

    def value(i: int, ptr: str) -> int:
        i = ws(i)
        if text[i] == "{":
            i = ws(i + 1)
            while text[i] != "}":
                key, end = scanstring(text, i + 1)
                child = ptr + pointer([key])
                out.setdefault(child, at(i))
                i = ws(value(ws(end) + 1, child))  # past the ':' and the value
                i = ws(i + 1) if text[i] == "," else i
            return i + 1
        if text[i] == "[":
            i, n = ws(i + 1), 0
            while text[i] != "]":
                out.setdefault(f"{ptr}/{n}", at(i))
                i = ws(value(i, f"{ptr}/{n}"))
                i, n = (ws(i + 1) if text[i] == "," else i), n + 1
            return i + 1
        return decoder.raw_decode(text, i)[1]

    start = ws(0)
    out[""] = at(start)
    value(start, "")
    return out


def _annotation(schema: dict, path: Iterable, key: str) -> str:
    """The innermost `key` (x-hint, x-code, x-what) on the way down the schema to a failing keyword."""
    found, node = schema.get(key, ""), schema
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and key in node:
            found = node[key]
    return found


def _show(value) -> str:
    return shorten(json.dumps(value, ensure_ascii=False), 60)


@cache
def _code_version() -> list[str]:
    """What `_problems` answers with besides its input: jsonschema's version and this module's and
    read.arrow's code (the profiles and their annotations are written here, the types there)."""
    from importlib.metadata import version

    from origins.read import arrow

    code = [hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in (__file__, arrow.__file__)]
    return [version("jsonschema"), *code]


def _problems(root_schema: dict, data) -> list[tuple[str, str, str, str, dict]]:
    """`_judged_by_profile`, remembered per input (origins.core.cache.memo): jsonschema takes a
    tenth of a second to import and as long again to judge the descriptor and the schemas, which
    rarely change between two runs."""
    from origins.core import cache as disk

    which = "descriptor" if root_schema is DESCRIPTOR_SCHEMA else "table"
    parts = [which, data, *_code_version()]
    return [tuple(p) for p in disk.memo("profile", parts, lambda: _judged_by_profile(which, data))]


def _judged_by_profile(which: str, data) -> list[tuple[str, str, str, str, dict]]:
    """(code, pointer of the entry, where to point, message variant, its fields) for every way `data`
    fails the profile `which` (the descriptor's or a Table Schema's)."""
    root_schema = DESCRIPTOR_SCHEMA if which == "descriptor" else TABLE_SCHEMA
    out = []
    for err in _validator(which).iter_errors(data):
        ptr = pointer(err.absolute_path)
        path = list(err.absolute_schema_path)
        code = _annotation(root_schema, path, "x-code")
        hint = _annotation(root_schema, path, "x-hint")
        if err.validator == "required":
            for key in err.validator_value:
                if isinstance(err.instance, dict) and key not in err.instance:
                    sub = err.schema.get("properties", {}).get(key, {})
                    child = ptr + pointer([key])
                    out.append((MISSING, child, ptr, "missing", {"pointer": child, "hint": sub.get("x-hint") or hint}))
            continue
        if err.validator == "contains":
            what = _annotation(root_schema, path, "x-what")
            out.append((code or MISSING, ptr, ptr, "has-no", {"pointer": ptr, "what": what, "hint": hint}))
            continue
        if err.validator in ("minItems", "minLength"):
            out.append((MISSING, ptr, ptr, "empty", {"pointer": ptr, "hint": hint}))
            continue
        fields = {"pointer": ptr}
        if err.validator == "type":
            want = " or ".join(
                _TYPES[t]
                for t in ([err.validator_value] if isinstance(err.validator_value, str) else err.validator_value)
            )
            variant, fields["want"], fields["got"] = "type", want, _TYPES[_json_type(err.instance)]
        elif err.validator == "enum":
            variant, fields["value"] = "enum", _show(err.instance)
            fields["allowed"] = ", ".join(map(_show, err.validator_value))
            hint = "" if hint.startswith("the pipeline writes") else hint
        elif code == OUTSIDE and err.validator == "pattern":
            variant, fields["value"] = "", _show(err.instance)
        else:
            variant, fields["value"] = "form", _show(err.instance)
            fields["what"] = err.schema.get("x-what", "of the expected form")
        code = OUTSIDE if code == OUTSIDE and err.validator == "pattern" else INVALID
        out.append((code, ptr, ptr, variant, fields | {"hint": f"; {hint}" if hint else ""}))
    return out


def _located(rel: str, text: str, problems) -> list[Finding]:
    where = positions(text) if problems else {}
    findings = []
    for code, ptr, at, variant, fields in problems:
        line, col = where.get(at, where.get("", (1, 1)))
        findings.append(CODES[code].at(rel, line, col, variant, cell=(ptr, ""), **fields))
    return findings


def _unique_names(data: dict) -> list[tuple[str, str, str, str, dict]]:
    """Resource names are table names: two resources cannot share one (JSON Schema cannot say so)."""
    seen: dict[str, int] = {}
    out = []
    resources = data.get("resources")
    for n, res in enumerate(resources if isinstance(resources, list) else []):
        name = res.get("name") if isinstance(res, dict) else None
        if not isinstance(name, str):
            continue
        if name in seen:
            ptr = f"/resources/{n}/name"
            out.append((INVALID, ptr, ptr, "name-taken", {"pointer": ptr, "value": _show(name), "first": seen[name]}))
        seen.setdefault(name, n)
    return out


def check_descriptor(root: Path, rel: str, data: dict) -> list[Finding]:
    """Findings for datapackage.json, each at the line of its key, with the pointer in the message."""
    problems = _problems(DESCRIPTOR_SCHEMA, data) + _unique_names(data)
    return _located(rel, (root / rel).read_text(encoding="utf-8") if problems else "", problems)


def _frictionless_pointer(note: str, field: int | None) -> str:
    """Where in a Table Schema frictionless's note points, as far as its words say."""
    if field is not None:
        m = re.search(r'constraint "([^"]+)"', note)
        if m:
            return pointer(["fields", field, "constraints", m[1]])
        return pointer(["fields", field, "type"]) if "field type" in note else pointer(["fields", field])
    m = re.search(r"at property '([^']+)'", note)
    for words, ptr in (
        ("primary key", "/primaryKey"),
        ("foreign key", "/foreignKeys"),
        ("names of the fields", "/fields"),
    ):
        if words in note:
            return ptr
    return "/" + m[1] if m else ""


def _frictionless_problems(schema: dict) -> list[tuple[str, str, str, str, dict]]:
    """What frictionless rejects in a Table Schema that already has what the pipeline needs.

    frictionless's errors carry no position, so a field it rejects is found by judging a schema
    of that field alone; whatever remains is about the schema as a whole.
    """
    import frictionless

    notes = [e.note for e in frictionless.Schema.validate_descriptor(schema).errors]
    if not notes:
        return []
    out, placed = [], set()
    for n, field in enumerate(schema["fields"]):
        alone = {k: v for k, v in schema.items() if k == "$schema"} | {"fields": [field]}
        for note in (e.note for e in frictionless.Schema.validate_descriptor(alone).errors):
            if note in notes:
                ptr = _frictionless_pointer(note, n)
                out.append((REJECTED, ptr, ptr, "", {"pointer": ptr, "note": note}))
                placed.add(note)
    for note in notes:
        if note not in placed:
            ptr = _frictionless_pointer(note, None)
            out.append((REJECTED, ptr, ptr, "", {"pointer": ptr or "/", "note": note}))
    return out


def _judged_by_frictionless(schema: dict) -> list:
    """`_frictionless_problems`, remembered per schema text, frictionless version and this module's
    code (origins.core.cache.memo): importing frictionless alone takes a third of a second, and a
    schema rarely changes between two runs."""
    from importlib.metadata import version

    from origins.core import cache as disk

    parts = [schema, version("frictionless"), hashlib.sha256(Path(__file__).read_bytes()).hexdigest()]
    return [tuple(p) for p in disk.memo("table-schema", parts, lambda: _frictionless_problems(schema))]


def check_table_schema(root: Path, rel: str, schema: dict) -> list[Finding]:
    """Findings for one schema file: what the pipeline needs, then what frictionless requires."""
    problems = _problems(TABLE_SCHEMA, schema) or _judged_by_frictionless(schema)
    return _located(rel, (root / rel).read_text(encoding="utf-8") if problems else "", problems)
