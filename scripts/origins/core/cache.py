"""A content-hash cache of validate's result, so an unchanged package validates at once.

The key is the sha256 of everything a finding can depend on: the descriptor, the schemas, the
CSVs, the release manifests and the citation files; the archived texts in the snapshot directories; the pipeline's
own code and the locked dependencies; the day (a date can become 'in the future' only by the
calendar) and the run's options. Any change to one of them is a new key, so a stale result is
never shown. Only this module and the standard library are imported on a hit: the point is to
answer before frictionless and pyarrow are even loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

CODE = Path(__file__).resolve().parent.parent  # scripts/origins
VERSION = 1  # bump when the cached record's shape changes


def _files(root: Path, dirs: tuple[Path, ...]) -> list[tuple[str, Path]]:
    """(label, path) of every input, in a fixed order."""
    out = [("descriptor", root / "datapackage.json"), ("lock", root / "requirements.lock")]
    out += [(f"cites/{n}", root / n) for n in ("CITATION.cff", ".zenodo.json", "README.md")]  # REL006 reads them
    for folder, pattern in (("schemas", "*.json"), ("raw", "*.csv"), ("releases", "*.json")):
        out += [(f"{folder}/{p.name}", p) for p in sorted((root / folder).glob(pattern))]
    out += [
        (f"code/{p.relative_to(CODE).as_posix()}", p) for p in sorted(CODE.rglob("*")) if p.suffix in (".py", ".json")
    ]
    for i, d in enumerate(dirs):
        out += [(f"archive{i}/{p.relative_to(d).as_posix()}", p) for p in sorted(d.rglob("*")) if p.is_file()]
    return out


def key(root: Path, dirs: tuple[Path, ...], day: str, options: dict) -> str:
    """The cache key of a validate run (see the module docstring for what goes into it)."""
    h = hashlib.sha256()
    head = {"v": VERSION, "py": sys.version, "day": day, "options": options, "dirs": [str(d) for d in dirs]}
    h.update(json.dumps(head, sort_keys=True).encode())
    for label, path in _files(root, dirs):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0missing"
        h.update(f"\n{label}\n{len(data)}\n".encode())
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def folder(kind: str = "validate") -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "openai-origins" / kind


def load(k: str, kind: str = "validate"):
    try:
        return json.loads((folder(kind) / f"{k}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def memo(kind: str, parts: list, compute):
    """`compute()`, remembered under the sha256 of `parts` (JSON): for a pure, slow function of
    small inputs, such as frictionless's verdict on one Table Schema. The parts must name
    everything the result depends on (the input, the code, the library version)."""
    k = hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    found = load(k, kind)
    if found is not None:
        return found["value"]
    value = compute()
    store(k, {"value": value}, kind)
    return value


def store(k: str, record: dict, kind: str = "validate") -> None:
    """Write atomically; a cache that cannot be written is simply not used."""
    d = folder(kind)
    try:
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{k}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        tmp.replace(d / f"{k}.json")
    except OSError:
        pass
