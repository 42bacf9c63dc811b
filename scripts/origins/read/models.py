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


def typed_records(ds, name: str) -> dict[int, Row]:
    """Typed rows of one table by row position; rows that do not validate are left out."""
    table = ds.tables[name]
    model = model_for(name, table.schema)
    rows: dict[int, Row] = {}
    for i, raw in enumerate(table.rows):
        try:
            rows[i] = model(**_prepare(raw, table.schema))
        except (ValidationError, TypeError):
            continue
    return rows
