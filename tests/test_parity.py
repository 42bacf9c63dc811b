"""The Arrow engine (origins.checks.schema_fast) against frictionless, the reference: on every input
the project knows to be bad or odd, both must give identical findings (path, line, column, code,
and the message too, since the raw reports are the same) through schema_check.schema_findings.

A resource the fast engine cannot decide is judged by frictionless (its errors are then taken
from the reference report); the tests also pin which resources the fast engine decides, so that
a silent fallback everywhere cannot pass for parity.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from origins.checks.schema import frictionless_errors, schema_findings
from origins.checks.schema_fast import fast_errors, merge, re2_of, schema_errors
from origins.read.package import load
from origins.tools.synth import generate

from conftest import FIXTURE, REPO, edit
from test_corpus import CASES

RESOURCES = [r["name"] for r in json.loads((REPO / "datapackage.json").read_text())["resources"]]


def located(findings) -> list[tuple]:
    return [(f.path, f.line, f.column, f.code, f.message) for f in findings]


def parity(root: Path) -> dict:
    """Run both engines on `root`, require identical findings and identical raw errors for every
    resource the fast engine decided; return the fast engine's report."""
    ds = load(root)
    fast = fast_errors(root, ds)
    reference = frictionless_errors(str(root))
    if "fatal" in reference:
        assert fast == {**reference, "undecided": {}} or fast.get("fatal") == reference["fatal"]
        return fast
    assert fast["package"] == reference["package"]
    decided = set(RESOURCES) - set(fast["undecided"])
    assert fast["tasks"] == [e for e in reference["tasks"] if e["task"] in decided]
    merged = merge(fast, reference, RESOURCES)
    assert located(schema_findings(ds, merged)) == located(schema_findings(ds, reference))
    return fast


def apply(root: Path, edits) -> Path:
    for table, old, new in edits:
        edit(root / "raw" / f"{table}.csv", old, new)
    return root


# Inputs that change a file's structure: frictionless judges that resource, and resources
# with a foreign key into it. Every other corpus case must be decided entirely by the fast engine.
STRUCTURAL = {
    "SCH003-missing-cell": {"people", "roles"},
    "SCH004-extra-cell": {"people", "roles"},
    "SCH008-blank-line": {"people", "roles"},
    "SCH010-unknown-column": {"people", "roles"},
}


@pytest.mark.parametrize("edits", [pytest.param(e, id=i) for i, e, _ in CASES])
def test_corpus_case(minimal, edits, request):
    fast = parity(apply(minimal, edits))
    case = request.node.callspec.id
    assert set(fast["undecided"]) == STRUCTURAL.get(case, set()), fast["undecided"]


def test_valid_fixture(minimal):
    assert parity(minimal) == {"package": [], "tasks": [], "undecided": {}}


def test_committed_data():
    fast = parity(REPO)
    assert fast["undecided"] == {}


def test_synthetic_package_with_injected_defects(tmp_path):
    expected = generate(tmp_path / "synth", REPO, 400, seed=11, defects=3)
    fast = parity(tmp_path / "synth")
    assert fast["undecided"] == {}
    ds = load(tmp_path / "synth")
    found = {(f.path, f.line, f.code) for f in schema_findings(ds, fast)}
    assert {x for x in expected if x[2].startswith("SCH")} <= found


# --- the ugly inputs of test_ugly_inputs.py, set up the same way -----------------------------------


def test_bom(minimal):
    path = minimal / "raw" / "people.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "people" in parity(minimal)["undecided"]


def test_crlf(minimal):
    path = minimal / "raw" / "people.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert "people" in parity(minimal)["undecided"]


def test_empty_trailing_line(minimal):
    path = minimal / "raw" / "people.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    assert "people" in parity(minimal)["undecided"]


def test_quoted_newline(minimal):
    path = minimal / "raw" / "events.csv"
    edit(path, "Alice offers money to Acme.", '"Alice offers money\nto Acme."')
    edit(path, "too small.,correspondence", "too small.,chitchat")
    assert parity(minimal)["undecided"] == {}


def test_ten_megabyte_cell(minimal):
    edit(minimal / "raw" / "events.csv", "Alice offers money to Acme.", "x" * 10_000_000)
    assert parity(minimal)["undecided"] == {}


def test_missing_file(minimal):
    (minimal / "raw" / "people.csv").unlink()
    parity(minimal)


def test_bad_encoding(minimal):
    path = minimal / "raw" / "people.csv"
    path.write_bytes(path.read_bytes().replace(b"Bob", b"B\xf6b"))
    parity(minimal)


def test_unclosed_quote(minimal):
    edit(minimal / "raw" / "people.csv", "per-bob,Bob,", 'per-bob,"Bob,')
    parity(minimal)


# --- what the fast engine computes itself: each rule at its edges -----------------------------------

EDGES = [
    # types: what Python's Decimal, int, strptime and the boolean values accept, and what not
    ("figures", "1000.50", "1e3"),
    ("figures", "1000.50", " 1000.5 "),
    ("figures", "1000.50", "1_000.5"),
    ("figures", "1000.50", "NaN"),
    ("figures", "1000.50", "-0"),
    ("figures", "1000.50", "-0.0000000000000000001"),
    ("figures", "1000.50", "-1"),
    ("figures", "1000.50", "\uff11\uff10"),  # fullwidth digits: a number to Python
    ("figures", "1000.50", "Infinity"),
    ("figures", "1000.50", '"1,000.50"'),
    ("figures", "100000,200000", "100000,-200000"),
    ("claims", "false", "yes"),
    ("claims", "false", "False"),
    ("claims", "false", ""),
    ("sources", "2026-01-01", "2026-1-1"),
    ("sources", "2026-01-01", "2026-02-30"),
    ("sources", "2026-01-01", "2026-01-01 "),
    ("sources", "2026-01-01", "\u0662\u0660\u0662\u0666-01-01"),  # Arabic-Indic digits: a date to strptime
    # patterns: non-ASCII, control characters, a newline at the end (Python's '$' accepts it)
    ("people", "per-bob,Bob,", "per-b\u00f6b,Bob,"),
    ("people", "per-bob,Bob,", '"per-bob\n",Bob,'),
    ("people", "per-bob,Bob,", '"per-\tbob",Bob,'),
    ("people", "per-bob,Bob,", "PER-BOB,Bob,"),
    ("people", "per-bob,Bob,", ",Bob,"),
    ("sources", "https://example.org/report", "https://exa mple.org/report"),
    ("sources", "https://example.org/report", "https://\u00e9xample.org/report"),
    # lengths count characters, not bytes
    ("people", "Fixture person who answers.", "\u00e9" * 2000),
    ("people", "Fixture person who answers.", "\u00e9" * 2001),
    ("people", "Fixture person who answers.", "\U0001f600" * 2001),
    # enums are exact
    ("events", "correspondence,", "Correspondence,"),
    ("events", "correspondence,", "correspondence ,"),
    # keys: repeated, and repeated three times (the note names the latest earlier row)
    ("people", "per-bob,Bob,", "per-alice,Bob,"),
    ("citations", "evt-2016-01-06-reply,src-doc,line 3", "evt-2016-01-05-offer,src-doc,line 1"),
    # foreign keys: into another resource, into itself, and an empty one (no reference)
    ("events", ",correspondence,email,evt-2016-01-05-offer", ",correspondence,email,evt-2016-01-05-nope"),
    ("claims", "confirmed,clm-alice-offer-large", "confirmed,clm-nope"),
    ("participants", "evt-2016-01-06-reply,org-acme", ",org-acme"),
]


@pytest.mark.parametrize("table,old,new", EDGES)
def test_edge(minimal, table, old, new):
    fast = parity(apply(minimal, [(table, old, new)]))
    assert fast["undecided"] == {}


def test_three_times_the_same_id(minimal):
    path = minimal / "raw" / "organizations.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text(lines[0] + "".join(sorted(lines[1:] * 3)))
    fast = parity(minimal)
    assert any(e["type"] == "primary-key" for e in fast["tasks"])


def test_referenced_table_without_rows(minimal):
    path = minimal / "raw" / "events.csv"
    path.write_text(path.read_text().splitlines(keepends=True)[0])
    fast = parity(minimal)
    assert fast["undecided"] == {}
    assert {e["task"] for e in fast["tasks"] if e["type"] == "foreign-key"} >= {"participants", "figures"}


def test_row_of_empty_cells_is_blank(minimal):
    edit(minimal / "raw" / "citations.csv", "evt-2016-01-06-reply,src-doc,line 3", ",,")
    fast = parity(minimal)
    assert [e["type"] for e in fast["tasks"]] == ["blank-row", "primary-key"]


def test_whole_key_missing(minimal):
    edit(minimal / "raw" / "citations.csv", "evt-2016-01-06-reply,src-doc,line 3,,", ",,,,a note")
    fast = parity(minimal)
    assert any(e["note"].startswith("cells composing") for e in fast["tasks"])


def test_schema_the_engine_does_not_compile_falls_back(minimal):
    path = minimal / "schemas" / "people.json"
    schema = json.loads(path.read_text())
    schema["fields"][1]["format"] = "email"
    path.write_text(json.dumps(schema))
    fast = parity(minimal)
    assert "people" in fast["undecided"]


def test_descriptor_frictionless_rejects(minimal):
    path = minimal / "datapackage.json"
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["encoding"] = 7
    path.write_text(json.dumps(descriptor))
    parity(minimal)


def test_schema_errors_is_the_reference_report(minimal):
    apply(minimal, [("people", "answers.,", "answers."), ("events", "correspondence,", "chitchat,")])
    ds = load(minimal)
    report = schema_errors(minimal, ds)
    assert report["fallback"] == ["people", "roles"]
    reference = frictionless_errors(str(minimal))
    assert located(schema_findings(ds, report)) == located(schema_findings(ds, reference))


@pytest.mark.parametrize(
    "pattern,text",
    [
        (r"a{,2}", "aa"),  # Python: up to two; RE2 would read the braces literally
        (r"\d+", "12"),
        (r"[^\s]+", "a-b"),
        (r"a|b", "ab"),  # frictionless's '^a|b$' is not a full match
        (r"(?i:abc)", "ABC"),  # inline flags: left to Python's re
        (r"(?=a)a", "a"),  # lookaround: left to Python's re
        (r"a{2,}", "aaa"),
        (r"(?:per|org)-[a-z0-9]+(-[a-z0-9]+)*", "org-a-1"),
        (r"https?://[^\s/?#]+[^\s]*", "https://x.org/a b"),
    ],
)
def test_pattern_translation_keeps_python_meaning(pattern, text):
    re2 = re2_of(pattern)
    python = bool(re.match(f"^{pattern}$", text))
    if re2 is not None:
        assert pc.match_substring_regex(pa.array([text]), re2)[0].as_py() == python


def test_fixture_untouched():
    assert (FIXTURE / "raw" / "people.csv").is_file() and shutil.which("true") is not None


SCHEMA_PATTERNS = sorted(
    {
        f["constraints"]["pattern"]
        for p in (REPO / "schemas").glob("*.json")
        for f in json.loads(p.read_text())["fields"]
        if f.get("constraints", {}).get("pattern")
    }
    | {r"a{,2}b", r"[^a-c]*x?", r"(a|bc)+d{1,3}", r"\w+\s\d", r"x(?:y|z)*$"}
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SCHEMA_PATTERNS), st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_a_pattern_handed_to_re2_means_what_pythons_re_means(pattern, text):
    """On printable text RE2 and frictionless's `re.match('^pattern$')` agree whenever re2_of gives RE2 text."""
    re2 = re2_of(pattern)
    if re2 is not None:
        assert pc.match_substring_regex(pa.array([text]), re2)[0].as_py() == bool(re.match(f"^{pattern}$", text))
