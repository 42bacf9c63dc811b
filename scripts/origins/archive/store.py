"""The source archive: byte-exact texts of cited sources, kept outside git.

Texts are found in a list of directories, first by the file name a source names in
`sources.csv` (`snapshot`), then by content address (`sha256/<hex>`, the layout that
`origins snapshot` writes). The list comes from `--snapshots` (repeatable), else
ORIGINS_SNAPSHOT_DIR (directories joined with the platform's path separator), else the
defaults: the local source archive (~/.cache/openai-origins/snapshots), then `../shared/snapshots` and `../shared/seeds` beside
the package, where present. Texts are never copied into the repository.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ENV = "ORIGINS_SNAPSHOT_DIR"
SHARED = ("../shared/snapshots", "../shared/seeds")  # relative to the package root
BY_HASH = "sha256"  # sub-directory of content-addressed texts: sha256/<hex>


def local_archive() -> Path:
    """The local source archive, which `origins snapshot` fills (under XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "openai-origins" / "snapshots"


def snapshot_dirs(root: Path, chosen: list[str] | str | None = None) -> tuple[Path, ...]:
    """Where archived texts are looked for, in order (see the module docstring)."""
    if isinstance(chosen, str):
        chosen = [chosen]
    if chosen:
        parts = [p for c in chosen for p in c.split(os.pathsep) if p]
    elif os.environ.get(ENV):
        parts = [p for p in os.environ[ENV].split(os.pathsep) if p]
    else:
        defaults = [local_archive(), *(root / s for s in SHARED)]
        return tuple(p.resolve() for p in defaults if p.is_dir())
    return tuple((Path(p) if Path(p).is_absolute() else root / p).resolve() for p in parts)


def inside(directory: Path, name: str) -> Path | None:
    """`directory/name`, or None if the name would leave the directory (a path, `..`, a link out)."""
    return _inside(str(directory), name)


@lru_cache(maxsize=4096)
def _inside(directory: str, name: str) -> Path | None:
    base = Path(directory).resolve()
    try:
        path = (base / name).resolve()
    except OSError:  # a name the file system refuses (too long, a loop of links): no such text
        return None
    return path if path.is_relative_to(base) and path != base else None


def _is_file(path: Path) -> bool:
    """Path.is_file, where a name the file system refuses (ENAMETOOLONG) is simply no file."""
    try:
        return path.is_file()
    except OSError:
        return False


@dataclass(frozen=True)
class Text:
    """An archived text as read: where it was found, its sha256 and its characters."""

    path: Path
    sha256: str
    text: str


@lru_cache(maxsize=512)
def read(path: Path) -> Text | None:
    """The archived text at `path`, read once per run (None if it cannot be read)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return Text(path, hashlib.sha256(data).hexdigest(), data.decode("utf-8", errors="replace"))


def find(dirs: tuple[Path, ...], name: str, sha256: str = "") -> Text | None:
    """The archived text of a source: a file whose hash is the recorded one wins; else the
    first file of that name (so that a changed archive is reported, not silently skipped)."""
    first = None
    for d in dirs:
        path = inside(d, name) if name else None
        text = read(path) if path and _is_file(path) else None
        if text and (not sha256 or text.sha256 == sha256):
            return text
        first = first or text
    if sha256:
        for d in dirs:
            path = d / BY_HASH / sha256
            text = read(path) if _is_file(path) else None
            if text and text.sha256 == sha256:
                return text
    return first
