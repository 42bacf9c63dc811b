"""The pull-request summary under a simulated GitHub Actions environment."""

from __future__ import annotations

import json

from origins.read.package import load
from origins.release.manifest import manifest

from conftest import ARCHIVE, REPO, VENV, edit, sh

PY = str(VENV / "bin" / "python")


def _release_as(root, version: str) -> None:
    """Record the data of `root` as released `version` (a manifest with its schemas)."""
    m = manifest(load(root)) | {"version": version}
    (root / "releases").mkdir(exist_ok=True)
    (root / "releases" / f"{version}.json").write_text(json.dumps(m), encoding="utf-8")
    path = root / "datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(
        path.read_text(encoding="utf-8").replace(f'"version": "{desc["version"]}"', f'"version": "{version}"')
    )


def _validate(root, env):
    return sh(PY, "-m", "origins", "validate", cwd=root, env_extra={"PYTHONPATH": str(REPO / "scripts"), **env})


def test_job_summary_lists_findings_rows_and_schema_changes(repo_copy, tmp_path):
    _release_as(repo_copy, "1.0.0")
    edit(repo_copy / "schemas" / "events.json", '"maxLength": 300', '"maxLength": 301')  # a loosened constraint
    edit(repo_copy / "raw" / "events.csv", "Altman proposes a YC", "Altman suggests a YC")  # an editorial change
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps\n")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "ORIGINS_SNAPSHOT_DIR": ARCHIVE}
    proc = _validate(repo_copy, env)
    assert proc.returncode == 0, proc.stdout
    text = summary.read_text()
    assert text.startswith("earlier steps\n## openai-origins: what this change does\n"), text[:300]
    assert "The data passes every check" in text
    assert "### Since release 1.0.0 (needs a major version)" in text
    assert "| events | 0 | 1 | 0 |" in text
    assert "- events.title: maxLength 300 -> 301 (loosened, a major change)" in text
    assert "| `schemas/events.json:" in text and "| REL004 |" in text
    assert "| `datapackage.json:" in text and "| REL005 |" in text  # main still says 1.0.0
    assert "::warning file=schemas/events.json" in proc.stdout  # the annotation on the schema line


def test_schema_change_and_honest_version_messages(repo_copy):
    _release_as(repo_copy, "1.0.0")
    edit(repo_copy / "schemas" / "events.json", '"maxLength": 300', '"maxLength": 301')
    proc = _validate(repo_copy, {"ORIGINS_SNAPSHOT_DIR": ARCHIVE})
    lines = [line for line in proc.stdout.splitlines() if "REL00" in line]
    assert lines == [
        "datapackage.json:6: REL005 (warning) the data changed since 1.0.0 was released, so main is not 1.0.0: "
        'write "2.0.0-dev" (the next version, unreleased) until `make release` cuts it',
        "schemas/events.json:27: REL004 (warning) since 1.0.0: events.title: maxLength 300 -> 301 (loosened, a major "
        "change) at /fields/2/constraints/maxLength; loosening or removing needs a major version",
    ]
    path = repo_copy / "datapackage.json"
    path.write_text(path.read_text().replace('"version": "1.0.0"', '"version": "1.1.0-dev"'))
    proc = _validate(repo_copy, {"ORIGINS_SNAPSHOT_DIR": ARCHIVE})
    assert proc.returncode == 0, proc.stdout  # between releases a warning naming the version to write
    assert (
        'REL003 (warning) changes since 1.0.0 need a major version bump, but 1.1.0-dev is a minor bump; write "2.0.0-dev"'
        in proc.stdout
    )
    path.write_text(path.read_text().replace('"version": "1.1.0-dev"', '"version": "1.1.0"'))
    proc = _validate(repo_copy, {"ORIGINS_SNAPSHOT_DIR": ARCHIVE})
    assert proc.returncode == 1  # a release version that bumps too little is an error
    assert "REL003 changes since 1.0.0 need a major version bump, but 1.1.0 is a minor bump;" in proc.stdout


def test_no_summary_outside_actions(repo_copy, tmp_path):
    summary = tmp_path / "summary.md"
    proc = _validate(repo_copy, {"GITHUB_STEP_SUMMARY": str(summary), "ORIGINS_SNAPSHOT_DIR": ARCHIVE})
    assert proc.returncode == 0, proc.stdout
    assert not summary.exists()
