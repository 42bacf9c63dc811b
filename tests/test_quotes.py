"""Quote matching, as documented in origins.archive.quotes: what counts as the same words, and where."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from origins.archive.quotes import locate, normalise

TEXT = "He wrote: \u201cWe\u2019re  starting\nwith a $1B funding commitment\u201d \u2014 and more.\nFi\ufb01nal words."


@pytest.mark.parametrize(
    "quote",
    [
        "We're starting with a $1B funding commitment",  # straight apostrophe, one space, no newline
        "\u201cWe\u2019re starting with a $1B funding commitment\u201d",  # curly as in the text
        '"We\'re starting with a $1B funding commitment" - and more.',  # em dash typed as a hyphen
        "We\u2019re \u2026 funding commitment",  # an elision: both parts, in order
        "Fifinal words.",  # NFKC: the ligature \ufb01 is 'fi'
    ],
)
def test_the_same_words_are_found(quote):
    assert locate(quote, TEXT) is not None


@pytest.mark.parametrize(
    "quote",
    [
        "funding commitment \u2026 We\u2019re starting",  # elided parts out of order
        "we're starting with a $1B funding commitment",  # case matters
        "We're starting with a $2B funding commitment",  # a changed figure
        "\u2026",  # nothing but an elision
    ],
)
def test_other_words_are_not(quote):
    assert locate(quote, TEXT) is None


def test_the_offset_is_in_the_original_text():
    m = locate("starting with a $1B", TEXT)
    assert TEXT[m.start : m.end] == "starting\nwith a $1B"


def test_a_heading_narrows_a_short_quote_to_the_part_it_names():
    text = "A to B - May 1\nOk\n\nC to D - May 2\nOk\n"
    assert locate("Ok", text).start == text.index("Ok")
    after = text.index("C to D")
    assert locate("Ok", text, after=after).start == text.index("Ok", after)
    assert locate("May 1", text, after=after).start == text.index("May 1")  # falls back to the whole text


def test_normalise_is_idempotent():
    assert normalise(normalise(TEXT)) == normalise(TEXT)


@pytest.mark.parametrize("text", ["plain  ascii\n`tick` - end ", "caf\u00e9 \u201cquoted\u201d \u2014 x", "\ufb01ne"])
def test_the_ascii_shortcut_agrees_with_the_full_normalisation(text):
    from origins.archive.quotes import normalise_mapped

    assert normalise(text) == normalise_mapped(text)[0].strip()


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("ab `'\"-. \t\n")
            + ["\u00a0", "\u2019", "\u201c", "\u2014", "\u00bd", "\u0301", "\u200b", "\u2003", "\ufb01"]
        ),
        max_size=40,
    )
)
def test_the_ascii_fast_path_equals_the_cluster_by_cluster_reference(text):
    from origins.archive.quotes import normalise_clusters, normalise_mapped

    assert normalise_mapped(text) == normalise_clusters(text)
