"""Versions and the release manifests committed in releases/: what every stage may ask about history.

Kept apart from origins.release.manifest (which builds manifests and archives) so that loading a package
can name its latest release without importing the release machinery.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

RELEASES = "releases"
LEVELS = ["patch", "minor", "major"]
SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?")


def version_tuple(v: str) -> tuple[int, int, int]:
    """MAJOR.MINOR.PATCH of a semantic version; a pre-release tag (1.0.0-dev) is allowed."""
    m = SEMVER.fullmatch(v or "")
    if not m:
        raise ValueError(f"{v!r} is not a semantic version (MAJOR.MINOR.PATCH, optionally -dev)")
    return tuple(int(x) for x in m.groups()[:3])


def prerelease(v: str) -> str:
    """The pre-release tag of a version ('dev' in 1.0.0-dev), or ''."""
    m = SEMVER.fullmatch(v or "")
    return (m.group(4) or "") if m else ""


def final(v: str) -> str:
    """The version a release of `v` gets: without its pre-release tag."""
    return ".".join(str(x) for x in version_tuple(v))


def released(root: Path) -> list[dict]:
    """Committed manifests, oldest first."""
    folder = root / RELEASES
    found = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")] if folder.is_dir() else []
    return sorted(found, key=lambda m: version_tuple(m["version"]))


def bump_level(old: str, new: str) -> str | None:
    """Which part a version change bumps; None when it does not go forward."""
    a, b = version_tuple(old), version_tuple(new)
    if b <= a:
        return None
    return "major" if b[0] > a[0] else "minor" if b[1] > a[1] else "patch"
