"""Risk: what an export stop, a stockpile or growing demand means for a demand.

* :func:`coverage`: how far the rest of the world covers demand when some countries stop
  supplying (each rare earth losing the country's own output of it, from its ore types);
* :func:`stockpile_days`: the days of demand a stockpile covers;
* :func:`crossover`: the first year demand reaches supply.

Each is offered as a method of :class:`~mineralcalc.results.demand.Demand` too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd
import pint

from .. import elements as _el
from ..errors import VolumeError
from ..estimate import AmountLike, GrowthLike, parse_amount
from ..units import Q_, is_mass
from .market import compare

if TYPE_CHECKING:
    from ..results.demand import Demand
    from .supply import Supply

__all__ = ["coverage", "crossover", "stockpile_days"]


def coverage(
    demand: Demand,
    without: str | Iterable[str],
    supply: Supply | None = None,
    *,
    growth: GrowthLike = None,
    other_uses: bool = True,
    stage: str = "mining",
) -> pd.DataFrame:
    """How far the rest of the world's output covers demand if some countries stop supplying.

    Parameters
    ----------
    demand : Demand
        The demand (``d.coverage(...)`` passes itself).
    without : country or group names
        The countries (or groups of ``country_groups.csv``) that stop supplying.
    supply : Supply, optional
        Default: the shipped figures of each year, projected where needed (as
        :func:`~mineralcalc.lenses.market.compare`).
    growth : rate or mapping of commodity to rate, optional
        Supply growth for projected years (default: the scenario's, else the outlook).
    other_uses : bool, default True
        Demand with the uses the products do not model; ``False``: the products alone.
    stage : {'mining', 'refining'}, default 'mining'
        The stage whose output is the supply: ``refining`` asks what the rest of the world
        could refine (lithium chemicals, refined cobalt ...; rare earths: their separation).

    Returns
    -------
    DataFrame
        The :func:`~mineralcalc.lenses.market.compare` table for supply without ``without`` at
        ``stage``, with ``coverage`` = remaining supply / demand (1 = demand fully covered)
        and ``coverage_low`` (at high demand). Each rare earth loses the country's own output
        of it (from the ore types it mines), not a world-average share.

    Examples
    --------
    >>> import mineralcalc as mc
    >>> d = mc.demand(mc.load_scenario("baseline-2024"))  # doctest: +SKIP
    >>> d.coverage("China", stage="refining").set_index("element").loc["Li", "coverage"]
    ... # doctest: +SKIP
    """
    frame = compare(
        demand, supply, growth=growth, without=without, other_uses=other_uses, stage=stage
    )
    frame["coverage"] = frame["supply"] / frame["demand"]
    frame["coverage_low"] = frame["supply"] / frame["demand_high"]
    return frame


def stockpile_days(
    demand: Demand,
    stockpile: AmountLike,
    element: str | None = None,
    *,
    year: int | None = None,
) -> tuple[pint.Quantity, pint.Quantity, pint.Quantity]:
    """Days of demand a stockpile covers: (at high demand, central, at low demand).

    Parameters
    ----------
    stockpile : str or amount
        ``"5,000 t Nd"`` (element last), or a mass with ``element`` given.
    element : str, optional
        An element or group.
    year : int, optional
        Default: the first year of the demand.
    """
    if element is None:
        if not isinstance(stockpile, str) or len(stockpile.split()) < 2:
            raise VolumeError(
                f"stockpile {stockpile!r}: name the element ('5,000 t Nd') or pass element="
            )
        stockpile, element = stockpile.rsplit(None, 1)
    symbols = _el.resolve(element)
    mass = parse_amount(stockpile)
    if not is_mass(mass.unit):
        raise VolumeError(f"stockpile {stockpile!r} is not a mass (e.g. '5,000 t')")
    stock_t = mass.values("t")[1]
    ys = demand.select_indices(year if year is not None else demand.years[0], None)[1]
    per_year = demand.product_arrays(symbols)[:, :, ys].sum(axis=(1, 2)) / 1000.0
    days = [stock_t / (v / 365.25) if v > 0 else float("inf") for v in per_year]
    return (Q_(days[2], "day"), Q_(days[1], "day"), Q_(days[0], "day"))


def crossover(
    demand: Demand,
    element: str,
    supply: Supply | None = None,
    *,
    growth: GrowthLike = None,
    other_uses: bool = True,
) -> int | None:
    """The first year whose central demand of ``element`` reaches its supply, or None.

    Uses the demand's own years and :func:`~mineralcalc.lenses.market.compare`'s demand
    (modelled + other uses, or the products alone with ``other_uses=False``) and supply
    (projected at ``growth``, default the scenario's, beyond the years with figures).
    """
    name = (
        _el.oxide_name(element)
        if element in _el.GROUPS
        else element
        if element.endswith(_el.OXIDE_SUFFIX)
        else _el.resolve(element)[0]
    )
    frame = compare(demand, supply, growth=growth, other_uses=other_uses)
    rows = frame[(frame["element"] == name) & frame["share"].notna()]
    hit = rows[rows["share"] >= 1.0]
    return None if hit.empty else int(hit["year"].min())
