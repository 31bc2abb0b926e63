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

The products named by the user's own ``lifetimes.csv``, ``recycling.csv`` and ``history.csv``
must be in the demand's catalog (:func:`~mineralcalc.data.stock_tables.check_products`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from ..data.stock_tables import StockTables, check_products
from ..engine import draws
from ..engine.cohorts import inflow_by_age, stock_and_outflow, survival
from ..errors import MineralcalcError, TableError, UnknownItemError, VolumeError
from ..model.recycling import RecyclingLike, as_recycling
from ..model.volumes import parse_volumes
from ..results.stocks import StockFlow
from .eol_chain import Chain, chain_rates, end_of_life_chain

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["StockFlow", "stock_flow"]

_Q = (0.05, 0.5, 0.95)


def stock_flow(
    demand: Demand,
    *,
    recycling: RecyclingLike = None,
    samples: int | None = None,
    seed: int | None = 0,
    tables: StockTables | None = None,
    strict: bool = False,
    max_memory: int | str | None = None,
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
    start = int(min([first, *hist["year"].tolist()]))
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
    kinds, params = _lifetimes(life, products)
    s = _survival(kinds, params, n_t, life.loc[products])
    stock, outflow = stock_and_outflow(inflow, s)
    chain, rate_sources = end_of_life_chain(tables, recycling, products, elements, all_years)
    sources |= rate_sources
    recovered = outflow * chain_rates(
        chain, tables.recycling["value"].to_numpy(dtype=float), (n_p, n_e, n_t)
    )
    for pid in products:
        r = life.loc[pid]
        notes[pid] = "; ".join(n for n in (_life_text(r), notes[pid]) if n)
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
        what = _Draws(kinds, params, life.loc[products], tables.recycling, chain)
        result.spread.update(_sampled(n, seed, what, inflow, budget))
    return result


def _per_unit(demand: Any, first_inflow: np.ndarray, products: list[str]) -> np.ndarray:
    """Each product's contents per unit of volume in the first year [t per basis unit]."""
    rows = [list(demand.products).index(p) for p in products]
    vol = demand.volume_array[1, rows, 0]
    out = np.zeros_like(first_inflow)
    ok = vol > 0
    out[ok] = first_inflow[ok] / vol[ok, None]
    return out


def _life_text(r: Any) -> str:
    if r["distribution"] == "weibull":
        return f"Weibull k={r['shape']:g}, scale {r['scale']:g} yr ({r['source']})"
    if r["distribution"] == "fixed":
        return f"fixed {r['mean']:g} yr ({r['source']})"
    return f"{r['distribution']} {r['mean']:g} ± {r['sd']:g} yr ({r['source']})"


def _lifetimes(life: pd.DataFrame, products: list[str]) -> tuple[list[str], np.ndarray]:
    """Distribution kinds and parameters (mean, sd, shape, scale) by product."""
    rows = life.loc[products]
    params = rows[["mean", "sd", "shape", "scale"]].to_numpy(dtype=float)
    return list(rows["distribution"]), params


def _survival(kinds: list[str], params: np.ndarray, n_t: int, rows: pd.DataFrame) -> np.ndarray:
    """Survival by age of every product, ``params`` shape (..., P, 4) -> (..., P, T).

    Raises
    ------
    TableError
        A lifetime whose curve is not finite (a lognormal sd some 1e154 times its mean),
        naming its row of ``lifetimes.csv`` (``rows``: the products' rows, in order).
    """
    out = np.empty((*params.shape[:-1], n_t))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for kind in set(kinds):
            idx = [i for i, k in enumerate(kinds) if k == kind]
            p = params[..., idx, :]
            out[..., idx, :] = survival(
                kind, n_t, mean=p[..., 0], sd=p[..., 1], shape=p[..., 2], scale=p[..., 3]
            )
    finite = np.isfinite(out).reshape(-1, *out.shape[-2:]).all(axis=(0, 2))
    if not finite.all():
        k = int(np.argmin(finite))
        r = rows.iloc[k]
        raise TableError(
            f"lifetimes.csv:{r['line']}: {rows.index[k]}: its lifetime ({_life_text(r)}) gives "
            "no finite survival curve: give mean, sd, shape and scale in years of a product's life"
        )
    return out


@dataclass(frozen=True)
class _Draws:
    """What the Monte Carlo draws: each product's lifetime and each row of the chain."""

    kinds: list[str]
    params: np.ndarray  # (P, 4): mean, sd, shape, scale
    life: pd.DataFrame  # the rows of lifetimes.csv of the products, in order
    table: pd.DataFrame  # recycling.csv
    chain: Chain  # end_of_life_chain


def _sampled(
    n: int, seed: int | None, what: _Draws, inflow: np.ndarray, budget: int
) -> dict[str, np.ndarray]:
    """p5, p50, p95 of stock, outflow and recovered summed over products, shape (3, E, T).

    Every number is drawn first (the lifetimes' factors, then the rates); the stocks are
    computed in chunks of samples of about ``CHUNK_BYTES``, keeping the sums over products.

    Raises
    ------
    VolumeError
        If the estimated memory is over ``budget`` [bytes], before anything is drawn.
    """
    n_p, n_e, n_t = inflow.shape
    n_r = len(what.table)
    per_sample = 8 * (6 * n_p * n_e * n_t + 2 * n_p * n_t + 4 * n_p + 3 * n_e * n_t)
    chunk = max(1, min(n, draws.CHUNK_BYTES // per_sample))
    kept = 8 * n * (4 * n_e * n_t + n_p + n_r)  # sums, one copy for quantiles, the draws
    working = chunk * per_sample + 2 * 8 * n_p * n_e * n_t * n_t  # and the inflow by age
    need = draws.memory_estimate(kept, working)
    if need > budget:
        raise VolumeError(
            f"the stock-flow model with samples={n:,} would take about {need / 2**30:.1f} GiB "
            f"of memory ({n_e} elements x {n_t} years x {n:,} draws kept, and chunks of "
            f"{working / 2**20:,.0f} MiB), over the budget of {budget / 2**30:.1f} GiB: draw "
            "fewer samples, or raise max_memory (--max-memory on the command line)"
        )
    rng = np.random.default_rng(seed)
    params = what.params
    lo = what.life["low"].to_numpy(dtype=float)
    hi = what.life["high"].to_numpy(dtype=float)
    centre = np.where(what.life["distribution"] == "weibull", params[:, 3], params[:, 0])
    lo, hi = np.where(np.isnan(lo), centre, lo), np.where(np.isnan(hi), centre, hi)
    factor = rng.uniform(lo, hi, size=(n, n_p)) / centre  # the mean (scale) scaled,
    low = what.table["low"].to_numpy(dtype=float)  # the coefficient of variation kept
    high = what.table["high"].to_numpy(dtype=float)
    drawn_rates = rng.uniform(low, high, size=(n, n_r))
    by_age = inflow_by_age(inflow)
    sums = np.empty((3, n, n_e, n_t))
    for a in range(0, n, chunk):
        b = min(n, a + chunk)
        drawn = np.repeat(params[None], b - a, axis=0)
        for k in (0, 1, 3):  # mean, sd, scale
            drawn[..., k] *= factor[a:b]
        s = _survival(what.kinds, drawn, n_t, what.life)
        stock, outflow = stock_and_outflow(inflow, s, by_age=by_age)
        sums[0, a:b] = stock.sum(axis=1)
        del stock
        sums[1, a:b] = outflow.sum(axis=1)
        outflow *= chain_rates(what.chain, drawn_rates[a:b], (n_p, n_e, n_t))
        sums[2, a:b] = outflow.sum(axis=1)
    out = {}
    for k, name in enumerate(("stock", "outflow", "recovered")):
        # one copy at a time, samples last: the quantiles partition it in place
        by_sample = np.ascontiguousarray(np.moveaxis(sums[k], 0, -1))
        out[name] = np.quantile(by_sample, _Q, axis=-1, overwrite_input=True)
        del by_sample
    return out
