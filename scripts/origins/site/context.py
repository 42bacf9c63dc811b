"""What the pages share, read once from build/: rows, names, where each row lives, citations by row
and by source, events by party. The site reads build/ only (the Parquet files and the descriptor,
whose shipped Table Schemas give each table's meaning)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from origins.read.meaning import Meaning
from origins.site.format import format_date

# The pages written for particular tables (the timeline shows events and their figures, the
# disputes page claims, ...). Any other table with ids gets a page of its own, `<table>.html`.
PAGES = {
    "events": "index.html",
    "figures": "index.html",
    "claims": "disputes.html",
    "questions": "questions.html",
    "people": "people.html",
    "roles": "people.html",
    "organizations": "organizations.html",
    "sources": "sources.html",
}
TITLES = {
    "index.html": "Timeline",
    "disputes.html": "Claims and disputes",
    "questions.html": "Contested questions",
    "people.html": "People",
    "organizations.html": "Organizations",
    "sources.html": "Sources",
}
AFTER = {"data-dictionary.html": "Data dictionary", "download.html": "Download and cite"}


def published_schemas(build: Path) -> dict[str, dict]:
    """The Table Schemas as shipped: the CSV resources of the build's descriptor carry schemas/*.json."""
    built = json.loads((build / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"].removesuffix("-csv"): r["schema"] for r in built["resources"] if r["name"].endswith("-csv")}


def places(meaning: Meaning) -> dict[str, str]:
    """Id prefix -> the page its rows live on (`evt` -> index.html), for every table with ids."""
    return {t.id_prefix: PAGES.get(name, f"{name}.html") for name, t in meaning.tables.items() if t.id_prefix}


def table_pages(meaning: Meaning) -> dict[str, str]:
    """Tables with ids and no page written for them -> their own page."""
    return {name: f"{name}.html" for name, t in meaning.tables.items() if t.id_prefix and name not in PAGES}


def nav(meaning: Meaning, titles: dict[str, str]) -> list[tuple[str, str]]:
    """The pages in the order the menu lists them: the particular pages, then one page per other table
    (by its resource title), then the data dictionary and the downloads."""
    extra = [(page, titles.get(name, name)) for name, page in table_pages(meaning).items()]
    return [*TITLES.items(), *extra, *AFTER.items()]


def site_stats(events: list[dict], claims: list[dict], sources: list[dict], citations: list[dict]) -> dict:
    """The figures the introduction states, counted from the build (as `make coverage` counts them)."""
    dated = sorted((e for e in events if e["date_earliest"]), key=lambda e: e["date_earliest"])
    quoted = [c for c in citations if c.get("quote")]
    return {
        "first": format_date(dated[0]["date"]) if dated else "",
        "last": format_date(dated[-1]["date"]) if dated else "",
        "events": len(events),
        "claims": len(claims),
        "disputed": sum(c["status"] == "disputed" for c in claims),
        "sources": len(sources),
        "citations": len(citations),
        "quoted": len(quoted),
        "verified": sum(bool(c.get("quote_verified")) for c in quoted),
    }


def site_context(build: Path) -> dict:
    """Everything the pages share, read once from the build: names, places, citations by row and source."""
    read = lambda name: pq.ParquetFile(build / f"{name}.parquet").read().to_pylist()  # noqa: E731 (not read_table: its dataset layer imports pandas)
    ctx = {name: read(name) for name in ("people", "organizations", "claims", "sources", "citations", "roles")}
    # a package may have no questions table: its page then lists none
    ctx["questions"] = read("questions") if (build / "questions.parquet").is_file() else []
    ctx["events"] = events = read("timeline")
    ctx["names"] = names = {p["id"]: p["name"] for p in ctx["people"]} | {
        o["id"]: o["name"] for o in ctx["organizations"]
    }
    ctx["titles"] = {e["event_id"]: e["title"] for e in events}
    ctx["question_texts"] = {q["id"]: q["question"] for q in ctx["questions"]}
    ctx["dates"] = {e["event_id"]: format_date(e["date"]) for e in events}
    ctx["weak"] = {c["claim_id"]: c["weakly_sourced"] for e in events for c in e["claims"]}
    src = {s["id"]: s for s in ctx["sources"]}
    cites_of, cited_by, by_source = defaultdict(list), defaultdict(dict), defaultdict(list)
    for c in ctx["citations"]:  # each citation gains its source's title, address and tier in place
        s = src.get(c["source_id"], {})
        c |= {"source_title": s.get("title", c["source_id"]), "url": s.get("url"), "tier": s.get("tier")}
        cites_of[c["row_id"]].append(c)
        by_source[c["source_id"]].append(c)
        cited_by[c["source_id"]][c["row_id"]] = None  # a dict keeps first-seen order; a list lookup was quadratic
    cited_by = defaultdict(list, {k: list(v) for k, v in cited_by.items()})
    ctx |= {"cites_of": cites_of, "cited_by": cited_by, "cites_by_source": by_source}
    events_of = defaultdict(dict)
    for e in events:
        for p in e["participants"]:
            entry = events_of[p["party_id"]].setdefault(
                e["event_id"], (e["event_id"], e["title"], ctx["dates"][e["event_id"]], [])
            )
            entry[3].append(p["role"])
    ctx["events_of"] = {k: list(v.values()) for k, v in events_of.items()}
    claims_by = defaultdict(list)
    for c in ctx["claims"]:
        claims_by[c["claimant"]].append(c)
    ctx["claims_by"] = claims_by
    roles_of, roles_at = defaultdict(list), defaultdict(list)
    for r in sorted(ctx["roles"], key=lambda r: (r["start"], r["id"])):
        roles_of[r["person_id"]].append(r | {"organization": names.get(r["organization_id"], r["organization_id"])})
        roles_at[r["organization_id"]].append(r)
    ctx |= {"roles_of": roles_of, "roles_at": roles_at, "role_titles": {r["id"]: r["title"] for r in ctx["roles"]}}
    return ctx
