"""Citation and discovery metadata, all generated from datapackage.json.

CITATION.cff and .zenodo.json are committed (GitHub and Zenodo read them from the repository)
and kept in step by `python -m origins docs` and a drift test; the Croissant and schema.org
files are written into build/. Nothing is guessed: a missing value raises instead.
"""

from __future__ import annotations

import json

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
    key = f"{d['name'].replace('-', '_')}_{d['version'].replace('.', '_')}"
    return f"@misc{{{key},\n{body}\n}}\n"


def citation_cff(d: dict) -> str:
    cff = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
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


def schema_org(d: dict, build: dict) -> dict:
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
        "temporalCoverage": "2015/2026",
        "isBasedOn": [s["path"] for s in d.get("sources", []) if s.get("path", "").startswith("http")],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": r["name"],
                "contentUrl": r["path"],
                "encodingFormat": r["mediatype"],
                "contentSize": str(r["bytes"]),
                "sha256": r["hash"].split(":", 1)[1],
            }
            for r in build["resources"]
        ],
        **({"identifier": f"https://doi.org/{doi(d)}"} if doi(d) else {}),
    }


_CR_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
    "number": "sc:Float",
    "array": "sc:Text",
    "list": "sc:Text",
}


def croissant(d: dict, build: dict) -> dict:
    """MLCommons Croissant 1.1: one FileObject and one RecordSet per Parquet table."""
    files, records = [], []
    for r in build["resources"]:
        if r["format"] != "parquet" or r["name"] == "timeline":
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
                "contentSize": f"{r['bytes']} B",
            }
        )
        fields = []
        for f in r["schema"]["fields"]:
            fields.append(
                {
                    "@type": "cr:Field",
                    "@id": f"{r['name']}/{f['name']}",
                    "name": f["name"],
                    "description": f.get("description", ""),
                    "dataType": _CR_TYPES[f["type"]],
                    "source": {"fileObject": {"@id": fid}, "extract": {"column": f["name"]}},
                }
            )
        records.append(
            {
                "@type": "cr:RecordSet",
                "@id": r["name"],
                "name": r["name"],
                "description": r.get("description", ""),
                "key": [{"@id": f"{r['name']}/{k}"} for k in r["schema"].get("primaryKey", [])],
                "field": fields,
            }
        )
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
