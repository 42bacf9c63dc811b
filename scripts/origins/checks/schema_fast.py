"""Table Schema validation on Arrow: frictionless's raw report, computed a column at a time.

frictionless (the reference, `schema_check.frictionless_errors`) reads every row in Python; this
engine compiles each resource's Table Schema into pyarrow compute over the CSV read by pyarrow's
reader as strings, and writes the very same raw report (error types, row numbers, field numbers
and names, cells, notes, in frictionless's order) so that `schema_check.schema_findings` turns
both into identical findings. tests/test_parity.py holds the two engines to that.

pyarrow rather than DuckDB or polars: the build already imports it (one import, shared), its CSV
reader is multi-threaded, and its kernels (RE2 regular expressions, lengths, set membership,
sorting) cover every rule the schemas use without a query language in between.

Where this engine cannot decide a resource exactly as frictionless would (a ragged or blank row,
a header that differs from the schema, a BOM, a carriage return, a type, format or rule not compiled below, a key on a non-string column,
a foreign key into such a resource), it says so: the resource is *undecided* and its errors must
come from frictionless (`schema_errors` does that). The package-level judgement of the descriptor
is frictionless's own metadata validation, the same call `Package.validate` starts with.
"""

from __future__ import annotations

import io
import json
import operator
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from origins.core.columns import FALSE, combined, ints, number, strings, text
from origins.core.columns import flags as flag_array
from origins.read.package import DESCRIPTOR, Dataset

TITLES = {
    "type-error": "Type Error",
    "constraint-error": "Constraint Error",
    "unique-error": "Unique Error",
    "primary-key": "PrimaryKey Error",
    "foreign-key": "ForeignKey Error",
}
# Field.supported_constraints of frictionless 5, in the order it checks them (notes keep that order)
CONSTRAINTS = {
    "string": ["required", "minLength", "maxLength", "pattern", "enum"],
    "integer": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"],
    "number": ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"],
    "boolean": ["required"],
    "date": ["required"],
    "list": ["required", "minLength", "maxLength"],
}
TRUE_VALUES, FALSE_VALUES = ["true", "True", "TRUE", "1"], ["false", "False", "FALSE", "0"]
# keys that change nothing about how frictionless reads a resource, a schema or a field
RESOURCE_KEYS = {"name", "type", "title", "description", "path", "format", "mediatype", "encoding", "schema"} | {
    "sources",
    "licenses",
    "homepage",
}
SCHEMA_KEYS = {"$schema", "fields", "primaryKey", "foreignKeys", "missingValues", "title", "description"}
FIELD_KEYS = {"name", "type", "format", "title", "description", "constraints", "example"} | {
    "delimiter",
    "itemType",
    "trueValues",
    "falseValues",
}
PRINTABLE = "".join(map(chr, range(0x20, 0x7F)))  # RE2 and Python's re agree on these characters
BOUNDS = {
    "minimum": operator.ge,
    "maximum": operator.le,
    "exclusiveMinimum": operator.gt,
    "exclusiveMaximum": operator.lt,
}
SIMPLE = {"integer": r"^-?[0-9]{1,18}$", "number": r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"}


class Undecided(Exception):
    """This resource is for frictionless to judge; the message says why (for the run's statistics)."""


# --- regular expressions: Python's meaning, RE2's speed -------------------------------------------

# The syntax both dialects read alike on printable ASCII text, token by token: a pattern made only of
# these is handed to RE2 as written; any other (inline flags, `{,n}`, backreferences, lookarounds,
# alternation outside a group, escapes RE2 reads otherwise) is left to Python's own `re`.
_CLASS_ITEM = r"(?:\\[dDsSwW\\\-\]\[^.]|[^\\\]\[])"
_TOKENS = re.compile(
    r"""
    \\[dDsSwW]                                    # \d \s \w and their negations
  | \\[.\\/\-?+*(){}\[\]|^$]                        # an escaped metacharacter
  | \[\^?\]?"""
    + _CLASS_ITEM
    + r"""*\]                                           # a character class
  | \(\?:  | \((?!\?)  | \)  | \|                     # groups (no (?...) form but (?:) and alternation
  | (?:[*+?]|\{\d+(?:,\d*)?\})\??                    # quantifiers, greedy or lazy ({m}, {m,}, {m,n})
  | [A-Za-z0-9 _\-/:@%#~=&,;'"!<>.^$]                 # literal characters, '.', and the anchors
    """,
    re.VERBOSE,
)


def _alike(pattern: str) -> bool:
    """Whether `pattern` is written only in syntax Python's re and RE2 read the same way, with every
    `|` inside a group (frictionless's `^pattern$` makes a top-level `|` mean something RE2 would not)."""
    pos, depth = 0, 0
    while pos < len(pattern):
        m = _TOKENS.match(pattern, pos)
        if m is None:
            return False
        token = m.group(0)
        depth += token.startswith("(") - (token == ")")
        if depth < 0 or (token == "|" and depth == 0):
            return False
        pos = m.end()
    return depth == 0


@cache
def re2_of(pattern: str) -> str | None:
    """RE2 text that matches a printable-ASCII cell exactly when frictionless's `^pattern$` does, or
    None when the pattern uses syntax the two dialects may read differently (then Python's re judges).

    Decided on the pattern's text against a list of the syntax they share (`_TOKENS`), and confirmed
    by Python's re compiling it: no private parser of the interpreter is needed."""
    try:
        re.compile(pattern)
    except re.error:
        return None
    return f"^{pattern}$" if _alike(pattern) else None


# --- reading ---------------------------------------------------------------------------------


def _read(root: Path, resource: dict, table, fields: list[str]):
    """The CSV as an Arrow table of strings, if frictionless would read the same cells."""
    import pyarrow as pa
    import pyarrow.csv as pv

    if table is None or not table.readable or table.irregular or table.bom:
        raise Undecided("not read cleanly when loading")
    if table.header != fields:
        raise Undecided("header differs from the schema")
    if table.exact:  # read by pyarrow when loading, with the same options: one reading
        return table.arrow
    data = (root / table.path).read_bytes()
    if b"\r" in data:
        raise Undecided("carriage return")
    # no dialect guess: frictionless is told the project's dialect too (schema_check.declared_dialect)
    convert = pv.ConvertOptions(
        column_types=dict.fromkeys(fields, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False
    )
    parse = pv.ParseOptions(newlines_in_values=True)
    try:
        out = pv.read_csv(io.BytesIO(data), parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid:  # a row longer than a block: read in one block
        block = pv.ReadOptions(block_size=len(data) + 1)
        out = pv.read_csv(io.BytesIO(data), read_options=block, parse_options=parse, convert_options=convert)
    if out.num_rows != table.num_rows or out.column_names != fields:
        raise Undecided("pyarrow and the csv module disagree on the rows")
    return out


# --- compiling a schema ------------------------------------------------------------------------


@dataclass
class Column:
    name: str
    number: int  # 1-based, as frictionless counts fields
    kind: str
    rules: dict  # constraints, as written
    missing: list[str]
    spec: dict = field(default_factory=dict)


def _compile(resource: dict, schema: dict) -> list[Column]:
    """The schema's fields as Columns, or Undecided for anything this engine does not compile."""
    if set(resource) - RESOURCE_KEYS or resource.get("format", "csv") != "csv":
        raise Undecided("resource options")
    if str(resource.get("encoding", "")).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise Undecided("encoding")
    if {
        k for k in schema if not k.startswith("x-")
    } - SCHEMA_KEYS:  # x- properties are meaning (origins.read.meaning), not rules
        raise Undecided("schema options")
    missing = schema.get("missingValues", [""])
    if not (isinstance(missing, list) and all(isinstance(m, str) for m in missing)):
        raise Undecided("missing values")
    columns = []
    for n, f in enumerate(schema.get("fields", []), start=1):
        kind, rules = f.get("type", "string"), f.get("constraints", {})
        if {k for k in f if not k.startswith("x-")} - FIELD_KEYS or f.get("format", "default") != "default":
            raise Undecided(f"field {f.get('name')} options")
        if kind not in CONSTRAINTS or set(rules) - set(CONSTRAINTS[kind]) - {"unique"}:
            raise Undecided(f"field {f.get('name')} type or rule")
        if kind != "string" and rules.get("unique"):
            raise Undecided("unique on a typed column")
        for name in ("minLength", "maxLength"):
            if name in rules and (type(rules[name]) is not int):
                raise Undecided("length rule")
        for name in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            bound = rules.get(name)
            if bound is not None and (
                type(bound) not in (int, float) or (kind == "integer" and type(bound) is not int)
            ):
                raise Undecided("bound")
        if "enum" in rules and not isinstance(rules["enum"], list):
            raise Undecided("enum")
        if "pattern" in rules and not isinstance(rules["pattern"], str):
            raise Undecided("pattern")
        spec = {}
        if kind == "list":
            spec["delimiter"] = f.get("delimiter", ",")
            if f.get("itemType", "string") != "string" or not isinstance(spec["delimiter"], str):
                raise Undecided("list item type")
            if len(spec["delimiter"]) != 1:
                raise Undecided("list delimiter")
        if kind == "boolean":
            spec["true"], spec["false"] = f.get("trueValues", TRUE_VALUES), f.get("falseValues", FALSE_VALUES)
        columns.append(Column(f["name"], n, kind, rules, missing, spec))
    return columns


# --- judging columns ---------------------------------------------------------------------------


def _note(name: str, value) -> str:
    return f'constraint "{name}" is "{value}"'


def _python_number(text: str, kind: str):
    """frictionless's own cast of one cell (its value readers, without the library)."""
    text = text.strip()
    try:
        return int(text) if kind == "integer" else Decimal(text)
    except Exception:
        return None


def _bound_ok(name: str, value, bound) -> bool:
    """frictionless's check of one bound (NaN passes none; a float bound is read as Decimal)."""
    if value != value:
        return False
    limit = Decimal(str(bound)) if isinstance(bound, float) else bound
    return BOUNDS[name](value, limit)


def _typed(col, c: Column, present):
    """The cells that are present and of the column's type, and, for numbers, the simple ones (read
    as Arrow numbers) and the Python values of the others that still parse."""
    import pyarrow.compute as pc

    numbers: dict[int, object] = {}  # index -> Python value, for cells the vectorised path does not cover
    simple = None
    if c.kind == "boolean":
        ok = pc.is_in(col, value_set=strings(list(c.spec["true"]) + list(c.spec["false"])))
        return pc.and_(present, ok), simple, numbers
    if c.kind == "date":
        good = []
        for v in pc.unique(pc.filter(col, present)).to_pylist():
            try:
                datetime.strptime(v, "%Y-%m-%d")
                good.append(v)
            except ValueError:
                pass
        return pc.and_(present, pc.is_in(col, value_set=strings(good))), simple, numbers
    if c.kind in ("integer", "number"):
        simple = pc.and_(present, pc.match_substring_regex(col, SIMPLE[c.kind]))
        flags = [False] * len(col)
        for i in pc.indices_nonzero(pc.and_(present, pc.invert(simple))).to_pylist():
            value = _python_number(col[i].as_py(), c.kind)
            if value is not None:
                numbers[i] = value
                flags[i] = True
        return pc.or_(simple, flag_array(flags)), simple, numbers
    return present, simple, numbers


def _constraint_fails(col, c: Column, name: str, rule, present, typed_ok, simple):
    """The cells that break one constraint (an Arrow mask), or None when it cannot fail."""
    import pyarrow.compute as pc

    if name == "required":
        return pc.invert(present) if rule else None
    if name in ("minLength", "maxLength"):
        listed = c.kind == "list"
        length = pc.add(pc.count_substring(col, c.spec["delimiter"]), 1) if listed else pc.utf8_length(col)
        fails = pc.less(length, number(rule)) if name == "minLength" else pc.greater(length, number(rule))
        return pc.and_(typed_ok, fails)
    if name == "enum":
        allowed = [v for v in rule if isinstance(v, str)]
        return pc.and_(typed_ok, pc.invert(pc.is_in(col, value_set=strings(allowed))))
    if name == "pattern":
        return _pattern_fails(col, typed_ok, rule)
    return _bound_fails(col, simple, c.kind, name, rule)  # a bound on a number


def _check_column(col, c: Column) -> list[tuple[int, str, str, str]]:
    """(row index, error type, note, cell) for each type or constraint error of one column, in the
    order frictionless reports them (by row, the type first, then the constraints in its order)."""
    import pyarrow.compute as pc

    present = pc.invert(pc.is_in(col, value_set=strings(c.missing)))
    typed_ok, simple, numbers = _typed(col, c, present)
    note = 'expected item type is "string"' if c.kind == "list" else f'type is "{c.kind}/default"'
    out = [(i, 0, "type-error", note) for i in pc.indices_nonzero(pc.and_(present, pc.invert(typed_ok))).to_pylist()]
    for order, name in enumerate(CONSTRAINTS[c.kind], start=1):
        if name not in c.rules:
            continue
        rule = c.rules[name]
        bad = _constraint_fails(col, c, name, rule, present, typed_ok, simple)
        if name in BOUNDS:
            out += [
                (i, order, "constraint-error", _note(name, rule))
                for i, v in numbers.items()
                if not _bound_ok(name, v, rule)
            ]
        if bad is not None:
            out += [(i, order, "constraint-error", _note(name, rule)) for i in pc.indices_nonzero(bad).to_pylist()]
    out.sort(key=lambda e: (e[0], e[1]))
    return [(i, kind, note, col[i].as_py()) for i, _, kind, note in out]


def _pattern_fails(col, candidates, pattern: str):
    """Cells among `candidates` that Python's re.match('^pattern$') rejects: RE2 on printable
    text, Python's re itself on the rest (and on all of them if RE2 cannot say the pattern)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rx = re.compile(f"^{pattern}$")
    re2 = re2_of(pattern)
    if re2 is not None:
        plain = pc.match_substring_regex(col, r"^[\x20-\x7e]*$")
        try:
            fails = pc.and_(pc.and_(candidates, plain), pc.invert(pc.match_substring_regex(col, re2)))
        except pa.ArrowInvalid:
            re2, plain = None, None
    if re2 is None:
        plain = flag_array([False] * len(col))
        fails = plain
    rest = pc.indices_nonzero(pc.and_(candidates, pc.invert(plain))).to_pylist()
    bad = [i for i in rest if not rx.match(col[i].as_py())]
    if not bad:
        return fails
    flags = [False] * len(col)
    for i in bad:
        flags[i] = True
    return pc.or_(fails, flag_array(flags))


def _bound_fails(col, simple, kind: str, name: str, bound):
    """Simple numeric cells that break a bound: compared as float64, and exactly (as frictionless,
    with Decimal) where a float is too close to the bound to tell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pc.cast(pc.if_else(simple, col, text("0")), pa.int64() if kind == "integer" else pa.float64())
    compare = {"minimum": pc.less, "maximum": pc.greater, "exclusiveMinimum": pc.less_equal}
    fails = compare.get(name, pc.greater_equal)(values, number(bound))
    fails = pc.and_(simple, fails)
    if kind == "integer":
        return fails
    near = pc.and_(
        simple, pc.less_equal(pc.abs(pc.subtract(values, number(float(bound)))), number(1e-9 * max(1.0, abs(bound))))
    )
    idx = pc.indices_nonzero(near).to_pylist()
    if not idx:
        return fails
    flags = fails.to_pylist()
    for i in idx:
        flags[i] = not _bound_ok(name, Decimal(col[i].as_py()), bound)
    return flag_array(flags)


# --- keys --------------------------------------------------------------------------------------


def _repeats(arrow, names: list[str], missing: dict[str, list[str]], skip_all_missing: bool):
    """(index, index of the latest earlier row with the same key) for each repeated key.

    Missing cells are None, as frictionless compares them; rows whose key is entirely missing
    are left out when `skip_all_missing` (unique columns skip a missing cell)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = arrow.num_rows
    cols, nulls = {}, []
    for name in names:
        col = combined(arrow.column(name))
        null = pc.is_in(col, value_set=strings(missing[name]))
        cols[name] = pc.if_else(null, strings([None])[0], col)
        nulls.append(null)
    keep = flag_array([True] * n)
    if skip_all_missing:
        all_null = nulls[0]
        for null in nulls[1:]:
            all_null = pc.and_(all_null, null)
        keep = pc.invert(all_null)
    t = pa.table({**{f"k{j}": cols[k] for j, k in enumerate(names)}, "i": ints(range(n))})
    t = t.filter(keep)
    order = pc.sort_indices(t, sort_keys=[(f"k{j}", "ascending") for j in range(len(names))] + [("i", "ascending")])
    t = t.take(order)
    if t.num_rows < 2:
        return []
    same = None
    for j in range(len(names)):
        a, b = t.column(f"k{j}").slice(1), t.column(f"k{j}").slice(0, t.num_rows - 1)
        eq = pc.fill_null(pc.equal(a, b), FALSE)
        both_null = pc.and_(pc.is_null(a), pc.is_null(b))
        eq = pc.or_(eq, both_null)
        same = eq if same is None else pc.and_(same, eq)
    idx = t.column("i")
    hits = pc.indices_nonzero(same).to_pylist()
    return [(idx[k + 1].as_py(), idx[k].as_py()) for k in hits]


def _error(task: str, kind: str, note: str, row: int, **extra) -> dict:
    """One error as schema_check.frictionless_errors writes it (plain data)."""
    return {
        "task": task,
        "type": kind,
        "title": TITLES[kind],
        "note": note,
        "row": row,
        "field_name": extra.get("field_name", ""),
        "field_number": extra.get("field_number", 0),
        "cell": extra.get("cell", ""),
        "label": "",
        "field_names": extra.get("field_names", []),
        "field_cells": extra.get("field_cells", []),
        "reference_name": extra.get("reference_name", ""),
        "reference_field_names": extra.get("reference_field_names", []),
    }


# --- one resource ------------------------------------------------------------------------------


@dataclass
class _Resource:
    name: str
    columns: list[Column]
    schema: dict
    arrow: object = None

    @property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    def missing(self) -> dict[str, list[str]]:
        return {c.name: c.missing for c in self.columns}


def _prepare(root: Path, ds: Dataset, resource: dict) -> _Resource:
    """Read and compile a resource, or raise Undecided."""
    name = resource.get("name")
    table = ds.tables.get(name)
    if table is None or not table.readable or not table.schema:
        raise Undecided("not loaded")
    columns = _compile(resource, table.schema)
    prepared = _Resource(name, columns, table.schema)
    prepared.arrow = _read(root, resource, table, [c.name for c in columns])
    return prepared


def _lookup(ref: _Resource, fields: list[str]):
    """The keys a foreign key may point to: every row of the referenced resource, as frictionless
    reads them (missing cells None), rows whose key is entirely missing left out. One field: an
    Arrow array of the present values; several: a Python set of tuples."""
    import pyarrow.compute as pc

    missing = ref.missing()
    if len(fields) == 1:
        col = ref.arrow.column(fields[0])
        return pc.filter(col, pc.invert(pc.is_in(col, value_set=strings(missing[fields[0]]))))
    columns = [ref.arrow.column(f).to_pylist() for f in fields]
    keys = set()
    for cells in zip(*columns, strict=True):
        key = tuple(None if v in missing[f] else v for f, v in zip(fields, cells, strict=True))
        if set(key) != {None}:
            keys.add(key)
    return keys


def _as_list(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def _key_groups(res: _Resource, resources: dict[str, _Resource | Undecided]) -> list[tuple]:
    """(fields, referenced resource, its fields, its _Resource) of each foreign key, if this engine
    can decide them all (string fields into a decided resource); else Undecided."""
    groups = []
    for fk in res.schema.get("foreignKeys", []):
        fields = _as_list(fk.get("fields", []))
        ref = fk.get("reference", {})
        ref_name, ref_fields = ref.get("resource", ""), _as_list(ref.get("fields", []))
        if any(res.by_name.get(f) is None or res.by_name[f].kind != "string" for f in fields):
            raise Undecided("foreign key fields")
        target = res if ref_name in ("", res.name) else resources.get(ref_name)
        if not isinstance(target, _Resource):
            raise Undecided(f"foreign key into {ref_name or 'itself'}, which is undecided")
        if any(target.by_name.get(f) is None or target.by_name[f].kind != "string" for f in ref_fields):
            raise Undecided("foreign key reference fields")
        groups.append((fields, ref_name, ref_fields, target))
    return groups


def _steps(res: _Resource, pk: list[str], groups: list[tuple]) -> list[tuple]:
    """The order in which frictionless's row stream touches a row (TableResource.__open_row_stream):
    unique columns, the primary key, then each foreign key."""
    steps: list[tuple] = []
    for c in res.columns:
        if c.rules.get("unique"):
            steps += [("touch", c.name), ("unique", c.name)]
    if pk:
        steps += [("touch", f) for f in pk] + [("pk", None)]
    for g, group in enumerate(groups):
        steps += [("touch", f) for f in group[0]] + [("fk", g)]
    return steps


def _step_errors(res: _Resource, what: str, key, pk: list[str], groups: list[tuple]):
    """(row index, error) of one row-level step: a repeated unique value, a primary key that is
    missing or repeated, a foreign key that names no row."""
    import pyarrow.compute as pc

    arrow, missing = res.arrow, res.missing()
    if what == "unique":
        for i, previous in _repeats(arrow, [key], missing, skip_all_missing=True):
            note = f"the same as in the row at position {previous + 2}"
            cell = arrow.column(key)[i].as_py()
            yield (
                i,
                _error(
                    res.name,
                    "unique-error",
                    note,
                    i + 2,
                    field_name=key,
                    field_number=res.by_name[key].number,
                    cell=cell,
                ),
            )
    elif what == "pk":
        for i in pc.indices_nonzero(_all_missing(arrow, pk, missing)).to_pylist():
            yield i, _error(res.name, "primary-key", 'cells composing the primary keys are all "None"', i + 2)
        for i, previous in _repeats(arrow, pk, missing, skip_all_missing=True):
            yield i, _error(res.name, "primary-key", f"the same as in the row at position {previous + 2}", i + 2)
    elif what == "fk":
        fields, ref_name, ref_fields, target = groups[key]
        for i, values in _dangling(arrow, fields, missing, _lookup(target, ref_fields)):
            shown, refs = ", ".join(str(d) for d in values), ", ".join(ref_fields)
            note = f'for "{", ".join(fields)}": values "{shown}" not found in the lookup table "{ref_name}" as "{refs}"'
            yield (
                i,
                _error(
                    res.name,
                    "foreign-key",
                    note,
                    i + 2,
                    field_names=list(fields),
                    field_cells=["" if v is None else str(v) for v in values],
                    reference_name=ref_name,
                    reference_field_names=list(ref_fields),
                ),
            )


def _judge(res: _Resource, resources: dict[str, _Resource | Undecided]) -> list[dict]:
    """The errors of one resource in frictionless's order: by row, and within a row in the order
    its row stream touches the cells (unique columns, the primary key, foreign keys, the rest)."""
    import pyarrow.compute as pc

    pk = _as_list(res.schema.get("primaryKey", []))
    if any(res.by_name.get(f) is None or res.by_name[f].kind != "string" for f in pk):
        raise Undecided("primary key")
    groups = _key_groups(res, resources)
    steps = _steps(res, pk, groups)
    cells: dict[str, dict[int, list[dict]]] = {}  # field -> row index -> its type and constraint errors
    for c in res.columns:
        for i, kind, note, cell in _check_column(combined(res.arrow.column(c.name)), c):
            error = _error(res.name, kind, note, i + 2, field_name=c.name, field_number=c.number, cell=cell)
            cells.setdefault(c.name, {}).setdefault(i, []).append(error)
    rows: dict[tuple[int, int], list[dict]] = {}  # (row index, step) -> row-level errors
    for step, (what, key) in enumerate(steps):
        for i, error in _step_errors(res, what, key, pk, groups):
            rows.setdefault((i, step), []).append(error)
    blank = set(pc.indices_nonzero(_all_missing(res.arrow, list(res.by_name), res.missing())).to_pylist())
    flagged = sorted({i for errs in cells.values() for i in errs} | {i for i, _ in rows} | blank)
    return [e for i in flagged for e in _row_errors(i, steps, res, cells, rows, i in blank)]


def _row_errors(i: int, steps, res: _Resource, cells, rows, blank: bool) -> list[dict]:
    """One row's errors in the order frictionless's Row collects them: a touched cell is judged
    when touched; the first row-level error (or the end) judges every other cell in field order;
    a row of missing cells is then a blank row, whatever its cells said before."""
    out: list[dict] = []
    done: set[str] = set()
    full = False

    def judge(name: str) -> None:
        if name not in done:
            done.add(name)
            out.extend(cells.get(name, {}).get(i, []))

    def judge_all() -> None:
        nonlocal full, out
        if not full:
            full = True
            for c in res.columns:
                judge(c.name)
            if blank:
                out = [_blank(res.name, i + 2)]

    for step, (what, key) in enumerate(steps):
        if what == "touch":
            judge(key)
        elif rows.get((i, step)):
            judge_all()
            out.extend(rows[(i, step)])
    judge_all()
    return out


def _blank(task: str, row: int) -> dict:
    return {**_error(task, "type-error", "", row), "type": "blank-row", "title": "Blank Row"}


def _all_missing(arrow, names: list[str], missing: dict[str, list[str]]):
    import pyarrow.compute as pc

    out = None
    for name in names:
        null = pc.is_in(arrow.column(name), value_set=strings(missing[name]))
        out = null if out is None else pc.and_(out, null)
    return out


def _dangling(arrow, fields: list[str], missing: dict[str, list[str]], keys: set):
    """(index, cells) of rows whose foreign key is not entirely missing and matches no key."""
    import pyarrow.compute as pc

    if len(fields) == 1:
        (f,) = fields
        col = combined(arrow.column(f))
        present = pc.invert(pc.is_in(col, value_set=strings(missing[f])))
        found = pc.is_in(col, value_set=combined(keys))
        bad = pc.indices_nonzero(pc.and_(present, pc.invert(found))).to_pylist()
        return [(i, (col[i].as_py(),)) for i in bad]
    out = []
    columns = [arrow.column(f).to_pylist() for f in fields]
    for i, cells in enumerate(zip(*columns, strict=True)):
        key = tuple(None if v in missing[f] else v for f, v in zip(fields, cells, strict=True))
        if set(key) != {None} and key not in keys:
            out.append((i, key))
    return out


# --- the package -------------------------------------------------------------------------------


def _descriptor_accepted(root: Path) -> bool:
    """Whether frictionless accepts the descriptor (metadata only, no rows): the first thing
    `Package.validate` does, and where it stops when the answer is no. Remembered per content of
    the descriptor and the schema files, frictionless version and this module's code
    (origins.core.cache.memo), since importing frictionless alone takes a third of a second."""
    import hashlib
    from importlib.metadata import version

    from origins.core import cache as disk

    root = Path(root)
    try:  # the schema files the resources name (a descriptor frictionless cannot parse is judged anew)
        named = [r.get("schema") for r in json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))["resources"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return _frictionless_accepts(root)
    files = [root / DESCRIPTOR, *(root / n for n in named if isinstance(n, str) and "://" not in n)]
    parts = [
        [(str(p), p.read_text(encoding="utf-8", errors="replace") if p.is_file() else None) for p in files],
        str(root.resolve()),  # a path in the descriptor is judged against the folder it is in
        version("frictionless"),
        hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
    ]
    return disk.memo("descriptor", parts, lambda: _frictionless_accepts(root))


def _frictionless_accepts(root: Path) -> bool:
    import frictionless

    try:
        package = frictionless.Package(str(Path(root) / DESCRIPTOR), basepath=str(root))
        package.to_descriptor(validate=True)
    except frictionless.FrictionlessException:
        return False
    return True


def fast_errors(root: Path | str, ds: Dataset, descriptor_accepted: bool | None = None) -> dict:
    """The raw report of the resources this engine can decide.

    Returns {"fatal": note} if frictionless cannot read the descriptor; otherwise
    {"package": [...], "tasks": [...], "undecided": {name: reason}}: "package" and "tasks" as
    `schema_check.frictionless_errors` writes them, "tasks" holding the errors of the decided
    resources only, and every resource in "undecided" to be judged by frictionless.
    """
    root = Path(root)
    if descriptor_accepted is None:
        descriptor_accepted = _descriptor_accepted(root)
    if not descriptor_accepted:
        # frictionless reports the descriptor and reads no row: its own report, at the same cost
        from origins.checks.schema import frictionless_errors

        return {**frictionless_errors(str(root)), "undecided": {}}
    resources: dict[str, _Resource | Undecided] = {}
    declared = [r for r in ds.descriptor.get("resources", []) if isinstance(r, dict)]
    for resource in declared:
        try:
            resources[resource.get("name")] = _prepare(root, ds, resource)
        except Undecided as exc:
            resources[resource.get("name")] = exc
    tasks, undecided = [], {}
    for resource in declared:
        name = resource.get("name")
        res = resources[name]
        if isinstance(res, Undecided):
            undecided[name] = str(res)
            continue
        try:
            tasks += _judge(res, resources)
        except Undecided as exc:
            undecided[name] = str(exc)
    return {"package": [], "tasks": tasks, "undecided": undecided}


def merge(fast: dict, reference: dict, order: list[str]) -> dict:
    """The fast report with the undecided resources' errors taken from frictionless's `reference`."""
    if "fatal" in fast:
        return fast
    taken = set(fast["undecided"])
    tasks = fast["tasks"] + [e for e in reference.get("tasks", []) if e["task"] in taken]
    rank = {name: n for n, name in enumerate(order)}
    tasks.sort(key=lambda e: rank.get(e["task"], len(rank)))  # stable: each resource keeps its order
    return {"package": fast["package"], "tasks": tasks, "fallback": sorted(taken)}


def schema_errors(root: Path | str, ds: Dataset) -> dict:
    """The whole raw report, as `schema_check.frictionless_errors(root)` gives it: fast where this
    engine decides, frictionless for the rest ("fallback" lists those resources)."""
    fast = fast_errors(root, ds)
    if "fatal" in fast:
        return fast
    if not fast["undecided"]:
        return {"package": fast["package"], "tasks": fast["tasks"], "fallback": []}
    from origins.checks.schema import frictionless_errors

    reference = frictionless_errors(str(root))
    order = [r.get("name") for r in ds.descriptor.get("resources", []) if isinstance(r, dict)]
    return merge(fast, reference, order)
