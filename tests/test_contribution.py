"""Contributions as they arrive: hooks and CI on a clean clone, and a simulated pull request."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, VENV, sh

pytestmark = pytest.mark.slow
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_zizmor(workflow):
    proc = sh(str(VENV / "bin" / "zizmor"), "--offline", "--min-severity", "low", str(workflow), cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_github_schema(workflow):
    exe = str(VENV / "bin" / "check-jsonschema")
    proc = sh(exe, "--builtin-schema", "vendor.github-workflows", str(workflow), cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_least_privilege_and_pinned(workflow):
    text = workflow.read_text()
    assert "pull_request_target" not in text
    assert "permissions:\n  contents: read" in text
    for line in text.splitlines():
        if "uses:" in line:
            ref = line.split("uses:")[1].split("#")[0].strip()
            assert len(ref.split("@")[1]) == 40, f"not pinned by commit: {ref}"


def test_pre_commit_passes_on_a_clean_clone(clone):
    proc = sh(str(clone / ".venv" / "bin" / "pre-commit"), "run", "--all-files", cwd=clone)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_broken_csv_fails_the_validate_hook_with_a_located_finding(clone):
    events = clone / "raw" / "events.csv"
    events.write_text(events.read_text().replace("2015-05-25,", "2015-05-32,", 1))
    proc = sh(str(clone / ".venv" / "bin" / "pre-commit"), "run", "validate", "--all-files", cwd=clone)
    assert proc.returncode == 1
    line = _line_of(events, "evt-2015-05-25-altman-proposes-manhattan-project,")
    assert f"raw/events.csv:{line}:2: DAT001 date '2015-05-32': May 2015 has no day 32" in proc.stdout


def _line_of(path: Path, prefix: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(prefix))


def test_simulated_contribution(clone):
    """A newcomer appends an event with a date after its source and a citation with a typo."""
    raw = clone / "raw"

    def findings_of(stdout):  # without their place, which the new rows shift
        return {ln.split(": ", 1)[1] for ln in stdout.splitlines() if ln.startswith("raw/")}

    before = findings_of(sh("make", "validate", cwd=clone).stdout)  # the committed data's (test_package vets them)
    with (raw / "events.csv").open("a") as fh:
        fh.write("evt-2024-12-02-new-filing,2024-12-02,A later filing,Something filed later.,litigation,,\n")
    with (raw / "citations.csv").open("a") as fh:
        fh.write("evt-2024-12-02-new-filing,src-verge-2024-11-18,paragraph 3,,,\n")
        fh.write("evt-2024-12-02-new-filng,src-verge-2024-11-18,paragraph 4,,,\n")
    pre_commit = str(clone / ".venv" / "bin" / "pre-commit")
    proc = sh(pre_commit, "run", "--all-files", cwd=clone)
    assert proc.returncode == 1
    assert "format CSVs (canonical form)" in proc.stdout and "files were modified by this hook" in proc.stdout
    cit = raw / "citations.csv"
    dat_line = _line_of(cit, "evt-2024-12-02-new-filing,src-verge")
    ref_line = _line_of(cit, "evt-2024-12-02-new-filng,")
    expected = [
        f"raw/citations.csv:{dat_line}:2: DAT004 source src-verge-2024-11-18 was published 2024-11-18, "
        "but event evt-2024-12-02-new-filing begins 2024-12-02: a source cannot report a later event "
        "(certain conflict); check the event's date or cite a later source",
        f"raw/citations.csv:{ref_line}:1: CIT002 row_id 'evt-2024-12-02-new-filng' is not an id in "
        "events.csv (did you mean 'evt-2024-12-02-new-filing'?); cite an existing row or add the row first",
    ]
    for line in expected:
        assert line in proc.stdout
    ci = sh("make", "validate", cwd=clone, env_extra={"GITHUB_ACTIONS": "true"})
    assert ci.returncode != 0
    findings = [ln for ln in ci.stdout.splitlines() if ln.startswith("raw/") and ln.split(": ", 1)[1] not in before]
    assert sorted(findings) == sorted(expected)  # exactly these two, and nothing else new
    annotations = [ln for ln in ci.stdout.splitlines() if ln.startswith("::error")]
    assert sorted(a.split("::")[1] for a in annotations) == sorted(
        [
            f"error file=raw/citations.csv,line={dat_line},col=2,title=DAT004",
            f"error file=raw/citations.csv,line={ref_line},col=1,title=CIT002",
        ]
    )
