"""The contested questions, the board and the offices on the site and in the timeline, and the
ClaimReview structured data: on the repository's data, and on a copy with rows added (questions
and positions on them, a board seat with an unknown start, a participant acting in it), so every
case is met whatever the data holds today. Expected values come from the built Parquet files."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from markupsafe import escape

from origins.site import write_site_of
from test_site import chrome, loaded, needs_chromium, rewrite, severe, shown_events

from conftest import ARCHIVE, REPO, build, make_package, serve

pytestmark = pytest.mark.slow
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def rows_of(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def extend(root: Path) -> dict:
    """Rows added to a copy of the package, chosen from its own data (no id of today's data is
    assumed): the person in the most dated events gets a director seat on the configured board,
    held by a day a third of the way through their events (start unknown) until a day two thirds
    through; they act in it in an event between; two questions get positions (yes, no, in part,
    undecided) by them and by the board's organization, about their events."""
    raw = root / "raw"
    board = json.loads((root / "datapackage.json").read_text())["x-site"]["board"]["organization"]
    day = {e["id"]: e["date"] for e in rows_of(raw / "events.csv") if DAY.fullmatch(e["date"])}
    parts = rows_of(raw / "participants.csv")
    counts = Counter(p["party_id"] for p in parts if p["party_id"].startswith("per-") and p["event_id"] in day)
    person = counts.most_common(1)[0][0]
    theirs = sorted({p["event_id"] for p in parts if p["party_id"] == person and p["event_id"] in day}, key=day.get)
    n = len(theirs)
    start, middle, end = theirs[n // 3], theirs[n // 2], theirs[2 * n // 3]
    # the positions cite the latest source published on a known day, and are made that day
    source, made = max(
        ((s["id"], s["published"]) for s in rows_of(raw / "sources.csv") if s["tier"] != "excluded"),
        key=lambda s: (bool(DAY.fullmatch(s[1])), s[1]),
    )
    latest = max((e for e in theirs if day[e] <= made), key=day.get)  # a claim is not made before its event
    seat = "rol-site-test-board-seat"
    rewrite(
        raw / "roles.csv",
        add=(
            {
                "id": seat,
                "person_id": person,
                "organization_id": board,
                "title": "Board member (test)",
                "kind": "director",
                "start": f"../{day[start]}",
                "end": day[end],
            },
        ),
    )

    def acting(row):
        if row["event_id"] == middle and row["party_id"] == person:
            row["as_role"] = seat

    rewrite(raw / "participants.csv", acting)
    decided, open_ = "qst-site-test-decided", "qst-site-test-open"
    rewrite(
        raw / "questions.csv",
        add=(
            {
                "id": decided,
                "question": "Did the test decide it?",
                "status": "decided",
                "decided_by": middle,
                "record": "A test row.",
            },
            {"id": open_, "question": "Is it still open?", "status": "open", "record": "Another test row."},
        ),
    )

    def position(slug, claimant, question, answer, statement, event=""):
        return {
            "id": f"clm-site-test-{slug}",
            "claimant": claimant,
            "made_on": made,
            "about_event": event,
            "about_question": question,
            "answer": answer,
            "statement": statement,
            "status": "asserted",  # cited only as stated: the rubric's grade
            "prediction": "false",
        }

    claims = [
        position("yes", person, decided, "yes", "Yes, it did.", latest),
        position("no", board, decided, "no", "No, it did not.", latest),
        position("in-part", person, open_, "in-part", "In part.", theirs[0]),
        position("undecided", board, open_, "undecided", "For trial."),
        position("no-2", board, open_, "no", "Not at all."),
    ]
    rewrite(raw / "claims.csv", add=tuple(claims))
    cites = [{"row_id": c["id"], "source_id": source, "locator": "test", "stance": "states"} for c in claims]
    rewrite(raw / "citations.csv", add=(*cites, {"row_id": seat, "source_id": source, "locator": "test"}))
    from origins.read.canonical import format_dataset
    from origins.read.package import load

    format_dataset(load(root))
    return {"person": person, "seat": seat, "acting": middle, "questions": [decided, open_]}


@pytest.fixture(scope="module", params=["repository", "extended"])
def site(request, tmp_path_factory) -> Path:
    """The site of the repository's data, and of a copy with the rows of `extend` added."""
    root = REPO
    if request.param == "extended":
        root = make_package(tmp_path_factory.mktemp("x") / "pkg", REPO / "raw")
        extend(root)
    out = tmp_path_factory.mktemp("q") / "build"
    code, messages = build(root, out, ARCHIVE)
    assert code == 0, messages
    write_site_of(out)
    return out / "site"


def table(site: Path, name: str) -> list[dict]:
    return pq.read_table(site.parent / f"{name}.parquet").to_pylist()


def descriptor(site: Path) -> dict:
    return json.loads((site.parent / "datapackage.json").read_text())


def extended(site: Path) -> bool:
    return any(q["id"].startswith("qst-site-test-") for q in table(site, "questions"))


def section(text: str, tag: str, row_id: str) -> str:
    """The markup of the element `<tag ... id="row_id"` up to its closing tag (it holds no element of its kind)."""
    start = re.search(rf'<{tag} [^>]*id="{re.escape(row_id)}"', text).start()
    return text[start : text.index(f"</{tag}>", start)]


# --- the timeline's new columns --------------------------------------------------------------


def expected_board(site: Path) -> dict[str, list[str]]:
    """Who certainly sat on the configured board on each event's day, from roles.parquet alone."""
    org = descriptor(site)["x-site"]["board"]["organization"]
    seats = [r for r in table(site, "roles") if r["kind"] == "director" and r["organization_id"] == org]
    out = {}
    for e in table(site, "timeline"):
        d = e["date_earliest"]
        out[e["event_id"]] = sorted(
            {
                s["person_id"]
                for s in seats
                if d and s["start_latest"] and s["start_latest"] <= d
                if s["end"] is None or (s["end_earliest"] and s["end_earliest"] >= d)
            }
        )
    return out


def expected_questions(site: Path) -> dict[str, list[str]]:
    out = {e["event_id"]: set() for e in table(site, "timeline")}
    for q in table(site, "questions"):
        if q["decided_by"]:
            out[q["decided_by"]].add(q["id"])
    for c in table(site, "claims"):
        if c["about_event"] and c["about_question"]:
            out[c["about_event"]].add(c["about_question"])
    return {k: sorted(v) for k, v in out.items()}


def test_timeline_columns_follow_the_tables(site):
    tl = pq.read_table(site.parent / "timeline.parquet")
    for name in ("medium", "questions", "board", "participants"):
        assert tl.schema.field(name).metadata[b"description"], name
    rows = tl.to_pylist()
    assert {e["event_id"]: e["board"] for e in rows} == expected_board(site)
    assert {e["event_id"]: e["questions"] for e in rows} == expected_questions(site)
    events = {e["id"]: e for e in table(site, "events")}
    assert all(e["medium"] == events[e["event_id"]]["medium"] for e in rows)
    acting = {(p["event_id"], p["party_id"]): p["as_role"] for p in table(site, "participants")}
    assert all(p["as_role"] == acting[(e["event_id"], p["party_id"])] for e in rows for p in e["participants"])
    answers = {c["id"]: (c["about_question"], c["answer"]) for c in table(site, "claims")}
    assert all((c["about_question"], c["answer"]) == answers[c["claim_id"]] for e in rows for c in e["claims"])
    if extended(site):  # the rows added make every case occur
        assert any(e["board"] for e in rows) and any(e["questions"] for e in rows)
        assert any(p["as_role"] for e in rows for p in e["participants"])


# --- the questions page ------------------------------------------------------------------------


def test_questions_page_has_each_question_its_standing_and_positions_by_answer(site):
    from origins.read.meaning import Meaning
    from origins.site.context import published_schemas
    from origins.site.format import answer_words, question_status

    order = Meaning.parse(published_schemas(site.parent)).tables["claims"].column("answer").order

    text = (site / "questions.html").read_text()
    questions = table(site, "questions")
    claims = table(site, "claims")
    bearing = Counter(q for e in table(site, "timeline") for q in e["questions"])
    assert text.count('<section class="question"') == len(questions)
    assert f"<p>{len(questions)} contested question" in text
    for q in questions:
        body = section(text, "section", q["id"])
        assert f'<h2 id="h-{q["id"]}">{escape(q["question"])}</h2>' in body
        assert f"<strong>{escape(question_status(q['status']))}</strong>" in body
        assert str(escape(q["record"])) in body
        if q["decided_by"]:
            assert f'href="index.html#{q["decided_by"]}"' in body
        if bearing[q["id"]]:
            shown = "This event" if bearing[q["id"]] == 1 else f"These {bearing[q['id']]} events"
            assert f'href="index.html?question={q["id"]}">{shown} on the timeline</a>' in body
        else:
            assert "index.html?question=" not in body
        positions = [c for c in claims if c["about_question"] == q["id"]]
        headings = re.findall(r"<h3>([^<]+) \((\d+)\)</h3>", body)
        answers = [a for a in order if any(c["answer"] == a for c in positions)]  # in the schema's order
        assert headings == [(answer_words(a), str(sum(c["answer"] == a for c in positions))) for a in answers]
        for c in positions:  # under its answer's heading, linked to its one anchor on the disputes page
            group = body.split(f"<h3>{answer_words(c['answer'])} (")[1].split("<h3>")[0]
            assert f'href="disputes.html#{c["id"]}"' in group and str(escape(c["statement"])) in group
    if extended(site):
        assert {"Yes", "No", "In part", "Undecided"} <= {h for h, _ in re.findall(r"<h3>([^<]+) \((\d+)\)</h3>", text)}


def test_claims_link_to_their_question_on_the_disputes_page_and_the_timeline(site):
    disputes = (site / "disputes.html").read_text()
    index = (site / "index.html").read_text()
    for c in table(site, "claims"):
        if not c["about_question"]:
            continue
        tag = re.search(rf'<(div|section) [^>]*id="{c["id"]}"', disputes).group(1)  # a dispute's head is a section
        assert f'href="questions.html#{c["about_question"]}"' in section(disputes, tag, c["id"])
        if c["about_event"]:
            event = section(index, "article", c["about_event"])
            items = re.findall(r'<li class="claim [^"]*">.*?</li>', event)
            own = f'</span> <a class="id" href="disputes.html#{c["id"]}">'  # not a link to the claim it disputes
            assert f'href="questions.html#{c["about_question"]}"' in next(i for i in items if own in i)


def test_each_event_says_who_sat_on_the_board_and_in_which_office(site):
    index = (site / "index.html").read_text()
    label = descriptor(site)["x-site"]["board"]["label"]
    titles = {r["id"]: r["title"] for r in table(site, "roles")}
    marked = 0
    for e in table(site, "timeline"):
        article = section(index, "article", e["event_id"])
        ids = list(dict.fromkeys(p["party_id"] for p in e["participants"]))
        assert f'data-board="{" ".join(i for i in ids if i in e["board"])}"' in article
        assert f'data-questions="{" ".join(e["questions"])}"' in article
        who = re.search(r'<p class="who">.*?</p>', article).group(0) if e["participants"] else ""
        on_board = sum(p["party_id"] in e["board"] for p in e["participants"])
        assert who.count(f'<span class="board">on {escape(label)}</span>') == on_board
        marked += on_board
        for p in e["participants"]:
            if p["as_role"]:
                assert f'as <a href="people.html#{p["as_role"]}">{escape(titles[p["as_role"]])}</a>' in who
    if extended(site):
        assert marked and any(p["as_role"] for e in table(site, "timeline") for p in e["participants"])


# --- the people page's time lines of roles --------------------------------------------------


def test_roles_are_drawn_on_a_time_line_with_a_text_equivalent(site):
    from origins.site.format import role_text

    text = (site / "people.html").read_text()
    roles = table(site, "roles")
    names = {r["id"]: r["name"] for t in ("people", "organizations") for r in table(site, t)}
    days = [d for e in table(site, "timeline") for d in (e["date_earliest"], e["date_latest"]) if d]
    first, last = min(days).year, max(days).year
    key = text.index('<div class="roles-key">')
    legend = text[key : text.index("</div>", key)]
    assert f"from {first} to {last}" in legend
    assert "the start is not known" in legend and "no end is known" in legend
    assert text.count('id="role-fade-in"') == 1 and text.count('id="role-fade-out"') == 1
    for pid in {r["person_id"] for r in roles}:
        body = section(text, "section", pid)
        held = [r for r in roles if r["person_id"] == pid]
        svg = re.search(r'<svg class="roleline".*?</svg>', body, re.S).group(0)
        assert 'role="img"' in svg and f"{escape(names[pid])}: roles on a time line from {first} to {last}" in svg
        bars = re.findall(r"<g><title>([^<]*)</title>(.*?)</g>", svg)
        assert len(bars) == len(held)
        for r in held:
            words = role_text(r | {"organization": names[r["organization_id"]]})
            assert str(escape(words)) in [t for t, _ in bars]
            parts = dict(bars)[str(escape(words))]
            assert ('class="open-start"' in parts) == (r["start_earliest"] is None)  # held by then, start unknown
            assert ('class="open-end"' in parts) == (r["end"] is None or r["end_latest"] is None)
            item = re.search(rf'<li id="{r["id"]}">.*?</li>', body).group(0)  # the text equivalent
            assert escape(r["title"]) in item and escape(names[r["organization_id"]]) in item
    if extended(site):
        assert 'class="open-start"' in text


@pytest.mark.parametrize(
    ("start", "end", "parts"),
    [
        ("2015-12-11", "2018-02-20", ["held"]),  # both ends known to the day
        ("2017-03", "", ["vague", "open-end"]),  # a month's range, then no known end
        ("../2019-03-06", "2023-03", ["open-start", "held", "vague"]),  # held by then, start unknown
        ("2019-03/2023-03", "2023-03", ["vague"]),  # the ranges overlap: no day is certain
        ("2016", "2020/..", ["vague", "held", "open-end"]),  # an end with no latest day
    ],
)
def test_a_role_bar_shows_what_its_dates_say(start, end, parts):
    from origins.core.edtf import parse
    from origins.site.roleline import segments

    s, e = parse(start), parse(end) if end else None
    role = {"start": start, "end": end or None, "start_earliest": s.earliest, "start_latest": s.latest}
    role |= {"end_earliest": e.earliest if e else None, "end_latest": e.latest if e else None}
    drawn = segments(role, 2014, 2026)
    assert [k for k, _, _ in drawn] == parts
    assert all(a <= b for _, a, b in drawn)


# --- ClaimReview --------------------------------------------------------------------------------


def reviews(site: Path) -> list[dict]:
    text = (site / "disputes.html").read_text()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    out = []
    for block in blocks:
        data = json.loads(block)
        out += data if isinstance(data, list) else [data]
    return out


def test_disputed_seed_claims_are_reviewed_in_json_ld(site):
    d = descriptor(site)
    seed = d["x-site"]["corrected"]["claimant"]
    claims = {c["id"]: c for c in table(site, "claims")}
    sources = {s["id"]: s for s in table(site, "sources")}
    names = {r["id"]: r["name"] for t in ("people", "organizations") for r in table(site, t)}
    cites = [c for c in table(site, "citations") if c["row_id"] in claims]
    disputed = {c["id"] for c in claims.values() if c["claimant"] == seed and c["status"] == "disputed"}
    found = reviews(site)
    assert {r["url"].rpartition("#")[2] for r in found} == disputed and len(found) == len(disputed)
    for r in found:
        cid = r["url"].rpartition("#")[2]
        claim = claims[cid]
        # what Google requires of a ClaimReview, and what schema.org types it
        assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
        home = d.get("homepage")  # an absolute address under it, else one relative to the page
        assert r["url"] == (f"{home.rstrip('/')}/disputes.html#{cid}" if home else f"disputes.html#{cid}")
        assert r["claimReviewed"] == claim["statement"]
        assert r["datePublished"] == d["created"][:10]
        assert r["author"] == {"@type": "Organization", "name": d["contributors"][0]["title"]}
        item = r["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"] == {"@type": "Person", "name": names[seed]}
        made = claim["made_on"] if DAY.fullmatch(claim["made_on"]) else claim["made_on_earliest"].isoformat()
        assert item["datePublished"] == made
        stated = [sources[c["source_id"]]["url"] for c in cites if c["row_id"] == cid and c["stance"] == "states"]
        assert item.get("appearance") == next((u for u in stated if u), None)
        backed = any(
            c["stance"] in ("supports", "supports-in-part")
            and sources[c["source_id"]]["tier"] != "excluded"
            and sources[c["source_id"]]["party"] != seed
            for c in cites
            if c["row_id"] == cid
        )
        rating = r["reviewRating"]
        assert rating["@type"] == "Rating" and (rating["bestRating"], rating["worstRating"]) == (5, 1)
        assert (rating["ratingValue"], rating["alternateName"]) == ((2, "Mostly false") if backed else (1, "False"))


def test_a_review_is_addressed_under_the_homepage_when_there_is_one(site):
    from origins.site.context import site_context
    from origins.site.review import claim_reviews

    d = descriptor(site)
    ctx = site_context(site.parent) | {"site": d["x-site"]}
    relative = claim_reviews(ctx, d | {"homepage": None})
    absolute = claim_reviews(ctx, d | {"homepage": "https://example.org/origins/"})
    assert relative and [r["url"] for r in relative] == [
        r["url"].removeprefix("https://example.org/origins/") for r in absolute
    ]
    assert all(r["url"].startswith("disputes.html#clm-") for r in relative)
    assert claim_reviews(ctx, d | {"homepage": "javascript:alert(1)"}) == relative  # only http(s) is an address


def test_claim_reviews_expand_as_json_ld(site):
    """Read as linked data by a JSON-LD processor (rdflib's, which the lock carries for mlcroissant)
    with the context given inline: no network. Each review is a schema.org ClaimReview with the
    claim it reviews and a rating of 1 or 2."""
    import json

    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    schema = Namespace("https://schema.org/")
    found = reviews(site)
    assert {r.pop("@context") for r in found} == {"https://schema.org"}  # replaced by a local one
    doc = {"@context": {"@vocab": "https://schema.org/", "url": {"@type": "@id"}}, "@graph": found}
    g = Graph().parse(data=json.dumps(doc), format="json-ld", base="https://example.org/")
    nodes = list(g.subjects(RDF.type, schema.ClaimReview))
    assert len(nodes) == len(found)
    for node in nodes:
        assert str(g.value(node, schema.claimReviewed))
        rating = g.value(node, schema.reviewRating)
        assert g.value(rating, schema.ratingValue).toPython() in (1, 2)
        assert isinstance(g.value(node, schema.url), URIRef)


# --- the filters, in a real browser ---------------------------------------------------------


@pytest.fixture(scope="module")
def served(site):
    with serve(site) as url:
        yield url


@needs_chromium
def test_question_and_board_filters_are_kept_in_a_shared_address(site, served, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    events = table(site, "timeline")
    every = [e["event_id"] for e in events]
    on_board = [e["event_id"] for e in events if {p["party_id"] for p in e["participants"]} & set(e["board"])]
    asked = Counter(q for e in events for q in e["questions"])
    browser = chrome(tmp_path / "a")
    try:
        browser.get(served + "index.html")
        loaded(browser)  # the script has run, so a click now filters
        board = browser.find_element(By.NAME, "board")
        board.click()
        assert browser.current_url == served + "index.html?board=1"
        assert shown_events(browser) == on_board
        assert browser.find_element(By.ID, "count").text == f"{len(on_board)} of {len(events)} events shown"
        if extended(site):
            assert 0 < len(on_board) < len(events)
        if not asked:  # no question bears on an event: the page offers no question filter
            assert browser.find_elements(By.NAME, "question") == []
            return
        question = asked.most_common(1)[0][0]
        text = next(q["question"] for q in table(site, "questions") if q["id"] == question)
        Select(browser.find_element(By.NAME, "question")).select_by_value(question)
        both = [e for e in on_board if question in next(x["questions"] for x in events if x["event_id"] == e)]
        assert browser.current_url.endswith("?question=" + question + "&board=1")
        assert shown_events(browser) == both
        board.click()  # untick: the question alone
        only = [e["event_id"] for e in events if question in e["questions"]]
        assert browser.current_url.endswith("?question=" + question) and shown_events(browser) == only
        assert browser.find_element(By.ID, "count").text == f"{len(only)} of {len(events)} events shown"
        browser.back()
        assert shown_events(browser) == both and board.is_selected()
        shared = browser.current_url
        assert severe(browser) == []
    finally:
        browser.quit()
    other = chrome(tmp_path / "b")  # someone else opens the shared address
    try:
        other.get(shared)
        # the filters apply when the page's script has run: wait for its count (under two parallel
        # CI runs this read once found no event shown yet)
        said = f"{len(both)} of {len(events)} events shown"
        WebDriverWait(other, 10).until(lambda d: d.find_element(By.ID, "count").text == said)
        assert shown_events(other) == both
        assert Select(other.find_element(By.NAME, "question")).first_selected_option.text == text
        assert other.find_element(By.NAME, "board").is_selected()
        assert other.find_element(By.ID, "count").text == f"{len(both)} of {len(events)} events shown"
        other.get(served + "index.html?question=qst-nowhere&board=0")  # unknown values: everything
        # the filters apply when the page's script has run: wait for its count (seen once to lag under load)
        WebDriverWait(other, 10).until(lambda d: d.find_element(By.ID, "count").text.startswith(f"{len(every)} of"))
        assert shown_events(other) == every and not other.find_element(By.NAME, "board").is_selected()
        assert severe(other) == []
    finally:
        other.quit()
