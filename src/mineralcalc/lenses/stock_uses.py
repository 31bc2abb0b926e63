"""The uses no product models, as cohorts of the stock-flow model: the whole stock in use.

The market balance adds to the modelled products the *other uses* of each element
(:mod:`mineralcalc.lenses.other_uses`). Each end use of ``use_lifetimes.csv`` takes a share of
the other uses of its elements and keeps them in use for its lifetime; a ``dissipative`` use
(polishing, fertiliser) enters no stock. Its inflow by year:

* from the scenario's first year: ``share x other uses`` of each of its elements, in contained
  metal (the other uses in the ``contained`` basis);
* before it, in the years ``use_history.csv`` gives: the end use's world total (a mass of a
  catalog material, e.g. NdFeB magnets made in the world) times the material's contents per
  tonne, less what the products' own history puts in use that year (never below zero), so the
  products are not counted twice; linear between given years;
* between the last year of history and the first year: linear from one to the other;
* before the first year of history: nothing.

Each cohort is named ``end use`` in :attr:`~mineralcalc.results.stocks.StockFlow.products`,
beside the products.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data.stock_tables import StockTables
from ..engine.intensity import intensity
from ..errors import TableError
from ..units import is_mass
from .other_uses import other_use_arrays

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["UseCohorts", "first_history_year", "use_cohorts"]


@dataclass(frozen=True)
class UseCohorts:
    """The end uses that enter the stock, as cohorts beside the products.

    Attributes
    ----------
    uses : list of str
        The end uses with an inflow (dissipative ones left out).
    inflow : ndarray, shape (U, E, T)
        Inflow [t of each element] over the model's years.
    life : DataFrame
        Their rows of ``use_lifetimes.csv``, indexed by end use, in the columns of
        ``lifetimes.csv``.
    notes : dict
        By end use: where its inflow comes from; the dissipative ones say they enter no stock.
    sources : set of str
    """

    uses: list[str]
    inflow: np.ndarray
    life: pd.DataFrame
    notes: dict[str, str] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)


def first_history_year(tables: StockTables, elements: list[str]) -> int | None:
    """The first year ``use_history.csv`` gives for an end use that enters the stock and takes
    one of ``elements``, or None."""
    uses = _stocked(tables.use_lifetimes, elements)["end_use"]
    years = tables.use_history.loc[tables.use_history["end_use"].isin(uses), "year"]
    return int(years.min()) if len(years) else None


def _stocked(table: pd.DataFrame, elements: list[str]) -> pd.DataFrame:
    """The rows of ``use_lifetimes.csv`` that enter the stock and take one of ``elements``."""
    takes = [bool(set(els) & set(elements)) for els in table["elements"]]
    keep = (table["distribution"] != "dissipative").to_numpy() & np.array(takes, bool)
    out: pd.DataFrame = table[keep]
    return out


def use_cohorts(
    demand: Demand,
    tables: StockTables,
    elements: list[str],
    years: list[int],
    first: int,
    product_inflow: np.ndarray,
) -> UseCohorts:
    """The inflow of every end use of ``tables.use_lifetimes`` (see the module notes).

    Parameters
    ----------
    demand : Demand
        The scenario (its other uses and its catalog's materials).
    tables : StockTables
    elements : list of str
        The stock model's elements; an end use's other elements are left out.
    years : list of int
        The model's years, consecutive.
    first : int
        The scenario's first year.
    product_inflow : ndarray, shape (P, E, T)
        The products' inflow [t], whose history the end uses' world totals already hold.

    Raises
    ------
    TableError
        A row of ``use_history.csv`` whose material is not a catalog item of mass basis.
    """
    table = tables.use_lifetimes
    n_e, n_t = len(elements), len(years)
    e_of = {e: k for k, e in enumerate(elements)}
    t0 = years.index(first)
    notes: dict[str, str] = {}
    sources: set[str] = set()
    stocked = _stocked(table, elements)
    for r in table[table["distribution"] == "dissipative"].itertuples():
        notes[str(r.end_use)] = "dissipative: enters no stock"
        sources.add(str(r.source))
    if stocked.empty:
        return UseCohorts([], np.zeros((0, n_e, n_t)), stocked, notes, sources)
    other = other_use_arrays(demand, "contained")
    o_of = {e: k for k, e in enumerate(other.elements)}
    o_year = {y: i for i, y in enumerate(other.years)}
    made = product_inflow.sum(axis=0)  # (E, T)
    inflow = np.zeros((len(stocked), n_e, n_t))
    for u, r in enumerate(stocked.itertuples()):
        use = str(r.end_use)
        share = float(r.share)  # type: ignore[arg-type]
        sources.add(str(r.source))
        els = [e for e in r.elements if e in e_of]  # type: ignore[union-attr]
        # from the first year: the end use's share of the other uses (central)
        ts = [t for t in range(t0, n_t) if years[t] in o_year]
        cols = [o_year[years[t]] for t in ts]
        for e in (e for e in els if e in o_of):
            inflow[u, e_of[e], ts] = share * other.values[1, cols, o_of[e]]
        hist = tables.use_history[tables.use_history["end_use"] == use]
        hist = hist[hist["year"] < first]
        if hist.empty:
            notes[use] = f"no inflow before {first}" if years[0] < first else ""
            continue
        sources |= set(hist["source"])
        given = sorted(int(y) for y in hist["year"])
        if not all(m in demand.catalog.items for m in hist["material"]) and (
            "use_history.csv" not in tables.own
        ):  # the shipped history, on a catalog without its materials
            notes[use] = f"no inflow before {first} (its history's material is not in the catalog)"
            continue
        contents: dict[str, dict[str, float]] = {}  # one intensity per material
        for row in hist.itertuples():
            material = str(row.material)
            if material not in contents:
                contents[material] = _content(demand, material, int(row.line))  # type: ignore[arg-type]
            content = contents[material]
            t = years.index(int(row.year))  # type: ignore[arg-type]
            for e in els:
                total = float(row.amount) * content.get(e, 0.0)  # type: ignore[arg-type]
                inflow[u, e_of[e], t] = max(0.0, total - made[e_of[e], t])
        anchors = [years.index(y) for y in given] + [t0]
        span = np.arange(anchors[0], t0 + 1)  # linear between given years, and up to t0
        for k in range(n_e):
            inflow[u, k, span] = np.interp(span, anchors, inflow[u, k, anchors])
        notes[use] = (
            f"world total {given[0]}-{given[-1]} (use_history.csv) less the products' history, "
            f"linear to {first}; from {first}: {share:.0%} of the other uses"
        )
    life = stocked.rename(columns={"end_use": "product"}).set_index("product")
    return UseCohorts(list(life.index), inflow, life, notes, sources)


def _content(demand: Demand, material: str, line: int) -> dict[str, float]:
    """Each element's mass in a tonne of ``material`` [t/t], as contained."""
    catalog = demand.catalog
    if material not in catalog.items or not is_mass(catalog.items[material].basis):
        raise TableError(
            f"use_history.csv:{line}: material: {material!r} is not a material of the catalog "
            "(a mass-basis item of items.csv, e.g. ndfeb_magnet)"
        )
    frame = intensity(catalog, material, unit="t/t", basis="contained")
    return {str(e): float(v) for e, v in frame["central"].items()}
