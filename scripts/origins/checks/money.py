"""Money checks: ISO 4217 currencies, exact non-negative decimals, coherent ranges."""

from __future__ import annotations

from functools import lru_cache

import pyarrow.compute as pc

from origins.checks.registry import check
from origins.core.codes import Code
from origins.core.columns import EMPTY, strings, text
from origins.core.findings import WARNING
from origins.read.models import typed_column, typed_record

SCALE = 2  # decimal places kept in Parquet (decimal128(18, 2)); see origins.read.arrow
RANGE_QUALIFIERS = {"range"}
_FALSE = text("false")  # the cell, as written


@lru_cache(maxsize=1)
def iso4217() -> frozenset[str]:
    import pycountry  # the maintained ISO 4217 list, not a hand-typed one

    return frozenset(c.alpha_3 for c in pycountry.currencies)


@check(
    Code(
        "MON001",
        "unknown-currency",
        "A currency is not an ISO 4217 code.",
        "currency {currency!r} is not an ISO 4217 code; use for example USD or EUR",
    ),
    needs=("figures",),
)
def unknown_currency(ds, ctx, r):
    currency = ds.column("figures", "currency")
    unknown = pc.and_(
        pc.not_equal(currency, EMPTY), pc.invert(pc.is_in(currency, value_set=strings(sorted(iso4217()))))
    )
    for i, cur in r.picked("figures", unknown, "currency"):
        yield r.report("figures", i, "currency", "MON001", currency=cur)


@check(
    Code(
        "MON002",
        "unit-currency-mismatch",
        "A money figure lacks a currency, or a non-money figure has one.",
        {
            "missing": "unit is money but currency is empty; give the ISO 4217 code (e.g. USD)",
            "extra": "unit is {unit} but currency is {currency}; leave currency empty",
        },
    ),
    needs=("figures",),
)
def unit_currency_mismatch(ds, ctx, r):
    unit, currency = ds.column("figures", "unit"), ds.column("figures", "currency")
    money, priced = pc.equal(unit, text("money")), pc.not_equal(currency, EMPTY)
    for i in r.where("figures", pc.and_(money, pc.invert(priced))):
        yield r.report("figures", i, "currency", "MON002", "missing")
    other = pc.and_(pc.and_(pc.not_equal(unit, EMPTY), pc.invert(money)), priced)
    for i, kind, cur in r.picked("figures", other, "unit", "currency"):
        yield r.report("figures", i, "currency", "MON002", "extra", unit=kind, currency=cur)


@check(
    Code(
        "MON003",
        "range-reversed",
        "amount_high is lower than amount.",
        "amount_high {high} is lower than amount {low}; put the low end in amount and the high end in amount_high",
    ),
    needs=("figures",),
)
def range_reversed(ds, ctx, r):
    low, high = typed_column(ds, "figures", "amount"), typed_column(ds, "figures", "amount_high")
    for i in [i for i, (a, b) in enumerate(zip(low, high, strict=True)) if b is not None and a is not None and b < a]:
        if rec := typed_record(ds, "figures", i):  # the whole row must fit, as frictionless reads it
            yield r.report("figures", i, "amount_high", "MON003", high=rec.amount_high, low=rec.amount)


@check(
    Code(
        "MON004",
        "range-qualifier-mismatch",
        "amount_high is given without the qualifier 'range', or 'range' without amount_high.",
        {
            "high-without-range": "amount_high is set but qualifier is {qualifier!r}; use qualifier range, or empty "
            "amount_high",
            "range-without-high": "qualifier is range but amount_high is empty; give the high end",
        },
    ),
    needs=("figures",),
)
def range_qualifier_mismatch(ds, ctx, r):
    high, qualifier = typed_column(ds, "figures", "amount_high"), typed_column(ds, "figures", "qualifier")
    odd = [
        i for i, (h, q) in enumerate(zip(high, qualifier, strict=True)) if (h is not None) != (q in RANGE_QUALIFIERS)
    ]
    for i in odd:
        rec = typed_record(ds, "figures", i)
        if rec is None:
            continue
        if rec.amount_high is not None and rec.qualifier not in RANGE_QUALIFIERS:
            yield r.report("figures", i, "qualifier", "MON004", "high-without-range", qualifier=rec.qualifier)
        elif rec.amount_high is None and rec.qualifier in RANGE_QUALIFIERS:
            yield r.report("figures", i, "amount_high", "MON004", "range-without-high")


@check(
    Code(
        "MON005",
        "too-precise",
        f"An amount has more than {SCALE} decimal places, which Parquet would not keep exactly.",
        "{column} {value} has more than {scale} decimal places; round it as the source states it",
    ),
    needs=("figures",),
)
def too_precise(ds, ctx, r):
    low, high = typed_column(ds, "figures", "amount"), typed_column(ds, "figures", "amount_high")
    fine = [i for i, ends in enumerate(zip(low, high, strict=True)) if any(_places(v) > SCALE for v in ends)]
    for i in fine:
        rec = typed_record(ds, "figures", i)
        if rec is None:
            continue
        for column in ("amount", "amount_high"):
            value = getattr(rec, column)
            if value is not None and -value.as_tuple().exponent > SCALE:
                yield r.report("figures", i, column, "MON005", column=column, value=value, scale=SCALE)


def _places(value) -> int:
    """Decimal places of a Decimal (0 for None)."""
    return -value.as_tuple().exponent if value is not None else 0


def _groups(ds, *columns: str) -> dict[str, list[tuple]]:
    """The figures that are readings of one quantity, by quantity: (row position, its cells of
    `columns`) in file order; only those rows' cells are read."""
    out: dict[str, list[tuple]] = {}
    grouped = pc.not_equal(ds.column("figures", "quantity"), EMPTY)
    for i, quantity, *cells in ds.picked("figures", grouped, "quantity", *columns):
        out.setdefault(quantity, []).append((i, *cells))
    return out


@check(
    Code(
        "MON006",
        "quantity-units-differ",
        "Readings of one quantity differ in unit or currency.",
        "{id} reads quantity {quantity!r} in {column} {value!r}, but {first} in {first_value!r}; readings of one "
        "quantity share unit and currency",
    ),
    needs=("figures",),
)
def quantity_units_differ(ds, ctx, r):
    for quantity, rows in _groups(ds, "id", "unit", "currency").items():
        _, first, *first_values = rows[0]
        for i, fid, *values in rows[1:]:
            for column, value, first_value in zip(("unit", "currency"), values, first_values, strict=True):
                if value != first_value:
                    yield r.report(
                        "figures",
                        i,
                        column,
                        "MON006",
                        id=fid,
                        quantity=quantity,
                        column=column,
                        value=value or "(none)",
                        first=first,
                        first_value=first_value or "(none)",
                    )


@check(
    Code(
        "MON007",
        "preferred-reading",
        "A quantity has no preferred reading or several, or a figure read only once is not preferred.",
        {
            "only-reading": "{id} is the only reading of its quantity but is not preferred; write true, or name the "
            "quantity it shares with other figures",
            "not-one": "quantity {quantity!r} needs exactly one preferred reading, but {what} ({ids}); mark the one "
            "to add up as true and the others false",
        },
    ),
    needs=("figures",),
)
def preferred_reading(ds, ctx, r):
    column = ds.column
    alone = pc.and_(pc.equal(column("figures", "quantity"), EMPTY), pc.equal(column("figures", "preferred"), _FALSE))
    for i, fid in r.picked("figures", alone, "id"):
        yield r.report("figures", i, "preferred", "MON007", "only-reading", id=fid)
    for quantity, rows in _groups(ds, "id", "preferred").items():
        preferred = [(i, fid) for i, fid, said in rows if said == "true"]
        if len(preferred) != 1:
            named = preferred or [(i, fid) for i, fid, _ in rows]
            what = "none is" if not preferred else f"{len(preferred)} are"
            yield r.report(
                "figures",
                named[-1][0],
                "preferred",
                "MON007",
                "not-one",
                quantity=quantity,
                what=what,
                ids=", ".join(fid for _, fid in named),
            )


@check(
    Code(
        "MON008",
        "disputed-preferred-unexplained",
        "The preferred reading of a quantity is attached to an event a disputed claim is about, and its note says "
        "nothing.",
        "{id} is the preferred reading of {quantity!r}, but a disputed claim is about its event; say in note why "
        "this reading is preferred",
        severity=WARNING,
    ),
    needs=("figures", "claims"),
)
def disputed_preferred_unexplained(ds, ctx, r):
    status = ds.column("claims", "status")
    disputed = set(pc.filter(ds.column("claims", "about_event"), pc.equal(status, text("disputed"))).to_pylist())
    for quantity, rows in _groups(ds, "id", "preferred", "event_id", "note").items():
        if len(rows) < 2:
            continue
        for i, fid, preferred, event, note in rows:
            if preferred == "true" and event in disputed and not note:
                yield r.report("figures", i, "note", "MON008", id=fid, quantity=quantity)


def _fmt_amount(value, unit: str) -> str:
    text = f"{value:,f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:,}"
    return {"money": f"${text}", "percent": f"{text}%", "multiple": f"{text}x"}.get(unit, text)


@check(
    Code(
        "MON009",
        "amount-not-in-quote",
        "A figure's amount (or high end) disagrees with every amount of its unit that a citation's quote "
        "states (exact, more-than, less-than and up-to within the rounding the quote shows, about within that "
        "or 5 %, each end of a range so), or is not in US dollars where the quote states dollars.",
        {
            "amount": "{id} gives {column} {row} ({qualifier}), but the quote of its citation of {source} ({locator}) "
            "states {quoted}; correct the amount, or cite a quote that states it",
            "currency": "{id} is in {currency}, but the quote of its citation of {source} ({locator}) states US "
            "dollars ({quoted}); correct the currency, or cite a quote in {currency}",
        },
    ),
    needs=("figures", "citations"),
)
def amount_not_in_quote(ds, ctx, r):
    from origins.core import quoted

    index = ds.index.get("figures", {})
    quoting = pc.not_equal(ds.column("citations", "quote"), EMPTY)  # only citations with a quote are read
    for _, row_id, quote, source_id, locator in r.picked(
        "citations", quoting, "row_id", "quote", "source_id", "locator"
    ):
        i = index.get(row_id)
        if i is None:
            continue
        rec = typed_record(ds, "figures", i)
        if rec is None:
            continue
        read = quoted.READERS.get(rec.unit)
        if read is None:
            continue  # the quote reader knows US dollars, percentages and multiples
        numbers = read(quote)
        if numbers and rec.unit == "money" and rec.currency != "USD" and rec.currency in iso4217():  # else MON001/2
            yield r.report(
                "figures",
                i,
                "currency",
                "MON009",
                "currency",
                id=rec.id,
                currency=rec.currency,
                source=source_id,
                locator=locator,
                quoted=", ".join(dict.fromkeys(repr(n.text) for n in numbers)),
            )
            continue
        if not numbers:
            continue  # the quote states no amount of the figure's unit: nothing to compare
        ends = [("amount", rec.amount)] + ([("amount_high", rec.amount_high)] if rec.amount_high is not None else [])
        rule = "exact" if rec.qualifier in RANGE_QUALIFIERS else rec.qualifier
        for column, value in ends:
            if value is not None and not any(n.agrees(value, rule) for n in numbers):
                yield r.report(
                    "figures",
                    i,
                    column,
                    "MON009",
                    "amount",
                    id=rec.id,
                    column=column,
                    row=_fmt_amount(value, rec.unit),
                    qualifier=rec.qualifier,
                    source=source_id,
                    locator=locator,
                    quoted=", ".join(dict.fromkeys(repr(n.text) for n in numbers)),
                )
