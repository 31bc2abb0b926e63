"""The Monte Carlo of the stock-flow model (:func:`mineralcalc.lenses.stocks.stock_flow`): survival
curves of every product, the end-of-life rates as arrays, and the draws of lifetimes and rates in
chunks of samples within the memory budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..engine import draws
from ..engine.cohorts import inflow_by_age, stock_and_outflow, survival
from ..errors import TableError, VolumeError
from .eol_chain import Chain, chain_rates

__all__ = ["Draws", "life_text", "sampled", "survival_curves"]

_Q = (0.05, 0.5, 0.95)


def life_text(r: Any) -> str:
    if r["distribution"] == "weibull":
        return f"Weibull k={r['shape']:g}, scale {r['scale']:g} yr ({r['source']})"
    if r["distribution"] == "fixed":
        return f"fixed {r['mean']:g} yr ({r['source']})"
    return f"{r['distribution']} {r['mean']:g} ± {r['sd']:g} yr ({r['source']})"


def survival_curves(
    kinds: list[str], params: np.ndarray, n_t: int, rows: pd.DataFrame
) -> np.ndarray:
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
            f"lifetimes.csv:{r['line']}: {rows.index[k]}: its lifetime ({life_text(r)}) gives "
            "no finite survival curve: give mean, sd, shape and scale in years of a product's life"
        )
    return out


@dataclass(frozen=True)
class Draws:
    """What the Monte Carlo draws: each product's lifetime and each row of the chain."""

    kinds: list[str]
    params: np.ndarray  # (P, 4): mean, sd, shape, scale
    life: pd.DataFrame  # the rows of lifetimes.csv of the products, in order
    table: pd.DataFrame  # recycling.csv
    chain: Chain  # eol_chain.end_of_life_chain


def sampled(
    n: int, seed: int | None, what: Draws, inflow: np.ndarray, budget: int
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
        s = survival_curves(what.kinds, drawn, n_t, what.life)
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
