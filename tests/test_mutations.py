"""A mutation test on the committed data (issue 23).

Each kind of plausible wrong edit a hurried contributor makes is one small function: given the
committed rows, it returns every mutant it can make (which row, what edit, and the finding that
must catch it: file, line and code). The test applies a seeded sample of each kind, alone, to a
copy of the package, validates it, and requires the expected error at the expected line. It prints
a score per kind; a kind below 100 % fails, unless UNDETECTABLE lists it with the reason.

Adding a kind: write `@kind("name") def name(data) -> list[Mutant]` below.
"""

from __future__ import annotations

import csv
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from origins.archive import places
from origins.archive.quotes import locate
from origins.checks.validate import validate
from origins.core import quoted
from origins.read.canonical import format_dataset
from origins.read.package import load

from conftest import ARCHIVE, REPO, SEEDS, TODAY

PER_KIND = 4  # mutants drawn per kind (all of them where a kind has fewer)
SEED = 23
UNDETECTABLE: dict[str, str] = {}  # kind -> why no check can catch it (none so far)

Rows = dict[str, list[dict[str, str]]]


@dataclass
class Mutant:
    """One wrong edit: `apply` changes the rows in place; `where` finds the line to expect."""

    what: str
    apply: Callable[[Rows], None]
    path: str  # raw/<table>.csv where the finding must be
    row: Callable[[dict[str, str]], bool]  # picks the row of `path` the finding must be at
    codes: tuple[str, ...]  # every one of them, at that line
    tables: tuple[str, ...] = field(default=())  # the tables `apply` changes


KINDS: dict[str, Callable[[Rows], list[Mutant]]] = {}


def kind(name: str):
    def register(func):
        KINDS[name] = func
        return func

    return register


def _id(value: str):
    return lambda r: r.get("id") == value


def _set(table: str, pick: Callable, column: str, value: str):
    def apply(rows: Rows):
        for r in rows[table]:
            if pick(r):
                r[column] = value

    return apply


def _cited_by(data: Rows, table: str):
    """Citations of each row of `table`, by row id."""
    ids = {r["id"] for r in data[table]}
    out: dict[str, list[dict]] = {}
    for c in data["citations"]:
        if c["row_id"] in ids:
            out.setdefault(c["row_id"], []).append(c)
    return out


def _email_events(data: Rows) -> list[dict]:
    """Events about an email that cite an archived compilation by one of its header lines."""
    archived = {s["id"] for s in data["sources"] if s["kind"] == "email-compilation" and s["snapshot"]}
    senders = {p["event_id"] for p in data["participants"] if p["role"] == "sender"}
    cited = {
        c["row_id"]
        for c in data["citations"]
        if c["source_id"] in archived and " to" in c["locator"] and not places.parse(c["locator"])[0].form
    }
    return [e for e in data["events"] if e["id"] in senders and e["id"] in cited and len(e["date"]) == 10]


# --- the kinds of wrong edit ------------------------------------------------------------------


@kind("figure amount off its quote")
def figure_amount(data):
    cited = _cited_by(data, "figures")
    out = []
    for f in data["figures"]:
        quotes = [c["quote"] for c in cited.get(f["id"], []) if c["quote"]]
        if f["currency"] == "USD" and any(quoted.READERS[f["unit"]](q) for q in quotes):
            wrong = str(Decimal(f["amount"]) * 3)
            out.append(
                Mutant(
                    f"{f['id']}: amount {f['amount']} -> {wrong}",
                    _set("figures", _id(f["id"]), "amount", wrong),
                    "raw/figures.csv",
                    _id(f["id"]),
                    ("MON009",),
                )
            )
    return out


@kind("wrong currency")
def wrong_currency(data):
    cited = _cited_by(data, "figures")
    return [
        Mutant(
            f"{f['id']}: USD -> EUR",
            _set("figures", _id(f["id"]), "currency", "EUR"),
            "raw/figures.csv",
            _id(f["id"]),
            ("MON009",),
        )
        for f in data["figures"]
        if f["currency"] == "USD" and any(quoted.money(c["quote"]) for c in cited.get(f["id"], []))
    ]


@kind("copy recipient the header does not print")
def extra_copy(data):
    def add(eid):
        return lambda rows: rows["participants"].append(
            {"event_id": eid, "party_id": "per-lan-xi", "role": "cc", "as_role": "", "note": ""}
        )

    return [
        Mutant(
            f"{e['id']}: per-lan-xi added in copy",
            add(e["id"]),
            "raw/participants.csv",
            lambda r, eid=e["id"]: (r["event_id"], r["party_id"], r["role"]) == (eid, "per-lan-xi", "cc"),
            ("EML008",),
        )
        for e in _email_events(data)
    ]


@kind("moved day of an email")
def moved_day(data):
    out = []
    for e in _email_events(data):
        later = (date.fromisoformat(e["date"]) + timedelta(days=1)).isoformat()
        out.append(
            Mutant(
                f"{e['id']}: {e['date']} -> {later}",
                _set("events", _id(e["id"]), "date", later),
                "raw/events.csv",
                _id(e["id"]),
                ("EML003",),
            )
        )
    return out


@kind("swapped sender and recipient")
def swapped_sender(data):
    out = []
    by_event: dict[str, dict[str, list[dict]]] = {}
    for p in data["participants"]:
        by_event.setdefault(p["event_id"], {}).setdefault(p["role"], []).append(p)
    for e in _email_events(data):
        roles = by_event.get(e["id"], {})
        if len(roles.get("sender", [])) != 1 or not roles.get("recipient"):
            continue
        sender, recipient = roles["sender"][0]["party_id"], roles["recipient"][0]["party_id"]

        def apply(rows, eid=e["id"], s=sender, t=recipient):
            for p in rows["participants"]:
                if p["event_id"] == eid and p["role"] == "sender" and p["party_id"] == s:
                    p["party_id"] = t
                elif p["event_id"] == eid and p["role"] == "recipient" and p["party_id"] == t:
                    p["party_id"] = s

        out.append(Mutant(f"{e['id']}: {sender} <-> {recipient}", apply, "raw/events.csv", _id(e["id"]), ("EML005",)))
    return out


def _seed_bullets(data):
    text = (SEEDS / "lanxi-weibo-openai-origins.txt").read_text(encoding="utf-8")
    spans = places.bullets(text)
    for c in data["citations"]:
        m = places.parse(c["locator"])[0]
        if c["source_id"] == "src-lanxi-weibo-post" and m.form == "bullet":
            yield c, int(m.groups["bullet"]), text, spans


def _citation(c, **changes):
    key = (c["row_id"], c["source_id"], c["locator"])
    new = {**c, **changes}

    def apply(rows):
        for r in rows["citations"]:
            if (r["row_id"], r["source_id"], r["locator"]) == key:
                r.update(changes)

    return (
        apply,
        lambda r: (
            (r["row_id"], r["source_id"], r["locator"])
            == (
                new["row_id"],
                new["source_id"],
                new["locator"],
            )
        ),
    )


@kind("seed bullet the post does not have")
def bullet_missing(data):
    out = []
    for c, n, _, spans in _seed_bullets(data):
        apply, row = _citation(c, locator=f"bullet {len(spans) + n}")
        out.append(
            Mutant(f"{c['row_id']}: bullet {n} -> {len(spans) + n}", apply, "raw/citations.csv", row, ("CIT011",))
        )
    return out


@kind("seed bullet moved")
def bullet_moved(data):
    out = []
    for c, n, text, spans in _seed_bullets(data):
        m = n + 1 if n < 26 else n - 1
        if not c["quote"] or locate(c["quote"], text[slice(*spans[m - 1])]) is not None:
            continue  # the quote is in the other bullet too: not a wrong edit
        apply, row = _citation(c, locator=f"bullet {m}")
        out.append(Mutant(f"{c['row_id']}: bullet {n} -> {m}", apply, "raw/citations.csv", row, ("CIT011",)))
    return out


@kind("altered quote")
def altered_quote(data):
    archived = {s["id"] for s in data["sources"] if s["snapshot"]}
    out = []
    for c in data["citations"]:
        words = [w for w in c["quote"].split() if len(w) > 4 and w.isalpha()]
        if c["source_id"] in archived and words:
            changed = c["quote"].replace(words[0], words[0][::-1], 1)
            apply, row = _citation(c, quote=changed)
            out.append(Mutant(f"{c['row_id']}: {words[0]!r} reversed", apply, "raw/citations.csv", row, ("CIT006",)))
    return out


@kind("event that answers itself")
def self_response(data):
    return [
        Mutant(
            f"{e['id']}: in_response_to itself",
            _set("events", _id(e["id"]), "in_response_to", e["id"]),
            "raw/events.csv",
            _id(e["id"]),
            ("REF002",),
        )
        for e in data["events"]
    ]


@kind("claims that dispute each other")
def mutual_dispute(data):
    return [
        Mutant(
            f"{c['disputes']} disputes {c['id']} back",
            _set("claims", _id(c["disputes"]), "disputes", c["id"]),
            "raw/claims.csv",
            _id(c["disputes"]),
            ("REF002",),
        )
        for c in data["claims"]
        if c["disputes"]
    ]


@kind("retired id never published, replaced by no row")
def retired_ghost(data):
    def add(ghost, typo):
        return lambda rows: rows["retired"].append(
            {"row_id": ghost, "retired_in": "2.0.0", "reason": "Merged.", "replaced_by": typo}
        )

    return [
        Mutant(
            f"{e['id']}-ghost retired, replaced by {e['id'][:-1]}",
            add(e["id"] + "-ghost", e["id"][:-1]),
            "raw/retired.csv",
            lambda r, g=e["id"] + "-ghost": r["row_id"] == g,
            ("REL007", "REL008"),
        )
        for e in data["events"]
        if e["id"][:-1] not in {x["id"] for x in data["events"]}
    ]


@kind("role ends before it starts")
def reversed_role(data):
    return [
        Mutant(
            f"{r['id']}: {r['start']} <-> {r['end']}",
            lambda rows, rid=r["id"], s=r["start"], e=r["end"]: (
                _set("roles", _id(rid), "start", e)(rows),
                _set("roles", _id(rid), "end", s)(rows),
            ),
            "raw/roles.csv",
            _id(r["id"]),
            ("DAT010",),
        )
        for r in data["roles"]
        if len(r["start"]) == 10 and len(r["end"]) == 10 and r["start"] < r["end"]
    ]


@kind("impossible day")
def impossible_day(data):
    return [
        Mutant(
            f"{e['id']}: {e['date']} -> {e['date'][:4]}-02-30",
            _set("events", _id(e["id"]), "date", f"{e['date'][:4]}-02-30"),
            "raw/events.csv",
            _id(e["id"]),
            ("DAT001",),
        )
        for e in data["events"]
        if len(e["date"]) == 10
    ]


@kind("misspelled party")
def misspelled_party(data):
    out = []
    for p in data["participants"]:
        if p["party_id"].startswith("per-"):
            typo = p["party_id"][:-1]

            def apply(rows, key=(p["event_id"], p["party_id"], p["role"]), typo=typo):
                for r in rows["participants"]:
                    if (r["event_id"], r["party_id"], r["role"]) == key:
                        r["party_id"] = typo

            row = lambda r, k=(p["event_id"], typo, p["role"]): (r["event_id"], r["party_id"], r["role"]) == k  # noqa: E731
            out.append(
                Mutant(f"{p['event_id']}: {p['party_id']} -> {typo}", apply, "raw/participants.csv", row, ("REF001",))
            )
    return out


@kind("citation of no row")
def citation_typo(data):
    ids = {r["id"] for t in ("events", "claims", "figures", "roles") for r in data[t]}
    out = []
    for c in data["citations"]:
        typo = c["row_id"][:-1]
        if typo not in ids:
            apply, row = _citation(c, row_id=typo)
            out.append(Mutant(f"{c['row_id']} -> {typo}", apply, "raw/citations.csv", row, ("CIT002",)))
    return out


# --- running them -------------------------------------------------------------------------------


def _read(root: Path) -> Rows:
    out = {}
    for path in sorted((root / "raw").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            out[path.stem] = list(csv.DictReader(fh))
    return out


def _write(root: Path, rows: Rows, tables) -> None:
    for name in tables:
        path = root / "raw" / f"{name}.csv"
        header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows[name])
    format_dataset(load(root))  # the edited row in its canonical place, as `make fmt` puts it


def _line(root: Path, path: str, pick) -> int:
    with (root / path).open(encoding="utf-8", newline="") as fh:
        return next(i for i, r in enumerate(csv.DictReader(fh), 2) if pick(r))


def _caught(root: Path, m: Mutant, base: Rows) -> tuple[bool, str]:
    import copy

    rows = copy.deepcopy(base)
    before = {n: list(map(dict, v)) for n, v in rows.items()}
    m.apply(rows)
    changed = [n for n in rows if rows[n] != before[n]]
    _write(root, rows, changed)
    line = _line(root, m.path, m.row)
    result = validate(root, ARCHIVE, on=TODAY)
    at = {f.code for f in result.findings if f.path == m.path and f.line == line and f.severity == "error"}
    missing = [c for c in m.codes if c not in at]
    shutil.rmtree(root / "raw")
    shutil.copytree(REPO / "raw", root / "raw")
    return not missing, f"{m.what}: expected {', '.join(missing)} at {m.path}:{line}, got {sorted(at) or 'nothing'}"


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source archive (../shared) is not beside the repository")
def test_every_plausible_wrong_edit_is_caught_at_its_line(tmp_path, capsys):
    root = tmp_path / "pkg"
    root.mkdir()
    for name in ("datapackage.json",):
        shutil.copy(REPO / name, root / name)
    for folder in ("schemas", "raw", "releases"):
        shutil.copytree(REPO / folder, root / folder)
    base = _read(root)
    rnd = random.Random(SEED)
    scores, misses = {}, []
    for name, make in KINDS.items():
        mutants = make(base)
        assert mutants, f"kind {name!r} finds no row of the committed data to mutate"
        chosen = rnd.sample(mutants, min(PER_KIND, len(mutants)))
        results = [_caught(root, m, base) for m in chosen]
        scores[name] = (sum(ok for ok, _ in results), len(results), len(mutants))
        misses += [f"{name}: {why}" for ok, why in results if not ok and name not in UNDETECTABLE]
    with capsys.disabled():
        print("\nmutation score per kind (caught / tried, of eligible rows):")
        for name, (ok, n, eligible) in scores.items():
            print(f"  {name:<48} {ok}/{n} = {100 * ok // n:>3} %  ({eligible} eligible)")
    assert misses == []
