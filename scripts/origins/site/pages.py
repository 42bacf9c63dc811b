"""The static site: the build's Parquet files rendered as pages a person can read.

Every value from the data is escaped for where it goes (text, attribute, URL); only http(s)
addresses become links. The pages read fully without JavaScript; the one small script (a
separate file, allowed by the Content-Security-Policy) only filters the timeline.
"""

from __future__ import annotations

import html
import re
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


# --- where each row lives ---------------------------------------------------------------

PLACES = {
    "evt-": "index.html",
    "fig-": "index.html",
    "clm-": "disputes.html",
    "per-": "people.html",
    "rol-": "people.html",
    "org-": "organizations.html",
    "src-": "sources.html",
}
VERIFIED = ' <span class="verified" title="Found word for word in the archived text of this source">verified</span>'


def href(row_id: str, here: str = "") -> str | None:
    """The address of a row's one place on the site.

    On the page itself it is just the fragment, so following it keeps a filtered timeline's query.
    """
    page = PLACES.get(row_id[:4])
    if page is None:
        return None
    return f"#{row_id}" if page == here else f"{page}#{row_id}"


def id_link(row_id: str, here: str = "", text: str | None = None) -> str:
    """A row as a link to its place, showing its id (or `text`): no id is ever shown as bare text."""
    target = href(row_id, here)
    shown = esc(row_id if text is None else text)
    if target is None:
        return shown
    cls = ' class="id"' if text is None else ""
    return f'<a{cls} href="{esc(target)}">{shown}</a>'


def host(url: str) -> str:
    """The site a link leads to, as a short link text ('theverge.com')."""
    return (urlsplit(url).hostname or url).removeprefix("www.")


# --- pages ------------------------------------------------------------------------------

NAV = [
    ("index.html", "Timeline"),
    ("disputes.html", "Claims and disputes"),
    ("people.html", "People"),
    ("organizations.html", "Organizations"),
    ("sources.html", "Sources"),
    ("data-dictionary.html", "Data dictionary"),
    ("download.html", "Download and cite"),
]


def footer_html(descriptor: dict) -> str:
    """Licence, citation and where the data lives; the repository only when the descriptor names it."""
    home = safe_url(descriptor.get("homepage"))
    repo = f' · <a href="{esc(home)}">Repository</a>' if home else ""
    return (
        f"<p>Data {esc(descriptor['licenses'][0]['name'])}, version {esc(descriptor.get('version'))}. "
        "Every statement links to its sources; quotes are verbatim excerpts. "
        f'<a href="download.html#cite">How to cite</a> · <a href="data-dictionary.html">Data dictionary</a>{repo}</p>'
    )


def page(title: str, current: str, body: str, script: bool = False, footer: str = "") -> str:
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
<a class="skip" href="#main">Skip to content</a>
<header><p class="brand">openai-origins</p><nav aria-label="Pages">{nav}</nav></header>
<main id="main">
<h1>{esc(title)}</h1>
{body}
</main>
<footer>{footer or "<p>Data CC-BY-4.0. Every statement links to its sources; quotes are verbatim excerpts.</p>"}</footer>
</body>
</html>
"""


def citation_item(c: dict, here: str) -> str:
    """One citation: the source's row on the site, the locator, the original, and the quote (marked when verified)."""
    original = safe_url(c.get("url"))
    to_original = f' · <a href="{esc(original)}">{esc(host(original))}</a>' if original else ""
    mark = VERIFIED if c.get("quote_verified") else ""
    quote = f"<blockquote>{esc(c['quote'])}{mark}</blockquote>" if c.get("quote") else ""
    label = id_link(c["source_id"], here, c["source_title"])
    return f"<li>{label} ({esc(c['locator'])}){to_original}{quote}</li>"


def _citations(cites: list[dict], here: str = "index.html", folded: bool = True) -> str:
    items = "".join(citation_item(c, here) for c in cites)
    if not folded:
        return f'<ul class="sources">{items}</ul>' if items else ""
    return f'<details class="sources"><summary>Sources ({len(cites)})</summary><ul>{items}</ul></details>'


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


def intro_html(descriptor: dict, stats: dict, citation: str, unreleased: str = "") -> str:
    """What this is, its span and size, how it was checked and how to cite it: before the chart."""
    home = safe_url(descriptor.get("homepage"))
    repo = f' The code and the raw CSVs are in <a href="{esc(home)}">the repository</a>.' if home else ""
    return (
        f'<div class="intro"><p class="lede">{esc(descriptor.get("description"))}</p>'
        f"<p>It runs from {esc(stats['first'])} to {esc(stats['last'])}: {stats['events']} events, "
        f'{stats["claims"]} <a href="disputes.html">claims</a> ({stats["disputed"]} disputed) and '
        f'{stats["sources"]} <a href="sources.html">sources</a>, tied together by {stats["citations"]} citations, '
        f"each with a locator and, for {stats['quoted']}, a verbatim quote. {stats['verified']} of those quotes "
        f"were found word for word in an archived copy of their source and are marked{VERIFIED}; the rest are "
        "quoted as read.</p>"
        f'<p>Cite it as: <cite>{esc(citation)}</cite> (<a href="download.html#cite">BibTeX and the files</a>; '
        f'every column is described in the <a href="data-dictionary.html">data dictionary</a>).{repo}</p>'
        + (f'<p class="unreleased">{esc(unreleased)}</p>' if unreleased else "")
        + "</div>"
    )


def filters_html(people: dict, orgs: dict, categories: list[str]) -> str:
    """The filter form; its values live in the address (site.js), so a filtered view can be shared."""

    def options(d):
        return "".join(
            f'<option value="{esc(k)}">{esc(v)}</option>' for k, v in sorted(d.items(), key=lambda kv: kv[1])
        )

    cats = "".join(f'<option value="{esc(c)}">{esc(c)}</option>' for c in categories)
    return "\n".join(
        [
            '<form class="filters" id="filters" aria-label="Filter the timeline">',
            '<label>Person <select name="person"><option value="">Anyone</option>'
            + options(people)
            + "</select></label>",
            '<label>Organization <select name="org"><option value="">Any</option>'
            + options(orgs)
            + "</select></label>",
            '<label>Category <select name="category"><option value="">Any</option>' + cats + "</select></label>",
            '<label>Search <input type="search" name="q"></label>',
            '<p class="count"><span id="count" aria-live="polite"></span> '
            '<a href="index.html" id="clear">Show everything</a></p>',
            '<p class="share">The address keeps the filters: copy it to share this view.</p>',
            "<noscript><p>Filtering needs JavaScript; the whole timeline is shown below.</p></noscript>",
            "</form>",
        ]
    )


def event_html(e: dict) -> str:
    """One event: its anchor, what happened, who took part, figures, claims and citations, all linked."""
    here = "index.html"
    ppl = " ".join(p["party_id"] for p in e["participants"] if p["party_id"].startswith("per-"))
    org = " ".join(p["party_id"] for p in e["participants"] if p["party_id"].startswith("org-"))
    parts = ", ".join(f"{id_link(p['party_id'], here, p['name'])} ({esc(p['role'])})" for p in e["participants"])
    figs = "".join(
        f'<li id="{esc(f["figure_id"])}">{esc(format_figure(f))} <span class="kind">{esc(f["kind"])}</span></li>'
        for f in e["figures"]
    )
    claims = "".join(
        f'<li class="claim {esc(c["status"])}">{id_link(c["claimant"], here, c["claimant_name"] or c["claimant"])}: '
        f'{esc(c["statement"])} <span class="status">{esc(c["status"])}'
        f"{', weakly sourced' if c['weakly_sourced'] else ''}</span> {id_link(c['claim_id'], here)}"
        + (f" (disputes {id_link(c['disputes'], here)})" if c.get("disputes") else "")
        + "</li>"
        for c in e["claims"]
    )
    return (
        f'<article class="event" id="{esc(e["event_id"])}" data-people="{esc(ppl)}" data-orgs="{esc(org)}" '
        f'data-category="{esc(e["category"])}">'
        f"<h3>{esc(e['title'])}</h3>"
        f'<p class="meta"><time>{esc(format_date(e["date"]))}</time> · {esc(e["category"])} · '
        f"{id_link(e['event_id'], here)}</p>"
        f"<p>{esc(e['summary'])}</p>"
        + (f'<p class="who">Who: {parts}</p>' if parts else "")
        + (f'<ul class="figures">{figs}</ul>' if figs else "")
        + (f'<ul class="claims" aria-label="Claims about this event">{claims}</ul>' if claims else "")
        + _citations(e["citations"], here)
        + "</article>"
    )


def timeline_body(
    events: list[dict], people: dict, orgs: dict, categories: list[str], intro: str = "", chart: str = ""
) -> str:
    out = [
        intro,
        f'<figure class="chart-box">{chart}<figcaption>Grey dots are events, blue rings money figures (larger '
        "for larger amounts). Each dot is a link to its event; hover or focus one for its date and title."
        "</figcaption></figure>"
        if chart
        else "",
        filters_html(people, orgs, categories),
    ]
    by_year = defaultdict(list)
    for e in events:
        by_year[e["date_earliest"].year if e["date_earliest"] else "Undated"].append(e)
    for year, items in by_year.items():
        out.append(f'<section aria-labelledby="y{year}"><h2 id="y{year}">{year}</h2>')
        out += [event_html(e) for e in items]
        out.append("</section>")
    return "\n".join(out)


def claim_html(c: dict, ctx: dict, anchor: bool, statement: bool = True) -> str:
    """A claim with who made it and when, what it is about, and its sources with their quotes.

    `anchor` gives the claim its id here: a claim is shown once with its anchor, elsewhere as a link.
    """
    here = "disputes.html"
    names, titles = ctx["names"], ctx["titles"]
    about = []
    if c.get("about_event"):
        about.append("about " + id_link(c["about_event"], here, titles.get(c["about_event"], c["about_event"])))
    if c.get("about_party"):
        about.append("concerning " + id_link(c["about_party"], here, names.get(c["about_party"], c["about_party"])))
    weak = ", weakly sourced" if ctx["weak"].get(c["id"]) else ""
    meta = f"{esc(c['status'])}{weak}" + "".join(f" · {a}" for a in about) + f" · {id_link(c['id'], here)}"
    ident = f' id="{esc(c["id"])}"' if anchor else ""
    said = f": {esc(c['statement'])}" if statement else ""
    return (
        f'<div class="claim {esc(c["status"])}"{ident}>'
        f"<p><strong>{id_link(c['claimant'], here, names.get(c['claimant'], c['claimant']))}</strong> "
        f"({esc(format_date(c['made_on']))}){said}</p>"
        f'<p class="meta">{meta}</p>'
        + (f'<p class="note">{esc(c["note"])}</p>' if c.get("note") else "")
        + _citations(ctx["cites_of"].get(c["id"], []), here, folded=False)
        + "</div>"
    )


def disputes_body(claims: list[dict], ctx: dict) -> str:
    """Each dispute headed by the disputed statement, beside what disputes it; then every other claim.

    Every claim has exactly one anchor on this page, so a claim id anywhere can link here.
    """
    disputers = defaultdict(list)
    for c in claims:
        if c.get("disputes"):
            disputers[c["disputes"]].append(c)
    rows = [c for c in claims if c["status"] == "disputed" or c["id"] in disputers]
    placed = {c["id"] for c in rows}
    # one claimant's corrected claims listed first (the site configuration's x-site.corrected)
    corrected = ctx.get("site", {}).get("corrected") or {}
    seed = [c for c in rows if corrected and c["claimant"] == corrected.get("claimant")]
    disputed = sum(c["status"] == "disputed" for c in claims)
    out = [
        f"<p>{len(claims)} claims: what someone asserted, when, with its standing against the evidence. "
        f"{disputed} are disputed by a better-sourced claim"
        + (f"; {len(seed)} of them come from {esc(corrected['from'])}.</p>" if corrected else ".</p>")
    ]
    if corrected:
        out.append(f'<h2 id="seed">{esc(corrected["title"])}</h2><ul class="seed">')
        out += [f'<li><a href="#{esc(c["id"])}">{esc(c["statement"])}</a></li>' for c in seed]
        out.append("</ul>")
    out.append('<h2 id="all">Every disputed claim, beside what disputes it</h2>')
    for c in rows:
        answers = []
        for d in disputers.get(c["id"], []):
            answers.append(claim_html(d, ctx, anchor=d["id"] not in placed))
            placed.add(d["id"])
        about = (
            f'<p class="about">About {id_link(c["about_event"], "disputes.html", ctx["titles"].get(c["about_event"]))}'
            f" ({esc(ctx['dates'].get(c['about_event'], ''))})</p>"
            if c.get("about_event")
            else ""
        )
        out.append(
            f'<section class="dispute" id="{esc(c["id"])}"><h3>{esc(c["statement"])}</h3>{about}'
            f'<div class="pair"><div><h4>Disputed</h4>{claim_html(c, ctx, anchor=False, statement=False)}</div>'
            f"<div><h4>Disputed by</h4>{''.join(answers) or '<p>No claim in the data disputes it directly.</p>'}"
            "</div></div></section>"
        )
    rest = [c for c in claims if c["id"] not in placed]
    out.append(f'<h2 id="other">The other {len(rest)} claims</h2>')
    out += [claim_html(c, ctx, anchor=True) for c in rest]
    return "\n".join(out)


def _when(edtf: str) -> str:
    """A role's start or end: an open interval is its known end, a closed one 'between … and …'."""
    if "/" not in edtf:
        return _one_date(edtf)
    a, b = edtf.split("/", 1)
    return _one_date(a) if b in ("", "..") else f"between {_one_date(a)} and {_one_date(b)}"


def role_span(r: dict) -> str:
    """'11 December 2015 – 20 February 2018'; no end reads 'from …'."""
    return f"{_when(r['start'])} – {_when(r['end'])}" if r.get("end") else f"from {_when(r['start'])}"


def role_text(r: dict) -> str:
    """'Co-chair, OpenAI (11 December 2015 – 20 February 2018)'; no end reads 'from …'."""
    return f"{r['title']}, {r['organization']} ({role_span(r)})"


def events_list(evs: list[tuple], here: str) -> str:
    """Every event a party took part in, dated and linked, with how they took part: no 'and N more'."""
    items = "".join(
        f'<li><time>{esc(date)}</time> {id_link(eid, here, title)} <span class="kind">{esc(", ".join(roles))}</span></li>'
        for eid, title, date, roles in evs
    )
    return f'<ul class="evlist">{items}</ul>'


def party_html(p: dict, ctx: dict, here: str, extra: str) -> str:
    """A person or organization: who they are, `extra` (roles, kind), every event and every claim they made."""
    evs = ctx["events_of"].get(p["id"], [])
    made = ctx["claims_by"].get(p["id"], [])
    key = "person" if p["id"].startswith("per-") else "org"
    aliases = p.get("aliases") or []
    wikidata = f"https://www.wikidata.org/wiki/{p['wikidata']}" if p.get("wikidata") else None
    claims = "".join(f"<li>{esc(c['statement'])} {id_link(c['id'], here)}</li>" for c in made)
    return (
        f'<section class="party" id="{esc(p["id"])}" aria-labelledby="h-{esc(p["id"])}">'
        f'<h2 id="h-{esc(p["id"])}">{esc(p["name"])}</h2><p>{esc(p["description"])}</p>'
        + (f'<p class="meta">Also: {esc(", ".join(aliases))}</p>' if aliases else "")
        + (f'<p class="meta">Wikidata {link(wikidata, p["wikidata"])}</p>' if wikidata else "")
        + extra
        + (
            f"<h3>{len(evs)} event{'s' if len(evs) != 1 else ''} "
            f'<a class="filter" href="index.html?{key}={esc(p["id"])}">(only these on the timeline)</a></h3>'
            + events_list(evs, here)
            if evs
            else ""
        )
        + (f"<h3>Claims made</h3><ul>{claims}</ul>" if claims else "")
        + "</section>"
    )


def people_body(people: list[dict], ctx: dict) -> str:
    here = "people.html"
    out = []
    for p in sorted(people, key=lambda p: p["name"]):
        held = "".join(
            f'<li id="{esc(r["id"])}">{esc(r["title"])}, '
            f"{id_link(r['organization_id'], here, r['organization'])} ({esc(role_span(r))})</li>"
            for r in ctx["roles_of"].get(p["id"], [])
        )
        out.append(party_html(p, ctx, here, f'<ul class="roles" aria-label="Roles">{held}</ul>' if held else ""))
    return f"<p>{len(people)} people, each with every event they took part in.</p>\n" + "\n".join(out)


def organizations_body(orgs: list[dict], ctx: dict) -> str:
    here = "organizations.html"
    out = []
    for o in sorted(orgs, key=lambda o: o["name"]):
        parent = (
            f" · part of {id_link(o['parent'], here, ctx['names'].get(o['parent'], o['parent']))}"
            if o.get("parent")
            else ""
        )
        held = "".join(
            f"<li>{id_link(r['person_id'], here, ctx['names'].get(r['person_id'], r['person_id']))}: "
            f"{id_link(r['id'], here, r['title'])} ({esc(role_span(r))})</li>"
            for r in ctx["roles_at"].get(o["id"], [])
        )
        extra = f'<p class="meta">{esc(o["kind"])}{parent}</p>' + (
            f'<ul class="roles" aria-label="Roles held here">{held}</ul>' if held else ""
        )
        out.append(party_html(o, ctx, here, extra))
    return f"<p>{len(orgs)} organizations, each with every event it took part in.</p>\n" + "\n".join(out)


def quote_standing(s: dict, cites: list[dict]) -> str:
    """Whether a source's quotes were verified: against its archived text, or why not."""
    quoted = [c for c in cites if c.get("quote")]
    verified = sum(bool(c.get("quote_verified")) for c in quoted)
    if not quoted:
        return "no quotes"
    if not s.get("sha256"):
        return f"{len(quoted)} quoted; not verified (no archived text)"
    return f"{verified} of {len(quoted)} verified" + ("" if verified == len(quoted) else " against the archived text")


def sources_body(sources: list[dict], ctx: dict) -> str:
    here = "sources.html"
    out = [
        "<table><caption>Sources by reliability tier, with every row that cites them</caption><thead><tr>"
        '<th scope="col">Source</th><th scope="col">Tier</th><th scope="col">Published</th>'
        '<th scope="col">Quotes</th><th scope="col">Cited by</th></tr></thead><tbody>'
    ]
    for s in sorted(sources, key=lambda s: (s["tier"], s["title"])):
        rows = ctx["cited_by"].get(s["id"], [])
        shown = ", ".join(id_link(r, here) for r in rows)
        pub = format_date(s["published"]) if s.get("published") else "unknown"
        via = safe_url(s.get("via"))
        read = f' <span class="pub">read via <a href="{esc(via)}">{esc(host(via))}</a></span>' if via else ""
        author = f' <span class="pub">{esc(s["author"])},</span>' if s.get("author") else ""
        out.append(
            f'<tr id="{esc(s["id"])}"><td>{link(s.get("url"), s["title"])}{author} '
            f'<span class="pub">{esc(s["publisher"])}</span>{read}</td>'
            f"<td>{esc(s['tier'])}</td><td>{esc(pub)}</td><td>{esc(quote_standing(s, ctx['cites_by_source'][s['id']]))}</td>"
            f"<td>{shown or 'none'}</td></tr>"
        )
    return "\n".join(out + ["</tbody></table>"])


def dictionary_body(descriptor: dict, schemas: dict[str, dict]) -> str:
    """docs.py's data dictionary rendered as HTML: one generator for both, from the Table Schemas.

    Raw HTML in the schemas is escaped (markdown-it with html off) and resource headings get anchors.
    """
    from markdown_it import MarkdownIt

    from origins.read.dictionary import HEADER, dictionary_markdown

    text = dictionary_markdown(descriptor, schemas).removeprefix(HEADER).split("\n", 1)[1]  # the page has its h1
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    body = re.sub(r"<h2>([a-z_]+)</h2>", r'<h2 id="table-\1">\1</h2>', body)
    toc = "".join(f'<li><a href="#table-{esc(r["name"])}">{esc(r["name"])}</a></li>' for r in descriptor["resources"])
    return f'<nav aria-label="Tables"><ul class="toc">{toc}</ul></nav>\n{body}'


def download_body(
    descriptor: dict, files: list[str], citation: str, cited: dict | None = None, unreleased: str = ""
) -> str:
    from origins.release.citation import bibtex

    items = "".join(f'<li><a href="data/{esc(f)}">{esc(f)}</a></li>' for f in files)
    home = safe_url(descriptor.get("homepage"))
    repo = f'<p>Source code, raw CSVs and releases: <a href="{esc(home)}">{esc(home)}</a>.</p>' if home else ""
    return (
        f"<p>Version {esc(descriptor.get('version'))}. Each table as Parquet, CSV and JSON Lines, with the "
        f"package descriptor that lists their sizes and SHA-256 hashes; the columns are described in the "
        f'<a href="data-dictionary.html">data dictionary</a>.</p>{repo}<ul class="files">{items}</ul>'
        f'<h2 id="cite">How to cite</h2><p class="cite">{esc(citation)}</p>'
        f"<pre>{esc(bibtex(cited or descriptor))}</pre>"
        + (f'<p class="unreleased">{esc(unreleased)}</p>' if unreleased else "")
    )


# --- the site ---------------------------------------------------------------------------


def site_context(build: Path) -> dict:
    """Everything the pages share, read once from the build: names, places, citations by row and source."""
    read = lambda name: pq.read_table(build / f"{name}.parquet").to_pylist()  # noqa: E731
    ctx = {name: read(name) for name in ("people", "organizations", "claims", "sources", "citations", "roles")}
    ctx["events"] = events = read("timeline")
    ctx["names"] = names = {p["id"]: p["name"] for p in ctx["people"]} | {
        o["id"]: o["name"] for o in ctx["organizations"]
    }
    ctx["titles"] = {e["event_id"]: e["title"] for e in events}
    ctx["dates"] = {e["event_id"]: format_date(e["date"]) for e in events}
    ctx["weak"] = {c["claim_id"]: c["weakly_sourced"] for e in events for c in e["claims"]}
    src = {s["id"]: s for s in ctx["sources"]}
    cites_of, cited_by, by_source = defaultdict(list), defaultdict(dict), defaultdict(list)
    for c in ctx["citations"]:
        s = src.get(c["source_id"], {})
        cites_of[c["row_id"]].append(
            c | {"source_title": s.get("title", c["source_id"]), "url": s.get("url"), "tier": s.get("tier")}
        )
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
    ctx |= {"roles_of": roles_of, "roles_at": roles_at}
    return ctx


def published_schemas(build: Path) -> dict[str, dict]:
    """The Table Schemas as shipped: the CSV resources of the build's descriptor carry schemas/*.json."""
    import json

    built = json.loads((build / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"].removesuffix("-csv"): r["schema"] for r in built["resources"] if r["name"].endswith("-csv")}


def copy_files(build: Path, out: Path, tables: list[str]) -> list[str]:
    """The assets and the data files (every output that is a table of build/datapackage.json, by the
    outputs registry, and the descriptor) beside the pages."""
    from origins.outputs import downloads

    assets = Path(__file__).parent / "assets"
    for name in ("site.css", "site.js", "favicon.svg"):
        shutil.copyfile(assets / name, out / name)
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


def write_site(build: Path, out: Path, descriptor: dict) -> list[Path]:
    from origins.release.citation import as_cited, citation_text, unreleased_line
    from origins.site.chart import timeline_svg

    ctx = site_context(build)
    ctx["site"] = descriptor.get("x-site", {})  # story-specific wording, configured in datapackage.json
    events = ctx["events"]
    in_events = {p["party_id"] for e in events for p in e["participants"]}
    names = ctx["names"]
    out.mkdir(parents=True, exist_ok=True)
    files = copy_files(build, out, [r["name"] for r in descriptor["resources"]])
    release = descriptor.get("x-cite") or {"version": descriptor["version"], "created": descriptor["created"]}
    cited = as_cited(descriptor, release)
    citation = citation_text(cited)
    unreleased = unreleased_line(descriptor, release, release.get("rows_changed"))
    stats = site_stats(events, ctx["claims"], ctx["sources"], ctx["citations"])
    chart = timeline_svg(events, lambda r: format_date(r["date"]), format_figure)
    footer = footer_html(descriptor)
    pages = {
        "index.html": (
            ctx["site"].get("heading") or descriptor.get("title", ""),
            timeline_body(
                events,
                {k: v for k, v in names.items() if k.startswith("per-") and k in in_events},
                {k: v for k, v in names.items() if k.startswith("org-") and k in in_events},
                sorted({e["category"] for e in events}),
                intro_html(descriptor, stats, citation, unreleased),
                chart,
            ),
        ),
        "disputes.html": ("Claims and disputes", disputes_body(ctx["claims"], ctx)),
        "people.html": ("People", people_body(ctx["people"], ctx)),
        "organizations.html": ("Organizations", organizations_body(ctx["organizations"], ctx)),
        "sources.html": ("Sources", sources_body(ctx["sources"], ctx)),
        "data-dictionary.html": ("Data dictionary", dictionary_body(descriptor, published_schemas(build))),
        "download.html": ("Download and cite", download_body(descriptor, files, citation, cited, unreleased)),
    }
    for name, (title, body) in pages.items():
        (out / name).write_text(page(title, name, body, script=name == "index.html", footer=footer), encoding="utf-8")
    return [out / n for n in pages]


def write_site_of(build: Path) -> list[Path]:
    """The static site from a build, into build/site: it reads only build/ (the descriptor included)."""
    import json

    built = json.loads((build / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r | {"name": r["name"].removesuffix("-csv")} for r in built["resources"] if r["name"].endswith("-csv")]
    return write_site(build, build / "site", built | {"resources": tables})  # one resource a table
