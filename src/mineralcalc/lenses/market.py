"""The market balance: modelled demand plus the uses a scenario does not model, against primary
and secondary supply, per element and year.

Demand is the modelled products plus their **other uses** (:mod:`mineralcalc.lenses.other_uses`).
Supply is named line by line, never folded together:

* **recorded mine output**: each country's output as the statistics give it (USGS, China's
  quota), each rare earth from the ore types its producers mine (:mod:`mineralcalc.lenses.ores`);
* **unrecorded output** (``unrecorded.csv``): what the statistics leave out (Laos's clays,
  Myanmar's exports above its recorded output, output outside China's quota), an estimate with
  its range and source; ``unrecorded=False`` leaves it out;
* **recycled fabrication scrap** (magnet swarf), for the ``gross`` basis only: the ``mined``
  basis nets that closed loop out of demand;
* **recycled end of life**: the published figure of the base year (``secondary.csv``); in
  later years that figure plus what the stock-flow model of the scenario's products recovers
  beyond its base-year level (:mod:`mineralcalc.lenses.stocks`: the end-of-life chain of
  ``recycling.csv``, or the scenario's ``[recycling]`` rates).

In years without figures supply follows a published outlook (:mod:`mineralcalc.lenses.projection`:
the IEA's base case of announced projects); demand above it is reported as announced supply
falling short (``shortfall``, t/yr): capacity still to be committed, not a deficit the market
will see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data.market_tables import EndUses
from ..data.supply_tables import stage_name
from ..elements import GROUPS
from ..errors import UnknownItemError, VolumeError, suggest
from ..estimate import GrowthLike
from .comparison import Comparison, spread_columns
from .market_rows import balance_columns
from .other_uses import other_use_arrays
from .projection import supplies_for, supply_for
from .stocks import stock_flow
from .supply import Supply

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["COMPARE_BASES", "compare", "supply_for"]

COMPARE_BASES = ("mined", "gross")
"""Bases a market balance can use: demand net of closed loops against primary output and
end-of-life recycling, or demand through the processes against all secondary supply."""

_GROUPS = ("REE", "LREE", "HREE", "magnet REE")


def _check(demand: Demand, supply: Any, groups: tuple[str, ...], basis: str) -> None:
    if supply is not None and not isinstance(supply, Supply):
        raise UnknownItemError(
            f"supply must be a Supply (from mineralcalc.supply(year)), got {type(supply).__name__}"
        )
    for g in groups:
        if g not in GROUPS:
            raise UnknownItemError(
                f"groups: {g!r} is not a group of elements ({suggest(str(g), GROUPS)})"
            )
    if basis not in COMPARE_BASES:
        raise UnknownItemError(
            f"basis {basis!r} cannot be compared with supply: use 'mined' (demand net of "
            "recycled scrap, against mine output and end-of-life recycling) or 'gross' "
            "(demand through the processes, against all secondary supply)"
        )


def compare(
    demand: Demand,
    supply: Supply | None = None,
    *,
    growth: GrowthLike = None,
    without: str | Iterable[str] = (),
    groups: Iterable[str] = _GROUPS,
    basis: str | None = None,
    other_uses: bool = True,
    end_uses: EndUses | None = None,
    stage: str = "mining",
    unrecorded: bool = True,
) -> Comparison:
    """The market balance: demand against world supply, per element and group and year.

    Demand is the modelled products plus the uses they do not model (published demand by
    end use; see :mod:`mineralcalc.lenses.other_uses`); supply is recorded mine output
    (each rare earth from its producers' ore types), unrecorded output and recycling (see
    :mod:`mineralcalc.lenses.market`). A year without figures follows a published outlook
    (:mod:`mineralcalc.lenses.projection`).

    Parameters
    ----------
    demand : Demand
        The demand (``d.compare()`` passes itself).
    supply : Supply, optional
        Default: the shipped figures of each demand year; for a year without figures,
        the latest earlier year's, carried along the outlook of ``outlook.csv`` country
        by country (the IEA's base case), or at ``growth`` for the commodities it names,
        or held (said in ``note``).
    growth : rate or mapping of commodity to rate, optional
        Supply growth per year for projections (default: the scenario's), instead of the
        outlook for the commodities it names (``"*"``: all).
    without : country or group names, optional
        Remove these from supply first (an export stop).
    groups : names of element groups
        Rare-earth groups to add as rows, compared in REO.
    basis : {'mined', 'gross'}, optional
        ``mined`` (the default for a mined-basis demand): demand net of closed recycling
        loops against mine output plus end-of-life recycling; ``gross``: demand through the
        processes against all secondary supply, recycled process scrap included.
    other_uses : bool, default True
        Add the uses the products do not model; ``False`` compares the products alone.
    end_uses : EndUses, optional
        Published demand by end use (default: the demand's tables, ``end_uses.csv``).
    stage : {'mining', 'refining'}, default 'mining'
        The stage of the chain whose output is the primary supply: ``refining`` compares
        with refined output (lithium chemicals, refined cobalt ...; rare earths: their mine
        output times the share of separation left after ``without``).
    unrecorded : bool, default True
        Count the output that recorded statistics leave out (``unrecorded.csv``: an
        estimate with a range and its source, in its own columns); ``False`` compares
        with recorded output and recycling only.

    Returns
    -------
    DataFrame
        One row per element (or group) and year: ``element``, ``year``, ``basis``
        (``metal``; ``oxide (REO)`` for groups), ``demand_basis`` (``mined`` or ``gross``),
        ``modelled`` (with ``modelled_low``, ``modelled_high``), ``other_uses`` (with
        ``other_low``, ``other_high``), ``demand`` = modelled + other uses (with
        ``demand_low``, ``demand_high``); supply line by line: ``recorded`` (mine output
        as the statistics give it), ``unrecorded`` (with low and high), ``primary`` =
        recorded + unrecorded, ``new_scrap`` (recycled fabrication scrap, gross basis only)
        and ``end_of_life`` (each with low and high), ``secondary`` = new scrap + end of
        life, ``supply`` = primary + secondary [t] (with low and high); ``share`` = demand
        / supply with ``share_low`` and ``share_high``; ``modelled_share`` = modelled /
        supply; ``balance`` = supply - demand (also as ``headroom``); ``shortfall``: in a
        projected year, how far demand exceeds the supply of the outlook (announced
        projects), t/yr; ``outlook``: what a projected year's supply follows;
        ``modelled_part`` = modelled / demand (the part of demand the products model; the
        word "coverage" is kept for :func:`~mineralcalc.lenses.risk.coverage`);
        ``supply_year``; ``note``. Sampled demands add ``demand_p5`` ... ``share_p95``.

    Notes
    -----
    Every element and year is computed in one pass over arrays
    (:func:`~mineralcalc.lenses.market_rows.balance_columns`): each year's supply is built
    once (the projected years from one pass over the outlook), and the supply of all the
    years that carry one recorded year's figures comes from one set of per-country arrays
    (:class:`~mineralcalc.lenses.supply_arrays.SupplyArrays`).
    """
    basis = demand.resolve_basis(basis)
    groups = tuple(groups)
    _check(demand, supply, groups, basis)
    stage = stage_name(stage)
    gone = (without,) if isinstance(without, str) else tuple(without)
    growth = demand.supply_growth if growth is None else growth
    # the same question of the same (immutable) demand against the shipped figures: asked
    # once (a report and its balance problem both ask it)
    key = None
    if supply is None and end_uses is None:
        key = ("compare", repr(growth), gone, groups, basis, other_uses, stage, bool(unrecorded))
        cached = demand.lens_cache.get(key)
        if cached is not None:
            again: Comparison = cached.copy()
            return again
    modelled = demand.element_array("t", basis=basis)
    other = (
        other_use_arrays(demand, basis, end_uses=end_uses, supply=supply, growth=growth)
        if other_uses
        else None
    )
    eol = _end_of_life(demand, supply, growth)

    def adjust(s: Supply) -> Supply:
        s = s.without(*gone) if gone else s
        return s if unrecorded else s.recorded()

    supplies = supplies_for(demand.years, supply, growth, demand.catalog.tables, adjust)
    table = balance_columns(
        demand,
        basis=basis,
        stage=stage,
        groups=groups,
        modelled=modelled,
        other=other,
        end_of_life=eol,
        supplies=supplies,
    )
    columns = table.columns
    if demand.samples is not None and basis == demand.basis:
        columns.update(
            spread_columns(
                demand, table.names, table.years, columns["other_uses"], columns["supply"]
            )
        )
    if table.names:
        columns["year"] = pd.array(columns["year"], dtype="Int64")
        frame = Comparison(columns)
    else:
        frame = Comparison([])
    frame.attrs.update(unit="t", basis=basis, stage=stage, unrecorded=bool(unrecorded))
    sources: set[str] = set()
    if other is not None:
        for k in np.nonzero(other.present.any(axis=0))[0].tolist():
            sources |= set(other.sources[k])
    frame.attrs["sources"] = sorted(sources)
    if key is not None:
        demand.lens_cache[key] = frame.copy()
    return frame


def _end_of_life(
    demand: Demand, supply: Supply | None, growth: GrowthLike
) -> tuple[dict[str, dict[int, float]], str]:
    """End-of-life recycling beyond the base year's published figure, per element and year:
    what the stock-flow model of the demand's products recovers in a year less what it
    recovers in the base year (the published figure already holds that). Empty when every
    year is the base year and the scenario sets no ``[recycling]`` rates."""
    years = [y for y in demand.years if y is not None]
    if not years:
        return {}, ""
    base = supply_for(years[0], supply, growth, demand.catalog.tables)[0]
    base_year = base.data_year or base.year
    if demand.recycling is None and all(y <= base_year for y in years):
        return {}, ""
    try:
        recovered = stock_flow(demand).recovered_by_element()
    except (VolumeError, UnknownItemError):
        return {}, "end-of-life recycling held at its base-year figure (no stock-flow model)"
    how = (
        "the scenario's [recycling] rates"
        if demand.recycling is not None
        else ("recycling.csv's end-of-life chain")
    )
    out = {
        el: {y: v - by_year.get(base_year, 0.0) for y, v in by_year.items()}
        for el, by_year in recovered.items()
    }
    return out, f"end of life: base-year figure + the stock-flow model's growth ({how})"
