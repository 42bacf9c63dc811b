"""Releases: one version everywhere, manifests and diffs, the bump rule, reproducible archives."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile

import pytest
import yaml

from origins.core.versions import prerelease
from origins.read.package import load
from origins.release.citation import as_cited, citation_cff, cited_release, zenodo_json
from origins.release.manifest import diff, diff_markdown, manifest, required_level
from origins.release.schema_diff import editorial

from conftest import ARCHIVE, REPO, VENV, build, edit, located, run, sh

DESCRIPTOR = json.loads((REPO / "datapackage.json").read_text())
VERSION, DATE = DESCRIPTOR["version"], DESCRIPTOR["created"][:10]
MANIFESTS = {p.stem: json.loads(p.read_text()) for p in (REPO / "releases").glob("*.json")}
LATEST = max(MANIFESTS.values(), key=lambda m: tuple(int(x) for x in m["version"].split(".")))
CITED = cited_release(DESCRIPTOR, LATEST)


def test_citation_files_name_the_latest_release_and_main_its_working_version():
    """A reader is told to cite what can be downloaded: the latest release, with its own day."""
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    zen = json.loads((REPO / ".zenodo.json").read_text())
    if prerelease(VERSION):
        assert {"version": LATEST["version"], "created": LATEST["created"]} == CITED
    else:  # main is the release being cut: it cites itself
        assert CITED["version"] == VERSION
    day = CITED["created"][:10]
    assert CITED["version"] in MANIFESTS and MANIFESTS[CITED["version"]]["created"][:10] == day
    assert (cff["version"], str(cff["date-released"])) == (CITED["version"], day)
    assert (zen["version"], zen["publication_date"]) == (CITED["version"], day)
    assert cff["license"] == zen["license"]["id"].upper() == "CC-BY-4.0"
    heading = "## [Unreleased]" if prerelease(VERSION) else f"## [{VERSION}] - {DATE}"
    assert heading in (REPO / "CHANGELOG.md").read_text()  # main says whether it is released
    readme = (REPO / "README.md").read_text()
    assert f"(Version {CITED['version']})" in readme and f"version = {{{CITED['version']}}}" in readme
    assert "-dev" not in readme.split("<!-- cite:start -->")[1].split("<!-- cite:end -->")[0]
    assert "commit" in readme.split("<!-- cite:start -->")[1].split("<!-- cite:end -->")[0]


def test_generated_citation_files_have_not_drifted():
    cited = as_cited(DESCRIPTOR, CITED)
    assert (REPO / "CITATION.cff").read_text() == citation_cff(cited), "run: make docs"
    assert (REPO / ".zenodo.json").read_text() == zenodo_json(cited), "run: make docs"


def test_citation_cff_matches_the_cff_1_2_0_schema():
    exe = str(VENV / "bin" / "check-jsonschema")
    proc = sh(exe, "--builtin-schema", "vendor.citation-file-format", "CITATION.cff", cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    for key in ("title", "authors", "version", "date-released", "license", "abstract", "keywords"):
        assert cff[key], key


def test_zenodo_metadata_is_a_dataset():
    zen = json.loads((REPO / ".zenodo.json").read_text())
    assert zen["upload_type"] == "dataset"
    for key in ("title", "creators", "description", "version", "license", "keywords", "related_identifiers"):
        assert zen[key], key


@pytest.mark.slow
def test_croissant_and_schema_org(tmp_path):

    out = tmp_path / "build"
    assert build(REPO, out, ARCHIVE)[0] == 0
    cr = json.loads((out / "croissant.json").read_text())
    for key in (
        "@context",
        "@type",
        "conformsTo",
        "name",
        "description",
        "license",
        "creator",
        "datePublished",
    ):
        assert cr[key], key
    assert cr["version"] == VERSION and cr["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    for fo in cr["distribution"]:
        assert re.fullmatch(r"[0-9a-f]{64}", fo["sha256"])
        assert hashlib.sha256((out / fo["contentUrl"]).read_bytes()).hexdigest() == fo["sha256"]
    import mlcroissant

    mlcroissant.Dataset(jsonld=str(out / "croissant.json"))  # raises on an invalid document
    so = json.loads((out / "dataset.jsonld").read_text())
    assert so["@type"] == "Dataset" and so["version"] == VERSION and so["license"].endswith("CC-BY-4.0.html")
    assert so["name"] and so["description"] and so["distribution"]
    # both describe the files' version, and ask to be cited by the release build/ names (x-cite)
    cite = json.loads((out / "datapackage.json").read_text())["x-cite"]["version"]
    assert f"(Version {cite}) [Data set]" in so["citation"] and f"version = {{{cite}}}" in cr["citeAs"]


# --- manifests, diffs and the bump rule, on the minimal fixture ---------------------------


def _release(root, version="1.0.0"):
    """Record the current data of `root` as released `version`."""
    (root / "releases").mkdir(exist_ok=True)
    m = manifest(load(root))
    m["version"] = version
    (root / "releases" / f"{version}.json").write_text(json.dumps(m))
    desc = json.loads((root / "datapackage.json").read_text())
    desc["version"] = version
    (root / "datapackage.json").write_text(json.dumps(desc, indent=2))
    return m


def _set_version(root, version):
    path = root / "datapackage.json"
    path.write_text(re.sub(r'"version": "[^"]+"', f'"version": "{version}"', path.read_text()))


def _cite_files(root):
    """The repository's citation files, generated for `root` as make docs would."""
    from origins.tools.docs import cite_markdown

    d = json.loads((root / "datapackage.json").read_text())
    cited = as_cited(d, cited_release(d, load(root).latest_release))
    (root / "CITATION.cff").write_text(citation_cff(cited))
    (root / ".zenodo.json").write_text(zenodo_json(cited))
    (root / "README.md").write_text(f"# x\n\n<!-- cite:start -->\n{cite_markdown(cited)}\n<!-- cite:end -->\n")


def _released_day(root):
    return json.loads((root / "releases" / "1.0.0.json").read_text())["created"][:10]


def _line(path, needle):
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_citation_files_of_a_dev_version_name_the_release(minimal):
    m = _release(minimal)
    _set_version(minimal, "1.1.0-dev")
    _cite_files(minimal)
    assert "version: 1.0.0\n" in (minimal / "CITATION.cff").read_text()
    assert located(run(minimal)) == []  # main is 1.1.0-dev, unchanged since 1.0.0: nothing to say
    assert m["created"][:10] in (minimal / "CITATION.cff").read_text()


@pytest.mark.parametrize(
    ("file", "old", "new", "col", "says"),
    [
        (
            "CITATION.cff",
            "version: 1.0.0",
            "version: 1.1.0-dev",
            10,
            "version names 1.1.0-dev, which was never released",
        ),
        (".zenodo.json", '"version": "1.0.0"', '"version": "1.1.0-dev"', 15, '"version" names 1.1.0-dev'),
        ("README.md", "(Version 1.0.0)", "(Version 1.1.0-dev)", None, "the citation names 1.1.0-dev"),
        ("README.md", "version = {1.0.0}", "version = {1.1.0-dev}", 14, "the BibTeX version names 1.1.0-dev"),
        ("CITATION.cff", "date-released: '2026", "date-released: '2025", 17, "date-released is 2025-"),
        (".zenodo.json", '"publication_date": "2026', '"publication_date": "2025', 24, '"publication_date" is 2025-'),
        ("README.md", "year = {2026}", "year = {2025}", 11, "the BibTeX year is 2025, but 1.0.0 was released on 2026-"),
    ],
)
def test_a_citation_file_naming_no_release_fails_at_its_line(minimal, file, old, new, col, says):
    _release(minimal)
    _set_version(minimal, "1.1.0-dev")
    _cite_files(minimal)
    edit(minimal / file, old, new)
    line = _line(minimal / file, new)
    col = col or (minimal / file).read_text().splitlines()[line - 1].index(new) + len("(Version ") + 1
    result = run(minimal)
    assert located(result) == [f"{file}:{line}:{col} REL006"]
    (finding,) = result.findings
    assert says in finding.message and finding.severity == "error"
    assert finding.message.endswith(f"cite the latest release, 1.0.0 ({_released_day(minimal)}): run `make docs`")


def test_unchanged_release_is_clean(minimal):
    _release(minimal)
    assert located(run(minimal)) == []


def test_diff_reports_added_removed_changed_with_columns(minimal):
    old = _release(minimal)
    edit(minimal / "raw" / "events.csv", "2016-01-06,Bob replies", "2016-01-07,Bob replies")
    edit(minimal / "raw" / "people.csv", "Fixture person who answers.", "Fixture person who replies.")
    new = manifest(load(minimal))
    d = diff(old, new)
    assert d == {
        "events": {"added": [], "removed": [], "changed": {"evt-2016-01-06-reply": ["date"]}},
        "people": {"added": [], "removed": [], "changed": {"per-bob": ["description"]}},
    }
    assert required_level(d, editorial(new["schemas"])) == "major"
    md = diff_markdown(d, "1.0.0", "1.1.0")
    assert "  - changed `evt-2016-01-06-reply`: date" in md


@pytest.mark.parametrize(
    ("change", "need"),
    [
        (("people", "Fixture person who answers.", "Fixture person who replies."), "patch"),
        (
            ("people", "who answers.,\n", "who answers.,\nper-carol,Carol,,Another fixture person.,\n"),
            "minor",
        ),
        (("events", "2016-01-06,Bob replies", "2016-01-07,Bob replies"), "major"),
    ],
)
def test_required_level(minimal, change, need):
    old = _release(minimal)
    edit(minimal / "raw" / f"{change[0]}.csv", change[1], change[2])
    new = manifest(load(minimal))
    assert required_level(diff(old, new), editorial(new["schemas"])) == need


def test_deleting_a_released_row_without_retiring_it_fails(minimal):
    _release(minimal)
    edit(
        minimal / "raw" / "organizations.csv",
        "org-acme-lab,Acme Lab,research-lab,org-acme,Fixture lab inside Acme.,\n",
        "",
    )
    result = run(minimal)
    assert located(result, "error") == ["raw/organizations.csv:0:0 REL001"]
    rel001 = next(f for f in result.findings if f.code == "REL001")
    assert "org-acme-lab was published in 1.0.0 but is missing" in rel001.message


def test_retired_row_may_go_but_its_id_never_returns(minimal):
    _release(minimal)
    edit(
        minimal / "raw" / "organizations.csv",
        "org-acme-lab,Acme Lab,research-lab,org-acme,Fixture lab inside Acme.,\n",
        "",
    )
    (minimal / "raw" / "retired.csv").write_text(
        "row_id,retired_in,reason,replaced_by\norg-acme-lab,2.0.0,Merged into Acme.,org-acme\n"
    )
    _set_version(minimal, "2.0.0")
    assert located(run(minimal)) == []
    edit(
        minimal / "raw" / "organizations.csv",
        "org-acme,Acme,company,,Fixture company.,\n",
        "org-acme,Acme,company,,Fixture company.,\norg-acme-lab,Acme Lab again,research-lab,,Reused.,\n",
    )
    assert located(run(minimal)) == ["raw/organizations.csv:3:1 REL002"]


@pytest.mark.parametrize(("version", "ok"), [("1.0.1", False), ("1.1.0", False), ("2.0.0", True), ("0.9.0", False)])
def test_version_bump_must_match_the_change(minimal, version, ok):
    _release(minimal)
    edit(minimal / "raw" / "events.csv", "2016-01-06,Bob replies", "2016-01-07,Bob replies")
    _set_version(minimal, version)
    findings = located(run(minimal))
    assert findings == ([] if ok else ["datapackage.json:6:0 REL003"])  # the "version" line


# --- the release command, on a clean clone -----------------------------------------------


def _prepare_release(clone, py, env) -> str:
    """Bump the clone to the next version the unreleased changes need, as docs/releases.md says;
    main's pre-release version (1.0.0-dev) needs nothing: `origins release` makes it final."""
    from origins.core.versions import LEVELS, bump_level, final, released

    current = json.loads((clone / "datapackage.json").read_text())["version"]
    if prerelease(current):
        return final(current)
    last = released(clone)[-1]
    new = manifest(load(clone))
    need = required_level(diff(last, new), editorial(new["schemas"]))
    major, minor, patch = (int(x) for x in last["version"].split("."))
    version = {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[
        need
    ]
    if LEVELS.index(need) == 0 and manifest(load(clone))["tables"] == last["tables"]:
        version = last["version"]  # nothing changed: re-release the same version
    assert version == last["version"] or bump_level(last["version"], version) == need
    path = clone / "datapackage.json"
    path.write_text(path.read_text().replace(f'"version": "{last["version"]}"', f'"version": "{version}"'))
    log = clone / "CHANGELOG.md"
    if f"## [{version}] - {DATE}" not in log.read_text():
        log.write_text(log.read_text().replace("## [", f"## [{version}] - {DATE}\n\nTest release.\n\n## [", 1))
    sh(py, "-m", "origins", "docs", cwd=clone, env_extra=env, check=True)
    sh("git", "commit", "-qam", f"prepare {version}", "--allow-empty", cwd=clone, check=True)
    return version


@pytest.mark.slow
def test_release_is_reproducible_and_checksummed(clone):
    py = str(clone / ".venv" / "bin" / "python")
    env = {"PYTHONPATH": str(clone / "scripts")}
    version = _prepare_release(clone, py, env)
    first = sh(py, "-m", "origins", "release", cwd=clone, env_extra=env)
    assert first.returncode == 0, first.stdout + first.stderr
    described = json.loads((clone / "datapackage.json").read_text())
    assert (
        described["version"] == version
        and f"## [{version}] - {described['created'][:10]}" in (clone / "CHANGELOG.md").read_text()
    )
    archive = clone / "dist" / f"openai-origins-{version}.zip"
    digest1 = hashlib.sha256(archive.read_bytes()).hexdigest()
    day = described["created"][:10]
    # every citation file now names the new release and its day, beside its manifest
    assert (clone / "releases" / f"{version}.json").is_file()
    cff = yaml.safe_load((clone / "CITATION.cff").read_text())
    assert (cff["version"], str(cff["date-released"])) == (version, day)
    zen = json.loads((clone / ".zenodo.json").read_text())
    assert (zen["version"], zen["publication_date"]) == (version, day)
    assert f"(Version {version}) [Data set]" in (clone / "README.md").read_text()
    built = json.loads((clone / "build" / "datapackage.json").read_text())
    assert built["x-cite"] == {"version": version, "created": described["created"]}
    assert "unreleased data" not in (clone / "build" / "README.md").read_text()
    sh("git", "add", "-A", cwd=clone, check=True)
    sh("git", "commit", "-qm", "manifest", "--allow-empty", cwd=clone, check=True)
    second = sh(py, "-m", "origins", "release", cwd=clone, env_extra=env)
    assert second.returncode == 0, second.stdout
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == digest1
    assert (clone / "dist" / f"{archive.name}.sha256").read_text() == f"{digest1}  {archive.name}\n"
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        prefix = f"openai-origins-{version}/"
        sums = zf.read(prefix + "SHA256SUMS").decode().splitlines()
        for line in sums:
            digest, name = line.split("  ")
            assert hashlib.sha256(zf.read(prefix + name)).hexdigest() == digest, name
        assert names == sorted(names[:-1]) + [prefix + "SHA256SUMS"]
        for member in (
            "datapackage.json",
            "build/datapackage.json",
            "build/events.parquet",
            "build/csv/events.csv",
            "build/json/events.jsonl",
            "README.md",
            "LICENSE",
            "LICENSE-DATA.md",
            "CITATION.cff",
            "docs/data-dictionary.md",
            "build/README.md",
            "build/openai-origins.sqlite",
        ):
            assert prefix + member in names, member
        day = described["created"][:10]  # the release day make release set
        assert {zi.date_time for zi in zf.infolist()} == {(*map(int, day.split("-")), 0, 0, 0)}


@pytest.mark.slow
def test_release_refuses_a_dirty_tree_and_invalid_data(clone):
    py = str(clone / ".venv" / "bin" / "python")
    env = {"PYTHONPATH": str(clone / "scripts")}
    edit(clone / "raw" / "events.csv", "2015-05-25,", "2015-13-25,")
    proc = sh(py, "-m", "origins", "release", cwd=clone, env_extra=env)
    assert proc.returncode == 1 and "working tree is not clean" in proc.stdout
    sh("git", "commit", "-qam", "break", cwd=clone, check=True)
    proc = sh(py, "-m", "origins", "release", cwd=clone, env_extra=env)
    assert proc.returncode == 1 and "DAT001" in proc.stdout and "does not validate" in proc.stdout
    assert not (clone / "dist").exists()


@pytest.mark.skipif(not (REPO / "releases").is_dir(), reason="no release manifest committed yet")
def test_diff_command_against_the_release(repo_copy):
    shutil.copytree(REPO / "releases", repo_copy / "releases")
    edit(
        repo_copy / "raw" / "figures.csv",
        "fig-msft-revised-50m,evt-2016-09-20-microsoft-revised-offer,50000000",
        "fig-msft-revised-50m,evt-2016-09-20-microsoft-revised-offer,50000001",
    )
    py = str(VENV / "bin" / "python")
    proc = sh(
        py,
        "-m",
        "origins",
        "diff",
        "--format",
        "json",
        cwd=repo_copy,
        env_extra={"PYTHONPATH": str(REPO / "scripts")},
    )
    report = json.loads(proc.stdout)
    assert report["from"] == sorted((REPO / "releases").glob("*.json"))[-1].stem
    baseline = json.loads(  # what main changed since the release, before this test's edit
        sh(
            py, "-m", "origins", "diff", "--format", "json", cwd=REPO, env_extra={"PYTHONPATH": str(REPO / "scripts")}
        ).stdout
    )
    before = baseline["tables"].get("figures", {}).get("changed", {})  # empty when main is the release
    assert "fig-msft-revised-50m" not in before
    assert report["tables"]["figures"]["changed"] == before | {"fig-msft-revised-50m": ["amount"]}


@pytest.mark.slow
def test_the_release_manifest_read_from_build_is_the_working_datas(built):
    """The release reads only build/ (its CSV copies and descriptor); it must record exactly the rows
    and schemas the checks compare against (manifest of the loaded package)."""
    from origins.release.manifest import manifest_of_build

    assert manifest_of_build(built) == manifest(load(REPO))


def test_closing_the_changelog_freezes_the_release_and_opens_the_next(tmp_path):
    from origins.release.cut import close_changelog

    (tmp_path / "CHANGELOG.md").write_text(
        "# Changelog\n\n## [Unreleased]\n\n<!-- unreleased:start -->\n- events: 1 added\n<!-- unreleased:end -->\n\n"
        "- Added an event.\n\n## [1.0.0] - 2026-11-27\n\nOlder.\n",
        encoding="utf-8",
    )
    close_changelog(tmp_path, "1.1.0", "2026-12-07")
    assert (tmp_path / "CHANGELOG.md").read_text(encoding="utf-8") == (
        "# Changelog\n\n## [Unreleased]\n\n<!-- unreleased:start -->\n<!-- unreleased:end -->\n\n"
        "## [1.1.0] - 2026-12-07\n\n- events: 1 added\n\n- Added an event.\n\n## [1.0.0] - 2026-11-27\n\nOlder.\n"
    )


@pytest.mark.slow
def test_a_release_commit_is_what_make_docs_writes(clone):
    """After `make release` the generated files are already what `make docs` writes: the released
    section keeps its counts, and the new Unreleased section counts from the new release (it once
    counted from the previous one, because the manifest is written last)."""
    py = str(clone / ".venv" / "bin" / "python")
    env = {"PYTHONPATH": str(clone / "scripts")}
    path = clone / "datapackage.json"
    old = json.loads(path.read_text())["version"]
    path.write_text(path.read_text().replace(f'"version": "{old}"', '"version": "9.0.0-dev"', 1))
    log = clone / "CHANGELOG.md"
    if "## [Unreleased]" not in log.read_text():
        log.write_text(
            log.read_text().replace(
                "\n## [", "\n## [Unreleased]\n\n<!-- unreleased:start -->\n<!-- unreleased:end -->\n\n## [", 1
            )
        )
    sh(py, "-m", "origins", "docs", cwd=clone, env_extra=env, check=True)
    sh("git", "commit", "-qam", "open 9.0.0-dev", cwd=clone, check=True)
    assert sh(py, "-m", "origins", "release", cwd=clone, env_extra=env).returncode == 0
    sh("git", "add", "-A", cwd=clone, check=True)
    sh("git", "commit", "-qm", "release 9.0.0", cwd=clone, check=True)
    sh(py, "-m", "origins", "docs", cwd=clone, env_extra=env, check=True)
    assert sh("git", "status", "--porcelain", cwd=clone).stdout == ""
    text = log.read_text()
    opened = text.split("## [Unreleased]", 1)[1].split("## [9.0.0]", 1)[0]
    assert "against 9.0.0 (a patch change):\n\n- No row added, removed or changed." in opened
