"""Releases: row manifests, row-level diffs, the semantic-versioning rule, and the archive.

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
import re
import subprocess
import zipfile
from pathlib import Path

from origins.core.versions import LEVELS, RELEASES, bump_level, final, prerelease, released, version_tuple  # noqa: F401 (re-exported)
from origins.read.meaning import FORMULA_START
from origins.read.package import Dataset
from origins.release import schema_diff

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


def _h(text: str, n: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def row_key(pk: list[str], row: dict) -> str:
    return row.get(pk[0], "") if len(pk) == 1 else json.dumps([row.get(k, "") for k in pk], ensure_ascii=False)


def manifest_of(descriptor: dict, tables: dict[str, tuple[dict, list[dict]]]) -> dict:
    """Per table (name -> (Table Schema, rows of cell text)), each primary key with a hash of its
    row and of each non-empty cell; with the descriptor's name, version and created."""
    out = {}
    for name, (schema, rows) in tables.items():
        names = [f["name"] for f in schema.get("fields", [])]
        pk = schema.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else list(pk)
        hashed = {}
        for r in rows:
            cells = {c: r[c] for c in names if r.get(c)}
            hashed[row_key(pk, r)] = {
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
    """The manifest of the working data (a loaded package): what the checks compare with the last release."""
    return manifest_of(ds.descriptor, {name: (t.schema, t.rows) for name, t in ds.tables.items()})


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
            rows = [{k: _unescape(v) for k, v in row.items()} for row in csv.DictReader(fh)]
        tables[r["name"].removesuffix("-csv")] = (r["schema"], rows)
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


def close_changelog(root: Path, version: str, day: str) -> None:
    """The Unreleased section becomes the release's, its generated counts frozen."""
    log = root / "CHANGELOG.md"
    notes = log.read_text(encoding="utf-8").replace("## [Unreleased]", f"## [{version}] - {day}", 1)
    notes = notes.replace("<!-- unreleased:start -->\n", "", 1).replace("\n<!-- unreleased:end -->", "", 1)
    log.write_text(notes, encoding="utf-8")


def refuse_dirty(root: Path) -> None:
    dirty = git_dirty(root)
    if dirty:
        raise Refused(f"the working tree is not clean ({dirty.splitlines()[0]}); commit first")


def cut(root: Path, build: Path, dest: Path) -> list[str]:
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
    archive = write_archive(root, build, dest, version, created[:10])
    lines.append(f"wrote {archive.relative_to(root)}")
    lines.append((archive.parent / f"{archive.name}.sha256").read_text(encoding="utf-8").rstrip("\n"))
    return lines


def git_dirty(root: Path) -> str:
    proc = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        return "not a git checkout"
    return proc.stdout.strip()


def _zip_info(name: str, date: str) -> zipfile.ZipInfo:
    y, m, d = (int(x) for x in date.split("-"))
    info = zipfile.ZipInfo(name, date_time=(y, m, d, 0, 0, 0))
    info.external_attr = 0o644 << 16
    info.create_system = 3
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def archive_members(root: Path, build: Path) -> list[tuple[str, Path]]:
    members = [(n, root / n) for n in ARCHIVE_FILES if (root / n).is_file()]
    for folder in ("schemas", "raw"):
        members += [(f"{folder}/{p.name}", p) for p in sorted((root / folder).glob("*")) if p.is_file()]
    members += [
        (f"build/{p.relative_to(build).as_posix()}", p)
        for p in sorted(build.rglob("*"))
        if p.is_file() and p.name != ".gitkeep"  # the placeholder of the empty folder in git, not data
    ]
    return sorted(members)


def write_archive(root: Path, build: Path, dest: Path, version: str, date: str) -> Path:
    """A reproducible zip: fixed order, timestamps and permissions, with SHA256SUMS inside."""
    prefix = f"openai-origins-{version}"
    members = archive_members(root, build)
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
