"""The orchestrator: load -> check -> build -> site, each stage reading what the one before wrote.

It owns what the stages must not know about each other: running the Table Schema check while the
outputs are written to a scratch folder (thrown away if that check then finds an error), moving
the finished build into place, and writing the site from build/ alone. Library callers get the
findings and what was written; the command line renders them.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from origins.checks.validate import Result, Validation
from origins.core.findings import Finding


@dataclass
class Outcome:
    """What a pipeline run found and wrote."""

    result: Result  # the validation: findings, statistics, the loaded dataset
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
                write_outputs(run.dataset, tmp, run.quotes, citation_of(run.dataset))
                written = True
            except Exception:  # a row the schema check is about to report (a short row, a duplicate key)
                for child in tmp.iterdir():
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        result = run.finish()
        if not result.ok:
            shutil.rmtree(tmp, ignore_errors=True)
            return Outcome(result, out)
        if not written:
            write_outputs(result.dataset, tmp, result.quotes, citation_of(result.dataset))
        install(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    outcome = Outcome(result, out, written=True)
    if site:
        from origins.site.pages import write_site_of

        outcome.pages = write_site_of(out)
    return outcome


def release(root: Path | str, snapshots=None, day: str | None = None) -> list[str]:
    """On a clean tree: validate, set the release version, regenerate the docs, build, then record
    and archive what build/ holds (origins.release.manifest decides what is allowed; raises release.Refused)."""
    from origins.checks.validate import validate
    from origins.core.clock import today
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
        write_docs(root)
        lines.append(
            f"set the version to {version}: datapackage.json, CHANGELOG.md and the citation files (commit them)"
        )
    outcome = build(root, "build", snapshots, site=False)
    if not outcome.written:
        raise rel.Refused("the data does not validate", outcome.findings)
    lines += outcome.result.summary()
    from origins.outputs import files

    published = files([r["name"] for r in outcome.result.dataset.descriptor["resources"]])
    return lines + rel.cut(root, outcome.out, root / "dist", published)
