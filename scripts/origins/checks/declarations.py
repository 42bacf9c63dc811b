"""The schemas' meaning declarations (origins.read.meaning) agree with each other and with the package."""

from __future__ import annotations

from origins.checks.registry import check
from origins.core.codes import Code


@check(
    Code(
        "DEC001",
        "unknown-referenced-table",
        "A field's x-references names a table the package lacks, or one whose ids have no x-id-prefix.",
        "{table}.{column}: x-references names {target!r}, which is {why}; name the tables whose ids it holds",
    ),
    Code(
        "DEC002",
        "id-prefix-reused",
        "Two tables declare the same x-id-prefix.",
        "x-id-prefix {prefix!r} of {table} is already the prefix of {first}; give each table its own prefix",
    ),
    needs="*",
)
def declarations(ds, ctx, r):
    for table, column, targets in ds.meaning.references:
        for t in targets:
            if t in ds.tables and ds.tables[t].schema.get("x-id-prefix"):
                continue
            why = "not a table of the package" if t not in ds.tables else "a table whose ids declare no x-id-prefix"
            path, line = ds.schema_line(table, f'"name": "{column}"')
            yield r.at(path, line, 0, "DEC001", table=table, column=column, target=t, why=why)
    first: dict[str, str] = {}
    for name, table in ds.meaning.tables.items():
        prefix = table.id_prefix
        if prefix in first:
            path, line = ds.schema_line(name, '"x-id-prefix"')
            yield r.at(path, line, 0, "DEC002", prefix=prefix, table=name, first=first[prefix])
        elif prefix:
            first[prefix] = name
