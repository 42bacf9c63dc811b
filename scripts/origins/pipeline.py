"""The orchestrator: read -> quotes -> check -> build -> site, and the docs and release steps.

Each stage declares what it reads and what it writes (STAGES, as owid/etl's steps declare their
inputs), and what the declaration says is what the result cache is keyed by: a validation whose
inputs did not change is answered from the cache without loading a row. The orchestrator owns what
the stages must not know about each other: running the Table Schema check while the outputs are
written to a scratch folder (thrown away if that check then finds an error), moving the finished
build into place, writing the site from build/ alone, the docs from the package alone. Library
callers get the findings and what was written; the command line renders them.
"""

from __future__ import annotations

import glob
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from origins.core import cache
from origins.core.findings import ERROR, Finding

ARCHIVE, CODE = "<archive>", "<code>"  # the source archive's directories; the pipeline's own code
CODE_DIR = Path(__file__).resolve().parent  # scripts/origins


@dataclass(frozen=True)
class Stage:
    """One stage: the files it reads (patterns relative to the package root, ARCHIVE, CODE) and
    what it writes."""

    name: str
    reads: tuple[str, ...]
    writes: str


PACKAGE = ("datapackage.json", "schemas/*.json", "raw/*.csv")
STAGES = {
    s.name: s
    for s in (
        Stage("read", PACKAGE, "the loaded package: tables, rows and their lines, findings about reading"),
        Stage("quotes", ("raw/citations.csv", "raw/sources.csv", ARCHIVE), "each quote against its archived text"),
        Stage(
            "check",
            (
                *PACKAGE,
                ARCHIVE,
                "releases/*.json",
                "CITATION.cff",
                ".zenodo.json",
                "README.md",
                "requirements.lock",
                CODE,
            ),
            "findings and statistics (the result cache keeps them by these inputs)",
        ),
        Stage("build", (*PACKAGE, ARCHIVE, "releases/*.json", CODE), "build/: every registered output"),
        Stage("site", ("build/datapackage.json", "build/*.parquet", "build/csv/*", "build/json/*"), "build/site/"),
        Stage(
            "docs",
            (*PACKAGE, "releases/*.json", "README.md", "CHANGELOG.md", CODE),
            "docs/checks.md, docs/data-dictionary.md, docs/timeline.png, the README's and CHANGELOG's generated "
            "blocks, CITATION.cff, .zenodo.json",
        ),
    )
}


def inputs(stage: str, root: Path, dirs: tuple[Path, ...]) -> list[tuple[str, Path]]:
    """(label, path) of every file `stage` reads, in a fixed order (a named file that is missing
    counts too: its absence is an input)."""
    out: list[tuple[str, Path]] = []
    for pattern in STAGES[stage].reads:
        if pattern == ARCHIVE:
            for i, d in enumerate(dirs):
                out += [(f"archive{i}/{p.relative_to(d).as_posix()}", p) for p in sorted(d.rglob("*")) if p.is_file()]
        elif pattern == CODE:
            out += [
                (f"code/{p.relative_to(CODE_DIR).as_posix()}", p)
                for p in sorted(CODE_DIR.rglob("*"))
                if p.suffix in (".py", ".json", ".html", ".css", ".js")
            ]
        elif glob.has_magic(pattern):
            out += [(pattern.rsplit("/", 1)[0] + "/" + p.name, p) for p in sorted(root.glob(pattern))]
        else:
            out.append((pattern, root / pattern))
    return out


def stage_key(stage: str, root: Path, dirs: tuple[Path, ...], **head) -> str:
    """The cache key of a run of `stage`: its inputs' contents, and the run's day and options."""
    return cache.key(inputs(stage, root.resolve(), dirs), {"stage": stage, **head})


@dataclass
class Checked:
    """A validation as the command line reports it, from a run or from the result cache."""

    findings: list[Finding]
    summary: list[str]
    stats: dict
    result: object | None = None  # the checks.validate.Result; None when answered from the cache

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def from_cache(self) -> bool:
        return self.result is None


def check(
    root: Path | str,
    snapshots=None,
    strict: bool = False,
    engine: str = "fast",
    use_cache: bool = True,
    step_summary: Path | None = None,
) -> Checked:
    """Validate, or answer from the result cache when no input of the check stage changed.

    `step_summary` (GitHub Actions' job summary file) gets the rows and schema changes since the
    last release appended; it needs the loaded data, so such a run never answers from the cache."""
    from origins.archive.store import snapshot_dirs
    from origins.core.clock import today

    root = Path(root)
    k = None
    if use_cache and step_summary is None:
        options = {"strict": strict, "engine": engine}
        k = stage_key("check", root, snapshot_dirs(root, snapshots), day=today().isoformat(), options=options)
        record = cache.load(k)
        if record is not None:
            return Checked([Finding(**f) for f in record["findings"]], record["summary"], record["stats"])
    from origins.checks.validate import validate

    result = validate(root, snapshots, strict, engine=engine)
    checked = Checked(result.findings, result.summary(), {**result.stats, "errors": result.errors}, result)
    if k and result.dataset is not None:
        cache.store(
            k, {"findings": [asdict(f) for f in checked.findings], "summary": checked.summary, "stats": checked.stats}
        )
    if step_summary is not None and result.dataset is not None:
        from origins.tools.summary import pr_summary

        with open(step_summary, "a", encoding="utf-8") as fh:
            fh.write(pr_summary(result))
    return checked


@dataclass
class Outcome:
    """What a pipeline run found and wrote."""

    result: object  # the checks.validate.Result: findings, statistics, the loaded dataset
    out: Path  # the build folder
    written: bool = False  # the build was written and moved into place
    pages: list[Path] = field(default_factory=list)  # the site's pages, when it was written

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings

    @property
    def ok(self) -> bool:
        return self.result.ok


def build(
    root: Path | str, out: Path | str = "build", snapshots=None, engine: str = "fast", site: bool = True
) -> Outcome:
    """Validate, then write every output and (if `site`) the static site; on any error `out` is untouched."""
    from origins.checks.validate import Validation
    from origins.outputs import install, write_outputs
    from origins.release.manifest import citation_of

    root = Path(root)
    out = Path(out) if Path(out).is_absolute() else root / out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; build/ is for everyone to read
    try:
        run = Validation(root, snapshots, engine=engine)
        run.check()
        written = False
        if run.engine == "frictionless" and run.clean_so_far:
            # frictionless is still reading in its own process: write meanwhile, keep only if it finds nothing
            try:
                write_outputs(run.dataset, tmp, run.quotes.table(), citation_of(run.dataset))
                written = True
            except Exception:  # a row the schema check is about to report (a short row, a duplicate key)
                for child in tmp.iterdir():
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        result = run.finish()
        if not result.ok:
            shutil.rmtree(tmp, ignore_errors=True)
            return Outcome(result, out)
        if not written:
            write_outputs(result.dataset, tmp, result.quotes.table(), citation_of(result.dataset))
        install(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    outcome = Outcome(result, out, written=True)
    if site:
        from origins.site import write_site_of

        outcome.pages = write_site_of(out)
    return outcome


def docs(root: Path | str) -> list[Path]:
    """The generated docs, from the package alone (no build): the checks and data dictionary pages,
    the README's and CHANGELOG's generated blocks, the citation files and the README's picture,
    drawn from the timeline view computed in memory."""
    from origins.outputs.tables import file_metadata, typed_tables
    from origins.outputs.timeline import timeline_table
    from origins.read.package import load
    from origins.site.chart import timeline_png
    from origins.tools.docs import write_docs

    root = Path(root)
    written = write_docs(root)
    ds = load(root)
    timeline = timeline_table(ds, file_metadata(ds, "timeline"), typed_tables(ds))
    return [*written, timeline_png(timeline, root / "docs" / "timeline.png", ds.descriptor["name"])]


def release(root: Path | str, snapshots=None, day: str | None = None) -> list[str]:
    """On a clean tree: validate, set the release version, regenerate the docs, build, then record
    and archive what build/ holds (origins.release.cut decides what is allowed; raises Refused)."""
    from origins.checks.validate import validate
    from origins.core.clock import today
    from origins.outputs import files
    from origins.release import cut as rel
    from origins.tools.docs import write_docs

    root = Path(root)
    rel.refuse_dirty(root)
    checked = validate(root, snapshots)  # invalid data is refused before any file changes
    if not checked.ok:
        raise rel.Refused("the data does not validate", checked.findings)
    day = day or today().isoformat()
    lines = []
    version = rel.set_version(root, day)
    if version:
        write_docs(root)  # counts against the last release, while the section is still Unreleased
        rel.close_changelog(root, version, day)
        write_docs(root, cutting=version)  # the new Unreleased section counts from this release
        lines.append(
            f"set the version to {version}: datapackage.json, CHANGELOG.md and the citation files (commit them)"
        )
    outcome = build(root, "build", snapshots, site=False)
    if not outcome.written:
        raise rel.Refused("the data does not validate", outcome.findings)
    lines += outcome.result.summary()
    published = files([r["name"] for r in outcome.result.dataset.descriptor["resources"]])
    return lines + rel.cut(root, outcome.out, root / "dist", published)
