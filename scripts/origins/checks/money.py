"""Money checks: ISO 4217 currencies, exact non-negative decimals, coherent ranges."""

from __future__ import annotations

from functools import lru_cache

from . import check

SCALE = 2  # decimal places kept in Parquet (decimal128(18, 2)); see origins.arrow
RANGE_QUALIFIERS = {"range"}


@lru_cache(maxsize=1)
def iso4217() -> frozenset[str]:
    import pycountry  # the maintained ISO 4217 list, not a hand-typed one

    return frozenset(c.alpha_3 for c in pycountry.currencies)


@check("MON001", "unknown-currency", "A currency is not an ISO 4217 code.")
def unknown_currency(ds, ctx):
    t = ds.tables.get("figures")
    for i, row in enumerate(t.rows if t else []):
        cur = row.get("currency") or ""
        if cur and cur not in iso4217():
            yield ds.finding(
                "figures",
                i,
                "currency",
                "MON001",
                f"currency {cur!r} is not an ISO 4217 code; use for example USD or EUR",
            )


@check("MON002", "unit-currency-mismatch", "A money figure lacks a currency, or a non-money figure has one.")
def unit_currency_mismatch(ds, ctx):
    t = ds.tables.get("figures")
    for i, row in enumerate(t.rows if t else []):
        unit, cur = row.get("unit") or "", row.get("currency") or ""
        if unit == "money" and not cur:
            yield ds.finding(
                "figures",
                i,
                "currency",
                "MON002",
                "unit is money but currency is empty; give the ISO 4217 code (e.g. USD)",
            )
        elif unit and unit != "money" and cur:
            yield ds.finding(
                "figures",
                i,
                "currency",
                "MON002",
                f"unit is {unit} but currency is {cur}; leave currency empty",
            )


@check("MON003", "range-reversed", "amount_high is lower than amount.")
def range_reversed(ds, ctx):
    for i, rec in ds.records("figures").items():
        if rec.amount_high is not None and rec.amount_high < rec.amount:
            yield ds.finding(
                "figures",
                i,
                "amount_high",
                "MON003",
                f"amount_high {rec.amount_high} is lower than amount {rec.amount}; "
                "put the low end in amount and the high end in amount_high",
            )


@check(
    "MON004",
    "range-qualifier-mismatch",
    "amount_high is given without the qualifier 'range', or 'range' without amount_high.",
)
def range_qualifier_mismatch(ds, ctx):
    for i, rec in ds.records("figures").items():
        if rec.amount_high is not None and rec.qualifier not in RANGE_QUALIFIERS:
            yield ds.finding(
                "figures",
                i,
                "qualifier",
                "MON004",
                f"amount_high is set but qualifier is {rec.qualifier!r}; use qualifier range, or empty amount_high",
            )
        elif rec.amount_high is None and rec.qualifier in RANGE_QUALIFIERS:
            yield ds.finding(
                "figures",
                i,
                "amount_high",
                "MON004",
                "qualifier is range but amount_high is empty; give the high end",
            )


@check(
    "MON005",
    "too-precise",
    f"An amount has more than {SCALE} decimal places, which Parquet would not keep exactly.",
)
def too_precise(ds, ctx):
    for i, rec in ds.records("figures").items():
        for column in ("amount", "amount_high"):
            value = getattr(rec, column)
            if value is not None and -value.as_tuple().exponent > SCALE:
                yield ds.finding(
                    "figures",
                    i,
                    column,
                    "MON005",
                    f"{column} {value} has more than {SCALE} decimal places; round it as the source states it",
                )
