"""Shared helpers: copies of the package to break on purpose, and one way to validate them."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from origins.checks.validate import validate

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"
SEEDS = REPO.parent / "shared" / "seeds"
# the source archive as CI lays it out: the snapshots, then the seed post
ARCHIVE = os.pathsep.join(str(REPO.parent / "shared" / d) for d in ("snapshots", "seeds"))
TODAY = date(2026, 12, 7)  # the last day sources were read (accessed); a fixed day keeps runs reproducible
VENV = Path(sys.executable).parent.parent  # the pinned environment running the tests


def make_package(dest: Path, raw: Path) -> Path:
    """The repository's descriptor and schemas with the CSVs of `raw`, in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(REPO / "schemas", dest / "schemas")
    shutil.copytree(raw, dest / "raw")
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One build of the committed package, shared by every test that reads build/ (not modified by them)."""
    out = tmp_path_factory.mktemp("built") / "build"
    code, messages = build(REPO, out, ARCHIVE)
    assert code == 0, messages
    return out


def build(root, out, snapshots=None, site: bool = False) -> tuple[int, list[str]]:
    """The pipeline's build (origins.pipeline) as the command line reports it: exit code and lines."""
    from origins.cli import build_report
    from origins.pipeline import build as run

    return build_report(run(root, out, snapshots, site=site))


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
        f"{f.path}:{f.line}:{f.column} {f.code}" for f in result.findings if severity is None or f.severity == severity
    ]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def sh(*cmd, cwd, env_extra=None, check=False):
    env = {**os.environ, "ORIGINS_SNAPSHOT_DIR": ARCHIVE, "PRE_COMMIT_COLOR": "never"}
    env.pop("GITHUB_ACTIONS", None)
    env.update(env_extra or {})
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture
def clone(tmp_path) -> Path:
    """A clean clone of the committed repository, using the pinned tools of this environment."""
    dest = tmp_path / "clone"
    sh("git", "clone", "--quiet", str(REPO), str(dest), cwd=tmp_path, check=True)
    (dest / ".venv").symlink_to(VENV)
    sh("git", "config", "user.email", "t@example.invalid", cwd=dest, check=True)
    sh("git", "config", "user.name", "test", cwd=dest, check=True)
    return dest


@contextlib.contextmanager
def serve(directory: Path):
    """A folder over HTTP on localhost, quietly, for as long as the block runs; yields its address."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
