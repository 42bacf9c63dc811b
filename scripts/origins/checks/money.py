"""Money checks: ISO 4217 currencies, exact non-negative decimals, coherent ranges."""

from __future__ import annotations

from functools import lru_cache

from origins.checks.registry import Code, check
from origins.core.findings import WARNING

SCALE = 2  # decimal places kept in Parquet (decimal128(18, 2)); see origins.read.arrow
RANGE_QUALIFIERS = {"range"}


@lru_cache(maxsize=1)
def iso4217() -> frozenset[str]:
    import pycountry  # the maintained ISO 4217 list, not a hand-typed one

    return frozenset(c.alpha_3 for c in pycountry.currencies)


@check(Code("MON001", "unknown-currency", "A currency is not an ISO 4217 code."))
def unknown_currency(ds, ctx, r):
    for i, row in r.rows("figures"):
        cur = row.get("currency") or ""
        if cur and cur not in iso4217():
            yield r.report(
                "figures",
                i,
                "currency",
                "MON001",
                f"currency {cur!r} is not an ISO 4217 code; use for example USD or EUR",
            )


@check(Code("MON002", "unit-currency-mismatch", "A money figure lacks a currency, or a non-money figure has one."))
def unit_currency_mismatch(ds, ctx, r):
    for i, row in r.rows("figures"):
        unit, cur = row.get("unit") or "", row.get("currency") or ""
        if unit == "money" and not cur:
            yield r.report(
                "figures",
                i,
                "currency",
                "MON002",
                "unit is money but currency is empty; give the ISO 4217 code (e.g. USD)",
            )
        elif unit and unit != "money" and cur:
            yield r.report(
                "figures",
                i,
                "currency",
                "MON002",
                f"unit is {unit} but currency is {cur}; leave currency empty",
            )


@check(Code("MON003", "range-reversed", "amount_high is lower than amount."))
def range_reversed(ds, ctx, r):
    for i, rec in ds.records("figures").items():
        if rec.amount_high is not None and rec.amount_high < rec.amount:
            yield r.report(
                "figures",
                i,
                "amount_high",
                "MON003",
                f"amount_high {rec.amount_high} is lower than amount {rec.amount}; "
                "put the low end in amount and the high end in amount_high",
            )


@check(
    Code(
        "MON004",
        "range-qualifier-mismatch",
        "amount_high is given without the qualifier 'range', or 'range' without amount_high.",
    )
)
def range_qualifier_mismatch(ds, ctx, r):
    for i, rec in ds.records("figures").items():
        if rec.amount_high is not None and rec.qualifier not in RANGE_QUALIFIERS:
            yield r.report(
                "figures",
                i,
                "qualifier",
                "MON004",
                f"amount_high is set but qualifier is {rec.qualifier!r}; use qualifier range, or empty amount_high",
            )
        elif rec.amount_high is None and rec.qualifier in RANGE_QUALIFIERS:
            yield r.report(
                "figures",
                i,
                "amount_high",
                "MON004",
                "qualifier is range but amount_high is empty; give the high end",
            )


@check(
    Code(
        "MON005",
        "too-precise",
        f"An amount has more than {SCALE} decimal places, which Parquet would not keep exactly.",
    )
)
def too_precise(ds, ctx, r):
    for i, rec in ds.records("figures").items():
        for column in ("amount", "amount_high"):
            value = getattr(rec, column)
            if value is not None and -value.as_tuple().exponent > SCALE:
                yield r.report(
                    "figures",
                    i,
                    column,
                    "MON005",
                    f"{column} {value} has more than {SCALE} decimal places; round it as the source states it",
                )


def _groups(t) -> dict[str, list[int]]:
    """Row positions of the figures that are readings of one quantity, by quantity."""
    out: dict[str, list[int]] = {}
    for i, row in enumerate(t.rows if t else []):
        if row.get("quantity"):
            out.setdefault(row["quantity"], []).append(i)
    return out


@check(Code("MON006", "quantity-units-differ", "Readings of one quantity differ in unit or currency."))
def quantity_units_differ(ds, ctx, r):
    t = ds.tables.get("figures")
    for quantity, rows in _groups(t).items():
        first = t.rows[rows[0]]
        for i in rows[1:]:
            row = t.rows[i]
            for column in ("unit", "currency"):
                if (row.get(column) or "") != (first.get(column) or ""):
                    yield r.report(
                        "figures",
                        i,
                        column,
                        "MON006",
                        f"{row['id']} reads quantity {quantity!r} in {column} {row.get(column) or '(none)'!r}, but "
                        f"{first['id']} in {first.get(column) or '(none)'!r}; readings of one quantity share unit and currency",
                    )


@check(
    Code(
        "MON007",
        "preferred-reading",
        "A quantity has no preferred reading or several, or a figure read only once is not preferred.",
    )
)
def preferred_reading(ds, ctx, r):
    t = ds.tables.get("figures")
    for i, row in r.rows("figures"):
        if not row.get("quantity") and row.get("preferred") == "false":
            yield r.report(
                "figures",
                i,
                "preferred",
                "MON007",
                f"{row['id']} is the only reading of its quantity but is not preferred; write true, "
                "or name the quantity it shares with other figures",
            )
    for quantity, rows in _groups(t).items():
        preferred = [i for i in rows if t.rows[i].get("preferred") == "true"]
        if len(preferred) != 1:
            ids = ", ".join(t.rows[i]["id"] for i in (preferred or rows))
            what = "none is" if not preferred else f"{len(preferred)} are"
            yield r.report(
                "figures",
                (preferred or rows)[-1],
                "preferred",
                "MON007",
                f"quantity {quantity!r} needs exactly one preferred reading, but {what} ({ids}); "
                "mark the one to add up as true and the others false",
            )


@check(
    Code(
        "MON008",
        "disputed-preferred-unexplained",
        "The preferred reading of a quantity is attached to an event a disputed claim is about, and its note says nothing.",
        severity=WARNING,
    )
)
def disputed_preferred_unexplained(ds, ctx, r):
    t = ds.tables.get("figures")
    disputed = {row.get("about_event") for _, row in r.rows("claims") if row.get("status") == "disputed"}
    groups = _groups(t)
    for quantity, rows in groups.items():
        if len(rows) < 2:
            continue
        for i in rows:
            row = t.rows[i]
            if row.get("preferred") == "true" and row.get("event_id") in disputed and not row.get("note"):
                yield r.report(
                    "figures",
                    i,
                    "note",
                    "MON008",
                    f"{row['id']} is the preferred reading of {quantity!r}, but a disputed claim is about its "
                    "event; say in note why this reading is preferred",
                )
