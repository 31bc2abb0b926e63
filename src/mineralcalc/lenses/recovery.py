"""How far recovered end-of-life mass meets demand (``report --stocks``): per element and year,
a stock model's stock, outflow and recovered mass beside the market balance's demand, and the
process scrap recycled within the year (magnet swarf, cell-making scrap), which the stock
model does not hold: it never enters use.

:func:`recovery` gives the frame; :func:`new_scrap` the recycled process scrap;
:func:`shown_years` the years a summary shows of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..elements import GROUPS

if TYPE_CHECKING:
    from ..results.demand import Demand
    from ..results.stocks import StockFlow

__all__ = [
    "BATTERY_METALS",
    "DEFAULT_ELEMENTS",
    "SHOWN_EVERY",
    "by_product",
    "new_scrap",
    "recovery",
    "shown_years",
]

BATTERY_METALS: tuple[str, ...] = ("Li", "Co", "Ni", "C", "Cu")
"""The metals of lithium-ion batteries whose end-of-life chain ``recycling.csv`` gives by
product (graphite as ``C``)."""

DEFAULT_ELEMENTS: tuple[str, ...] = GROUPS["magnet REE"] + BATTERY_METALS
"""The elements :func:`recovery` gives when none are named: the magnet rare earths, then the
battery metals."""

SHOWN_EVERY = 5
"""Years between the rows a summary shows (:func:`shown_years`)."""


def new_scrap(demand: Demand) -> dict[tuple[str, int], float]:
    """Process scrap recycled within the year, by element and year [t]: the demand's gross less
    its mined demand, summed over its products (magnet swarf, the cell-making scrap of
    batteries). It is secondary supply beside end of life, but never in use, so the stock
    model (whose ``recovered`` is end of life only) does not hold it.

    Parameters
    ----------
    demand : Demand

    Returns
    -------
    dict
        ``{(element, year): t}``, central values, for every element with demand in each of
        the demand's years (none for a demand without years).
    """
    names_g, gross = demand.element_array("t", basis="gross")
    names_m, mined = demand.element_array("t", basis="mined")
    at = {el: k for k, el in enumerate(names_m)}
    out: dict[tuple[str, int], float] = {}
    for y, year in enumerate(demand.years):
        if year is None:
            continue
        for k, el in enumerate(names_g):
            m = float(mined[1, y, at[el]]) if el in at else 0.0
            out[(el, int(year))] = max(float(gross[1, y, k]) - m, 0.0)
    return out


def recovery(
    balance: pd.DataFrame,
    model: StockFlow,
    elements: Sequence[str] | None = None,
    scrap: Mapping[tuple[str, int], float] | None = None,
) -> pd.DataFrame:
    """Per element and year: the stock model's masses and the share of demand recovery meets.

    Parameters
    ----------
    balance : DataFrame
        The market balance of the demand the model was built from
        (:func:`mineralcalc.lenses.market.compare`: modelled products plus other uses); its
        ``demand`` column gives each element's demand of a year.
    model : StockFlow
        The stock model (:meth:`Demand.stock_model`).
    elements : sequence of str, optional
        The elements, in the order wanted; default the magnet rare earths and the battery
        metals the model holds (:data:`DEFAULT_ELEMENTS`).
    scrap : mapping, optional
        Process scrap recycled within the year, ``{(element, year): t}`` (:func:`new_scrap`
        of the same demand); given, the frame has a ``new_scrap`` column.

    Returns
    -------
    pandas.DataFrame
        :meth:`StockFlow.by_element`'s columns (``element``, ``year``, ``inflow``, ``stock``,
        ``outflow``, ``recovered`` [t], ``*_p5``/``*_p95`` when sampled) for ``elements``, by
        element in their order then by year; ``demand`` [t], the balance's demand of the
        element and year (NaN where it has none); ``of_demand``, recovered over demand (NaN
        where demand is not above zero): ``recovered`` is end of life only. With ``scrap``,
        ``new_scrap`` [t], the process scrap recycled in the year (NaN in years the demand
        does not model: history, years between a scenario's). ``attrs``: ``unit``, ``first`` (the
        scenario's first year), ``elements``.
    """
    if elements is None:
        elements = [e for e in DEFAULT_ELEMENTS if e in model.elements]
    order = {e: k for k, e in enumerate(elements)}
    frame = model.by_element()
    frame = frame[frame["element"].isin(list(elements))].sort_values(
        ["element", "year"], key=lambda c: c.map(order) if c.name == "element" else c
    )
    need = {
        (str(e), int(y)): float(v)
        for e, y, v in zip(balance["element"], balance["year"], balance["demand"], strict=True)
        if y == y  # a balance without years has none to match
    }
    wanted = [
        need.get((str(e), int(y)), np.nan)
        for e, y in zip(frame["element"], frame["year"], strict=True)
    ]
    have = np.asarray(wanted, dtype=float)
    recovered = frame["recovered"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(have > 0, recovered / have, np.nan)
    frame = frame.assign(demand=have, of_demand=share)
    if scrap is not None:
        modelled = {y for _, y in scrap}  # the demand's years: none is NaN, not 0
        made = [
            scrap.get((str(e), int(y)), 0.0 if int(y) in modelled else np.nan)
            for e, y in zip(frame["element"], frame["year"], strict=True)
        ]
        frame = frame.assign(new_scrap=np.asarray(made, dtype=float))
    frame.attrs.update(elements=list(elements))
    return frame


def shown_years(model: StockFlow, every: int = SHOWN_EVERY) -> list[int]:
    """The years a summary of ``model`` shows: the scenario's first year, every ``every``
    years after it, and the last year.

    Parameters
    ----------
    model : StockFlow
    every : int, default 5
        Years between rows.
    """
    step = [y for y in model.years if y >= model.first and (y - model.first) % every == 0]
    return sorted({*step, model.years[-1]})


def by_product(
    model: StockFlow, elements: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """The stock model per product: what each product holds in use, and its flows.

    Parameters
    ----------
    model : StockFlow
        The stock model (:meth:`Demand.stock_model`).
    elements : sequence of str, optional
        Default: the magnet rare earths and battery metals the model holds
        (:data:`DEFAULT_ELEMENTS`).
    years : sequence of int, optional
        Default: :func:`shown_years`.

    Returns
    -------
    pandas.DataFrame
        :meth:`StockFlow.frame`'s rows for ``elements`` and ``years``: ``year``, ``product``,
        ``element``, ``inflow``, ``stock`` (in use), ``outflow`` (end of life), ``recovered``
        [t], by year, element in their order, then the largest stock first.
    """
    if elements is None:
        elements = [e for e in DEFAULT_ELEMENTS if e in model.elements]
    years = shown_years(model) if years is None else list(years)
    order = {e: k for k, e in enumerate(elements)}
    frame = model.frame()
    frame = frame[frame["element"].isin(list(elements)) & frame["year"].isin(years)]
    frame = frame.assign(_e=frame["element"].map(order), _s=-frame["stock"])
    frame = frame.sort_values(["year", "_e", "_s"], kind="stable").drop(columns=["_e", "_s"])
    frame = frame.reset_index(drop=True)
    frame.attrs.update(unit="t", elements=list(elements), years=years)
    return frame
