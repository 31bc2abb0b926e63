"""The uses of each element that a scenario's products do not model.

A catalog models some products; the world uses each element in many more. Comparing the
modelled part alone with world output overstates the headroom. So the market balance
(:mod:`mineralcalc.lenses.market`) adds the **other uses** from published demand by end use
(``end_uses.csv``), without counting anything twice:

* each published row is an end use of an element in a year (the IEA's EVs, wind and "other
  uses" of the magnet rare earths), with the products that model it (``covered_by``); a
  catch-all row (``*``) takes every product no other row of the element lists;
* an end use whose every product the scenario holds (``bev`` and ``phev`` for the IEA's EVs)
  is modelled, not published: the products' demand replaces the published figure, above it or
  below it, and the published figure is a check (``mineralcalc validate``); unless the table
  says the products hold only part of what the figure counts (``covers = part``: the IEA's
  battery demand counts cell-making scrap that cathode formulas leave out), when the figure
  stays a floor;
* for an end use the scenario models in part or not at all, and for the catch-all,
  ``other = max(0, published - modelled)``, both in the row's stage (``contained`` or ``first
  use``, compared with the ``gross`` basis): where the scenario models more, it wins;
* between given years published figures are interpolated linearly; beyond the last year they
  grow at the row's rate, else they are held;
* the other uses are carried into the comparison's basis with the ratio of the modelled
  demand in the two bases (the same process losses and loops);
* an element no source splits by end use (``clearing.csv``: La, Ce, Y and the other
  non-magnet rare earths, manganese) is taken to clear the market in the base year: its other
  uses are that year's supply (recorded, unrecorded and recycled) less the modelled demand of
  that year, and grow at the table's rate after it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data.market_tables import EndUses
from .projection import supply_for
from .supply import Supply, commodity_of
from .supply import supply as supply_of

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["OTHER_COLUMNS", "other_uses"]

OTHER_COLUMNS = ["element", "year", "other", "other_low", "other_high", "published", "note",
                 "sources"]  # fmt: skip

_STAGE_BASIS = {"contained": "contained", "first use": "gross"}


def _published(rows: pd.DataFrame, year: int) -> tuple[float, float, float, str]:
    """A published series (rows of one end use and element) at ``year``: low, central, high,
    and how it was obtained."""
    rows = rows.sort_values("year")
    years = rows["year"].to_numpy()
    vals = rows[["low", "amount", "high"]].to_numpy(dtype=float)
    if year in years:
        v = vals[list(years).index(year)]
        return float(v[0]), float(v[1]), float(v[2]), ""
    if year < years[0]:
        v = vals[0]
        return float(v[0]), float(v[1]), float(v[2]), f"held at {years[0]}"
    if year > years[-1]:
        g = float(rows["growth"].iloc[-1])
        n = year - int(years[-1])
        f = (1 + g) ** n if g == g else 1.0
        how = f"{years[-1]} figure grown {g:+.1%}/yr" if g == g else f"held at {years[-1]}"
        v = vals[-1] * f
        return float(v[0]), float(v[1]), float(v[2]), how
    k = int(np.searchsorted(years, year))
    t = (year - years[k - 1]) / (years[k] - years[k - 1])
    v = vals[k - 1] + t * (vals[k] - vals[k - 1])
    return float(v[0]), float(v[1]), float(v[2]), ""


def other_uses(
    demand: Demand,
    basis: str | None = None,
    *,
    end_uses: EndUses | None = None,
    clearing: pd.DataFrame | None = None,
    supply: Supply | None = None,
    growth: Any = None,
) -> pd.DataFrame:
    """The uses of each element that the demand's products do not model, per year.

    Parameters
    ----------
    demand : Demand
    basis : {'mined', 'gross', 'contained'}, optional
        The basis to express them in (default: the demand's).
    end_uses : EndUses, optional
        Published demand by end use (default: ``end_uses.csv`` of the demand's tables,
        ``demand.catalog.tables``).
    clearing : DataFrame, optional
        Elements whose market clears in the base year, with the growth of their other uses
        (default: ``clearing.csv`` of the demand's tables).
    supply, growth
        The supply whose base year the clearing elements take (see
        :func:`~mineralcalc.lenses.projection.supply_for`).

    Returns
    -------
    DataFrame
        One row per element and year with other uses: ``element``, ``year``, ``other``,
        ``other_low``, ``other_high`` [t metal], ``published`` (the published total of the
        element's end uses, in their stages, or the base year's supply for a clearing element)
        and ``note`` (which end uses, how they were carried, where modelled demand exceeds a
        published figure), ``sources``.
    """
    basis = demand.resolve_basis(basis)
    tables = demand.catalog.tables
    table = (end_uses if end_uses is not None else tables.end_uses).frame
    clears = clearing if clearing is not None else tables.clearing
    rows: list[dict[str, Any]] = []
    per_element = {el for el in table["element"]} if not table.empty else set()
    listed = {p for covered in table["covered_by"] for p in covered} if not table.empty else set()
    known = [k for k, p in enumerate(demand.products) if p in listed or p in demand.within]
    new = [p for p in demand.products if p not in listed and p not in demand.within]
    cleared = _cleared(demand, clears, per_element, supply, growth, basis, known)
    for y, year in enumerate(demand.years):
        if year is None:
            continue
        for el in sorted(per_element):
            rows.append(
                _element_other(demand, table[table["element"] == el], el, y, year, basis, new)
            )
        for el, (base_year, other_base, rate, note, source) in cleared.items():
            n = year - base_year
            lo, c, hi = (other_base * (1 + g) ** n for g in rate)
            how = note if n == 0 else f"{note}; grown {rate[1]:+.1%}/yr since {base_year}"
            rows.append(
                {"element": el, "year": year, "other": c, "other_low": lo, "other_high": hi,
                 "published": other_base, "note": how,
                 "sources": ("estimate-market-clears", source)}
            )  # fmt: skip
    frame = pd.DataFrame(rows, columns=OTHER_COLUMNS)
    return frame[frame["other_high"] > 0].reset_index(drop=True)


def _cleared(
    demand: Demand,
    clears: pd.DataFrame,
    published: set[str],
    supply: Supply | None,
    growth: Any,
    basis: str,
    known: list[int],
) -> dict[str, tuple[int, float, tuple[float, float, float], str, str]]:
    """For each clearing element: the base year, its other uses then [t metal, in the
    comparison's basis], the growth rates (low, central, high), a note and the rate's
    source. The market clears with the ``known`` products (indices: those an end use lists
    or a volume declares ``within``); any other product is new demand on top of it."""
    years = [y for y in demand.years if y is not None]
    if not years or clears.empty:
        return {}
    tables = demand.catalog.tables
    sup, _ = supply_for(years[0], supply, growth, tables)
    base = sup if sup.data_year in (None, sup.year) else supply_of(sup.data_year, tables)
    base = base.unremoved()
    base_year = base.year
    # the modelled demand of the base year, or of the demand's first year without it
    y0, when = (years.index(base_year), base_year) if base_year in years else (0, years[0])
    out = {}
    for r in clears.to_dict("records"):
        el = str(r["element"])
        if el in published or commodity_of(el) is None:
            continue
        primary = base.element(el)[0]
        if not math.isfinite(primary) or primary <= 0:
            continue
        # the base year's supply in the comparison's basis: the mined basis nets recycled
        # process scrap out of demand, so it leaves it out of the supply that cleared too
        scrap = base.secondary(el, "new scrap")[1] if basis != "gross" else 0.0
        total = primary + base.unrecorded_element(el)[1] + base.secondary(el)[1] - scrap
        other = max(0.0, total - _modelled(demand, el, y0, basis, known))
        note = f"market assumed to clear: {base_year} supply less the modelled demand of {when}"
        rate = (float(r["growth_low"]), float(r["growth"]), float(r["growth_high"]))
        out[el] = (base_year, other, rate, note, str(r["source"]))
    return out


def _modelled(demand: Demand, el: str, y: int, basis: str, products: Iterable[int]) -> float:
    """Central modelled demand of ``el`` in year index ``y`` [t] from some products."""
    ps = list(products)
    if not ps or el not in demand.elements_of(basis):
        return 0.0
    arr = demand.product_arrays((el,), None, basis)[1]  # (P, Y) kg
    return float(arr[ps, y].sum()) / 1000.0


def _ratio(
    demand: Demand, el: str, y: int, basis: str, stage_basis: str, products: list[int]
) -> float:
    """Modelled demand in ``basis`` over modelled demand in ``stage_basis`` of ``products``
    (1 if they have none): how a published figure in the stage's basis converts."""
    if basis == stage_basis:
        return 1.0
    den = _modelled(demand, el, y, stage_basis, products)
    return _modelled(demand, el, y, basis, products) / den if den > 0 else 1.0


def _element_other(
    demand: Demand,
    table: pd.DataFrame,
    el: str,
    y: int,
    year: int,
    basis: str,
    new: list[str],
) -> dict[str, Any]:
    """One element's other uses in one year: each published end use less the products that
    model it (in the figure's stage, converted to the comparison's basis at the ratio of the
    products the table lists) less the products a scenario declares ``within`` it (in the
    comparison's basis), so adding a product can only raise total demand."""
    products = list(demand.products)
    index = {p: k for k, p in enumerate(products)}
    claimed: set[str] = set()
    for covered in table["covered_by"]:
        claimed |= set(covered)
    listed = [index[p] for p in claimed if p in index]
    inside: dict[str, list[int]] = {}
    for p, within in demand.within.items():
        inside.setdefault(within, []).append(index[p])
    totals = [0.0, 0.0, 0.0]
    published = 0.0
    notes: list[str] = []
    sources: set[str] = set()
    for use, rows in table.groupby("end_use", sort=False):
        covered = rows["covered_by"].iloc[0]
        complete_with = rows["complete_with"].iloc[0]
        stage = str(rows["stage"].iloc[0])
        members = [index[p] for p in covered if p in index]
        # an end use whose every product the scenario holds is modelled, not published
        whole = (bool(complete_with) and rows["covers"].iloc[0] == "all"
                 and all(any(p in index for p in alts) for alts in complete_with))  # fmt: skip
        lo, c, hi, how = _published(rows, year)
        stage_basis = _STAGE_BASIS[stage]
        modelled = _modelled(demand, el, y, stage_basis, members)
        ratio = _ratio(demand, el, y, basis, stage_basis, listed)
        declared = _modelled(demand, el, y, basis, inside.get(str(use), []))
        if not whole:
            for k, v in enumerate((lo, c, hi)):
                totals[k] += max(0.0, (v - modelled) * ratio - declared)
        published += c
        sources |= set(rows["source"]) | {s for s in rows["split_source"].dropna()}
        share = (modelled * ratio + declared) / (c * ratio) if c > 0 and ratio > 0 else 0.0
        label = f"{use} {share:.0%}" if c > 0 else f"{use} -"
        label += " (modelled in full)" if whole else ""
        notes.append(label + (f" ({how})" if how else ""))
    note = "modelled / published: " + ", ".join(notes)
    adding = [p for p in new if _modelled(demand, el, y, basis, [index[p]]) > 0]
    if adding:
        note += f"; new demand beyond the published figures: {', '.join(adding)}"
    return {
        "element": el, "year": year, "other": totals[1], "other_low": totals[0],
        "other_high": totals[2], "published": published, "note": note,
        "sources": tuple(sorted(sources)),
    }  # fmt: skip
