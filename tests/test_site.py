"""The static site: formatting, escaping of hostile data, structure, and a real browser."""

from __future__ import annotations

import html
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from origins.site import write_site, write_site_of
from origins.site.format import format_date, format_figure, safe_url

from conftest import ARCHIVE, REPO, build, edit, serve

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("edtf", "shown"),
    [
        ("2015-12-11", "11 December 2015"),
        ("2016-09", "September 2016"),
        ("2016", "2016"),
        ("2016-09~", "about September 2016"),
        ("2015-05?", "May 2015 (uncertain)"),
        ("2017-09-20%", "about 20 September 2017 (uncertain)"),
        ("2017/2019", "2017 – 2019"),
        ("2026-01-15/2026-01-16", "15 January 2026 – 16 January 2026"),
        ("2024-11-18/..", "from 18 November 2024"),
    ],
)
def test_dates_at_their_precision(edtf, shown):
    assert format_date(edtf) == shown


def F(amount, qualifier="exact", period="one-time", unit="money", currency="USD", high=None):
    return {
        "amount": Decimal(amount),
        "amount_high": Decimal(high) if high else None,
        "qualifier": qualifier,
        "period": period,
        "unit": unit,
        "currency": currency,
    }


@pytest.mark.parametrize(
    ("figure", "shown"),
    [
        (F("1900000.00", "more-than"), "more than $1.9 million"),
        (F("100000.00", "range", "per-year", high="200000.00"), "$100,000–$200,000 a year"),
        (F("175000.00", period="per-year"), "$175,000 a year"),
        (F("97400000000.00"), "$97.4 billion"),
        (F("134000000000.00", "up-to"), "up to $134 billion"),
        (F("0.25", unit="percent", currency=None, period="per-batch"), "0.25% per batch"),
        (F("100.00", "up-to", unit="multiple", currency=None), "up to 100 times"),
        (F("1000.50"), "$1,000.50"),
    ],
)
def test_figures_read_like_prose(figure, shown):
    assert format_figure(figure) == shown


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "//evil.example",
        'https://ok.example/"onmouseover=x',
        "ftp://x.example/a",
    ],
)
def test_only_http_links(url):
    assert safe_url(url) is None


class Live(HTMLParser):
    """Collects live markup: elements, their attributes, script sources, and the text of data
    scripts (JSON-LD), which a browser never runs."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.headings, self.data_scripts = [], [], [], []
        self._data_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._data_script = True
            self.data_scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._data_script = False

    def handle_data(self, data):
        if self._data_script:
            self.data_scripts[-1] += data


HOSTILE = '<script>alert(1)</script>" onmouseover="alert(2)'
# what would end a <script> element holding JSON-LD, or open a comment in it
BREAKOUT = "</script><script>alert(5)</script><!-- \u2028 </SCRIPT &"


def rewrite(path: Path, change=None, add: tuple[dict, ...] = ()) -> None:
    """Rewrite a CSV: `change(row)` edits each row (a dict) in place; `add` are rows to append (columns
    not given are empty). Run `format_dataset` afterwards to put the file back in canonical form."""
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        if change:
            change(row)
    rows += [dict.fromkeys(header, "") | row for row in add]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    import json

    from conftest import make_package

    root = make_package(tmp_path_factory.mktemp("h") / "pkg", REPO / "raw")
    edit(
        root / "raw" / "events.csv",
        "Altman proposes a YC 'Manhattan Project for AI' to Musk",
        '"Altman <script>alert(1)</script>"" onmouseover=""alert(2)"',
    )
    # the old name stays an alias, so the email checks still know who 'Elon Musk' is in the compilations
    edit(
        root / "raw" / "people.csv",
        "per-elon-musk,Elon Musk,",
        "per-elon-musk,Elon <img src=x onerror=alert(3)>,Elon Musk",
    )
    edit(
        root / "raw" / "sources.csv",
        "https://www.theverge.com/2024/11/18/24299787/elon-musk-openai-lawsuit-sam-altman-xai-google-deepmind",
        "javascript:alert(4)",
    )
    # a claim the disputes page reviews in JSON-LD, and a question, say what would break out of markup
    seed = json.loads((root / "datapackage.json").read_text())["x-site"]["corrected"]["claimant"]
    reviewed = []

    def hostile_claim(row):
        if not reviewed and row["claimant"] == seed and row["status"] == "disputed":
            row["statement"] = BREAKOUT + HOSTILE
            reviewed.append(row["id"])

    rewrite(root / "raw" / "claims.csv", hostile_claim)
    assert reviewed, "the data has no disputed claim of the corrected claimant to review"
    hostile_question = {"id": "qst-hostile", "question": HOSTILE + BREAKOUT, "status": "open", "record": HOSTILE}
    rewrite(root / "raw" / "questions.csv", add=(hostile_question,))
    from origins.read.canonical import format_dataset
    from origins.read.package import load

    format_dataset(load(root))
    out = root / "build"
    code, messages = build(root, out, ARCHIVE)
    assert code == 1 and any("CIT004" in m or "SCH002" in m for m in messages)  # the validator refuses the URL
    # render anyway from a build made without the URL change, then with hostile text only
    edit(
        root / "raw" / "sources.csv",
        "javascript:alert(4)",
        "https://www.theverge.com/2024/11/18/24299787/elon-musk-openai-lawsuit-sam-altman-xai-google-deepmind",
    )
    code, messages = build(root, out, ARCHIVE)
    assert code == 0, messages
    write_site(out, out / "site", json.loads((root / "datapackage.json").read_text()))
    return out / "site"


def test_hostile_values_are_never_live_markup(hostile_site):
    import json

    reviewed = []
    for page in hostile_site.glob("*.html"):
        text = page.read_text()
        p = Live()
        p.feed(text)
        assert all(src == "site.js" for tag, k, src in p.attrs if tag == "script" and k == "src"), page.name
        assert p.tags.count("script") - len(p.data_scripts) <= 1, page.name  # JSON-LD is data, never run
        for data in p.data_scripts:  # each ends where it should, and reads back as the JSON written
            assert "<" not in data and ">" not in data, page.name
            reviewed += [r["claimReviewed"] for r in json.loads(data)]
        assert not [a for a in p.attrs if a[1].startswith("on")], page.name
        assert not [a for a in p.attrs if a[1] == "href" and a[2].lower().startswith("javascript:")], page.name
        assert "<script>alert" not in text and "<img src=x" not in text
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;&#34; onmouseover=&#34;alert(2)"
        in (hostile_site / "index.html").read_text()
    )
    assert BREAKOUT + HOSTILE in reviewed  # the hostile statement, intact inside its review
    assert escape(HOSTILE + BREAKOUT) in (hostile_site / "questions.html").read_text()


def test_javascript_url_in_data_is_rendered_as_text(tmp_path):
    from origins.site import link

    assert link("javascript:alert(1)", "x") == "x"
    assert link("https://example.org/a?b=1&c=2", "x") == '<a href="https://example.org/a?b=1&amp;c=2">x</a>'


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("s") / "build"
    assert build(REPO, out, ARCHIVE)[0] == 0
    write_site_of(out)  # as the pipeline writes it: from build/ alone
    return out / "site"


PAGES = [
    "index.html",
    "disputes.html",
    "questions.html",
    "people.html",
    "organizations.html",
    "sources.html",
    "data-dictionary.html",
    "download.html",
]
PNG_BYTES = 56_537  # docs/timeline.png, the picture the site's chart replaces


class Anchors(HTMLParser):
    """A page's ids, its links, and the text outside links (where a row id must never appear bare);
    the data of a script (JSON-LD) is not text a reader sees."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.bare, self.link_texts = [], [], [], []
        self._in_a, self._text, self._in_script = 0, [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._in_script = tag == "script"
        if "id" in a:
            self.ids.append(a["id"])
        for k in ("href", "src"):
            if a.get(k):
                self.links.append(a[k])
        if tag == "a":
            self._in_a += 1
            self._text = []
            self._href = a.get("href", "")

    def handle_endtag(self, tag):
        self._in_script = False
        if tag == "a" and self._in_a:
            self._in_a -= 1
            self.link_texts.append(("".join(self._text), self._href))

    def handle_data(self, data):
        if not self._in_script:
            (self._text if self._in_a else self.bare).append(data)


def parsed(site: Path) -> dict[str, Anchors]:
    out = {}
    for name in PAGES:
        p = Anchors()
        p.feed((site / name).read_text())
        out[name] = p
    return out


def row_ids(build: Path) -> dict[str, str]:
    """Every row id of the tables that have one, with the page it must live on."""
    import pyarrow.parquet as pq

    from origins.read.meaning import Meaning
    from origins.site.context import places, published_schemas

    meaning = Meaning.parse(published_schemas(build))
    where = places(meaning)
    ids = {}
    for table in (name for name, t in meaning.tables.items() if t.id_prefix):
        for i in pq.read_table(build / f"{table}.parquet", columns=["id"]).column("id").to_pylist():
            ids[i] = where[meaning.tables[table].id_prefix]
    return ids


def test_pages_are_accessible_and_self_contained(site):
    pages = parsed(site)
    for page in PAGES:
        text = (site / page).read_text()
        assert '<html lang="en">' in text and "Content-Security-Policy" in text and "script-src 'self'" in text
        p = Live()
        p.feed(text)
        assert p.headings[0] == 1 and p.headings.count(1) == 1, page
        assert all(b - a <= 1 for a, b in zip(p.headings, p.headings[1:], strict=False)), f"{page}: heading levels skip"
        assert "<script>" not in text and " style=" not in text  # no inline script or style (the CSP forbids both)
        assert len(pages[page].ids) == len(set(pages[page].ids)), f"{page}: an id is used twice"
        for v in pages[page].links:
            if v.startswith(("http://", "https://")):
                continue
            path, _, fragment = v.partition("#")
            target = path.split("?")[0] or page
            assert (site / target).exists(), f"{page}: {v} is missing"
            if fragment:
                assert fragment in pages[target].ids, f"{page}: {v} points to no anchor"
    index = (site / "index.html").read_text()
    assert index.count('<article class="event"') == len(
        __import__("pyarrow.parquet", fromlist=["x"]).read_table(site.parent / "timeline.parquet")
    )
    assert "more than $1.9 million" in index and "$100,000–$200,000 a year" in index
    disputes = (site / "disputes.html").read_text()
    assert "What the seed post got wrong" in disputes and "clm-seed-msft-invest-50m" in disputes


def test_every_row_has_one_anchor_and_every_shown_id_is_a_link(site):
    """Each row lives at one place (its page, its id); an id shown anywhere links there."""
    pages = parsed(site)
    ids = row_ids(site.parent)
    where = {}
    for name, p in pages.items():
        for i in p.ids:
            if i in ids:
                assert i not in where, f"{i} is anchored on {where.get(i)} and {name}"
                where[i] = name
    assert {i: ids[i] for i in where} == ids, sorted(set(ids) - set(where))[:5]
    pattern = re.compile(r"\b(?:evt|fig|clm|per|rol|org|src|qst)-[a-z0-9]+(?:-[a-z0-9]+)*")
    for name, p in pages.items():
        bare = [m for m in pattern.findall(" ".join(p.bare)) if m in ids]
        assert bare == [], f"{name}: row ids shown as bare text: {bare[:5]}"
        for text, target in p.link_texts:
            if text in ids:
                assert target.endswith("#" + text), f"{name}: {text} links to {target}"


def test_introduction_says_what_span_size_checks_and_citation(site):
    import json

    import pyarrow.parquet as pq

    from origins.release.citation import as_cited, citation_text

    index = (site / "index.html").read_text()
    intro = index[index.index('<div class="intro">') : index.index("<svg")]
    cites = pq.read_table(site.parent / "citations.parquet").to_pylist()
    verified = sum(bool(c["quote_verified"]) for c in cites)
    n = {t: pq.read_table(site.parent / f"{t}.parquet").num_rows for t in ("events", "claims", "sources")}
    assert f"{n['events']} events" in intro and f"{n['claims']} <a" in intro and f"{n['sources']} <a" in intro
    assert f"{verified} of those quotes" in intro and 'class="verified"' in intro
    assert "from February 2014 to 18 May 2026" in intro
    descriptor = json.loads((REPO / "datapackage.json").read_text())
    cite = json.loads((site.parent / "datapackage.json").read_text())["x-cite"]
    assert escape(citation_text(as_cited(descriptor, cite))) in intro and 'href="download.html#cite"' in intro
    assert f"(Version {cite['version']})" in intro  # a version that can be downloaded
    if cite["version"] != descriptor["version"]:  # main is unreleased: both facts, plainly
        line = (
            f"This is unreleased data ({descriptor['version']}, {cite['rows_changed']} rows changed since "
            f"{cite['version']}); cite {cite['version']} ({cite['created'][:10]}), or, for exactly these rows, "
            "the commit they come from."
        )
        assert f'<p class="unreleased">{escape(line)}</p>' in intro
        assert escape(line) in (site / "download.html").read_text()
        assert line in (site.parent / "README.md").read_text()  # the dataset card


def test_disputes_are_headed_in_words_and_linked(site):
    import pyarrow.parquet as pq

    claims = {c["id"]: c for c in pq.read_table(site.parent / "claims.parquet").to_pylist()}
    text = (site / "disputes.html").read_text()
    sections = re.findall(r'<section class="dispute" id="([^"]+)"><h3>(.*?)</h3>(.*?)</section>', text, re.S)
    assert len(sections) >= sum(c["status"] == "disputed" for c in claims.values())
    for cid, heading, body in sections:
        assert heading == escape(claims[cid]["statement"]) and not heading.startswith("clm-")
        if claims[cid]["about_event"]:
            assert f'href="index.html#{claims[cid]["about_event"]}"' in body
        assert 'href="sources.html#src-' in body, cid


def test_people_and_organizations_pages_are_complete(site):
    import pyarrow.parquet as pq

    events = pq.read_table(site.parent / "timeline.parquet").to_pylist()
    pages = {n: (site / n).read_text() for n in ("people.html", "organizations.html")}
    assert not any(re.search(r"and \d+ more", t) for t in pages.values())
    for e in events:
        for p in e["participants"]:
            page = pages["people.html" if p["party_id"].startswith("per-") else "organizations.html"]
            start = page.index(f'<section class="party" id="{p["party_id"]}"')
            section = page[start : page.index("</section>", start)]
            assert f'href="index.html#{e["event_id"]}"' in section, (p["party_id"], e["event_id"])
    assert 'href="index.html?person=per-shivon-zilis"' in pages["people.html"]


def test_sources_list_every_citing_row_tier_and_verification(site):
    import pyarrow.parquet as pq

    text = (site / "sources.html").read_text()
    rows = dict(re.findall(r'<tr id="(src-[^"]+)">(.*?)</tr>', text, re.S))
    sources = pq.read_table(site.parent / "sources.parquet").to_pylist()
    assert set(rows) == {s["id"] for s in sources}
    for c in pq.read_table(site.parent / "citations.parquet").to_pylist():
        assert f'#{c["row_id"]}"' in rows[c["source_id"]], (c["source_id"], c["row_id"])
    for s in sources:
        assert f"<td>{s['tier']}</td>" in rows[s["id"]]
    assert any(re.search(r"\d+ of \d+ verified", r) for r in rows.values())
    assert any("not verified (no archived text)" in r for r in rows.values())


@pytest.mark.skipif(
    not (REPO.parent / "shared" / "snapshots").is_dir(), reason="the source archive ../shared/snapshots is not here"
)
def test_verified_quotes_are_marked_with_a_link_to_the_source(site):
    text = (site / "index.html").read_text()
    marked = re.findall(
        r'<li><a href="sources.html#(src-[^"]+)">[^<]*</a>[^<]*(?:· <a href="https?://[^"]+">[^<]*</a>)?'
        r'<blockquote>[^<]*<span class="verified"',
        text,
    )
    assert len(marked) > 100


def test_data_dictionary_is_generated_from_the_schemas(site):
    import json

    from origins.site.context import published_schemas

    descriptor = json.loads((REPO / "datapackage.json").read_text())
    schemas = {r["name"]: json.loads((REPO / r["schema"]).read_text()) for r in descriptor["resources"]}
    assert published_schemas(site.parent) == schemas  # the build ships the Table Schemas unchanged
    text = (site / "data-dictionary.html").read_text()
    for name, schema in schemas.items():
        assert f'<h2 id="table-{name}">{name}</h2>' in text
        section = text.split(f'<h2 id="table-{name}">')[1].split("<h2")[0]
        for f in schema["fields"]:
            assert f"<td>{f['name']}</td>" in section, (name, f["name"])
            assert html.escape(f.get("description", ""), quote=False).split("`")[0] in section


def test_chart_is_accessible_svg_no_larger_than_the_png(site):
    import pyarrow.parquet as pq

    index = (site / "index.html").read_text()
    svg = re.search(r"<svg.*?</svg>", index, re.S).group(0)
    assert len(svg.encode()) < PNG_BYTES
    assert 'aria-labelledby="chart-title"' in svg and '<title id="chart-title">' in svg and "<desc" in svg
    dated = [e for e in pq.read_table(site.parent / "timeline.parquet").to_pylist() if e["date_earliest"]]
    points = re.findall(r'<a href="#([^"]+)"><title>([^<]+)</title>', svg)
    assert {p for p, _ in points} == {e["event_id"] for e in dated}
    assert all(t.strip() for _, t in points)
    assert not (site / "timeline.png").exists()


def test_page_weight(site):
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert total < 5_000_000  # the whole site, data files included


# --- a real browser ---------------------------------------------------------------------

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="no chromium/chromedriver installed (Debian: apt-get install chromium chromium-driver); .ci/run installs them",
)


@pytest.fixture(scope="module")
def served(site):
    """The site over HTTP, as a reader gets it (query strings and history need a real origin)."""
    with serve(site) as url:
        yield url


def chrome(profile: Path, javascript: bool = True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1200,1600",
    ]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chrome(tmp_path_factory.mktemp("profile"))
    yield driver
    driver.quit()


def severe(driver) -> list:
    return [m for m in driver.get_log("browser") if m["level"] == "SEVERE"]


def loaded(driver, script: bool = True):
    """Wait until the page has loaded and, on the timeline with JavaScript, its script has counted
    the events it shows (under load a test once read the page before either)."""
    from selenium.webdriver.support.ui import WebDriverWait

    def ready(d):
        if d.execute_script("return document.readyState") != "complete":
            return False
        counts = d.execute_script("return Array.from(document.querySelectorAll('#count')).map(e => e.textContent)")
        return not (script and counts and counts[0] == "")

    WebDriverWait(driver, 20).until(ready)
    return driver


def shown_events(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('article.event')).filter(e => !e.hidden).map(e => e.id)"
    )


@needs_chromium
def test_a_shared_filtered_address_restores_the_same_events(site, served, browser, tmp_path):
    import pyarrow.parquet as pq
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    events = pq.read_table(site.parent / "timeline.parquet").to_pylist()
    zilis = [e["event_id"] for e in events if any(p["party_id"] == "per-shivon-zilis" for p in e["participants"])]
    browser.get(served + "index.html")
    loaded(browser)
    Select(browser.find_element(By.NAME, "person")).select_by_visible_text("Shivon Zilis")
    assert browser.current_url == served + "index.html?person=per-shivon-zilis"
    assert shown_events(browser) == zilis
    assert browser.find_element(By.ID, "count").text == f"{len(zilis)} of {len(events)} events shown"
    Select(browser.find_element(By.NAME, "category")).select_by_visible_text("governance")
    both = [e["event_id"] for e in events if e["event_id"] in zilis and e["category"] == "governance"]
    assert browser.current_url.endswith("?person=per-shivon-zilis&category=governance")
    assert shown_events(browser) == both and 0 < len(both) < len(zilis)
    search = browser.find_element(By.NAME, "q")
    search.send_keys("Musk")
    assert browser.current_url.endswith("&q=Musk")
    browser.back()  # one step back undoes the whole search, the next the category
    assert browser.current_url.endswith("&category=governance") and shown_events(browser) == both
    assert search.get_attribute("value") == ""
    browser.back()
    assert browser.current_url == served + "index.html?person=per-shivon-zilis" and shown_events(browser) == zilis
    assert Select(browser.find_element(By.NAME, "category")).first_selected_option.text == "Any"
    browser.forward()
    assert shown_events(browser) == both
    shared = browser.current_url
    other = chrome(tmp_path / "other")  # someone else opens the shared address
    try:
        other.get(shared)
        loaded(other)
        assert shown_events(other) == both
        assert Select(other.find_element(By.NAME, "person")).first_selected_option.text == "Shivon Zilis"
        dimmed = other.execute_script("return document.querySelectorAll('svg.chart a.dim').length")
        assert dimmed == sum(1 for e in events if e["date_earliest"]) - len(both)
        other.save_screenshot(str(site.parent / "site-filtered.png"))
        assert severe(other) == []
    finally:
        other.quit()
    browser.get(served + "index.html?person=per-nobody&q=%3Cscript%3E")  # unknown or hostile values do no harm
    loaded(browser)
    assert shown_events(browser) == [] and browser.find_element(By.NAME, "q").get_attribute("value") == "<script>"
    assert severe(browser) == []


@needs_chromium
def test_every_link_on_every_page_resolves_without_console_errors(site, served, browser):
    found = {}
    for name in PAGES:
        browser.get(served + name)
        loaded(browser)
        found[name] = browser.execute_script(
            "return [Array.from(document.querySelectorAll('[id]')).map(e => e.id),"
            " Array.from(document.querySelectorAll('[href], [src]')).map(e => new URL("
            "e.getAttribute('href') || e.getAttribute('src'), location.href).href)]"
        )
        assert severe(browser) == [], name
    checked = 0
    for name, (_ids, links) in found.items():
        for url in links:
            if not url.startswith(served):
                assert url.startswith(("http://", "https://")), (name, url)
                continue
            path, _, fragment = url[len(served) :].partition("#")
            path = path.split("?")[0] or "index.html"
            assert (site / path).is_file(), (name, url)
            if fragment:
                assert fragment in found[path][0], (name, url)
            checked += 1
    assert checked > 2000  # every internal link, counted so a silent empty page cannot pass


@needs_chromium
def test_chart_points_take_keyboard_focus(served, browser):
    from selenium.webdriver.common.keys import Keys

    browser.get(served + "index.html")
    loaded(browser)
    browser.execute_script("document.querySelector('.intro a[href=\"data-dictionary.html\"]').focus()")
    browser.switch_to.active_element.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert browser.execute_script("return arguments[0].closest('svg.chart') !== null", focused)
    name = browser.execute_script("return arguments[0].querySelector('title').textContent", focused)
    target = browser.execute_script("return arguments[0].getAttribute('href')", focused)  # SVG: not a property
    assert name and target.startswith("#evt-")
    focused.send_keys(Keys.ENTER)
    assert browser.current_url.endswith(target)
    browser.find_element("css selector", target + " details.sources summary").click()
    assert browser.find_element("css selector", target + " details.sources li").is_displayed()


@needs_chromium
def test_pages_work_without_javascript(site, served, tmp_path):
    import pyarrow.parquet as pq
    from selenium.webdriver.common.by import By

    n = pq.read_table(site.parent / "timeline.parquet").num_rows
    driver = chrome(tmp_path / "nojs", javascript=False)
    try:
        driver.get(served + "index.html?person=per-shivon-zilis")  # a shared address, opened without JavaScript
        loaded(driver, script=False)
        events = driver.find_elements(By.CSS_SELECTOR, "article.event")
        assert len(events) == n and all(e.is_displayed() for e in events[:: max(n // 10, 1)])
        assert driver.find_element(By.ID, "count").text == ""  # the script did not run
        assert "Filtering needs JavaScript" in driver.find_element(By.TAG_NAME, "main").text
        driver.get(served + "people.html")
        loaded(driver, script=False)
        driver.find_element(By.CSS_SELECTOR, '#per-shivon-zilis .evlist a[href^="index.html#evt-"]').click()
        assert "#evt-" in driver.current_url
        target = driver.current_url.split("#")[1]
        assert driver.find_element(By.ID, target).is_displayed()
        for name in PAGES:
            driver.get(served + name)
            loaded(driver, script=False)
            assert driver.find_element(By.TAG_NAME, "h1").is_displayed()
            assert severe(driver) == [], name
    finally:
        driver.quit()


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("2015-12-11", "2018-02-20", "Co-chair, OpenAI (11 December 2015 – 20 February 2018)"),
        ("2019-03-06/..", "", "Co-chair, OpenAI (from 6 March 2019, no known end)"),
        ("2018/2019", "2023-03", "Co-chair, OpenAI (between 2018 and 2019 – March 2023)"),
        ("../2019-03-06", "", "Co-chair, OpenAI (held by 6 March 2019 (start unknown), no known end)"),
        ("../2019-03-06", "2023-03", "Co-chair, OpenAI (held by 6 March 2019 (start unknown) – March 2023)"),
    ],
)
def test_roles_read_like_prose(start, end, shown):
    from origins.site.format import role_text

    assert role_text({"title": "Co-chair", "organization": "OpenAI", "start": start, "end": end}) == shown


def test_the_introduction_says_how_far_each_family_of_sources_was_read(site):
    """The release's "as of" (datapackage.json x-coverage) in one sentence on the home page, as on
    the dataset card and in `make coverage`, so a reader knows what the data could not know."""
    import json

    from origins.release.citation import as_of_line

    families = json.loads((REPO / "datapackage.json").read_text())["x-coverage"]
    line = as_of_line({"x-coverage": families})
    assert line.startswith("Sources were read as far as this: the docket of Musk v. Altman")
    assert all(f"as of {c['as_of']}" in line for c in families)
    page = (site / "index.html").read_text(encoding="utf-8")
    assert f'<p class="as-of">{escape(line)}</p>' in page
    assert line in (site.parent / "README.md").read_text(encoding="utf-8")  # the dataset card
    assert json.loads((site.parent / "datapackage.json").read_text())["x-coverage"] == families
    assert as_of_line({}) == ""


def test_a_timeline_longer_than_a_page_is_split_by_year_and_every_link_still_resolves(tmp_path, monkeypatch):
    """The site at scale (issue 25): past PAGE events the index lists the years, each year's events
    are on pages of at most PAGE, each event is on exactly one page, and every link of every page,
    those from other pages to an event or a figure included, reaches an anchor."""
    import pyarrow.parquet as pq

    import origins.site
    from origins.tools.synth import generate

    generate(tmp_path / "p", REPO, 300, seed=3)
    code, _ = build(tmp_path / "p", tmp_path / "out", str(tmp_path / "p" / "snapshots"))
    assert code == 0
    size = 12  # small pages, so that every list (people, organizations, sources, claims) splits too
    monkeypatch.setattr(origins.site, "PAGE", size)
    write_site_of(tmp_path / "out")
    site = tmp_path / "out" / "site"
    pages = {}
    for path in sorted(site.glob("*.html")):
        pages[path.name] = Anchors()
        pages[path.name].feed(path.read_text())
    index = (site / "index.html").read_text()
    assert '<article class="event"' not in index and 'aria-label="Timeline by year"' in index
    timeline = sorted(n for n in pages if n.startswith("timeline-"))
    events = pq.ParquetFile(tmp_path / "out" / "timeline.parquet").read().column("event_id").to_pylist()
    on = {}
    for name in timeline:
        articles = re.findall(r'<article class="event" id="([^"]+)"', (site / name).read_text())
        assert 0 < len(articles) <= size, name
        for e in articles:
            assert e not in on, f"{e} is on {on.get(e)} and {name}"
            on[e] = name
    assert sorted(on) == sorted(events)
    assert any(n.endswith("-2.html") for n in timeline), "some year holds more than one page"
    # the list pages split the same way: every row anchored on exactly one page of its list, the
    # pages chained by previous/next from the list's own name, and no link to a filter the
    # split index does not have
    rows = {
        "disputes": pq.ParquetFile(tmp_path / "out" / "claims.parquet").read().column("id").to_pylist(),
        "sources": pq.ParquetFile(tmp_path / "out" / "sources.parquet").read().column("id").to_pylist(),
        "people": pq.ParquetFile(tmp_path / "out" / "people.parquet").read().column("id").to_pylist(),
        "organizations": pq.ParquetFile(tmp_path / "out" / "organizations.parquet").read().column("id").to_pylist(),
    }
    for stem, ids in rows.items():
        split = sorted(n for n in pages if re.fullmatch(rf"{stem}(-\d+)?\.html", n))
        assert len(split) == -(-len(ids) // size) > 1, (stem, split)
        anchored = [i for n in split for i in ids if i in pages[n].ids]
        assert sorted(anchored) == sorted(ids), stem  # each id on exactly one page
        chain, page = [], f"{stem}.html"
        while page:
            chain.append(page)
            nxt = re.search(r'<a href="([^"]+)" rel="next">', (site / page).read_text())
            page = nxt[1] if nxt else None
        assert sorted(chain) == split, stem
    assert any(len(re.findall(rf"{stem}-\d+\.html", " ".join(pages))) for stem in rows), "some list is split"
    assert not any("(only these on the timeline)" in (site / n).read_text() for n in pages)
    for name in timeline:  # each page's filters offer the people and organizations of its own events, no more
        text = (site / name).read_text()
        form, articles = text.split("</form>", 1)
        for field, attribute in (("person", "data-people"), ("org", "data-orgs")):
            listed = re.findall(r'<option value="([^"]+)"', form.split(f'name="{field}"')[1].split("</select>")[0])
            present = {i for v in re.findall(rf'{attribute}="([^"]*)"', articles) for i in v.split()}
            assert listed and set(listed) == present and len(listed) == len(set(listed)), (name, field)
    for name, p in pages.items():
        for v in p.links:
            if v.startswith(("http://", "https://")):
                continue
            path, _, fragment = v.partition("#")
            target = path.split("?")[0] or name
            assert (site / target).exists(), f"{name}: {v} is missing"
            if fragment and target.endswith(".html"):
                assert fragment in pages[target].ids, f"{name}: {v} points to no anchor"
    chain, page = [], timeline and re.search(r'href="([^"]+)"', index.split('aria-label="Timeline by year"')[1])[1]
    while page:
        chain.append(page)
        nxt = re.search(r'<a href="([^"]+)" rel="next">', (site / page).read_text())
        page = nxt[1] if nxt else None
    assert sorted(chain) == timeline and len(chain) == len(set(chain))


def test_compiled_templates_from_the_cache_give_the_same_pages(site, tmp_path, monkeypatch):
    """Jinja keeps compiled templates in the user's cache folder (origins.site.compiled_templates):
    pages rendered from a fresh cache, from the filled one, and with a cache folder that cannot be
    made are byte for byte the pages of the site fixture."""
    import origins.site

    build_dir = site.parent
    runs = {"fresh": tmp_path / "xdg", "filled": tmp_path / "xdg", "unwritable": tmp_path / "file"}
    (tmp_path / "file").write_text("a file where the cache folder would go")
    for label, home in runs.items():
        monkeypatch.setenv("XDG_CACHE_HOME", str(home))
        origins.site.environment.cache_clear()
        out = tmp_path / label
        shutil.copytree(build_dir, out, ignore=shutil.ignore_patterns("site"))
        write_site_of(out)
        for page in sorted(site.glob("*.html")):
            assert (out / "site" / page.name).read_bytes() == page.read_bytes(), (label, page.name)
        compiled = list((home / "openai-origins" / "templates").glob("*.cache")) if home.is_dir() else []
        assert bool(compiled) == (label != "unwritable"), label
    origins.site.environment.cache_clear()
