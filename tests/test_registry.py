"""The check registry: stable codes, a bad-input test for each, docs generated from it."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from origins.checks import REGISTRY
from origins.docs import checks_markdown, dictionary_markdown

from conftest import REPO
from test_corpus import CASES

TESTS = Path(__file__).parent


def test_codes_are_well_formed_and_described():
    for code, c in REGISTRY.items():
        assert re.fullmatch(r"[A-Z]{3}\d{3}", code) and c.code == code
        assert c.severity in {"error", "warning"}
        assert c.description.endswith(".") and c.name == c.name.lower()


def asserted_codes(source: str) -> set[str]:
    """Codes named in what a test asserts: string constants inside `assert` statements, or in the
    module's upper-case tables of cases and their expected findings (CASES and the like) that
    parametrised tests assert against. Comments and docstrings do not count."""
    tree = ast.parse(source)
    places = [n for n in ast.walk(tree) if isinstance(n, ast.Assert)]
    places += [
        n.value
        for n in tree.body
        if isinstance(n, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id.isupper() for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        )
    ]
    found = set()
    for place in places:
        for node in ast.walk(place):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found |= set(re.findall(r"\b[A-Z]{3}\d{3}\b", node.value))
    return found


def test_every_check_has_a_test_with_bad_input():
    corpus_codes = {x.split()[-1] for _, _, expected in CASES for x in expected}
    tested = corpus_codes.union(
        *(asserted_codes(p.read_text()) for p in TESTS.glob("test_*.py") if p.name != "test_registry.py")
    )
    missing = sorted(set(REGISTRY) - tested)
    assert missing == [], f"checks without a bad-input test that asserts their code: {missing}"


def test_a_code_in_a_comment_does_not_count():
    assert asserted_codes("# CIT001 is tested elsewhere\nx = 1\n") == set()
    assert asserted_codes('def t():\n    """CIT001"""\n    assert f() == ["a.csv:2:1 CIT001"]\n') == {"CIT001"}


def test_check_catalogue_is_up_to_date():
    committed = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    assert committed == checks_markdown(), "run: python -m origins docs"


def test_data_dictionary_is_up_to_date():
    descriptor = json.loads((REPO / "datapackage.json").read_text())
    schemas = {r["name"]: json.loads((REPO / r["schema"]).read_text()) for r in descriptor["resources"]}
    committed = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == dictionary_markdown(descriptor, schemas), "run: python -m origins docs"


def test_readme_generated_sections_are_up_to_date():
    from origins.docs import readme_text
    from origins.package import load

    descriptor = json.loads((REPO / "datapackage.json").read_text())
    ds = load(REPO)
    counts = {name: len(t.rows) for name, t in ds.tables.items()}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == readme_text(readme, descriptor, counts, ds), "run: python -m origins docs"
