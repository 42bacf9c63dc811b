"""Pydantic row models derived from the Table Schemas, so the two cannot drift apart.

The models type each row (decimals, dates, booleans, lists) for the cross-table checks;
rows that do not fit are skipped here because frictionless has already reported them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

PY_TYPES: dict[str, Any] = {
    "string": str,
    "number": Decimal,
    "integer": int,
    "boolean": bool,
    "date": dt.date,
    "list": list[str],
}


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def _key(schema: dict) -> str:
    import json

    return json.dumps(schema, sort_keys=True)


@lru_cache(maxsize=64)
def _model_cached(name: str, schema_json: str) -> type[Row]:
    import json

    schema = json.loads(schema_json)
    pk = set(schema.get("primaryKey", []))
    fields: dict[str, Any] = {}
    for f in schema["fields"]:
        py = PY_TYPES[f.get("type", "string")]
        required = f.get("constraints", {}).get("required", False) or f["name"] in pk
        fields[f["name"]] = (py, ...) if required else (py | None, None)
    return create_model(f"{name.title()}Row", __base__=Row, **fields)


def model_for(name: str, schema: dict) -> type[Row]:
    return _model_cached(name, _key(schema))


def _prepare(raw: dict[str, str], schema: dict) -> dict[str, Any]:
    missing = set(schema.get("missingValues", [""]))
    out: dict[str, Any] = {}
    for f in schema["fields"]:
        value = raw.get(f["name"], "")
        if value in missing:
            continue
        if f.get("type") == "list":
            value = value.split(f.get("delimiter", ","))
        elif f.get("type") == "boolean":
            value = {"true": True, "false": False}.get(value, value)
        out[f["name"]] = value
    return out


@lru_cache(maxsize=64)
def _adapter(kind: str):
    from pydantic import TypeAdapter

    return TypeAdapter(PY_TYPES[kind], config=ConfigDict(strict=False))


def typed_column(ds, name: str, column: str) -> list:
    """One column's values as its row model types them (None where missing or not of the type),
    each distinct cell validated once: a column-wise check picks its candidate rows from these,
    then confirms each with `typed_record` (the whole row must fit)."""
    if name not in ds.tables:
        return []
    cache = ds.__dict__.setdefault("_typed_columns", {})
    if (name, column) not in cache:
        table = ds.tables[name]
        spec = table.fields.get(column, {})
        adapter = _adapter(spec.get("type", "string"))
        missing = set(table.schema.get("missingValues", [""]))
        cells = ds.column(name, column).to_pylist()
        seen: dict[str, Any] = {}
        for value in dict.fromkeys(cells):
            if value in missing:
                seen[value] = None
                continue
            prepared = _prepare({column: value}, {"fields": [spec]})
            try:
                seen[value] = adapter.validate_python(prepared[column]) if column in prepared else None
            except (ValidationError, TypeError):
                seen[value] = None
        cache[name, column] = [seen[v] for v in cells]
    return cache[name, column]


def typed_record(ds, name: str, i: int) -> Row | None:
    """Row `i` of a table, typed; None if it does not fit its model (frictionless reports it)."""
    table = ds.tables[name]
    try:
        return model_for(name, table.schema)(**_prepare(table.row(i), table.schema))
    except (ValidationError, TypeError):
        return None
