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
foreign keys
    A foreign key of a table to itself (`in_response_to`, `disputes`, `parent`, `derived_from`)
    orders its rows: an answer comes after what it answers, a correction after what it corrects,
    a parent above its child. No row may reach itself along one (REF002, CIT003).

The properties are parsed once into a typed `Meaning` (per table a `TableMeaning`, per column a
`ColumnMeaning`), from the schemas as `{table name: Table Schema}`, so the checks (a loaded
Dataset's `meaning`), the build, the timeline, SQLite and the site (the schemas shipped in
build/datapackage.json) ask the same object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

FORMULA_START = ("=", "+", "-", "@")  # a cell starting so runs as a spreadsheet formula (OWASP CSV injection)

COLUMN_FLAGS = {"x-edtf": "edtf", "x-free-text": "free_text", "x-editorial": "editorial", "x-search": "search"}


@dataclass(frozen=True)
class ColumnMeaning:
    name: str
    edtf: bool = False
    free_text: bool = False
    editorial: bool = False
    search: bool = False
    references: tuple[str, ...] = ()  # the tables an id in it may name (x-references)
    order: tuple[str, ...] = ()  # its enum values in reading order, when x-order is "enum"


@dataclass(frozen=True)
class TableMeaning:
    name: str
    id_prefix: str = ""  # x-id-prefix: `evt` for ids `evt-…`; "" when other rows do not cite its ids
    must_cite: bool = False  # x-must-cite
    columns: tuple[ColumnMeaning, ...] = ()  # in schema order
    orders: tuple[str, ...] = ()  # columns of its one-column foreign keys to itself

    def column(self, name: str) -> ColumnMeaning:
        return next((c for c in self.columns if c.name == name), ColumnMeaning(name))

    def names(self, flag: str) -> list[str]:
        """The columns with a flag: "edtf", "free_text", "editorial", "search" or "references"."""
        return [c.name for c in self.columns if getattr(c, flag)]


def _self_keys(schema: dict):
    """The column of each one-column foreign key of a schema to its own table."""
    for fk in schema.get("foreignKeys") or []:
        fields, ref = fk.get("fields"), fk.get("reference") or {}
        fields = [fields] if isinstance(fields, str) else list(fields or ())
        if len(fields) == 1 and isinstance(ref, dict) and not ref.get("resource"):
            yield fields[0]


@dataclass(frozen=True)
class Meaning:
    """What every table of a package means, as its schemas declare it."""

    tables: Mapping[str, TableMeaning]

    @classmethod
    def parse(cls, schemas: Mapping[str, dict]) -> Meaning:
        tables = {}
        for name, schema in schemas.items():
            columns = []
            for f in schema.get("fields", []):
                flags = {attr: bool(f.get(prop)) for prop, attr in COLUMN_FLAGS.items()}
                enum = f.get("constraints", {}).get("enum", []) if f.get("x-order") == "enum" else []
                refs = tuple(f.get("x-references") or ())
                columns.append(ColumnMeaning(f["name"], **flags, references=refs, order=tuple(enum)))
            prefix = schema.get("x-id-prefix") or ""
            orders = tuple(_self_keys(schema))
            tables[name] = TableMeaning(name, prefix, bool(schema.get("x-must-cite")), tuple(columns), orders)
        return cls(tables)

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """Id prefix -> table (`evt` -> events)."""
        return {t.id_prefix: name for name, t in self.tables.items() if t.id_prefix}

    def table_of(self, row_id: str) -> str | None:
        """The table an id names, by its prefix (None when no table declares it)."""
        return self.prefixes.get(row_id.split("-", 1)[0]) if "-" in row_id else None

    @property
    def must_cite(self) -> list[str]:
        """Tables whose every row needs a citation (`x-must-cite`)."""
        return [name for name, t in self.tables.items() if t.must_cite]

    @property
    def references(self) -> list[tuple[str, str, list[str]]]:
        """(table, column, tables it may name) of every `x-references` column."""
        return [
            (name, c.name, list(c.references)) for name, t in self.tables.items() for c in t.columns if c.references
        ]

    @property
    def orders(self) -> list[tuple[str, str]]:
        """(table, column) of every foreign key of a table to itself: the relations that order rows."""
        return [(name, column) for name, t in self.tables.items() for column in t.orders]

    def columns_with(self, flag: str) -> list[tuple[str, str]]:
        """(table, column) of every column with a flag, in descriptor and schema order."""
        return [(name, column) for name, t in self.tables.items() for column in t.names(flag)]
