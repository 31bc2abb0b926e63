"""The price of an element in every market ``prices.csv`` holds, and what some tonnes cost in
each.

:func:`mineralcalc.lenses.money.price_of` answers with one row: the default one, or the one a
``market=`` picks. An analyst comparing a stockpile's cost across markets (USGS's annual
average, FOB China, China domestic, CIF Rotterdam, Europe delivered ...) wants one row per
market. Within a market the row is chosen as ``price_of`` chooses: the latest year up to the
one asked (else the earliest year the market has), the element's own product before a
mixture (Nd oxide before NdPr oxide), then its oxide, then the default row, then the latest
period. A market quoted in another currency needs its rate; without one the row says which
rate to give instead of a cost (no silent conversion, and no silent gap).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from ..data.security_tables import SecurityTables
from ..errors import MineralcalcError
from .money_checks import Rates

__all__ = ["latest_rows", "market_costs", "prices_by_market", "venue"]


def venue(market: str) -> str:
    """A market's name without its reporter: ``"FOB China export (Argus)"`` -> ``"FOB China
    export"``, so that one market's rows from several years or quotes go together."""
    return market.split(" (")[0].strip() or market


def latest_rows(
    rows: pd.DataFrame,
    year: int | None,
    prefer: Sequence[Callable[[pd.DataFrame], pd.Series]],
) -> pd.DataFrame:
    """The price rows that answer for ``year``: the latest year up to it (else the earliest
    year the rows have; every year's latest without one), then, while several rows are left,
    those each of ``prefer`` keeps (a preference no row meets is skipped).

    Shared by :func:`mineralcalc.lenses.money.price_of` (one row, ties an error) and
    :func:`prices_by_market` (one price per market, ties averaged).
    """
    if year is not None:
        earlier = rows[rows["year"] <= year]
        rows = earlier if not earlier.empty else rows[rows["year"] == rows["year"].min()]
    rows = rows[rows["year"] == rows["year"].max()]
    for keep in prefer:
        mask = keep(rows)
        if len(rows) > 1 and mask.any():
            rows = rows[mask]
    return rows


def _pick(rows: pd.DataFrame, year: int | None, rates: Rates) -> pd.DataFrame:
    """The rows of one market that price it (see the module's docstring for the order)."""
    return latest_rows(
        rows,
        year,
        (
            lambda r: r["currency"].isin(["USD", *rates.usd_per]),
            lambda r: ~r["shared"].astype(bool),
            lambda r: r["form"] == "oxide",
            lambda r: ~r["alternative"].astype(bool),
        ),
    )


def prices_by_market(
    element: str, year: int | None, *, rates: Rates, tables: SecurityTables
) -> list[dict[str, Any]]:
    """One price per market of ``prices.csv`` that prices ``element``.

    A market is the table's ``market`` without its reporter in brackets (:func:`venue`):
    USGS's 2024 and 2023 averages are one market, its latest year up to ``year`` used.
    Several quotes of that year still tied (two weekly quotes, a quarter and a year) are
    all kept: the price is their mean, its range the lowest low to the highest high, and
    ``period`` lists them, never one picked by the order of the file.

    Parameters
    ----------
    element : str
        An element symbol.
    year : int, optional
        The year asked (each market's latest rows up to it, else its earliest).
    rates : Rates
        Checked exchange rates (:func:`~mineralcalc.lenses.money_checks.check_rates`).
    tables : SecurityTables
        The prices.

    Returns
    -------
    list of dict
        Per market, in the table's order: ``element``, ``market`` (the venue), ``quoted``
        (the table's market names), ``product``, ``period``, ``year``, ``quotes`` (rows
        used), ``low``, ``price``, ``high`` [USD/kg of the element; NaN without a rate],
        ``source`` (``;``-separated keys), ``why`` (empty, or the rate to give). An element
        without any price gives an empty list.
    """
    p = tables.prices
    rows = p[p["element"] == element]
    places = rows["market"].astype(str).map(venue)
    out: list[dict[str, Any]] = []
    for place in dict.fromkeys(places):
        used = _pick(rows[places == place], year, rates)
        entry: dict[str, Any] = {
            "element": element,
            "market": place,
            "quoted": "; ".join(dict.fromkeys(used["market"].astype(str))),
            "product": "; ".join(dict.fromkeys(used["product"].astype(str))),
            "period": "; ".join(dict.fromkeys(used["period"].astype(str))),
            "year": int(used["year"].iloc[0]),
            "quotes": len(used),
            "source": ";".join(dict.fromkeys(used["source"].astype(str))),
            "why": "",
        }
        try:
            prices = [
                [
                    float(v)
                    * rates.to_usd(str(r["currency"]), f"{place} ({element})", r["unit"])
                    / float(r["content"])
                    for v in r["per_kg"]
                ]
                for r in used.to_dict("records")
            ]
        except MineralcalcError:
            nan = float("nan")
            currency = str(used["currency"].iloc[0])
            entry.update(low=nan, price=nan, high=nan)
            entry["why"] = f"in {currency}: give {rates.example(currency)}"
        else:
            entry.update(
                low=min(q[0] for q in prices),
                price=sum(q[1] for q in prices) / len(prices),
                high=max(q[2] for q in prices),
            )
        out.append(entry)
    return out


def market_costs(
    tonnes: dict[str, float], year: int | None, *, rates: Rates, tables: SecurityTables
) -> list[dict[str, Any]]:
    """What ``tonnes`` of each element cost at each market's price.

    Parameters
    ----------
    tonnes : mapping of element to t
        The tonnes bought.
    year, rates, tables
        As in :func:`prices_by_market`.

    Returns
    -------
    list of dict
        :func:`prices_by_market`'s rows with ``tonnes`` [t] and ``cost_low``, ``cost``,
        ``cost_high`` [USD] = tonnes x 1000 x the market's low, central and high price
        (NaN where the market needs a rate).
    """
    out = []
    for el, t in tonnes.items():
        for row in prices_by_market(el, year, rates=rates, tables=tables):
            kg = float(t) * 1000
            row.update(
                tonnes=float(t),
                cost_low=kg * row["low"],
                cost=kg * row["price"],
                cost_high=kg * row["high"],
            )
            out.append(row)
    return out
