"""Money: the value of demand at market prices, what a stockpile budget buys, and what a price
floor costs.

Prices come from ``prices.csv`` (:mod:`mineralcalc.data.security_tables`): for each element the
default row of the latest year up to the one asked (or any row whose market matches
``market=``), converted to USD per kg of the element through the row's unit and the element's
content in the priced mass (an oxide's metal fraction, a carbonate's lithium). A price in
another currency needs a stated exchange rate (``rates={"CNY": "0.139 USD"}``): currencies are
dimensions of their own, so nothing converts silently.

Arithmetic (each checked by hand in the tests):

* value [USD] = demand [t] x 1000 x price [USD/kg of the element];
* stockpile: a budget buys every element for the same number of days of demand,
  ``days = budget / sum_e(daily demand_e x price_e)``, ``tonnes_e = days x daily demand_e``;
  the budget for N days is ``N x sum_e(daily demand_e x price_e)``;
* price floor: ``cost = max(floor - price, 0) x volume``, at the low, central and high price.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..data.security_tables import SecurityTables, currency_of
from ..data.tableset import shipped_table_set
from ..elements import resolve
from ..errors import DimensionError, MineralcalcError, UnknownItemError, VolumeError
from ..estimate import parse_amount
from ..units import conversion_factor, is_mass, parse_unit

__all__ = ["price_floor", "price_of", "stockpile", "value"]

_USD = "USD"
_DAYS = 365.0


def _money(value: Any, what: str, rates: Mapping[str, Any] | None) -> tuple[float, float, float]:
    """An amount of money in USD (low, central, high), converting other currencies by
    ``rates`` only."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise VolumeError(f"{what}: {value!r} has no unit: give it with its currency, e.g. "
                          "'11.67 billion USD'")  # fmt: skip
    try:
        est = parse_amount(value)
    except MineralcalcError as e:
        raise type(e)(f"{what}: {e}") from None
    return _to_usd(est, est.unit, what, rates)


def _rate(currency: str, what: str, unit: Any, rates: Mapping[str, Any] | None) -> float:
    """USD per unit of ``currency``: 1 for USD, else the stated exchange rate."""
    if currency == _USD:
        return 1.0
    if not rates or currency not in rates:
        raise DimensionError(
            f"{what}: {unit} is in {currency}; give an exchange rate, e.g. "
            f"rates={{'{currency}': '1.08 USD'}}"
        )
    return float(parse_amount(rates[currency]).values(_USD)[1])


def _to_usd(est: Any, unit: Any, what: str, rates: Mapping[str, Any] | None,
            per: str = "") -> tuple[float, float, float]:  # fmt: skip
    target = parse_unit(_USD + per)
    try:
        cur = currency_of(unit)
        factor = conversion_factor(unit / parse_unit(cur) * parse_unit(_USD), target)
    except MineralcalcError:
        raise DimensionError(
            f"{what}: {unit} is not {target} (give e.g. '110 USD/kg' for a price per kg, "
            "'11.67 billion USD' for a budget)"
        ) from None
    factor *= _rate(cur, what, unit, rates)
    lo, c, hi = est.values()
    return lo * factor, c * factor, hi * factor


def _rows(tables: SecurityTables, element: str, year: int | None, market: str | None) -> Any:
    p = tables.prices
    rows = p[p["element"] == element]
    if rows.empty:
        raise UnknownItemError(f"no price for {element} in prices.csv")
    if market is not None:
        rows = rows[rows["market"].str.contains(market, case=False, regex=False)]
        if rows.empty:
            raise UnknownItemError(f"no price for {element} in a market matching {market!r}")
    else:
        rows = rows[~rows["alternative"]]
        if rows.empty:
            raise UnknownItemError(f"no default price for {element} (all rows are alternatives)")
    if year is not None:
        earlier = rows[rows["year"] <= year]
        rows = earlier if not earlier.empty else rows[rows["year"] == rows["year"].min()]
    return rows[rows["year"] == rows["year"].max()].iloc[0]


def price_of(
    element: str,
    year: int | None = None,
    *,
    market: str | None = None,
    rates: Mapping[str, Any] | None = None,
    tables: SecurityTables | None = None,
    per: str = "element",
) -> dict[str, Any]:
    """The price of one element: ``low``, ``price``, ``high`` in USD per kg of the element
    (``per="element"``) or of the priced product (``per="product"``), with the row's
    ``product``, ``form``, ``market``, ``period``, ``year`` and ``source``."""
    tables = tables if tables is not None else shipped_table_set().security
    row = _rows(tables, element, year, market)
    rate = _rate(str(row["currency"]), f"price of {element}", row["unit"], rates)
    lo, c, hi = (v * rate for v in row["per_kg"])  # read per kg at load, in its currency
    content = 1.0 if per == "product" else float(row["content"])
    return {"element": element, "low": lo / content, "price": c / content, "high": hi / content,
            "unit": f"USD/kg {'of ' + str(row['form']) if per == 'product' else 'of ' + element}",
            "product": row["product"], "form": row["form"], "market": row["market"],
            "period": row["period"], "year": int(row["year"]), "source": row["source"]}  # fmt: skip


def value(
    demand: Any,
    year: int | None = None,
    *,
    market: str | None = None,
    rates: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """The market balance in USD: demand, modelled demand and supply times each element's
    price (elements without a price are left out, said in ``attrs['no_price']``).

    Returns
    -------
    DataFrame
        ``element``, ``year``, ``demand`` [t], ``price_low``, ``price``, ``price_high`` [USD/kg],
        ``value_low``, ``value``, ``value_high`` (demand at the low, central and high price),
        ``modelled_value``, ``supply_value`` [USD], ``market``, ``period``, ``source``; with
        samples, ``value_p5`` / ``value_p95`` from the sampled demand times prices drawn
        uniformly between low and high.
    """
    year = demand.years[-1] if year is None else year
    f = demand.compare(groups=())
    f = f[f["year"] == year]
    rows, missing = [], []
    rng = np.random.default_rng(seed)
    prices_table = demand.catalog.tables.security
    for r in f.to_dict("records"):
        el = str(r["element"])
        try:
            p = price_of(el, year, market=market, rates=rates, tables=prices_table)
        except MineralcalcError:
            missing.append(el)
            continue
        kg = float(r["demand"]) * 1000
        row = {"element": el, "year": year, "demand": r["demand"],
               "price_low": p["low"], "price": p["price"], "price_high": p["high"],
               "value_low": kg * p["low"], "value": kg * p["price"], "value_high": kg * p["high"],
               "modelled_value": float(r["modelled"]) * 1000 * p["price"],
               "supply_value": float(r["supply"]) * 1000 * p["price"],
               "market": p["market"], "period": p["period"], "source": p["source"]}  # fmt: skip
        if getattr(demand, "samples", None):
            # modelled demand drawn, other uses as published, times a price drawn per sample
            draws = (demand.sample_values(el, year=year) + float(r["other_uses"])) * 1000
            draws = draws * rng.uniform(p["low"], p["high"], draws.shape)
            row["value_p5"], row["value_p95"] = np.quantile(draws, [0.05, 0.95])
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs.update(unit="USD", no_price=missing)
    return out


def stockpile(
    daily: Mapping[str, float],
    *,
    budget: Any = None,
    days: float | None = None,
    year: int | None = None,
    market: str | None = None,
    rates: Mapping[str, Any] | None = None,
    tables: SecurityTables | None = None,
) -> pd.DataFrame:
    """What a budget buys (``budget``), or what N days cost (``days``), of some elements.

    Parameters
    ----------
    daily : mapping of element to t/day
        The demand to cover, per day (a bloc's, see
        :func:`mineralcalc.lenses.security.bloc_demand`).
    budget : amount of money, e.g. ``"11.67 billion USD"``
    days : float
        Instead of a budget: the days of demand to buy.

    Returns
    -------
    DataFrame
        Per element: ``daily`` [t/d], ``price_low``, ``price``, ``price_high`` [USD/kg],
        ``tonnes`` (at the central price; ``tonnes_low`` at the high price, ``tonnes_high`` at
        the low), ``cost`` [USD]; ``attrs``: ``days`` (low, central, high), ``budget``
        [USD], ``prices`` (the rows used).
    """
    if (budget is None) == (days is None):
        raise VolumeError("stockpile: give either budget (e.g. '11.67 billion USD') or days")
    els = list(daily)
    if not els:
        raise VolumeError("stockpile: no elements to buy")
    prices = {el: price_of(el, year, market=market, rates=rates, tables=tables) for el in els}
    per_day = {k: sum(daily[el] * 1000 * prices[el][k] for el in els)
               for k in ("low", "price", "high")}  # fmt: skip
    if per_day["price"] <= 0:
        raise VolumeError("stockpile: the elements have no demand to cover")
    if budget is not None:
        money = _money(budget, "budget", rates)[1]
        if money <= 0:
            raise VolumeError(f"budget {budget!r} is not above zero")
        n = (money / per_day["high"], money / per_day["price"], money / per_day["low"])
    else:
        if not isinstance(days, (int, float)) or days <= 0:
            raise VolumeError(f"days {days!r}: give a number of days above zero")
        n = (float(days),) * 3
        money = n[1] * per_day["price"]
    rows = [{"element": el, "daily": daily[el], "price_low": prices[el]["low"],
             "price": prices[el]["price"], "price_high": prices[el]["high"],
             "tonnes_low": daily[el] * n[0], "tonnes": daily[el] * n[1],
             "tonnes_high": daily[el] * n[2], "cost": daily[el] * n[1] * 1000 * prices[el]["price"]}
            for el in els]  # fmt: skip
    out = pd.DataFrame(rows)
    out.attrs.update(days=n, budget=money, prices=prices, months=tuple(d / (_DAYS / 12) for d in n))
    return out


def price_floor(
    element: str,
    floor: Any,
    volume: Any,
    *,
    year: int | None = None,
    market: str | None = None,
    rates: Mapping[str, Any] | None = None,
    tables: SecurityTables | None = None,
) -> dict[str, Any]:
    """The yearly cost of guaranteeing ``floor`` on ``volume`` of an element's priced product
    (NdPr oxide for Nd), at the market's low, central and high price.

    ``cost = max(floor - price, 0) x volume``: ``cost_high`` at the low market price.
    """
    p = price_of(element, year, market=market, rates=rates, per="product", tables=tables)
    if isinstance(floor, (int, float)) and not isinstance(floor, bool):
        raise VolumeError(f"floor: {floor!r} has no unit: give e.g. '110 USD/kg'")
    est = parse_amount(floor)
    f = _to_usd(est, est.unit, "floor", rates, "/kg")[1]
    if isinstance(volume, (int, float)) and not isinstance(volume, bool):
        raise VolumeError(f"volume: {volume!r} has no unit: give a mass a year, e.g. '1294 t'")
    vol = parse_amount(volume)
    unit = vol.unit
    if not is_mass(unit):
        try:
            unit = unit * parse_unit("yr")
            assert is_mass(unit)
        except (AssertionError, MineralcalcError):
            raise DimensionError(
                f"volume {volume!r} is not a mass (a year), e.g. '1294 t'"
            ) from None
    kg = vol.values()[1] * conversion_factor(unit, parse_unit("kg"))
    return {"element": element, "floor": f, "volume_kg": kg,
            "price_low": p["low"], "price": p["price"], "price_high": p["high"],
            "cost_low": max(f - p["high"], 0.0) * kg, "cost": max(f - p["price"], 0.0) * kg,
            "cost_high": max(f - p["low"], 0.0) * kg, "unit": "USD/yr", "prices": p}  # fmt: skip


def elements_of(names: Iterable[str] | str) -> list[str]:
    """Element symbols for names and groups (``"magnet REE"`` -> Nd, Pr, Dy, Tb)."""
    names = [names] if isinstance(names, str) else list(names)
    out: list[str] = []
    for n in names:
        out += [e for e in resolve(n) if e not in out]
    return out
