"""Citation and discovery metadata, all generated from datapackage.json.

CITATION.cff and .zenodo.json are committed (GitHub and Zenodo read them from the repository)
and kept in step by `python -m origins docs` and a drift test; the Croissant and schema.org
files are written into build/. Nothing is guessed: a missing value raises instead.
"""

from __future__ import annotations

import json
import re

import yaml

SPDX_URL = {"CC-BY-4.0": "https://spdx.org/licenses/CC-BY-4.0.html"}
CROISSANT_SPEC = "http://mlcommons.org/croissant/1.1"


class MetadataError(ValueError):
    pass


def _need(d: dict, key: str):
    if not d.get(key):
        raise MetadataError(f"datapackage.json needs a {key!r} to generate citation metadata")
    return d[key]


def release_date(d: dict) -> str:
    return _need(d, "created")[:10]


def cited_release(d: dict, latest: dict | None) -> dict:
    """The version a reader should cite, with its day: the descriptor's own when its version is
    final (the release being cut), else the latest committed release. Unreleased data (a -dev
    version) is not offered as a citation while a release exists: nobody can download it; the
    commit identifies it. (A package with no release at all has only its own version to name.)"""
    from origins.core.versions import prerelease

    if not prerelease(_need(d, "version")) or latest is None:
        return {"version": d["version"], "created": _need(d, "created")}
    return {"version": latest["version"], "created": latest["created"]}


def as_cited(d: dict, release: dict) -> dict:
    """The descriptor as a citation of `release` describes it: its version and day."""
    return {**d, "version": release["version"], "created": release["created"]}


def unreleased_line(d: dict, release: dict, rows_changed: int | None = None) -> str:
    """One line for data newer than its citation: what it is, and how to cite it instead."""
    if d.get("version") == release["version"]:
        return ""
    changed = f", {rows_changed} rows changed since {release['version']}" if rows_changed is not None else ""
    return (
        f"This is unreleased data ({d['version']}{changed}); cite {release['version']} "
        f"({release['created'][:10]}), or, for exactly these rows, the commit they come from."
    )


def license_id(d: dict) -> str:
    return _need(d, "licenses")[0]["name"]


def authors(d: dict) -> list[str]:
    return [c.get("title") for c in _need(d, "contributors") if "author" in c.get("roles", [])]


def doi(d: dict) -> str | None:
    """The concept DOI, once Zenodo has minted it: the descriptor's `id` (its single home)."""
    ident = d.get("id") or ""
    return ident.removeprefix("https://doi.org/") if ident.startswith("https://doi.org/10.") else None


def citation_text(d: dict) -> str:
    year = release_date(d)[:4]
    text = f"{', '.join(authors(d))} ({year}). {_need(d, 'title')} (Version {_need(d, 'version')}) [Data set]."
    return text + (f" https://doi.org/{doi(d)}" if doi(d) else "")


def bibtex(d: dict) -> str:
    fields = {
        "author": " and ".join("{" + a + "}" for a in authors(d)),
        "title": "{" + _need(d, "title") + "}",
        "year": release_date(d)[:4],
        "version": _need(d, "version"),
        "note": "Data set, licence " + license_id(d),
    }
    if doi(d):
        fields["doi"] = doi(d)
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    key = re.sub(r"\W", "_", f"{d['name']}_{d['version']}")  # 1.0.0-dev -> 1_0_0_dev
    return f"@misc{{{key},\n{body}\n}}\n"


def citation_cff(d: dict) -> str:
    cff = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite this release; for unreleased data on main, also give the commit.",
        "type": "dataset",
        "title": _need(d, "title"),
        "version": _need(d, "version"),
        "date-released": release_date(d),
        "license": license_id(d),
        "authors": [{"name": a} for a in authors(d)],
        "abstract": _need(d, "description"),
        "keywords": _need(d, "keywords"),
    }
    if d.get("homepage"):
        cff["repository-code"] = d["homepage"]
    if doi(d):
        cff["doi"] = doi(d)
    head = "# Generated from datapackage.json by `python -m origins docs`; do not edit by hand.\n"
    return head + yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=100)


def zenodo_json(d: dict) -> str:
    related = [
        {"identifier": s["path"], "relation": "isDerivedFrom", "scheme": "url"}
        for s in d.get("sources", [])
        if s.get("path", "").startswith("http")
    ]
    z = {
        "upload_type": "dataset",
        "title": _need(d, "title"),
        "creators": [{"name": a} for a in authors(d)],
        "description": _need(d, "description"),
        "version": _need(d, "version"),
        "publication_date": release_date(d),
        "license": {"id": license_id(d).lower()},
        "keywords": _need(d, "keywords"),
        "related_identifiers": related,
    }
    return json.dumps(z, indent=2, ensure_ascii=False) + "\n"


def schema_org(d: dict, build: dict, sizes: dict[str, int], coverage: str = "") -> dict:
    """schema.org Dataset; `sizes` gives each file's bytes by path (Parquet resources carry none)."""
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": _need(d, "title"),
        "alternateName": d["name"],
        "description": _need(d, "description"),
        "version": _need(d, "version"),
        "datePublished": release_date(d),
        "license": SPDX_URL.get(license_id(d), license_id(d)),
        "keywords": _need(d, "keywords"),
        "creator": [{"@type": "Organization", "name": a} for a in authors(d)],
        "citation": citation_text(d),
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


def croissant(d: dict, build: dict, schemas: dict, sizes: dict[str, int]) -> dict:
    """MLCommons Croissant 1.1: one FileObject and one RecordSet per Parquet file, timeline included.

    Fields come from the Arrow schemas the files were written with (`schemas`, by resource
    name), keys and foreign-key `references` from the resources' Table Schemas (those to
    another table; a reference within one table, like claims.disputes, stays in the Table
    Schema, since mlcroissant reads it as a cycle and cannot load the records), sizes by path.
    Each `contentUrl` is relative to croissant.json, so it resolves in build/ and in the release.
    """
    files, records = [], []
    for r in build["resources"]:
        if r["format"] != "parquet":
            continue
        fid = f"{r['name']}-parquet"
        files.append(
            {
                "@type": "cr:FileObject",
                "@id": fid,
                "name": fid,
                "contentUrl": r["path"],
                "encodingFormat": "application/x-parquet",
                "sha256": r["hash"].split(":", 1)[1],
                "contentSize": f"{sizes[r['path']]} B",
            }
        )
        fields = [_cr_field(r["name"], f, fid) for f in schemas[r["name"]]]
        by_id = {f["@id"]: f for f in fields}
        for fk in r["schema"].get("foreignKeys", []):
            target = fk["reference"].get("resource")
            if not target:  # a row pointing at a row of its own table: mlcroissant sees a cycle and cannot load it
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
        records.append(record)
    context = {
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
    return {
        "@context": context,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT_SPEC,
        "name": d["name"],
        "description": _need(d, "description"),
        "license": SPDX_URL.get(license_id(d), license_id(d)),
        **({"url": d.get("homepage") or f"https://doi.org/{doi(d)}"} if d.get("homepage") or doi(d) else {}),
        "version": _need(d, "version"),
        "datePublished": release_date(d),
        "creator": [{"@type": "sc:Organization", "name": a} for a in authors(d)],
        "keywords": _need(d, "keywords"),
        "citeAs": bibtex(d),
        "distribution": files,
        "recordSet": records,
    }
