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

import hashlib
import json
import re
import subprocess
import zipfile
from pathlib import Path

from . import schema_diff
from .package import Dataset

RELEASES = "releases"
LEVELS = ["patch", "minor", "major"]
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


def row_key(table, row: dict) -> str:
    pk = table.primary_key
    return row.get(pk[0], "") if len(pk) == 1 else json.dumps([row.get(k, "") for k in pk], ensure_ascii=False)


def manifest(ds: Dataset) -> dict:
    """Per table, each primary key with a hash of its row and of each non-empty cell."""
    tables = {}
    for name, t in ds.tables.items():
        rows = {}
        for r in t.rows:
            cells = {c: r[c] for c in t.fields if r.get(c)}
            rows[row_key(t, r)] = {
                "row": _h(json.dumps(cells, sort_keys=True, ensure_ascii=False), 16),
                "columns": {c: _h(v, 10) for c, v in sorted(cells.items())},
            }
        tables[name] = dict(sorted(rows.items()))
    d = ds.descriptor
    schemas = schema_diff.snapshot(d, {name: t.schema for name, t in ds.tables.items()})
    return {
        "name": d.get("name"),
        "version": d.get("version"),
        "created": d.get("created"),
        "tables": tables,
        "schemas": schemas,
    }


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


def bump_level(old: str, new: str) -> str | None:
    """Which part a version change bumps; None when it does not go forward."""
    a, b = version_tuple(old), version_tuple(new)
    if b <= a:
        return None
    return "major" if b[0] > a[0] else "minor" if b[1] > a[1] else "patch"


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


def prepare(root: Path, day: str) -> str | None:
    """Turn main's unreleased version (1.0.0-dev) into the release (1.0.0) on `day`: the
    descriptor's version and created, the changelog heading (its generated counts frozen), and
    the generated citation files. Returns the version, or None when main is already final."""
    from .docs import write_docs

    path = root / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    version = json.loads(text)["version"]
    if not prerelease(version):
        return None
    done = final(version)
    history = released(root)
    if history:  # refuse before changing a file when the version bumps less than the changes need
        from .package import load

        need = changes(root, history[-1], manifest(load(root)))["level"]
        got = bump_level(history[-1]["version"], done)
        if got is None or LEVELS.index(got) < LEVELS.index(need):
            raise ValueError(f"the changes since {history[-1]['version']} need a {need} version; {done} is not one")
    text = text.replace(f'"version": "{version}"', f'"version": "{done}"', 1)
    text = re.sub(r'"created": "[^"]*"', f'"created": "{day}T00:00:00Z"', text, count=1)
    path.write_text(text, encoding="utf-8")
    log = root / "CHANGELOG.md"
    notes = log.read_text(encoding="utf-8")
    if "## [Unreleased]" not in notes:
        raise ValueError("CHANGELOG.md has no '## [Unreleased]' section to release")
    write_docs(root)  # counts against the last release, while the section is still Unreleased
    notes = log.read_text(encoding="utf-8").replace("## [Unreleased]", f"## [{done}] - {day}", 1)
    notes = notes.replace("<!-- unreleased:start -->\n", "", 1).replace("\n<!-- unreleased:end -->", "", 1)
    log.write_text(notes, encoding="utf-8")
    write_docs(root)
    return done


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
