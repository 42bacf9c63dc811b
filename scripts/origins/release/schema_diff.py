"""What changed in the Table Schemas and the descriptor since a release, and how much it matters.

A schema is a contract with the people who read the data: a field removed or retyped, or a
constraint loosened (a value the schema used to refuse is now allowed), can break what they
built on it, so it needs a major version; a field added or a constraint tightened only adds a
promise, a minor one. Descriptions are editorial and not compared.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

LOOSER_WHEN_LOWER = ("minLength", "minimum")  # a lower bound that drops lets more in
LOOSER_WHEN_HIGHER = ("maxLength", "maximum")


def snapshot(descriptor: dict, schemas: dict[str, dict]) -> dict:
    """The parts of the descriptor and schemas that constrain the data, per resource."""
    out = {}
    for res in descriptor.get("resources", []):
        s = schemas.get(res.get("name"), {})
        out[res.get("name")] = {
            "fields": {
                f["name"]: {"type": f.get("type", "string"), "constraints": f.get("constraints", {})}
                | ({"x-editorial": True} if f.get("x-editorial") else {})
                for f in s.get("fields", [])
            },
            "primaryKey": s.get("primaryKey", []),
            "foreignKeys": s.get("foreignKeys", []),
        }
    return out


def editorial(snap: dict) -> dict[str, set[str]]:
    """Each table's wording-only columns (`x-editorial`) in a snapshot."""
    return {t: {n for n, f in s.get("fields", {}).items() if f.get("x-editorial")} for t, s in snap.items()}


def from_git(root: Path, manifest_path: str) -> dict | None:
    """The snapshot at the commit that added a release manifest (for manifests made before they
    carried one); None outside a git checkout or a shallow clone without that commit."""

    def git(*args):
        p = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return p.stdout if p.returncode == 0 else None

    commit = (git("log", "--diff-filter=A", "--format=%H", "-1", "--", manifest_path) or "").strip()
    if not commit:
        return None
    desc_text = git("show", f"{commit}:datapackage.json")
    if desc_text is None:
        return None
    descriptor = json.loads(desc_text)
    schemas = {}
    for res in descriptor.get("resources", []):
        text = git("show", f"{commit}:{res.get('schema')}") if isinstance(res.get("schema"), str) else None
        schemas[res.get("name")] = json.loads(text) if text else {}
    return snapshot(descriptor, schemas)


def _change(table, field, kind, what, pointer, level):
    return {"table": table, "field": field, "change": kind, "what": what, "pointer": pointer, "level": level}


def _way(table, field, loosened: bool, what: str, pointer: str) -> dict:
    """A constraint change: loosening needs a major version, tightening a minor one."""
    return _change(
        table, field, "loosened" if loosened else "tightened", what, pointer, "major" if loosened else "minor"
    )


def _enum_changes(table, field, ea, eb, pointer: str) -> list[dict]:
    if ea is None and eb is None:
        return []
    if eb is None:
        return [_way(table, field, True, "enum removed", pointer)]
    if ea is None:
        return [_way(table, field, False, "enum added", pointer)]
    more, fewer = sorted(set(eb) - set(ea)), sorted(set(ea) - set(eb))
    out = [_way(table, field, True, f"enum allows {', '.join(more)}", pointer)] if more else []
    return out + ([_way(table, field, False, f"enum no longer allows {', '.join(fewer)}", pointer)] if fewer else [])


def _pattern_changes(table, field, pa_, pb, pointer: str) -> list[dict]:
    if pa_ == pb:
        return []
    if pb is None:
        return [_way(table, field, True, "pattern removed", pointer)]
    if pa_ is None:
        return [_way(table, field, False, "pattern added", pointer)]
    # two regular expressions cannot be ordered: assume the new one lets more in
    return [_way(table, field, True, f"pattern {pa_} -> {pb}", pointer)]


def _bound_changes(table, field, a: dict, b: dict, p: str) -> list[dict]:
    out = []
    for key in LOOSER_WHEN_LOWER + LOOSER_WHEN_HIGHER:
        va, vb = a.get(key), b.get(key)
        if va == vb:
            continue
        lower_is_looser = key in LOOSER_WHEN_LOWER
        loosened = vb is None if None in (va, vb) else (vb < va if lower_is_looser else vb > va)
        out.append(_way(table, field, loosened, f"{key} {va} -> {vb}", f"{p}/{key}"))
    return out


def _constraints(table, field, a: dict, b: dict, pointer: str) -> list[dict]:
    p = f"{pointer}/constraints"
    out = [
        _way(table, field, bool(a.get(key)), f"{key} {bool(a.get(key))} -> {bool(b.get(key))}", f"{p}/{key}")
        for key in ("required", "unique")
        if bool(a.get(key)) != bool(b.get(key))
    ]
    out += _enum_changes(table, field, a.get("enum"), b.get("enum"), f"{p}/enum")
    out += _pattern_changes(table, field, a.get("pattern"), b.get("pattern"), f"{p}/pattern")
    return out + _bound_changes(table, field, a, b, p)


def compare(old: dict, new: dict) -> list[dict]:
    """Every field added, removed or retyped and every constraint loosened or tightened."""
    out = []
    for table in sorted(set(old) | set(new)):
        if table not in new:
            out.append(_change(table, "", "removed", "resource removed", "/resources", "major"))
            continue
        if table not in old:
            out.append(_change(table, "", "added", "resource added", "/resources", "minor"))
            continue
        a, b = old[table], new[table]
        names = list(b["fields"])
        for field in sorted(set(a["fields"]) | set(b["fields"])):
            pointer = f"/fields/{names.index(field)}" if field in b["fields"] else "/fields"
            if field not in b["fields"]:
                out.append(_change(table, field, "removed", "field removed", pointer, "major"))
            elif field not in a["fields"]:
                out.append(_change(table, field, "added", "field added", pointer, "minor"))
            elif a["fields"][field]["type"] != b["fields"][field]["type"]:
                fa, fb = a["fields"][field]["type"], b["fields"][field]["type"]
                out.append(_change(table, field, "retyped", f"type {fa} -> {fb}", f"{pointer}/type", "major"))
            else:
                out += _constraints(
                    table, field, a["fields"][field]["constraints"], b["fields"][field]["constraints"], pointer
                )
        if a["primaryKey"] != b["primaryKey"]:
            out.append(
                _change(
                    table, "", "retyped", f"primary key {a['primaryKey']} -> {b['primaryKey']}", "/primaryKey", "major"
                )
            )
        fka = {json.dumps(fk, sort_keys=True) for fk in a["foreignKeys"]}
        fkb = {json.dumps(fk, sort_keys=True) for fk in b["foreignKeys"]}
        for fk in sorted(fka - fkb):
            out.append(_change(table, "", "loosened", f"foreign key removed: {fk}", "/foreignKeys", "major"))
        for fk in sorted(fkb - fka):
            out.append(_change(table, "", "tightened", f"foreign key added: {fk}", "/foreignKeys", "minor"))
    return out


def level(changes: list[dict]) -> str:
    return "major" if any(c["level"] == "major" for c in changes) else "minor" if changes else "patch"


def describe(c: dict) -> str:
    where = f"{c['table']}.{c['field']}" if c["field"] else c["table"]
    return f"{where}: {c['what']} ({c['change']}, a {c['level']} change)"
