"""Generated documentation: the check catalogue and the data dictionary.

Both are written from the code and the schemas; tests fail when the committed copies differ.
"""

from __future__ import annotations

import json
from pathlib import Path

from origins.archive import places
from origins.archive import quotes as quotes_doc  # noqa: E402
from origins.archive import store as archive_doc  # noqa: E402
from origins.checks import catalogue
from origins.core import quoted
from origins.read import evidence
from origins.read.dictionary import HEADER, dictionary_markdown  # noqa: F401 (dictionary_markdown re-exported)
from origins.read.dictionary import cell as _cell


def checks_markdown() -> str:
    lines = [
        HEADER + "# Check catalogue\n",
        "Every finding carries one of these codes. `SCH` and `PKG` findings come from reading the",
        "files and from frictionless (Table Schema); the others are the project's own checks. Each",
        "is declared where it is raised (`Code` in `origins.checks`, the code tables of",
        "`origins.read.package`, `origins.read.descriptor` and `origins.checks.schema`), and this table is",
        "generated from those declarations. A code whose severity depends on the case says which",
        "case gets which.\n",
        "| code | name | severity | what it finds |",
        "|---|---|---|---|",
    ]
    for c in catalogue().values():
        lines.append(f"| {c.code} | {c.name} | {c.severity_text} | {_cell(c.description)} |")
    lines += ["", "## How a claim is graded (CLM004, CLM005)", ""]
    lines += [line.strip() for line in evidence.RUBRIC.strip().splitlines()]
    lines += ["", "## How quotes are matched (CIT006, EML002)", ""]
    lines += [line.strip() for line in quotes_doc.__doc__.strip().splitlines()]
    lines += [
        "",
        "The archived texts are found as `origins.archive.store` describes: "
        + " ".join(line.strip() for line in archive_doc.__doc__.strip().splitlines()[2:]),
    ]
    lines += ["", "## Locators (CIT011, CIT012; email headers: EML001)", ""]
    lines += [line.rstrip() for line in places.__doc__.strip().splitlines()[2:]]
    lines += [
        "",
        "Unresolvable locators of archived texts are errors (CIT011), as is a quote that is not at the place its "
        "locator names; locators of texts not in the archive are checked against these forms and their source's "
        "kind only, as warnings (CIT012).",
        "",
        "| form | example | source kinds that have it |",
        "|---|---|---|",
    ]
    for form, example in places.EXAMPLES.items():
        kinds = ", ".join(k for k, forms in places.KINDS.items() if form in forms)
        lines.append(f"| {form} | `{example}` | {kinds} |")
    lines += ["", "## Numbers and days in quotes (MON009, DAT011)", ""]
    lines += [line.strip() for line in quoted.__doc__.strip().splitlines()]
    lines += [
        "",
        "A figure must agree with every quote of its citations that states an amount of its unit (MON009). An "
        "event whose quotes name days must lie on one of them, unless a citation's note says what its quoted "
        "day is (DAT011). Claims are not held to the days their quotes name: a claim's quote dates what it is "
        "about, not when it was made, and a disputed claim may give a wrong day on purpose.",
    ]
    return "\n".join(lines) + "\n"


def resources_markdown(descriptor: dict, counts: dict[str, int]) -> str:
    lines = ["| resource | rows | what a row is |", "|---|---:|---|"]
    for res in descriptor["resources"]:
        lines.append(f"| `{res['name']}` | {counts[res['name']]} | {_cell(res.get('description', ''))} |")
    return "\n".join(lines)


def replace_block(text: str, name: str, block: str) -> str:
    """Text with `block` between the markers <!-- name:start --> and <!-- name:end -->."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text:
        return text
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{block}\n{end}{tail}"


def unreleased_markdown(ds, released: str | None = None) -> str:
    """What `python -m origins diff` counts since the latest release, for the changelog; with
    `released`, the version a release is cutting (its manifest not yet written): nothing since it."""
    from origins.release.manifest import changes, manifest
    from origins.release.schema_diff import describe

    last = ds.latest_release
    if last is None and released is None:
        return "No release yet."
    if released is not None:
        since, c = released, {"level": "patch", "tables": {}, "schemas": []}
    else:
        since, c = last["version"], changes(ds.root, last, manifest(ds))
    lines = [f"Counted by `python -m origins diff` against {since} (a {c['level']} change):", ""]
    for table, e in c["tables"].items():
        parts = [f"{len(e[k])} {k}" for k in ("added", "removed", "changed") if e[k]]
        parts += [f"{len(e['filled'])} filled in"] if e.get("filled") else []
        lines.append(f"- {table}: {', '.join(parts)}")
    if not c["tables"]:
        lines.append("- No row added, removed or changed.")
    for change in c["schemas"] or []:
        lines.append(f"- schema: {describe(change)}")
    return "\n".join(lines)


def changelog_text(text: str, ds, released: str | None = None) -> str:
    """The changelog with its Unreleased counts regenerated (only while there is an Unreleased section)."""
    if "## [Unreleased]" not in text:
        return text
    return replace_block(text, "unreleased", unreleased_markdown(ds, released))


def cite_markdown(descriptor: dict) -> str:
    """The citation of the release `descriptor` names (see metadata.as_cited), and the line for
    unreleased data."""
    from origins.release.citation import bibtex, citation_text

    return (
        f"{citation_text(descriptor)}\n\n```bibtex\n{bibtex(descriptor)}```\n\n"
        "Data on main that is newer than this release is unreleased: cite the release above and the "
        "commit you used (`git rev-parse HEAD`)."
    )


def readme_text(readme: str, descriptor: dict, counts: dict[str, int], ds=None, cited: dict | None = None) -> str:
    readme = replace_block(readme, "resources", resources_markdown(descriptor, counts))
    if ds is not None:
        from origins.tools.coverage import coverage, coverage_markdown

        readme = replace_block(readme, "coverage", coverage_markdown(coverage(ds)))
    return replace_block(readme, "cite", cite_markdown(cited or descriptor))


def write_docs(root: Path, cutting: str | None = None) -> list[Path]:
    """Every generated document; `cutting`: the version a release is cutting, so that the
    changelog's new Unreleased section counts from it (see release.cut.close_changelog)."""

    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    schemas = {r["name"]: json.loads((root / r["schema"]).read_text(encoding="utf-8")) for r in descriptor["resources"]}
    docs = root / "docs"
    docs.mkdir(exist_ok=True)
    from origins.core.versions import released
    from origins.release.citation import as_cited, citation_cff, cited_release, zenodo_json

    history = released(root)
    cited = as_cited(descriptor, cited_release(descriptor, history[-1] if history else None))
    targets = {
        docs / "checks.md": checks_markdown(),
        docs / "data-dictionary.md": dictionary_markdown(descriptor, schemas),
        root / "CITATION.cff": citation_cff(cited),
        root / ".zenodo.json": zenodo_json(cited),
    }
    readme = root / "README.md"
    if readme.is_file():
        from origins.read.package import load

        ds = load(root)
        counts = {name: t.num_rows for name, t in ds.tables.items()}
        targets[readme] = readme_text(readme.read_text(encoding="utf-8"), descriptor, counts, ds, cited)
        changelog = root / "CHANGELOG.md"
        if changelog.is_file():
            targets[changelog] = changelog_text(changelog.read_text(encoding="utf-8"), ds, cutting)
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8")
    return list(targets)
