"""CIT004 sends to Python's urlsplit only the addresses a regular expression cannot clear at once
(origins.checks.citations.PLAIN_URL). Whatever that expression clears must pass the rule itself."""

from __future__ import annotations

import pyarrow.compute as pc
from hypothesis import example, given, settings
from hypothesis import strategies as st

from origins.checks.citations import PLAIN_URL, SPACE_CLASS, absolute_http
from origins.core.columns import strings

SPACES = [chr(i) for i in range(0x110000) if chr(i).isspace()]
pieces = st.sampled_from(
    [
        "http",
        "https",
        "HTTP",
        "://",
        "a",
        "B",
        "9",
        "-",
        ".",
        ":",
        "80",
        "/",
        "?",
        "#",
        "@",
        "[",
        "]",
        "é",
        "%20",
        *SPACES,
    ]
)
urls = st.lists(pieces, max_size=14).map("".join) | st.builds(
    "https://{}.{}{}".format, st.text(max_size=4), st.text(max_size=4), st.text(max_size=6)
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(urls, min_size=1, max_size=20))
@example(["https://a.b/x\u3000y", "https://a.b/\x1c", "https://-.b", "https://a.b:99999999/x", "https://a.b/é"])
def test_what_the_expression_clears_passes_the_rule(batch):
    cleared = pc.match_substring_regex(strings(batch), pattern=PLAIN_URL).to_pylist()
    for url, plain in zip(batch, cleared, strict=True):
        if plain:
            assert absolute_http(url), url


def test_the_space_class_is_every_character_python_counts_as_space():
    every = strings([chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF])
    matched = pc.match_substring_regex(every, pattern=f"^[{SPACE_CLASS}]$")
    assert pc.filter(every, matched).to_pylist() == SPACES


def test_the_expression_clears_the_common_addresses_and_leaves_the_rest_to_the_rule():
    common = ["https://www.nytimes.com/2023/10/01/x.html?a=b#c", "http://example.org", "https://a.b:8080/"]
    assert pc.match_substring_regex(strings(common), pattern=PLAIN_URL).to_pylist() == [True, True, True]
    left = ["HTTPS://A.B", "https://user@a.b", "https://a.b.", "https://ab", "ftp://a.b", "https://a.b/x y"]
    assert pc.match_substring_regex(strings(left), pattern=PLAIN_URL).to_pylist() == [False] * 6
    assert [absolute_http(u) for u in left] == [True, True, True, False, False, False]
