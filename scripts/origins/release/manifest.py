"""What was released, compared with the working data: row manifests, row-level diffs, the
bump a diff needs (the semantic-versioning rule) and the release to cite.

The rule (documented in docs/releases.md):
- a row removed, or a value changed or cleared in any column other than the editorial ones
  -> major;
- rows added, or empty cells filled in (and nothing removed or changed beyond editorial
  columns) -> minor;
- only editorial columns changed (those the schemas mark `x-editorial`: the wording of titles,
  summaries, statements, notes, descriptions, aliases), or no row changed at all -> patch.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from origins.core.versions import LEVELS, RELEASES
from origins.read.meaning import FORMULA_START
from origins.read.package import Dataset
from origins.release import schema_diff


def _h(text: str, n: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def manifest_of(descriptor: dict, tables: dict[str, tuple[dict, dict[str, list[str]]]]) -> dict:
    """Per table (name -> (Table Schema, its cells column by column, "" for an empty one)), each
    primary key with a hash of its row and of each non-empty cell; with the descriptor's name,
    version and created."""
    out = {}
    for name, (schema, columns) in tables.items():
        names = [f["name"] for f in schema.get("fields", [])]
        pk = schema.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else list(pk)
        n = max((len(v) for v in columns.values()), default=0)
        empty = [""] * n
        named = [(c, columns.get(c) or empty) for c in names]
        keys = [columns.get(k) or empty for k in pk]
        hashed = {}
        for i in range(n):
            cells = {c: v[i] for c, v in named if v[i]}
            key = keys[0][i] if len(keys) == 1 else json.dumps([k[i] for k in keys], ensure_ascii=False)
            hashed[key] = {
                "row": _h(json.dumps(cells, sort_keys=True, ensure_ascii=False), 16),
                "columns": {c: _h(v, 10) for c, v in sorted(cells.items())},
            }
        out[name] = dict(sorted(hashed.items()))
    schemas = schema_diff.snapshot(descriptor, {name: schema for name, (schema, _) in tables.items()})
    return {
        "name": descriptor.get("name"),
        "version": descriptor.get("version"),
        "created": descriptor.get("created"),
        "tables": out,
        "schemas": schemas,
    }


def manifest(ds: Dataset) -> dict:
    """The manifest of the working data (a loaded package): what the checks compare with the last
    release. Made once per loaded dataset from its columns (REL001 and the version checks both ask)."""
    cache = ds.__dict__.setdefault("_release_changes", {})
    if "m" not in cache:
        tables = {
            name: (t.schema, {c: t.values(c) for c in dict.fromkeys([f["name"] for f in t.schema.get("fields", [])])})
            for name, t in ds.tables.items()
        }
        cache["m"] = manifest_of(ds.descriptor, tables)
    return cache["m"]


def _unescape(value: str) -> str:
    """A cell of a build's CSV copy as it is in raw/: the copies prefix a formula-like cell with '."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def manifest_of_build(build: Path) -> dict:
    """The manifest of what a build published: its descriptor and its CSV copies (build/csv/)."""
    built = json.loads((build / "datapackage.json").read_text(encoding="utf-8"))
    tables = {}
    for r in built["resources"]:
        if not r["name"].endswith("-csv"):
            continue
        with (build / r["path"]).open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, [])
            columns = [list(c) for c in zip(*reader, strict=True)] or [[] for _ in header]
        cells = {name: [_unescape(v) for v in column] for name, column in zip(header, columns, strict=True)}
        tables[r["name"].removesuffix("-csv")] = (r["schema"], cells)
    descriptor = built | {"resources": [{"name": name} for name in tables]}
    return manifest_of(descriptor, tables)


def release_schemas(root: Path, m: dict) -> dict | None:
    """The schemas a release was made with: from its manifest, or (for manifests made before
    they carried them) from the commit that added the manifest."""
    return m.get("schemas") or schema_diff.from_git(root, f"{RELEASES}/{m['version']}.json")


def changes(root: Path, old: dict, new: dict) -> dict:
    """Rows and schemas changed between two manifests, and the version bump they need."""
    rows = diff(old, new)
    before = release_schemas(root, old)
    schemas = schema_diff.compare(before, new.get("schemas") or {}) if before is not None else None
    levels = [
        required_level(rows, schema_diff.editorial(new.get("schemas") or before or {})),
        schema_diff.level(schemas or []),
    ]
    need = max(levels, key=LEVELS.index)
    return {"tables": rows, "schemas": schemas, "level": need}


def changes_of(ds: Dataset) -> dict:
    """`changes` between the latest release and the working data, computed once per loaded dataset
    (the release checks and the build's citation both ask)."""
    cache = ds.__dict__.setdefault("_release_changes", {})
    if "c" not in cache:
        cache["c"] = changes(ds.root, ds.latest_release, manifest(ds))
    return cache["c"]


def rows_changed(d: dict) -> int:
    """Rows added, removed, changed or filled in, over every table of a row diff."""
    return sum(
        len(set(e["added"]) | set(e["removed"]) | set(e["changed"]) | set(e.get("filled", {}))) for e in d.values()
    )


def citation_of(ds: Dataset) -> dict:
    """What build/datapackage.json's `x-cite` holds: the release a reader should cite (version and
    day, see metadata.cited_release) and, for unreleased data, how many rows changed since it."""
    from origins.release.citation import cited_release

    latest = ds.latest_release
    cite = cited_release(ds.descriptor, latest)
    if latest is not None and cite["version"] != ds.descriptor.get("version"):
        cite["rows_changed"] = rows_changed(changes_of(ds)["tables"])
    return cite


def diff(old: dict, new: dict) -> dict:
    out = {}
    for table in sorted(set(old["tables"]) | set(new["tables"])):
        a, b = old["tables"].get(table, {}), new["tables"].get(table, {})
        changed, filled = {}, {}
        for key in sorted(set(a) & set(b)):
            if a[key]["row"] != b[key]["row"]:
                ca, cb = a[key]["columns"], b[key]["columns"]
                mod = sorted(c for c in ca if ca[c] != cb.get(c))
                gained = sorted(c for c in cb if c not in ca)
                if mod:
                    changed[key] = mod
                if gained:
                    filled[key] = gained
        entry = {"added": sorted(set(b) - set(a)), "removed": sorted(set(a) - set(b)), "changed": changed}
        if filled:
            entry["filled"] = filled
        if any(entry.values()):
            out[table] = entry
    return out


def required_level(d: dict, editorial: dict[str, set[str]]) -> str:
    """The bump a row diff needs; `editorial` gives each table's wording-only columns."""
    level = "patch"
    for table, entry in d.items():
        wording = editorial.get(table, set())
        if entry["removed"] or any(set(cols) - wording for cols in entry["changed"].values()):
            return "major"
        if entry["added"] or entry.get("filled"):
            level = "minor"
    return level


def diff_markdown(d: dict, old: str, new: str, schemas: list | None = None) -> str:
    lines = [f"Changes from {old} to {new}:", ""]
    if schemas is None:
        lines += ["Schema changes: not known (the release's schemas are not in its manifest or in git).", ""]
    elif schemas:
        lines += ["Schema changes:", ""] + [f"- {schema_diff.describe(c)}" for c in schemas] + [""]
    if not d:
        return "\n".join(lines + ["No row was added, removed or changed.", ""])
    for table, e in d.items():
        lines.append(
            f"- **{table}**: {len(e['added'])} added, {len(e['removed'])} removed, {len(e['changed'])} changed"
        )
        lines += [f"  - added `{k}`" for k in e["added"]]
        lines += [f"  - removed `{k}`" for k in e["removed"]]
        lines += [f"  - changed `{k}`: {', '.join(cols)}" for k, cols in e["changed"].items()]
        lines += [f"  - filled in `{k}`: {', '.join(cols)}" for k, cols in e.get("filled", {}).items()]
    return "\n".join(lines) + "\n"
