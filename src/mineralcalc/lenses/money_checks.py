"""What the money lenses are given, checked where it enters: amounts of money, prices per kg,
yearly volumes, days, daily demand and exchange rates.

Each check returns plain floats (USD, kg a year, days, t/day) or raises a
:class:`~mineralcalc.errors.MineralcalcError` subclass whose one-line message names the
argument (or, on the command line, the flag), the value at fault and how to fix it. NaN,
infinity, negative amounts, ranges where one figure is meant, and amounts in the wrong unit or
currency are refused here, so that :mod:`mineralcalc.lenses.money` never computes with them.

Exchange rates are USD per unit of a currency (``rates={"CNY": "0.139 USD"}``, or
``--rate CNY=0.139USD`` on the command line); ``"0.139 USD/CNY"`` is read the same way.
Currencies are dimensions of their own in the unit registry (``units.txt``), so a price or
budget in another currency without a stated rate is an error, never a silent conversion.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

from ..data.security_tables import currency_of
from ..errors import AmountError, DimensionError, MineralcalcError, UnitError, VolumeError
from ..estimate import Estimate, parse_amount
from ..units import conversion_factor, is_mass, parse_unit

__all__ = [
    "CURRENCIES",
    "EXAMPLE_RATES",
    "USD",
    "Rates",
    "check_daily",
    "check_days",
    "check_market",
    "check_per",
    "check_rates",
    "check_year",
    "mass_per_year",
    "money",
]

USD = "USD"
"""The currency every answer is in."""

CURRENCIES = (USD, "EUR", "CNY")
"""The currencies of the unit registry (``units.txt``: ``[currency_usd]`` ...)."""

EXAMPLE_RATES = {"EUR": "1.08", "CNY": "0.139"}
"""USD per unit of each currency, for the examples of error messages only (nothing is ever
computed with them): rounded 2024 annual averages. EUR: the ECB's euro reference rate averaged
about 1.08 USD per EUR in 2024; CNY: the US Federal Reserve's H.10 rates (FRED series EXCHUS)
were about 7.1-7.3 CNY per USD through 2024, i.e. about 0.139 USD per CNY."""

PER = ("element", "product")
"""What a price may be per: a kg of the element, or a kg of the priced product."""


@dataclass(frozen=True)
class Rates:
    """Exchange rates, checked: USD per unit of each currency.

    Attributes
    ----------
    usd_per : mapping of currency to float
        USD [USD] that one unit of the currency buys (``{"CNY": 0.139}``).
    flag : bool
        Whether they came from the command line (``--rate``): messages then name the flag
        rather than ``rates=``.
    """

    usd_per: Mapping[str, float] = field(default_factory=dict)
    flag: bool = False

    def name(self, currency: str) -> str:
        """How the user gives the rate of ``currency``: ``--rate EUR`` or ``rates['EUR']``."""
        return f"--rate {currency}" if self.flag else f"rates['{currency}']"

    def example(self, currency: str, amount: str | None = None) -> str:
        """A rate written as the user would give it: ``--rate CNY=0.139USD`` or
        ``rates={'CNY': '0.139 USD'}``."""
        amount = amount or EXAMPLE_RATES.get(currency, f"<USD per {currency}>")
        if self.flag:
            return f"--rate {currency}={amount}USD"
        return f"rates={{'{currency}': '{amount} USD'}}"

    def to_usd(self, currency: str, what: str, unit: Any) -> float:
        """USD [USD] per unit of ``currency``: 1 for USD, else the stated rate.

        Raises
        ------
        DimensionError
            No rate was given for ``currency``; the message names ``what`` and ``unit`` and
            shows the rate to give.
        """
        if currency == USD:
            return 1.0
        if currency not in self.usd_per:
            raise DimensionError(
                f"{what} is in {currency} ({unit}): give an exchange rate in USD per "
                f"{currency}, e.g. {self.example(currency)} (about the 2024 average; use "
                "the rate of the price's or budget's date)"
            )
        return self.usd_per[currency]


def check_rates(rates: Mapping[str, Any] | Rates | None, *, flag: bool = False) -> Rates:
    """Exchange rates checked: each key a currency of :data:`CURRENCIES` other than USD (any
    case; ``RMB`` is ``CNY``), each value one finite amount above zero in USD (``"1.08 USD"``,
    ``"1.08 USD/EUR"``, ``"108 cent"``).

    Parameters
    ----------
    rates : mapping of currency to amount, Rates or None
        USD per unit of each currency.
    flag : bool
        Name the command line's ``--rate`` in messages.

    Raises
    ------
    AmountError
        A rate that is not a mapping, cannot be read, is a range, NaN, infinite or not above
        zero.
    UnitError, DimensionError
        A key that is no currency, a currency given twice, or a rate without a currency or in
        another one.
    """
    if isinstance(rates, Rates):
        return rates
    if rates is None:
        return Rates({}, flag)
    shown = Rates({}, flag)
    if not isinstance(rates, Mapping):
        raise AmountError(
            f"rates {rates!r}: give a mapping of currency to the USD one unit buys, "
            f"e.g. {shown.example('EUR')}"
        )
    out: dict[str, float] = {}
    for key, value in rates.items():
        cur = _currency(key, shown)
        if cur in out:
            raise UnitError(f"{shown.name(cur)}: the rate for {cur} is given twice; give it once")
        out[cur] = _rate_value(cur, value, shown)
    return Rates(out, flag)


def _currency(key: Any, shown: Rates) -> str:
    known = ", ".join(c for c in CURRENCIES if c != USD)
    text = key.strip() if isinstance(key, str) else ""
    try:
        unit = parse_unit(text.upper() if text.upper() in CURRENCIES else text)
        cur = currency_of(unit)
        if str(unit) != cur:  # "cent" is USD but no currency of its own
            raise UnitError(f"{unit} is a fraction of {cur}")
    except MineralcalcError:
        raise UnitError(
            f"exchange rate for {key!r}: not a currency of the unit registry; give a rate for "
            f"one of {known}, e.g. {shown.example('EUR')}"
        ) from None
    if cur == USD:
        raise UnitError(
            f"{shown.name(USD)}: answers are in USD, which needs no exchange rate; leave it out"
        )
    return cur


def _rate_value(cur: str, value: object, shown: Rates) -> float:
    where = f"rate for {cur} ({shown.name(cur)})"

    def fix(amount: float | None = None) -> str:
        usable = amount is not None and math.isfinite(amount) and amount > 0
        mine = f"{amount:g}" if usable else None
        return f"give the USD that one {cur} buys, e.g. {shown.example(cur, mine)}"

    if isinstance(value, Real) and not isinstance(value, bool):
        raise DimensionError(f"{where}: {value!r} has no currency: {fix(float(value))}")
    try:
        est = parse_amount(value)
    except MineralcalcError as e:
        raise AmountError(f"{where}: {value!r}: {e}; {fix()}") from None
    if not est.is_fixed:
        raise AmountError(f"{where}: {value!r} is a range; give one rate: {fix()}")
    unit = est.unit
    if unit.dimensionless:
        raise DimensionError(f"{where}: {value!r} has no currency: {fix(est.values()[1])}")
    try:
        factor = conversion_factor(unit, parse_unit(USD))
    except MineralcalcError:
        try:  # "1.08 USD/EUR": USD per unit of the currency, written out
            factor = conversion_factor(unit * parse_unit(cur), parse_unit(USD))
        except MineralcalcError:
            raise DimensionError(f"{where}: {value!r} is not in USD: {fix()}") from None
    usd = est.values()[1] * factor
    if not math.isfinite(usd) or usd <= 0:
        raise AmountError(f"{where}: {value!r} is not above zero: {fix()}")
    return usd


def _one_amount(value: object, what: str, example: str) -> Estimate:
    """One amount (not a range) with a unit, read or refused naming ``what``."""
    if isinstance(value, Real) and not isinstance(value, bool):
        raise VolumeError(f"{what}: {value!r} has no unit: give it with its unit, e.g. {example}")
    try:
        est = parse_amount(value)
    except MineralcalcError as e:
        raise type(e)(f"{what} {value!r}: {e}; give e.g. {example}") from None
    if not est.is_fixed:
        raise VolumeError(f"{what} {value!r} is a range: give one amount, e.g. {example}")
    return est


def money(
    value: object, what: str, rates: Rates, *, per: str = "", example: str = "'11.67 billion USD'"
) -> float:
    """An amount of money [USD] (``per="/kg"``: a price [USD/kg]), at least zero and finite,
    converting another currency by ``rates`` only.

    Parameters
    ----------
    value : str, Quantity or Estimate
        ``"11.67 billion USD"``, ``"10 billion EUR"``, ``"110 USD/kg"``, ``"397 CNY/kg"``.
    what : str
        The argument or flag, for messages (``"budget"``, ``"--floor"``).
    rates : Rates
        Exchange rates (:func:`check_rates`).
    per : str
        ``""`` for money, ``"/kg"`` for a price per kg.
    example : str
        A good value, for messages.

    Raises
    ------
    VolumeError, AmountError
        No unit, unreadable, a range, NaN, infinite or below zero.
    DimensionError
        Not money (per kg), or in a currency without a rate.
    """
    est = _one_amount(value, what, example)
    unit = est.unit
    target = parse_unit(USD + per)
    try:
        cur = currency_of(unit)
        factor = conversion_factor(unit / parse_unit(cur) * parse_unit(USD), target)
    except MineralcalcError:
        raise DimensionError(
            f"{what} {value!r}: {unit} is not {target}: give e.g. {example}"
            + (" (a price per kg)" if per else " (an amount of money)")
        ) from None
    usd = est.values()[1] * factor * rates.to_usd(cur, what, unit)
    if not math.isfinite(usd):
        raise VolumeError(f"{what} {value!r} is {usd} {target}: give a finite amount")
    if usd < 0:
        raise VolumeError(f"{what} {value!r} is below zero: give e.g. {example}")
    return usd


def mass_per_year(value: object, what: str, *, example: str = "'1294 t'") -> float:
    """A yearly mass [kg/yr]: a mass (``"1294 t"``, read as a year's) or a mass per time
    (``"1294 t/yr"``, ``"3.5 t/day"``), finite and at least zero (zero costs nothing).

    Raises
    ------
    VolumeError, AmountError
        No unit, unreadable, a range, NaN, infinite or below zero.
    DimensionError
        Neither a mass nor a mass per time.
    """
    est = _one_amount(value, what, example)
    unit = est.unit
    if not is_mass(unit):
        try:
            unit = unit * parse_unit("yr")
            if not is_mass(unit):
                raise DimensionError(f"{unit} is not a mass")
        except MineralcalcError:
            raise DimensionError(
                f"{what} {value!r} is not a mass (a year's) or a mass per time: give e.g. {example}"
            ) from None
    kg = est.values()[1] * conversion_factor(unit, parse_unit("kg"))
    if not math.isfinite(kg):
        raise VolumeError(f"{what} {value!r} is {kg} kg a year: give a finite amount")
    if kg < 0:
        raise VolumeError(f"{what} {value!r} is below zero: give e.g. {example}")
    return kg


def check_days(days: object, what: str = "days") -> float:
    """Days [d] of demand: a finite number above zero."""
    if (
        isinstance(days, bool)
        or not isinstance(days, Real)
        or not math.isfinite(float(days))
        or float(days) <= 0
    ):
        raise VolumeError(f"{what} {days!r}: give a finite number of days above zero, e.g. 90")
    return float(days)


def check_daily(daily: object) -> dict[str, float]:
    """Daily demand [t/day] per element: a mapping of element to a finite number at least
    zero, with at least one element."""
    if not isinstance(daily, Mapping):
        raise VolumeError(
            f"daily {daily!r}: give a mapping of element to t/day, e.g. {{'Nd': 32.6}}"
        )
    if not daily:
        raise VolumeError("daily: no elements to buy: give e.g. {'Nd': 32.6} (t/day)")
    out: dict[str, float] = {}
    for el, v in daily.items():
        ok = isinstance(v, Real) and not isinstance(v, bool)
        if not ok or not math.isfinite(float(v)) or float(v) < 0:
            raise VolumeError(
                f"daily demand of {el!r}: {v!r} is not a number of t/day at least zero "
                "(NaN, infinite and negative demand cannot be bought)"
            )
        out[str(el)] = float(v)
    return out


def check_year(year: object) -> int | None:
    """A year: None (the latest) or a whole number."""
    if year is None:
        return None
    value = float(year) if isinstance(year, Real) and not isinstance(year, bool) else math.nan
    if not math.isfinite(value) or value != int(value):
        raise VolumeError(f"year {year!r}: give a whole year such as 2024, or leave it out")
    return int(value)


def check_market(market: object) -> str | None:
    """A market to match: None (the default rows) or a non-empty piece of a market's name."""
    if market is None:
        return None
    if not isinstance(market, str) or not market.strip():
        raise VolumeError(
            f"market {market!r}: give part of a market's name in prices.csv, e.g. "
            "'FOB China', or leave it out for the default prices"
        )
    return market


def check_per(per: object) -> str:
    """What a price is per: ``"element"`` or ``"product"``."""
    if per not in PER:
        raise VolumeError(
            f"per {per!r}: give 'element' (USD per kg of the element) or 'product' "
            "(USD per kg of the priced product)"
        )
    return str(per)
