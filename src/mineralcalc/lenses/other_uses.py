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
  battery demand counts lithium that cathode formulas leave out), when the figure
  stays a floor;
* for an end use the scenario models in part or not at all, and for the catch-all,
  ``other = max(0, published - modelled)``, both in the row's stage (``contained`` or ``first
  use``, compared with the ``gross`` basis): where the scenario models more, it wins;
* between given years published figures are interpolated linearly; beyond the last year they
  grow at the row's rate, else they are held;
* the other uses are carried into the comparison's basis with the ratio of the modelled
  demand in the two bases (the same process losses and loops); a row that lists no product
  (nickel's stainless steel, lithium's ceramics) is carried as published, since none of the
  modelled processes (a battery's cell-making scrap) applies to it;
* an element no source splits by end use (``clearing.csv``: La, Ce, Y and the other
  non-magnet rare earths, manganese) is taken to clear the market in the base year: its other
  uses are that year's supply (recorded, unrecorded and recycled) less the modelled demand of
  that year, and grow at the table's rate after it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data.market_tables import EndUses
from ..estimate import GrowthLike
from .projection import supply_for
from .published_uses import ModelledDemand, element_other, read_uses
from .supply import Supply, commodity_of
from .supply import supply as supply_of

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["OTHER_COLUMNS", "OtherUses", "other_use_arrays", "other_uses"]

OTHER_COLUMNS = [
    "element",
    "year",
    "other",
    "other_low",
    "other_high",
    "published",
    "note",
    "sources",
]


@dataclass(frozen=True)
class OtherUses:
    """The other uses of each element in each year, as arrays (:func:`other_use_arrays`).

    Attributes
    ----------
    elements : tuple of str
        Elements with published end uses (sorted), then the elements whose market clears.
    years : tuple of int
        The demand's years (a demand without years has none).
    values : ndarray, shape (3, years, elements)
        Other uses [t metal, in the comparison's basis]: low, central, high.
    published : ndarray, shape (years, elements)
        The published total of the element's end uses, or the base year's supply of an
        element whose market clears [t metal].
    notes : ndarray of str, shape (years, elements)
    sources : tuple of tuple of str
        The sources of each element's figures.
    """

    elements: tuple[str, ...]
    years: tuple[int, ...]
    values: np.ndarray
    published: np.ndarray
    notes: np.ndarray
    sources: tuple[tuple[str, ...], ...]

    @property
    def present(self) -> np.ndarray:
        """Where an element has other uses in a year (its high value above zero), shape
        (years, elements): the rows of :meth:`frame`."""
        present: np.ndarray = self.values[2] > 0
        return present

    def frame(self) -> pd.DataFrame:
        """One row per element and year with other uses (:func:`other_uses`'s frame)."""
        keep = self.present
        if not keep.any():
            return pd.DataFrame(columns=OTHER_COLUMNS).iloc[0:0]
        y, e = np.nonzero(keep)  # year by year, elements in order
        return pd.DataFrame(
            {
                "element": [self.elements[k] for k in e],
                "year": [self.years[k] for k in y],
                "other": self.values[1][keep],
                "other_low": self.values[0][keep],
                "other_high": self.values[2][keep],
                "published": self.published[keep],
                "note": list(self.notes[keep]),
                "sources": [self.sources[k] for k in e],
            },
            columns=OTHER_COLUMNS,
        )


def other_uses(
    demand: Demand,
    basis: str | None = None,
    *,
    end_uses: EndUses | None = None,
    clearing: pd.DataFrame | None = None,
    supply: Supply | None = None,
    growth: GrowthLike = None,
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
        published figure), ``sources``. :func:`other_use_arrays` gives the same as arrays.
    """
    return other_use_arrays(
        demand, basis, end_uses=end_uses, clearing=clearing, supply=supply, growth=growth
    ).frame()


def other_use_arrays(
    demand: Demand,
    basis: str | None = None,
    *,
    end_uses: EndUses | None = None,
    clearing: pd.DataFrame | None = None,
    supply: Supply | None = None,
    growth: GrowthLike = None,
) -> OtherUses:
    """:func:`other_uses` as arrays over elements and years (the parameters are its own).

    Returns
    -------
    OtherUses
        Every element with published end uses or a market that clears, in every year of the
        demand, zeros where it has none.
    """
    basis = demand.resolve_basis(basis)
    tables = demand.catalog.tables
    table = (end_uses if end_uses is not None else tables.end_uses).frame
    clears = clearing if clearing is not None else tables.clearing
    per_element = sorted({el for el in table["element"]}) if not table.empty else []
    listed = {p for covered in table["covered_by"] for p in covered} if not table.empty else set()
    known = [k for k, p in enumerate(demand.products) if p in listed or p in demand.within]
    new = [p for p in demand.products if p not in listed and p not in demand.within]
    cleared = _cleared(demand, clears, set(per_element), supply, growth, basis, known)
    ys = [(y, int(year)) for y, year in enumerate(demand.years) if year is not None]
    years = tuple(year for _, year in ys)
    elements = (*per_element, *cleared)
    values = np.zeros((3, len(years), len(elements)))
    published = np.zeros((len(years), len(elements)))
    notes = np.full((len(years), len(elements)), "", dtype=object)
    sources: list[tuple[str, ...]] = []
    modelled = ModelledDemand(demand)
    uses = read_uses(table) if per_element else {}
    for e, el in enumerate(per_element):
        sources.append(
            element_other(
                modelled,
                uses[el],
                el,
                ys,
                basis,
                new,
                values[:, :, e],
                published[:, e],
                notes[:, e],
            )
        )
    for k, (base_year, other_base, rate, note, source) in enumerate(cleared.values()):
        e = len(per_element) + k
        for i, year in enumerate(years):
            n = year - base_year
            values[:, i, e] = [other_base * (1 + g) ** n for g in rate]
            published[i, e] = other_base
            notes[i, e] = note if n == 0 else f"{note}; grown {rate[1]:+.1%}/yr since {base_year}"
        sources.append(("estimate-market-clears", source))
    return OtherUses(elements, years, values, published, notes, tuple(sources))


def _cleared(
    demand: Demand,
    clears: pd.DataFrame,
    published: set[str],
    supply: Supply | None,
    growth: GrowthLike,
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
    modelled = ModelledDemand(demand)
    rows = [
        r
        for r in clears.to_dict("records")
        if str(r["element"]) not in published and commodity_of(str(r["element"]))
    ]
    symbols = [str(r["element"]) for r in rows]
    # the base year's supply, every element at once (the comparison asks the same supply)
    arrays = base.element_arrays(symbols)
    recycled = base.secondary_arrays(symbols)[1, 0]
    scraps = base.secondary_arrays(symbols, "new scrap")[1, 0]
    out = {}
    for e, (el, r) in enumerate(zip(symbols, rows, strict=True)):
        primary = float(arrays.primary[0, e])
        if not math.isfinite(primary) or primary <= 0:
            continue
        # the base year's supply in the comparison's basis: the mined basis nets recycled
        # process scrap out of demand, so it leaves it out of the supply that cleared too
        scrap = float(scraps[e]) if basis != "gross" else 0.0
        total = primary + float(arrays.unrecorded[1, 0, e]) + float(recycled[e]) - scrap
        other = max(0.0, total - float(modelled.of(el, basis, known)[y0]))
        note = f"market assumed to clear: {base_year} supply less the modelled demand of {when}"
        rate = (float(r["growth_low"]), float(r["growth"]), float(r["growth_high"]))
        out[el] = (base_year, other, rate, note, str(r["source"]))
    return out
