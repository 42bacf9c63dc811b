"""Messages a newcomer understands (issue 16): each names the bad value, says what to write
instead, suggests the id, value or column most likely meant, and lists every allowed value in full.

One defect each in a copy of the minimal fixture, and the exact full text of its finding
(findings of other codes the same defect causes are the corpus's business, tests/test_corpus.py)."""

from __future__ import annotations

import pytest

from origins.checks.validate import validate
from origins.core.findings import did_you_mean, render_github, render_text

from conftest import FIXTURE, TODAY, edit, run

PEOPLE_END = "Fixture person who answers.,\n"
PAUL = "per-paul-graham,Paul Graham,,Fixture person with a long id.,\n"  # the id of the example


# three edits that give people.csv a sixth column named `name`
def sixth_column(name: str) -> list[tuple[str, str, str]]:
    return [
        ("people", "wikidata\n", f"wikidata,{name}\n"),
        ("people", "makes the offer.,\n", "makes the offer.,,\n"),
        ("people", "who answers.,\n", "who answers.,,\n"),
    ]


# (id, [(file, old, new)], the finding as "path:line:column CODE message")
CASES = [
    (
        "SCH002-edtf-date",
        [("events", "evt-2016-01-05-offer,2016-01-05,", "evt-2016-01-05-offer,12/08/2015,")],
        "raw/events.csv:2:2 SCH002 date '12/08/2015' is not a date; write YYYY-MM-DD, or an EDTF form such as 2016-09~",
    ),
    (
        "SCH001-date",
        [("sources", "2016-01-10,2026-01-01", "2016-01-10,01/02/2026")],
        "raw/sources.csv:2:10 SCH001 accessed '01/02/2026' is not a date; write YYYY-MM-DD",
    ),
    (
        "SCH001-thousands-separator",
        [("figures", "1000.50", '"425,000"')],
        "raw/figures.csv:2:3 SCH001 amount '425,000' is not a number (did you mean '425000'?); write digits, with '.' for decimals and no thousands separators",
    ),
    (
        "SCH001-not-a-number",
        [("figures", "1000.50", "a thousand")],
        "raw/figures.csv:2:3 SCH001 amount 'a thousand' is not a number; write digits, with '.' for decimals and no thousands separators",
    ),
    (
        "SCH001-boolean",
        [("figures", "2016-01-05,,true,", "2016-01-05,,yes,")],
        "raw/figures.csv:2:14 SCH001 preferred 'yes' is not true or false; write true or false",
    ),
    (
        "SCH002-enum-case",
        [("events", "small.,correspondence,", "small.,Governance,")],
        "raw/events.csv:3:5 SCH002 category 'Governance' is not an allowed value (did you mean 'governance'?); use one of: correspondence, founding, funding, compensation, recruiting, compute, governance, restructuring, departure, litigation, publication, business",
    ),
    (
        "SCH002-enum-typo",
        [("sources", "news-article,press", "news-artcle,press")],
        "raw/sources.csv:3:12 SCH002 kind 'news-artcle' is not an allowed value (did you mean 'news-article'?); use one of: news-article, blog-post, social-post, court-filing, court-docket, email-compilation, tax-filing, press-release, newsletter, forum-post",
    ),
    (
        "SCH002-enum-unknown",
        [("events", "small.,correspondence,", "small.,chitchat,")],
        "raw/events.csv:3:5 SCH002 category 'chitchat' is not an allowed value; use one of: correspondence, founding, funding, compensation, recruiting, compute, governance, restructuring, departure, litigation, publication, business",
    ),
    (
        "SCH002-id-form",
        [("participants", "evt-2016-01-05-offer,per-bob,recipient", "evt-2016-01-05-offer,Per-Bob,recipient")],
        "raw/participants.csv:3:2 SCH002 party_id 'Per-Bob' is not in the form of an id (did you mean 'per-bob'?); write lowercase letters, digits and single hyphens, starting with per- or org-",
    ),
    (
        "SCH002-pattern-in-words",
        [("figures", "money,USD,exact", "money,US$,exact")],
        "raw/figures.csv:2:6 SCH002 currency 'US$' is not in the expected form; write a three-letter currency code in capitals, such as USD",
    ),
    (
        "SCH002-required",
        [("people", "per-bob,Bob,", "per-bob,,")],
        "raw/people.csv:3:2 SCH002 name is empty; fill it in, the column is required",
    ),
    (
        "SCH002-too-long",
        [("people", "per-bob,Bob,", "per-bob," + "B" * 301 + ",")],
        "raw/people.csv:3:2 SCH002 name 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB…' is 301 characters long; shorten it to 300 at most",
    ),
    (
        "SCH002-minimum",
        [("figures", "1000.50", "-5")],
        "raw/figures.csv:2:3 SCH002 amount '-5' is below the minimum; write 0 or more",
    ),
    (
        "SCH003-missing-cell",
        [("people", "answers.,", "answers.")],
        "raw/people.csv:3:5 SCH003 the row has no cell for wikidata; add the missing commas",
    ),
    (
        "SCH004-extra-cell",
        [("people", "answers.,", "answers.,,extra")],
        "raw/people.csv:3:6 SCH004 the row has a cell 'extra' beyond the header; quote cells that contain commas",
    ),
    (
        "SCH005-duplicate-id",
        [("organizations", "org-acme-lab,", "org-acme,")],
        "raw/organizations.csv:3:0 SCH005 id 'org-acme' is already used on line 2; choose a new id or remove the duplicate row",
    ),
    (
        "SCH005-duplicate-key",
        [("participants", "evt-2016-01-05-offer,per-bob,recipient", "evt-2016-01-05-offer,per-alice,sender")],
        "raw/participants.csv:3:0 SCH005 the key event_id, party_id, role ('evt-2016-01-05-offer', 'per-alice', 'sender') is already used on line 2; change one of them or remove the duplicate row",
    ),
    (
        "SCH006-foreign-key",
        [("people", PEOPLE_END, PEOPLE_END + PAUL), ("roles", "chair,per-alice,", "chair,per-paul-grahm,")],
        "raw/roles.csv:2:2 SCH006 person_id 'per-paul-grahm' is not an id in people.csv (did you mean 'per-paul-graham'?); use an existing id or add that row first",
    ),
    (
        "SCH006-foreign-key-same-table",
        [("events", "correspondence,email,evt-2016-01-05-offer", "correspondence,email,evt-2016-01-05-ofer")],
        "raw/events.csv:3:7 SCH006 in_response_to 'evt-2016-01-05-ofer' is not an id in events.csv (did you mean 'evt-2016-01-05-offer'?); use an existing id or add that row first",
    ),
    (
        "SCH006-foreign-key-nothing-close",
        [("participants", "evt-2016-01-06-reply,org-acme", "evt-2019-03-meeting,org-acme")],
        "raw/participants.csv:4:1 SCH006 event_id 'evt-2019-03-meeting' is not an id in events.csv; use an existing id or add that row first",
    ),
    (
        "SCH008-blank-line",
        [("people", "wikidata\n", "wikidata\n\n")],
        "raw/people.csv:2:0 SCH008 the line is empty; remove it",
    ),
    (
        "SCH009-missing-column",
        [
            ("people", ",wikidata\n", "\n"),
            ("people", "makes the offer.,\n", "makes the offer.\n"),
            ("people", "who answers.,\n", "who answers.\n"),
        ],
        "raw/people.csv:1:5 SCH009 the header lacks the column 'wikidata'; add it in schema order",
    ),
    (
        "SCH010-unknown-column",
        sixth_column("wikdata"),
        "raw/people.csv:1:6 SCH010 the header has a column 'wikdata' the schema does not declare (did you mean 'wikidata'?); remove it or add it to the schema",
    ),
    (
        "SCH010-unknown-column-nothing-close",
        sixth_column("twitter"),
        "raw/people.csv:1:6 SCH010 the header has a column 'twitter' the schema does not declare; remove it or add it to the schema",
    ),
    (
        "SCH010-repeated-column",
        sixth_column("name"),
        "raw/people.csv:1:6 SCH010 the header has the column 'name' twice; remove the second one",
    ),
    (
        "SCH010-unnamed-column",
        sixth_column(""),
        "raw/people.csv:1:6 SCH010 column 6 of the header has no name; remove the column or name it",
    ),
    (
        "SCH011-misspelt-column",
        [("people", "wikidata\n", "wikidta\n")],
        "raw/people.csv:1:5 SCH011 column 5 is named 'wikidta', but the schema calls it 'wikidata'; use the schema's column names in order",
    ),
    (
        "REF001-unknown-party",
        [("people", PEOPLE_END, PEOPLE_END + PAUL), ("participants", "per-bob,recipient", "per-paul-grahm,recipient")],
        "raw/participants.csv:3:2 REF001 party_id 'per-paul-grahm' is neither in people.csv nor in organizations.csv (did you mean 'per-paul-graham'?); add that person or organization first, or fix the id",
    ),
    (
        "REF001-nothing-close",
        [("participants", "per-bob,recipient", "per-carol,recipient")],
        "raw/participants.csv:3:2 REF001 party_id 'per-carol' is neither in people.csv nor in organizations.csv; add that person or organization first, or fix the id",
    ),
    (
        "CIT002-citation-to-nothing",
        [
            (
                "citations",
                "reply,src-doc,line 3,,,\n",
                "reply,src-doc,line 3,,,\nevt-2016-01-06-repyl,src-doc,line 9,,,\n",
            )
        ],
        "raw/citations.csv:7:1 CIT002 row_id 'evt-2016-01-06-repyl' is not an id in events.csv (did you mean 'evt-2016-01-06-reply'?); cite an existing row or add the row first",
    ),
    (
        "CIT002-no-table-prefix",
        [
            (
                "citations",
                "reply,src-doc,line 3,,,\n",
                "reply,src-doc,line 3,,,\nev-2016-01-06-reply,src-doc,line 9,,,\n",
            )
        ],
        "raw/citations.csv:7:1 CIT002 row_id 'ev-2016-01-06-reply' does not start with a table prefix (did you mean 'evt-2016-01-06-reply'?); start it with one of src-, per-, org-, rol-, evt-, qst-, clm-, fig-",
    ),
]


def shown(result, code: str) -> list[str]:
    """The findings of one code as 'path:line:column CODE message'."""
    return [f"{f.path}:{f.line}:{f.column} {f.code} {f.message}" for f in result.findings if f.code == code]


@pytest.mark.parametrize("edits,expected", [pytest.param(e, x, id=i) for i, e, x in CASES])
def test_message_names_the_value_and_the_fix(minimal, edits, expected):
    for table, old, new in edits:
        edit(minimal / "raw" / f"{table}.csv", old, new)
    code = expected.split()[1]
    assert shown(run(minimal), code) == [expected]
    # the same words whichever engine checks the schemas (the fast one is run's default)
    reference = validate(minimal, str(FIXTURE / "snapshots"), on=TODAY, engine="frictionless")
    assert shown(reference, code) == [expected]


def test_case_is_tried_before_similarity():
    # difflib compares letters case by case and finds nothing here; a change of case is the likelier slip
    assert did_you_mean("PRIMARY", ["primary", "press"]) == " (did you mean 'primary'?)"
    assert did_you_mean(" per-bob", ["per-bob"]) == " (did you mean 'per-bob'?)"
    assert did_you_mean("per-carol", ["per-alice", "per-bob"], cutoff=0.8) == ""


def test_messages_render_as_github_annotations(minimal):
    edit(minimal / "raw" / "events.csv", "small.,correspondence,", "small.,Governance,")
    (finding,) = run(minimal).findings
    assert render_github(finding) == (
        "::error file=raw/events.csv,line=3,col=5,title=SCH002::category 'Governance' is not an allowed value "
        "(did you mean 'governance'?); use one of: correspondence, founding, funding, compensation, recruiting, "
        "compute, governance, restructuring, departure, litigation, publication, business"
    )


def test_a_value_with_a_line_break_stays_on_one_line(minimal):
    edit(minimal / "raw" / "events.csv", "small.,correspondence,", 'small.,"50%\ngovernance",')
    (finding,) = [f for f in run(minimal).findings if f.code == "SCH002"]
    assert render_text(finding) == (
        "raw/events.csv:3:5: SCH002 category '50%\\ngovernance' is not an allowed value (did you mean 'governance'?); "
        "use one of: "
        "correspondence, founding, funding, compensation, recruiting, compute, governance, restructuring, "
        "departure, litigation, publication, business"
    )
    assert render_github(finding).startswith(
        "::error file=raw/events.csv,line=3,col=5,title=SCH002::category '50%25\\ngovernance' is not"
    )
