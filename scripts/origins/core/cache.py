"""The result cache: answers remembered by the sha256 of everything they depend on.

origins.pipeline keys a validation by the inputs its check stage declares (the descriptor, the
schemas, the CSVs, the release manifests, the citation files, the archived texts, the pipeline's
own code and the locked dependencies), the day (a date can become 'in the future' only by the
calendar) and the run's options. Any change to one of them is a new key, so a stale result is
never shown. `memo` remembers a slow pure function of small inputs the same way. Only this module
and the standard library are imported on a hit: the point is to answer before frictionless and
pyarrow are even loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

VERSION = 2  # bump when the cached record's shape changes


def key(files: list[tuple[str, Path]], head: dict) -> str:
    """The sha256 of `head` (the run's day, options, stage) and of every file in `files` ((label,
    path) pairs, in order; a missing file counts as missing): what a cached answer depends on.
    origins.pipeline declares each stage's files."""
    h = hashlib.sha256()
    h.update(json.dumps({"v": VERSION, "py": sys.version, **head}, sort_keys=True, default=str).encode())
    for label, path in files:
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
