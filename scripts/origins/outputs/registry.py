"""The registry of outputs, as datasette registers its renderers: each output of the build declares
its name, where its file goes, its media type and its writer, and the build loops over the registry.

An output is one function registered with `@output(...)` in any module of `origins.outputs`
(the package imports them all). Its writer gets the `Build` (the loaded dataset, the typed
tables written so far, the resources described so far) and the path to write; it returns the
description of the file when the file is a table of build/datapackage.json, else None.

    @output("parquet", "{table}.parquet", "application/vnd.apache.parquet", rank=10, each="table", format="parquet")
    def parquet(b: Build, path: Path, table: str) -> Described: ...

`each="table"` writes one file per table of the package (`{table}` in the path), `each="package"`
one file. The per-table outputs are written first, table by table (each table's files in rank
order), then the one-file outputs in rank order, so a writer may read what earlier ones left in
the `Build` (the typed tables, the resources); `rank` also orders the dataset card's list.
`concurrent=True` (a one-file output that is no resource: SQLite) runs in a thread beside the
others from the start, reading each typed table with `Build.typed_table`, which waits until that
table's files are written: SQLite's inserts release the GIL, so they overlap the Arrow work. `format` makes the file a resource
of build/datapackage.json. Who reads the registry (through `origins.outputs`, which imports every module first): the build
(what to write), build/datapackage.json (which files are resources), the site (which files to
offer for download), the dataset card (its list of files), the release archive (which files to
pack) and the tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from origins.read.package import Dataset


@dataclass(frozen=True)
class Described:
    """What a writer tells build/datapackage.json about a file that is one of its tables."""

    name: str  # the resource's name in build/datapackage.json
    schema: dict  # its Table Schema, as shipped
    title: str
    description: str


@dataclass
class Build:
    """One build in progress: what every writer reads, and what the writers before it left."""

    ds: Dataset
    out: Path
    quotes: pa.Table | None = None  # the quote verification stage's table (origins.archive.verify)
    cite: dict | None = None  # the release to cite (origins.release.manifest.citation_of)
    typed: dict[str, pa.Table] = field(default_factory=dict)  # each table, typed as published
    views: dict[str, pa.Table] = field(default_factory=dict)  # tables derived for readers (the timeline)
    resources: list[dict] = field(default_factory=list)  # build/datapackage.json's resources, in order
    package: dict | None = None  # build/datapackage.json, once written
    _ready: set[str] = field(default_factory=set)  # tables whose per-table files are written
    _stopped: bool = False  # the build failed: a concurrent writer waiting for a table stops
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def table_done(self, table: str) -> None:
        """The per-table files of `table` are written: its typed table is final."""
        with self._changed:
            self._ready.add(table)
            self._changed.notify_all()

    def stop(self) -> None:
        """The build failed: wake any concurrent writer, which then stops too."""
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def typed_table(self, table: str) -> pa.Table:
        """A table typed as published, once its per-table files are written (for a concurrent writer)."""
        with self._changed:
            self._changed.wait_for(lambda: table in self._ready or self._stopped)
            if table not in self._ready:
                raise BuildStopped(f"the build stopped before {table} was written")
        return self.typed[table]


class BuildStopped(Exception):
    """A concurrent writer gives up because the rest of the build failed (that failure is reported)."""


@dataclass(frozen=True)
class Output:
    name: str
    path: str  # relative to build/; "{table}" stands for each table's name when each == "table"
    mediatype: str
    write: Callable[..., Described | None]
    rank: int
    each: str = "package"  # "table" (a file per table) or "package" (one file)
    format: str | None = None  # the resource format, when the file is a table of build/datapackage.json
    card: str = ""  # the line of the dataset card's list of files that names it (shared lines appear once)
    concurrent: bool = False  # written in a thread beside the others (see the module docstring)

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]

    def paths(self, tables: list[str]) -> list[str]:
        """The files this output writes for a package with these tables, relative to build/."""
        return [self.path.format(table=t) for t in tables] if self.each == "table" else [self.path]


REGISTRY: dict[str, Output] = {}


def output(
    name: str,
    path: str,
    mediatype: str,
    *,
    rank: int,
    each: str = "package",
    format: str | None = None,
    card: str = "",
    concurrent: bool = False,
):
    """Register a writer as the output `name` (see the module docstring)."""
    if each not in ("table", "package"):
        raise ValueError(f"output {name}: each is 'table' or 'package', not {each!r}")
    if (each == "table") != ("{table}" in path):
        raise ValueError(f"output {name}: a path has {{table}} exactly when each='table'")
    if concurrent and (each == "table" or format):
        raise ValueError(f"output {name}: only a one-file output that is no resource runs concurrently")

    def register(func):
        if name in REGISTRY:
            raise ValueError(f"output {name} registered twice")
        if any(o.rank == rank for o in REGISTRY.values()):
            raise ValueError(f"output {name}: rank {rank} is taken")
        REGISTRY[name] = Output(name, path, mediatype, func, rank, each, format, card, concurrent)
        return func

    return register


def registered() -> list[Output]:
    """The outputs registered so far, in rank order. Callers outside this package use
    `origins.outputs.outputs()`, which first imports every module that registers one."""
    return sorted(REGISTRY.values(), key=lambda o: o.rank)
