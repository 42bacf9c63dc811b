"""Checks against the latest release manifest: ids are never dropped or reused, and the
version bump matches what changed (see origins.release for the rule)."""

from __future__ import annotations

from ..findings import Finding
from ..package import DESCRIPTOR
from ..release import LEVELS, bump_level, diff, manifest, required_level
from . import check


def _retired(ds) -> set[str]:
    t = ds.tables.get("retired")
    return {r.get("row_id") for r in t.rows} if t else set()


@check("REL001", "id-dropped", "An id published in the latest release is gone and not listed in retired.csv.")
def id_dropped(ds, ctx):
    last = ds.latest_release
    if last is None:
        return
    current = manifest(ds)["tables"]
    retired = _retired(ds)
    for table, rows in last["tables"].items():
        if table not in ds.tables or ds.tables[table].primary_key != ["id"]:
            continue  # link tables have composite keys; their rows are not cited by id
        for rid in sorted(set(rows) - set(current.get(table, {})) - retired):
            yield Finding(
                ds.tables[table].path,
                0,
                0,
                "REL001",
                f"{rid} was published in {last['version']} but is missing; restore it, or list it "
                "in raw/retired.csv with the version and the reason",
            )


@check("REL002", "id-reused", "A retired id is used again.")
def id_reused(ds, ctx):
    retired = _retired(ds)
    for name, t in ds.tables.items():
        if name == "retired" or t.primary_key != ["id"]:
            continue
        for i, r in enumerate(t.rows):
            if r.get("id") in retired:
                yield ds.finding(
                    name, i, "id", "REL002", f"{r['id']} was retired and may never be used again; choose a new id"
                )


def _version_line(ds) -> int:
    text = (ds.root / DESCRIPTOR).read_text(encoding="utf-8").splitlines()
    return next((i for i, line in enumerate(text, 1) if '"version"' in line), 0)


@check(
    "REL003",
    "version-bump",
    "The version in datapackage.json goes backwards, or bumps less than the changes since the last release need.",
)
def version_bump(ds, ctx):
    last = ds.latest_release
    version = ds.descriptor.get("version", "")
    if last is None or version == last["version"]:
        return  # unreleased changes accumulate under the released version until the next release
    try:
        level = bump_level(last["version"], version)
    except ValueError as exc:
        yield Finding(DESCRIPTOR, _version_line(ds), 0, "REL003", str(exc))
        return
    if level is None:
        yield Finding(
            DESCRIPTOR,
            _version_line(ds),
            0,
            "REL003",
            f"version {version} is not after the last release {last['version']}",
        )
        return
    need = required_level(diff(last, manifest(ds)))
    if LEVELS.index(level) < LEVELS.index(need):
        yield Finding(
            DESCRIPTOR,
            _version_line(ds),
            0,
            "REL003",
            f"changes since {last['version']} need a {need} version bump, but {version} is a {level} "
            "bump; see `python -m origins diff` and docs/releases.md",
        )
