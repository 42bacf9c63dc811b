"""The release archive: dist/openai-origins-<version>.zip, reproducible byte for byte (fixed
order, timestamps and permissions) with SHA256SUMS inside."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

# beside build/ (which holds the dataset card, build/README.md); the data dictionary is what the card points to
ARCHIVE_FILES = [
    "README.md",
    "LICENSE",
    "LICENSE-DATA.md",
    "CITATION.cff",
    "CHANGELOG.md",
    "datapackage.json",
    "docs/data-dictionary.md",
]


def _zip_info(name: str, date: str) -> zipfile.ZipInfo:
    y, m, d = (int(x) for x in date.split("-"))
    info = zipfile.ZipInfo(name, date_time=(y, m, d, 0, 0, 0))
    info.external_attr = 0o644 << 16
    info.create_system = 3
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def archive_members(root: Path, build: Path, published: list[str]) -> list[tuple[str, Path]]:
    """(name in the archive, file) of everything a release holds: the files beside build/, the
    schemas and raw CSVs, and `published`, the files of build/ the outputs registry lists (the
    caller, origins.pipeline, asks it), in name order."""
    members = [(n, root / n) for n in ARCHIVE_FILES if (root / n).is_file()]
    for folder in ("schemas", "raw"):
        members += [(f"{folder}/{p.name}", p) for p in sorted((root / folder).glob("*")) if p.is_file()]
    members += [(f"build/{rel}", build / rel) for rel in published]
    return sorted(members)


def write_archive(root: Path, build: Path, dest: Path, version: str, date: str, published: list[str]) -> Path:
    """A reproducible zip: fixed order, timestamps and permissions, with SHA256SUMS inside."""
    prefix = f"openai-origins-{version}"
    members = archive_members(root, build, published)
    sums = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {n}\n" for n, p in members)
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / f"{prefix}.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, p in members:
            zf.writestr(_zip_info(f"{prefix}/{name}", date), p.read_bytes(), compresslevel=9)
        zf.writestr(_zip_info(f"{prefix}/SHA256SUMS", date), sums, compresslevel=9)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (dest / f"{prefix}.zip.sha256").write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return path
