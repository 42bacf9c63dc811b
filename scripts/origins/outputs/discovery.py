"""Discovery metadata of a build: Croissant (MLCommons) and schema.org Dataset JSON-LD, written
into build/ from the descriptor and what the build wrote. Nothing is guessed: a missing value
raises (origins.release.citation.MetadataError)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from origins.outputs.descriptor import sizes
from origins.outputs.registry import Build, output
from origins.release.citation import (
    SPDX_URL,
    as_cited,
    authors,
    bibtex,
    citation_text,
    doi,
    license_id,
    need,
    release_date,
)

CROISSANT_SPEC = "http://mlcommons.org/croissant/1.1"


def schema_org(d: dict, build: dict, sizes: dict[str, int], coverage: str = "", cite: dict | None = None) -> dict:
    """schema.org Dataset; `sizes` gives each file's bytes by path (Parquet resources carry none).

    `version` is what the files are; `citation` names the release to cite (`cite`, see
    origins.release.manifest.citation_of), so a -dev build never asks to be cited by a version
    no archive holds.
    """
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": need(d, "title"),
        "alternateName": d["name"],
        "description": need(d, "description"),
        "version": need(d, "version"),
        "datePublished": release_date(d),
        "license": SPDX_URL.get(license_id(d), license_id(d)),
        "keywords": need(d, "keywords"),
        "creator": [{"@type": "Organization", "name": a} for a in authors(d)],
        "citation": citation_text(as_cited(d, cite) if cite else d),
        **({"temporalCoverage": coverage} if coverage else {}),
        "isBasedOn": [s["path"] for s in d.get("sources", []) if s.get("path", "").startswith("http")],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": r["name"],
                "contentUrl": r["path"],
                "encodingFormat": r["mediatype"],
                "contentSize": str(sizes[r["path"]]),
                "sha256": r["hash"].split(":", 1)[1],
            }
            for r in build["resources"]
        ],
        **({"identifier": f"https://doi.org/{doi(d)}"} if doi(d) else {}),
    }


def _cr_type(t) -> str:
    """The Croissant (schema.org) data type of an Arrow type (after lists are unwrapped)."""
    import pyarrow as pa

    t = t.value_type if pa.types.is_dictionary(t) else t
    for test, name in (
        (pa.types.is_boolean, "sc:Boolean"),
        (pa.types.is_integer, "sc:Integer"),
        (pa.types.is_date, "sc:Date"),
        (pa.types.is_decimal, "sc:Float"),
    ):
        if test(t):
            return name
    return "sc:Text"


def _cr_field(record: str, f, file_id: str, parent: str | None = None) -> dict:
    """A cr:Field for an Arrow field; a list is `repeated`, a list of structs has subFields."""
    import pyarrow as pa

    fid = f"{record}/{f.name}" if parent is None else f"{parent}/{f.name}"
    extract = {"column": f.name} if parent is None else {"column": parent.rsplit("/", 1)[1]}
    out = {
        "@type": "cr:Field",
        "@id": fid,
        "name": f.name,
        "description": (f.metadata or {}).get(b"description", b"").decode(),
        "source": {"fileObject": {"@id": file_id}, "extract": extract},
    }
    if parent is not None:
        out["source"]["transform"] = {"jsonPath": f.name}
    t = f.type
    if pa.types.is_list(t):
        out["repeated"] = True
        t = t.value_type
    if pa.types.is_struct(t):
        out["subField"] = [_cr_field(record, t.field(i), file_id, fid) for i in range(t.num_fields)]
    else:
        out["dataType"] = _cr_type(t)
    return out


CROISSANT_CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "data": {"@id": "cr:data", "@type": "@json"},
    "equivalentProperty": "cr:equivalentProperty",
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _cr_file(r: dict, sizes: dict[str, int]) -> dict:
    """The FileObject of one Parquet resource."""
    fid = f"{r['name']}-parquet"
    return {
        "@type": "cr:FileObject",
        "@id": fid,
        "name": fid,
        "contentUrl": r["path"],
        "encodingFormat": "application/x-parquet",
        "sha256": r["hash"].split(":", 1)[1],
        "contentSize": f"{sizes[r['path']]} B",
    }


def _cr_record(r: dict, schema) -> dict:
    """The RecordSet of one Parquet resource: its fields (from the Arrow schema), its key, and the
    references of its foreign keys to another table (one within its own table stays in the Table
    Schema: mlcroissant reads it as a cycle and cannot load the records)."""
    fields = [_cr_field(r["name"], f, f"{r['name']}-parquet") for f in schema]
    by_id = {f["@id"]: f for f in fields}
    for fk in r["schema"].get("foreignKeys", []):
        target = fk["reference"].get("resource")
        if not target:
            continue
        for mine, theirs in zip(fk["fields"], fk["reference"]["fields"], strict=True):
            by_id[f"{r['name']}/{mine}"]["references"] = {"field": {"@id": f"{target}/{theirs}"}}
    record = {
        "@type": "cr:RecordSet",
        "@id": r["name"],
        "name": r["name"],
        "description": r.get("description", ""),
        "field": fields,
    }
    if r["schema"].get("primaryKey"):
        record["key"] = [{"@id": f"{r['name']}/{k}"} for k in r["schema"]["primaryKey"]]
    return record


def croissant(d: dict, build: dict, schemas: dict, sizes: dict[str, int], cite: dict | None = None) -> dict:
    """MLCommons Croissant 1.1: one FileObject and one RecordSet per Parquet file, timeline included.

    Fields come from the Arrow schemas the files were written with (`schemas`, by resource
    name), keys and foreign-key `references` from the resources' Table Schemas, sizes by path.
    Each `contentUrl` is relative to croissant.json, so it resolves in build/ and in the release.
    """
    parquet = [r for r in build["resources"] if r["format"] == "parquet"]
    return {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT_SPEC,
        "name": d["name"],
        "description": need(d, "description"),
        "license": SPDX_URL.get(license_id(d), license_id(d)),
        **({"url": d.get("homepage") or f"https://doi.org/{doi(d)}"} if d.get("homepage") or doi(d) else {}),
        "version": need(d, "version"),
        "datePublished": release_date(d),
        "creator": [{"@type": "sc:Organization", "name": a} for a in authors(d)],
        "keywords": need(d, "keywords"),
        "citeAs": bibtex(as_cited(d, cite) if cite else d),
        "distribution": [_cr_file(r, sizes) for r in parquet],
        "recordSet": [_cr_record(r, schemas[r["name"]]) for r in parquet],
    }


def temporal_coverage(timeline: pa.Table) -> str:
    """The years the events span, as an ISO 8601 interval of years ('2014/2026'), from the data."""
    first = pc.min(timeline["date_earliest"]).as_py()
    last = pc.max(pc.coalesce(timeline["date_latest"], timeline["date_earliest"])).as_py()
    return f"{first.year}/{last.year}" if first and last else ""


def _json(path: Path, doc: dict) -> None:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


JSONLD_LINE = "`croissant.json` (MLCommons Croissant) and `dataset.jsonld` (schema.org)."


@output("croissant", "croissant.json", "application/ld+json", rank=110, card=JSONLD_LINE)
def croissant_file(b: Build, path: Path) -> None:
    schemas = {k: t.schema for k, t in (b.typed | b.views).items()}
    _json(path, croissant(b.ds.descriptor, b.package, schemas, sizes(b), b.cite))


@output("jsonld", "dataset.jsonld", "application/ld+json", rank=120, card=JSONLD_LINE)
def schema_org_file(b: Build, path: Path) -> None:
    _json(path, schema_org(b.ds.descriptor, b.package, sizes(b), temporal_coverage(b.views["timeline"]), b.cite))
