"""Parquet outputs: typed from the schema, equal to the CSVs, readable everywhere, reproducible."""

from __future__ import annotations

import csv
import hashlib
import json
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from origins.core.edtf import parse
from origins.outputs.tables import QUOTE_CHECK_FIELDS
from origins.read.arrow import DECIMAL, ENUM, arrow_schema, field_type

from conftest import ARCHIVE, REPO, build, edit

pytestmark = pytest.mark.slow
DESCRIPTOR = json.loads((REPO / "datapackage.json").read_text())
RESOURCES = [r["name"] for r in DESCRIPTOR["resources"]]


def _schema(name):
    return json.loads((REPO / "schemas" / f"{name}.json").read_text())


@pytest.mark.parametrize(
    ("table_type", "enum", "expected"),
    [
        ("string", False, pa.string()),
        ("string", True, ENUM),
        ("integer", False, pa.int64()),
        ("boolean", False, pa.bool_()),
        ("date", False, pa.date32()),
        ("number", False, DECIMAL),
        ("list", False, pa.list_(pa.string())),
    ],
)
def test_type_mapping(table_type, enum, expected):
    field = {"name": "x", "type": table_type}
    if enum:
        field["constraints"] = {"enum": ["a"]}
    assert field_type(field) == expected


@pytest.mark.parametrize("name", RESOURCES)
def test_parquet_schema_is_the_mapped_schema(built, name):
    got = pq.read_schema(built / f"{name}.parquet")
    want = arrow_schema(_schema(name))
    if name == "citations":  # what validate found for each quote, appended by the build
        for field in QUOTE_CHECK_FIELDS:
            want = want.append(field)
    assert got.remove_metadata() == want.remove_metadata()
    schema = _schema(name)
    for f in schema["fields"]:
        assert got.field(f["name"]).metadata[b"description"].decode() == f["description"]
        required = f.get("constraints", {}).get("required") or f["name"] in schema["primaryKey"]
        assert got.field(f["name"]).nullable == (not required)
    meta = got.metadata
    assert meta[b"package"] == b"openai-origins" and meta[b"version"] == DESCRIPTOR["version"].encode()
    assert meta[b"license"] == b"CC-BY-4.0" and meta[b"citation"]
    assert (
        meta[b"source_descriptor_sha256"].decode()
        == hashlib.sha256((REPO / "datapackage.json").read_bytes()).hexdigest()
    )


@pytest.mark.parametrize("name", RESOURCES)
def test_parquet_equals_csv(built, name):
    schema = _schema(name)
    with open(REPO / "raw" / f"{name}.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    pk = schema["primaryKey"]
    rows.sort(key=lambda r: tuple(r[k] for k in pk))
    table = pq.read_table(built / f"{name}.parquet").to_pylist()
    assert len(table) == len(rows)
    for raw, got in zip(rows, table, strict=True):
        for f in schema["fields"]:
            value, out = raw[f["name"]], got[f["name"]]
            if value == "":
                assert out is None
            elif f["type"] == "number":
                assert out == Decimal(value) and isinstance(out, Decimal)
            elif f["type"] == "boolean":
                assert out is (value == "true")
            elif f["type"] == "list":
                assert out == value.split(f.get("delimiter", ","))
            elif f["type"] == "date":
                assert out.isoformat() == value
            else:
                assert out == value
            if f.get("x-edtf") and value:
                span = parse(value)
                assert (got[f"{f['name']}_earliest"], got[f"{f['name']}_latest"]) == (
                    span.earliest,
                    span.latest,
                )


def test_money_round_trips_exactly(built):
    fig = pq.read_table(built / "figures.parquet").to_pandas()
    sutskever = fig.loc[fig["id"] == "fig-sutskever-2016-pay", "amount"].item()
    assert str(sutskever) == "1900000.00"


def test_descriptor_hashes_and_sizes_match(built):
    import frictionless

    desc = json.loads((built / "datapackage.json").read_text())
    assert frictionless.Package.validate_descriptor(desc).valid
    for key in ("name", "version", "licenses", "sources", "contributors"):
        assert desc[key] == DESCRIPTOR[key]
    paths = set()
    for res in desc["resources"]:
        path = built / res["path"]
        paths.add(res["path"])
        # Parquet carries no `bytes` (frictionless cannot measure a Parquet file's size); the hash covers it
        assert res.get("bytes", path.stat().st_size) == path.stat().st_size
        assert ("bytes" in res) == (res["format"] != "parquet")
        assert res["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert {f"{n}.parquet" for n in RESOURCES} | {"timeline.parquet"} <= paths


def test_the_outputs_registry_lists_every_file_the_build_writes(built):
    from origins.outputs import downloads, files, outputs

    written = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    assert written == sorted(files(RESOURCES))
    described = [r["path"] for r in json.loads((built / "datapackage.json").read_text())["resources"]]
    assert sorted(described) == sorted(downloads(RESOURCES))  # the resources are the outputs with a format
    for o in outputs():
        assert o.mediatype and o.rank and (o.each == "table") == ("{table}" in o.path)


def test_an_output_registers_once_with_a_rank_of_its_own():
    from origins.outputs import outputs
    from origins.outputs.registry import output

    taken = outputs()[0]
    with pytest.raises(ValueError, match="registered twice"):
        output(taken.name, "x.txt", "text/plain", rank=9999)(lambda b, path: None)
    with pytest.raises(ValueError, match="is taken"):
        output("another", "x.txt", "text/plain", rank=taken.rank)(lambda b, path: None)
    with pytest.raises(ValueError, match="exactly when each='table'"):
        output("per-table", "x.txt", "text/plain", rank=9998, each="table")(lambda b, path, t: None)


def test_adding_an_output_is_one_registered_function(repo_copy, tmp_path):
    """The worked example of docs/architecture.md: a writer registered in one place is written,
    listed by the registry (so the release archive and the site know it), and nothing else changes."""
    from origins.outputs import files
    from origins.outputs.registry import REGISTRY, Build, output

    @output("row-counts", "counts.tsv", "text/tab-separated-values", rank=9000)
    def row_counts(b: Build, path) -> None:
        path.write_text("".join(f"{name}\t{t.num_rows}\n" for name, t in b.typed.items()), encoding="utf-8")

    try:
        out = tmp_path / "b"
        assert build(repo_copy, out, ARCHIVE)[0] == 0
        assert (out / "counts.tsv").read_text().splitlines()[
            0
        ] == f"sources\t{pq.read_metadata(out / 'sources.parquet').num_rows}"
        assert "counts.tsv" in files(RESOURCES)
    finally:
        del REGISTRY["row-counts"]
    assert "counts.tsv" not in files(RESOURCES)


def test_two_builds_are_byte_identical(built, tmp_path):
    out = tmp_path / "again"
    assert build(REPO, out, ARCHIVE)[0] == 0
    files = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    for rel in files:
        assert (built / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_failed_validation_writes_nothing(repo_copy):
    out = repo_copy / "build"
    out.mkdir()
    (out / "README.md").write_text("keep me\n")
    edit(repo_copy / "raw" / "events.csv", "2015-05-25,", "2015-13-25,")
    code, messages = build(repo_copy, out, ARCHIVE)
    assert code == 1
    assert any("DAT001" in m for m in messages) and "nothing was written" in messages[-1]
    assert sorted(p.name for p in out.iterdir()) == ["README.md"]
    assert not [p for p in repo_copy.iterdir() if p.name.startswith(".build")]


def test_readers_agree(built):
    import duckdb
    import pandas as pd
    import polars as pl

    path = str(built / "figures.parquet")
    con = duckdb.connect()
    q = "select kind, sum(amount) as total from read_parquet(?) where unit = 'money' group by kind"
    ddb = {k: Decimal(str(v)) for k, v in con.execute(q, [path]).fetchall()}
    pdf = pd.read_parquet(path)
    pds = pdf[pdf["unit"] == "money"].groupby("kind", observed=True)["amount"].sum()
    pls = pl.read_parquet(path).filter(pl.col("unit") == "money").group_by("kind").agg(pl.col("amount").sum())
    assert ddb == {k: Decimal(str(v)) for k, v in pds.items()}
    assert ddb == {r["kind"]: Decimal(str(r["amount"])) for r in pls.iter_rows(named=True)}
    assert str(pl.read_parquet(path).schema["amount"]).startswith("Decimal")
    events_per_year = con.execute(
        "select year(date_earliest) y, count(*) from read_parquet(?) group by y order by y",
        [str(built / "events.parquet")],
    ).fetchall()
    assert sum(n for _, n in events_per_year) == pq.read_metadata(built / "events.parquet").num_rows
    disputes = con.execute(
        "select a.id, b.id from read_parquet(?) a join read_parquet(?) b on a.disputes = b.id",
        [str(built / "claims.parquet")] * 2,
    ).fetchall()
    assert ("clm-geekwire-50m-compute-not-investment", "clm-seed-msft-invest-50m") in disputes


def test_timeline_view(built):
    tl = pq.read_table(built / "timeline.parquet")
    events = pq.read_table(built / "events.parquet")
    assert tl.num_rows == events.num_rows
    rows = tl.to_pylist()
    keys = [(r["date_earliest"], r["event_id"]) for r in rows]
    assert keys == sorted(keys)
    msft = next(r for r in rows if r["event_id"] == "evt-2016-09-16-microsoft-compute-terms")
    assert {f["amount"] for f in msft["figures"]} == {Decimal("60000000.00"), Decimal("10000000.00")}
    assert {"name": "Sam Altman", "party_id": "per-sam-altman", "role": "sender", "as_role": None} in msft[
        "participants"
    ]
    assert all(c["source_title"] and c["locator"] for c in msft["citations"])


def test_timeline_lists_participants_in_the_schemas_role_order(built):
    """The participants schema lists its roles in reading order (x-order: enum); the timeline follows it."""
    from origins.read.meaning import Meaning

    order = {v: i for i, v in enumerate(Meaning.parse({"p": _schema("participants")}).tables["p"].column("role").order)}
    assert list(order)[:2] == ["sender", "author"] and len(order) > 10
    timeline = pq.read_table(built / "timeline.parquet", columns=["participants"]).to_pylist()
    mixed = [e["participants"] for e in timeline if len({p["role"] for p in e["participants"]}) > 1]
    assert len(mixed) > 50
    for parts in mixed:
        positions = [order[p["role"]] for p in parts]
        assert positions == sorted(positions), parts


def test_timeline_claims_name_the_claimant_by_id_as_claims_do(built):
    claims = {c["id"]: c["claimant"] for c in pq.read_table(built / "claims.parquet").to_pylist()}
    names = {
        r["id"]: r["name"]
        for t in ("people", "organizations")
        for r in pq.read_table(built / f"{t}.parquet").to_pylist()
    }
    nested = [c for r in pq.read_table(built / "timeline.parquet").to_pylist() for c in r["claims"]]
    assert nested
    for c in nested:
        assert c["claimant"] == claims[c["claim_id"]]
        assert c["claimant_name"] == names[c["claimant"]]


@pytest.mark.skipif(
    not (REPO.parent / "shared" / "snapshots").is_dir(), reason="the source archive ../shared/snapshots is not here"
)
def test_citations_record_where_each_quote_was_verified(built):
    """quote_verified and quote_offset agree with the archived text they point into."""
    from origins.archive.quotes import normalise, parts
    from origins.archive.store import find, snapshot_dirs

    cites = pq.read_table(built / "citations.parquet").to_pylist()
    sources = {r["id"]: r for r in pq.read_table(built / "sources.parquet").to_pylist()}
    dirs = snapshot_dirs(REPO, ARCHIVE)
    checked = 0
    for c in cites:
        if not c["quote"]:
            assert c["quote_verified"] is None and c["quote_offset"] is None
            continue
        src = sources[c["source_id"]]
        text = find(dirs, src["snapshot"] or "", src["sha256"] or "") if src["sha256"] else None
        assert c["quote_verified"] == (text is not None), c
        if c["quote_verified"]:
            first = parts(c["quote"])[0]
            window = normalise(text.text[c["quote_offset"] : c["quote_offset"] + 2 * len(first) + 20])
            assert window.startswith(first[:30]), c
            checked += 1
    assert checked >= 150


# Money by kind with each quantity counted once, added up by hand from raw/figures.csv (preferred
# readings only; a range counts its low end): Musk's contribution is the $38 million of the
# summary-judgment order, not the sum of its six readings, and the $1 billion pledge is counted once.
README_TOTALS = {
    "bid": Decimal("97375000000"),  # the letter of intent's figure
    "compensation": Decimal("3250000"),  # 425,000 + 800,000 + 125,000 + 1,900,000
    "compute-credit": Decimal("60000000"),
    "compute-deal": Decimal("50000000"),
    "compute-price": Decimal("10000000"),
    "disgorgement-sought": Decimal("134000000000"),
    "donation": Decimal("168000000"),  # 10 M (Altman) + 38 M (Musk) + 30 M (Open Philanthropy) + 90 M (others)
    # Musk's payments one by one, as the parties agreed them: they add up to OpenAI's own total of $37,799,400
    "donation-payment": Decimal("37799400"),
    "fundraising-target": Decimal("650000000"),  # 100 M (the founders' plan) + 30 M + 20 M a year (asks) + 500 M (LP)
    "investment": Decimal("1000000000"),  # Microsoft 2019
    "operating-expenses": Decimal("250000000"),
    "pledge": Decimal("1000000000"),
    "raise": Decimal("100000"),
    "salary": Decimal("750000"),  # 275,000 + 175,000 + 300,000
    "stated-goal": Decimal("80000000000"),
}


def test_readme_money_query_counts_each_quantity_once(built):
    import duckdb

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sql = next(line for line in readme.splitlines() if line.startswith("SELECT kind, sum(amount)"))
    sql = sql.replace("'build/figures.parquet'", f"'{built / 'figures.parquet'}'")
    assert dict(duckdb.sql(sql).fetchall()) == README_TOTALS


def test_readme_board_query_gives_the_directors_of_that_day(built):
    """The README's DuckDB query of the board on a day, run for three days, against the same rule
    applied in Python to the CSV's EDTF bounds (origins.core.edtf): a director certainly in office."""
    import csv

    import duckdb

    from origins.core.edtf import parse

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("-- who sat on OpenAI's board on a day")
    sql = readme[start:].split(";", 1)[0].split("\n", 1)[1]
    for table in ("roles", "people"):
        sql = sql.replace(f"'build/{table}.parquet'", f"'{built / (table + '.parquet')}'")
    names = {r["id"]: r["name"] for r in csv.DictReader((REPO / "raw" / "people.csv").open(encoding="utf-8"))}
    roles = [r for r in csv.DictReader((REPO / "raw" / "roles.csv").open(encoding="utf-8")) if r["kind"] == "director"]
    for day in ("2017-09-15", "2019-03-11", "2023-11-17"):
        got = [row[0] for row in duckdb.sql(sql.replace("2019-03-11", day)).fetchall()]
        d = parse(day).earliest
        want = sorted(
            names[r["person_id"]]
            for r in roles
            if r["organization_id"] == "org-openai"
            and parse(r["start"]).latest is not None
            and parse(r["start"]).latest <= d
            and (not r["end"] or parse(r["end"]).earliest is None or parse(r["end"]).earliest >= d)
        )
        assert got == want and len(got) >= 4, (day, got, want)
