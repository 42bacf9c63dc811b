"""The descriptor checked like the data: every entry of datapackage.json and of the Table Schemas
that build, the citation files, the card and release read is checked by validate, at the line of
its key with its JSON pointer, and build stops with those findings instead of a traceback."""

from __future__ import annotations

import json

import pytest

from origins.read.descriptor import positions

from conftest import FIXTURE, build, located, run, sh

SNAPSHOTS = str(FIXTURE / "snapshots")


def rewrite(path, change) -> str:
    """Apply `change` to the JSON file at `path`, write it back laid out as the repository does; its text."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def at(text: str, needle: str | None, nth: int = 1) -> str:
    """'line:column' of the nth occurrence of `needle` in `text` (the whole file, 1:1, for None)."""
    if needle is None:
        return "1:1"
    i = -1
    for _ in range(nth):
        i = text.index(needle, i + 1)
    return f"{text.count(chr(10), 0, i) + 1}:{i - text.rfind(chr(10), 0, i)}"


def own(result) -> list[str]:
    """Located findings without frictionless's unlocated PKG007 echo of the same problem."""
    return [x for x in located(result) if x != "datapackage.json:0:0 PKG007"]


def drop(*path):
    def change(d):
        for key in path[:-1]:
            d = d[key]
        del d[path[-1]]

    return change


def put(value, *path):
    def change(d):
        for key in path[:-1]:
            d = d[key]
        d[path[-1]] = value

    return change


# (id, change to datapackage.json, (needle, nth) where the finding points, code, start of the message)
DESCRIPTOR_CASES = [
    ("title-missing", drop("title"), (None, 1), "PKG008", "/title is missing; give the dataset's title"),
    ("title-not-text", put(5, "title"), ('"title"', 1), "PKG009", "/title must be a string, not a number"),
    ("description-empty", put("", "description"), ('"description"', 1), "PKG008", "/description is empty"),
    ("name-missing", drop("name"), (None, 1), "PKG008", "/name is missing"),
    ("name-form", put("Open AI", "name"), ('"name"', 1), "PKG009", '/name is "Open AI", which is not a lower-case'),
    ("version-missing", drop("version"), (None, 1), "PKG008", "/version is missing; write a semantic version"),
    ("version-not-semver", put("0.2", "version"), ('"version"', 1), "PKG009", '/version is "0.2", which is not a sem'),
    ("version-leading-zero", put("1.02.0", "version"), ('"version"', 1), "PKG009", '/version is "1.02.0"'),
    ("created-missing", drop("created"), (None, 1), "PKG008", "/created is missing; write an RFC 3339 date-time"),
    ("created-a-date", put("2026-11-26", "created"), ('"created"', 1), "PKG009", '/created is "2026-11-26", which'),
    ("created-no-month-13", put("2026-13-01T00:00:00Z", "created"), ('"created"', 1), "PKG009", "/created is"),
    ("keywords-missing", drop("keywords"), (None, 1), "PKG008", '/keywords is missing; list keywords, such as ["'),
    ("keywords-empty", put([], "keywords"), ('"keywords"', 1), "PKG008", "/keywords is empty"),
    ("keywords-a-string", put("OpenAI", "keywords"), ('"keywords"', 1), "PKG009", "/keywords must be a list"),
    ("keyword-blank", put(["OpenAI", ""], "keywords"), ('""', 1), "PKG008", "/keywords/1 is empty"),
    ("licenses-missing", drop("licenses"), (None, 1), "PKG008", "/licenses is missing; list the licence as"),
    ("licenses-an-object", put({"name": "CC-BY-4.0"}, "licenses"), ('"licenses"', 1), "PKG009", "/licenses must be"),
    ("license-name-missing", drop("licenses", 0, "name"), ("{", 2), "PKG008", "/licenses/0/name is missing; write"),
    (
        "license-name-form",
        put("CC BY", "licenses", 0, "name"),
        ('"name": "CC BY"', 1),
        "PKG009",
        '/licenses/0/name is "CC BY',
    ),
    ("license-path-missing", drop("licenses", 0, "path"), ("{", 2), "PKG008", "/licenses/0/path is missing"),
    ("contributors-missing", drop("contributors"), (None, 1), "PKG008", "/contributors is missing"),
    ("contributor-title-missing", drop("contributors", 0, "title"), ("{", 3), "PKG008", "/contributors/0/title is"),
    (
        "contributors-no-author",
        put(["maintainer"], "contributors", 0, "roles"),
        ('"contributors"', 1),
        "PKG008",
        '/contributors has no contributor with the role "author"',
    ),
    ("sources-missing", drop("sources"), (None, 1), "PKG008", "/sources is missing"),
    ("source-path-missing", drop("sources", 0, "path"), ("{", 4), "PKG008", "/sources/0/path is missing"),
    ("source-path-number", put(3, "sources", 0, "path"), ('"path": 3', 1), "PKG009", "/sources/0/path must be a st"),
    ("resources-missing", drop("resources"), (None, 1), "PKG008", "/resources is missing"),
    ("resource-path-missing", drop("resources", 1, "path"), ("{", 11), "PKG008", "/resources/1/path is"),
    (
        "resource-path-outside",
        put("../people.csv", "resources", 1, "path"),
        ('"path": "../people.csv"', 1),
        "PKG006",
        '/resources/1/path is "../people.csv", which is not a path inside the package',
    ),
    (
        "resource-schema-absolute",
        put("/etc/people.json", "resources", 1, "schema"),
        ('"schema": "/etc/people.json"', 1),
        "PKG006",
        "/resources/1/schema is",
    ),
    (
        "resource-schema-inline",
        put({"fields": []}, "resources", 1, "schema"),
        ('"schema": {', 1),
        "PKG009",
        "/resources/1/schema must be a string, not an object",
    ),
    (
        "resource-format",
        put("xlsx", "resources", 1, "format"),
        ('"format": "xlsx"', 1),
        "PKG009",
        '/resources/1/format is "xlsx"; write one of "csv"',
    ),
]


@pytest.mark.parametrize(
    "change,where,code,message", [c[1:] for c in DESCRIPTOR_CASES], ids=[c[0] for c in DESCRIPTOR_CASES]
)
def test_descriptor_defect_is_found_at_its_key(minimal, change, where, code, message):
    text = rewrite(minimal / "datapackage.json", change)
    needle = at(text, *where)  # for a missing key: the opening brace of the object that lacks it, the nth
    result = run(minimal)
    assert own(result) == [f"datapackage.json:{needle} {code}"]
    (finding,) = [f for f in result.findings if f.code == code]
    assert finding.message.startswith(message), finding.message
    assert finding.field == finding.message.split()[0]  # the JSON pointer, for tools


def test_duplicate_resource_name(minimal):
    text = rewrite(minimal / "datapackage.json", put("people", "resources", 2, "name"))
    result = run(minimal)
    assert "datapackage.json:" + at(text, '"name": "people"', 2) + " PKG009" in own(result)
    assert "datapackage.json:" + at(text, '"resources"') + " PKG008" in own(result)  # no 'organizations' left
    assert any(f.message.startswith('/resources/2/name is "people", like /resources/1/name') for f in result.findings)


def test_a_table_the_pipeline_needs_cannot_be_left_out(minimal):
    text = rewrite(minimal / "datapackage.json", lambda d: d["resources"].pop(4))
    result = run(minimal)
    assert own(result)[0] == "datapackage.json:" + at(text, '"resources"') + " PKG008"
    assert result.findings[0].message.startswith("/resources has no resource named 'events'")


def test_a_prerelease_version_is_accepted(minimal):
    rewrite(minimal / "datapackage.json", put("1.0.0-dev", "version"))
    assert run(minimal).findings == []


# (id, table, change to schemas/<table>.json, (needle, nth), code, start of the message)
SCHEMA_CASES = [
    ("fields-missing", "people", drop("fields"), (None, 1), "PKG008", "/fields is missing"),
    ("fields-a-string", "people", put("x", "fields"), ('"fields"', 1), "PKG009", "/fields must be a list"),
    ("primary-key-missing", "people", drop("primaryKey"), (None, 1), "PKG008", "/primaryKey is missing"),
    ("field-name-missing", "people", drop("fields", 1, "name"), ("{", 4), "PKG008", "/fields/1/name is missing"),
    (
        "field-type-unknown",
        "people",
        put("strang", "fields", 1, "type"),
        ('"type": "strang"', 1),
        "PKG009",
        '/fields/1/type is "strang"; write one of "string", "integer", "boolean", "date", "number", "list"',
    ),
    (
        "primary-key-names-no-column",
        "people",
        put(["nope"], "primaryKey"),
        ('"primaryKey"', 1),
        "PKG010",
        "/primaryKey: primary key \"['nope']\" does not match the fields",
    ),
    (
        "constraint-the-type-lacks",
        "people",
        put({"minimum": 1}, "fields", 1, "constraints"),
        ('"minimum"', 1),
        "PKG010",
        '/fields/1/constraints/minimum: constraint "minimum" is not supported by type "string"',
    ),
    (
        "id-prefix-not-lower-case",
        "events",
        put("EVT", "x-id-prefix"),
        ('"x-id-prefix": "EVT"', 1),
        "PKG009",
        '/x-id-prefix is "EVT"',
    ),
    ("must-cite-a-string", "events", put("yes", "x-must-cite"), ('"x-must-cite": "yes"', 1), "PKG009", "/x-must-cite"),
    (
        "references-a-string",
        "participants",
        put("people", "fields", 1, "x-references"),
        ('"x-references": "people"', 1),
        "PKG009",
        "/fields/1/x-references must be a list",
    ),
    (
        "order-unknown",
        "participants",
        put("alphabetical", "fields", 2, "x-order"),
        ('"x-order": "alphabetical"', 1),
        "PKG009",
        '/fields/2/x-order is "alphabetical"',
    ),
    (
        "foreign-key-names-no-column",
        "participants",
        put(["nope"], "foreignKeys", 0, "fields"),
        ('"foreignKeys"', 1),
        "PKG010",
        "/foreignKeys: foreign key",
    ),
]


@pytest.mark.parametrize(
    "table,change,where,code,message", [c[1:] for c in SCHEMA_CASES], ids=[c[0] for c in SCHEMA_CASES]
)
def test_table_schema_defect_is_found_at_its_key(minimal, table, change, where, code, message):
    text = rewrite(minimal / "schemas" / f"{table}.json", change)
    needle = at(text, *where)
    result = run(minimal)
    assert own(result) == [f"schemas/{table}.json:{needle} {code}"]
    (finding,) = [f for f in result.findings if f.code == code]
    assert finding.message.startswith(message), finding.message


def test_schema_file_missing_or_not_json(minimal):
    (minimal / "schemas" / "people.json").unlink()
    assert own(run(minimal)) == ["schemas/people.json:0:0 PKG001"]
    (minimal / "schemas" / "people.json").write_text('{"fields": [}\n')
    assert own(run(minimal)) == ["schemas/people.json:1:13 PKG002"]


def test_positions_point_at_keys_and_items():
    text = '{\n  "a": [1, {"b~/c": "x"}],\n  "d": {}\n}\n'
    assert positions(text) == {
        "": (1, 1),
        "/a": (2, 3),
        "/a/0": (2, 9),
        "/a/1": (2, 12),
        "/a/1/b~0~1c": (2, 13),
        "/d": (3, 3),
    }


GARBLED = [
    (field, kind, change)
    for field, garbled in [
        ("name", "Open AI"),
        ("title", 5),
        ("description", ""),
        ("version", "0.2"),
        ("created", "2026-11-26"),
        ("keywords", "OpenAI"),
        ("licenses", [{"title": "CC"}]),
        ("contributors", [{"title": "x", "roles": ["editor"]}]),
        ("sources", [{"title": "x"}]),
        ("resources", [{"name": "events", "path": "/raw/events.csv", "schema": "schemas/events.json"}]),
    ]
    for kind, change in (("removed", drop(field)), ("garbled", put(garbled, field)))
]


@pytest.mark.parametrize("field,kind,change", GARBLED, ids=[f"{f}-{k}" for f, k, _ in GARBLED])
def test_build_stops_with_findings_never_a_traceback(minimal, field, kind, change):
    """Whatever validate passes, build can use; whatever it cannot use, validate reports (item 1 of issue 16)."""
    rewrite(minimal / "datapackage.json", change)
    result = run(minimal)
    assert not result.ok and any(f"/{field}" in f.message for f in result.findings if f.code.startswith("PKG"))
    code, messages = build(minimal, minimal / "build", SNAPSHOTS)
    assert code == 1 and messages[-1].startswith("build stopped:")
    assert any(f"/{field}" in m for m in messages)
    assert not (minimal / "build").exists()


def test_cli_reports_a_missing_licence_without_a_traceback(minimal):
    from conftest import REPO

    rewrite(minimal / "datapackage.json", drop("licenses"))
    env = {"PYTHONPATH": str(REPO / "scripts")}
    args = ["--root", str(minimal)]
    for stage in ("validate", "build"):
        proc = sh(
            str(REPO / ".venv" / "bin" / "python"), "-m", "origins", *args, stage, "--snapshots", SNAPSHOTS,
            cwd=minimal, env_extra=env,
        )  # fmt: skip
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        assert "datapackage.json:1:1: PKG008 /licenses is missing" in proc.stdout
