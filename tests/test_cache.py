"""The content-hash cache of validate: a hit only when nothing an answer depends on changed."""

from __future__ import annotations

import shutil

import pytest

from origins import pipeline

from conftest import FIXTURE, REPO, VENV, edit, sh


@pytest.fixture
def inputs(minimal, tmp_path, monkeypatch):
    """A package, its archive directory and a copy of the code, as the key sees them."""
    snaps = tmp_path / "snaps"
    shutil.copytree(FIXTURE / "snapshots", snaps)
    (minimal / "requirements.lock").write_text("frictionless==5.21.0\n")
    code = tmp_path / "code"
    shutil.copytree(REPO / "scripts" / "origins", code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pipeline, "CODE_DIR", code)
    return minimal, snaps, code


def _key(root, snaps, day="2026-11-27", options=None):
    return pipeline.stage_key("check", root, (snaps,), day=day, options=options or {"strict": False})


CHANGES = {
    "data": lambda root, snaps, code: edit(root / "raw" / "events.csv", "Alice offers money", "Alice offers cash"),
    "schema": lambda root, snaps, code: edit(root / "schemas" / "events.json", '"maxLength": 300', '"maxLength": 299'),
    "descriptor": lambda root, snaps, code: edit(root / "datapackage.json", '"keywords"', '"keywords" '),
    "snapshot": lambda root, snaps, code: (snaps / "doc.txt").write_text((snaps / "doc.txt").read_text() + "x"),
    "new snapshot": lambda root, snaps, code: (snaps / "other.txt").write_text("another archived text"),
    "code": lambda root, snaps, code: edit(code / "checks" / "money.py", "SCALE = 2", "SCALE = 2  # touched"),
    "locked dependencies": lambda root, snaps, code: (root / "requirements.lock").write_text("frictionless==5.21.1\n"),
    "citation file": lambda root, snaps, code: (root / "CITATION.cff").write_text("version: 9.9.9\n"),
    "release manifest": lambda root, snaps, code: (
        (root / "releases").mkdir() or (root / "releases" / "9.0.0.json").write_text("{}")
    ),
}


@pytest.mark.parametrize("what", list(CHANGES))
def test_every_input_invalidates(inputs, what):
    root, snaps, code = inputs
    before = _key(root, snaps)
    assert _key(root, snaps) == before  # stable while nothing changes
    CHANGES[what](root, snaps, code)
    assert _key(root, snaps) != before, what


def test_the_day_and_the_options_are_part_of_the_key(inputs):
    root, snaps, _ = inputs
    assert _key(root, snaps, day="2026-11-28") != _key(root, snaps)
    assert _key(root, snaps, options={"strict": True}) != _key(root, snaps)


def test_unchanged_package_answers_from_the_cache_and_a_change_is_seen(minimal, tmp_path):
    env = {
        "PYTHONPATH": str(REPO / "scripts"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg"),
        "ORIGINS_SNAPSHOT_DIR": str(FIXTURE / "snapshots"),
        "SOURCE_DATE_EPOCH": "1795737600",  # 2026-11-27
    }
    py = str(VENV / "bin" / "python")
    first = sh(py, "-m", "origins", "validate", cwd=minimal, env_extra=env)
    second = sh(py, "-m", "origins", "validate", cwd=minimal, env_extra=env)
    assert first.returncode == second.returncode == 0, first.stdout
    assert "result from the cache" not in first.stdout and "result from the cache" in second.stdout
    assert first.stdout.splitlines()[:-1] == second.stdout.splitlines()[:-1]  # the same findings and summary
    edit(minimal / "raw" / "figures.csv", "1000.50", "1000.5O")
    third = sh(py, "-m", "origins", "validate", cwd=minimal, env_extra=env)
    assert third.returncode == 1 and "result from the cache" not in third.stdout
    assert "raw/figures.csv:2:3: SCH001" in third.stdout
    fourth = sh(py, "-m", "origins", "validate", "--no-cache", cwd=minimal, env_extra=env)
    assert fourth.returncode == 1 and "result from the cache" not in fourth.stdout


def _validations(minimal, tmp_path, shown: str, n: int) -> list[str]:
    """`n` validations of `minimal`, each in a new process sharing one cache folder: the line
    `shown` (an expression of `r`, the result, and `sys`) prints for each."""
    code = f"import sys; from origins.checks.validate import validate; r = validate(sys.argv[1]); print({shown})"
    env = {"PYTHONPATH": str(REPO / "scripts"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    py = str(VENV / "bin" / "python")
    return [sh(py, "-c", code, str(minimal), cwd=minimal, env_extra=env).stdout.strip() for _ in range(n)]


def test_frictionless_verdicts_are_remembered_per_content(minimal, tmp_path):
    """Once frictionless has judged a descriptor and its schemas, an unchanged one is not sent to it
    again (importing it alone takes a third of a second); a changed schema is judged anew."""
    shown = "sorted({f.code for f in r.findings if f.severity == 'error'}), 'frictionless' in sys.modules"
    assert _validations(minimal, tmp_path, shown, 2) == ["[] True", "[] False"]
    edit(minimal / "schemas" / "events.json", '"primaryKey": [\n    "id"\n  ]', '"primaryKey": [\n    "nope"\n  ]')
    assert _validations(minimal, tmp_path, shown, 1) == ["['PKG007', 'PKG010'] True"]  # both judged anew


def test_profile_verdicts_are_remembered_per_content(minimal, tmp_path):
    """The jsonschema verdicts on the descriptor and the schemas are remembered the same way: the
    second run of an unchanged package does not import jsonschema; an invalid schema is judged anew,
    and its finding is the same whether judged or remembered."""
    shown = "[(f.code, f.path, f.line) for f in r.findings if f.code == 'PKG009'], 'jsonschema' in sys.modules"
    assert _validations(minimal, tmp_path, shown, 2) == ["[] True", "[] False"]
    edit(minimal / "schemas" / "events.json", '"type": "string"', '"type": "strung"')
    again = _validations(minimal, tmp_path, shown, 2)
    assert again[0] == again[1]  # (frictionless, judging the descriptor anew, imports jsonschema itself)
    assert again[0].startswith("[('PKG009', 'schemas/events.json', 8)]")


def test_each_stage_is_keyed_by_what_it_declares_it_reads(inputs):
    """The docs stage does not read the archive, the check stage does: a new archived text is a new
    check key and the same docs key."""
    root, snaps, _ = inputs
    docs, check = (pipeline.stage_key(s, root, (snaps,)) for s in ("docs", "check"))
    (snaps / "other.txt").write_text("another archived text")
    assert pipeline.stage_key("docs", root, (snaps,)) == docs
    assert pipeline.stage_key("check", root, (snaps,)) != check
    labels = [label for label, _ in pipeline.inputs("quotes", root, (snaps,))]
    assert labels[:2] == ["raw/citations.csv", "raw/sources.csv"] and "archive0/other.txt" in labels
