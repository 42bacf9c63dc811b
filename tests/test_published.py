"""The published files, taken as shipped by the tools they target: the official frictionless
CLI, Hugging Face `datasets`, Datasette, mlcroissant, pip, and the documented loader."""

from __future__ import annotations

import json
import re
import shutil
import socket
import sqlite3
import subprocess
import time
import tomllib
import urllib.request
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from origins.load import IntegrityError, table
from origins.outputs import files
from origins.outputs.sqlite import FILENAME
from origins.read.arrow import table_schema_of
from origins.read.meaning import Meaning
from origins.release.dist import archive_members, write_archive

from conftest import REPO, VENV, sh

pytestmark = pytest.mark.slow
DESCRIPTOR = json.loads((REPO / "datapackage.json").read_text())
RESOURCES = [r["name"] for r in DESCRIPTOR["resources"]]
SCHEMAS = {r["name"]: json.loads((REPO / r["schema"]).read_text()) for r in DESCRIPTOR["resources"]}


def rows(built, name: str) -> int:
    return pq.read_metadata(built / f"{name}.parquet").num_rows


# --- the official validator ---------------------------------------------------------------


def frictionless(path):
    return sh(str(VENV / "bin" / "frictionless"), "validate", "--json", str(path), cwd=path.parent)


def test_official_validator_accepts_the_build(built):
    proc = frictionless(built / "datapackage.json")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    report = json.loads(proc.stdout)
    assert report["valid"] and report["stats"]["errors"] == 0
    described = json.loads((built / "datapackage.json").read_text())["resources"]
    assert len(report["tasks"]) == len(described) == 3 * len(RESOURCES) + 1  # nothing left out
    checked = {t["name"]: t["type"] for t in report["tasks"]}
    assert all(checked[n] == "table" for n in RESOURCES + ["timeline"])  # Parquet read row by row


def test_official_validator_rejects_a_changed_file(built, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("site"))
    path = copy / "csv" / "people.csv"
    path.write_text(path.read_text().replace("Andrej Karpathy", "Andrej Karpathi"))
    proc = frictionless(copy / "datapackage.json")
    assert proc.returncode == 1
    errors = [e["type"] for t in json.loads(proc.stdout)["tasks"] for e in t["errors"]]
    assert "hash-count" in errors


def test_official_validator_checks_foreign_keys_in_parquet(built, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("site"))
    figs = pq.read_table(copy / "figures.parquet")
    broken = figs.set_column(1, figs.schema.field(1), pa.array(["evt-nowhere"] * figs.num_rows))
    pq.write_table(broken, copy / "figures.parquet")
    desc = json.loads((copy / "datapackage.json").read_text())
    for r in desc["resources"]:
        if r["name"] == "figures":
            r.pop("hash")  # the file changed on purpose; the foreign key is what is under test
    (copy / "datapackage.json").write_text(json.dumps(desc))
    proc = frictionless(copy / "datapackage.json")
    assert proc.returncode == 1
    assert "foreign-key" in {e["type"] for t in json.loads(proc.stdout)["tasks"] for e in t["errors"]}


def test_list_columns_are_arrays_in_json_and_described_in_parquet():
    schema = pa.schema([pa.field("aliases", pa.list_(pa.string()))])
    assert table_schema_of(schema)["fields"][0]["type"] == "array"
    native = table_schema_of(schema, native_lists=True)["fields"][0]
    assert native["type"] == "any" and native["x-arrow-type"] == "list<item: string>"


# --- the dataset card ----------------------------------------------------------------------


def card(built) -> tuple[dict, str]:
    text = (built / "README.md").read_text()
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def test_card_describes_every_table(built):
    meta, body = card(built)
    names = [c["config_name"] for c in meta["configs"]]
    nonempty = [n for n in RESOURCES + ["timeline"] if rows(built, n)]
    assert names == nonempty
    for c in meta["configs"]:
        assert c["data_files"] == [{"split": "train", "path": f"{c['config_name']}.parquet"}]
    assert [c["config_name"] for c in meta["configs"] if c.get("default")] == ["timeline"]
    assert meta["license"] == "cc-by-4.0" and meta["pretty_name"] == DESCRIPTOR["title"]
    assert DESCRIPTOR["description"] in body and "@misc{" in body and f"Version {DESCRIPTOR['version']}" in body
    for empty in set(RESOURCES) - set(nonempty):
        assert f"`{empty}`" in body  # named, with the reason it has no configuration
    prefixes = [SCHEMAS[r["name"]].get("x-id-prefix") for r in DESCRIPTOR["resources"]]
    assert ", ".join(f"`{p}-`" for p in prefixes if p) in body  # every table's id prefix, from its schema


def test_every_card_configuration_loads_with_datasets(built, tmp_path):
    meta, _ = card(built)
    script = (
        "import json, sys, datasets\n"
        "out = {}\n"
        "for name in sys.argv[2:]:\n"
        "    ds = datasets.load_dataset(sys.argv[1], name, cache_dir=sys.argv[1] + '-cache')\n"
        "    out[name] = [ds['train'].num_rows, sorted(ds['train'].features)]\n"
        "print(json.dumps(out))\n"
    )
    env = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    copy = tmp_path / "build"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("site"))
    names = [c["config_name"] for c in meta["configs"]]
    proc = sh(str(VENV / "bin" / "python"), "-c", script, str(copy), *names, cwd=tmp_path, env_extra=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    for name in names:
        assert loaded[name] == [rows(built, name), sorted(pq.read_schema(built / f"{name}.parquet").names)]


# --- SQLite and Datasette ------------------------------------------------------------------


def test_sqlite_has_every_table_with_its_keys(built):
    con = sqlite3.connect(built / FILENAME)
    for name in RESOURCES:
        schema = json.loads((REPO / "schemas" / f"{name}.json").read_text())
        info = con.execute(f'pragma table_info("{name}")').fetchall()
        pk = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
        assert pk == schema["primaryKey"], name
        assert [row[1] for row in info] == pq.read_schema(built / f"{name}.parquet").names
        assert con.execute(f'select count(*) from "{name}"').fetchone()[0] == rows(built, name)
        fks = {(r[3], r[2]) for r in con.execute(f'pragma foreign_key_list("{name}")')}
        expected = {
            (f, fk["reference"].get("resource") or name) for fk in schema.get("foreignKeys", []) for f in fk["fields"]
        }
        assert fks == expected, name
    assert con.execute("pragma foreign_key_check").fetchall() == []
    money = dict(con.execute("select id, amount from figures"))
    assert money["fig-sutskever-2016-pay"] == 1900000  # NUMERIC: sums and sorts as a number


def test_sqlite_foreign_key_check_finds_a_dangling_reference(built, tmp_path):
    path = tmp_path / FILENAME
    shutil.copy(built / FILENAME, path)
    con = sqlite3.connect(path)
    con.execute("update figures set event_id = 'evt-nowhere' where id = 'fig-sutskever-2016-pay'")
    assert [r[0] for r in con.execute("pragma foreign_key_check")] == ["figures"]


def test_full_text_search_in_sqlite(built):
    con = sqlite3.connect(built / FILENAME)
    searched = {name for name, _ in Meaning.parse(SCHEMAS).columns_with("search")}
    assert searched == {"sources", "events", "questions", "claims", "citations"}
    for name in searched:
        count = con.execute(f'select count(*) from "{name}_fts"').fetchone()[0]
        assert count == rows(built, name)
    hits = con.execute(
        "select e.id from events_fts f join events e on e.rowid = f.rowid where events_fts match 'nauseous'"
    ).fetchall()
    assert ("evt-2016-09-16-musk-feels-nauseous",) in hits


def test_datasette_metadata_comes_from_the_schemas(built):
    meta = json.loads((built / "metadata.json").read_text())
    assert meta["title"] == DESCRIPTOR["title"] and meta["license"] == "CC-BY-4.0"
    assert meta["license_url"] and meta["source"] and meta["source_url"].startswith("https://")
    tables = meta["databases"]["openai-origins"]["tables"]
    assert list(tables) == RESOURCES
    for name in RESOURCES:
        schema = json.loads((REPO / "schemas" / f"{name}.json").read_text())
        for f in schema["fields"]:
            assert tables[name]["columns"][f["name"]] == f["description"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


@pytest.fixture
def datasette(built):
    port = free_port()
    proc = subprocess.Popen(
        [
            str(VENV / "bin" / "datasette"),
            str(built / FILENAME),
            "-m",
            str(built / "metadata.json"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # wait until it answers (or has died); not a timing assertion
            if proc.poll() is not None:
                pytest.fail("datasette exited: " + proc.stdout.read())
            try:
                get_json(base + "/-/versions.json")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_datasette_answers_a_full_text_query(datasette):
    hits = get_json(datasette + "/openai-origins/events.json?_search=nauseous&_shape=array")
    assert "evt-2016-09-16-musk-feels-nauseous" in [h["id"] for h in hits]
    assert all("nauseous" in (h["title"] + h["summary"]).lower() for h in hits)
    quotes = get_json(datasette + "/openai-origins/citations.json?_search=Microsoft&_shape=array&_size=max")
    assert quotes and all("microsoft" in (h["quote"] or "").lower() for h in quotes)
    meta = get_json(datasette + "/-/metadata.json")
    assert meta["title"] == DESCRIPTOR["title"]
    table = get_json(datasette + "/openai-origins/claims.json?_size=1")
    assert table["primary_keys"] == ["id"]


# --- Croissant -----------------------------------------------------------------------------


def test_croissant_loads_every_record_set_with_references(built):
    import mlcroissant

    doc = json.loads((built / "croissant.json").read_text())
    sets = {r["@id"]: r for r in doc["recordSet"]}
    assert list(sets) == RESOURCES + ["timeline"]
    ds = mlcroissant.Dataset(jsonld=str(built / "croissant.json"))
    for name in sets:
        assert sum(1 for _ in ds.records(record_set=name)) == rows(built, name), name
    fields = {f["@id"]: f for r in doc["recordSet"] for f in r["field"]}
    assert fields["figures/event_id"]["references"] == {"field": {"@id": "events/id"}}
    assert fields["roles/person_id"]["references"] == {"field": {"@id": "people/id"}}
    assert fields["people/aliases"]["repeated"] is True
    assert {f["name"] for f in fields["timeline/claims"]["subField"]} >= {"claimant", "claimant_name", "answer"}
    assert {f["name"] for f in fields["timeline/participants"]["subField"]} >= {"role", "as_role"}
    assert fields["timeline/questions"]["repeated"] is True and fields["timeline/board"]["repeated"] is True
    assert "timeline/medium" in fields
    for fo in doc["distribution"]:
        assert (built / fo["contentUrl"]).stat().st_size == int(fo["contentSize"].removesuffix(" B"))


# --- the loader ----------------------------------------------------------------------------


def test_loader_types_from_a_build(built):
    figures = table("figures", built, as_="pandas")
    assert str(figures["amount"].dtype).startswith("decimal128(18, 2)")
    assert float((figures["amount"] / 1e6).max()) > 0
    events = table("events", built, as_="pandas")
    assert events["date_earliest"].dt.year.min() == 2014
    pl_events = table("events", built, as_="polars")
    assert str(pl_events.schema["date_earliest"]) == "Date"
    assert table("timeline", built).num_rows == rows(built, "timeline")
    with pytest.raises(ValueError, match="as_ must be one of"):
        table("events", built, as_="excel")
    with pytest.raises(FileNotFoundError):
        table("nothing", built)


@pytest.fixture
def archive(built, tmp_path):
    published = files(RESOURCES)
    return write_archive(REPO, built, tmp_path / "dist", DESCRIPTOR["version"], DESCRIPTOR["created"][:10], published)


def test_loader_reads_a_verified_release_archive(built, archive):
    from_zip = table("claims", archive)
    assert from_zip.equals(pq.read_table(built / "claims.parquet"))
    digest = (archive.parent / f"{archive.name}.sha256").read_text().split()[0]
    assert table("people", archive, as_="polars", sha256=digest).height == rows(built, "people")


def test_loader_refuses_an_archive_that_does_not_match(archive, tmp_path):
    with pytest.raises(IntegrityError, match="expected"):
        table("claims", archive, sha256="0" * 64)
    bare = tmp_path / "elsewhere" / archive.name
    bare.parent.mkdir()
    shutil.copy(archive, bare)
    with pytest.raises(IntegrityError, match="no sha256"):
        table("claims", bare)
    # a member changed after SHA256SUMS was written, in an archive whose own digest is then updated
    tampered = tmp_path / "tampered" / archive.name
    tampered.parent.mkdir()
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data + b"x" if info.filename.endswith("build/claims.parquet") else data)
    import hashlib

    with pytest.raises(IntegrityError, match="SHA256SUMS"):
        table("claims", tampered, sha256=hashlib.sha256(tampered.read_bytes()).hexdigest())


def test_release_archive_carries_the_card_and_the_dictionary(built):
    names = [n for n, _ in archive_members(REPO, built, files(RESOURCES))]
    for member in ("docs/data-dictionary.md", "build/README.md", f"build/{FILENAME}", "build/metadata.json"):
        assert member in names, member


def test_readme_snippets_run(built, tmp_path):
    readme = (REPO / "README.md").read_text()
    snippets = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "from origins import load" in b]
    assert len(snippets) == 2  # pandas and polars
    (tmp_path / "build").symlink_to(built)
    for code in snippets:
        proc = sh(
            str(VENV / "bin" / "python"), "-c", code, cwd=tmp_path, env_extra={"PYTHONPATH": str(REPO / "scripts")}
        )
        assert proc.returncode == 0, code + proc.stderr
    assert 'dtype_backend="pyarrow"' in readme
    assert "datasette build/openai-origins.sqlite -m build/metadata.json" in readme


# --- pip ------------------------------------------------------------------------------------


def test_pyproject_dependencies_are_pinned_in_the_lock():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    lock = (REPO / "requirements.lock").read_text().lower()
    deps = project["dependencies"] + [d for ds in project["optional-dependencies"].values() for d in ds]
    for dep in deps:
        name = re.match(r"[A-Za-z0-9_.-]+", dep).group(0).lower()
        assert re.search(rf"^{re.escape(name)}==", lock, re.M), f"{name} is not in requirements.lock"
    assert project["scripts"]["origins"] == "origins.cli:main"
