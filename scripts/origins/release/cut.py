"""The release steps' rules: a clean tree, a version that bumps as much as the changes need, a
changelog heading, no version reused with other rows; then the manifest and the archive of what
build/ holds. origins.pipeline runs the steps in order (validate, version, docs, build, cut)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from origins.core.versions import LEVELS, RELEASES, bump_level, final, prerelease, released
from origins.release.dist import write_archive
from origins.release.manifest import changes, manifest, manifest_of_build


class Refused(Exception):
    """A release cannot be made: the reason says why and what to do; `findings` the data's errors, if any."""

    def __init__(self, reason: str, findings=()):
        super().__init__(reason)
        self.findings = list(findings)


def set_version(root: Path, day: str) -> str | None:
    """Turn main's unreleased version (2.0.0-dev) into the release (2.0.0) on `day` in the
    descriptor (version and created). Refuses, before changing a file, a version that bumps less
    than the changes since the last release need, or a CHANGELOG without an Unreleased section.
    Returns the version, or None when main is already final. The caller then regenerates the
    docs (origins.tools.docs) and calls `close_changelog`."""
    from origins.read.package import load

    path = root / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    version = json.loads(text)["version"]
    if not prerelease(version):
        return None
    done = final(version)
    history = released(root)
    if history:
        need = changes(root, history[-1], manifest(load(root)))["level"]
        got = bump_level(history[-1]["version"], done)
        if got is None or LEVELS.index(got) < LEVELS.index(need):
            raise Refused(f"the changes since {history[-1]['version']} need a {need} version; {done} is not one")
    if "## [Unreleased]" not in (root / "CHANGELOG.md").read_text(encoding="utf-8"):
        raise Refused("CHANGELOG.md has no '## [Unreleased]' section to release")
    text = text.replace(f'"version": "{version}"', f'"version": "{done}"', 1)
    text = re.sub(r'"created": "[^"]*"', f'"created": "{day}T00:00:00Z"', text, count=1)
    path.write_text(text, encoding="utf-8")
    return done


OPEN_SECTION = "## [Unreleased]\n\n<!-- unreleased:start -->\n<!-- unreleased:end -->\n\n"


def close_changelog(root: Path, version: str, day: str) -> None:
    """The Unreleased section becomes the release's, its generated counts frozen, and a new empty
    Unreleased section opens above it, where `make docs` counts what changes next."""
    log = root / "CHANGELOG.md"
    notes = log.read_text(encoding="utf-8").replace("## [Unreleased]", f"## [{version}] - {day}", 1)
    notes = notes.replace("<!-- unreleased:start -->\n", "", 1).replace("\n<!-- unreleased:end -->", "", 1)
    notes = notes.replace(f"## [{version}] - {day}", OPEN_SECTION + f"## [{version}] - {day}", 1)
    log.write_text(notes, encoding="utf-8")


def refuse_dirty(root: Path) -> None:
    dirty = git_dirty(root)
    if dirty:
        raise Refused(f"the working tree is not clean ({dirty.splitlines()[0]}); commit first")


def cut(root: Path, build: Path, dest: Path, published: list[str]) -> list[str]:
    """Record and archive the release a build holds: its version, created day and rows come from
    build/ (the descriptor and CSV copies); refuses a version released before with other rows."""
    built = json.loads((build / "datapackage.json").read_text(encoding="utf-8"))
    version, created = built["version"], built["created"]
    if f"## [{version}] - {created[:10]}" not in (root / "CHANGELOG.md").read_text(encoding="utf-8"):
        raise Refused(f"CHANGELOG.md has no heading '## [{version}] - {created[:10]}'")
    current = manifest_of_build(build)
    existing = next((m for m in released(root) if m["version"] == version), None)
    if existing is not None and existing["tables"] != current["tables"]:
        raise Refused(f"{version} was released with other data; bump the version")
    lines = []
    if existing is None:
        path = root / RELEASES / f"{version}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        lines.append(f"wrote {path.relative_to(root)} (commit it)")
    archive = write_archive(root, build, dest, version, created[:10], published)
    lines.append(f"wrote {archive.relative_to(root)}")
    lines.append((archive.parent / f"{archive.name}.sha256").read_text(encoding="utf-8").rstrip("\n"))
    return lines


def git_dirty(root: Path) -> str:
    proc = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        return "not a git checkout"
    return proc.stdout.strip()
