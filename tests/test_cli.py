"""The command line as contributors and CI meet it: located lines, annotations, JSON, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import FIXTURE, REPO, edit


def origins(*args, cwd, env_extra=None):
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "SOURCE_DATE_EPOCH": "1795651200"}
    env.pop("GITHUB_ACTIONS", None)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "origins", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def validate_under_actions(root):
    """`origins validate` on a fixture copy, as GitHub Actions runs it (annotations on)."""
    return origins(
        "validate", "--snapshots", str(FIXTURE / "snapshots"), cwd=root, env_extra={"GITHUB_ACTIONS": "true"}
    )


def test_clean_package_exits_0_with_a_summary(minimal):
    proc = origins("validate", "--snapshots", str(FIXTURE / "snapshots"), cwd=minimal)
    assert proc.returncode == 0, proc.stdout
    assert "0 error(s), 0 warning(s)" in proc.stdout
    assert "quotes: 5 of 5 verified against archived texts, 0 unverified" in proc.stdout
    assert proc.stderr == ""


def test_broken_package_exits_1_with_located_lines_and_annotations(minimal):
    edit(minimal / "raw" / "events.csv", "2016-01-06,Bob", "2016-01-04,Bob")
    proc = validate_under_actions(minimal)
    assert proc.returncode == 1 and proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("raw/events.csv:3:7: DAT005 event evt-2016-01-06-reply (2016-01-04) responds to")
    assert any(ln.startswith("::error file=raw/events.csv,line=3,col=7,title=DAT005::") for ln in lines)


def test_warnings_alone_exit_0(minimal):
    edit(minimal / "raw" / "sources.csv", "2016-01-10,2026-01-01", "2016-01,2026-01-01")
    proc = validate_under_actions(minimal)
    assert proc.returncode == 0
    assert "::warning file=raw/citations.csv,line=5,col=2,title=DAT004::" in proc.stdout


def test_json_report(minimal):
    edit(minimal / "raw" / "figures.csv", "money,USD,exact", "money,USX,exact")
    proc = origins("validate", "--format", "json", "--snapshots", str(FIXTURE / "snapshots"), cwd=minimal)
    report = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert [(f["path"], f["line"], f["column"], f["code"], f["value"]) for f in report["findings"]] == [
        ("raw/figures.csv", 2, 6, "MON001", "USX")
    ]
    assert report["summary"]["errors"] == 1


def test_snapshot_dir_from_environment(minimal):
    proc = origins("validate", cwd=minimal, env_extra={"ORIGINS_SNAPSHOT_DIR": str(FIXTURE / "snapshots")})
    assert "5 verified" in proc.stdout


def test_missing_descriptor_is_a_message_not_a_traceback(tmp_path):
    proc = origins("validate", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("datapackage.json: PKG001 package descriptor datapackage.json is missing")
    assert "Traceback" not in proc.stdout + proc.stderr


def test_coverage_report(minimal):
    proc = origins("coverage", "--snapshots", str(FIXTURE / "snapshots"), cwd=minimal)
    assert proc.returncode == 0
    as_of = json.loads((minimal / "datapackage.json").read_text())["x-coverage"]  # how far each source family was read
    assert proc.stdout.splitlines() == [
        "- Rows: sources 2, people 2, organizations 2, roles 1, events 2, participants 4, questions 1, claims 2, figures 2, "
        "citations 8, retired 0.",
        "- Events per year: 2016: 2.",
        "- Events dated to the day: 2/2 (100%).",
        "- Sources per tier: press 1, primary 1; read (with a day of access): 1/2 (50%).",
        "- Citations of events, claims and figures that carry a quote: 5/7 (71%).",
        *(f"- {c['sources']}: read as of {c['as_of']} ({c['note']})." for c in as_of),
        "- Citations whose quote was verified against an archived text: 5/8 (62%).",
        "- Quotes by source tier (citations: quoted / verified / unquoted):",
        "  - press: 1: 0 / 0 / 1",
        "  - primary: 7: 5 / 5 / 2",
    ]


def test_docs_need_no_build(clone):
    """`make docs` writes the generated docs and the README's picture from the package alone: a
    fresh clone has no build, and none is written."""
    (clone / "docs" / "timeline.png").unlink()
    proc = origins("docs", cwd=clone, env_extra={"PYTHONPATH": str(clone / "scripts")})
    assert proc.returncode == 0, proc.stderr
    assert "wrote docs/timeline.png" in proc.stdout
    assert (clone / "docs" / "timeline.png").read_bytes() == (REPO / "docs" / "timeline.png").read_bytes()
    assert sorted(p.name for p in (clone / "build").iterdir()) == [".gitkeep"]  # nothing built
    assert subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout == ""


def test_a_check_that_cannot_run_is_named_not_skipped_in_silence(minimal):
    edit(minimal / "raw" / "people.csv", "per-bob,Bob,", 'per-bob,"Bob,')  # an unclosed quote: unreadable
    proc = origins("validate", "--snapshots", str(FIXTURE / "snapshots"), cwd=minimal)
    assert proc.returncode == 1 and "PKG005" in proc.stdout
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("checks not run: "))
    assert "not_canonical (needs raw/people.csv, which could not be read)" in line
    report = json.loads(
        origins("validate", "--format", "json", "--snapshots", str(FIXTURE / "snapshots"), cwd=minimal).stdout
    )
    skipped = report["summary"]["checks"]["skipped"]
    assert skipped["not_canonical"] == "needs raw/people.csv, which could not be read"
    assert "unknown_currency" in report["summary"]["checks"]["ran"]  # figures.csv could be read
