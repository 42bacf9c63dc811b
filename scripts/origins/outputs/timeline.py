"""The one-file view for casual users: an event a row, with who, how much and which source."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from origins.core.columns import FALSE, combined, flags, ints, numbers, strings, text
from origins.outputs.parquet import write_parquet
from origins.outputs.registry import Build, Described, output
from origins.outputs.tables import file_metadata
from origins.read.arrow import DECIMAL, ENUM, table_schema_of

PARTICIPANT = pa.struct(
    [("party_id", pa.string()), ("name", pa.string()), ("role", pa.string()), ("as_role", pa.string())]
)
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
        ("about_question", pa.string()),
        ("answer", pa.string()),
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
    _f("medium", ENUM, "For a message, what carried it (email, text-message, ...); empty for other events."),
    _f(
        "participants",
        pa.list_(PARTICIPANT),
        "Who took part: id, name and role, and the office they acted in where a source ties the act to it "
        "(as_role, -> roles.id).",
    ),
    _f("figures", pa.list_(FIGURE), "Monetary figures and quantities of the event."),
    _f("citations", pa.list_(CITATION), "Sources cited for the event, with locator and quote."),
    _f(
        "claims",
        pa.list_(CLAIM),
        "Claims about the event: who asserted what and when (claimant is the id, as in claims.parquet; "
        "claimant_name its name), its standing, the claim it "
        "disputes, and whether it is weakly sourced (a claim about a person without a primary or official source or "
        "two independent press sources); about_question and answer give the contested question it takes a position "
        "on and its answer.",
    ),
    _f(
        "questions",
        pa.list_(pa.string()),
        "The contested questions the event bears on (-> questions.id), sorted: those it decided (questions.decided_by) "
        "and those a claim about it answers (claims.about_event with claims.about_question).",
    ),
    _f(
        "board",
        pa.list_(pa.string()),
        "Who certainly sat on the board on the event's day (its date_earliest), sorted person ids: the holders of a "
        "director role (roles.kind) at the organization datapackage.json names in x-site.board, whose start was "
        "certainly before that day (start_latest) and whose end is unknown or certainly after it (end_earliest). "
        "Empty for an undated event, or when no board is configured.",
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
    """For each value of `keys` (distinct ids), the rows of `child` whose `key` equals it, as a list of
    structs: a hash join of each row to its key's position, one sort by that position (then `order`,
    within each list) and the list offsets from a count per position. Nothing is held as Python
    objects; `fields` maps struct field -> child column."""
    import numpy as np

    at = pc.index_in(child[key], value_set=keys)
    child = child.append_column("_at", at).filter(pc.is_valid(at)).sort_by([("_at", "ascending"), *order])
    arrays = [combined(child[col]).cast(struct_type.field(name).type) for name, col in fields.items()]
    values = pa.StructArray.from_arrays(arrays, fields=list(struct_type))
    counts = np.bincount(numbers(combined(child["_at"])), minlength=len(keys)) if child.num_rows else None
    offsets = np.zeros(len(keys) + 1, dtype=np.int32)
    if counts is not None:
        np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(ints(offsets, pa.int32()), values)


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
    roles = strings(list(ds.meaning.tables["participants"].column("role").order))
    part = part.append_column("name", _lookup(part["party_id"], *names))
    part = part.append_column("role_order", pc.index_in(part["role"], value_set=roles))
    return _nested(
        part,
        "event_id",
        [("role_order", "ascending"), ("role", "ascending"), ("party_id", "ascending")],
        {"party_id": "party_id", "name": "name", "role": "role", "as_role": "as_role"},
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
    sid = combined(src["id"])
    for name, col in (("source_title", "title"), ("url", "url"), ("tier", "tier")):
        cit = cit.append_column(name, _lookup(cit["source_id"], sid, combined(src[col]).cast(pa.string())))
    columns = ("source_id", "source_title", "url", "tier", "locator", "quote", "quote_verified")
    return _nested(
        cit, "row_id", [("source_id", "ascending"), ("locator", "ascending")], {c: c for c in columns}, CITATION, keys
    )


def _claims(ds, tables: dict[str, pa.Table], keys: pa.Array, names: tuple[pa.Array, pa.Array]) -> pa.ListArray:
    """The claims about each event, with the claimant's name and whether the claim is weakly sourced."""
    from origins.read.evidence import weakly_sourced

    clm = tables["claims"].filter(pc.is_valid(tables["claims"]["about_event"]))
    weak = strings(weakly_sourced(ds))
    clm = clm.append_column("weakly_sourced", pc.is_in(clm["id"], value_set=weak))
    clm = clm.append_column("claimant_name", pc.coalesce(_lookup(clm["claimant"], *names), clm["claimant"]))
    columns = ("claimant", "claimant_name", "made_on", "statement", "status", "disputes", "weakly_sourced")
    columns += ("about_question", "answer")
    return _nested(clm, "about_event", [("id", "ascending")], {"claim_id": "id"} | {c: c for c in columns}, CLAIM, keys)


def _listed(pairs: pa.Table, key: str, value: str, keys: pa.Array) -> pa.ListArray:
    """For each value of `keys`, the distinct values of `value` paired with it, sorted (a list of strings):
    `_nested` with a one-field struct, whose field is then taken out."""
    pairs = _distinct(pairs.select([key, value]))
    one = pa.struct([(value, pa.string())])
    nested = _nested(pairs, key, [(value, "ascending")], {value: value}, one, keys)
    return pa.ListArray.from_arrays(nested.offsets, nested.values.field(0))


def _distinct(pairs: pa.Table) -> pa.Table:
    """The distinct rows of a two-column table: sorted, each row kept unless it equals the one before."""
    if pairs.num_rows < 2:
        return pairs
    pairs = pairs.sort_by([(n, "ascending") for n in pairs.column_names]).combine_chunks()
    same = None
    for name in pairs.column_names:
        column = pairs.column(name).chunk(0) if pairs.column(name).num_chunks else pairs.column(name)
        equal = pc.fill_null(pc.equal(column.slice(1), column.slice(0, len(column) - 1)), FALSE)
        both_null = pc.and_(pc.is_null(column.slice(1)), pc.is_null(column.slice(0, len(column) - 1)))
        equal = pc.or_(equal, both_null)
        same = equal if same is None else pc.and_(same, equal)
    keep = pa.concat_arrays([flags([True]), pc.invert(same)])
    return pairs.filter(keep)


def _questions(tables: dict[str, pa.Table], keys: pa.Array) -> pa.ListArray:
    """The questions each event bears on: those it decided, and those a claim about it answers.

    A package without a questions table has none (every list is empty)."""
    empty = pa.table({"event": strings([]), "question": strings([])})
    if "questions" not in tables:
        return _listed(empty, "event", "question", keys)
    qst = _plain(tables["questions"])
    clm = _plain(tables["claims"])
    clm = clm.filter(pc.and_(pc.is_valid(clm["about_event"]), pc.is_valid(clm["about_question"])))
    decided = pa.table({"event": qst["decided_by"], "question": qst["id"]}).filter(pc.is_valid(qst["decided_by"]))
    answered = pa.table({"event": clm["about_event"], "question": clm["about_question"]})
    return _listed(pa.concat_tables([empty, decided, answered]), "event", "question", keys)


def _board(ds, tables: dict[str, pa.Table], events: pa.Table, keys: pa.Array) -> pa.ListArray:
    """Who certainly sat on the board on each event's day: see the `board` column's description.

    The day is the event's date_earliest (its own day when the date is a day). A seat counts only
    when it certainly covers that day, so the column never names someone who might not have been
    there: its start's last possible day (start_latest) is on or before the day, and it has no end
    (not known to have ended) or its end's first possible day (end_earliest) is on or after it. A
    start known only as `../2019-03-06` (held by then) counts from that day; a start or end whose
    bound is unknown (null) never counts, nor does an undated event. The organization is the
    site configuration's (x-site.board in datapackage.json), so no story is written in the code.
    Events and seats are paired with one join on a constant key (seats are few), then filtered."""
    org = ((ds.descriptor.get("x-site") or {}).get("board") or {}).get("organization")
    none = pa.table({"event_id": strings([]), "person_id": strings([])})
    if not org or "roles" not in tables:
        return _listed(none, "event_id", "person_id", keys)
    roles = _plain(tables["roles"])
    seats = roles.filter(
        pc.and_(pc.equal(roles["kind"], text("director")), pc.equal(roles["organization_id"], text(org)))
    )
    seats = seats.select(["person_id", "start_latest", "end", "end_earliest"])
    held = [none]
    for k in range(seats.num_rows):  # seats are few: each is compared with every event's day at once
        day = events["date_earliest"]
        begun = pc.less_equal(seats["start_latest"][k], day)  # null (unknown) is not certain
        going = pc.or_kleene(
            _is_null(seats["end"][k], len(day)),
            pc.greater_equal(seats["end_earliest"][k], day),
        )
        ids = events["id"].filter(pc.fill_null(pc.and_kleene(begun, going), FALSE))
        person = combined(seats["person_id"]).take(ints([k] * len(ids)))
        held.append(pa.table({"event_id": ids.cast(pa.string()), "person_id": person.cast(pa.string())}))
    return _listed(pa.concat_tables(held), "event_id", "person_id", keys)


def _is_null(scalar: pa.Scalar, n: int) -> pa.Array:
    """`n` copies of whether `scalar` is null (a boolean array to combine with a row-wise one)."""
    return flags([not scalar.is_valid] * n)


def timeline_table(ds, metadata: dict[str, str], tables: dict[str, pa.Table]) -> pa.Table:
    """The timeline from the typed tables the build already made (no per-row Python objects)."""
    events = _plain(tables["events"].sort_by([("date_earliest", "ascending", "at_end"), ("id", "ascending")]))
    keys = combined(events["id"])
    parties = pa.concat_tables(
        [tables["people"].select(["id", "name"]), tables["organizations"].select(["id", "name"])]
    )
    names = (combined(parties["id"]), combined(parties["name"]))
    columns = {"event_id": events["id"]} | {
        c: events[c]
        for c in ("date", "date_earliest", "date_latest", "date_precision", "title", "summary", "category", "medium")
    }
    columns |= {
        "participants": _participants(ds, tables, keys, names),
        "figures": _figures(tables, keys),
        "citations": _citations(tables, keys),
        "claims": _claims(ds, tables, keys, names),
        "questions": _questions(tables, keys),
        "board": _board(ds, tables, events, keys),
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
    card="`timeline.parquet`: one row per event with its participants, figures, citations and claims, the "
    "questions it bears on and who sat on the board that day.",
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
