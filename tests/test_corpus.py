"""The bad-input corpus: one defect each in a copy of the minimal valid fixture, and the
exact located findings it must produce (nothing more, nothing less)."""

from __future__ import annotations

import pytest

from conftest import FIXTURE, edit, located, run

SHA = next(
    line for line in (FIXTURE / "raw" / "sources.csv").read_text().splitlines() if line.startswith("src-doc")
).split(",")[15]

ALICE = "per-alice,Alice,Al;A.,Fixture person who makes the offer.,\n"
BOB = "per-bob,Bob,,Fixture person who answers.,\n"

# (id, [(file, old, new)], expected findings)
CASES = [
    ("SCH001-type", [("figures", "1000.50", "1000.5O")], ["raw/figures.csv:2:3 SCH001"]),
    ("SCH002-enum", [("events", "correspondence,", "chitchat,")], ["raw/events.csv:2:5 SCH002"]),
    ("SCH003-missing-cell", [("people", "answers.,", "answers.")], ["raw/people.csv:3:5 SCH003"]),
    ("SCH004-extra-cell", [("people", "answers.,", "answers.,,extra")], ["raw/people.csv:3:6 SCH004"]),
    (
        "SCH005-duplicate-id",
        [("organizations", "org-acme-lab,", "org-acme,")],
        ["raw/organizations.csv:3:0 SCH005"],
    ),
    (
        "SCH006-foreign-key",
        [("participants", "evt-2016-01-06-reply,org-acme", "evt-2016-01-06-nope,org-acme")],
        ["raw/participants.csv:4:1 SCH006"],  # the column of event_id (issue 16)
    ),
    ("SCH008-blank-line", [("people", "wikidata\n", "wikidata\n\n")], ["raw/people.csv:2:0 SCH008"]),
    (
        "SCH010-unknown-column",
        [
            ("people", "wikidata\n", "wikidata,twitter\n"),
            ("people", "makes the offer.,\n", "makes the offer.,,\n"),
            ("people", "who answers.,\n", "who answers.,,\n"),
        ],
        ["raw/people.csv:1:6 SCH010"],
    ),
    (
        "REF001-unknown-party",
        [("participants", "per-bob,recipient", "per-carol,recipient")],
        ["raw/participants.csv:3:2 REF001"],
    ),
    (
        "CIT001-uncited-event",
        [("citations", "evt-2016-01-06-reply,src-doc,line 3,,,\n", "")],
        ["raw/events.csv:3:1 CIT001", "raw/questions.csv:2:4 QST002"],
    ),
    (
        "CIT002-citation-to-nothing",
        [
            (
                "citations",
                "reply,src-doc,line 3,,,\n",
                "reply,src-doc,line 3,,,\nevt-2016-01-09-gone,src-doc,line 3,,,\n",
            )
        ],
        ["raw/citations.csv:7:1 CIT002"],
    ),
    (
        "CIT003-derived-from-cycle",
        [("sources", "primary,,doc.txt", "primary,src-later,doc.txt")],
        ["raw/sources.csv:2:14 CIT003"],
    ),
    (
        "CIT004-url-without-host",
        [("sources", "https://example.org/report", "https://localhost/report")],
        ["raw/sources.csv:3:6 CIT004"],
    ),
    (
        "CIT006-quote-not-in-archive",
        [("citations", "on 5 January 2016", "on 6 January 2016")],
        ["raw/citations.csv:2:4 CIT006"],
    ),
    ("CIT007-archive-hash-changed", [("sources", SHA, "0" * 64)], ["raw/sources.csv:2:16 CIT007"]),
    (
        "CIT009-snapshot-escapes",
        [("sources", "doc.txt", "../../etc/passwd")],
        ["raw/sources.csv:2:15 CIT009", "raw/sources.csv:2:15 SCH002"],
    ),
    (
        "CIT010-excluded-source",
        [("sources", "news-article,press", "news-article,excluded")],
        ["raw/citations.csv:4:2 CIT010"],
    ),
    (
        "CLM001-target-not-disputed",
        [("claims", "generous.,disputed", "generous.,asserted")],
        ["raw/claims.csv:2:9 CLM004", "raw/claims.csv:3:10 CLM001"],
    ),
    (
        "CLM003-claim-about-a-person-on-one-press-report",
        [
            ("sources", "email-compilation,primary", "email-compilation,press"),
            ("claims", "per-bob,2016-01-06,evt-2016-01-05-offer,", "per-bob,2016-01-06,evt-2016-01-05-offer,per-bob"),
        ],
        [
            "raw/claims.csv:2:9 CLM004",
            "raw/claims.csv:3:1 CLM003",
            "raw/claims.csv:3:9 CLM004",
            "raw/questions.csv:2:4 QST002",
        ],
    ),
    ("DAT010-role-ends-first", [("roles", "chair,2015,2017", "chair,2015,2014")], ["raw/roles.csv:2:7 DAT010"]),
    (
        "CIT001-uncited-role",
        [("citations", "rol-alice-acme-chair,src-doc,line 1,,,\n", "")],
        ["raw/roles.csv:2:1 CIT001"],
    ),
    (
        "CLM002-disputed-alone",
        [("claims", "confirmed,clm-alice-offer-large", "confirmed,")],
        ["raw/claims.csv:2:9 CLM002", "raw/claims.csv:2:9 CLM004"],
    ),
    (
        "CLM004-status-above-its-evidence",
        [
            ("citations", "too small.,supports,", "too small.,states,"),
            ("citations", "p. 1,,supports,", "p. 1,,states,"),
        ],
        [
            "raw/claims.csv:2:9 CLM004",
            "raw/claims.csv:3:9 CLM004",
        ],  # Bob falls to asserted, so Alice is no longer disputed
    ),
    (
        "CLM005-own-document-as-evidence",
        [
            ("sources", "Alice,Acme,,https://example.org/doc", "Alice,Acme,per-alice,https://example.org/doc"),
            ("citations", "5 January 2016,states,", "5 January 2016,supports,"),
        ],
        ["raw/citations.csv:2:5 CLM005"],
    ),
    (
        "CLM006-claim-citation-without-stance",
        [("citations", "p. 1,,supports,", "p. 1,,,")],
        ["raw/citations.csv:4:5 CLM006"],
    ),
    (
        "CLM007-stance-on-an-event",
        [("citations", "evt-2016-01-06-reply,src-doc,line 3,,,", "evt-2016-01-06-reply,src-doc,line 3,,supports,")],
        ["raw/citations.csv:6:5 CLM007"],
    ),
    (
        "QST001-settled-without-event",
        [("questions", "answered,evt-2016-01-06-reply,", "decided,,")],
        ["raw/questions.csv:2:4 QST001"],
    ),
    (
        "QST003-one-sided-question",
        [("claims", "qst-offer-enough,no,", "qst-offer-enough,yes,")],
        ["raw/questions.csv:2:1 QST003"],
    ),
    (
        "QST004-question-without-positions",
        [("questions", "note\n", "note\nqst-nobody-asked,Did anyone ask?,open,,Nobody did.,\n")],
        ["raw/questions.csv:2:1 QST004"],
    ),
    (
        "QST005-answer-without-question",
        [("claims", "qst-offer-enough,yes,", ",yes,"), ("claims", "qst-offer-enough,no,", "qst-offer-enough,,")],
        ["raw/claims.csv:2:7 QST005", "raw/claims.csv:3:7 QST005", "raw/questions.csv:2:1 QST003"],
    ),
    (
        "ROL001-role-of-another-person",
        [("participants", "per-bob,recipient,,", "per-bob,recipient,rol-alice-acme-chair,")],
        ["raw/participants.csv:3:4 ROL001"],
    ),
    (
        "ROL002-event-outside-role",
        [("roles", "chair,2015,2017", "chair,2015,2015")],
        ["raw/participants.csv:2:4 ROL002"],
    ),
    (
        "EML006-message-without-sender",
        [("participants", "evt-2016-01-06-reply,per-bob,sender", "evt-2016-01-06-reply,per-bob,recipient")],
        ["raw/events.csv:3:6 EML006"],
    ),
    (
        "EML007-sender-without-medium",
        [("events", "correspondence,email,evt-2016-01-05-offer", "correspondence,,evt-2016-01-05-offer")],
        ["raw/events.csv:3:6 EML007"],
    ),
    ("DAT001-month-13", [("events", "2016-01-05,Alice", "2016-13-05,Alice")], ["raw/events.csv:2:2 DAT001"]),
    (
        "DAT001-february-30",
        [("events", "2016-01-05,Alice", "2017-02-30,Alice")],
        ["raw/events.csv:2:2 DAT001"],
    ),
    (
        "DAT001-unpadded",
        [("events", "2016-01-05,Alice", "2016-1-5,Alice")],
        ["raw/events.csv:2:2 DAT001", "raw/events.csv:2:2 SCH002"],
    ),
    ("DAT002-future", [("sources", "/report,,,2020-05", "/report,,,2027-05")], ["raw/sources.csv:3:9 DAT002"]),
    (
        "DAT003-reversed-interval",
        [("sources", "/report,,,2020-05", "/report,,,2021/2020")],
        ["raw/sources.csv:3:9 DAT003"],
    ),
    (
        "DAT004-event-after-source",
        [("events", "2016-01-06,Bob", "2016-01-11,Bob")],
        ["raw/citations.csv:6:2 DAT004"],
    ),
    (
        "DAT005-reply-before-offer",
        [("events", "2016-01-06,Bob", "2016-01-04,Bob")],
        ["raw/events.csv:3:7 DAT005"],
    ),
    (
        "DAT006-figure-after-event",
        [("figures", "org-acme,2016-01-05", "org-acme,2016-02-01")],
        ["raw/figures.csv:2:12 DAT006"],
    ),
    (
        "DAT007-claim-before-event",
        [("claims", "per-alice,2016-01-05", "per-alice,2016-01-04")],
        ["raw/claims.csv:2:3 DAT007"],
    ),
    (
        "DAT008-read-before-published",
        [("sources", "2016-01-10,2026-01-01", "2016-01-10,2016-01-09")],
        ["raw/sources.csv:2:10 DAT008"],
    ),
    (
        "DAT009-claim-without-its-document",
        [("claims", "per-bob,2016-01-06", "per-bob,2020-06")],
        ["raw/claims.csv:3:3 DAT009"],
    ),
    (
        "MON001-unknown-currency",
        [("figures", "money,USD,exact", "money,USX,exact")],
        ["raw/figures.csv:2:6 MON001"],
    ),
    (
        "MON002-money-without-currency",
        [("figures", "money,USD,exact", "money,,exact")],
        ["raw/figures.csv:2:6 MON002"],
    ),
    (
        "MON003-range-reversed",
        [("figures", "100000,200000", "300000,200000")],
        ["raw/figures.csv:3:4 MON003"],
    ),
    ("MON004-high-without-range", [("figures", "USD,range", "USD,about")], ["raw/figures.csv:3:7 MON004"]),
    ("MON005-too-precise", [("figures", "1000.50", "1000.505")], ["raw/figures.csv:2:3 MON005"]),
    (
        "MON006-readings-in-two-currencies",
        [
            ("figures", "2016-01-05,,true,", "2016-01-05,q,true,"),
            ("figures", "USD,range,per-year,raise,,,,,true,", "EUR,range,per-year,raise,,,,q,false,"),
        ],
        ["raw/figures.csv:2:15 MON008", "raw/figures.csv:3:6 MON006"],
    ),
    (
        "MON007-two-preferred-readings",
        [("figures", "2016-01-05,,true,", "2016-01-05,q,true,"), ("figures", "raise,,,,,true,", "raise,,,,q,true,")],
        ["raw/figures.csv:2:15 MON008", "raw/figures.csv:3:14 MON007"],
    ),
    (
        "MON007-lone-reading-not-preferred",
        [("figures", "2016-01-05,,true,", "2016-01-05,,false,")],
        ["raw/figures.csv:2:14 MON007"],
    ),
    (
        "MON008-disputed-preferred-reading-unexplained",
        [("figures", "2016-01-05,,true,", "2016-01-05,q,true,"), ("figures", "raise,,,,,true,", "raise,,,,q,false,")],
        ["raw/figures.csv:2:15 MON008"],
    ),
    (
        "TXT001-formula",
        [("events", "Bob says the offer is too small.", '"=HYPERLINK(""http://x"")"')],
        ["raw/events.csv:3:4 TXT001"],
    ),
    (
        "TXT002-trailing-space",
        [("people", "per-bob,Bob,", "per-bob,Bob ,")],
        ["raw/people.csv:3:0 FMT001", "raw/people.csv:3:2 TXT002"],
    ),
    (
        "FMT001-rows-out-of-order",
        [("people", ALICE + BOB, BOB + ALICE)],
        ["raw/people.csv:2:0 FMT001"],
    ),
    (
        "trailing-space-in-id",
        [("people", "per-bob,Bob,", "per-bob ,Bob,")],
        [
            "raw/claims.csv:3:2 REF001",
            "raw/participants.csv:3:2 REF001",
            "raw/participants.csv:5:2 REF001",
            "raw/people.csv:3:0 FMT001",
            "raw/people.csv:3:1 SCH002",
            "raw/people.csv:3:1 TXT002",
        ],
    ),
]


@pytest.mark.parametrize("edits,expected", [pytest.param(e, x, id=i) for i, e, x in CASES])
def test_each_defect_gives_exactly_its_finding(minimal, edits, expected):
    for table, old, new in edits:
        edit(minimal / "raw" / f"{table}.csv", old, new)
    result = run(minimal)
    assert sorted(located(result)) == sorted(expected)


def test_valid_fixture_has_no_finding(minimal):
    result = run(minimal)
    assert result.findings == []
    assert result.stats["quotes"] == {"total": 5, "verified": 5, "unverified": 0}


def test_possible_conflict_is_a_warning_that_says_so(minimal):
    edit(minimal / "raw" / "sources.csv", "2016-01-10,2026-01-01", "2016-01,2026-01-01")
    result = run(minimal)
    assert located(result) == ["raw/citations.csv:5:2 DAT004", "raw/citations.csv:6:2 DAT004"]
    assert all(f.severity == "warning" and "possible conflict" in f.message for f in result.findings)
    assert result.ok


def test_certain_conflict_message_explains_the_fix(minimal):
    edit(minimal / "raw" / "events.csv", "2016-01-06,Bob", "2016-01-11,Bob")
    (finding,) = run(minimal).findings
    assert finding.message == (
        "source src-doc was published 2016-01-10, but event evt-2016-01-06-reply begins 2016-01-11: "
        "a source cannot report a later event (certain conflict); check the event's date or cite a "
        "later source"
    )


def test_prediction_may_precede_its_event(minimal):
    edit(minimal / "raw" / "claims.csv", "per-alice,2016-01-05", "per-alice,2016-01-04")
    edit(minimal / "raw" / "claims.csv", "generous.,disputed,,false", "generous.,disputed,,true")
    assert run(minimal).findings == []


def test_unused_source_is_a_warning(minimal):
    path = minimal / "raw" / "sources.csv"
    path.write_text(path.read_text() + "src-unused,Unused,,X,,https://example.org/u,,,2019,,en,blog-post,press,,,,,,\n")
    result = run(minimal)
    assert located(result) == ["raw/sources.csv:4:1 CIT005"]
    assert result.ok


def test_strict_makes_unverifiable_quotes_errors(minimal):
    edit(minimal / "raw" / "citations.csv", "src-later,p. 1,,", "src-later,p. 1,Bob says it is small.,")
    assert run(minimal).findings == []
    assert located(run(minimal, strict=True)) == ["raw/citations.csv:4:4 CIT008"]


@pytest.mark.parametrize("table", ["figures", "people"])
def test_missing_file(minimal, table):
    (minimal / "raw" / f"{table}.csv").unlink()
    assert located(run(minimal)) == [f"raw/{table}.csv:0:0 PKG003"]


def test_bad_encoding(minimal):
    path = minimal / "raw" / "people.csv"
    path.write_bytes(path.read_bytes().replace(b"Bob", b"B\xf6b"))
    assert located(run(minimal)) == ["raw/people.csv:3:0 PKG004"]


def test_unclosed_quote(minimal):
    edit(minimal / "raw" / "people.csv", "per-bob,Bob,", 'per-bob,"Bob,')
    assert located(run(minimal)) == ["raw/people.csv:3:0 PKG005"]


def test_malformed_descriptor(minimal):
    path = minimal / "datapackage.json"
    path.write_text(path.read_text()[:200])
    (finding,) = run(minimal).findings
    assert (finding.path, finding.code) == ("datapackage.json", "PKG002")
    assert finding.line > 0 and "not valid JSON" in finding.message
