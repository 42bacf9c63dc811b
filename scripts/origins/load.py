"""Load a table of the published data, typed, from a local build or from a release archive.

    >>> from origins import load
    >>> figures = load.table("figures")                        # pyarrow.Table from build/
    >>> events = load.table("events", as_="pandas")            # Arrow dtypes: dates and decimals stay typed
    >>> claims = load.table("claims", "dist/openai-origins-0.2.0.zip", as_="polars")

The Parquet files carry the types (date32, decimal128(18, 2), lists); this module only keeps
them on the way into pandas, where the default conversion turns dates and decimals into
Python objects (`.dt.year` and arithmetic on amounts then fail). A release archive is read
only after its bytes match its sha256 (given, or from the `.zip.sha256` file published next
to it), and each member is checked against the archive's SHA256SUMS.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("arrow", "pandas", "polars")


class IntegrityError(ValueError):
    """A release archive, or a file in it, is not the one its checksum names."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def expected_sha256(archive: Path) -> str:
    """The digest published beside the archive (`<archive>.sha256`, as `sha256sum` writes it)."""
    sidecar = archive.with_name(archive.name + ".sha256")
    if not sidecar.is_file():
        raise IntegrityError(f"no sha256 given for {archive} and no {sidecar.name} beside it")
    return sidecar.read_text(encoding="utf-8").split()[0]


def read_from_archive(archive: Path, member: str, sha256: str | None = None) -> bytes:
    """The bytes of `member` (a path under build/) of a verified release archive."""
    data = archive.read_bytes()
    want = (sha256 or expected_sha256(archive)).lower()
    if _digest(data) != want:
        raise IntegrityError(f"{archive} has sha256 {_digest(data)}, expected {want}")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        prefix = names[0].split("/", 1)[0] + "/"
        sums = dict(line.split("  ", 1)[::-1] for line in zf.read(prefix + "SHA256SUMS").decode().splitlines())
        name = f"build/{member}"
        if name not in sums:
            raise KeyError(f"{archive} has no {name}")
        content = zf.read(prefix + name)
    if _digest(content) != sums[name]:
        raise IntegrityError(f"{name} in {archive} does not match its SHA256SUMS line")
    return content


def read_arrow(name: str, build: str | Path = "build", sha256: str | None = None) -> pa.Table:
    """The table `name` (a resource, or `timeline`) as Arrow, from a build folder or a release .zip."""
    source = Path(build)
    if source.suffix == ".zip":
        return pq.read_table(pa.BufferReader(read_from_archive(source, f"{name}.parquet", sha256)))
    path = source / f"{name}.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; run `make build`, or give a release archive")
    return pq.read_table(path)


def convert(data: pa.Table, as_: str = "arrow"):
    """Arrow as itself, as pandas with Arrow-backed dtypes, or as polars."""
    if as_ == "arrow":
        return data
    if as_ == "pandas":
        import pandas as pd

        return data.to_pandas(types_mapper=pd.ArrowDtype)
    if as_ == "polars":
        import polars as pl

        return pl.from_arrow(data)
    raise ValueError(f"as_ must be one of {', '.join(FORMATS)}, not {as_!r}")


def table(name: str, build: str | Path = "build", as_: str = "arrow", sha256: str | None = None):
    """One table, typed: `as_` is "arrow" (pyarrow.Table), "pandas" (Arrow dtypes) or "polars".

    `build` is a build folder (default `build`) or a release archive
    (`dist/openai-origins-<version>.zip`), checked against `sha256` or its `.zip.sha256` file.
    """
    if as_ not in FORMATS:
        raise ValueError(f"as_ must be one of {', '.join(FORMATS)}, not {as_!r}")
    return convert(read_arrow(name, build, sha256), as_)
