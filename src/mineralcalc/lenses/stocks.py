"""Stocks and recycling over time: the elements in use, what leaves at end of life, and what
comes back as secondary supply.

The inflow is the demand already computed, as contained in the products (per product, element
and year). Before a scenario's first year it is the product's historical volumes
(``history.csv``, linear between the years it gives) times its first year's contents per unit;
a product without history has no inflow before the first year, which the notes say. Each
product's cohorts leave use by its lifetime distribution (``lifetimes.csv``;
:mod:`mineralcalc.engine.cohorts`), and what leaves goes through the end-of-life chain
(``recycling.csv``, or a scenario's ``[recycling]`` rates):
``recovered = outflow x collection x liberation x recovery``.

With ``samples``, the lifetimes (the mean, or the Weibull scale, uniform over its range with
the shape of the distribution kept) and the rates (uniform over their ranges) are drawn per
sample; a row of ``recycling.csv`` shared by many products and elements (``*``) is drawn once
per sample for all of them. Every draw is made up front; the stocks are then computed in chunks
of samples of about :data:`~mineralcalc.engine.draws.CHUNK_BYTES` each, keeping only the
sums over products, so memory grows with samples x elements x years, never with samples x
products x years squared. The chunks depend on the model's shape, not on the memory budget: the
same seed gives the same numbers whatever ``max_memory``. A run estimated above the budget
(``max_memory``, by default the demand's: ``mc.demand(..., max_memory=)``, 2 GiB unless
given) is refused before anything is drawn.

With ``other_uses`` (the default), the uses no product models enter the stock too, as cohorts
of their end uses (:mod:`mineralcalc.lenses.stock_uses`), so the stock covers the whole market.

The products named by the user's own ``lifetimes.csv``, ``recycling.csv`` and ``history.csv``
must be in the demand's catalog (:func:`~mineralcalc.data.stock_tables.check_products`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from ..data.stock_tables import StockTables, check_products
from ..engine import draws
from ..engine.cohorts import stock_and_outflow
from ..errors import MineralcalcError, TableError, UnknownItemError, VolumeError
from ..model.recycling import RecyclingLike, as_recycling
from ..model.volumes import parse_volumes
from ..results.stocks import StockFlow
from .eol_chain import chain_rates, end_of_life_chain
from .stock_draws import Draws, life_text, sampled, survival_curves
from .stock_uses import first_history_year, use_cohorts

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["StockFlow", "stock_flow"]


def stock_flow(
    demand: Demand,
    *,
    recycling: RecyclingLike = None,
    samples: int | None = None,
    seed: int | None = 0,
    tables: StockTables | None = None,
    strict: bool = False,
    max_memory: int | str | None = None,
    other_uses: bool = True,
) -> StockFlow:
    """The stock-flow model of a demand's products (see the module notes).

    Parameters
    ----------
    demand : Demand
        Over consecutive years (``years = "2024..2040"``); its contained demand is the inflow.
    recycling : Recycling or mapping, optional
        End-of-life rates over time, or a mapping read as a scenario's ``[recycling]`` table
        (default: the demand's, from its scenario; else the tables').
    samples : int, optional
        Monte Carlo draws of lifetimes and rates (a whole number >= 1): adds the p5-p95
        ``spread``.
    seed : int or None, default 0
        Random seed, a whole number >= 0 (None: fresh entropy).
    tables : StockTables, optional
        Lifetimes, end-of-life chain and history (default: the demand's tables,
        ``demand.catalog.tables``).
    strict : bool, default False
        Raise for a product with no lifetime; by default it is left out, and ``left_out`` and
        the notes name it.
    max_memory : int or str, optional
        Memory budget of the Monte Carlo [bytes], or ``"2 GiB"`` (default: the demand's,
        ``mc.demand(..., max_memory=)``, else 2 GiB).
    other_uses : bool, default True
        Add the uses no product models as cohorts of their end uses (``use_lifetimes.csv``,
        ``use_history.csv``): the whole stock in use. False: the products only.

    Raises
    ------
    VolumeError
        For a demand without years, or with gaps between its years; a bad ``samples``,
        ``seed`` or ``max_memory``; samples estimated to need more memory than the budget.
    ScenarioError
        ``recycling`` that is no set of end-of-life rates.
    TableError
        A row of the user's stock tables naming a product the catalog does not hold, or
        history that is not in its product's basis (naming the file and row).
    UnknownItemError
        With ``strict``, for a product with no lifetime in the tables (naming it and the fix).
    """
    n = draws.sample_count(samples) if samples is not None else None
    seed = draws.sample_seed(seed)
    if max_memory is None:
        max_memory = demand.max_memory
    budget = draws.memory_budget(max_memory)
    tables = tables if tables is not None else demand.catalog.tables.stock
    check_products(tables, demand.catalog.own_items)
    if recycling is None:
        recycling = demand.recycling
    recycling = as_recycling(recycling)
    years = [y for y in demand.years if y is not None]
    if not years or len(years) < len(demand.years):
        raise VolumeError(
            "a stock-flow model needs volumes by year: give them as {year: amount} (or a "
            'scenario with year = 2024, or years = "2024..2040")'
        )
    if years != list(range(years[0], years[-1] + 1)):
        raise VolumeError(
            f'a stock-flow model needs consecutive years (years = "{years[0]}..{years[-1]}" '
            f"in the scenario), got {years}"
        )
    life = tables.lifetimes.set_index("product")
    missing = [p for p in demand.products if p not in life.index]
    products = [p for p in demand.products if p in life.index]
    if missing and (strict or not products):
        raise UnknownItemError(
            f"no lifetime for {', '.join(missing)}: add a row to lifetimes.csv "
            "(product, distribution, mean/sd or shape/scale, source)"
        )
    frame = demand.to_frame("t", basis="contained")
    frame = frame[frame["product"].isin(products)]
    elements = [e for e in dict.fromkeys(frame["element"])]
    first = int(years[0])
    before = tables.history["year"] < first  # later years are the scenario's own volumes
    hist = tables.history[tables.history["product"].isin(products) & before]
    use_start = first_history_year(tables, elements) if other_uses else None
    start = int(min([first, *hist["year"].tolist(), *([use_start] if use_start else [])]))
    all_years = list(range(start, years[-1] + 1))
    n_p, n_e, n_t = len(products), len(elements), len(all_years)
    inflow = np.zeros((n_p, n_e, n_t))
    p_of = {p: i for i, p in enumerate(products)}
    e_of = {e: i for i, e in enumerate(elements)}
    t0 = first - start
    for row in frame.itertuples(index=False):
        at = t0 + cast(int, row.year) - first
        inflow[p_of[str(row.product)], e_of[str(row.element)], at] = cast(float, row.central)
    notes: dict[str, str] = {}
    sources = set(life.loc[products, "source"])
    per_unit = _per_unit(demand, inflow[:, :, t0], products)
    units = np.zeros((n_p, n_t))
    for k, pid in enumerate(products):
        units[k, t0:] = demand.volume_array[1, list(demand.products).index(pid)]
    for pid in products:
        rows = hist[hist["product"] == pid]
        k = p_of[pid]
        if rows.empty or start == first:
            notes[pid] = f"no inflow before {first}" if start < first else ""
            continue
        spec = {cast(int, r.year): f"{r.amount} {r.unit}".strip() for r in rows.itertuples()}
        span = list(range(min(spec), max(spec) + 1))  # years between given ones: linear
        try:
            vols = parse_volumes({pid: spec}, demand.catalog, years=span).values[1, 0]
        except MineralcalcError as e:
            lines = ", ".join(str(k) for k in rows["line"])
            raise TableError(f"history.csv:{lines}: {pid}: {e}") from None
        for y, v in zip(span, vols, strict=True):
            inflow[k, :, y - start] = per_unit[k] * v
            units[k, y - start] = v
        gaps = " (gaps interpolated)" if len(spec) < len(span) else ""
        notes[pid] = f"history {span[0]}-{span[-1]}{gaps} (history.csv)"
        sources |= set(rows["source"])
    if other_uses:
        uses = use_cohorts(demand, tables, elements, all_years, first, inflow)
        products = [*products, *uses.uses]
        inflow = np.concatenate([inflow, uses.inflow])
        units = np.concatenate([units, np.zeros((len(uses.uses), n_t))])
        life = pd.concat([life, uses.life])
        notes |= uses.notes
        sources |= uses.sources
    kinds, params = _lifetimes(life, products)
    s = survival_curves(kinds, params, n_t, life.loc[products])
    stock, outflow = stock_and_outflow(inflow, s)
    chain, rate_sources = end_of_life_chain(tables, recycling, products, elements, all_years)
    sources |= rate_sources
    recovered = outflow * chain_rates(
        chain, tables.recycling["value"].to_numpy(dtype=float), inflow.shape
    )
    for pid in products:
        r = life.loc[pid]
        notes[pid] = "; ".join(n for n in (life_text(r), notes.get(pid, "")) if n)
    units_stock, _ = stock_and_outflow(units[:, None, :], s)
    result = StockFlow(
        all_years,
        first,
        products,
        elements,
        inflow,
        stock,
        outflow,
        recovered,
        units_stock=units_stock[:, 0],
        left_out=missing,
        notes=notes,
        sources=sources,
    )
    if n is not None:
        what = Draws(kinds, params, life.loc[products], tables.recycling, chain)
        result.spread.update(sampled(n, seed, what, inflow, budget))
    return result


def _per_unit(demand: Any, first_inflow: np.ndarray, products: list[str]) -> np.ndarray:
    """Each product's contents per unit of volume in the first year [t per basis unit]."""
    rows = [list(demand.products).index(p) for p in products]
    vol = demand.volume_array[1, rows, 0]
    out = np.zeros_like(first_inflow)
    ok = vol > 0
    out[ok] = first_inflow[ok] / vol[ok, None]
    return out


def _lifetimes(life: pd.DataFrame, products: list[str]) -> tuple[list[str], np.ndarray]:
    """Distribution kinds and parameters (mean, sd, shape, scale) by product."""
    rows = life.loc[products]
    params = rows[["mean", "sd", "shape", "scale"]].to_numpy(dtype=float)
    return list(rows["distribution"]), params
