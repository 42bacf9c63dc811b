"""Load the data package: descriptor, Table Schemas and CSV rows with their physical lines.

Reading is deliberately forgiving (a BOM, CRLF, a ragged row, bad bytes) so that every
problem becomes a located finding instead of a traceback; judging the rows is the job of
`schema_check` (frictionless) and the registered checks.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from origins.core.codes import Code, declared
from origins.core.findings import ERROR, Finding
from origins.core.versions import released
from origins.read.descriptor import check_descriptor, check_table_schema

DESCRIPTOR = "datapackage.json"
csv.field_size_limit(sys.maxsize)

# The codes raised here, for the check catalogue (docs/checks.md)
CODES = declared(
    Code("PKG001", "descriptor-missing", "The descriptor (or a schema file) is missing.", "{what} {file} is missing"),
    Code(
        "PKG002",
        "invalid-json",
        "The descriptor or a schema is not valid JSON.",
        {
            "encoding": "{what} is not UTF-8 ({reason})",
            "syntax": "{what} is not valid JSON: {reason}",
            "not-object": "{what} must be a JSON object",
        },
    ),
    Code(
        "PKG003",
        "data-file-missing",
        "A resource's CSV file is missing.",
        "data file {file} of resource '{name}' is missing; create it with a header row",
    ),
    Code(
        "PKG004",
        "not-utf-8",
        "A CSV file is not UTF-8.",
        "file is not valid UTF-8 (byte {byte:#04x}); save it as UTF-8",
    ),
    Code(
        "PKG005",
        "malformed-csv",
        "A CSV file is malformed (for example an unclosed quote).",
        "malformed CSV ({why}); check the quotes on this row",
    ),
)


class LoadError(Exception):
    """The package cannot be read at all (missing or malformed descriptor)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class Table:
    """One resource as read: its cells as one Arrow table of strings (`arrow`, every cell as written,
    "" for an empty one), with the physical line each row starts on.

    `rows` (a dict per row) is derived from `arrow` on demand, for code that has not moved to
    columns; the checks read columns through their Reporter and build typed records only for the
    rows they report (issue 25)."""

    name: str
    path: str  # relative to the package root, as written in the descriptor
    schema: dict
    header: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # physical line where each row starts
    readable: bool = True
    root: Path | None = None  # the package root, to read the file again when its text is needed
    bom: bool = False
    irregular: bool = False  # some row is blank or has the wrong number of cells
    exact: bool = False  # the file is the minimal-quoting serialisation of its cells (origins.read.cells)
    _arrow: object = None
    _rows: list | None = None
    _lists: dict = field(default_factory=dict)  # column name -> its cells as a Python list (`values`)

    @cached_property
    def fields(self) -> dict[str, dict]:
        return {f["name"]: f for f in self.schema.get("fields", [])}

    @property
    def primary_key(self) -> list[str]:
        pk = self.schema.get("primaryKey", [])
        return [pk] if isinstance(pk, str) else list(pk)

    @property
    def num_rows(self) -> int:
        return len(self.lines)

    @property
    def arrow(self):
        """Every cell as an Arrow string column, one per name of the header and the schema."""
        if self._arrow is None:
            from origins.read.cells import from_rows

            self._arrow = from_rows(self._rows or [], list(dict.fromkeys([*self.fields, *self.header])))
        return self._arrow

    @property
    def rows(self) -> list[dict[str, str]]:
        """Raw cell text by column name, one dict per row (derived from `arrow`, built once)."""
        if self._rows is None:
            from origins.read.cells import to_rows

            self._rows = to_rows(self._arrow) if self._arrow is not None else []
        return self._rows

    @property
    def text(self) -> str:
        """The file as text (BOM removed), read again on demand rather than kept in memory."""
        data = (self.root / self.path).read_bytes()
        return data[3:].decode("utf-8") if data.startswith(b"\xef\xbb\xbf") else data.decode("utf-8")

    def column(self, name: str) -> int:
        """1-based column of a field in the file as written (0 if absent)."""
        try:
            return self.header.index(name) + 1
        except ValueError:
            return 0

    def cells(self, name: str):
        """One column as an Arrow string array in row order ("" for an empty or absent cell)."""
        from origins.core.columns import filled, strings

        t = self.arrow
        if name in t.column_names:
            return filled(t.column(name))
        return strings([""] * self.num_rows)

    def row(self, i: int) -> dict[str, str]:
        """One row as a dict of its cells (for a reported row: no dict of every row is built)."""
        if self._rows is not None:
            return self._rows[i]
        return {name: self.cell(i, name) for name in self.arrow.column_names}

    def values(self, name: str) -> list[str]:
        """One column's cells as a Python list ("" for an empty or absent cell), built once."""
        cache = self._lists
        if name not in cache:
            cache[name] = self.cells(name).to_pylist()
        return cache[name]

    @cached_property
    def names(self) -> frozenset[str]:
        """The names of the columns (`arrow`'s), for lookups."""
        return frozenset(self.arrow.column_names)

    def views(self):
        """(position, row) for every row, the row a read-only mapping over the columns (`RowView`):
        a check that still walks rows reads the cells it asks for, and no dict per row is built.
        Rows the csv module read (an irregular file) are already dicts and are given as they are."""
        if self._rows is not None:
            return enumerate(self._rows)
        return ((i, RowView(self, i)) for i in range(self.num_rows))

    def cell(self, row: int, name: str) -> str:
        """One cell's text ("" if empty or absent), without building the rows."""
        if self._rows is not None:
            return self._rows[row].get(name) or ""
        if name in self._lists:  # the column's list, if a check has already asked for it
            return self._lists[name][row]
        t = self.arrow
        return (t.column(name)[row].as_py() or "") if name in t.column_names else ""


class RowView(Mapping):
    """Row `i` of a table as a read-only mapping of column name -> cell text, read from the
    table's column lists on access (origins.read.package.Table.views)."""

    __slots__ = ("_table", "_i")

    def __init__(self, table: Table, i: int):
        self._table, self._i = table, i

    def __getitem__(self, name: str) -> str:
        t = self._table
        column = t._lists.get(name)
        if column is None:
            if name not in t.names:
                raise KeyError(name)
            column = t.values(name)
        return column[self._i]

    def get(self, name: str, default=None):
        t = self._table
        column = t._lists.get(name)
        if column is None:
            if name not in t.names:
                return default
            column = t.values(name)
        return column[self._i]

    def __iter__(self):
        return iter(self._table.arrow.column_names)

    def __len__(self) -> int:
        return self._table.arrow.num_columns

    def __repr__(self) -> str:
        return repr(dict(self))


@dataclass
class Dataset:
    root: Path
    descriptor: dict
    tables: dict[str, Table]
    load_findings: list[Finding] = field(default_factory=list)

    def finding(self, table: str, row: int, field_name: str, code: str, message: str, severity: str = ERROR) -> Finding:
        t = self.tables[table]
        value = t.cell(row, field_name) if field_name else ""
        return Finding(
            t.path,
            t.lines[row],
            t.column(field_name) if field_name else 0,
            code,
            message,
            severity,
            field_name,
            value,
        )

    @cached_property
    def meaning(self):
        """What each table means (origins.read.meaning), parsed once from the schemas."""
        from origins.read.meaning import Meaning

        return Meaning.parse({name: t.schema for name, t in self.tables.items()})

    def rows_by_id(self, table: str) -> dict[str, dict[str, str]]:
        """Rows of a table by id, built once (for lookups inside per-row loops)."""
        cache = self.__dict__.setdefault("_by_id", {})
        if table not in cache:
            cache[table] = {r.get("id"): r for _, r in self.tables[table].views()} if table in self.tables else {}
        return cache[table]

    def column(self, table: str, name: str):
        """One column as an Arrow string array ("" for an empty or absent cell), in row order, built
        once: the cross-table checks compare ids with Arrow's hash lookups (`ids`, `unmatched`)
        instead of a Python test per row."""
        cache = self.__dict__.setdefault("_columns", {})
        if (table, name) not in cache:
            from origins.core.columns import strings

            t = self.tables.get(table)
            cache[table, name] = t.cells(name) if t is not None else strings([])
        return cache[table, name]

    def picked(self, table: str, mask, *columns: str):
        """(position, cell of each of `columns`) for the rows of `table` where `mask` (Arrow booleans
        over its rows) is true: only those rows' cells become Python strings, one `take` per column
        rather than a lookup per cell. Nothing if the package has no such table."""
        import pyarrow.compute as pc

        from origins.core.columns import FALSE

        if table not in self.tables:
            return iter(())
        at = pc.indices_nonzero(pc.fill_null(mask, FALSE) if mask.null_count else mask)
        cells = [pc.take(self.column(table, name), at).to_pylist() for name in columns]
        return zip(at.to_pylist(), *cells, strict=True)

    def ids(self, table: str):
        """The ids of a table keyed by `id` (an Arrow array; empty for any other table), as `index` has them."""
        t = self.tables.get(table)
        return self.column(table, "id") if t is not None and t.primary_key == ["id"] else self.column("", "")

    def unresolved(self, values, prefixes: dict[str, str]) -> list[int]:
        """Positions of the non-empty `values` (Arrow strings) that are no id of the tables they may
        name: `prefixes` maps each such table to its id prefix, and a value is looked for only in the
        table its prefix names (`evt-…` in events). Arrow hash lookups, no Python test per row."""
        import pyarrow.compute as pc

        from origins.core.columns import EMPTY

        bad = pc.not_equal(values, EMPTY)
        for table, prefix in prefixes.items():
            found = pc.and_(pc.starts_with(values, f"{prefix}-"), pc.is_in(values, value_set=self.ids(table)))
            bad = pc.and_(bad, pc.invert(found))
        return pc.indices_nonzero(bad).to_pylist()

    def schema_line(self, table: str, needle: str) -> tuple[str, int]:
        """The schema file of a resource and the first line holding `needle` (1 when none does);
        the descriptor, line 0, when the resource has no readable schema file."""
        res = next((r for r in self.descriptor.get("resources", []) if r.get("name") == table), {})
        path = res.get("schema") if isinstance(res.get("schema"), str) else DESCRIPTOR
        try:
            text = (self.root / path).read_text(encoding="utf-8").splitlines()
        except OSError:
            return DESCRIPTOR, 0
        return path, next((i for i, line in enumerate(text, 1) if needle in line), 1)

    @cached_property
    def releases(self) -> list[dict]:
        """The committed release manifests, oldest first, read once per loaded package (several
        release checks ask; they are a few megabytes of JSON)."""
        return released(self.root)

    @cached_property
    def latest_release(self) -> dict | None:
        """The newest committed release manifest, if any."""
        return self.releases[-1] if self.releases else None

    @cached_property
    def index(self) -> dict[str, dict[str, int]]:
        """Row position of every id, by table: the hash lookups the cross-table checks use."""
        out: dict[str, dict[str, int]] = {}
        for name, t in self.tables.items():
            if t.primary_key == ["id"]:
                out[name] = {}
                for i, v in enumerate(self.column(name, "id").to_pylist()):
                    out[name].setdefault(v, i)
        return out


def unmatched(values, known) -> list[int]:
    """Positions of the non-empty `values` (Arrow strings) that are not in `known`."""
    import pyarrow.compute as pc

    from origins.core.columns import EMPTY

    bad = pc.and_(pc.not_equal(values, EMPTY), pc.invert(pc.is_in(values, value_set=known)))
    return pc.indices_nonzero(bad).to_pylist()


def _read_json(root: Path, rel: str, what: str) -> dict:
    path = root / rel
    if not path.is_file():
        raise LoadError(CODES["PKG001"].at(rel, 0, 0, what=what, file=rel))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise LoadError(CODES["PKG002"].at(rel, 0, 0, "encoding", what=what, reason=exc.reason)) from None
    except json.JSONDecodeError as exc:
        raise LoadError(CODES["PKG002"].at(rel, exc.lineno, exc.colno, "syntax", what=what, reason=exc.msg)) from None
    if not isinstance(data, dict):
        raise LoadError(CODES["PKG002"].at(rel, 1, 1, "not-object", what=what))
    return data


def read_csv(root: Path, table: Table) -> list[Finding]:
    """Fill `table` from its CSV; return findings for what made reading impossible or lossy.

    pyarrow reads the file when its reading is provably the csv module's (origins.read.cells): the
    file is then exactly the serialisation of the cells read, the common, canonical case. Anything
    else (a ragged row, a blank line, a CR, extra quotes) is read by the csv module, which is
    forgiving and locates every oddity for the checks to report."""
    path = root / table.path
    if not path.is_file():
        table.readable = False
        return [CODES["PKG003"].at(table.path, 0, 0, file=table.path, name=table.name)]
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a BOM is reported by the format check, not fatal here
        table.bom = True
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        table.readable = False
        return [CODES["PKG004"].at(table.path, line, 0, byte=data[exc.start])]
    table.root = root
    from origins.read.cells import read_exact

    exact = read_exact(data, list(table.fields))
    if exact is not None:
        table.header, table.lines, table._arrow, table.exact = list(table.fields), exact[1], exact[0], True
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    blank = dict.fromkeys(table.fields, "")  # every schema column, so no check meets a missing key
    rows: list[dict[str, str]] = []
    try:
        for i, cells in enumerate(reader):
            if i == 0:
                table.header = cells
            else:
                table.irregular |= len(cells) != len(table.header)
                table.lines.append(start)
                # ragged rows are kept and reported by frictionless (SCH003/SCH004)
                # interned: ids and enumerations repeat across rows and tables, so one copy each
                row = dict(zip(table.header, map(sys.intern, cells), strict=False))
                # a blank line, a short row or a header without a column: the schema check reports it
                rows.append(row if len(row) == len(blank) and row.keys() == blank.keys() else blank | row)
            start = reader.line_num + 1
    except csv.Error as exc:
        table.readable = False
        return [CODES["PKG005"].at(table.path, start, 0, why=exc)]
    table._rows = rows
    return []


def load(root: Path | str = ".") -> Dataset:
    root = Path(root)
    descriptor = _read_json(root, DESCRIPTOR, "package descriptor")
    tables: dict[str, Table] = {}
    # what build, metadata and release need from the descriptor, located (origins.read.descriptor)
    findings: list[Finding] = check_descriptor(root, DESCRIPTOR, descriptor)
    faulty = {f.field.split("/")[2] for f in findings if f.field.startswith("/resources/")}
    resources = descriptor.get("resources")
    for n, res in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(res, dict):
            continue  # reported above
        name, rel, schema_ref = res.get("name"), res.get("path"), res.get("schema")
        if str(n) in faulty:  # reported above; kept unread, so that no check judges a table it cannot see
            if isinstance(name, str):
                tables.setdefault(name, Table(name, rel if isinstance(rel, str) else "", {}, readable=False))
            continue
        try:
            schema = _read_json(root, schema_ref, f"schema of resource '{name}'")
        except LoadError as exc:
            findings.append(exc.finding)
            tables[name] = Table(name, rel, {}, readable=False)
            continue
        problems = check_table_schema(root, schema_ref, schema)
        if problems:  # its CSV cannot be judged, nor written, without a usable schema
            findings += problems
            tables[name] = Table(name, rel, {}, readable=False)
            continue
        table = Table(name, rel, schema)
        findings += read_csv(root, table)
        tables[name] = table
    return Dataset(root, descriptor, tables, findings)
