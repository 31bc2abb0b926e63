"""Money: the value of demand at market prices, what a stockpile budget buys, and what a price
floor costs.

Prices come from ``prices.csv`` (:mod:`mineralcalc.data.security_tables`): for each element the
default row of the latest year up to the one asked (or any row whose market matches
``market=``), converted to USD per kg of the element through the row's unit and the element's
content in the priced mass (an oxide's metal fraction, a carbonate's lithium). A price in
another currency needs a stated exchange rate (``rates={"CNY": "0.139 USD"}``, ``--rate
CNY=0.139USD`` on the command line): currencies are dimensions of their own, so nothing
converts silently. Every argument is checked where it enters
(:mod:`mineralcalc.lenses.money_checks`): NaN, infinity, negative amounts and ranges where one
figure is meant are refused with a message naming the argument and its value.

Arithmetic (each checked by hand in the tests):

* value [USD] = demand [t] x 1000 x price [USD/kg of the element];
* stockpile: a budget buys every element for the same number of days of demand,
  ``days = budget / sum_e(daily demand_e x price_e)``, ``tonnes_e = days x daily demand_e``;
  the budget for N days is ``N x sum_e(daily demand_e x price_e)``;
* price floor: ``cost = max(floor - price, 0) x volume``, at the low, central and high price;
  a floor or a volume of zero costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data.security_tables import SecurityTables
from ..data.tableset import shipped_table_set
from ..elements import resolve
from ..errors import UnknownItemError, VolumeError
from ..estimate import AmountLike
from .market import compare
from .market_prices import latest_rows
from .money_checks import (
    Rates,
    check_daily,
    check_days,
    check_market,
    check_per,
    check_rates,
    check_year,
    money,
)

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["RatesGiven", "elements_of", "price_of", "stockpile", "value"]

_DAYS = 365.0

RatesGiven = Mapping[str, Any] | Rates | None
"""Exchange rates as a caller gives them (:func:`~mineralcalc.lenses.money_checks.check_rates`)."""


def _rows(tables: SecurityTables, element: str, year: int | None, market: str | None) -> Any:
    p = tables.prices
    rows = p[p["element"] == element] if isinstance(element, str) else p.iloc[:0]
    if rows.empty:
        priced = ", ".join(sorted(set(p["element"])))
        raise UnknownItemError(
            f"no price for {element!r} in prices.csv: give an element with a price ({priced}), "
            "or add a row to prices.csv in your own tables folder"
        )
    if market is not None:  # each ';'-separated term matches the market, product or period
        text = (
            rows["market"].astype(str)
            + " | "
            + rows["product"].astype(str)
            + " | "
            + rows["period"].astype(str)
        ).str.casefold()
        for term in (t.strip().casefold() for t in market.split(";") if t.strip()):
            rows = rows[text.loc[rows.index].str.contains(term, regex=False)]
        if rows.empty:
            raise UnknownItemError(f"no price for {element} in a market matching {market!r}")
    else:
        rows = rows[~rows["alternative"]]
        if rows.empty:
            raise UnknownItemError(f"no default price for {element} (all rows are alternatives)")
    # several rows of the year: the element's own product before a mixture (Nd oxide before
    # NdPr oxide), then its oxide; never one of several by the order of the file
    rows = latest_rows(
        rows, year, (lambda r: ~r["shared"].astype(bool), lambda r: r["form"] == "oxide")
    )
    if len(rows) > 1:
        listed = "; ".join(
            f"{r['product']} ({r['market']}, {r['period']})" for r in rows.to_dict("records")
        )
        raise UnknownItemError(
            f"market {market!r} matches {len(rows)} prices of {element} in "
            f"{int(rows['year'].iloc[0])}: {listed}; add a term that picks one, e.g. "
            f"'{market}; {rows['product'].iloc[0]}'"
        )
    return rows.iloc[0]


def price_of(
    element: str,
    year: int | None = None,
    *,
    market: str | None = None,
    rates: RatesGiven = None,
    tables: SecurityTables | None = None,
    per: str = "element",
) -> dict[str, Any]:
    """The price of one element.

    Parameters
    ----------
    element : str
        An element symbol with a row in ``prices.csv``.
    year : int, optional
        The latest default row up to this year (default: the latest of all).
    market : str, optional
        Take the rows whose market, product or period contains every ``;``-separated term
        (``"China domestic; Neodymium oxide"``) instead of the default rows. Of several rows
        of the year, the element's own product comes before a mixture (Nd oxide before NdPr
        oxide), then its oxide; rows still tied are an error listing them.
    rates : mapping of currency to amount, optional
        USD per unit of each other currency (``{"CNY": "0.139 USD"}``), for prices not in USD.
    tables : SecurityTables, optional
        The prices to read (default: the shipped ones).
    per : {"element", "product"}
        USD per kg of the element, or per kg of the priced product (NdPr oxide).

    Returns
    -------
    dict
        ``low``, ``price``, ``high`` [USD/kg], ``unit``, and the row's ``product``, ``form``,
        ``market``, ``period``, ``year`` and ``source``.

    Raises
    ------
    MineralcalcError
        An element without a price, a bad ``year``, ``market``, ``per`` or rate, a market
        that matches several rows still tied, or a price in a currency without a rate.
    """
    per = check_per(per)
    year = check_year(year)
    market = check_market(market)
    checked = check_rates(rates)
    tables = tables if tables is not None else shipped_table_set().security
    row = _rows(tables, element, year, market)
    rate = checked.to_usd(str(row["currency"]), f"the price of {element}", row["unit"])
    lo, c, hi = (v * rate for v in row["per_kg"])  # read per kg at load, in its currency
    content = 1.0 if per == "product" else float(row["content"])
    of = str(row["form"]) if per == "product" else element
    return {
        "element": element,
        "low": lo / content,
        "price": c / content,
        "high": hi / content,
        "unit": f"USD/kg of {of}",
        "product": row["product"],
        "form": row["form"],
        "market": row["market"],
        "period": row["period"],
        "year": int(row["year"]),
        "source": row["source"],
    }


def value(
    demand: Demand,
    year: int | None = None,
    *,
    market: str | None = None,
    rates: RatesGiven = None,
    seed: int = 0,
) -> pd.DataFrame:
    """The market balance in USD: demand, modelled demand and supply times each element's
    price (elements without a price are left out, said in ``attrs['no_price']``; a price in a
    currency without a rate is an error, not a missing price).

    Returns
    -------
    DataFrame
        ``element``, ``year``, ``demand`` [t], ``price_low``, ``price``, ``price_high`` [USD/kg],
        ``value_low``, ``value``, ``value_high`` (demand at the low, central and high price),
        ``modelled_value``, ``supply_value`` [USD], ``market``, ``period``, ``source``; with
        samples, ``value_p5`` / ``value_p95`` from the sampled demand times prices drawn
        uniformly between low and high.
    """
    market = check_market(market)
    checked = check_rates(rates)
    year = demand.years[-1] if year is None else year
    f = compare(demand, groups=())
    # a demand without years (``{"offshore_wind": "8 GW"}``) is one undated year, priced
    # at the latest prices; it matched no row of ``year == None`` and came back empty
    f = f[f["year"].isna()] if year is None else f[f["year"] == year]
    rows, missing, why = [], [], {}
    rng = np.random.default_rng(seed)
    prices_table = demand.catalog.tables.security
    for r in f.to_dict("records"):
        el = str(r["element"])
        try:
            p = price_of(el, year, market=market, rates=checked, tables=prices_table)
        except UnknownItemError as e:
            missing.append(el)
            why[el] = str(e.args[0]) if e.args else str(e)
            continue
        kg = float(r["demand"]) * 1000
        row = {
            "element": el,
            "year": year,
            "demand": r["demand"],
            "price_low": p["low"],
            "price": p["price"],
            "price_high": p["high"],
            "value_low": kg * p["low"],
            "value": kg * p["price"],
            "value_high": kg * p["high"],
            "modelled_value": float(r["modelled"]) * 1000 * p["price"],
            "supply_value": float(r["supply"]) * 1000 * p["price"],
            "market": p["market"],
            "period": p["period"],
            "source": p["source"],
        }
        if getattr(demand, "samples", None):
            # modelled demand drawn, other uses as published, times a price drawn per sample
            draws = (demand.sample_values(el, year=year) + float(r["other_uses"])) * 1000
            draws = draws * rng.uniform(p["low"], p["high"], draws.shape)
            row["value_p5"], row["value_p95"] = np.quantile(draws, [0.05, 0.95])
        rows.append(row)
    if not rows:  # an empty frame would answer nothing and say nothing
        reasons = "; ".join(f"{el}: {text}" for el, text in why.items())
        where = "" if market is None else f" in a market matching {market!r}"
        raise UnknownItemError(
            f"value: no element of the demand has a price{where} in {year} "
            f"({reasons or 'no elements'}); drop or change market="
        )
    out = pd.DataFrame(rows)
    out.attrs.update(unit="USD", no_price=missing, no_price_why=why)
    return out


def stockpile(
    daily: Mapping[str, float],
    *,
    budget: AmountLike | None = None,
    days: float | None = None,
    year: int | None = None,
    market: str | None = None,
    rates: RatesGiven = None,
    tables: SecurityTables | None = None,
) -> pd.DataFrame:
    """What a budget buys (``budget``), or what N days cost (``days``), of some elements.

    Parameters
    ----------
    daily : mapping of element to t/day
        The demand to cover, per day (a bloc's, see
        :func:`mineralcalc.lenses.security.bloc_demand`): finite numbers at least zero, not all
        zero.
    budget : amount of money, e.g. ``"11.67 billion USD"``
        One finite amount above zero; another currency needs its rate in ``rates``.
    days : float
        Instead of a budget: the days [d] of demand to buy, a finite number above zero.
    year, market, rates, tables
        Which prices, as in :func:`price_of`.

    Returns
    -------
    DataFrame
        Per element: ``daily`` [t/d], ``price_low``, ``price``, ``price_high`` [USD/kg],
        ``tonnes`` (at the central price; ``tonnes_low`` at the high price, ``tonnes_high`` at
        the low), ``cost`` [USD]; ``attrs``: ``days`` (low, central, high), ``budget``
        [USD: the budget, or what the days cost at the central prices], ``costs`` (the cost
        at the low, central and high prices [USD]; the budget three times when one is given),
        ``asked`` (``budget`` or ``days``), ``prices`` (the rows used).

    Raises
    ------
    MineralcalcError
        Both or neither of ``budget`` and ``days``; a bad budget, days, daily demand or rate
        (the message names it and its value); an answer too large for a float.
    """
    if (budget is None) == (days is None):
        raise VolumeError("stockpile: give either budget (e.g. '11.67 billion USD') or days")
    need = check_daily(daily)
    checked = check_rates(rates)
    n_days = None if days is None else check_days(days)
    example = "'11.67 billion USD'"
    usd = None if budget is None else money(budget, "budget", checked, example=example)
    if usd is not None and usd <= 0:
        raise VolumeError(f"budget {budget!r} is not above zero: give e.g. {example}")
    els = list(need)
    prices = {el: price_of(el, year, market=market, rates=checked, tables=tables) for el in els}
    per_day = {
        k: math.fsum(need[el] * 1000 * prices[el][k] for el in els)
        for k in ("low", "price", "high")
    }
    if per_day["price"] <= 0:
        raise VolumeError(
            f"stockpile: the daily demand of every element ({', '.join(els)}) is zero, so "
            "there is nothing to buy: check the bloc and the elements"
        )
    if not math.isfinite(per_day["high"]):
        raise VolumeError(
            f"stockpile: daily demand {need} costs more than a float holds a day: give "
            "smaller daily demand"
        )
    if usd is not None:
        n = (usd / per_day["high"], usd / per_day["price"], usd / per_day["low"])
        costs = (usd, usd, usd)
    else:
        assert n_days is not None
        n = (n_days,) * 3
        usd = n_days * per_day["price"]
        costs = (n_days * per_day["low"], usd, n_days * per_day["high"])
    rows = [
        {
            "element": el,
            "daily": need[el],
            "price_low": prices[el]["low"],
            "price": prices[el]["price"],
            "price_high": prices[el]["high"],
            "tonnes_low": need[el] * n[0],
            "tonnes": need[el] * n[1],
            "tonnes_high": need[el] * n[2],
            "cost": need[el] * n[1] * 1000 * prices[el]["price"],
        }
        for el in els
    ]
    numbers = [usd, *n] + [v for r in rows for v in r.values() if isinstance(v, float)]
    if not all(math.isfinite(v) for v in numbers):
        given = f"budget {budget!r}" if budget is not None else f"days {days!r}"
        raise VolumeError(
            f"stockpile: {given} with daily demand {need} gives numbers too large for a "
            "float: give a smaller budget or fewer days"
        )
    out = pd.DataFrame(rows)
    out.attrs.update(
        days=n,
        budget=usd,
        costs=costs,
        asked="budget" if budget is not None else "days",
        prices=prices,
        months=tuple(d / (_DAYS / 12) for d in n),
    )
    return out


def elements_of(names: Iterable[str] | str) -> list[str]:
    """Element symbols for names and groups (``"magnet REE"`` -> Nd, Pr, Dy, Tb)."""
    names = [names] if isinstance(names, str) else list(names)
    out: list[str] = []
    for n in names:
        out += [e for e in resolve(n) if e not in out]
    return out
