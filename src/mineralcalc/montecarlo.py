"""Monte Carlo sampling of demand: every uncertain amount, yield and volume drawn per sample.

* Each part line's amount and yield is one parameter, drawn **once per sample** and used by
  every product that reaches the line (one magnet composition moves all the products that
  contain that magnet together).
* Draws come from each :class:`~mineralcalc.estimate.Estimate`'s distribution by inverse CDF:
  ``uniform``, ``triangular``, ``pert`` (beta, shape 4) and ``fixed`` stay inside
  [low, high]; ``lognormal`` takes the central value as median and low/high as the 5th/95th
  percentiles (and may leave them).
* A balance part is 1 minus its siblings **of the same draw**, so fractions never pass 100 %.
* A product's volume uses one uniform number for all its years, so a sampled trajectory
  stays high (or low) throughout.
* Samples are processed in chunks; peak memory follows the output (samples x elements x
  years), not samples x products x elements. The same seed gives identical results.

The engine of a chunk solves the graph bottom-up, level by level, on arrays of shape
(items, elements, samples) restricted to the items the products reach.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy import special

from .engine import CENTRAL, HIGH, LOW, Graph
from .estimate import DISTRIBUTIONS

__all__ = ["SampledDemand", "draw", "sample_demand"]

_Z95 = 1.6448536269514722  # standard normal 95th percentile
_CODES = {name: n for n, name in enumerate(DISTRIBUTIONS)}
CHUNK_BYTES = 64 * 2**20  # working memory per chunk
KEEP_BYTES = 256 * 2**20  # per-product samples are kept up to this size
MAX_MEMORY = 2 * 2**30
"""Default budget for a sampled run [bytes]: a request estimated above it is refused up front."""
_BASE_BYTES = 256 * 2**20  # the interpreter, numpy, pandas and the catalog, measured ~200 MB


def memory_estimate(n: int, n_columns: int, n_years: int, n_products: int, keep: bool) -> int:
    """Peak memory of sampling ``n`` draws [bytes], an upper estimate.

    The sampled totals (float32, samples x elements x years), the per-product samples when
    kept, a few chunks of working arrays, and the process itself.
    """
    totals = n * n_columns * n_years * 4
    per_product = n * n_products * n_columns * n_years * 4 if keep else 0
    return totals + per_product + 4 * CHUNK_BYTES + _BASE_BYTES


def draw(
    u: np.ndarray, lo: np.ndarray, c: np.ndarray, hi: np.ndarray, code: np.ndarray
) -> np.ndarray:
    """Values for uniform numbers ``u`` (params x samples) by each parameter's inverse CDF.

    Parameters
    ----------
    u : ndarray, shape (n, S)
        Uniform numbers in (0, 1).
    lo, c, hi : ndarray, shape (n,)
        Low, central, high of each parameter.
    code : ndarray of int, shape (n,)
        Index of each parameter's distribution in :data:`~mineralcalc.estimate.DISTRIBUTIONS`.
    """
    out = np.empty_like(u)
    lo_, c_, hi_ = lo[:, None], c[:, None], hi[:, None]
    span = hi_ - lo_
    for name, k in _CODES.items():
        rows = np.flatnonzero(code == k)
        if not rows.size:
            continue
        uu, a, m, b, w = u[rows], lo_[rows], c_[rows], hi_[rows], span[rows]
        if name == "fixed":
            out[rows] = np.broadcast_to(m, uu.shape)
        elif name == "uniform":
            out[rows] = a + uu * w
        elif name == "triangular":
            safe = np.where(w > 0, w, 1.0)
            f = (m - a) / safe
            left = a + np.sqrt(uu * w * (m - a))
            right = b - np.sqrt((1.0 - uu) * w * (b - m))
            out[rows] = np.where(uu < f, left, right)
        elif name == "pert":
            safe = np.where(w > 0, w, 1.0)
            alpha = 1.0 + 4.0 * (m - a) / safe
            beta = 1.0 + 4.0 * (b - m) / safe
            out[rows] = a + w * special.betaincinv(alpha, beta, uu)
        elif name == "lognormal":
            sigma = np.log(b / a) / (2.0 * _Z95)
            out[rows] = np.exp(np.log(m) + sigma * special.ndtri(uu))
    return out


@dataclass
class _Params:
    """The uncertain parameters of a graph (line amounts, yields and recycled fractions)."""

    amount_lines: np.ndarray  # line index of each uncertain amount
    amount_codes: np.ndarray
    yield_lines: np.ndarray
    yield_codes: np.ndarray
    recycled_lines: np.ndarray
    recycled_codes: np.ndarray


@dataclass
class SampledDemand:
    """Monte Carlo results kept by a :class:`~mineralcalc.result.Demand`.

    Attributes
    ----------
    n : int
        Number of samples.
    totals : ndarray, shape (n, elements, years), float32
        Demand of each element [kg] summed over products, per sample (float32: a relative
        precision of 6e-8, and half the memory).
    columns : tuple of str
        Element symbol of each column.
    per_product : ndarray or None, shape (n, products, elements, years), float32
        Kept when it fits in :data:`KEEP_BYTES`.
    mean_per_product : ndarray, shape (products, elements, years)
        Mean demand per product (exact, streamed over the chunks).
    seed : int or None
    """

    n: int
    totals: np.ndarray
    columns: tuple[str, ...]
    per_product: np.ndarray | None
    mean_per_product: np.ndarray
    seed: int | None


def _reachable(graph: Graph, rows: np.ndarray) -> np.ndarray:
    """Boolean mask of the items reachable from ``rows`` (themselves included)."""
    seen = np.zeros(graph.n_items, dtype=bool)
    seen[rows] = True
    frontier = np.unique(rows)
    by_parent = np.argsort(graph.parent, kind="stable")
    ptr = np.searchsorted(graph.parent[by_parent], np.arange(graph.n_items + 1))
    while frontier.size:
        counts = ptr[frontier + 1] - ptr[frontier]
        if not counts.sum():
            break
        starts = np.repeat(ptr[frontier] - np.cumsum(counts) + counts, counts)
        kids = graph.child[by_parent[starts + np.arange(int(counts.sum()))]]
        new = np.unique(kids[~seen[kids]])
        seen[new] = True
        frontier = new
    return seen


def reachable_columns(graph: Graph, rows: np.ndarray, columns: Sequence[str]) -> tuple[str, ...]:
    """The element columns (of ``columns``, one per leaf) that the items ``rows`` reach."""
    keep = _reachable(graph, rows)
    return tuple(c for c, leaf in zip(columns, graph.leaves, strict=True) if keep[leaf])


def _codes(graph: Graph, dists: Sequence[Sequence[str]]) -> _Params:
    amount_d, yield_d = dists[0], dists[1]
    recycled_d = dists[2] if len(dists) > 2 else ("fixed",) * graph.parent.size
    a_unc = (graph.amount[LOW] < graph.amount[HIGH]) & ~graph.balance
    y_unc = graph.inv_yield[LOW] < graph.inv_yield[HIGH]
    r_unc = graph.recycled[LOW] < graph.recycled[HIGH]
    a_lines, y_lines = np.flatnonzero(a_unc), np.flatnonzero(y_unc)
    r_lines = np.flatnonzero(r_unc)
    return _Params(
        a_lines, np.array([_CODES[amount_d[int(i)]] for i in a_lines], dtype=np.int64),
        y_lines, np.array([_CODES[yield_d[int(i)]] for i in y_lines], dtype=np.int64),
        r_lines, np.array([_CODES[recycled_d[int(i)]] for i in r_lines], dtype=np.int64),
    )  # fmt: skip


def sample_demand(
    graph: Graph,
    dists: Sequence[Sequence[str]],
    rows: np.ndarray,
    columns: tuple[str, ...],
    volumes: np.ndarray,
    volume_dists: Sequence[str],
    n: int,
    seed: int | None,
    progress: Callable[[int, int], None] | None = None,
    extra: Sequence[tuple[int, str]] = (),
    keep_per_product: bool | None = None,
    basis: str = "mined",
    into: SampledDemand | None = None,
    into_columns: Sequence[int] | None = None,
    into_years: Sequence[int] | None = None,
) -> SampledDemand:
    """Draw ``n`` samples of the demand of products ``rows`` at ``volumes``.

    Parameters
    ----------
    graph : Graph
        The compiled catalog (one year's).
    dists : (amount, yield[, recycled] distributions)
        Distribution name of each line's amount, yield and recycled fraction.
    rows : ndarray of int, shape (P,)
        Engine rows of the products.
    columns : tuple of str
        Element symbols of the graph's leaf columns; the result keeps those the products reach
        (:func:`reachable_columns`).
    volumes : ndarray, shape (3, P, Y)
        Low, central, high volumes.
    volume_dists : sequence of str, length P
    n : int
        Number of samples.
    seed : int, optional
    progress : callable(done, total), optional
        Called after each chunk.
    extra : sequence of (product index, element symbol)
        Products that are bare elements no line reaches: each counts 1 kg of itself per kg.
    keep_per_product : bool, optional
        Keep every sample per product (float32); default: when that fits in
        :data:`KEEP_BYTES`. A caller sampling several year groups decides once for all.
    basis : {'mined', 'gross', 'contained'}
        What the sampled masses mean (:data:`mineralcalc.engine.BASES`): the loss factor of
        each line is computed from the same draw of its yield and recycled fraction.
    into, into_columns, into_years : optional
        Write the results into the arrays of ``into`` (at these element columns and years)
        as each chunk is done, instead of allocating new ones: a caller sampling several year
        groups holds one set of arrays.
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    n_products, n_years = volumes.shape[1], volumes.shape[2]
    params = _codes(graph, dists)
    # compact sub-graph: the items the products reach, the levels of their lines, and only the
    # element columns they reach (the others would be zero in every draw)
    keep = _reachable(graph, rows)
    reached = keep[graph.leaves]
    columns = tuple(c for c, r in zip(columns, reached, strict=True) if r)
    n_graph = len(columns)
    columns = (*columns, *(el for _, el in extra))
    n_cols = len(columns)
    index = np.full(graph.n_items, -1, dtype=np.int64)
    index[keep] = np.arange(int(keep.sum()))
    n_sub = int(keep.sum())
    levels = []
    for lv in graph.levels:
        sel = np.flatnonzero(keep[lv.rows])
        if not sel.size:
            continue
        starts, counts = lv.indptr[sel], lv.indptr[sel + 1] - lv.indptr[sel]
        idx = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
        seg = np.cumsum(np.r_[0, counts[:-1]])
        levels.append((index[lv.rows[sel]], lv.lines[idx], index[lv.indices[idx]], seg))
    leaf_rows = index[graph.leaves[reached]]
    sub_rows = index[rows]
    chunk = int(max(1, min(n, CHUNK_BYTES // max(1, max(n_sub, n_products) * n_cols * 8 * 3))))
    keep_pp = (
        n * n_products * n_cols * n_years * 4 <= KEEP_BYTES
        if keep_per_product is None
        else keep_per_product
    )
    if into is None:
        into = SampledDemand(
            n, np.empty((n, n_cols, n_years), dtype=np.float32), columns,
            np.empty((n, n_products, n_cols, n_years), dtype=np.float32) if keep_pp else None,
            np.zeros((n_products, n_cols, n_years)), seed,
        )  # fmt: skip
        into_columns, into_years = range(n_cols), range(n_years)
    cix = np.asarray(list(into_columns if into_columns is not None else range(n_cols)))
    yix = np.asarray(list(into_years if into_years is not None else range(n_years)))
    pix = np.arange(n_products)
    # balance lines: 1 - the sum of their siblings, per sample (a sparse product)
    bal = np.flatnonzero(graph.balance)
    sib_matrix = None
    if bal.size:
        position = np.full(graph.parent.size, -1, dtype=np.int64)
        position[bal] = np.arange(bal.size)
        sib_matrix = sp.csr_matrix(
            (np.ones(graph._sib.size), (position[graph._sib_balance], graph._sib)),
            shape=(bal.size, graph.parent.size),
        )
    v_codes = np.array([_CODES[d] for d in volume_dists], dtype=np.int64)
    a_lines, y_lines = params.amount_lines, params.yield_lines
    r_lines = params.recycled_lines
    amount, inv_yield, recycled = graph.amount, graph.inv_yield, graph.recycled
    loops = basis == "mined" and bool(recycled.any())
    done = 0
    while done < n:
        s = min(chunk, n - done)
        coef_a = np.repeat(amount[CENTRAL][:, None], s, axis=1)
        if a_lines.size:
            u = rng.random((a_lines.size, s))
            coef_a[a_lines] = draw(
                u, amount[LOW][a_lines], amount[CENTRAL][a_lines], amount[HIGH][a_lines],
                params.amount_codes,
            )  # fmt: skip
        inv_y = np.repeat(inv_yield[CENTRAL][:, None], s, axis=1)
        if y_lines.size:
            u = rng.random((y_lines.size, s))
            y_lo, y_c, y_hi = (1.0 / inv_yield[k][y_lines] for k in (HIGH, CENTRAL, LOW))
            inv_y[y_lines] = 1.0 / draw(u, y_lo, y_c, y_hi, params.yield_codes)
        if sib_matrix is not None:
            coef_a[bal] = 1.0 - sib_matrix @ coef_a
        if basis == "contained":
            coef = coef_a
        elif loops:  # the same draws of yield and recycled fraction give the net factor
            rec = np.repeat(recycled[CENTRAL][:, None], s, axis=1)
            if r_lines.size:
                u = rng.random((r_lines.size, s))
                rec[r_lines] = draw(
                    u, recycled[LOW][r_lines], recycled[CENTRAL][r_lines],
                    recycled[HIGH][r_lines], params.recycled_codes,
                )  # fmt: skip
            coef = coef_a * (inv_y - rec * (inv_y - 1.0))
        else:
            coef = coef_a * inv_y  # (lines, s)
        u_v = rng.random((n_products, s))
        vols = np.empty((n_products, n_years, s))
        for y in range(n_years):
            vols[:, y, :] = draw(u_v, volumes[0, :, y], volumes[1, :, y], volumes[2, :, y], v_codes)
        # bottom-up solve on (sub-items, elements, s)
        x = np.zeros((n_sub, n_graph, s))
        x[leaf_rows, np.arange(n_graph), :] = 1.0
        for parents, lines, children, seg in levels:
            contrib = coef[lines][:, None, :] * x[children]
            x[parents] = np.add.reduceat(contrib, seg, axis=0)
        ints = x[sub_rows]
        if extra:
            ints = np.concatenate([ints, np.zeros((n_products, len(extra), s))], axis=1)
            for k, (p, _) in enumerate(extra):
                ints[p, n_graph + k, :] = 1.0
        pp = np.einsum("pys,pts->spty", vols, ints)  # (s, P, T, Y)
        rows = np.arange(done, done + s)
        into.totals[np.ix_(rows, cix, yix)] = pp.sum(axis=1)
        into.mean_per_product[np.ix_(pix, cix, yix)] += pp.sum(axis=0) / n
        if into.per_product is not None:
            into.per_product[np.ix_(rows, pix, cix, yix)] = pp
        del pp
        done += s
        if progress is not None:
            progress(done, n)
    return into
