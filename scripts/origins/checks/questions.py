"""Contested questions: each side's position is a claim naming the question with its answer; a
question the parties fought over has at least two different answers, one that a ruling or the
record settled names the event that did it, and that event cites a primary or official source."""

from __future__ import annotations

import pyarrow.compute as pc

from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.columns import EMPTY, strings
from origins.core.findings import WARNING
from origins.read.evidence import STRONG_TIERS

SETTLED = ("decided", "agreed", "answered", "moot")  # statuses that name the event that settled the question
SIDES = ("yes", "no", "in-part")  # answers that take a side; `undecided` (a court leaving it to trial) does not


def positions(ds) -> dict[str, list[str]]:
    """Question id -> the answers of the claims that take a position on it, in file order (only
    those claims' cells are read)."""
    out: dict[str, list[str]] = {}
    placed = pc.not_equal(ds.column("claims", "about_question"), EMPTY)
    for _, question, answer in ds.picked("claims", placed, "about_question", "answer"):
        out.setdefault(question, []).append(answer)
    return out


@check(
    Code(
        "QST001",
        "settled-without-event",
        "A question marked decided, agreed, answered or moot does not name the event that settled it.",
        "{id} is {status}: name the order, verdict, stipulation or document event that made it so in decided_by",
    ),
    needs=("questions",),
)
def settled_without_event(ds, ctx, r):
    column = ds.column
    unnamed = pc.and_(
        pc.is_in(column("questions", "status"), value_set=strings(SETTLED)),
        pc.equal(column("questions", "decided_by"), EMPTY),
    )
    for i, qid, status in r.picked("questions", unnamed, "id", "status"):
        yield r.report("questions", i, "decided_by", "QST001", id=qid, status=status)


@check(
    Code(
        "QST002",
        "settled-by-unfiled-event",
        "The event that settled a question cites no primary or official source (only reports of it).",
        "{id} is settled by {event}, which cites {tiers}; cite the order or document itself when it "
        "can be read (until then the question rests on reports)",
        severity=WARNING,
    ),
    needs=("questions", "events", "citations", "sources"),
)
def settled_by_unfiled_event(ds, ctx, r):
    sources = ds.rows_by_id("sources")
    decided = strings(sorted({v for v in ds.column("questions", "decided_by").to_pylist() if v}))
    tiers: dict[str, set[str]] = {}
    deciding = pc.is_in(ds.column("citations", "row_id"), value_set=decided)  # only the citations of deciding events
    for _, row_id, sid in r.picked("citations", deciding, "row_id", "source_id"):
        tiers.setdefault(row_id, set()).add(sources.get(sid, {}).get("tier", ""))
    named = pc.is_in(ds.column("questions", "decided_by"), value_set=ds.column("events", "id"))
    for i, qid, event in r.picked(
        "questions", pc.and_(named, pc.not_equal(ds.column("questions", "decided_by"), EMPTY)), "id", "decided_by"
    ):
        if not tiers.get(event, set()) & STRONG_TIERS:
            found = ", ".join(sorted(tiers.get(event, set()) - {""}))
            found = f"{found} sources" if found else "no source at all"
            yield r.report("questions", i, "decided_by", "QST002", id=qid, event=event, tiers=found)


@check(
    Code(
        "QST003",
        "one-sided-question",
        "A contested question has positions giving fewer than two different answers (yes, no, in part).",
        "{id} has {count} position(s) but {sides}: a contested question needs each side's position (a claim by "
        "the other side, with about_question {id} and its answer)",
    ),
    needs=("questions", "claims"),
)
def one_sided_question(ds, ctx, r):
    by_question = positions(ds)
    answered = pc.is_in(ds.column("questions", "id"), value_set=strings(sorted(by_question)))
    for i, qid in r.picked("questions", answered, "id"):
        given = by_question[qid]
        answers = sorted({a for a in given if a in SIDES})
        if len(answers) < 2:
            sides = f"only the answer {answers[0]!r}" if answers else "no answer that takes a side"
            yield r.report("questions", i, "id", "QST003", id=qid, count=len(given), sides=sides)


@check(
    Code(
        "QST004",
        "question-without-positions",
        "No claim takes a position on a question.",
        "no claim answers {id}; add each side's position as a claim with about_question {id}",
        severity=WARNING,
    ),
    needs=("questions", "claims"),
)
def question_without_positions(ds, ctx, r):
    answered = pc.is_in(ds.column("questions", "id"), value_set=strings(sorted(positions(ds))))
    for i, qid in r.picked("questions", pc.invert(answered), "id"):
        yield r.report("questions", i, "id", "QST004", id=qid)


@check(
    Code(
        "QST005",
        "answer-without-question",
        "A claim gives an answer without naming its question, or names a question without an answer.",
        {
            "answer": "{id} answers {answer!r} but names no question; set about_question, or clear the answer",
            "question": "{id} takes a position on {question} but gives no answer; set answer to yes, no, in-part or "
            "undecided",
        },
    ),
    needs=("claims",),
)
def answer_without_question(ds, ctx, r):
    answer, question = (pc.not_equal(ds.column("claims", c), EMPTY) for c in ("answer", "about_question"))
    for i, cid, said, about in r.picked("claims", pc.xor(answer, question), "id", "answer", "about_question"):
        if said:
            yield r.report("claims", i, "answer", "QST005", "answer", id=cid, answer=said)
        else:
            yield r.report("claims", i, "answer", "QST005", "question", id=cid, question=about)
