"""The one-file view for casual users: an event a row, with who, how much and which source."""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa

from .arrow import DECIMAL, ENUM, convert
from .dates import parse

# who speaks first: senders and proposers before recipients and copies
ROLE_ORDER = {
    r: i
    for i, r in enumerate(
        [
            "sender",
            "author",
            "proposer",
            "announcer",
            "plaintiff",
            "payer",
            "donor",
            "publisher",
            "recipient",
            "defendant",
            "payee",
            "court",
            "cc",
            "subject",
            "reporter",
        ]
    )
}
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
        "Claims about the event: who asserted what and when, its standing, the claim it "
        "disputes, and whether it is weakly sourced (a claim about a person without a primary or official source or "
        "two independent press sources).",
    ),
]


def timeline_table(ds, metadata: dict[str, str]) -> pa.Table:
    t = ds.tables
    names = {r["id"]: r["name"] for name in ("people", "organizations") for r in t[name].rows}
    sources = {r["id"]: r for r in t["sources"].rows}
    fig_fields = {f["name"]: f for f in t["figures"].schema["fields"]}
    parts, figs, cites = defaultdict(list), defaultdict(list), defaultdict(list)
    for r in sorted(
        t["participants"].rows, key=lambda r: (r["event_id"], ROLE_ORDER.get(r["role"], 99), r["role"], r["party_id"])
    ):
        parts[r["event_id"]].append({"party_id": r["party_id"], "name": names.get(r["party_id"]), "role": r["role"]})
    for r in sorted(t["figures"].rows, key=lambda r: r["id"]):
        figs[r["event_id"]].append(
            {
                "figure_id": r["id"],
                "amount": convert(r["amount"], fig_fields["amount"]),
                "amount_high": convert(r.get("amount_high", ""), fig_fields["amount_high"]),
                **{k: r.get(k) or None for k in ("unit", "currency", "qualifier", "period", "kind")},
            }
        )
    for r in sorted(t["citations"].rows, key=lambda r: (r["row_id"], r["source_id"], r["locator"])):
        s = sources.get(r["source_id"], {})
        cites[r["row_id"]].append(
            {
                "source_id": r["source_id"],
                "source_title": s.get("title"),
                "url": s.get("url") or None,
                "tier": s.get("tier"),
                "locator": r["locator"],
                "quote": r.get("quote") or None,
            }
        )
    from .checks.claims import claim_sources, evidence_strength

    cited = claim_sources(ds)
    claims = defaultdict(list)
    for r in sorted(t["claims"].rows, key=lambda r: r["id"]):
        if r.get("about_event"):
            weak = (r.get("about_party") or "").startswith("per-") and not evidence_strength(ds, r["id"], cited)
            claims[r["about_event"]].append(
                {
                    "claim_id": r["id"],
                    "claimant": names.get(r["claimant"], r["claimant"]),
                    "made_on": r["made_on"],
                    "statement": r["statement"],
                    "status": r["status"],
                    "disputes": r.get("disputes") or None,
                    "weakly_sourced": weak,
                }
            )
    rows = []
    for r in t["events"].rows:
        span = parse(r["date"])
        rows.append(
            {
                "event_id": r["id"],
                "date": r["date"],
                "date_earliest": span.earliest,
                "date_latest": span.latest,
                "date_precision": span.precision,
                "title": r["title"],
                "summary": r["summary"],
                "category": r["category"],
                "participants": parts[r["id"]],
                "figures": figs[r["id"]],
                "citations": cites[r["id"]],
                "claims": claims[r["id"]],
            }
        )
    rows.sort(key=lambda x: (x["date_earliest"] is None, x["date_earliest"], x["event_id"]))
    schema = pa.schema(SCHEMA_FIELDS, metadata=metadata)
    plain = pa.schema(
        [f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in schema],
        metadata=metadata,
    )
    table = pa.Table.from_pylist(rows, schema=plain)
    return table.cast(schema)
