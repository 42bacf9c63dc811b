"""Shared helpers: copies of the package to break on purpose, and one way to validate them."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from origins.validate import validate

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"
SEEDS = REPO.parent / "shared" / "seeds"
TODAY = date(2026, 11, 26)


def make_package(dest: Path, raw: Path) -> Path:
    """The repository's descriptor and schemas with the CSVs of `raw`, in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(REPO / "schemas", dest / "schemas")
    shutil.copytree(raw, dest / "raw")
    return dest


@pytest.fixture
def minimal(tmp_path) -> Path:
    """A small valid package (tests/fixtures/minimal) in a scratch folder."""
    return make_package(tmp_path / "pkg", FIXTURE / "raw")


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """The committed package in a scratch folder."""
    return make_package(tmp_path / "repo", REPO / "raw")


def run(root: Path, snapshots: Path = FIXTURE / "snapshots", strict: bool = False):
    return validate(root, str(snapshots), strict=strict, on=TODAY)


def located(result, severity: str | None = None) -> list[str]:
    """Findings as 'path:line:col CODE', the form the tests compare."""
    return [
        f"{f.path}:{f.line}:{f.column} {f.code}"
        for f in result.findings
        if severity is None or f.severity == severity
    ]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
