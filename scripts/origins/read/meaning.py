"""What each table means, read once from the Table Schemas' `x-` properties.

The schemas are the one place a table's meaning is declared (docs/data-dictionary.md lists the
properties); every check, output and release rule that needs it asks this module, so that a new
table needs a schema, a descriptor entry and its CSV, and no code:

table level
    `x-id-prefix`   the prefix of the table's `id` values (`evt` for `evt-…`): which table a
                    citation's `row_id` or a retired id names.
    `x-must-cite`   every row must be cited by at least one citation (CIT001).
field level
    `x-edtf`        the text is an EDTF date (earliest, latest and precision columns follow).
    `x-free-text`   prose a person writes: checked for spreadsheet formulas (TXT001) and made
                    safe in the published CSV copies.
    `x-editorial`   wording only: changing it alone needs a patch release, not a minor one.
    `x-references`  the tables an id may name, told apart by its prefix (a person or an
                    organization: `["people", "organizations"]`), which a Table Schema foreign
                    key cannot express (REF001).
    `x-search`      indexed for full-text search in the SQLite file.
    `x-order`       "enum": the enum lists the values in the order readers see them (the
                    timeline sorts by it).

Functions take the schemas as `{table name: Table Schema}`, so the build (which has the
descriptor's tables) and the checks (which have a loaded Dataset) share them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

FORMULA_START = ("=", "+", "-", "@")  # a cell starting so runs as a spreadsheet formula (OWASP CSV injection)

Schemas = Mapping[str, dict]


def schemas_of(ds) -> dict[str, dict]:
    """The Table Schema of every table of a loaded Dataset."""
    return {name: t.schema for name, t in ds.tables.items()}


def fields_with(schemas: Schemas, prop: str) -> Iterator[tuple[str, str]]:
    """(table, column) of every field that declares `prop`, in descriptor and schema order."""
    for name, schema in schemas.items():
        for f in schema.get("fields", []):
            if f.get(prop):
                yield name, f["name"]


def columns_with(schema: dict, prop: str) -> list[str]:
    """The columns of one table that declare `prop`."""
    return [f["name"] for f in schema.get("fields", []) if f.get(prop)]


def prefix_table(schemas: Schemas) -> dict[str, str]:
    """Id prefix -> table, from `x-id-prefix`."""
    return {s["x-id-prefix"]: name for name, s in schemas.items() if s.get("x-id-prefix")}


def must_cite(schemas: Schemas) -> list[str]:
    """Tables whose every row needs a citation (`x-must-cite`)."""
    return [name for name, s in schemas.items() if s.get("x-must-cite")]


def references(schemas: Schemas) -> list[tuple[str, str, list[str]]]:
    """(table, column, tables it may name) of every `x-references` field."""
    out = []
    for table, column in fields_with(schemas, "x-references"):
        f = next(f for f in schemas[table]["fields"] if f["name"] == column)
        out.append((table, column, list(f["x-references"])))
    return out


def enum_order(schema: dict, column: str) -> dict[str, int]:
    """Position of each enum value of a field declared `x-order: enum` (else empty)."""
    f = next((f for f in schema.get("fields", []) if f["name"] == column), {})
    if f.get("x-order") != "enum":
        return {}
    return {v: i for i, v in enumerate(f.get("constraints", {}).get("enum", []))}
