"""The build stage: the validated package -> typed Parquet, CSV and JSON Lines copies, a timeline
view, SQLite, metadata, the dataset card and build/datapackage.json, written into a folder the
caller gives (origins.pipeline writes a temporary one and `install`s it).

What is written is the registry of outputs (origins.outputs.registry): every module of this
package registers its outputs when imported, and this module imports them all. Nothing in the
outputs depends on the clock or the machine, so two builds of one commit are byte-identical.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
from pathlib import Path

import pyarrow as pa

from origins.outputs.registry import Build, Output, registered
from origins.read.package import Dataset

# committed files inside build/ that a build carries over: .gitkeep keeps the fixed top-level
# folder in a fresh clone (README.md there is the generated dataset card, not committed)
KEEP: tuple[str, ...] = (".gitkeep",)

for _module in pkgutil.iter_modules(__path__):  # each module registers its outputs
    importlib.import_module(f"{__name__}.{_module.name}")


def outputs() -> list[Output]:
    """Every output, in rank order."""
    return registered()


def files(tables: list[str]) -> list[str]:
    """Every file a build of a package with these tables holds, relative to build/, in writing order."""
    return [p for o in outputs() for p in o.paths(tables)]


def downloads(tables: list[str]) -> list[str]:
    """The data files a reader downloads (the resources of build/datapackage.json): grouped by
    format, in the order the formats are first written, sorted by name within a format."""
    groups: dict[str, list[str]] = {}
    for o in outputs():
        if o.format:
            groups.setdefault(o.format, []).extend(o.paths(tables))
    return [p for paths in groups.values() for p in sorted(paths, key=lambda p: p.rpartition("/")[2])]


def write_outputs(ds: Dataset, out: Path, quotes: pa.Table | None = None, cite: dict | None = None) -> Build:
    """Every registered output into `out`: the per-table files table by table, then the rest; the
    concurrent ones in a thread from the start, each table handed over as soon as it is written."""
    from concurrent.futures import ThreadPoolExecutor

    b = Build(ds, out, quotes, cite)
    tables = [r["name"] for r in ds.descriptor["resources"]]
    per_table = [o for o in outputs() if o.each == "table"]
    later = [o for o in outputs() if o.each == "package" and not o.concurrent]
    beside = [o for o in outputs() if o.concurrent]
    ds.meaning  # noqa: B018 (a cached property: computed here, not raced for by a writer's thread)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="output") as pool:
        running = [pool.submit(o.write, b, out / o.path) for o in beside]
        try:
            for table in tables:
                for o in per_table:
                    _write(b, o, table)
                b.table_done(table)
            for o in later:
                _write(b, o, None)
        except BaseException:
            b.stop()
            raise
        for done in running:
            done.result()  # an error in a concurrent writer stops the build like any other
    return b


def _write(b: Build, o: Output, table: str | None) -> None:
    """One output's file (one table's, if `table`), and its resource entry if it is a table."""
    from origins.outputs.descriptor import resource_entry

    rel = o.path.format(table=table) if table else o.path
    path = b.out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    described = o.write(b, path, table) if table else o.write(b, path)
    if described is not None and o.format:
        b.resources.append(
            resource_entry(
                described.name,
                rel,
                path,
                o.format,
                o.mediatype,
                described.schema,
                described.title,
                described.description,
            )
        )


def install(tmp: Path, out: Path) -> None:
    """Move a finished build from `tmp` to `out` (carrying over the KEEP files), replacing any old one.

    The old build is renamed aside first, so that `out` holds either the old or the new build,
    never a half-written one."""
    for keep in KEEP:
        if (out / keep).is_file():
            shutil.copy2(out / keep, tmp / keep)
    old = out.with_name(f".{out.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
