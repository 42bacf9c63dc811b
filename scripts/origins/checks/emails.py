"""Email checks: citations of an email compilation name a real email, quote that email, and the
events about emails agree with it (day, sender, recipients and copies in participants.csv).

They run where the compilation's archived text is in the source archive; the email structure
comes from origins.archive.headers. An event is about an email when a participant has the role 'sender'.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

import pyarrow.compute as pc

from origins.archive import headers as emails
from origins.archive import store as archive
from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.columns import EMPTY, strings, text

COMPILATION = "email-compilation"  # sources.kind whose archived text is parsed into emails
ROLE_OF = {"to": "recipient", "cc": "cc", "forwarded": "author"}
EMAIL_ROLES = ("sender", "recipient", "cc")
REDACTED = {"[redacted]", "<redacted>", "redacted"}


@lru_cache(maxsize=32)
def _parsed(text: archive.Text) -> tuple[list[emails.Email], dict[str, list[emails.Email]]]:
    found = emails.parse(text.text)
    return found, emails.by_header(found)


def _per_run(ds, ctx, name: str, make):
    """`make()` once per run: kept on the dataset with the run's Context, whose archive and quote
    table it depends on (another run over the same dataset makes it again)."""
    cache = ds.__dict__.setdefault("_email_runs", {})
    held = cache.get(name)
    if held is None or held[0] is not ctx:
        held = cache[name] = (ctx, make())
    return held[1]


def _compilations(ds, ctx) -> dict[str, archive.Text]:
    """Archived texts of the email compilations, by source id (only those that parse to emails)."""
    return _per_run(ds, ctx, "compilations", lambda: _find_compilations(ds, ctx))


def _find_compilations(ds, ctx) -> dict[str, archive.Text]:
    if "sources" not in ds.tables:
        return {}
    out = {}
    kind = pc.equal(ds.column("sources", "kind"), text(COMPILATION))
    for _, sid, snapshot, sha in ds.picked("sources", kind, "id", "snapshot", "sha256"):
        if not (snapshot or sha):
            continue
        found = archive.find(ctx.snapshot_dirs, snapshot, sha)
        if found is not None and found.sha256 == (sha or found.sha256) and _parsed(found)[0]:
            out[sid] = found
    return out


def cited_emails(ds, ctx) -> list[tuple[int, dict, emails.Email | None, emails.Email | None]]:
    """(citation index, its row_id, source_id and locator, email its locator names, email its quote
    lies in) for each citation of a compilation; the named email is the one holding the quote when a
    header repeats. Found once per run: the email checks all ask."""
    return _per_run(ds, ctx, "cited", lambda: _find_cited_emails(ds, ctx))


def _find_cited_emails(ds, ctx):
    texts = _compilations(ds, ctx)
    if "citations" not in ds.tables or not texts:
        return []
    quotes = ctx.quotes.checks
    out = []
    # only the citations of a compilation, found by a hash lookup, and only the cells these checks read
    of_compilations = pc.is_in(ds.column("citations", "source_id"), value_set=strings(sorted(texts)))
    for i, *cells in ds.picked("citations", of_compilations, "row_id", "source_id", "locator"):
        row = dict(zip(("row_id", "source_id", "locator"), cells, strict=True))
        found, headers = _parsed(texts[row["source_id"]])
        q = quotes[i] if i < len(quotes) else None
        holder = emails.containing(found, q.start) if q is not None and q.start is not None else None
        named = headers.get(row["locator"].strip(), [])
        chosen = holder if holder in named else (named[0] if named else None)
        out.append((i, row, chosen, holder))
    return out


@check(
    Code(
        "EML001",
        "email-not-found",
        "A citation of an email compilation names no email of it in `locator`.",
        "locator {locator!r} is not the header line of an email in {source}: copy the email's header line as the "
        "compilation prints it{hint}",
    ),
    needs=("citations", "sources", "events", "participants", "people"),
)
def email_not_found(ds, ctx, r):
    for i, row, named, _ in cited_emails(ds, ctx):
        if named is None:
            text = _compilations(ds, ctx)[row["source_id"]]
            near = difflib.get_close_matches(row.get("locator") or "", list(_parsed(text)[1]), n=1, cutoff=0.5)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            yield r.report(
                "citations", i, "locator", "EML001", locator=row.get("locator"), source=row["source_id"], hint=hint
            )


@check(
    Code(
        "EML002",
        "quote-from-another-email",
        "A quote comes from a different email than the one the citation names.",
        "the quote is from the email {holder!r}, not from {named!r} that the locator names: quote the cited email, "
        "or cite the one quoted",
    ),
    needs=("citations", "sources", "events", "participants", "people"),
)
def quote_from_another_email(ds, ctx, r):
    for i, _row, named, holder in cited_emails(ds, ctx):
        if named is not None and holder is not None and holder is not named:
            yield r.report("citations", i, "quote", "EML002", holder=holder.header, named=named.header)


def _person_ids(ds) -> dict[str, str]:
    """Lower-case names and aliases -> person id."""
    t = ds.tables.get("people")
    out = {}
    for pid, name, aliases in zip(*(t.values(c) for c in ("id", "name", "aliases")), strict=True) if t else ():
        for each in [name, *aliases.split(";")]:
            if each.strip():
                out.setdefault(each.strip().lower(), pid)
    return out


def _email_events(ds, ctx) -> tuple[set[str], set[tuple[str, str, str]], dict[str, set[str]]]:
    """Once per run: see _index_email_events."""
    cache = ds.__dict__.setdefault("_email_events", {})
    if "v" not in cache:
        cache["v"] = _index_email_events(ds, {row.get("row_id") or "" for _, row, _, _ in cited_emails(ds, ctx)})
    return cache["v"]


def _index_email_events(ds, cited: set[str]) -> tuple[set[str], set[tuple[str, str, str]], dict[str, set[str]]]:
    """Of the `cited` events (those a citation of a compilation is about): those with a sender, every
    (event, party, role) of them, and each one's senders.

    A party listed with another email role and a note (say, a recipient where the exhibit
    prints him in the To line but the compilation in copy) counts as present in every email
    role: the note records a deliberate, sourced difference. The email checks ask about no other
    event, so only these events' participants are read into Python (hash lookups on the columns
    pick them)."""
    event, role = ds.column("participants", "event_id"), ds.column("participants", "role")
    with_sender = pc.is_in(event, value_set=pc.filter(event, pc.equal(role, text("sender"))))
    at = pc.indices_nonzero(pc.and_(with_sender, pc.is_in(event, value_set=strings(sorted(cited)))))
    have, senders = set(), {}
    columns = (pc.take(ds.column("participants", n), at).to_pylist() for n in ("event_id", "party_id", "role", "note"))
    for e, p, r, note in zip(*columns, strict=True):
        have.add((e, p, r))
        if r == "sender":
            senders.setdefault(e, set()).add(p)
        if r in EMAIL_ROLES and note.strip():
            have.update((e, p, other) for other in EMAIL_ROLES)
    return set(senders), have, senders


def _event_emails(ds, ctx):
    """(event row index, event id, email) for each email an event about an email cites."""
    about_email, _, _ = _email_events(ds, ctx)
    index = ds.index.get("events", {})
    seen = set()
    for _, row, named, _ in cited_emails(ds, ctx):
        eid = row.get("row_id") or ""
        if eid in about_email and named is not None and (eid, named.start) not in seen and eid in index:
            seen.add((eid, named.start))
            yield index[eid], eid, named


@check(
    Code(
        "EML003",
        "email-day-mismatch",
        "An event about an email is not dated to the day the email was sent.",
        "event {id} is dated {date!r}, but the email it cites ({header!r}) was sent on {day}; write {day}",
    ),
    needs=("citations", "sources", "events", "participants", "people"),
)
def email_day_mismatch(ds, ctx, r):
    events = ds.tables.get("events")
    for j, eid, email in _event_emails(ds, ctx):
        date = events.cell(j, "date")
        if date != email.day.isoformat():
            yield r.report(
                "events", j, "date", "EML003", id=eid, date=date, header=email.header, day=email.day.isoformat()
            )


@check(
    Code(
        "EML004",
        "email-party-missing",
        "A sender, recipient, copy or forwarded author of a cited email is missing from the event's participants.",
        {
            "no-person": "event {id}: {name} ({role} of the email {header!r}) has no row in people.csv; add the "
            "person (or the spelling as an alias), then the participant",
            "no-participant": "event {id}: {name} is {role} of the email {header!r}, but participants.csv has no "
            "row {id},{party},{role}; add it",
        },
    ),
    needs=("citations", "sources", "events", "participants", "people"),
)
def email_party_missing(ds, ctx, r):
    ids = _person_ids(ds)
    _, have, senders = _email_events(ds, ctx)
    for j, eid, email in _event_emails(ds, ctx):
        expected = [(email.sender, "sender")] + [
            (name, ROLE_OF[part]) for part in ("to", "cc", "forwarded") for name in getattr(email, part)
        ]
        for name, role in expected:
            if name.lower() in REDACTED:
                continue
            pid = ids.get(name.lower())
            if pid is None:
                yield r.report(
                    "events", j, "id", "EML004", "no-person", id=eid, name=name, role=role, header=email.header
                )
            elif (eid, pid, role) not in have and not (role == "sender" and senders.get(eid)):
                yield r.report(
                    "events",
                    j,
                    "id",
                    "EML004",
                    "no-participant",
                    id=eid,
                    name=name,
                    role=role,
                    header=email.header,
                    party=pid,
                )


@check(
    Code(
        "EML005",
        "email-sender-mismatch",
        "An event about an email names a different sender than the email.",
        "event {id} names {wrong} as sender, but the email it cites ({header!r}) is from {sender} ({party}); correct "
        "the sender in participants.csv",
    ),
    needs=("citations", "sources", "events", "participants", "people"),
)
def email_sender_mismatch(ds, ctx, r):
    ids = _person_ids(ds)
    _, _, senders = _email_events(ds, ctx)
    for j, eid, email in _event_emails(ds, ctx):
        pid = ids.get(email.sender.lower())
        if email.sender.lower() in REDACTED or pid is None:
            continue
        wrong = sorted(senders.get(eid, set()) - {pid})
        if wrong:
            yield r.report(
                "events",
                j,
                "id",
                "EML005",
                id=eid,
                wrong=", ".join(wrong),
                header=email.header,
                sender=email.sender,
                party=pid,
            )


@check(
    Code(
        "EML006",
        "message-without-sender",
        "An event recorded as a message (it has a medium) names no sender or author among its participants.",
        "event {id} is recorded as a message ({medium}) but names no sender or author; add the participant who sent "
        "or wrote it",
    ),
    needs=("events", "participants"),
)
def message_without_sender(ds, ctx, r):
    event, role = ds.column("participants", "event_id"), ds.column("participants", "role")
    writers = pc.filter(event, pc.is_in(role, value_set=strings(["sender", "author"])))
    medium = ds.column("events", "medium")
    silent = pc.and_(pc.not_equal(medium, EMPTY), pc.invert(pc.is_in(ds.column("events", "id"), value_set=writers)))
    for i, eid, said in r.picked("events", silent, "id", "medium"):
        yield r.report("events", i, "medium", "EML006", id=eid, medium=said)


@check(
    Code(
        "EML007",
        "sender-without-medium",
        "An event with a sender does not say what carried the message (its medium).",
        "event {id} has a sender ({sender}) but no medium; set medium (email, text-message, journal-entry, "
        "social-post, letter or memo) so that it counts among the messages",
    ),
    needs=("events", "participants"),
)
def sender_without_medium(ds, ctx, r):
    ids, first = ds.column("events", "id"), _first_sender(ds)
    unsaid = pc.and_(pc.equal(ds.column("events", "medium"), EMPTY), pc.is_in(ids, value_set=strings(sorted(first))))
    for i, eid in r.picked("events", unsaid, "id"):
        yield r.report("events", i, "medium", "EML007", id=eid, sender=first[eid])


def _first_sender(ds) -> dict[str, str]:
    """Each event's first sender in participants.csv (the one EML007 names)."""
    event, party, role = (ds.column("participants", n) for n in ("event_id", "party_id", "role"))
    at = pc.indices_nonzero(pc.equal(role, text("sender")))
    first: dict[str, str] = {}
    for e, p in zip(pc.take(event, at).to_pylist(), pc.take(party, at).to_pylist(), strict=True):
        first.setdefault(e, p)
    return first


HEADER_ROLES = ("recipient", "cc", "author")  # the roles a header line prints; a sender EML005 holds to it


@check(
    Code(
        "EML008",
        "email-party-extra",
        "An event about an email names, as recipient, copy or author, a party that no header of the emails it "
        "cites prints, and the participant's note does not say why (a sender: EML005).",
        "event {id}: {party} is listed as {role}, but the email it cites ({header!r}) does not name them; remove "
        "the participant, or say in its note why they belong (a co-author, the sender of a forwarded email)",
    ),
    needs=("citations", "sources", "events", "participants", "people"),
)
def email_party_extra(ds, ctx, r):
    names: dict[str, set[str]] = {}  # person id -> lower-case names and aliases
    for name, pid in _person_ids(ds).items():
        names.setdefault(pid, set()).add(name)
    people = ds.tables.get("people")
    for pid, name in zip(people.values("id"), people.values("name"), strict=True) if people else ():
        names.setdefault(pid, set()).add(name.strip().lower())
    printed: dict[str, set[str]] = {}  # event id -> every name its cited headers print
    header: dict[str, str] = {}
    for _, eid, email in _event_emails(ds, ctx):
        listed = [email.sender, *email.to, *email.cc, *email.forwarded]
        printed.setdefault(eid, set()).update(n.lower() for n in listed)
        header.setdefault(eid, email.header)
    event, role = ds.column("participants", "event_id"), ds.column("participants", "role")
    listed = pc.and_(
        pc.is_in(event, value_set=strings(sorted(printed))), pc.is_in(role, value_set=strings(HEADER_ROLES))
    )
    for i, eid, pid, role, note in r.picked("participants", listed, "event_id", "party_id", "role", "note"):
        if not note.strip() and not names.get(pid, set()) & printed[eid]:  # only rows of events about a cited email
            yield r.report("participants", i, "party_id", "EML008", id=eid, party=pid, role=role, header=header[eid])
