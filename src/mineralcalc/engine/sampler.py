"""The Monte Carlo sampler: demand per sample at a cost that follows the uncertainty.

How it is computed
------------------
Demand is linear in the product volumes, so only *flows* are needed, never every item's
content of every element. Split the part lines into the uncertain ones ``U`` (a drawn
amount, yield or recycled fraction, or a balance part with a drawn sibling) and the rest,
whose coefficients are the same in every sample. Collapse the rest once: ``G = (I - A_d)^-1``
over the deterministic lines gives, for every product and every child of an uncertain line,
its deterministic content of each element (``X = G S``, one dense explosion) and of each
parent of an uncertain line (``G[:, H]``, sparse). Then per sample, with ``v`` the volumes and
``g`` the mass entering each child of an uncertain line through uncertain lines::

    f_H = G[P, H]^T v + G[C, H]^T g          flow into the heads of uncertain lines
    g_c = sum over lines h -> c in U of coef_line x f_h
    demand = X[P]^T v + X[C]^T g

solved over the heights of the heads (a head never feeds another of its height), one
matrix product per height, for all samples of a chunk at once. The per-sample cost is the
number of uncertain lines and of their deterministic links, not products x elements x items.
A chunk's working memory is bounded by :data:`CHUNK_BYTES`.

Means per product are exact without sampling (:func:`mean_coefficients`): every path of the
graph multiplies each line at most once, the draws of different lines are independent, and
a line's coefficient is linear in its amount, its inverse yield and its recycled fraction,
so a path's mean is the product of its lines' means (``E[amount] E[1 / yield]``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy import special

from ..model.graph import CENTRAL, HIGH, LOW, Graph
from . import sampling
from .distributions import CODES, draw, pert_shape
from .explode import closure_to, explode
from .sampling import BLOCK, Layout, codes, line_bounds, reachable

__all__ = ["Sampler", "draw"]


def _dense_or_sparse(m: sp.spmatrix) -> np.ndarray | sp.csr_matrix:
    """Small or dense-enough matrices multiply faster as dense arrays (BLAS)."""
    size = m.shape[0] * m.shape[1]
    if size <= 1_000_000 and (size <= 4096 or m.nnz >= 0.05 * size):
        return np.asarray(m.toarray())
    return sp.csr_matrix(m)


@dataclass(frozen=True, eq=False)
class _Level:
    heads: np.ndarray  # head indices (into H) solved at this height
    g_in: np.ndarray | sp.csr_matrix  # (|heads|, C): deterministic links from children
    lines: np.ndarray  # positions in U of the uncertain lines leaving these heads
    line_heads: np.ndarray  # head index (into H) of each of those lines
    scatter: sp.csr_matrix  # (C, |lines|): the child each line feeds


class Sampler:
    """The products of one catalog compiled for sampling (see the module notes).

    Parameters
    ----------
    graph : Graph
    ids : sequence of str
        Item id of each graph row (lines are named by their parent and child ids).
    dists : (amount, yield, recycled) distribution names of every line
    rows : ndarray of int, shape (P,)
        Engine rows of the products.
    columns : tuple of str
        Element symbols of the graph's leaf columns.
    volumes : ndarray, shape (3, P, Y)
        Low, central, high volume of each product and year.
    volume_dists : sequence of str, length P
    basis : {'mined', 'gross', 'contained'}
    layout : Layout, optional
        The parameters to draw (default: those ``rows`` reach, :meth:`Layout.of`).
    extra : sequence of (product index, element symbol)
        Products that are bare elements no line reaches: each counts 1 kg of itself per kg.
    volume_rows : ndarray of int, optional
        The products whose volumes are drawn (default: those with a range in some year); a
        demand sampled in several year groups decides once for all.
    """

    def __init__(
        self,
        graph: Graph,
        ids: Sequence[str],
        dists: Sequence[Sequence[str]],
        rows: np.ndarray,
        columns: Sequence[str],
        volumes: np.ndarray,
        volume_dists: Sequence[str],
        basis: str = "mined",
        layout: Layout | None = None,
        extra: Sequence[tuple[int, str]] = (),
        volume_rows: np.ndarray | None = None,
    ) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        self.basis = basis
        self.layout = layout = layout if layout is not None else Layout.of(graph, ids, rows, basis)
        reach = reachable(graph, rows)
        reached = reach[graph.leaves]
        self.columns = (
            *(c for c, r in zip(columns, reached, strict=True) if r),
            *(el for _, el in extra),
        )
        # the parameters, in draw order: amounts, yields, recycled fractions, volumes
        amount_d, yield_d, recycled_d = dists
        g = graph
        a_l, y_l, r_l = layout.lines(g, ids)
        self._a = line_bounds(g.amount, a_l, (LOW, CENTRAL, HIGH))
        self._a_code = codes(amount_d, a_l)
        inv = line_bounds(g.inv_yield, y_l, (HIGH, CENTRAL, LOW))
        self._y = (1.0 / np.where(y_l >= 0, inv[0], 1.0), 1.0 / np.where(y_l >= 0, inv[1], 1.0),
                   1.0 / np.where(y_l >= 0, inv[2], 1.0))  # fmt: skip
        self._y_code = codes(yield_d, y_l)
        self._r = line_bounds(g.recycled, r_l, (LOW, CENTRAL, HIGH))
        self._r_code = codes(recycled_d, r_l)
        self.volumes = np.asarray(volumes, dtype=np.float64)
        v_code = np.array([CODES[d] for d in volume_dists], dtype=np.int64)
        self._v_rows = (
            np.flatnonzero(
                (v_code != CODES["fixed"]) & (self.volumes[LOW] < self.volumes[HIGH]).any(axis=1)
            )
            if volume_rows is None
            else np.asarray(volume_rows, dtype=np.int64)
        )
        self._v_code = v_code[self._v_rows]
        self.n_params = layout.size + self._v_rows.size
        # PERT line parameters are drawn as beta variates (their inverse CDF is slow)
        lows = np.concatenate([self._a[0], self._y[0], self._r[0]])
        mids = np.concatenate([self._a[1], self._y[1], self._r[1]])
        highs = np.concatenate([self._a[2], self._y[2], self._r[2]])
        pert = np.concatenate([self._a_code, self._y_code, self._r_code]) == CODES["pert"]
        self._pert_rows = np.flatnonzero(pert & (highs > lows))
        self._pert_shape = pert_shape(*(x[self._pert_rows] for x in (lows, mids, highs)))
        # the uncertain lines U: drawn lines, and balance lines with a drawn sibling
        drawn_sib = np.isin(g._sib, a_l)
        bal_u = np.unique(g._sib_balance[drawn_sib])
        u = np.union1d(np.union1d(a_l, np.union1d(y_l, r_l)), bal_u)
        u = u[u >= 0]
        u = u[reach[g.parent[u]]]
        self._u = u
        pos = {int(line): k for k, line in enumerate(u)}
        self._a_pos = np.array([pos[int(i)] for i in a_l if int(i) in pos], dtype=np.int64)
        self._a_sel = np.array([k for k, i in enumerate(a_l) if int(i) in pos], dtype=np.int64)
        self._y_pos = np.array([pos[int(i)] for i in y_l if int(i) in pos], dtype=np.int64)
        self._y_sel = np.array([k for k, i in enumerate(y_l) if int(i) in pos], dtype=np.int64)
        self._r_pos = np.array([pos[int(i)] for i in r_l if int(i) in pos], dtype=np.int64)
        self._r_sel = np.array([k for k, i in enumerate(r_l) if int(i) in pos], dtype=np.int64)
        central_amount = g.amounts_at(g.amount[CENTRAL])
        self._amount0 = central_amount[u]
        self._inv_y0 = g.inv_yield[CENTRAL][u]
        self._r0 = g.recycled[CENTRAL][u]
        # balance lines of U: 1 - (fixed siblings) - (drawn siblings of the same sample)
        bal_pos = np.array([pos[int(b)] for b in bal_u if int(b) in pos], dtype=np.int64)
        self._bal_pos = bal_pos
        if bal_pos.size:
            bal_rank = {int(u[p]): k for k, p in enumerate(bal_pos)}
            a_rank = {int(i): k for k, i in enumerate(a_l)}
            sib_b, sib = g._sib_balance, g._sib
            fixed = np.zeros(bal_pos.size)
            r_idx, c_idx = [], []
            for b, s in zip(sib_b.tolist(), sib.tolist(), strict=True):
                if b not in bal_rank:
                    continue
                if s in a_rank:
                    r_idx.append(bal_rank[b])
                    c_idx.append(a_rank[s])
                else:
                    fixed[bal_rank[b]] += g.amount[CENTRAL][s]
            self._bal_fixed = fixed
            self._bal_sib = sp.csr_matrix(
                (np.ones(len(r_idx)), (r_idx, c_idx)), shape=(bal_pos.size, a_l.size)
            )
        # deterministic coefficients: every line at its central value, uncertain lines out
        coef = central_amount * g.factors(basis)[CENTRAL]
        coef[u] = 0.0
        coef[~reach[g.parent]] = 0.0
        leaves_on = np.flatnonzero(reached)
        rhs = np.zeros((g.leaves.size, leaves_on.size))
        rhs[leaves_on, np.arange(leaves_on.size)] = 1.0
        x = explode(g, coef, rhs)  # (items, E): deterministic element contents
        heads, head_of = np.unique(g.parent[u], return_inverse=True)
        kids, kid_of = np.unique(g.child[u], return_inverse=True)
        n_ext = len(extra)
        self._x_p = np.zeros((rows.size, leaves_on.size + n_ext))
        self._x_p[:, : leaves_on.size] = x[rows]
        for k, (p, _) in enumerate(extra):
            self._x_p[p, leaves_on.size + k] = 1.0
        self._x_c = np.zeros((kids.size, leaves_on.size + n_ext))
        self._x_c[:, : leaves_on.size] = x[kids]
        self._n_heads, self._n_kids = heads.size, kids.size
        levels: list[_Level] = []
        if u.size:
            closure = closure_to(g, coef, heads)  # (items, H)
            self._g_p = _dense_or_sparse(closure[rows].T)  # (H, P)
            g_c = closure[kids].T.tocsr()  # (H, C)
            height = g.height[heads]
            for h in np.unique(height)[::-1]:
                at = np.flatnonzero(height == h)
                lines = np.flatnonzero(np.isin(head_of, at))
                scatter = sp.csr_matrix(
                    (np.ones(lines.size), (kid_of[lines], np.arange(lines.size))),
                    shape=(kids.size, lines.size),
                )
                levels.append(_Level(at, _dense_or_sparse(g_c[at]), lines, head_of[lines], scatter))
        else:
            self._g_p = np.zeros((0, rows.size))
        self._levels = tuple(levels)
        self.n_products, self.n_years = rows.size, self.volumes.shape[2]

    # ---------------------------------------------------------------------- sizes
    def bytes_per_sample(self, groups: int = 1) -> int:
        """Working memory of one sample in a chunk [bytes], an upper estimate."""
        flows = (self._n_heads + self._n_kids + len(self.columns)) * groups * self.n_years
        lines = max((lv.lines.size for lv in self._levels), default=0) * groups * self.n_years
        return 8 * (2 * self.n_params + 4 * self._u.size + 2 * flows + lines
                    + self.n_products * self.n_years * (1 + groups))  # fmt: skip

    def chunk_blocks(self, groups: int = 1) -> int:
        """Blocks per chunk: as many as ``sampling.CHUNK_BYTES`` holds, at least one."""
        return max(1, sampling.CHUNK_BYTES // max(1, BLOCK * self.bytes_per_sample(groups)))

    def chunk_bytes(self, groups: int = 1) -> int:
        """Working memory of one chunk [bytes], an upper estimate."""
        return self.chunk_blocks(groups) * BLOCK * self.bytes_per_sample(groups)

    # ---------------------------------------------------------------------- drawing
    def uniforms(self, seed: int, first: int, count: int) -> np.ndarray:
        """Standard inputs of samples ``first`` to ``first + count``, shape (params, count).

        Uniform numbers, except the standard beta variates of PERT lines (see
        :mod:`mineralcalc.distributions`); ``first`` must be a multiple of :data:`BLOCK`.
        """
        out = np.empty((self.n_params, count))
        b0 = first // BLOCK
        done = 0
        while done < count:
            size = min(BLOCK, count - done)
            rng = np.random.Generator(
                np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(b0 + done // BLOCK,)))
            )
            out[:, done : done + size] = rng.random((self.n_params, BLOCK))[:, :size]
            if self._pert_rows.size:
                alpha, beta = self._pert_shape
                out[self._pert_rows, done : done + size] = rng.beta(
                    alpha[:, None], beta[:, None], (self._pert_rows.size, BLOCK)
                )[:, :size]
            done += size
        return out

    def values(self, u: np.ndarray) -> dict[str, np.ndarray]:
        """Parameter values for standard inputs ``u`` (params x samples), by kind."""
        n_a, n_y, n_r = (len(p) for p in self.layout.parts)
        parts = np.split(u, np.cumsum([n_a, n_y, n_r]))
        out = {
            "amount": draw(parts[0], *self._a, self._a_code, beta_given=True),
            "yield": draw(parts[1], *self._y, self._y_code, beta_given=True),
            "recycled": draw(parts[2], *self._r, self._r_code, beta_given=True),
        }
        vols = np.empty((self._v_rows.size, self.n_years, u.shape[1]))
        for y in range(self.n_years):
            lo, c, hi = (self.volumes[k][self._v_rows, y] for k in (LOW, CENTRAL, HIGH))
            vols[:, y] = draw(parts[3], lo, c, hi, self._v_code)
        out["volume"] = vols
        return out

    def _coefficients(self, vals: dict[str, np.ndarray], s: int) -> np.ndarray:
        """Coefficient of each uncertain line in each sample, shape (U, s)."""
        amount = np.repeat(self._amount0[:, None], s, axis=1)
        if self._a_pos.size:
            amount[self._a_pos] = vals["amount"][self._a_sel]
        if self._bal_pos.size:
            amount[self._bal_pos] = 1.0 - self._bal_fixed[:, None] - self._bal_sib @ vals["amount"]
        if self.basis == "contained":
            return amount
        inv_y = np.repeat(self._inv_y0[:, None], s, axis=1)
        if self._y_pos.size:
            inv_y[self._y_pos] = 1.0 / vals["yield"][self._y_sel]
        if self.basis == "mined" and (self._r0.any() or self._r_pos.size):
            rec = np.repeat(self._r0[:, None], s, axis=1)
            if self._r_pos.size:
                rec[self._r_pos] = vals["recycled"][self._r_sel]
            inv_y -= rec * (inv_y - 1.0)
        amount *= inv_y
        return amount

    # ---------------------------------------------------------------------- the solve
    def chunk(self, u: np.ndarray, select: np.ndarray | None = None) -> np.ndarray:
        """Demand of one chunk of samples [kg], shape (groups, columns, years, s).

        Parameters
        ----------
        u : ndarray, shape (params, s)
            The chunk's uniform numbers (:meth:`uniforms`).
        select : ndarray, shape (groups, P), optional
            Weights of the products in each group of the output (default: one group, all
            products): the demand of some products alone, from the same draws.
        """
        s = u.shape[1]
        vals = self.values(u)
        coef = self._coefficients(vals, s)
        sel = np.ones((1, self.n_products)) if select is None else np.asarray(select, float)
        n_g, n_y, p = sel.shape[0], self.n_years, self.n_products
        gy = n_g * n_y
        base = self.volumes[CENTRAL]  # (P, Y)
        if self._v_rows.size:  # volumes drawn: (P, G x Y x s)
            v = np.empty((p, n_y, s))
            v[:] = base[:, :, None]
            v[self._v_rows] = vals["volume"]
            flat = (sel.T[:, :, None, None] * v[:, None]).reshape(p, gy * s)
            out = self._x_p.T @ flat
            f0 = self._g_p @ flat
        else:  # fixed volumes: the deterministic part once, repeated over the samples
            small = (sel.T[:, :, None] * base[:, None, :]).reshape(p, gy)
            out = np.repeat(self._x_p.T @ small, s, axis=1)
            f0 = np.repeat(self._g_p @ small, s, axis=1) if self._levels else small[:0]
        if self._levels:
            g = np.zeros((self._n_kids, gy * s))
            for lv in self._levels:
                f = f0[lv.heads] + lv.g_in @ g  # (heads, G x Y x s)
                f = f[np.searchsorted(lv.heads, lv.line_heads)].reshape(-1, gy, s)
                f *= coef[lv.lines][:, None, :]
                g += lv.scatter @ f.reshape(lv.lines.size, -1)
            out += self._x_c.T @ g
        return out.reshape(len(self.columns), n_g, n_y, s).transpose(1, 0, 2, 3)

    def run(
        self,
        n: int,
        seed: int,
        write: Callable[[slice, np.ndarray], None],
        *,
        select: np.ndarray | None = None,
        progress: Callable[[int, int], None] | None = None,
        capture: np.ndarray | None = None,
    ) -> None:
        """Draw ``n`` samples chunk by chunk; ``write(samples, demand)`` stores each chunk.

        ``demand`` has shape (groups, columns, years, s) in kg. ``capture``, shape
        (n, params), receives the uniform numbers (for sensitivity analysis).
        """
        step = self.chunk_blocks(1 if select is None else len(select)) * BLOCK
        done = 0
        while done < n:
            s = min(step, n - done)
            u = self.uniforms(seed, done, s)
            if capture is not None:
                capture[done : done + s] = u.T
            write(slice(done, done + s), self.chunk(u, select))
            done += s
            if progress is not None:
                progress(done, n)

    def parameters(self, products: Sequence[str]) -> list[tuple[str, str, str]]:
        """(kind, item, part) of each parameter in draw order; volumes as (volume, product, '')."""
        out: list[tuple[str, str, str]] = []
        for kind, keys in zip(("amount", "yield", "recycled"), self.layout.parts, strict=True):
            out += [(kind, p, c) for p, c in keys]
        out += [("volume", products[p], "") for p in self._v_rows]
        return out

    def parameter_bounds(self, year: int = 0) -> tuple[np.ndarray, ...]:
        """Low, central, high and distribution code of each parameter, in draw order.

        Line amounts in child basis per parent basis, yields and recycled fractions as
        fractions, volumes in the product's basis for the group's year index ``year``.
        """
        lo, c, hi = (
            np.concatenate([
                self._a[k], self._y[k], self._r[k],
                self.volumes[(LOW, CENTRAL, HIGH)[k]][self._v_rows, year],
            ])
            for k in range(3)
        )  # fmt: skip
        code = np.concatenate([self._a_code, self._y_code, self._r_code, self._v_code])
        return lo, c, hi, code

    def grades(self, u: np.ndarray) -> np.ndarray:
        """Standard inputs (params x samples) as uniform grades in [0, 1]: the PERT rows'
        beta variates through the beta CDF, the others as they are."""
        if not self._pert_rows.size:
            return u
        out = u.copy()
        alpha, beta = self._pert_shape
        out[self._pert_rows] = special.betainc(alpha[:, None], beta[:, None], u[self._pert_rows])
        return out
