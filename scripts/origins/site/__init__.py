"""The static site: the build's Parquet files rendered as pages a person can read.

Pages come from Jinja2 templates (origins/site/templates) with autoescaping on, so every value from
the data is escaped for where it goes; the few pieces of markup built here (a link to a row, a link
to an http(s) address) are built from escaped parts and marked safe. Only http(s) addresses become
links. The pages read fully without JavaScript; the one small script (a separate file, allowed by
the Content-Security-Policy) only filters the timeline. The disputes page also carries ClaimReview
JSON-LD (origins.site.review): data in a <script type="application/ld+json">, which no browser runs.
The site reads build/ alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pyarrow.parquet as pq
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from origins.core import cache
from origins.read.meaning import Meaning
from origins.site import context
from origins.site.format import (
    answer_words,
    format_date,
    format_figure,
    host,
    question_status,
    quote_standing,
    role_span,
    role_text,
    safe_url,
)

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
CSP = Markup(  # a constant of ours, written as is (its quotes are part of the policy)
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
)
VERIFIED = Markup(
    ' <span class="verified" title="Found word for word in the archived text of this source">verified</span>'
)


class Links:
    """Where each row lives (its page, by its id's prefix), and links to it and to the web."""

    def __init__(self, places: dict[str, str], placed: dict[str, str] | None = None):
        self.places = places
        self.placed = placed or {}  # row id -> its page, where a table's rows are split over pages

    def href(self, row_id: str, here: str = "") -> str | None:
        """The address of a row's one place on the site; on the page itself just the fragment, so
        following it keeps a filtered timeline's query."""
        page = self.placed.get(row_id) or (self.places.get(row_id.split("-", 1)[0]) if "-" in row_id else None)
        if page is None:
            return None
        return f"#{row_id}" if page == here else f"{page}#{row_id}"

    def id_link(self, row_id: str, here: str = "", text: str | None = None) -> Markup:
        """A row as a link to its place, showing its id (or `text`): no id is ever shown as bare text."""
        target = self.href(row_id, here)
        shown = escape(row_id if text is None else text)
        if target is None:
            return Markup(shown)
        # an f-string of escaped parts: the same bytes as Markup.format, at a quarter of its cost (a
        # site of 100,000 events makes over a million of these links)
        if text is None:
            return Markup(f'<a class="id" href="{escape(target)}">{shown}</a>')
        return Markup(f'<a href="{escape(target)}">{shown}</a>')


def link(url: str | None, text: str) -> Markup:
    """An http(s) address as a link; anything else as plain text (never a javascript: link)."""
    ok = safe_url(url)
    return Markup(f'<a href="{escape(ok)}">{escape(text)}</a>') if ok else Markup(escape(text))


def compiled_templates() -> FileSystemBytecodeCache | None:
    """Where Jinja keeps the templates it has compiled, in the user's cache folder
    (origins.core.cache): compiling them is a quarter of the site's time on the committed data.
    Jinja reuses a compiled template only while its source's checksum and the Python version
    match, so the pages are the same with or without it; a folder that cannot be written is not used."""
    folder = cache.folder("templates")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=compiled_templates(),
        autoescape=True,
        trim_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters |= {
        "date": format_date,
        "figure": format_figure,
        "role_span": role_span,
        "question_status": question_status,
        "answer": answer_words,
    }
    env.globals |= {
        "safe_url": safe_url,
        "host": host,
        "link": link,
        "quote_standing": quote_standing,
        "verified": VERIFIED,
        "csp": CSP,
    }
    return env


def render(template: str, /, **values) -> str:
    return environment().get_template(template).render(**values)


def copy_files(build: Path, out: Path, tables: list[str]) -> list[str]:
    """The assets and the data files (every output that is a table of build/datapackage.json, by the
    outputs registry, and the descriptor) beside the pages."""
    from origins.outputs import downloads

    for name in ("site.css", "site.js", "favicon.svg"):
        shutil.copyfile(ASSETS / name, out / name)
    (out / "timeline.png").unlink(missing_ok=True)  # the chart is inline SVG now; drop an older build's picture
    data = out / "data"
    data.mkdir(exist_ok=True)
    files = []
    for rel in downloads(tables):
        name = rel.rpartition("/")[2]
        shutil.copyfile(build / rel, data / name)
        files.append(name)
    shutil.copyfile(build / "datapackage.json", data / "datapackage.json")
    return [*files, "datapackage.json"]


def dictionary_html(descriptor: dict, schemas: dict[str, dict]) -> Markup:
    """The data dictionary (origins.read.dictionary) rendered as HTML: one generator for the docs and
    the site, from the Table Schemas. Raw HTML in the schemas is escaped (markdown-it with html
    off) and resource headings get anchors."""
    from origins.read.dictionary import HEADER, dictionary_markdown

    text = dictionary_markdown(descriptor, schemas).removeprefix(HEADER).split("\n", 1)[1]  # the page has its h1
    return Markup(re.sub(r"<h2>([a-z_]+)</h2>", r'<h2 id="table-\1">\1</h2>', markdown_html(text)))


def markdown_html(text: str) -> str:
    """CommonMark with tables, raw HTML escaped; remembered per text and markdown-it's version
    (origins.core.cache.memo): parsing the data dictionary is a quarter of a second of every build,
    and it changes only with the schemas."""
    from importlib.metadata import version

    from origins.core import cache as disk

    def render_now() -> str:
        from markdown_it import MarkdownIt

        return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)

    return disk.memo("markdown", [text, version("markdown-it-py"), "commonmark, table, html off"], render_now)


def timeline_values(ctx: dict, meaning: Meaning) -> dict:
    """The timeline page's events by year, with each event's people and organizations, the questions
    it bears on and its participants who sat on the board that day (for the filters)."""
    people, orgs = ctx["ids"]["people"], ctx["ids"]["organizations"]
    years = defaultdict(list)
    for e in ctx["events"]:  # each event gains its filter attributes in place (a copy each is memory at scale)
        ids = [p["party_id"] for p in e["participants"]]
        e["people"] = " ".join(i for i in ids if i in people)
        e["orgs"] = " ".join(i for i in ids if i in orgs)
        e["on_board"] = " ".join(i for i in dict.fromkeys(ids) if i in e["board"])
        years[e["date_earliest"].year if e["date_earliest"] else "Undated"].append(e)
    return {
        "years": list(years.items()),
        **filter_values(ctx["events"], ctx),
        "board": (ctx["site"].get("board") or {}).get("label"),
    }


def filter_values(events: list[dict], ctx: dict) -> dict:
    """The filter form's choices for a page of `events`: only the people, organizations, categories
    and questions that occur on it (a year's page of a large timeline lists its own, not every
    name in the dataset), people and organizations by name, ties in the order of the tables."""
    rank, names = ctx["rank"], ctx["names"]
    taking_part = sorted({p["party_id"] for e in events for p in e["participants"]} & rank.keys(), key=rank.get)
    named = sorted(((k, names[k]) for k in taking_part), key=lambda kv: kv[1])
    asked = {q for e in events for q in e["questions"]}
    return {
        "people": [(k, v) for k, v in named if k in ctx["ids"]["people"]],
        "orgs": [(k, v) for k, v in named if k in ctx["ids"]["organizations"]],
        "categories": sorted({e["category"] for e in events}),
        "questions": [(q["id"], q["question"]) for q in ctx["questions"] if q["id"] in asked],
    }


def disputes_values(ctx: dict) -> dict:
    """Each dispute headed by the disputed statement, beside what disputes it; then every other claim.

    Every claim has exactly one anchor on the page, so a claim id anywhere can link there."""
    claims = ctx["claims"]
    disputers = defaultdict(list)
    for c in claims:
        if c.get("disputes"):
            disputers[c["disputes"]].append(c)
    heads = [c for c in claims if c["status"] == "disputed" or c["id"] in disputers]
    placed = {c["id"] for c in heads}
    rows = []
    for c in heads:
        answers = []
        for d in disputers.get(c["id"], []):
            answers.append((d, d["id"] not in placed))
            placed.add(d["id"])
        rows.append((c, answers))
    # one claimant's corrected claims listed first (the site configuration's x-site.corrected)
    corrected = ctx.get("site", {}).get("corrected") or {}
    return {
        "claims": claims,
        "disputed": sum(c["status"] == "disputed" for c in claims),
        "corrected": corrected,
        "seed": [c for c in heads if corrected and c["claimant"] == corrected.get("claimant")],
        "rows": rows,
        "rest": [c for c in claims if c["id"] not in placed],
    }


def questions_values(ctx: dict, meaning: Meaning) -> dict:
    """Each question with what decided it, the events that bear on it, and the positions taken on it
    grouped by answer, in the order the claims schema lists the answers (x-order: enum)."""
    answers = list(meaning.tables["claims"].column("answer").order) if "claims" in meaning.tables else []
    by_question = defaultdict(lambda: defaultdict(list))
    for c in ctx["claims"]:
        if c.get("about_question") and c.get("answer"):
            by_question[c["about_question"]][c["answer"]].append(c)
    events = defaultdict(int)
    for e in ctx["events"]:
        for q in e["questions"]:
            events[q] += 1
    rows = []
    for q in ctx["questions"]:
        given = by_question.get(q["id"], {})
        order = answers + sorted(set(given) - set(answers))
        groups = [(a, given[a]) for a in order if given.get(a)]
        rows.append({"q": q, "groups": groups, "events": events[q["id"]]})
    return {"questions": rows}


def table_values(build: Path, name: str) -> list[dict]:
    """The rows of a table with no page of its own design: each cell as written (lists joined)."""
    out = []
    for row in pq.ParquetFile(build / f"{name}.parquet").read().to_pylist():
        cells = [
            (k, "; ".join(map(str, v)) if isinstance(v, list) else v)
            for k, v in row.items()
            if v not in (None, "", []) and not k.endswith(("_earliest", "_latest", "_precision"))
        ]
        out.append({"id": row["id"], "cells": cells})
    return out


def people_values(ctx: dict) -> dict:
    """The people, each with their roles on a time line (origins.site.roleline) spanning the years of
    the dataset's events: inline SVG, whose text equivalent is the list of roles in words."""
    from origins.site.roleline import role_line, years_of

    span = years_of(ctx["events"]) if any(e["date_earliest"] for e in ctx["events"]) else None
    lines = {
        pid: Markup(
            render("roles.svg", name=ctx["names"].get(pid, pid), **role_line(roles, *span, role_text)).rstrip("\n")
        )
        for pid, roles in ctx["roles_of"].items()
        if span
    }
    return {"people": sorted(ctx["people"], key=lambda p: p["name"]), "lines": lines, "span": span}


def pages_of(build: Path, descriptor: dict, ctx: dict, meaning: Meaning, files: list[str]) -> dict[str, tuple]:
    """Each page's file name -> (its title, the values its template reads)."""
    from origins.release.citation import as_cited, as_of_line, bibtex, citation_text, unreleased_line
    from origins.site.chart import chart_data
    from origins.site.review import claim_reviews, json_ld

    release = descriptor.get("x-cite") or {"version": descriptor["version"], "created": descriptor["created"]}
    cited = as_cited(descriptor, release)
    unreleased = unreleased_line(descriptor, release, release.get("rows_changed"))
    titles = {r["name"]: r.get("title", r["name"]) for r in descriptor["resources"]}
    timeline = timeline_values(ctx, meaning)
    split = year_pages(timeline["years"]) if len(ctx["events"]) > PAGE else None
    ctx["placed"] = split["placed"] if split else {}
    ctx["timeline_split"] = split is not None  # the index then has no filters for a link to set
    chart = None
    if split is None:  # a chart of more events than a page holds would be neither readable nor small
        chart = render("chart.svg", **chart_data(ctx["events"], lambda r: format_date(r["date"]), format_figure))
    disputes, people = disputes_values(ctx), people_values(ctx)
    # The list pages, each split into pages past PAGE entries: page -> (title, entries, the ids an
    # entry anchors, what the pager counts, the values the template reads besides the entries).
    lists = {
        "disputes.html": (
            "Claims and disputes",
            [("row", c, answers) for c, answers in disputes["rows"]] + [("rest", c, []) for c in disputes["rest"]],
            lambda item: [item[1]["id"], *(d["id"] for d, anchor in item[2] if anchor)],
            "entries",
            lambda chunk: (
                disputes
                | {
                    "rows": [(c, answers) for kind, c, answers in chunk if kind == "row"],
                    "rest": [c for kind, c, _ in chunk if kind == "rest"],
                    "others": len(disputes["rest"]),
                }
            ),
        ),
        "questions.html": None,  # one page: a question per contested question of the story
        "people.html": (
            "People",
            people["people"],
            lambda p: [p["id"], *(r["id"] for r in ctx["roles_of"].get(p["id"], []))],
            "people",
            lambda chunk: people | {"people": chunk},
        ),
        "organizations.html": (
            "Organizations",
            sorted(ctx["organizations"], key=lambda o: o["name"]),
            lambda o: [o["id"]],
            "organizations",
            lambda chunk: {"orgs": chunk},
        ),
        "sources.html": (
            "Sources",
            sorted(ctx["sources"], key=lambda s: (s["tier"], s["title"])),
            lambda s: [s["id"]],
            "sources",
            lambda chunk: {"sources": chunk},
        ),
    }
    splits = {name: list_pages(name, *spec[1:4]) for name, spec in lists.items() if spec}
    for split_list in splits.values():
        ctx["placed"] |= placed_on(split_list)
    reviews = claim_reviews(ctx, descriptor, lambda cid: ctx["placed"].get(cid, "disputes.html"))
    pages = {
        "index.html": (
            ctx["site"].get("heading") or descriptor.get("title", ""),
            {
                "description": descriptor.get("description"),
                "stats": context.site_stats(ctx["events"], ctx["claims"], ctx["sources"], ctx["citations"]),
                "question_count": len(ctx["questions"]),
                "citation": citation_text(cited),
                "unreleased": unreleased,
                "as_of": as_of_line(descriptor),
                "chart": Markup(chart.rstrip("\n")) if chart else None,
                **timeline,
                "pager": None,
                "year_pages": split["index"] if split else None,
                **({"years": [], "paged_years": split["paged"], "page_size": PAGE} if split else {}),
            },
        ),
    }
    for name, spec in lists.items():
        if spec is None:
            pages[name] = (context.TITLES[name], questions_values(ctx, meaning))
            continue
        title, entries, _, _, values_of = spec
        for page, (chunk, pager) in splits[name].items():
            values = values_of(chunk) | {"pager": pager, "first": page == name, "total": len(entries)}
            if name == "disputes.html":  # the reviews go with the list's first page, each addressing its claim's page
                values["reviews"] = json_ld(reviews) if reviews and page == name else None
            pages[page] = (title, values)
    for name, page in context.table_pages(meaning).items():
        res = next(r for r in descriptor["resources"] if r["name"] == name)
        values = {
            "name": name,
            "page": page,
            "description": res.get("description", ""),
            "rows": table_values(build, name),
        }
        pages[page] = (titles[name], values)
    for name, (title, years, pager) in (split or {}).get("pages", {}).items():
        chunk = [e for _, items in years for e in items]
        pages[name] = (title, timeline | filter_values(chunk, ctx) | {"years": years, "pager": pager})
    schemas = context.published_schemas(build)
    pages["data-dictionary.html"] = (
        "Data dictionary",
        {"tables": list(titles), "body": dictionary_html(descriptor, schemas)},
    )
    pages["download.html"] = (
        "Download and cite",
        {"files": files, "citation": citation_text(cited), "bibtex": bibtex(cited), "unreleased": unreleased},
    )
    return pages


PAGE = 1000  # events on one timeline page (rows on one list page): beyond, the list is split into pages


def list_pages(name: str, items: list, ids_of, noun: str) -> dict[str, tuple[list, dict | None]]:
    """A list page (people.html, ...) of `items` as one page, or, past PAGE items, as pages of PAGE:
    `name` first (so every link to the list still lands on its start), then name-2.html, ...; each
    with its pager and the row ids it anchors (`ids_of(item)`), for Links.placed."""
    if len(items) <= PAGE:
        return {name: (items, None)}
    stem = name.removesuffix(".html")
    chunks = [items[k : k + PAGE] for k in range(0, len(items), PAGE)]
    names = [name] + [f"{stem}-{k + 1}.html" for k in range(1, len(chunks))]
    out = {}
    for k, (page, chunk) in enumerate(zip(names, chunks, strict=True)):
        first, last = k * PAGE + 1, k * PAGE + len(chunk)
        pager = {
            "text": f"{noun.capitalize()} {first}-{last} of {len(items)}, page {k + 1} of {len(chunks)}.",
            "previous": names[k - 1] if k else None,
            "next": names[k + 1] if k + 1 < len(names) else None,
            "pages": names,
            "ids": [i for item in chunk for i in ids_of(item)],
        }
        out[page] = (chunk, pager)
    return out


def placed_on(split: dict[str, tuple[list, dict | None]]) -> dict[str, str]:
    """Row id -> the page of a split list that anchors it (empty for a list on one page)."""
    return {i: page for page, (_, pager) in split.items() if pager for i in pager["ids"]}


def year_pages(years: list[tuple]) -> dict:
    """The timeline split for a package with more than PAGE events: a page per year (per PAGE events
    of a year), the index's list of them and where each event and its figures now live."""
    names, index, placed = [], [], {}
    for year, items in years:
        slug = str(year).lower()
        chunks = [items[k : k + PAGE] for k in range(0, len(items), PAGE)]
        own = [f"timeline-{slug}.html" if k == 0 else f"timeline-{slug}-{k + 1}.html" for k in range(len(chunks))]
        index.append((year, len(items), own))
        for k, (name, chunk) in enumerate(zip(own, chunks, strict=True)):
            first, last = k * PAGE + 1, k * PAGE + len(chunk)
            of = f", page {k + 1} of {len(chunks)}" if len(chunks) > 1 else ""
            names.append(
                (name, f"Timeline: {year}{of}", [(year, chunk)], f"Events {first}-{last} of {len(items)} in {year}.")
            )
            for e in chunk:
                placed[e["event_id"]] = name
                placed.update((f["figure_id"], name) for f in e.get("figures") or [])
    pages = {}
    for n, (name, title, chunk, text) in enumerate(names):
        pager = {
            "text": text,
            "previous": names[n - 1][0] if n else None,
            "next": names[n + 1][0] if n + 1 < len(names) else None,
        }
        pages[name] = (title, chunk, pager)
    return {"index": index, "pages": pages, "placed": placed, "paged": any(len(p) > 1 for _, _, p in index)}


def write_site(build: Path, out: Path, descriptor: dict) -> list[Path]:
    """Every page of the site, into `out`, from the build (and its descriptor)."""
    meaning = Meaning.parse(context.published_schemas(build))
    ctx = context.site_context(build)
    ctx["site"] = descriptor.get("x-site", {})  # story-specific wording, configured in datapackage.json
    ctx["ids"] = {name: {r["id"] for r in ctx[name]} for name in ("people", "organizations")}
    ctx["rank"] = {k: n for n, k in enumerate(ctx["names"])}  # each party's place in the tables (ties of a name)
    out.mkdir(parents=True, exist_ok=True)
    files = copy_files(build, out, [r["name"] for r in descriptor["resources"]])
    links = Links(context.places(meaning))
    common = {
        "nav": context.nav(meaning, {r["name"]: r.get("title", r["name"]) for r in descriptor["resources"]}),
        "id_link": links.id_link,
        "href": links.href,
        "licence": descriptor["licenses"][0]["name"],
        "version": descriptor.get("version"),
        "home": safe_url(descriptor.get("homepage")),
        "ctx": ctx,
    }
    pages = pages_of(build, descriptor, ctx, meaning, files)
    links.placed = ctx.get("placed", {})
    for name, (title, values) in pages.items():
        paged = name.startswith("timeline-")
        listed = re.sub(r"-\d+\.html$", ".html", name)  # a later page of a split list: its list's template
        template = "timeline.html" if paged else listed if (TEMPLATES / listed).is_file() else "table.html"
        html = render(template, title=title, current=name, script=name == "index.html" or paged, **common, **values)
        (out / name).write_text(html, encoding="utf-8")
    return [out / n for n in pages]


def write_site_of(build: Path) -> list[Path]:
    """The static site from a build, into build/site: it reads only build/ (the descriptor included)."""
    built = json.loads((build / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r | {"name": r["name"].removesuffix("-csv")} for r in built["resources"] if r["name"].endswith("-csv")]
    return write_site(build, build / "site", built | {"resources": tables})  # one resource a table
