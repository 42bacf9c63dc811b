"""The static site: the build's Parquet files rendered as pages a person can read.

Every value from the data is escaped for where it goes (text, attribute, URL); only http(s)
addresses become links. The pages read fully without JavaScript; the one small script (a
separate file, allowed by the Content-Security-Policy) only filters the timeline.
"""

from __future__ import annotations

import html
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.parquet as pq

CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
QUALIFIER_WORDS = {
    "about": "about ",
    "at-least": "at least ",
    "more-than": "more than ",
    "less-than": "less than ",
    "up-to": "up to ",
    "exact": "",
    "range": "",
}
PERIOD_WORDS = {"per-year": " a year", "per-batch": " per batch", "one-time": ""}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def esc(value) -> str:
    """Text and attribute escaping (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL if it is absolute http(s) with a host, else None (never a javascript: link)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() or c in "<>\"'`" for c in url):
        return None
    return url


def link(url: str | None, text: str) -> str:
    ok = safe_url(url)
    return f'<a href="{esc(ok)}">{esc(text)}</a>' if ok else esc(text)


# --- formatting -------------------------------------------------------------------------


def _one_date(text: str) -> str:
    qualifier = text[-1] if text and text[-1] in "?~%" else ""
    core = text.rstrip("?~%")
    parts = core.split("-")
    if len(parts) == 3:
        shown = f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    elif len(parts) == 2:
        shown = f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    else:
        shown = core
    if qualifier in "~%" and qualifier:
        shown = "about " + shown
    if qualifier in "?%" and qualifier:
        shown += " (uncertain)"
    return shown


def format_date(edtf: str) -> str:
    """An EDTF date at its true precision: '11 December 2015', 'September 2016', 'about 2016'."""
    if "/" in edtf:
        start, end = edtf.split("/", 1)
        if end in ("", ".."):
            return f"from {_one_date(start)}"
        if start in ("", ".."):
            return f"until {_one_date(end)}"
        return f"{_one_date(start)} – {_one_date(end)}"
    return _one_date(edtf)


def _amount(value: Decimal, unit: str, currency: str | None) -> str:
    if unit == "percent":
        return f"{value.normalize():f}%"
    if unit == "multiple":
        return f"{value.normalize():f} times"
    symbol = SYMBOLS.get(currency or "", f"{currency} ")
    for size, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if value >= size:
            n = (value / size).quantize(Decimal("0.01")).normalize()
            return f"{symbol}{n:f} {word}"
    whole = value.quantize(Decimal("0.01")).normalize()
    return f"{symbol}{whole:,f}" if whole == whole.to_integral() else f"{symbol}{value:,.2f}"


def format_figure(f: dict) -> str:
    """'more than $1.9 million', '$100,000–$200,000 a year', '51.2%'."""
    amount = _amount(f["amount"], f["unit"], f.get("currency"))
    if f["qualifier"] == "range" and f.get("amount_high") is not None:
        amount = f"{amount}–{_amount(f['amount_high'], f['unit'], f.get('currency'))}"
    return QUALIFIER_WORDS.get(f["qualifier"], "") + amount + PERIOD_WORDS.get(f.get("period") or "", "")


# --- pages ------------------------------------------------------------------------------

NAV = [
    ("index.html", "Timeline"),
    ("disputes.html", "Disputes"),
    ("people.html", "People"),
    ("sources.html", "Sources"),
    ("download.html", "Download and cite"),
]


def page(title: str, current: str, body: str, script: bool = False) -> str:
    current_attr = ' aria-current="page"'
    nav = " ".join(f'<a href="{h}"{current_attr if h == current else ""}>{esc(t)}</a>' for h, t in NAV)
    js = '<script src="site.js" defer></script>' if script else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · openai-origins</title>
<link rel="stylesheet" href="site.css">
<link rel="icon" href="favicon.svg" type="image/svg+xml">
{js}
</head>
<body>
<header><p class="brand">openai-origins</p><nav aria-label="Pages">{nav}</nav></header>
<main id="main">
<h1>{esc(title)}</h1>
{body}
</main>
<footer><p>Data CC-BY-4.0. Every statement links to its sources; quotes are verbatim excerpts.</p></footer>
</body>
</html>
"""


def _citations(cites: list[dict]) -> str:
    items = []
    for c in cites:
        label = f"{c['source_title']} ({c['locator']})"
        mark = (
            ' <span class="verified" title="Found word for word in the archived text of this source">verified</span>'
            if c.get("quote_verified")
            else ""
        )
        quote = f"<blockquote>{esc(c['quote'])}{mark}</blockquote>" if c.get("quote") else ""
        items.append(f"<li>{link(c.get('url'), label)}{quote}</li>")
    return f'<details class="sources"><summary>Sources ({len(cites)})</summary><ul>{"".join(items)}</ul></details>'


def timeline_body(events: list[dict], people: dict, orgs: dict, categories: list[str]) -> str:
    def options(d):
        return "".join(
            f'<option value="{esc(k)}">{esc(v)}</option>' for k, v in sorted(d.items(), key=lambda kv: kv[1])
        )

    cats = "".join(f'<option value="{esc(c)}">{esc(c)}</option>' for c in categories)
    out = [
        '<p><img src="timeline.png" alt="Chart of the events on a time axis by category, with money figures marked"'
        ' width="1000" height="420"></p>',
        '<form class="filters" id="filters" aria-label="Filter the timeline">',
        '<label>Person <select name="person"><option value="">Anyone</option>' + options(people) + "</select></label>",
        '<label>Organization <select name="org"><option value="">Any</option>' + options(orgs) + "</select></label>",
        '<label>Category <select name="category"><option value="">Any</option>' + cats + "</select></label>",
        '<label>Search <input type="search" name="q"></label>',
        '<p class="count" id="count" aria-live="polite"></p>',
        "<noscript><p>Filtering needs JavaScript; the whole timeline is shown below.</p></noscript>",
        "</form>",
    ]
    by_year = defaultdict(list)
    for e in events:
        by_year[e["date_earliest"].year if e["date_earliest"] else "Undated"].append(e)
    for year, items in by_year.items():
        out.append(f'<section aria-labelledby="y{year}"><h2 id="y{year}">{year}</h2>')
        for e in items:
            ppl = " ".join(p["party_id"] for p in e["participants"] if p["party_id"].startswith("per-"))
            org = " ".join(p["party_id"] for p in e["participants"] if p["party_id"].startswith("org-"))
            parts = ", ".join(f"{esc(p['name'])} ({esc(p['role'])})" for p in e["participants"])
            figs = "".join(
                f'<li>{esc(format_figure(f))} <span class="kind">{esc(f["kind"])}</span></li>' for f in e["figures"]
            )
            claims = "".join(
                f'<li class="claim {esc(c["status"])}">{esc(c["claimant_name"] or c["claimant"])}: {esc(c["statement"])} '
                f'<span class="status">{esc(c["status"])}{", weakly sourced" if c["weakly_sourced"] else ""}</span></li>'
                for c in e["claims"]
            )
            out.append(
                f'<article class="event" id="{esc(e["event_id"])}" data-people="{esc(ppl)}" data-orgs="{esc(org)}" '
                f'data-category="{esc(e["category"])}">'
                f"<h3>{esc(e['title'])}</h3>"
                f'<p class="meta"><time>{esc(format_date(e["date"]))}</time> · {esc(e["category"])}</p>'
                f"<p>{esc(e['summary'])}</p>"
                + (f'<p class="who">Who: {parts}</p>' if parts else "")
                + (f'<ul class="figures">{figs}</ul>' if figs else "")
                + (f'<ul class="claims" aria-label="Claims about this event">{claims}</ul>' if claims else "")
                + _citations(e["citations"])
                + "</article>"
            )
        out.append("</section>")
    return "\n".join(out)


def disputes_body(claims: list[dict], sources_of: dict, names: dict) -> str:
    by_id = {c["id"]: c for c in claims}
    disputers = defaultdict(list)
    for c in claims:
        if c.get("disputes"):
            disputers[c["disputes"]].append(c)

    def one(c):
        src = "".join(
            f"<li>{link(s['url'], s['title'] + ' (' + s['locator'] + ')')}</li>" for s in sources_of.get(c["id"], [])
        )
        return (
            f'<div class="claim"><p><strong>{esc(names.get(c["claimant"], c["claimant"]))}</strong> '
            f"({esc(format_date(c['made_on']))}): {esc(c['statement'])}</p>"
            + (f'<p class="note">{esc(c["note"])}</p>' if c.get("note") else "")
            + f"<ul>{src}</ul></div>"
        )

    rows = [c for c in claims if c["status"] == "disputed"]
    seed = [c for c in rows if c["claimant"] == "per-lan-xi"]
    out = [
        f"<p>{len(rows)} claims are disputed by a better-sourced claim; {len(seed)} of them come from the seed post.</p>",
        '<h2 id="seed">What the seed post got wrong</h2><ul class="seed">',
    ]
    out += [f'<li><a href="#{esc(c["id"])}">{esc(c["statement"])}</a></li>' for c in seed]
    out.append('</ul><h2 id="all">Every disputed claim, beside what disputes it</h2>')
    for c in rows:
        answer = "".join(one(d) for d in disputers.get(c["id"], []))
        out.append(
            f'<section class="dispute" id="{esc(c["id"])}"><h3>{esc(c["id"])}</h3>'
            f'<div class="pair"><div><h4>Disputed</h4>{one(c)}</div><div><h4>Disputed by</h4>{answer}</div></div></section>'
        )
    del by_id
    return "\n".join(out)


def _when(edtf: str) -> str:
    """A role's start or end: an open interval is its known end, a closed one 'between … and …'."""
    if "/" not in edtf:
        return _one_date(edtf)
    a, b = edtf.split("/", 1)
    return _one_date(a) if b in ("", "..") else f"between {_one_date(a)} and {_one_date(b)}"


def role_text(r: dict) -> str:
    """'Co-chair, OpenAI (11 December 2015 – 20 February 2018)'; no end reads 'from …'."""
    span = f"{_when(r['start'])} – {_when(r['end'])}" if r.get("end") else f"from {_when(r['start'])}"
    return f"{r['title']}, {r['organization']} ({span})"


def people_body(people: list[dict], events_of: dict, roles_of: dict) -> str:
    out = ['<ul class="people">']
    for p in sorted(people, key=lambda p: p["name"]):
        evs = events_of.get(p["id"], [])
        links = ", ".join(f'<a href="index.html#{esc(e)}">{esc(t)}</a>' for e, t in evs[:12])
        more = f" and {len(evs) - 12} more" if len(evs) > 12 else ""
        held = "".join(f"<li>{esc(role_text(r))}</li>" for r in roles_of.get(p["id"], []))
        out.append(
            f'<li id="{esc(p["id"])}"><h2>{esc(p["name"])}</h2><p>{esc(p["description"])}</p>'
            + (f'<ul class="roles" aria-label="Roles">{held}</ul>' if held else "")
            + (f"<p>Events: {links}{more}</p>" if evs else "")
            + "</li>"
        )
    return "\n".join(out + ["</ul>"])


def sources_body(sources: list[dict], cited_by: dict) -> str:
    out = [
        '<table><caption>Sources by reliability tier</caption><thead><tr><th scope="col">Source</th>'
        '<th scope="col">Tier</th><th scope="col">Published</th><th scope="col">Cited by</th></tr></thead><tbody>'
    ]
    for s in sorted(sources, key=lambda s: (s["tier"], s["title"])):
        rows = cited_by.get(s["id"], [])
        shown = ", ".join(esc(r) for r in rows[:8]) + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")
        pub = format_date(s["published"]) if s.get("published") else "unknown"
        out.append(
            f'<tr id="{esc(s["id"])}"><td>{link(s.get("url"), s["title"])} <span class="pub">{esc(s["publisher"])}</span></td>'
            f"<td>{esc(s['tier'])}</td><td>{esc(pub)}</td><td>{shown or 'none'}</td></tr>"
        )
    return "\n".join(out + ["</tbody></table>"])


def download_body(descriptor: dict, files: list[str], citation: str) -> str:
    items = "".join(f'<li><a href="data/{esc(f)}">{esc(f)}</a></li>' for f in files)
    return (
        f"<p>Version {esc(descriptor.get('version'))}. Each table as Parquet, CSV and JSON Lines, with the "
        f'package descriptor that lists their sizes and SHA-256 hashes.</p><ul class="files">{items}</ul>'
        f'<h2>How to cite</h2><p class="cite">{esc(citation)}</p>'
    )


# --- the site ---------------------------------------------------------------------------


def write_site(build: Path, out: Path, descriptor: dict) -> list[Path]:
    from .metadata import citation_text

    read = lambda name: pq.read_table(build / f"{name}.parquet").to_pylist()  # noqa: E731
    events = read("timeline")
    people, orgs = read("people"), read("organizations")
    claims, sources, citations = read("claims"), read("sources"), read("citations")
    names = {p["id"]: p["name"] for p in people} | {o["id"]: o["name"] for o in orgs}
    src = {s["id"]: s for s in sources}
    sources_of, cited_by = defaultdict(list), defaultdict(list)
    for c in citations:
        s = src.get(c["source_id"], {})
        sources_of[c["row_id"]].append(
            {"title": s.get("title", c["source_id"]), "url": s.get("url"), "locator": c["locator"]}
        )
        cited_by[c["source_id"]].append(c["row_id"])
    events_of = defaultdict(list)
    for e in events:
        for p in e["participants"]:
            if (e["event_id"], e["title"]) not in events_of[p["party_id"]]:
                events_of[p["party_id"]].append((e["event_id"], e["title"]))
    in_events = {p["party_id"] for e in events for p in e["participants"]}
    roles_of = defaultdict(list)
    for r in sorted(read("roles"), key=lambda r: (r["start"], r["id"])):
        roles_of[r["person_id"]].append(r | {"organization": names.get(r["organization_id"], r["organization_id"])})
    categories = sorted({e["category"] for e in events})
    out.mkdir(parents=True, exist_ok=True)
    assets = Path(__file__).parent / "site_assets"
    for name in ("site.css", "site.js", "favicon.svg"):
        shutil.copyfile(assets / name, out / name)
    data = out / "data"
    data.mkdir(exist_ok=True)
    files = []
    for p in (
        sorted(build.glob("*.parquet"))
        + sorted((build / "csv").glob("*.csv"))
        + sorted((build / "json").glob("*.jsonl"))
    ):
        shutil.copyfile(p, data / p.name)
        files.append(p.name)
    shutil.copyfile(build / "datapackage.json", data / "datapackage.json")
    files.append("datapackage.json")
    pages = {
        "index.html": page(
            "The founding of OpenAI and the Musk–Altman split",
            "index.html",
            timeline_body(
                events,
                {k: v for k, v in names.items() if k.startswith("per-") and k in in_events},
                {k: v for k, v in names.items() if k.startswith("org-") and k in in_events},
                categories,
            ),
            script=True,
        ),
        "disputes.html": page("Disputed claims", "disputes.html", disputes_body(claims, sources_of, names)),
        "people.html": page("People", "people.html", people_body(people, events_of, roles_of)),
        "sources.html": page("Sources", "sources.html", sources_body(sources, cited_by)),
        "download.html": page(
            "Download and cite", "download.html", download_body(descriptor, files, citation_text(descriptor))
        ),
    }
    for name, text in pages.items():
        (out / name).write_text(text, encoding="utf-8")
    from .chart import timeline_png

    timeline_png(build, out / "timeline.png")
    return [out / n for n in pages]
