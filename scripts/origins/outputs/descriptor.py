"""build/datapackage.json: the Data Package v2 of the published files, each with its sha256 (and the
size of every CSV and JSON Lines file), which the official validator accepts as shipped."""

from __future__ import annotations

import json
from pathlib import Path

from origins.outputs.registry import Build, output
from origins.outputs.tables import sha256
from origins.read.package import DESCRIPTOR

# what build/datapackage.json keeps of the raw descriptor, in this order
PACKAGE_KEYS = (
    "$schema",
    "id",
    "name",
    "title",
    "description",
    "version",
    "created",
    "keywords",
    "licenses",
    "contributors",
    "sources",
    "x-site",
    "x-coverage",
)


def resource_entry(
    name: str, rel: str, path: Path, fmt: str, mediatype: str, schema: dict, title: str, description: str
) -> dict:
    """One resource of build/datapackage.json, described so that `frictionless validate` checks it as shipped.

    A Parquet file has its sha256 but no `bytes`: frictionless reads Parquet with pyarrow from
    the path, not through a byte stream, so it measures neither and reports any declared size
    as wrong ("actual is None"); the hashes are checked by the tests and by SHA256SUMS in the
    release. A JSON Lines file without rows is a `file` (checked by size and hash): frictionless
    needs a header to read a table, and JSON Lines objects have none until the first row.
    """
    empty_lines = fmt == "jsonl" and path.stat().st_size == 0
    entry = {
        "name": name,
        "type": "file" if empty_lines else "table",
        "title": title,
        "description": description,
        "path": rel,
        "format": fmt,
        "mediatype": mediatype,
    }
    if fmt != "parquet":
        entry.update({"encoding": "utf-8", "bytes": path.stat().st_size})
    entry.update({"hash": f"sha256:{sha256(path)}", "schema": schema})
    return entry


@output(
    "descriptor",
    DESCRIPTOR,
    "application/json",
    rank=100,
    card="`datapackage.json`: Frictionless Data Package v2 describing every file above, with sha256\n"
    "  (`frictionless validate datapackage.json` checks it).",
)
def descriptor(b: Build, path: Path) -> None:
    d = b.ds.descriptor
    package = {k: d[k] for k in PACKAGE_KEYS if k in d}
    if b.cite:
        package["x-cite"] = b.cite  # the release to cite (and rows changed since), for the card and the site
    package["resources"] = b.resources
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    b.package = package


def sizes(b: Build) -> dict[str, int]:
    """Each resource's file size in bytes, by path."""
    return {r["path"]: (b.out / r["path"]).stat().st_size for r in b.resources}
