"""The synthetic generator and the benchmark: valid, deterministic, defects found exactly."""

from __future__ import annotations

import pytest

from origins.checks.validate import validate
from origins.tools.synth import generate

from conftest import REPO, TODAY, VENV, sh

pytestmark = pytest.mark.slow


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generator_is_deterministic_and_valid(tmp_path):
    assert generate(tmp_path / "a", REPO, 300, seed=5) == []
    generate(tmp_path / "b", REPO, 300, seed=5)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    result = validate(tmp_path / "a", str(tmp_path / "a" / "snapshots"), on=TODAY)
    assert [str(f) for f in result.findings] == []
    assert result.stats["rows"]["events"] == 300 and result.stats["quotes"]["verified"] == 150


def test_every_injected_defect_is_reported_at_its_line_and_nothing_else(tmp_path):
    expected = generate(tmp_path / "d", REPO, 400, seed=11, defects=2)
    assert len(expected) == 12 and {code for _, _, code in expected} == {
        "SCH001",
        "SCH006",
        "CIT001",
        "DAT001",
        "MON001",
        "CIT006",
    }
    result = validate(tmp_path / "d", str(tmp_path / "d" / "snapshots"), on=TODAY)
    assert sorted((f.path, f.line, f.code) for f in result.findings) == expected


def test_benchmark_runs_at_a_tiny_size():
    py = str(VENV / "bin" / "python")
    proc = sh(
        py,
        "-m",
        "origins",
        "bench",
        "--sizes",
        "40",
        "--repeat",
        "1",
        "--defects",
        "1",
        cwd=REPO,
        env_extra={"PYTHONPATH": str(REPO / "scripts")},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "| data | rows | validate s | build s | site s | hook s (unchanged / changed) | frictionless s |" in out
    rows = [line.split(" | ") for line in out.splitlines() if line.startswith(("| committed |", "| 40 events |"))]
    assert len(rows) == 2 and all(len(r) == 15 for r in rows)
    for r in rows:  # each stage's seconds and peak memory measured, none missing
        assert all(float(x) >= 0 for x in r[11].split(" / ")) and all(float(x) > 0 for x in r[13].split(" / "))
    assert "40 events with 1 defects of each kind: found 6/6, unexpected 0" in out
    assert "scaling exponent" not in out  # one synthetic size: nothing to compare
    assert "failed" not in out  # every command, the hook included, really ran


def test_a_hook_that_could_not_run_is_named_not_timed():
    """A hook that exits 1 on the committed data (which validates) could not run (in a checkout
    without the .venv its entry names it answers at once): the bench says so instead of printing
    its seconds as a measurement. For validate, 1 is 'found errors', a real run."""
    from origins.tools.bench import failure

    assert failure("pre-commit hook, changed", 1) and failure("pre-commit hook", 2)
    assert not failure("pre-commit hook", 0)
    assert not failure("validate", 1) and failure("validate", -9) and failure("build", 2)


def test_the_bench_names_the_imports_a_run_pays_for():
    """`import_costs` reads `python -X importtime`: the run's imports in all, and the packages that
    take longest; a validate run pays for pyarrow and never for pandas (tests/test_cells.py)."""
    from origins.tools.bench import import_costs

    total, top = import_costs(REPO, ["validate", "--no-cache"], top=50)
    names = dict(top)
    assert 0 < total < 30 and "pyarrow" in names and "pandas" not in names
    assert [s for _, s in top] == sorted((s for _, s in top), reverse=True)
