"""How to cite a release, generated from datapackage.json and the committed releases.

Which version a reader should cite (`cited_release`: the latest release, never an unreleased
-dev version), and that citation as text, BibTeX, CITATION.cff and .zenodo.json. The last two are
committed (GitHub and Zenodo read them from the repository) and kept in step by `make docs` and
a drift test; REL006 checks they name a release. Nothing is guessed: a missing value raises.
"""

from __future__ import annotations

import json
import re

import yaml

SPDX_URL = {"CC-BY-4.0": "https://spdx.org/licenses/CC-BY-4.0.html"}


class MetadataError(ValueError):
    pass


def need(d: dict, key: str):
    if not d.get(key):
        raise MetadataError(f"datapackage.json needs a {key!r} to generate citation metadata")
    return d[key]


def release_date(d: dict) -> str:
    return need(d, "created")[:10]


def cited_release(d: dict, latest: dict | None) -> dict:
    """The version a reader should cite, with its day: the descriptor's own when its version is
    final (the release being cut), else the latest committed release. Unreleased data (a -dev
    version) is not offered as a citation while a release exists: nobody can download it; the
    commit identifies it. (A package with no release at all has only its own version to name.)"""
    from origins.core.versions import prerelease

    if not prerelease(need(d, "version")) or latest is None:
        return {"version": d["version"], "created": need(d, "created")}
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


def as_of_line(d: dict) -> str:
    """One sentence on what the data could not know: how far each family of sources was read
    (the descriptor's `x-coverage`), '' when it says nothing."""
    read = [f"{c['sources'][0].lower() + c['sources'][1:]} as of {c['as_of']}" for c in d.get("x-coverage") or []]
    return f"Sources were read as far as this: {'; '.join(read)}." if read else ""


def license_id(d: dict) -> str:
    return need(d, "licenses")[0]["name"]


def authors(d: dict) -> list[str]:
    return [c.get("title") for c in need(d, "contributors") if "author" in c.get("roles", [])]


def doi(d: dict) -> str | None:
    """The concept DOI, once Zenodo has minted it: the descriptor's `id` (its single home)."""
    ident = d.get("id") or ""
    return ident.removeprefix("https://doi.org/") if ident.startswith("https://doi.org/10.") else None


def citation_text(d: dict) -> str:
    year = release_date(d)[:4]
    text = f"{', '.join(authors(d))} ({year}). {need(d, 'title')} (Version {need(d, 'version')}) [Data set]."
    return text + (f" https://doi.org/{doi(d)}" if doi(d) else "")


def bibtex(d: dict) -> str:
    fields = {
        "author": " and ".join("{" + a + "}" for a in authors(d)),
        "title": "{" + need(d, "title") + "}",
        "year": release_date(d)[:4],
        "version": need(d, "version"),
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
        "title": need(d, "title"),
        "version": need(d, "version"),
        "date-released": release_date(d),
        "license": license_id(d),
        "authors": [{"name": a} for a in authors(d)],
        "abstract": need(d, "description"),
        "keywords": need(d, "keywords"),
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
        "title": need(d, "title"),
        "creators": [{"name": a} for a in authors(d)],
        "description": need(d, "description"),
        "version": need(d, "version"),
        "publication_date": release_date(d),
        "license": {"id": license_id(d).lower()},
        "keywords": need(d, "keywords"),
        "related_identifiers": related,
    }
    return json.dumps(z, indent=2, ensure_ascii=False) + "\n"
