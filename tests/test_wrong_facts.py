"""Rows that are well formed, refer to things that exist, and are wrong (issue 23): each check that
compares a row with the evidence it holds, or follows a reference to its end, with bad input and
the exact finding it must give. Header parties (EML008) are tested in test_emails.py, beside its
compilation fixture; the same checks on the committed data, in test_mutations.py."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from origins.archive import places
from origins.core import quoted

from conftest import edit, located, run


def messages(result, code):
    return [f.message for f in result.findings if f.code == code]


# --- numbers in quotes (MON009) -------------------------------------------------------------


def test_a_figure_that_disagrees_with_its_quote_is_found(minimal):
    edit(
        minimal / "raw" / "figures.csv",
        "fig-offer,evt-2016-01-05-offer,1000.50,",
        "fig-offer,evt-2016-01-05-offer,100.50,",
    )
    result = run(minimal)
    assert located(result) == ["raw/figures.csv:2:3 MON009"]
    assert messages(result, "MON009") == [
        "fig-offer gives amount $100.5 (exact), but the quote of its citation of src-doc (line 2) states "
        "'1,000.50 dollars'; correct the amount, or cite a quote that states it"
    ]


def test_a_figure_in_another_currency_than_its_quote_is_found(minimal):
    edit(minimal / "raw" / "figures.csv", "1000.50,,money,USD,", "1000.50,,money,EUR,")
    result = run(minimal)
    assert located(result) == ["raw/figures.csv:2:6 MON009"]
    assert messages(result, "MON009") == [
        "fig-offer is in EUR, but the quote of its citation of src-doc (line 2) states US dollars ('1,000.50 "
        "dollars'); correct the currency, or cite a quote in EUR"
    ]


@pytest.mark.parametrize(
    "quote,amount,qualifier,agrees",
    [
        ("$97.4 billion", "97375000000", "about", True),  # within the rounding the quote shows
        ("$97.4 billion", "97500000000", "about", True),  # within 5 %
        ("$97.4 billion", "90000000000", "about", False),
        ("more than $44 million", "44000000", "more-than", True),
        ("$44+ million", "44000000", "more-than", True),
        ("$44 million", "45000000", "exact", False),
        ("$425,000", "425000", "exact", True),
        ("$425,000", "425001", "exact", False),
        ("$20MM a year", "20000000", "exact", True),
        ("$275k salary", "275000", "exact", True),
        ("a 1 billion dollar investment", "1000000000", "exact", True),
        ("50 million US dollars", "50000000", "exact", True),
        ("$US38 million ($53 million)", "38000000", "about", True),
        ("between $37,799,400 and $38,191,066", "38000000", "about", True),
    ],
)
def test_quoted_money_agrees_within_what_the_qualifier_allows(quote, amount, qualifier, agrees):
    numbers = quoted.money(quote)
    assert numbers, quote
    assert any(n.agrees(Decimal(amount), qualifier) for n in numbers) is agrees


def test_percentages_multiples_and_days_are_read():
    assert [n.value for n in quoted.percents("a 51.2% stake, 50% to 60%, 25bps")] == [
        Decimal("51.2"),
        Decimal("50"),
        Decimal("60"),
        Decimal("0.25"),
    ]
    assert [n.value for n in quoted.multiples("100x target redemption, 100 times each")] == [100, 100]
    assert [str(d) for d, _ in quoted.days("On July 22, 2019; 4 Feb. 2025; 2020-09-14; 01/02/2016; Feb 30, 2016")] == [
        "2019-07-22",
        "2025-02-04",
        "2020-09-14",
        "2016-01-02",
    ]
    assert quoted.money("the 2023 report, 100m in a URL") == []  # no dollar sign, no "dollars": not money


def test_a_range_figure_is_held_to_both_ends(minimal):
    """The fixture's range quote prints no dollar sign; with one (the text and its sha256 changed to
    match), both ends of the range are compared."""
    import hashlib
    import shutil

    from conftest import FIXTURE

    snaps = minimal / "snap"
    shutil.copytree(FIXTURE / "snapshots", snaps)
    old = (snaps / "doc.txt").read_text(encoding="utf-8")
    new = old.replace("Raises of 100,000 to 200,000", "Raises of $100,000 to $200,000")
    (snaps / "doc.txt").write_text(new, encoding="utf-8")
    raw = minimal / "raw"
    edit(raw / "sources.csv", hashlib.sha256(old.encode()).hexdigest(), hashlib.sha256(new.encode()).hexdigest())
    edit(raw / "citations.csv", '"Raises of 100,000 to 200,000', '"Raises of $100,000 to $200,000')
    assert located(run(minimal, snaps)) == []
    edit(raw / "figures.csv", "100000,200000,money", "100000,250000,money")
    result = run(minimal, snaps)
    assert located(result) == ["raw/figures.csv:3:4 MON009"]
    assert "fig-raise-range gives amount_high $250,000 (range)" in messages(result, "MON009")[0]
    assert "states '$100,000 to $200,000'" in messages(result, "MON009")[0]


# --- days in quotes (DAT011) ----------------------------------------------------------------


def test_an_event_off_the_day_its_quote_names_is_found(minimal):
    raw = minimal / "raw"
    edit(
        raw / "citations.csv",
        "evt-2016-01-05-offer,src-doc,line 2,Alice wrote to Bob,",
        "evt-2016-01-05-offer,src-doc,line 2,Alice wrote to Bob on 5 January 2016,",
    )
    assert located(run(minimal)) == []
    edit(raw / "events.csv", "evt-2016-01-05-offer,2016-01-05,", "evt-2016-01-05-offer,2016-01-04,")
    result = run(minimal)
    assert "raw/events.csv:2:2 DAT011" in located(result)
    assert messages(result, "DAT011") == [
        "event evt-2016-01-05-offer is dated 2016-01-04, but its quotes name '5 January 2016' and no other day; "
        "correct the date, or say in the citation's note what the quoted day is (a deadline the order sets, the "
        "day of what a filing recites)"
    ]
    # a note that says what the quoted day is answers it
    edit(
        raw / "citations.csv",
        "Alice wrote to Bob on 5 January 2016,,",
        "Alice wrote to Bob on 5 January 2016,,The day of the email she recalls.",
    )
    assert "DAT011" not in {f.code for f in run(minimal).findings}
    # but a note explains only its own citation: another quote naming another day is still held to it
    with (raw / "citations.csv").open("a", encoding="utf-8") as fh:
        fh.write('evt-2016-01-05-offer,src-later,p. 2,"The offer was made on 6 January 2016.",,\n')
    result = run(minimal)
    assert "raw/events.csv:2:2 DAT011" in located(result)
    assert "its quotes name '6 January 2016' and no other day" in messages(result, "DAT011")[0]


# --- locators (CIT011, CIT012) ----------------------------------------------------------------


def test_a_locator_past_the_end_of_the_text_is_found(minimal):
    edit(
        minimal / "raw" / "citations.csv", "clm-bob-offer-small,src-doc,line 3,", "clm-bob-offer-small,src-doc,line 9,"
    )
    result = run(minimal)
    assert located(result) == ["raw/citations.csv:3:3 CIT011"]
    assert messages(result, "CIT011") == [
        "locator 'line 9' names no place of the archived text of src-doc: the text has 4 lines; see the locator "
        "forms in docs/checks.md"
    ]


def test_a_quote_at_another_place_than_its_locator_is_found(minimal):
    edit(minimal / "raw" / "citations.csv", "fig-raise-range,src-doc,line 4,", "fig-raise-range,src-doc,line 3,")
    result = run(minimal)
    assert located(result) == ["raw/citations.csv:8:3 CIT011"]
    assert messages(result, "CIT011") == [
        "the quote is not in line 3 of src-doc but in line 4; point the locator at the place that has it"
    ]


def test_a_locator_of_an_unarchived_text_in_no_form_is_a_warning(minimal):
    edit(
        minimal / "raw" / "citations.csv",
        "clm-bob-offer-small,src-later,p. 1,",
        "clm-bob-offer-small,src-later,bullet 3,",
    )
    result = run(minimal)
    assert located(result) == ["raw/citations.csv:4:3 CIT012"]
    assert result.findings[0].severity == "warning"
    assert messages(result, "CIT012")[0].startswith(
        "locator 'bullet 3': 'bullet 3' is a bullet, which a news-article does not have"
    )
    edit(minimal / "raw" / "citations.csv", "src-later,bullet 3,", "src-later,p. 7 of 5,")
    assert "'p. 7 of 5' names a page after the last" in messages(run(minimal), "CIT012")[0]


def test_every_documented_locator_form_parses_as_itself():
    for form, example in places.EXAMPLES.items():
        assert [p.form for p in places.parse(example)] == [form], example
    assert places.EXAMPLES.keys() == places.GRAMMAR.keys()
    assert [p.form for p in places.parse("p. 13 of 53, undisputed fact 43, row 1/2/3")] == [
        "page",
        "undisputed fact",
        "table row",
    ]
    assert [p.form for p in places.parse("entry for December 31, 2017")] == ["dated entry"]


def test_paragraphs_skip_headings_images_and_captions():
    text = "Title: x\n\nMarkdown Content:\nOne.\n\n### Head\n\n![Image 1](blob:x)\n\n_A caption._\n\nPhoto by A / B\n\nTwo.\n"
    spans = places.paragraphs(text)
    assert [text[a:b] for a, b in spans] == ["One.", "Two."]
    plain = "Headline\nFirst line.\nSecond line.\n"
    assert [plain[a:b] for a, b in places.paragraphs(plain)] == [
        "First line.",
        "Second line.",
    ]


# --- references and orders (REF002, REL007, REL008) -----------------------------------------


def test_an_event_that_answers_itself_is_found(minimal):
    edit(minimal / "raw" / "events.csv", ",email,evt-2016-01-05-offer", ",email,evt-2016-01-06-reply")
    result = run(minimal)
    assert "raw/events.csv:3:7 REF002" in located(result)
    assert messages(result, "REF002") == [
        "evt-2016-01-06-reply names itself in in_response_to; a row cannot answer itself: name another row or "
        "leave it empty"
    ]


def test_two_claims_that_dispute_each_other_are_found(minimal):
    edit(minimal / "raw" / "claims.csv", "generous.,disputed,,false", "generous.,disputed,clm-bob-offer-small,false")
    result = run(minimal)
    assert {"raw/claims.csv:2:10 REF002", "raw/claims.csv:3:10 REF002"} <= set(located(result))  # at each link
    circle = "clm-alice-offer-large -> clm-bob-offer-small -> clm-alice-offer-large"
    assert messages(result, "REF002") == [f"disputes goes round in a circle: {circle}; one of these links is wrong"] * 2


def test_an_organization_inside_itself_is_found(minimal):
    edit(minimal / "raw" / "organizations.csv", "org-acme,Acme,company,,", "org-acme,Acme,company,org-acme-lab,")
    result = run(minimal)
    assert located(result) == ["raw/organizations.csv:2:4 REF002", "raw/organizations.csv:3:4 REF002"]


def test_a_retired_id_no_release_published_is_found(minimal):
    with (minimal / "raw" / "retired.csv").open("a", encoding="utf-8") as fh:
        fh.write("evt-2016-01-01-ghost,1.0.0,Merged into the offer.,evt-2016-01-05-offer\n")
    result = run(minimal)
    assert located(result) == ["raw/retired.csv:2:1 REL007"]
    assert messages(result, "REL007") == [
        "evt-2016-01-01-ghost is listed as retired, but no release (none yet) published it; only a published id "
        "is retired: remove the line"
    ]


def _released(root, ids):
    """A release manifest of the package as it stands, plus the ids given (published, since removed)."""
    from origins.read.package import load
    from origins.release.manifest import manifest

    m = manifest(load(root))
    m["version"] = "1.0.0"
    for rid in ids:
        m["tables"]["events"][rid] = {"row": "0" * 16, "columns": {}}
    (root / "releases").mkdir()
    (root / "releases" / "1.0.0.json").write_text(json.dumps(m), encoding="utf-8")


def test_a_replacement_that_is_no_row_is_found(minimal):
    _released(minimal, ["evt-2016-01-01-old", "evt-2016-01-02-older"])
    with (minimal / "raw" / "retired.csv").open("a", encoding="utf-8") as fh:
        fh.write("evt-2016-01-01-old,2.0.0,Merged.,evt-2016-01-05-ofer\n")
        fh.write("evt-2016-01-02-older,2.0.0,Merged.,evt-2016-01-02-older\n")
    result = run(minimal)
    rel = [x for x in located(result) if " REL00" in x and not x.endswith(("REL003", "REL004", "REL005"))]
    assert rel == ["raw/retired.csv:2:4 REL008", "raw/retired.csv:3:4 REL008"]
    assert messages(result, "REL008") == [
        "evt-2016-01-01-old is replaced by evt-2016-01-05-ofer, which is no row of events.csv (did you mean "
        "'evt-2016-01-05-offer'?); name the row that replaces it, or leave replaced_by empty",
        "replaced_by goes round in a circle: evt-2016-01-02-older -> evt-2016-01-02-older; name a row of the data",
    ]
