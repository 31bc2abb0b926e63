"""Published end uses of an element, less the products that model them, year by year.

The arithmetic behind :mod:`mineralcalc.lenses.other_uses` for the elements that
``end_uses.csv`` splits by end use: each end use's published series (interpolated between its
years, grown or held beyond them), the modelled demand of the products it lists (in the
figure's stage, carried into the comparison's basis), and the products a scenario declares
``within`` it. :func:`element_other` writes one element's other uses in every year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = [
    "STAGE_BASIS",
    "ModelledDemand",
    "Series",
    "Use",
    "element_other",
    "published_at",
    "read_uses",
]

STAGE_BASIS = {"contained": "contained", "first use": "gross"}
"""The demand basis a published figure's stage is compared in."""


@dataclass(frozen=True)
class Series:
    """A published series of one end use and element.

    Attributes
    ----------
    years : ndarray of int
        The years given, ascending.
    values : ndarray, shape (years, 3)
        Low, central and high demand in each year [t metal].
    growth : float
        Growth beyond the last year [fraction per year]; NaN: held.
    """

    years: np.ndarray
    values: np.ndarray
    growth: float


@dataclass(frozen=True)
class Use:
    """One end use of one element: its rows of ``end_uses.csv`` read once.

    Attributes
    ----------
    name : str
        The end use (``'EVs'``).
    covered : tuple of str
        The products that model it (``covered_by``).
    complete_with : tuple of tuple of str
        It is modelled in full by a product of each inner tuple.
    covers : {'all', 'part'}
        What the products hold of what the figure counts.
    stage : {'contained', 'first use'}
        What the figure counts (:data:`STAGE_BASIS` gives the basis it is compared in).
    series : Series
        The figures by year.
    sources : frozenset of str
        The source keys of its rows and of their element split.
    """

    name: str
    covered: tuple[str, ...]
    complete_with: tuple[tuple[str, ...], ...]
    covers: str
    stage: str
    series: Series
    sources: frozenset[str]


def read_uses(table: pd.DataFrame) -> dict[str, list[Use]]:
    """Each element's end uses from the rows of ``end_uses.csv`` (an
    :class:`~mineralcalc.data.market_tables.EndUses` frame), in the order of their first
    rows, each series by year: ``{element: [Use, ...]}``."""
    grouped: dict[str, dict[str, list[dict[Any, Any]]]] = {}
    for r in table.to_dict("records"):
        grouped.setdefault(str(r["element"]), {}).setdefault(str(r["end_use"]), []).append(r)
    out: dict[str, list[Use]] = {}
    for el, uses in grouped.items():
        out[el] = []
        for use, rows in uses.items():
            first = rows[0]
            rows = sorted(rows, key=lambda r: r["year"])
            series = Series(
                np.array([r["year"] for r in rows]),
                np.array([[r["low"], r["amount"], r["high"]] for r in rows], dtype=float),
                float(rows[-1]["growth"]),
            )
            sources = {r["source"] for r in rows}
            sources |= {r["split_source"] for r in rows if isinstance(r["split_source"], str)}
            out[el].append(
                Use(
                    use,
                    first["covered_by"],
                    first["complete_with"],
                    str(first["covers"]),
                    str(first["stage"]),
                    series,
                    frozenset(sources),
                )
            )
    return out


def published_at(series: Series, year: int) -> tuple[float, float, float, str]:
    """A published series at ``year``: low, central, high [t metal], and how it was
    obtained (``''`` for a given or interpolated year, ``'held at 2030'``, ``'2030 figure
    grown +2.0%/yr'``). Linear between given years."""
    years, vals = series.years, series.values
    if year in years:
        v = vals[list(years).index(year)]
        return float(v[0]), float(v[1]), float(v[2]), ""
    if year < years[0]:
        v = vals[0]
        return float(v[0]), float(v[1]), float(v[2]), f"held at {years[0]}"
    if year > years[-1]:
        g = series.growth
        n = year - int(years[-1])
        f = (1 + g) ** n if g == g else 1.0
        how = f"{years[-1]} figure grown {g:+.1%}/yr" if g == g else f"held at {years[-1]}"
        v = vals[-1] * f
        return float(v[0]), float(v[1]), float(v[2]), how
    k = int(np.searchsorted(years, year))
    t = (year - years[k - 1]) / (years[k] - years[k - 1])
    v = vals[k - 1] + t * (vals[k] - vals[k - 1])
    return float(v[0]), float(v[1]), float(v[2]), ""


class ModelledDemand:
    """Central modelled demand of an element from some of a demand's products, in every year
    [t]; each element's product arrays computed once per basis.

    Parameters
    ----------
    demand : Demand
    """

    def __init__(self, demand: Demand) -> None:
        self.demand = demand
        self.arrays: dict[tuple[str, str], np.ndarray] = {}

    def of(self, el: str, basis: str, products: Iterable[int]) -> np.ndarray:
        """Demand of ``el`` from the products at indices ``products``, on ``basis``, one
        value per year of the demand [t] (zeros without products or demand)."""
        ps = list(products)
        n = len(self.demand.years)
        if not ps or el not in self.demand.elements_of(basis):
            return np.zeros(n)
        key = (el, basis)
        if key not in self.arrays:
            self.arrays[key] = self.demand.product_arrays((el,), None, basis)[1]  # (P, Y) kg
        tonnes: np.ndarray = self.arrays[key][ps, :].sum(axis=0) / 1000.0
        return tonnes

    def ratio(self, el: str, basis: str, stage_basis: str, products: list[int]) -> np.ndarray:
        """Modelled demand in ``basis`` over modelled demand in ``stage_basis`` of
        ``products`` (1 if they have none): how a published figure in the stage's basis
        converts."""
        if basis == stage_basis:
            return np.ones(len(self.demand.years))
        den = self.of(el, stage_basis, products)
        num = self.of(el, basis, products)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den > 0, num / den, 1.0)


def element_other(
    modelled: ModelledDemand,
    uses: list[Use],
    el: str,
    years: list[tuple[int, int]],
    basis: str,
    new: list[str],
    values: np.ndarray,
    published: np.ndarray,
    notes: np.ndarray,
) -> tuple[str, ...]:
    """One element's other uses in each of ``years``: each published end use less the
    products that model it (in the figure's stage, converted to the comparison's basis at
    the ratio of the products the table lists; a row that lists none, such as nickel's
    stainless steel, is taken as published in every basis: none of the modelled processes,
    a battery's cell-making scrap for one, applies to it) less the products a scenario declares
    ``within`` it (in the comparison's basis), so adding a product can only raise total
    demand.

    Parameters
    ----------
    modelled : ModelledDemand
        The demand's modelled demand.
    uses : list of Use
        The element's end uses (:func:`read_uses`).
    el : str
        The element.
    years : list of (int, int)
        Each year's index into the demand's years, and the year.
    basis : str
        The comparison's demand basis.
    new : list of str
        Products no end use lists and no volume declares ``within`` one: new demand.
    values, published, notes : ndarray
        Written: other uses low, central, high, shape (3, years) [t metal]; the published
        total (years,) [t metal]; the note of each year (years,).

    Returns
    -------
    tuple of str
        The sources of the element's figures, sorted.
    """
    demand = modelled.demand
    products = list(demand.products)
    index = {p: k for k, p in enumerate(products)}
    claimed: set[str] = set()
    for use in uses:
        claimed |= set(use.covered)
    listed = sorted(index[p] for p in claimed if p in index)  # one order: sums never vary
    inside: dict[str, list[int]] = {}
    for p, within in demand.within.items():
        inside.setdefault(within, []).append(index[p])
    sources: set[str] = set()
    lines = []
    for use in uses:
        stage_basis = STAGE_BASIS[use.stage]
        members = [index[p] for p in use.covered if p in index]
        # an end use whose every product the scenario holds is modelled, not published
        whole = (
            bool(use.complete_with)
            and use.covers == "all"
            and all(any(p in index for p in alts) for alts in use.complete_with)
        )
        sources |= use.sources
        lines.append(
            (
                use.name,
                whole,
                use.series,
                modelled.of(el, stage_basis, members),
                # carried at the ratio of the products the table lists; a row that lists
                # none (stainless steel's nickel) passes through none of their processes
                modelled.ratio(el, basis, stage_basis, listed if use.covered else []),
                modelled.of(el, basis, inside.get(use.name, [])),
            )
        )
    adding = [(p, modelled.of(el, basis, [index[p]])) for p in new]
    for i, (y, year) in enumerate(years):
        totals = [0.0, 0.0, 0.0]
        total_published = 0.0
        labels: list[str] = []
        for name, whole, series, m_arr, r_arr, d_arr in lines:
            lo, c, hi, how = published_at(series, year)
            m, ratio, declared = float(m_arr[y]), float(r_arr[y]), float(d_arr[y])
            if not whole:
                for k, v in enumerate((lo, c, hi)):
                    totals[k] += max(0.0, (v - m) * ratio - declared)
            total_published += c
            share = (m * ratio + declared) / (c * ratio) if c > 0 and ratio > 0 else 0.0
            label = f"{name} {share:.0%}" if c > 0 else f"{name} -"
            label += " (modelled in full)" if whole else ""
            labels.append(label + (f" ({how})" if how else ""))
        note = "modelled / published: " + ", ".join(labels)
        new_here = [p for p, arr in adding if arr[y] > 0]
        if new_here:
            note += f"; new demand beyond the published figures: {', '.join(new_here)}"
        values[:, i] = totals
        published[i] = total_published
        notes[i] = note
    return tuple(sorted(sources))
