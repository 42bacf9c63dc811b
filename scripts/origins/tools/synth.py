"""A synthetic openai-origins-shaped package of any size, for benchmarks and scale tests.

Deterministic for a seed. Rows are written in canonical order, so an injected defect's line is
known in advance: `generate` returns the findings a correct validator must report, no more.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

SNAPSHOT = "synthetic.txt"


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _sources(header: list[str], n: int, snap: bytes) -> list[dict]:
    return [
        dict.fromkeys(header, "")
        | {
            "id": f"src-s{i:07d}",
            "title": f"Source {i}",
            "publisher": "Synthetic Press",
            "url": f"https://example.org/{i}",
            "published": "2024-01-15",
            "language": "en",
            "kind": "news-article",
            "tier": "press",
            # source 0 holds the archived text every claim quotes: a primary document, so that the
            # claims about people below are well sourced (CLM003 runs on all of them at scale)
            **({"snapshot": SNAPSHOT, "sha256": hashlib.sha256(snap).hexdigest(), "tier": "primary"} if i == 0 else {}),
        }
        for i in range(n)
    ]


def _parties(header: dict[str, list[str]], n_per: int, n_org: int) -> tuple[list[dict], list[dict]]:
    per = [
        dict.fromkeys(header["people"], "")
        | {"id": f"per-p{i:07d}", "name": f"Person {i}", "description": "A synthetic person."}
        for i in range(n_per)
    ]
    org = [
        dict.fromkeys(header["organizations"], "")
        | {"id": f"org-o{i:07d}", "name": f"Org {i}", "kind": "company", "description": "A synthetic organization."}
        for i in range(n_org)
    ]
    return per, org


def _claim(header: list[str], i: int, eid: str, day: date, person: str) -> dict:
    return dict.fromkeys(header, "") | {
        "id": f"clm-c{i:07d}",
        "claimant": person,
        "about_party": person,
        "made_on": day.isoformat(),
        "about_event": eid,
        "statement": "Someone said something.",
        "status": "asserted",
        "prediction": "false",
    }


def _figure(header: list[str], i: int, eid: str, day: date, amount: str) -> dict:
    return dict.fromkeys(header, "") | {
        "id": f"fig-f{i:07d}",
        "event_id": eid,
        "amount": amount,
        "unit": "money",
        "currency": "USD",
        "qualifier": "exact",
        "period": "one-time",
        "kind": "donation",
        "as_of": day.isoformat(),
        "preferred": "true",  # each synthetic figure is the only reading of its quantity
    }


def _statements(header, events: int, rnd: random.Random, sizes: tuple[int, int, int], phrases) -> dict[str, list]:
    """Events, each with a sender and a recipient and either a quoted claim or a money figure, all cited."""
    n_src, n_per, n_org = sizes
    start = date(2015, 1, 1)
    out: dict[str, list] = {"events": [], "participants": [], "claims": [], "figures": [], "citations": []}
    for i in range(events):
        eid = f"evt-e{i:07d}"
        day = start + timedelta(days=i % 3000)
        response = f"evt-e{i - 1:07d}" if i % 5 == 1 and (i - 1) % 3000 < i % 3000 else ""
        out["events"].append(
            dict.fromkeys(header["events"], "")
            | {
                "id": eid,
                "date": day.isoformat(),
                "title": f"Event {i}",
                "summary": "Something happened.",
                "category": "correspondence",
                "medium": "email",
                "in_response_to": response,
            }
        )
        for party, role in (
            (f"per-p{rnd.randrange(n_per):07d}", "sender"),
            (f"org-o{rnd.randrange(n_org):07d}", "recipient"),
        ):
            out["participants"].append({"event_id": eid, "party_id": party, "role": role, "note": ""})
        s = f"src-s{1 + i % (n_src - 1):07d}"  # every source is cited
        out["citations"].append({"row_id": eid, "source_id": s, "locator": "p. 1", "quote": "", "note": ""})
        if i % 2 == 0:
            claim = _claim(header["claims"], i, eid, day, f"per-p{rnd.randrange(n_per):07d}")
            out["claims"].append(claim)
            k = rnd.randrange(len(phrases))
            out["citations"].append(
                {
                    "row_id": claim["id"],
                    "source_id": "src-s0000000",
                    "locator": f"paragraph {k + 1}",
                    "quote": phrases[k],
                    "stance": "states",
                    "note": "",
                }
            )
        else:
            figure = _figure(header["figures"], i, eid, day, f"{rnd.randrange(10**9)}.{rnd.randrange(100):02d}")
            out["figures"].append(figure)
            out["citations"].append(
                {"row_id": figure["id"], "source_id": s, "locator": "p. 2", "quote": "", "note": ""}
            )
    return out


def generate(dest: Path, repo: Path, events: int, seed: int = 1, defects: int = 0) -> list[tuple[str, int, str]]:
    """Write a package of `events` events to `dest`; return the expected (path, line, code) findings."""
    rnd = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(repo / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(repo / "schemas", dest / "schemas", dirs_exist_ok=True)
    (dest / "raw").mkdir(exist_ok=True)
    (dest / "snapshots").mkdir(exist_ok=True)
    resources = [r["name"] for r in json.loads((repo / "datapackage.json").read_text())["resources"]]
    header = {
        n: [f["name"] for f in json.loads((repo / "schemas" / f"{n}.json").read_text())["fields"]] for n in resources
    }
    phrases = [f"synthetic sentence number {k} for quote checks." for k in range(1000)]
    snap = ("\n\n".join(phrases) + "\n").encode()  # one paragraph each, as the locators name them
    (dest / "snapshots" / SNAPSHOT).write_bytes(snap)
    sizes = (max(5, events // 5), max(10, events // 10), max(5, events // 20))
    people, organizations = _parties(header, sizes[1], sizes[2])
    tables = {n: [] for n in resources}  # tables the generator does not fill (roles, retired) stay empty
    tables |= {"sources": _sources(header["sources"], sizes[0], snap), "people": people, "organizations": organizations}
    tables |= _statements(header, events, rnd, sizes, phrases)
    for name, rows in tables.items():
        pk = json.loads((repo / "schemas" / f"{name}.json").read_text())["primaryKey"]
        rows.sort(key=lambda r: tuple(r[k] for k in pk))
    expected = _inject(tables, rnd, defects) if defects else []
    for name, rows in tables.items():
        _write(dest / "raw" / f"{name}.csv", header[name], rows)
    return expected


def _inject(tables: dict, rnd: random.Random, per_kind: int) -> list[tuple[str, int, str]]:
    """Break `per_kind` distinct rows for each kind of defect; return where each must be reported."""
    expected, used = [], set()

    def pick(table: str, ok=lambda r: True) -> int:
        while True:
            i = rnd.randrange(len(tables[table]))
            if (table, i) not in used and ok(tables[table][i]):
                used.add((table, i))
                return i

    cited_rows = {}
    for j, c in enumerate(tables["citations"]):
        cited_rows.setdefault(c["row_id"], []).append(j)
    drop = set()
    for _ in range(per_kind):
        i = pick("figures")
        tables["figures"][i]["amount"] = "12x"
        expected.append(("raw/figures.csv", i + 2, "SCH001"))
        i = pick("claims")
        tables["claims"][i]["about_event"] = "evt-missing"
        expected.append(("raw/claims.csv", i + 2, "SCH006"))
        i = pick("events", lambda r: len(cited_rows.get(r["id"], [])) == 1)
        drop.update(cited_rows[tables["events"][i]["id"]])
        expected.append(("raw/events.csv", i + 2, "CIT001"))
        i = pick("events", lambda r: not r["in_response_to"])
        y = tables["events"][i]["date"][:4]
        tables["events"][i]["date"] = f"{y}-13-01"
        expected.append(("raw/events.csv", i + 2, "DAT001"))
        i = pick("figures")
        tables["figures"][i]["currency"] = "XYZ"
        expected.append(("raw/figures.csv", i + 2, "MON001"))
    quoted = [j for j, c in enumerate(tables["citations"]) if c["quote"] and j not in drop]
    for j in rnd.sample(quoted, per_kind):
        tables["citations"][j]["quote"] = "words that the archived text does not contain."
        expected.append(("raw/citations.csv", j, "CIT006"))  # line fixed below, after rows are dropped
    # events that responded to a now-invalid date still compare fine (DAT005 skips invalid dates)
    keep = [c for j, c in enumerate(tables["citations"]) if j not in drop]
    new_line = {}
    line = 2
    for j, _c in enumerate(tables["citations"]):
        if j not in drop:
            new_line[j] = line
            line += 1
    tables["citations"][:] = keep
    return sorted((p, new_line[n] if p == "raw/citations.csv" else n, code) for p, n, code in expected)
