"""Table Schema -> Arrow: the one mapping every Parquet file, and its documentation, comes from.

Kept to Parquet features that pandas, polars, DuckDB, Spark and R (arrow) all read:
plain and dictionary-encoded strings, int64, bool, date32, decimal128(18, 2), list<string>
and, in the timeline view only, list<struct>. No timestamps, no extension types.
"""

from __future__ import annotations

import pyarrow as pa

DECIMAL = pa.decimal128(18, 2)  # money: exact to the cent, up to 10^16
PRECISIONS = ["day", "month", "year", "interval", "other"]
ENUM = pa.dictionary(pa.int32(), pa.string())

BASE_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "number": DECIMAL,
    "list": pa.list_(pa.string()),
}


def field_meta(description: str, **extra: str) -> dict[bytes, bytes]:
    out = {b"description": description.encode()}
    out.update({k.encode(): v.encode() for k, v in extra.items() if v})
    return out


def field_type(field: dict) -> pa.DataType:
    kind = field.get("type", "string")
    if kind not in BASE_TYPES:
        raise ValueError(f"no Arrow type for Table Schema type {kind!r} (field {field['name']})")
    if kind == "string" and field.get("constraints", {}).get("enum"):
        return ENUM
    return BASE_TYPES[kind]


def arrow_fields(field: dict, primary_key: list[str]) -> list[pa.Field]:
    """The Arrow field(s) for one Table Schema field; an EDTF column adds three derived ones."""
    name = field["name"]
    required = field.get("constraints", {}).get("required", False) or name in primary_key
    extra = {}
    if field.get("type") == "number":
        extra["unit"] = "see the unit and currency columns"
    out = [
        pa.field(
            name,
            field_type(field),
            nullable=not required,
            metadata=field_meta(field.get("description", ""), **extra),
        )
    ]
    if field.get("x-edtf"):
        out += [
            pa.field(
                f"{name}_earliest",
                pa.date32(),
                nullable=True,
                metadata=field_meta(
                    f"First day {name} can denote (derived from the EDTF string; empty for an open or unknown start)."
                ),
            ),
            pa.field(
                f"{name}_latest",
                pa.date32(),
                nullable=True,
                metadata=field_meta(
                    f"Last day {name} can denote (derived from the EDTF string; empty for an open or unknown end)."
                ),
            ),
            pa.field(
                f"{name}_precision",
                ENUM,
                nullable=True,
                metadata=field_meta(f"Precision of {name}: one of {', '.join(PRECISIONS)}."),
            ),
        ]
    return out


def arrow_schema(table_schema: dict, metadata: dict[str, str] | None = None) -> pa.Schema:
    pk = table_schema.get("primaryKey", [])
    fields = [f for field in table_schema["fields"] for f in arrow_fields(field, pk)]
    return pa.schema(fields, metadata=metadata)


def table_schema_of(schema: pa.Schema, native_lists: bool = False) -> dict:
    """A Table Schema describing an Arrow schema, for build/datapackage.json.

    A list column is an `array` where it is stored as a JSON array (JSON Lines). In Parquet
    (`native_lists`) it is an Arrow list, which no Table Schema type describes: frictionless
    reads it, through pandas, as a NumPy array that neither `array` (JSON arrays) nor `list`
    (delimited strings) accepts. There it is `any` (Table Schema: any value) and `x-arrow-type`
    names the Arrow type, the way the CSV schemas carry `x-edtf`. A nullable int64 column is
    `any` there too: pandas turns its nulls into NaN floats, which `integer` rejects.
    """
    names = {
        pa.types.is_string: "string",
        pa.types.is_int64: "integer",
        pa.types.is_boolean: "boolean",
        pa.types.is_date32: "date",
        pa.types.is_decimal: "number",
        pa.types.is_list: "array",
    }
    fields = []
    for f in schema:
        t = f.type.value_type if pa.types.is_dictionary(f.type) else f.type
        kind = next((v for k, v in names.items() if k(t)), "any")
        d = {
            "name": f.name,
            "type": kind,
            "description": (f.metadata or {}).get(b"description", b"").decode(),
        }
        if native_lists and (kind == "array" or (kind == "integer" and f.nullable)):
            d.update({"type": "any", "x-arrow-type": str(f.type)})
        if not f.nullable:
            d["constraints"] = {"required": True}
        fields.append(d)
    return {"fields": fields}
