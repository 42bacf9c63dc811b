"""The structure docs/architecture.md describes: no import cycles, and a new table needs no code.

The toy-table test is the worked example of docs/architecture.md ("How to add a table"): in a clean
clone it adds a table `meetings` (a schema, a descriptor entry, a CSV and its citations) and runs
validate, build, site, diff and release with the code as committed.
"""

from __future__ import annotations

import ast
import csv
import json
import sqlite3
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, located, sh

PACKAGE = REPO / "scripts" / "origins"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The origins modules a file imports, at module level or inside functions (both count)."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("origins"):
                continue
            for alias in node.names:  # `from . import archive` names a module, `from .x import f` a name
                sub = f"{target}.{alias.name}"
                out.add(sub if (PACKAGE.parent / (sub.replace(".", "/") + ".py")).is_file() else target)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("origins")}
    return out - {here}


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    graph = import_graph()
    assert "origins.pipeline" in graph and "origins.checks.validate" in graph["origins.pipeline"]
    assert cycles(graph) == []


def layers() -> dict[str, int]:
    """Package -> layer, read from the table in docs/architecture.md (the declaration the test holds)."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("<!-- layers:start -->")[1].split("<!-- layers:end -->")[0]
    out = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].isdigit():
            for name in cells[1].split(","):
                out[name.strip().strip("`")] = int(cells[0])
    return out


def layer_of(module: str, table: dict[str, int]) -> int:
    """The layer of a module: that of the longest declared package it is in (KeyError if none)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in table:
            return table[".".join(parts[:n])]
    raise KeyError(module)


def test_the_layer_table_is_read():
    table = layers()
    assert table["origins.core"] == 0 and table["origins.cli"] == table["origins.load"] == 9
    assert layer_of("origins.checks.dates", table) == 4 and layer_of("origins", table) == 9


def test_every_module_has_a_layer_and_imports_only_its_own_and_lower_layers():
    """Every import of every module, function-level ones included, against docs/architecture.md."""
    table = layers()
    graph = import_graph()
    unplaced = [m for m in graph if not any(m == p or m.startswith(p + ".") for p in table)]
    assert unplaced == [], "add these to the layer table of docs/architecture.md"
    upward = sorted(
        f"{m} (layer {layer_of(m, table)}) imports {w} (layer {layer_of(w, table)})"
        for m, targets in graph.items()
        for w in targets
        if layer_of(w, table) > layer_of(m, table)
    )
    assert upward == []


def test_the_layer_test_catches_an_upward_import():
    table = {"origins.core": 0, "origins.site": 6}
    assert layer_of("origins.site.pages", table) > layer_of("origins.core.findings", table)
    with pytest.raises(KeyError):
        layer_of("origins.elsewhere", table)


# --- the toy table ---------------------------------------------------------------------------------

TOY_SCHEMA = {
    "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
    "x-id-prefix": "mtg",
    "x-must-cite": True,
    "fields": [
        {
            "name": "id",
            "type": "string",
            "description": "Toy id.",
            "constraints": {"required": True, "unique": True, "pattern": "mtg-[a-z0-9]+(-[a-z0-9]+)*"},
        },
        {
            "name": "date",
            "type": "string",
            "description": "Toy date (EDTF).",
            "constraints": {"required": True, "pattern": "\\d{4}(-\\d{2}(-\\d{2})?)?"},
            "x-edtf": True,
        },
        {
            "name": "title",
            "type": "string",
            "description": "Toy title.",
            "constraints": {"required": True, "minLength": 1, "maxLength": 300},
            "x-free-text": True,
            "x-editorial": True,
            "x-search": True,
        },
        {
            "name": "host",
            "type": "string",
            "description": "Toy reference to a person or an organization.",
            "constraints": {"pattern": "(per|org)-[a-z0-9]+(-[a-z0-9]+)*"},
            "x-references": ["people", "organizations"],
        },
    ],
    "primaryKey": ["id"],
}
TOY_ROWS = [
    {"id": "mtg-toy-one", "date": "2015-12-11", "title": "Toy meeting one", "host": "per-elon-musk"},
    {"id": "mtg-toy-two", "date": "2016-01", "title": "Toy meeting two", "host": ""},
]


def add_toy_table(root: Path) -> None:
    """Schema, descriptor entry, CSV and citations of a table the code has never heard of."""
    (root / "schemas" / "meetings.json").write_text(json.dumps(TOY_SCHEMA, indent=2) + "\n", encoding="utf-8")
    path = root / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    d["resources"].append(
        {
            "name": "meetings",
            "type": "table",
            "title": "Meetings",
            "description": "A toy table for the architecture test.",
            "path": "raw/meetings.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": "schemas/meetings.json",
        }
    )
    if (
        "-" not in d["version"]
    ):  # main is at a release: a new table opens the next minor version, as docs/releases.md says
        major, minor, _ = d["version"].split(".")
        d["version"] = f"{major}.{int(minor) + 1}.0-dev"
    path.write_text(json.dumps(d, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with (root / "raw" / "meetings.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, ["id", "date", "title", "host"], lineterminator="\n")
        w.writeheader()
        w.writerows(TOY_ROWS)
    source = next(csv.DictReader((root / "raw" / "sources.csv").open(encoding="utf-8")))["id"]
    with (root / "raw" / "citations.csv").open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        for row in TOY_ROWS:
            w.writerow([row["id"], source, "article", "", "", ""])  # row_id, source_id, locator, quote, stance, note


def origins(root: Path, *args: str):
    return sh(
        str(root / ".venv" / "bin" / "python"),
        "-m",
        "origins",
        *args,
        cwd=root,
        env_extra={"PYTHONPATH": str(root / "scripts")},
    )


@pytest.mark.slow
def test_a_new_table_needs_no_code(clone):
    from origins.checks.validate import validate
    from origins.pipeline import build

    add_toy_table(clone)
    assert origins(clone, "fmt").returncode == 0  # canonical row order, as a contributor's `make fmt`
    assert sh("git", "diff", "--quiet", "--", "scripts", cwd=clone).returncode == 0  # no code changed

    result = validate(clone)
    assert result.ok, [f for f in result.findings if f.severity == "error"]
    assert result.stats["rows"]["meetings"] == 2

    outcome = build(clone, "build")
    assert outcome.written and outcome.pages
    built = clone / "build"
    assert pq.read_table(built / "meetings.parquet").column("id").to_pylist() == ["mtg-toy-one", "mtg-toy-two"]
    assert pq.read_schema(built / "meetings.parquet").field("date_earliest").type == "date32[day]"
    from origins.outputs import outputs

    described = json.loads((built / "datapackage.json").read_text())["resources"]
    per_table = [o for o in outputs() if o.each == "table"]
    for o in per_table:  # every per-table output of the registry, for the new table too
        assert (built / o.path.format(table="meetings")).is_file(), o.name
    assert sum(r["path"].rpartition("/")[2].startswith("meetings.") for r in described) == len(
        [o for o in per_table if o.format]
    )
    con = sqlite3.connect(built / "openai-origins.sqlite")
    assert con.execute(
        "select id from meetings_fts f join meetings m on m.rowid = f.rowid where meetings_fts match 'two'"
    ).fetchall() == [("mtg-toy-two",)]
    assert (built / "site" / "data" / "meetings.parquet").is_file()
    assert "meetings" in (built / "site" / "data-dictionary.html").read_text(encoding="utf-8")
    page = (built / "site" / "meetings.html").read_text(encoding="utf-8")  # a page of its own, in the menu
    assert 'id="mtg-toy-one"' in page and 'id="mtg-toy-two"' in page and 'href="meetings.html"' in page
    sources = (built / "site" / "sources.html").read_text(encoding="utf-8")  # its ids are links wherever shown
    assert 'href="meetings.html#mtg-toy-one"' in sources

    diff = json.loads(origins(clone, "diff", "--format", "json").stdout)
    assert diff["tables"]["meetings"]["added"] == ["mtg-toy-one", "mtg-toy-two"]
    assert {"table": "meetings", "change": "added"}.items() <= next(
        c for c in diff["schemas"] if c["table"] == "meetings"
    ).items()

    sh("git", "add", "-A", cwd=clone, check=True)
    sh("git", "commit", "-qm", "toy table", cwd=clone, check=True)
    proc = origins(clone, "release")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    version = json.loads((clone / "datapackage.json").read_text())["version"]
    manifest = json.loads((clone / "releases" / f"{version}.json").read_text())
    assert sorted(manifest["tables"]["meetings"]) == ["mtg-toy-one", "mtg-toy-two"]
    with zipfile.ZipFile(clone / "dist" / f"openai-origins-{version}.zip") as zf:
        members = {n.split("/", 1)[1] for n in zf.namelist()}
    assert {"raw/meetings.csv", "schemas/meetings.json"} <= members
    assert {f"build/{o.path.format(table='meetings')}" for o in per_table} <= members


@pytest.mark.slow
def test_a_toy_tables_dangling_and_missing_citations_are_caught(repo_copy):
    from conftest import edit, run

    add_toy_table(repo_copy)
    edit(repo_copy / "raw" / "citations.csv", "mtg-toy-two,", "mtg-toy-too,")
    lines = (repo_copy / "raw" / "citations.csv").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines, 1) if line.startswith("mtg-toy-too,"))
    found = located(run(repo_copy), "error")
    assert f"raw/citations.csv:{at}:1 CIT002" in found  # cites no existing meeting
    assert "raw/meetings.csv:3:1 CIT001" in found  # mtg-toy-two is cited by nothing now


@pytest.mark.slow
def test_a_toy_tables_declarations_are_checked_against_the_package(repo_copy):
    """A misspelt table in x-references, or a prefix two tables claim, is found in the schema that says it."""
    from conftest import run

    schema = json.loads(json.dumps(TOY_SCHEMA))
    schema["fields"][3]["x-references"] = ["people", "organisations"]
    schema["x-id-prefix"] = "evt"
    add_toy_table(repo_copy)
    (repo_copy / "schemas" / "meetings.json").write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    lines = (repo_copy / "schemas" / "meetings.json").read_text(encoding="utf-8").splitlines()
    host = next(i for i, line in enumerate(lines, 1) if '"name": "host"' in line)
    prefix = next(i for i, line in enumerate(lines, 1) if '"x-id-prefix"' in line)
    result = run(repo_copy)
    found = {f.code: f for f in result.findings if f.code.startswith("DEC")}
    assert located(result) and sorted(found) == ["DEC001", "DEC002"]
    assert (found["DEC001"].path, found["DEC001"].line) == ("schemas/meetings.json", host)
    assert "x-references names 'organisations', which is not a table of the package" in found["DEC001"].message
    assert (found["DEC002"].path, found["DEC002"].line) == ("schemas/meetings.json", prefix)
    assert "already the prefix of events" in found["DEC002"].message
