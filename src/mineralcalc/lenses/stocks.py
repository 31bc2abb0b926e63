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
per sample for all of them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data.stock_tables import EOL_STAGES, StockTables
from ..engine.cohorts import stock_and_outflow, survival
from ..errors import UnknownItemError, VolumeError
from ..model.volumes import parse_volumes
from ..results.stocks import StockFlow

__all__ = ["StockFlow", "stock_flow"]

_Q = (0.05, 0.5, 0.95)


def stock_flow(
    demand: Any,
    *,
    recycling: Any = None,
    samples: int | None = None,
    seed: int = 0,
    tables: StockTables | None = None,
    strict: bool = False,
) -> StockFlow:
    """The stock-flow model of a demand's products (see the module notes).

    Parameters
    ----------
    demand : Demand
        Over consecutive years (``years = "2024..2040"``); its contained demand is the inflow.
    recycling : Recycling, optional
        End-of-life rates over time (default: the scenario's ``[recycling]``, else the tables').
    samples : int, optional
        Monte Carlo draws of lifetimes and rates: adds the p5-p95 ``spread``.
    seed : int
    tables : StockTables, optional
        Lifetimes, end-of-life chain and history (default: the demand's tables,
        ``demand.catalog.tables``).
    strict : bool, default False
        Raise for a product with no lifetime; by default it is left out, and ``left_out`` and
        the notes name it.

    Raises
    ------
    VolumeError
        For a demand without years, or with gaps between its years.
    UnknownItemError
        With ``strict``, for a product with no lifetime in the tables (naming it and the fix).
    """
    tables = tables if tables is not None else demand.catalog.tables.stock
    recycling = recycling if recycling is not None else getattr(demand, "recycling", None)
    years = list(demand.years)
    if not years or any(y is None for y in years):
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
    hist = tables.history[tables.history["product"].isin(products)]
    start = int(min([first, *hist["year"].tolist()]))
    all_years = list(range(start, years[-1] + 1))
    n_p, n_e, n_t = len(products), len(elements), len(all_years)
    inflow = np.zeros((n_p, n_e, n_t))
    p_of = {p: i for i, p in enumerate(products)}
    e_of = {e: i for i, e in enumerate(elements)}
    t0 = first - start
    for row in frame.itertuples(index=False):
        inflow[p_of[row.product], e_of[row.element], t0 + int(row.year) - first] = row.central
    notes: dict[str, str] = {}
    sources = set(life.loc[products, "source"])
    per_unit = _per_unit(demand, inflow[:, :, t0], products)
    units = np.zeros((n_p, n_t))
    for k, pid in enumerate(products):
        units[k, t0:] = demand._volumes[1, list(demand.products).index(pid)]
    for pid in products:
        rows = hist[hist["product"] == pid]
        k = p_of[pid]
        if rows.empty or start == first:
            notes[pid] = f"no inflow before {first}" if start < first else ""
            continue
        spec = {int(r.year): f"{r.amount} {r.unit}".strip() for r in rows.itertuples()}
        spec = {y: v for y, v in spec.items() if y < first}
        span = list(range(min(spec), max(spec) + 1))  # years between given ones: linear
        vols = parse_volumes({pid: spec}, demand.catalog, years=span).values[1, 0]
        for y, v in zip(span, vols, strict=True):
            inflow[k, :, y - start] = per_unit[k] * v
            units[k, y - start] = v
        gaps = " (gaps interpolated)" if len(spec) < len(span) else ""
        notes[pid] = f"history {span[0]}-{span[-1]}{gaps} (history.csv)"
        sources |= set(rows["source"])
    kinds, params = _lifetimes(life, products)
    s = _survival(kinds, params, n_t)
    stock, outflow = stock_and_outflow(inflow, s)
    rates, rate_sources = _chain(tables, recycling, products, elements, all_years)
    sources |= rate_sources
    recovered = outflow * rates
    for pid in products:
        r = life.loc[pid]
        notes[pid] = "; ".join(n for n in (_life_text(r), notes[pid]) if n)
    units_stock, _ = stock_and_outflow(units[:, None, :], s)
    result = StockFlow(all_years, first, products, elements, inflow, stock, outflow, recovered,
                       units_stock=units_stock[:, 0], left_out=missing, notes=notes,
                       sources=sources)  # fmt: skip
    if samples:
        spread = _sampled(int(samples), seed, kinds, params, life, products, inflow, tables,
                          recycling, elements, all_years)  # fmt: skip
        result.spread.update(spread)
    return result


def _per_unit(demand: Any, first_inflow: np.ndarray, products: list[str]) -> np.ndarray:
    """Each product's contents per unit of volume in the first year [t per basis unit]."""
    rows = [list(demand.products).index(p) for p in products]
    vol = demand._volumes[1, rows, 0]
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


def _survival(kinds: list[str], params: np.ndarray, n_t: int) -> np.ndarray:
    """Survival by age of every product, ``params`` shape (..., P, 4) -> (..., P, T)."""
    out = np.empty((*params.shape[:-1], n_t))
    for kind in set(kinds):
        idx = [i for i, k in enumerate(kinds) if k == kind]
        p = params[..., idx, :]
        out[..., idx, :] = survival(kind, n_t, mean=p[..., 0], sd=p[..., 1],
                                    shape=p[..., 2], scale=p[..., 3])  # fmt: skip
    return out


def _match(rows: dict[tuple[str, str, str], int], stage: str, pid: str, el: str) -> int:
    """Position of the most specific row of ``recycling.csv`` for a stage, product and
    element (-1 for none); ``rows`` maps (stage, product, element) to a position."""
    for p, e in ((pid, el), (pid, "*"), ("*", el), ("*", "*")):
        if (stage, p, e) in rows:
            return rows[(stage, p, e)]
    return -1


def _chain(
    tables: StockTables,
    recycling: Any,
    products: list[str],
    elements: list[str],
    years: list[int],
    values: np.ndarray | None = None,
) -> tuple[np.ndarray, set[str]]:
    """collection x liberation x recovery by product, element and year.

    ``values``: the rate of each row of ``recycling.csv``, shape (R,) or drawn (S, R); default
    the central values. Returns shape (P, E, T), or (S, P, E, T) for drawn values. A stage with
    no row and no scenario rate counts as 0 (nothing recycled).
    """
    table = tables.recycling
    vals = table["value"].to_numpy(dtype=float) if values is None else values
    lead = vals.shape[:-1]
    out = np.ones((*lead, len(products), len(elements), len(years)))
    sources: set[str] = set()
    padded = np.concatenate([vals, np.zeros((*lead, 1))], axis=-1)  # -1: no row, rate 0
    by_key: dict[tuple[str, str, str], int] = {}
    for k, key in enumerate(zip(table["stage"], table["product"], table["element"], strict=True)):
        by_key.setdefault(key, k)  # the first row of a key, as the table reads
    for stage in EOL_STAGES:
        set_by_scenario = recycling.at(stage, years) if recycling is not None else None
        if set_by_scenario is not None:
            out *= set_by_scenario
            if recycling.source:
                sources.add(recycling.source)
            continue
        idx = np.array([[_match(by_key, stage, p, e) for e in elements] for p in products])
        sources |= {str(table["source"].iloc[i]) for i in np.unique(idx) if i >= 0}
        out *= padded[..., idx][..., None]
    return out, sources


def _sampled(
    n: int,
    seed: int,
    kinds: list[str],
    params: np.ndarray,
    life: pd.DataFrame,
    products: list[str],
    inflow: np.ndarray,
    tables: StockTables,
    recycling: Any,
    elements: list[str],
    years: list[int],
) -> dict[str, np.ndarray]:
    """p5, p50, p95 of stock, outflow and recovered summed over products, shape (3, E, T)."""
    rng = np.random.default_rng(seed)
    rows = life.loc[products]
    lo = rows["low"].to_numpy(dtype=float)
    hi = rows["high"].to_numpy(dtype=float)
    centre = np.where(rows["distribution"] == "weibull", params[:, 3], params[:, 0])
    lo, hi = np.where(np.isnan(lo), centre, lo), np.where(np.isnan(hi), centre, hi)
    factor = rng.uniform(lo, hi, size=(n, len(products))) / centre  # the mean (scale) scaled,
    drawn = np.repeat(params[None], n, axis=0)  # the coefficient of variation kept
    drawn[..., 0] *= factor
    drawn[..., 1] *= factor
    drawn[..., 3] *= factor
    s = _survival(kinds, drawn, len(years))
    stock, outflow = stock_and_outflow(inflow, s)
    table = tables.recycling
    low, high = table["low"].to_numpy(dtype=float), table["high"].to_numpy(dtype=float)
    drawn_rates = rng.uniform(low, high, size=(n, len(table)))
    rates, _ = _chain(tables, recycling, products, elements, years, drawn_rates)
    rec = outflow * rates
    named = (("stock", stock), ("outflow", outflow), ("recovered", rec))
    return {name: np.quantile(arr.sum(axis=1), _Q, axis=0) for name, arr in named}
