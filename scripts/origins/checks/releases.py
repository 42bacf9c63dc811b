"""Checks against the latest release manifest: ids are never dropped or reused, and the
version bump matches what changed (see origins.release.manifest for the rule)."""

from __future__ import annotations

import re

import pyarrow.compute as pc

from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.columns import EMPTY, strings
from origins.core.findings import ERROR, ID_CUTOFF, WARNING, did_you_mean
from origins.core.versions import LEVELS, bump_level, final, prerelease
from origins.read.package import DESCRIPTOR
from origins.release.manifest import changes_of, manifest
from origins.release.schema_diff import describe


def _retired(ds) -> set[str]:
    return set(ds.column("retired", "row_id").to_pylist())


@check(
    Code(
        "REL001",
        "id-dropped",
        "An id published in the latest release is gone and not listed in retired.csv.",
        "{id} was published in {version} but is missing; restore it, or list it in raw/retired.csv with the version "
        "and the reason",
    ),
    needs="*",
)
def id_dropped(ds, ctx, r):
    last = ds.latest_release
    if last is None:
        return
    current = manifest(ds)["tables"]
    retired = _retired(ds)
    for table, rows in last["tables"].items():
        if table not in ds.tables or ds.tables[table].primary_key != ["id"]:
            continue  # link tables have composite keys; their rows are not cited by id
        for rid in sorted(set(rows) - set(current.get(table, {})) - retired):
            yield r.at(ds.tables[table].path, 0, 0, "REL001", id=rid, version=last["version"])


@check(
    Code(
        "REL002",
        "id-reused",
        "A retired id is used again.",
        "{id} was retired and may never be used again; choose a new id",
    ),
    needs="*",
)
def id_reused(ds, ctx, r):
    for name, t in ds.tables.items():
        if name == "retired" or t.primary_key != ["id"]:
            continue
        reused = pc.is_in(ds.column(name, "id"), value_set=ds.column("retired", "row_id"))
        for i, rid in r.picked(name, reused, "id"):
            yield r.report(name, i, "id", "REL002", id=rid)


@check(
    Code(
        "REL007",
        "retired-never-published",
        "A retired id was never published: no release manifest in releases/ lists it.",
        "{id} is listed as retired, but no release ({versions}) published it; only a published id is retired: "
        "remove the line{hint}",
    ),
    needs=("retired",),
)
def retired_never_published(ds, ctx, r):
    manifests = ds.releases
    published = {rid for m in manifests for rows in m["tables"].values() for rid in rows}
    versions = ", ".join(m["version"] for m in manifests) or "none yet"
    ids = ds.column("retired", "row_id")
    unpublished = pc.and_(pc.not_equal(ids, EMPTY), pc.invert(pc.is_in(ids, value_set=strings(sorted(published)))))
    for i, rid in r.picked("retired", unpublished, "row_id"):
        hint = did_you_mean(rid, published, ID_CUTOFF)
        yield r.report("retired", i, "row_id", "REL007", id=rid, versions=versions, hint=hint)


@check(
    Code(
        "REL008",
        "replacement-missing",
        "A retired id's replaced_by, followed to its end through ids retired in turn, names no row of the data, "
        "or comes back to where it started.",
        {
            "missing": "{id} is replaced by {chain}, which is no row of {table}{hint}; name the row that replaces "
            "it, or leave replaced_by empty",
            "loop": "replaced_by goes round in a circle: {chain}; name a row of the data",
        },
    ),
    needs="*",
)
def replacement_missing(ds, ctx, r):
    t = ds.tables.get("retired")
    rows = list(zip(t.values("row_id"), t.values("replaced_by"), strict=True)) if t else []
    by_of = {rid: by for rid, by in rows if rid}
    for i, (rid, replaced_by) in enumerate(rows):
        if not replaced_by:
            continue
        chain, by = [rid], replaced_by
        while by and by in by_of and by not in chain:  # a replacement retired in its turn: follow it
            chain.append(by)
            by = by_of[by] or ""
        if by in chain:
            yield r.report("retired", i, "replaced_by", "REL008", "loop", chain=" -> ".join(chain + [by]))
            continue
        end = by or chain[-1]
        table = ds.meaning.table_of(end)
        ids = ds.index.get(table, {}) if table else {}
        if end not in ids:
            where = f"{table}.csv" if table else "any table (no table has its prefix)"
            shown = " -> ".join(chain[1:] + ([by] if by else [])) or end
            hint = did_you_mean(end, ids, ID_CUTOFF)
            yield r.report(
                "retired", i, "replaced_by", "REL008", "missing", id=rid, chain=shown, table=where, hint=hint
            )


def _version_line(ds) -> int:
    text = (ds.root / DESCRIPTOR).read_text(encoding="utf-8").splitlines()
    return next((i for i, line in enumerate(text, 1) if '"version"' in line), 0)


@check(
    Code(
        "REL003",
        "version-bump",
        "The version in datapackage.json goes backwards, or bumps less than the changes since the last release need.",
        {
            "not-semver": "{why}",
            "backwards": "version {version} is not after the last release {last}",
            "too-little": "changes since {last} need a {need} version bump, but {version} is a {level} bump; see "
            "`python -m origins diff` and docs/releases.md",
            "too-little-dev": "changes since {last} need a {need} version bump, but {version} is a {level} bump; "
            'write "{next}-dev"; see `python -m origins diff` and docs/releases.md',
        },
        severity=(ERROR, WARNING),
        when="error at release, warning on a -dev version",
    ),
    needs="*",
)
def version_bump(ds, ctx, r):
    last = ds.latest_release
    version = ds.descriptor.get("version", "")
    if last is None or version == last["version"]:
        return  # unreleased changes accumulate under the released version until the next release
    try:
        level = bump_level(last["version"], version)
    except ValueError as exc:
        yield r.at(DESCRIPTOR, _version_line(ds), 0, "REL003", "not-semver", ERROR, why=str(exc))
        return
    if level is None:
        yield r.at(
            DESCRIPTOR, _version_line(ds), 0, "REL003", "backwards", ERROR, version=version, last=last["version"]
        )
        return
    need = _changes(ds)["level"]
    if LEVELS.index(level) < LEVELS.index(need):
        # between releases (a -dev version) a warning that names the version to write, so that a
        # contribution is not blocked; at release time, when the tag is gone, an error
        where = (DESCRIPTOR, _version_line(ds), 0, "REL003")
        fields = {"last": last["version"], "need": need, "version": version, "level": level}
        if prerelease(version):
            yield r.at(*where, "too-little-dev", WARNING, **fields, next=next_version(last["version"], need))
        else:
            yield r.at(*where, "too-little", ERROR, **fields)


def next_version(released: str, level: str) -> str:
    """The version after `released` that a change of `level` needs."""
    a, b, p = (int(x) for x in final(released).split("."))
    return {"major": f"{a + 1}.0.0", "minor": f"{a}.{b + 1}.0", "patch": f"{a}.{b}.{p + 1}"}[level]


_changes = changes_of  # rows and schemas changed since the latest release, computed once per run


@check(
    Code(
        "REL004",
        "schema-changed",
        "A Table Schema changed since the latest release: a field added, removed or retyped, or a constraint "
        "loosened or tightened.",
        {
            "major": "since {version}: {change} at {pointer}; loosening or removing needs a major version",
            "other": "since {version}: {change} at {pointer}; say so in the changelog",
        },
        severity=WARNING,
    ),
    needs="*",
)
def schema_changed(ds, ctx, r):
    last = ds.latest_release
    if last is None:
        return
    found = _changes(ds)["schemas"]
    if found is None:
        return
    for c in found:
        path, line = ds.schema_line(c["table"], f'"name": "{c["field"]}"' if c["field"] else '"fields"')
        variant = "major" if c["level"] == "major" else "other"
        yield r.at(path, line, 0, "REL004", variant, version=last["version"], change=describe(c), pointer=c["pointer"])


@check(
    Code(
        "REL005",
        "unreleased-version",
        "The data differs from the latest release, but the version does not say it is unreleased.",
        'the data changed since {version} was released, so main is not {version}: write "{next}-dev" (the next '
        "version, unreleased) until `make release` cuts it",
        severity=WARNING,
    ),
    needs="*",
)
def unreleased_version(ds, ctx, r):
    last = ds.latest_release
    version = ds.descriptor.get("version", "")
    if last is None or prerelease(version):
        return
    c = _changes(ds)
    if version == last["version"] and (c["tables"] or c["schemas"]):
        nxt = next_version(last["version"], c["level"])
        yield r.at(DESCRIPTOR, _version_line(ds), 0, "REL005", version=version, next=nxt)


# Where each citation file names a version and a day: (file, label, pattern, what the value is).
CITATION_FIELDS = (
    ("CITATION.cff", "version", re.compile(r"^version:\s*'?([^'\s]+)"), "version"),
    ("CITATION.cff", "date-released", re.compile(r"^date-released:\s*'?(\d{4}-\d{2}-\d{2})"), "day"),
    (".zenodo.json", '"version"', re.compile(r'^\s*"version":\s*"([^"]+)"'), "version"),
    (".zenodo.json", '"publication_date"', re.compile(r'^\s*"publication_date":\s*"([^"]+)"'), "day"),
    ("README.md", "the citation", re.compile(r"\(Version ([^)\s]+)\) \[Data set\]"), "version"),
    ("README.md", "the BibTeX version", re.compile(r"^\s*version = \{([^}]+)\}"), "version"),
    ("README.md", "the BibTeX year", re.compile(r"^\s*year = \{(\d{4})\}"), "year"),
)


def citable_versions(ds) -> dict[str, str]:
    """Version -> release day of everything a citation may name: each committed release, and main's
    own version when it is final (the release being cut, whose manifest `make release` writes)."""
    from origins.core.versions import SEMVER

    out = {m["version"]: m["created"][:10] for m in ds.releases}
    version = ds.descriptor.get("version", "")
    if isinstance(version, str) and SEMVER.fullmatch(version) and not prerelease(version):
        out.setdefault(version, str(ds.descriptor.get("created") or "")[:10])
    return out


@check(
    Code(
        "REL006",
        "citation-not-a-release",
        "A citation file (CITATION.cff, .zenodo.json, the README's citation) names a version that was never "
        "released, or a day other than that release's.",
        {
            "version": "{label} names {value}, which was never released (releases/ has no manifest of it); "
            "cite the latest release, {latest} ({day}): run `make docs`",
            "day": "{label} is {value}, but {named} was released on {released}; cite the latest release, {latest} "
            "({day}): run `make docs`",
        },
    ),
    needs=(),
)
def citation_not_a_release(ds, ctx, r):
    citable = citable_versions(ds)
    if not citable:
        return  # nothing was ever released: there is no version to compare with
    latest = max(citable, key=lambda v: tuple(int(x) for x in final(v).split(".")))
    advice = {"latest": latest, "day": citable[latest]}
    for name in dict.fromkeys(f for f, *_ in CITATION_FIELDS):
        try:
            lines = (ds.root / name).read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        inside = name != "README.md"  # in the README only the generated citation block counts
        named = None
        for n, line in enumerate(lines, 1):
            if name == "README.md" and "<!-- cite:" in line:
                inside = "cite:start" in line
                continue
            if not inside:
                continue
            for file, label, pattern, kind in CITATION_FIELDS:
                m = pattern.search(line) if file == name else None
                if not m:
                    continue
                value, col = m.group(1), m.start(1) + 1
                if kind == "version":
                    named = value
                    if value not in citable:
                        yield r.at(name, n, col, "REL006", "version", label=label, value=value, **advice)
                elif named in citable and citable[named][: len(value)] != value:
                    yield r.at(
                        name,
                        n,
                        col,
                        "REL006",
                        "day",
                        label=label,
                        value=value,
                        named=named,
                        released=citable[named],
                        **advice,
                    )
