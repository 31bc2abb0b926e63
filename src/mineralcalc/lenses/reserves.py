"""Demand against mineral reserves: how much of the reserves a demand uses, and how many years
the reserves last at its last year's rate.

Reserves (``reserves.csv``, :mod:`mineralcalc.data.reserve_tables`; shipped: USGS Mineral
Commodity Summaries 2025) are set against the demand of the market balance
(:func:`mineralcalc.lenses.market.compare`: the modelled products plus, by default, the uses
they do not model), counted alike: rare earths as oxide (the ``REE (REO)`` row) against
reserves in REO, other commodities as their element (lithium metal, that is Li content)
against reserves of that content.

**Without countries.** ``without`` asks what is left outside some countries (an export stop
that also closes their deposits). That figure is the sum of the commodity's country rows that
are not removed, not the ``World`` row less the removed ones: USGS gives the world's rare-earth
reserves as "more than 90 Mt", a rounded lower bound, while the countries it lists add up to
90.88 Mt; subtracting China's 44 Mt from the rounded bound would mix it with exact figures and
lose the 0.88 Mt the rounding hides. Countries without a figure count as none, so the sum is a
floor. A commodity with a world figure only (lithium: 30 Mt, no country split read) has no
such figure: its ``reserves_without`` is NaN and its note says why, never the world figure.

**A static ratio.** ``rp_years`` (reserves over the last year's demand, as a
reserves-to-production ratio) says how long today's reserves would last at that rate; it is
not a forecast of depletion: reserves grow with exploration, technology and prices, and
demand changes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..data.tableset import TableSet
from ..elements import oxide_name
from ..errors import MineralcalcError, UnknownItemError
from ..results.demand import Demand
from .countries import CountryNames
from .growth import WORLD
from .market import compare
from .supply_elements import ELEMENT_OF

__all__ = ["RESERVE_FRAME_COLUMNS", "reserves"]

RESERVE_FRAME_COLUMNS = [
    "commodity",
    "element",
    "basis",
    "reserves_year",
    "reserves",
    "removed",
    "reserves_without",
    "first_year",
    "last_year",
    "years",
    "demand_last",
    "cumulative",
    "share",
    "share_without",
    "rp_years",
    "rp_years_without",
    "source",
    "note",
]
"""The columns of :func:`reserves`, in order."""


def reserves(
    demand: Demand,
    *,
    without: str | Iterable[str] = (),
    other_uses: bool = True,
    tables: TableSet | None = None,
) -> pd.DataFrame:
    """Cumulative demand against reserves, per commodity with reserves and demand.

    Parameters
    ----------
    demand : Demand
        The demand (``d.reserves()`` passes itself). Its demand per year is the market
        balance's (:func:`~mineralcalc.lenses.market.compare` with ``groups=("REE",)``):
        for rare earths the ``REE (REO)`` row [t REO], for another commodity its element's
        row [t of the element, e.g. Li metal = Li content].
    without : country or group names, optional
        Countries or groups of ``country_groups.csv`` whose reserves to leave out, matched
        as :meth:`mineralcalc.lenses.supply.Supply.without` matches them (any case, aliases
        of ``countries.csv``, groups expanded).
    other_uses : bool, default True
        Count the uses the products do not model (published demand by end use); ``False``
        sets the modelled products alone against the reserves.
    tables : TableSet, optional
        Where ``reserves.csv`` (and the country groups) are read from; default the demand's
        (``demand.catalog.tables``: a ``--tables`` folder over the shipped tables).

    Returns
    -------
    DataFrame
        One row per commodity that has reserves and a demand above zero, in the order of
        ``reserves.csv``:

        ``commodity``; ``element``: the balance row its demand comes from; ``basis``: of
        the reserves (``oxide``: REO; ``content`` or ``metal``: the element's mass);
        ``reserves_year``: of the latest figures, which are used; ``reserves`` [t]: the
        ``World`` row; ``removed``: the countries of ``without`` (``; ``-separated);
        ``reserves_without`` [t]: the sum of the country rows not removed (with nothing
        removed, every country row), NaN where the table has no country rows;
        ``first_year``, ``last_year`` and ``years`` [years]: the span of the demand's years
        (every calendar year from the first to the last; years between computed ones are
        interpolated linearly); ``demand_last`` [t/yr]: the last year's demand;
        ``cumulative`` [t]: demand summed over ``years``; ``share`` and ``share_without``
        (fractions): ``cumulative`` over ``reserves`` and over ``reserves_without``;
        ``rp_years`` and ``rp_years_without`` [years]: ``reserves`` (``reserves_without``)
        over ``demand_last``, infinite when the last year has no demand: a static ratio,
        not a forecast (reserves grow with exploration and prices); ``source``: the
        reserves' source keys; ``note``.

        ``attrs``: ``sources`` (the reserves' and the other uses' source keys), ``without``
        (the names as given), ``removed``, ``other_uses``, ``left_out`` (commodity -> why it
        has no row: no demand, or no balance row for it), ``unit`` (``t``).

    Raises
    ------
    UnknownItemError
        ``demand`` that is no :class:`~mineralcalc.results.demand.Demand`, ``tables`` that
        is no :class:`~mineralcalc.data.tableset.TableSet`, ``other_uses`` that is no bool,
        or ``without`` naming something that is no country or group (with the closest
        names).
    TableError
        A ``reserves.csv`` (yours or shipped) that cannot be read: ``file:row: column``.
    """
    _check(demand, other_uses, tables)
    tset = demand.catalog.tables if tables is None else tables
    table = tset.reserves
    names = _names(tset, table)
    gone = _without(without)
    try:
        removed = names.resolve(gone) if gone else ()
    except MineralcalcError as e:
        raise type(e)(f"without: {e}") from None
    balance = compare(demand, groups=("REE",), other_uses=other_uses)
    rows: list[dict[str, Any]] = []
    left_out: dict[str, str] = {}
    sources: set[str] = set()
    for commodity in dict.fromkeys(table["commodity"]):
        element = oxide_name("REE") if commodity == "REE" else ELEMENT_OF.get(commodity)
        if element is None:
            left_out[commodity] = "no row of the market balance for it"
            continue
        mine = balance[balance["element"] == element]
        if mine.empty:
            left_out[commodity] = "no demand"
            continue
        span = _cumulative(mine)
        if not span["cumulative"] > 0:
            left_out[commodity] = "no demand"
            continue
        figures = table[table["commodity"] == commodity]
        figures = figures[figures["year"] == figures["year"].max()]
        row = _row(commodity, element, figures, removed, span)
        sources.update(figures["source"])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=RESERVE_FRAME_COLUMNS)
    frame.attrs.update(
        sources=sorted(sources | set(balance.attrs.get("sources", ()))),
        without=gone,
        removed=removed,
        other_uses=other_uses,
        left_out=left_out,
        unit="t",
    )
    return frame


def _check(demand: Any, other_uses: Any, tables: Any) -> None:
    if not isinstance(demand, Demand):
        raise UnknownItemError(
            f"demand must be a Demand (from mineralcalc.demand(...)), got {type(demand).__name__}"
        )
    if not isinstance(other_uses, bool):
        raise UnknownItemError(f"other_uses must be True or False, got {other_uses!r}")
    if tables is not None and not isinstance(tables, TableSet):
        raise UnknownItemError(
            f"tables must be a TableSet (a catalog's tables: mineralcalc.Catalog.from_tables("
            f"folder).tables), got {type(tables).__name__}"
        )


def _without(without: Any) -> tuple[str, ...]:
    """``without`` as a tuple of names; an error naming it for anything else."""
    names = (without,) if isinstance(without, str) else without
    if not isinstance(names, Iterable) or not all(isinstance(n, str) for n in names):
        raise UnknownItemError(
            f"without: give a country or group name, or several (('China', 'Russia')), got "
            f"{without!r}"
        )
    return tuple(names)


def _names(tset: TableSet, table: pd.DataFrame) -> CountryNames:
    """The names ``without`` may use: the supply tables' countries and groups, as the supply
    lens matches them, and every country with reserves."""
    supply = tset.supply
    named = set(supply.supply["country"]) | set(supply.unrecorded["country"])
    named |= set(table["country"])
    aliases = supply.places.aliases if supply.places is not None else {}
    return CountryNames(tuple(sorted(named - {WORLD})), supply.groups, aliases)


def _cumulative(rows: pd.DataFrame) -> dict[str, Any]:
    """The demand of one balance row over the demand's span of years: first and last year,
    number of years, last year's demand [t/yr], cumulative demand [t], whether years between
    computed ones were interpolated."""
    years = rows["year"]
    demand = rows["demand"].to_numpy(dtype=float)
    if years.isna().any():  # volumes without years: one unnamed year
        return {
            "first": pd.NA,
            "last": pd.NA,
            "years": 1,
            "last_demand": float(demand[-1]),
            "cumulative": float(demand.sum()),
            "interpolated": False,
        }
    known = years.to_numpy(dtype=int)
    every = np.arange(known[0], known[-1] + 1)
    values = np.interp(every, known, demand)
    return {
        "first": int(known[0]),
        "last": int(known[-1]),
        "years": len(every),
        "last_demand": float(demand[-1]),
        "cumulative": float(values.sum()),
        "interpolated": len(every) > len(known),
    }


def _ratio(a: float, b: float) -> float:
    """``a / b`` for reserves and demand: NaN when ``a`` is, infinite for ``b`` = 0."""
    if math.isnan(a):
        return math.nan
    return a / b if b > 0 else math.inf


def _row(
    commodity: str,
    element: str,
    figures: pd.DataFrame,
    removed: tuple[str, ...],
    span: dict[str, Any],
) -> dict[str, Any]:
    world = figures[figures["country"] == WORLD]
    countries = figures[figures["country"] != WORLD]
    total = float(world["reserves"].iloc[0])
    notes = [str(world["note"].iloc[0])] if world["note"].iloc[0] else []
    if countries.empty:
        left = math.nan
        notes.append("no country split in reserves.csv: the reserves without countries unknown")
    else:
        left = float(countries.loc[~countries["country"].isin(removed), "reserves"].sum())
        if removed:
            notes.append("the reserves without countries: the sum of the other countries' rows")
    if span["interpolated"]:
        notes.append("demand between computed years interpolated linearly")
    cumulative, last = span["cumulative"], span["last_demand"]
    return {
        "commodity": commodity,
        "element": element,
        "basis": str(world["basis"].iloc[0]),
        "reserves_year": int(world["year"].iloc[0]),
        "reserves": total,
        "removed": "; ".join(removed),
        "reserves_without": left,
        "first_year": span["first"],
        "last_year": span["last"],
        "years": span["years"],
        "demand_last": last,
        "cumulative": cumulative,
        "share": cumulative / total if total > 0 else math.inf,
        "share_without": _ratio(cumulative, left) if not math.isnan(left) else math.nan,
        "rp_years": _ratio(total, last),
        "rp_years_without": _ratio(left, last),
        "source": "; ".join(sorted(set(figures["source"]))),
        "note": "; ".join(notes),
    }
