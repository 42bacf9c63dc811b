"""The check registry: stable codes, a bad-input test for each, every emitted code declared with
the severity it really has, docs generated from the declarations."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from origins.checks import CHECKS, REGISTRY, catalogue
from origins.read.package import load
from origins.release.manifest import manifest
from origins.tools.docs import checks_markdown, dictionary_markdown
from test_dates import RELATION_CASES

from conftest import FIXTURE, REPO, edit, make_package, run
from test_corpus import CASES

TESTS = Path(__file__).parent


def test_codes_are_well_formed_and_described():
    for code, c in REGISTRY.items():
        assert re.fullmatch(r"[A-Z]{3}\d{3}", code) and c.code == code
        assert set(c.severities) <= {"error", "warning"} and (len(c.severities) == 2) == bool(c.when)
        assert c.description.endswith(".") and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c.name)


def test_each_code_belongs_to_one_check():
    declared = [c.code for chk in CHECKS for c in chk.codes]
    assert sorted(declared) == sorted(REGISTRY) and len(declared) == len(set(declared))


def test_catalogue_has_every_check_and_the_reading_and_schema_codes():
    codes = catalogue()
    assert set(REGISTRY) <= set(codes)
    assert {f"PKG{n:03}" for n in range(1, 11)} <= set(codes)
    assert {f"SCH{n:03}" for n in range(14)} <= set(codes)
    assert all(c.severities == ("error",) for code, c in codes.items() if code[:3] in ("PKG", "SCH"))


# --- every code a bad input makes is declared, with the severity it came out with ----------------


def _release(root, version: str) -> None:
    """Record the current data of `root` as released `version` (as tests/test_release.py does)."""
    (root / "releases").mkdir(exist_ok=True)
    m = manifest(load(root))
    m["version"] = version
    (root / "releases" / f"{version}.json").write_text(json.dumps(m))
    _set_version(root, version)


def _set_version(root, version: str) -> None:
    path = root / "datapackage.json"
    path.write_text(re.sub(r'"version": "[^"]+"', f'"version": "{version}"', path.read_text()))


def _bump_too_little(version: str):
    """A release, a change that needs a major version, and `version` in the descriptor."""

    def prepare(root):
        _release(root, "1.0.0")
        edit(root / "raw" / "events.csv", "2016-01-06,Bob replies", "2016-01-07,Bob replies")
        edit(root / "schemas" / "events.json", '"maxLength": 300', '"maxLength": 301')
        _set_version(root, version)

    return prepare


def _released_then(*edits):
    def prepare(root):
        _release(root, "1.0.0")
        _edits(edits)(root)

    return prepare


def _edits(edits):
    def prepare(root):
        for table, old, new in edits:
            edit(root / "raw" / f"{table}.csv", old, new)

    return prepare


def _replace_bytes(name: str, old: bytes, new: bytes):
    def prepare(root):
        path = root / name
        path.write_bytes(path.read_bytes().replace(old, new))

    return prepare


# (id, prepare(root), strict): the corpus, the date relations' possible conflicts, and the inputs of
# the other bad-input tests whose codes or severities the corpus lacks
INPUTS = [
    *((i, _edits(e), False) for i, e, _ in CASES),
    *((i, _edits(e), False) for i, e, _ in RELATION_CASES),
    (
        "CIT008-strict",
        _edits([("citations", "src-later,p. 1,,", "src-later,p. 1,Bob says it is small.,")]),
        True,
    ),
    (
        "CIT005-unused-source",
        _edits(
            [
                (
                    "sources",
                    "src-later,",
                    "src-unused,Unused,,X,https://example.org/u,,,2019,,en,blog-post,press,,,,,,\nsrc-later,",
                )
            ]
        ),
        False,
    ),
    ("REL-released-then-dev", _bump_too_little("1.1.0-dev"), False),
    ("REL-released-then-final", _bump_too_little("1.1.0"), False),
    ("REL-version-backwards", _bump_too_little("0.9.0"), False),
    ("REL-changed-under-the-released-version", _bump_too_little("1.0.0"), False),
    (
        "REL001-row-gone",
        _released_then(
            ("organizations", "org-acme-lab,Acme Lab,research-lab,org-acme,Fixture lab inside Acme.,\n", "")
        ),
        False,
    ),
    ("PKG003-missing-file", lambda root: (root / "raw" / "people.csv").unlink(), False),
    ("PKG004-not-utf-8", _replace_bytes("raw/people.csv", b"Bob", b"B\xf6b"), False),
    ("PKG005-unclosed-quote", _edits([("people", "per-bob,Bob,", 'per-bob,"Bob,')]), False),
    ("PKG002-malformed-descriptor", _replace_bytes("datapackage.json", b"{", b"{{"), False),
]


@pytest.fixture(scope="module")
def emitted(tmp_path_factory) -> dict[str, dict[str, set[str]]]:
    """code -> severity -> the inputs above whose findings had that code with that severity."""
    out: dict[str, dict[str, set[str]]] = {}
    for i, (name, prepare, strict) in enumerate(INPUTS):
        root = make_package(tmp_path_factory.mktemp(f"input{i}") / "pkg", FIXTURE / "raw")
        prepare(root)
        for f in run(root, strict=strict).findings:
            out.setdefault(f.code, {}).setdefault(f.severity, set()).add(name)
    return out


def test_every_emitted_code_is_declared_with_the_severity_it_has(emitted):
    declared = catalogue()
    assert sorted(emitted.keys() - declared.keys()) == [], "codes emitted but not declared"
    for code, seen in sorted(emitted.items()):
        assert seen.keys() <= set(declared[code].severities), (code, seen)


def test_each_two_severity_code_is_emitted_with_both(emitted):
    for code, c in catalogue().items():
        if len(c.severities) > 1:
            assert emitted.get(code, {}).keys() == set(c.severities), f"{code}: declare one severity, or add an input"


def test_the_inputs_reach_the_release_and_reading_codes(emitted):
    """The extra inputs do what their names say, so the two tests above judge those codes."""
    assert {
        "REL001",
        "REL003",
        "REL004",
        "REL005",
        "CIT005",
        "CIT008",
        "PKG002",
        "PKG003",
        "PKG004",
        "PKG005",
    } <= emitted.keys()


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
    from origins.read.package import load
    from origins.tools.docs import readme_text

    descriptor = json.loads((REPO / "datapackage.json").read_text())
    ds = load(REPO)
    counts = {name: len(t.rows) for name, t in ds.tables.items()}
    from origins.release.citation import as_cited, cited_release

    cited = as_cited(descriptor, cited_release(descriptor, ds.latest_release))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == readme_text(readme, descriptor, counts, ds, cited), "run: python -m origins docs"
