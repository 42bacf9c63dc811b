"""The one-file view for casual users: an event a row, with who, how much and which source."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from origins.outputs.parquet import write_parquet
from origins.outputs.registry import Build, Described, output
from origins.outputs.tables import file_metadata
from origins.read.arrow import DECIMAL, ENUM, table_schema_of

PARTICIPANT = pa.struct([("party_id", pa.string()), ("name", pa.string()), ("role", pa.string())])
FIGURE = pa.struct(
    [
        ("figure_id", pa.string()),
        ("amount", DECIMAL),
        ("amount_high", DECIMAL),
        ("unit", pa.string()),
        ("currency", pa.string()),
        ("qualifier", pa.string()),
        ("period", pa.string()),
        ("kind", pa.string()),
    ]
)
CLAIM = pa.struct(
    [
        ("claim_id", pa.string()),
        ("claimant", pa.string()),
        ("claimant_name", pa.string()),
        ("made_on", pa.string()),
        ("statement", pa.string()),
        ("status", pa.string()),
        ("disputes", pa.string()),
        ("weakly_sourced", pa.bool_()),
    ]
)
CITATION = pa.struct(
    [
        ("source_id", pa.string()),
        ("source_title", pa.string()),
        ("url", pa.string()),
        ("tier", pa.string()),
        ("locator", pa.string()),
        ("quote", pa.string()),
        ("quote_verified", pa.bool_()),
    ]
)


def _f(name: str, type_, desc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={b"description": desc.encode()})


SCHEMA_FIELDS = [
    _f("event_id", pa.string(), "Event id (-> events.id).", False),
    _f("date", pa.string(), "EDTF date of the event as recorded.", False),
    _f("date_earliest", pa.date32(), "First day the date can denote."),
    _f("date_latest", pa.date32(), "Last day the date can denote."),
    _f("date_precision", ENUM, "day, month, year, interval or other."),
    _f("title", pa.string(), "Event title.", False),
    _f("summary", pa.string(), "Event summary, in the project's words.", False),
    _f("category", ENUM, "Event category.", False),
    _f("participants", pa.list_(PARTICIPANT), "Who took part: id, name and role."),
    _f("figures", pa.list_(FIGURE), "Monetary figures and quantities of the event."),
    _f("citations", pa.list_(CITATION), "Sources cited for the event, with locator and quote."),
    _f(
        "claims",
        pa.list_(CLAIM),
        "Claims about the event: who asserted what and when (claimant is the id, as in claims.parquet; "
        "claimant_name its name), its standing, the claim it "
        "disputes, and whether it is weakly sourced (a claim about a person without a primary or official source or "
        "two independent press sources).",
    ),
]


def _nested(
    child: pa.Table,
    key: str,
    order: list[tuple[str, str]],
    fields: dict[str, str],
    struct_type: pa.StructType,
    keys: pa.Array,
) -> pa.ListArray:
    """For each value of `keys`, the rows of `child` whose `key` equals it, as a list of structs.

    Rows are sorted by `order` within each list; `fields` maps struct field -> child column.
    Built with offsets into the sorted rows, so nothing is held as Python objects.
    """
    import numpy as np

    child = child.filter(pc.is_in(child[key], value_set=keys)).sort_by([(key, "ascending")] + order)
    arrays = [child[col].combine_chunks().cast(struct_type.field(name).type) for name, col in fields.items()]
    values = pa.StructArray.from_arrays(arrays, fields=list(struct_type))
    child_keys = np.asarray(child[key].to_pylist(), dtype=object)
    wanted = np.asarray(keys.to_pylist(), dtype=object)
    order_of_keys = np.argsort(wanted, kind="stable")
    starts = np.empty(len(wanted), dtype=np.int64)
    ends = np.empty(len(wanted), dtype=np.int64)
    sorted_wanted = wanted[order_of_keys]
    starts[order_of_keys] = np.searchsorted(child_keys, sorted_wanted, side="left")
    ends[order_of_keys] = np.searchsorted(child_keys, sorted_wanted, side="right")
    # lists for keys in their given order: gather each key's slice, then one offsets array
    idx = (
        np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
        if len(wanted)
        else np.array([], dtype=np.int64)
    )
    offsets = np.concatenate([[0], np.cumsum(ends - starts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values.take(pa.array(idx, pa.int64())))


def _lookup(values: pa.ChunkedArray, ids: pa.Array, found: pa.Array) -> pa.Array:
    """For each value, the entry of `found` at its position in `ids` (null when absent)."""
    return pc.take(found, pc.index_in(values, value_set=ids))


def _plain(table: pa.Table) -> pa.Table:
    """The table with dictionary-encoded columns decoded (to sort, look up and nest them)."""
    return table.cast(
        pa.schema([f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in table.schema])
    )


def _participants(ds, tables: dict[str, pa.Table], keys: pa.Array, names: tuple[pa.Array, pa.Array]) -> pa.ListArray:
    """Each event's participants with their names, who speaks first first: the participants schema
    lists its roles in reading order (x-order: enum)."""
    part = _plain(tables["participants"])
    roles = pa.array(list(ds.meaning.tables["participants"].column("role").order), pa.string())
    part = part.append_column("name", _lookup(part["party_id"], *names))
    part = part.append_column("role_order", pc.index_in(part["role"], value_set=roles))
    return _nested(
        part,
        "event_id",
        [("role_order", "ascending"), ("role", "ascending"), ("party_id", "ascending")],
        {"party_id": "party_id", "name": "name", "role": "role"},
        PARTICIPANT,
        keys,
    )


def _figures(tables: dict[str, pa.Table], keys: pa.Array) -> pa.ListArray:
    columns = ("amount", "amount_high", "unit", "currency", "qualifier", "period", "kind")
    return _nested(
        tables["figures"],
        "event_id",
        [("id", "ascending")],
        {"figure_id": "id"} | {c: c for c in columns},
        FIGURE,
        keys,
    )


def _citations(tables: dict[str, pa.Table], keys: pa.Array) -> pa.ListArray:
    """Each row's citations with their source's title, address and tier."""
    src, cit = tables["sources"], tables["citations"]
    sid = src["id"].combine_chunks()
    for name, col in (("source_title", "title"), ("url", "url"), ("tier", "tier")):
        cit = cit.append_column(name, _lookup(cit["source_id"], sid, src[col].combine_chunks().cast(pa.string())))
    columns = ("source_id", "source_title", "url", "tier", "locator", "quote", "quote_verified")
    return _nested(
        cit, "row_id", [("source_id", "ascending"), ("locator", "ascending")], {c: c for c in columns}, CITATION, keys
    )


def _claims(ds, tables: dict[str, pa.Table], keys: pa.Array, names: tuple[pa.Array, pa.Array]) -> pa.ListArray:
    """The claims about each event, with the claimant's name and whether the claim is weakly sourced."""
    from origins.read.evidence import weakly_sourced

    clm = tables["claims"].filter(pc.is_valid(tables["claims"]["about_event"]))
    weak = pa.array(weakly_sourced(ds), pa.string())
    clm = clm.append_column("weakly_sourced", pc.is_in(clm["id"], value_set=weak))
    clm = clm.append_column("claimant_name", pc.coalesce(_lookup(clm["claimant"], *names), clm["claimant"]))
    columns = ("claimant", "claimant_name", "made_on", "statement", "status", "disputes", "weakly_sourced")
    return _nested(clm, "about_event", [("id", "ascending")], {"claim_id": "id"} | {c: c for c in columns}, CLAIM, keys)


def timeline_table(ds, metadata: dict[str, str], tables: dict[str, pa.Table]) -> pa.Table:
    """The timeline from the typed tables the build already made (no per-row Python objects)."""
    events = _plain(tables["events"].sort_by([("date_earliest", "ascending", "at_end"), ("id", "ascending")]))
    keys = events["id"].combine_chunks()
    parties = pa.concat_tables(
        [tables["people"].select(["id", "name"]), tables["organizations"].select(["id", "name"])]
    )
    names = (parties["id"].combine_chunks(), parties["name"].combine_chunks())
    columns = {"event_id": events["id"]} | {
        c: events[c] for c in ("date", "date_earliest", "date_latest", "date_precision", "title", "summary", "category")
    }
    columns |= {
        "participants": _participants(ds, tables, keys, names),
        "figures": _figures(tables, keys),
        "citations": _citations(tables, keys),
        "claims": _claims(ds, tables, keys, names),
    }
    schema = pa.schema(SCHEMA_FIELDS, metadata=metadata)
    arrays = []
    for f in schema:
        col = columns[f.name]
        if pa.types.is_dictionary(f.type):
            col = pc.dictionary_encode(pa.chunked_array([col]) if isinstance(col, pa.Array) else col)
        arrays.append(col.cast(f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


@output(
    "timeline",
    "timeline.parquet",
    "application/vnd.apache.parquet",
    rank=15,
    format="parquet",
    card="`timeline.parquet`: one row per event with its participants, figures, citations and claims.",
)
def timeline(b: Build, path: Path) -> Described:
    tl = timeline_table(b.ds, file_metadata(b.ds, "timeline"), b.typed)
    b.views["timeline"] = tl
    write_parquet(tl, path)
    return Described(
        "timeline",
        table_schema_of(tl.schema, native_lists=True),
        "Timeline",
        "One row per event, in date order, with its participants, figures and citations (a denormalised view).",
    )
