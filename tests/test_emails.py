"""Events about emails checked against the email compilation they cite (EML001-EML005), and the
compilation parser itself on the real archived texts where they are present."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from origins.archive.headers import parse

from conftest import FIXTURE, REPO, edit, located, run

COMPILATION = """Fixture compilation, invented for the test suite.

Alice to Bob, (cc: Carol) - Jan 5, 2016 9:00 AM
Alice offers 1,000.50 dollars to Acme.

Bob to Alice - Jan 6, 2016
The offer is too small.
"""
CAROL = "per-carol,Carol,,Fixture person in copy.,\n"
ALICE_EMAIL = "Alice to Bob, (cc: Carol) - Jan 5, 2016 9:00 AM"
BOB_EMAIL = "Bob to Alice - Jan 6, 2016"


@pytest.fixture
def mail(minimal, tmp_path):
    """The minimal package plus a compilation of two emails that its two events cite, correctly."""
    snaps = tmp_path / "snaps"
    shutil.copytree(FIXTURE / "snapshots", snaps)
    (snaps / "mail.txt").write_text(COMPILATION, encoding="utf-8")
    sha = hashlib.sha256(COMPILATION.encode()).hexdigest()
    raw = minimal / "raw"
    with (raw / "sources.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            f"src-mail,Fixture emails,,Acme,,https://example.org/mail,,,2016-01-10,,en,email-compilation,primary,,mail.txt,{sha},,,\n"
        )
    with (raw / "people.csv").open("a", encoding="utf-8") as fh:
        fh.write(CAROL)
    with (raw / "citations.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            f'evt-2016-01-05-offer,src-mail,"{ALICE_EMAIL}",Alice offers 1,000.50 dollars to Acme.,,\n'.replace(
                "Alice offers 1,000.50 dollars to Acme.", '"Alice offers 1,000.50 dollars to Acme."'
            )
        )
        fh.write(f'evt-2016-01-06-reply,src-mail,"{BOB_EMAIL}",The offer is too small.,,\n')
    with (raw / "participants.csv").open("a", encoding="utf-8") as fh:
        fh.write("evt-2016-01-05-offer,per-carol,cc,,\nevt-2016-01-06-reply,per-alice,recipient,,\n")
    from origins.read.canonical import format_dataset
    from origins.read.package import load

    format_dataset(load(minimal))
    return minimal, snaps


def test_events_that_agree_with_their_emails_pass(mail):
    root, snaps = mail
    result = run(root, snaps)
    assert located(result) == []
    assert result.stats["quotes"]["verified"] == 7


def test_a_dropped_copy_recipient_is_found(mail):
    root, snaps = mail
    edit(root / "raw" / "participants.csv", "evt-2016-01-05-offer,per-carol,cc,,\n", "")
    result = run(root, snaps)
    assert located(result) == ["raw/events.csv:2:1 EML004"]
    assert "Carol is cc of the email 'Alice to Bob, (cc: Carol) - Jan 5, 2016 9:00 AM'" in result.findings[0].message
    assert "evt-2016-01-05-offer,per-carol,cc; add it" in result.findings[0].message


def test_a_moved_day_is_found(mail):
    root, snaps = mail
    edit(root / "raw" / "events.csv", "evt-2016-01-06-reply,2016-01-06,", "evt-2016-01-06-reply,2016-01-07,")
    result = run(root, snaps)
    assert "raw/events.csv:3:2 EML003" in located(result)
    eml = [f for f in result.findings if f.code == "EML003"]
    assert eml[0].message.endswith("was sent on 2016-01-06; write 2016-01-06")


def test_a_wrong_sender_is_found(mail):
    root, snaps = mail
    edit(
        root / "raw" / "participants.csv",
        "evt-2016-01-06-reply,per-bob,sender",
        "evt-2016-01-06-reply,per-carol,sender",
    )
    result = run(root, snaps)
    assert located(result) == ["raw/events.csv:3:1 EML005"]
    assert "names per-carol as sender, but the email it cites ('Bob to Alice - Jan 6, 2016') is from Bob (per-bob)" in (
        result.findings[0].message
    )


def test_a_locator_that_names_no_email_gets_a_suggestion(mail):
    root, snaps = mail
    edit(root / "raw" / "citations.csv", '"Bob to Alice - Jan 6, 2016"', "Bob to Alise - Jan 6 2016")
    result = run(root, snaps)
    assert located(result) == ["raw/citations.csv:8:3 EML001"]
    assert result.findings[0].message.endswith("did you mean 'Bob to Alice - Jan 6, 2016'?")


def test_a_quote_from_the_reply_is_found(mail):
    root, snaps = mail
    edit(root / "raw" / "citations.csv", '"Alice offers 1,000.50 dollars to Acme."', "The offer is too small.")
    result = run(root, snaps)
    assert located(result) == ["raw/citations.csv:6:4 EML002"]
    assert (
        "the quote is from the email 'Bob to Alice - Jan 6, 2016', not from 'Alice to Bob" in result.findings[0].message
    )


def test_a_sourced_role_difference_with_a_note_is_accepted(mail):
    root, snaps = mail
    edit(
        root / "raw" / "participants.csv",
        "evt-2016-01-05-offer,per-carol,cc,,",
        "evt-2016-01-05-offer,per-carol,recipient,,The exhibit prints her in the To line.",
    )
    from origins.read.canonical import format_dataset
    from origins.read.package import load

    format_dataset(load(root))
    assert located(run(root, snaps)) == []


def test_the_parser_reads_both_header_forms():
    emails = parse(
        "x\nElon Musk to Ilya Sutskever (cc: Sam Altman; Greg Brockman) - Sep 20, 2017 (2:17PM)\nbody\n"
        "Elon Musk to: Greg Brockman (cc Sam Altman) - Nov 22, 2015 7:48PM\nbody\n"
        "Sam Teller received this email from Alex Thompson and forwards it to Elon Musk - April 27, 2016 7:25 AM\n"
    )
    assert [(e.sender, e.to, e.cc, e.forwarded, e.day.isoformat(), e.time) for e in emails] == [
        ("Elon Musk", ("Ilya Sutskever",), ("Sam Altman", "Greg Brockman"), (), "2017-09-20", "2:17PM"),
        ("Elon Musk", ("Greg Brockman",), ("Sam Altman",), (), "2015-11-22", "7:48PM"),
        ("Sam Teller", ("Elon Musk",), (), ("Alex Thompson",), "2016-04-27", "7:25AM"),
    ]


SHARED = REPO.parent / "shared" / "snapshots"


@pytest.mark.skipif(not SHARED.is_dir(), reason="the source archive ../shared/snapshots is not here")
def test_the_compilations_parse_to_their_known_counts():
    """51 emails in the shorter rendering; in the fuller one, 77 header lines of the form
    'X to Y - Month D, YYYY': its 72 emails and 5 headers of text-message threads."""
    short = parse((SHARED / "src-habryka-email-archive.md").read_text(encoding="utf-8"))
    full = parse((SHARED / "openai-email-archives-full.md").read_text(encoding="utf-8"))
    assert len(short) == 51
    assert len(full) == 77
    assert full[-1].header.startswith("Elon Musk to: Sam Altman – October 23, 2022")


def messages(result, code):
    return [f.message for f in result.findings if f.code == code]


def test_a_party_the_header_does_not_print_is_found(mail):
    root, snaps = mail
    with (root / "raw" / "participants.csv").open("a", encoding="utf-8") as fh:
        fh.write("evt-2016-01-06-reply,per-carol,cc,,\n")
    from origins.read.canonical import format_dataset
    from origins.read.package import load

    format_dataset(load(root))
    result = run(root, snaps)
    line = (root / "raw" / "participants.csv").read_text().splitlines().index("evt-2016-01-06-reply,per-carol,cc,,") + 1
    assert located(result) == [f"raw/participants.csv:{line}:2 EML008"]
    assert messages(result, "EML008") == [
        "event evt-2016-01-06-reply: per-carol is listed as cc, but the email it cites ('Bob to Alice - Jan 6, 2016') "
        "does not name them; remove the participant, or say in its note why they belong (a co-author, the sender "
        "of a forwarded email)"
    ]
    edit(
        root / "raw" / "participants.csv",
        "evt-2016-01-06-reply,per-carol,cc,,",
        "evt-2016-01-06-reply,per-carol,cc,,Bob forwarded it to her.",
    )
    assert located(run(root, snaps)) == []
