"""Reading requirements.lock and proving it complete: what `make` installs is the lock alone.

The lock is installed without resolving (uv pip sync), so it must hold every requirement of every
package it pins, extras and environment markers included. `gaps` computes what is missing or
pinned at a version that does not satisfy a requirement, from the metadata of the installed
distributions (the environment running the tests was installed from the same lock).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


@dataclass(frozen=True)
class Pin:
    name: str  # canonical name
    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]


def pins(text: str) -> dict[str, Pin]:
    """Each `name==version [; marker]` stanza of a uv/pip-compile lock, with its hashes."""
    out: dict[str, Pin] = {}
    current: list = []
    for line in text.splitlines():
        m = _PIN.match(line)
        if m:
            name, version, marker = m.groups()
            current = [canonicalize_name(name), Version(version), Marker(marker) if marker else None, []]
            out[current[0]] = current  # type: ignore[assignment]
        elif current and line.strip().startswith("--hash="):
            current[3].append(line.strip().removeprefix("--hash=").rstrip(" \\"))
    return {k: Pin(v[0], v[1], v[2], tuple(v[3])) for k, v in out.items()}  # type: ignore[index]


def applies(pin: Pin, env: dict[str, str]) -> bool:
    return pin.marker is None or pin.marker.evaluate(env)


def gaps(locked: dict[str, Pin], requires: Callable[[str], Iterable[str]], env: dict[str, str]) -> list[str]:
    """What the lock misses for `env`: one sentence per requirement not locked, or locked too old/new.

    `requires(name)` gives a locked distribution's Requires-Dist strings. Extras are followed: a
    requirement `b[x]` makes b's requirements under `extra == "x"` count too.
    """
    problems: list[str] = []
    wanted: dict[str, set[str]] = {name: set() for name, pin in locked.items() if applies(pin, env)}
    todo = list(wanted)
    done: set[tuple[str, str]] = set()
    while todo:
        name = todo.pop()
        for extra in {""} | wanted[name]:
            if (name, extra) in done:
                continue
            done.add((name, extra))
            for line in requires(name):
                req = Requirement(line)
                if req.marker is not None and not req.marker.evaluate({**env, "extra": extra}):
                    continue
                if extra and (req.marker is None or "extra" not in str(req.marker)):
                    continue  # the base requirements were seen with extra ""
                target = canonicalize_name(req.name)
                pin = locked.get(target)
                where = f"{name}[{extra}]" if extra else name
                if pin is None or not applies(pin, env):
                    problems.append(f"{where} requires {req}, which requirements.lock does not pin")
                    continue
                if req.specifier and pin.version not in req.specifier:
                    problems.append(f"{where} requires {req}, but requirements.lock pins {target}=={pin.version}")
                new = set(req.extras) - wanted.setdefault(target, set())
                if new:
                    wanted[target] |= new
                    todo.append(target)
    return sorted(set(problems))
