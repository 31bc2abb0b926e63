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
from ..elements import ELEMENTS, GROUPS, OXIDES, oxide_name
from ..errors import UnknownItemError, VolumeError, suggest
from .comparison import Comparison, add_spread
from .other_uses import OTHER_COLUMNS
from .other_uses import other_uses as uses_not_modelled
from .projection import supply_for
from .stocks import stock_flow
from .supply import Supply, commodity_of

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["COMPARE_BASES", "compare", "supply_for"]

COMPARE_BASES = ("mined", "gross")
"""Bases a market balance can use: demand net of closed loops against primary output and
end-of-life recycling, or demand through the processes against all secondary supply."""

_GROUPS = ("REE", "LREE", "HREE", "magnet REE")
_ZERO = np.zeros(3)


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
    growth: Any = None,
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
        projects), t/yr; ``outlook``: what a projected year's supply follows; ``coverage``
        = modelled / demand; ``supply_year``; ``note``. Sampled demands add
        ``demand_p5`` ... ``share_p95``.
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
        key = ("compare", repr(growth), gone, groups, basis, other_uses, stage,
               bool(unrecorded))  # fmt: skip
        cached = demand.lens_cache.get(key)
        if cached is not None:
            return cached.copy()
    elements, tonnes = demand.element_array("t", basis=basis)
    other = (
        uses_not_modelled(demand, basis, end_uses=end_uses, supply=supply, growth=growth)
        if other_uses
        else pd.DataFrame(columns=OTHER_COLUMNS)
    )
    eol, eol_note = _end_of_life(demand, supply, growth)
    rows: list[dict[str, Any]] = []
    for y, year in enumerate(demand.years):
        sup, how = supply_for(year, supply, growth, demand.catalog.tables)
        if gone:
            sup = sup.without(*gone)
        if not unrecorded:
            sup = sup.recorded()
        extra = other[other["year"] == year] if year is not None else other.iloc[0:0]
        names = list(elements) + [e for e in extra["element"] if e not in elements]
        by_el: dict[str, dict[str, Any]] = {}
        for el in (e for e in ELEMENTS if e in names):
            k = elements.index(el) if el in elements else None
            m = tonnes[:, y, k] if k is not None else _ZERO
            o = extra[extra["element"] == el]
            o_vals = (np.array([o["other_low"].iloc[0], o["other"].iloc[0],
                                o["other_high"].iloc[0]]) if len(o) else _ZERO)  # fmt: skip
            amount, sbasis, note = sup.element(el, stage)
            unrec = np.array(sup.unrecorded_element(el, stage))
            scrap, end = _recycled(sup, el, stage, basis, eol, year)
            notes = [note, _rate(how, sup, el)]
            if el in eol and eol_note and (stage == "mining" or commodity_of(el) == "REE"):
                notes.append(eol_note)
            if len(o):
                notes.append(str(o["note"].iloc[0]))
            parts = (amount, unrec, scrap, end)
            outlook = sup.outlook_of(commodity_of(el) or el)
            row = _row(
                el, year, sbasis, m, o_vals, parts, outlook, notes, basis, sup.data_year or sup.year
            )
            by_el[el] = row
            rows.append(add_spread(demand, row, el, year, None))
        for g in groups:
            group = _group_row(demand, g, by_el, y, year, sup, how, stage, basis)
            if group is not None:
                rows.append(add_spread(demand, group, group["element"], year, None))
    frame = Comparison(rows)
    if not frame.empty:
        frame["year"] = frame["year"].astype("Int64")
    frame.attrs.update(unit="t", basis=basis, stage=stage, unrecorded=bool(unrecorded))
    frame.attrs["sources"] = (
        sorted({s for ss in other["sources"] for s in ss}) if len(other) else []
    )
    if key is not None:
        demand.lens_cache[key] = frame.copy()
    return frame


def _recycled(
    sup: Supply, el: str, stage: str, basis: str, eol: dict[str, dict[int, float]], year: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Recycled fabrication scrap and end-of-life supply of ``el`` [t metal], (low, central,
    high) each. Refined output (USGS copper, the IEA's lithium, cobalt and nickel) already holds
    the recycled feed: only mine output and rare-earth separation get recycling added."""
    if stage != "mining" and commodity_of(el) != "REE":
        return _ZERO, _ZERO
    scrap = np.array(sup.secondary(el, "new scrap")) if basis == "gross" else _ZERO
    end = np.array(sup.secondary(el, "end of life"))
    if el in eol and year is not None:
        end = np.maximum(end + eol[el].get(int(year), 0.0), 0.0)
    return scrap, end


def _end_of_life(
    demand: Demand, supply: Supply | None, growth: Any
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
    how = "the scenario's [recycling] rates" if demand.recycling is not None else (
        "recycling.csv's end-of-life chain")  # fmt: skip
    out = {
        el: {y: v - by_year.get(base_year, 0.0) for y, v in by_year.items()}
        for el, by_year in recovered.items()
    }
    return out, f"end of life: base-year figure + the stock-flow model's growth ({how})"


def _group_row(
    demand: Demand,
    g: str,
    by_el: dict[str, dict[str, Any]],
    y: int,
    year: Any,
    sup: Supply,
    how: str,
    stage: str,
    basis: str,
) -> dict[str, Any] | None:
    """One REE group's row, in REO: members' demand and recycling weighted to oxide. A
    member with demand and no supply figure (scandium: no ore type gives it, and USGS's REO
    leaves it out) is left out of the group, said in the note, rather than poisoning it."""
    members = tuple(m for m in GROUPS[g] if m not in by_el or np.isfinite(by_el[m]["supply"]))
    left_out = [m for m in GROUPS[g] if m not in members]
    if not any(m in by_el for m in members):
        return None
    weights = tuple(1.0 / OXIDES[m].metal_fraction for m in members)
    m_arr = demand.product_arrays(members, weights, basis)[:, :, y].sum(axis=1) / 1000.0
    acc = {k: np.zeros(3) for k in ("other", "scrap", "end")}
    for mem, w in zip(members, weights, strict=True):
        r = by_el.get(mem)
        if r is None:
            continue
        acc["other"] += np.array([r["other_low"], r["other_uses"], r["other_high"]]) * w
        acc["scrap"] += np.nan_to_num([r["new_scrap_low"], r["new_scrap"], r["new_scrap_high"]]) * w
        acc["end"] += np.nan_to_num([r["end_of_life_low"], r["end_of_life"],
                                     r["end_of_life_high"]]) * w  # fmt: skip
    primary, note = sup.group_oxide(GROUPS[g], stage)  # a member left out supplies nothing
    unrec = np.array(sup.group_unrecorded(GROUPS[g], stage))
    notes = [note, _rate(how, sup, "REE")]
    if left_out:
        notes.append(f"{', '.join(left_out)} left out (no supply data)")
    name = oxide_name(g)
    parts = (primary, unrec, acc["scrap"], acc["end"])
    outlook = sup.outlook_of("REE")
    return _row(
        name,
        year,
        "oxide (REO)",
        m_arr,
        acc["other"],
        parts,
        outlook,
        notes,
        basis,
        sup.data_year or sup.year,
    )


def _row(
    name: str,
    year: int | None,
    basis: str,
    modelled: np.ndarray,
    other: np.ndarray,
    parts: tuple[float, np.ndarray, np.ndarray, np.ndarray],
    outlook: str,
    notes: list[str],
    demand_basis: str,
    supply_year: int,
) -> dict[str, Any]:
    """One row of the balance. ``outlook``: what a projected year's supply follows (empty
    for recorded figures)."""
    recorded, unrec, scrap, end = parts
    ok = bool(np.isfinite(recorded) and recorded > 0)
    text = [n for n in notes if n]
    if not ok and not any("no supply" in n for n in text):
        text.insert(0, "no supply data")
    d = modelled + other  # low, central, high
    nan3 = np.full(3, np.nan)
    unrec, scrap, end = (v if ok else nan3 for v in (unrec, scrap, end))
    secondary = scrap + end
    supply = recorded + unrec + secondary if ok else nan3
    projected = bool(outlook)
    short = max(0.0, d[1] - supply[1]) if ok else np.nan
    balance = supply[1] - d[1] if ok else np.nan
    if ok and abs(balance) <= 1e-9 * max(supply[1], d[1]):
        balance = 0.0  # a market that clears, not a rounding error
    if ok and d[1] > supply[1]:
        text.append(
            f"supply ({outlook}) falls short by {short:,.0f} t/yr" if projected
            else "demand above supply"
        )  # fmt: skip
    return {
        "element": name, "year": year, "basis": basis, "demand_basis": demand_basis,
        "modelled": modelled[1], "modelled_low": modelled[0], "modelled_high": modelled[2],
        "other_uses": other[1], "other_low": other[0], "other_high": other[2],
        "demand": d[1], "demand_low": d[0], "demand_high": d[2],
        "recorded": recorded if ok else np.nan,
        "unrecorded": unrec[1], "unrecorded_low": unrec[0], "unrecorded_high": unrec[2],
        "primary": recorded + unrec[1] if ok else np.nan,
        "new_scrap": scrap[1], "new_scrap_low": scrap[0], "new_scrap_high": scrap[2],
        "end_of_life": end[1], "end_of_life_low": end[0], "end_of_life_high": end[2],
        "secondary": secondary[1], "secondary_low": secondary[0], "secondary_high": secondary[2],
        "supply": supply[1], "supply_low": supply[0], "supply_high": supply[2],
        "share": d[1] / supply[1] if ok else np.nan,
        "share_low": d[0] / supply[2] if ok else np.nan,
        "share_high": d[2] / supply[0] if ok else np.nan,
        "modelled_share": modelled[1] / supply[1] if ok else np.nan,
        "balance": balance,
        "headroom": balance,
        "shortfall": short if projected else np.nan,
        "coverage": modelled[1] / d[1] if d[1] > 0 else np.nan,
        "supply_year": supply_year,
        "outlook": outlook,
        "note": "; ".join(text),
    }  # fmt: skip


def _rate(how: str, sup: Supply, element_or_commodity: str) -> str:
    """The projection note: what the commodity behind an element follows, and at what rate."""
    if not how.startswith("supply projected"):
        return how
    commodity = commodity_of(element_or_commodity)
    if commodity is None:
        return ""
    base = sup.data_year or sup.year
    if sup.carried.outlooks.get(commodity) or "*" in sup.carried.rates:
        return f"{how} along {sup.outlook_of(commodity)}"
    return f"supply held at {base} (no outlook for {commodity})"
