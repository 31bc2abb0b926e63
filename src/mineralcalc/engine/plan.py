"""The plan of a Monte Carlo: which lines vary, their heights, and the order of the draws.

Compiled once per demand (:class:`Plan`), from the catalog's graph and the products: the
uncertain lines ``U`` (a drawn amount, yield or recycled fraction, a balance part with a
drawn sibling, or a line whose amount changes over the years), the heads they leave and the
heights of those heads, the deterministic rest collapsed into dense element contents and
sparse links (see :mod:`mineralcalc.engine.montecarlo` for how they are used), and the stream
order of the parameters: the drawn volumes, then, height by height, the line amounts, yields
and recycled fractions of that height's lines. The plan also names the parameters, gives
their bounds, and turns standard inputs into grades, for sensitivity analysis.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy import special

from ..model.graph import CENTRAL, HIGH, LOW, Graph, YearAmounts
from . import draws
from .distributions import CODES, pert_shape
from .draws import BLOCK, codes, reachable
from .explode import closure_to, explode
from .levels import SLICE_LINES, Level, Params, dense_or_sparse, params_of, slices_of

__all__ = ["SLICE_LINES", "Level", "Params", "Plan"]

_PERT = CODES["pert"]


class Plan:
    """The products of one catalog compiled for sampling (see the module notes).

    Parameters
    ----------
    graph : Graph
    ids : sequence of str
        Item id of each graph row.
    dists : (amount, yield, recycled) distribution names of every line
    rows : ndarray of int, shape (P,)
        Engine rows of the products.
    columns : tuple of str
        Element symbols of the graph's leaf columns.
    volumes : ndarray, shape (3, P, Y)
        Low, central, high volume of each product and year.
    volume_dists : sequence of str, length P
    basis : {'mined', 'gross', 'contained'}
    extra : sequence of (product index, element symbol)
        Products that are bare elements no line reaches: each counts 1 kg of itself per kg.
    years : YearAmounts, optional
        The amounts of the lines that change over the years (one column per year of
        ``volumes``).
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
        extra: Sequence[tuple[int, str]] = (),
        years: YearAmounts | None = None,
    ) -> None:
        g = graph
        rows = np.asarray(rows, dtype=np.int64)
        self.basis, self._ids = basis, list(ids)
        self._parent, self._child = g.parent, g.child
        self.volumes = np.asarray(volumes, dtype=np.float64)
        self.n_products, self.n_years = rows.size, self.volumes.shape[2]
        reach = reachable(g, rows)
        reached = reach[g.leaves]
        self.columns = (
            *(c for c, r in zip(columns, reached, strict=True) if r),
            *(el for _, el in extra),
        )
        # which lines vary: drawn amounts, yields, recycled fractions; changes over years
        on = reach[g.parent]
        n_lines = g.parent.size
        yearly = np.zeros(n_lines, dtype=bool)
        year_lo = year_c = year_hi = None
        if years is not None:
            yearly[years.lines] = True
            year_lo, year_c, year_hi = (np.zeros((n_lines, self.n_years)) for _ in range(3))
            for arr, k in ((year_lo, LOW), (year_c, CENTRAL), (year_hi, HIGH)):
                arr[years.lines] = years.amount[k]
        a_drawn = ~g.balance & (g.amount[LOW] < g.amount[HIGH])
        if years is not None and year_lo is not None and year_hi is not None:
            a_drawn[years.lines] |= (year_lo[years.lines] < year_hi[years.lines]).any(axis=1)
        a_drawn &= on
        y_drawn = on & (g.inv_yield[LOW] < g.inv_yield[HIGH]) & (basis != "contained")
        r_drawn = on & (g.recycled[LOW] < g.recycled[HIGH]) & (basis == "mined")
        varies = a_drawn | yearly
        bal_var = np.zeros(n_lines, dtype=bool)
        sib, bal_of = g.balance_siblings, g.balance_of_sibling
        bal_var[bal_of[varies[sib]]] = True
        yearly[bal_of[yearly[sib]]] = True  # a balance follows its changed siblings
        u = np.flatnonzero(on & (varies | y_drawn | r_drawn | bal_var | yearly))
        self._u = u
        # the volumes drawn (first in the stream)
        v_code = np.array([CODES[d] for d in volume_dists], dtype=np.int64)
        self._v_rows = np.flatnonzero(
            (v_code != CODES["fixed"]) & (self.volumes[LOW] < self.volumes[HIGH]).any(axis=1)
        )
        self._v_code = v_code[self._v_rows]
        # deterministic coefficients: every line at its central value, uncertain lines out
        central_amount = g.amounts_at(g.amount[CENTRAL])
        coef = central_amount * g.factors(basis)[CENTRAL]
        coef[u] = 0.0
        coef[~on] = 0.0
        leaves_on = np.flatnonzero(reached)
        rhs = np.zeros((g.leaves.size, leaves_on.size))
        rhs[leaves_on, np.arange(leaves_on.size)] = 1.0
        x = explode(g, coef, rhs)  # (items, E): deterministic element contents
        n_ext, n_el = len(extra), leaves_on.size
        self._x_p = np.zeros((rows.size, n_el + n_ext))
        self._x_p[:, :n_el] = x[rows]
        for k, (p, _) in enumerate(extra):
            self._x_p[p, n_el + k] = 1.0
        heads, head_of = np.unique(g.parent[u], return_inverse=True)
        self._n_heads = heads.size
        closure = closure_to(g, coef, heads) if u.size else sp.csr_matrix((g.n_items, 0))
        self._g_p = dense_or_sparse(closure[rows].T) if u.size else np.zeros((0, rows.size))
        # the heights, top down, and their parameters in stream order
        amount_d, yield_d, recycled_d = dists
        line_codes = (codes(amount_d, u), codes(yield_d, u), codes(recycled_d, u))
        a_code_of = dict(zip(u.tolist(), line_codes[0].tolist(), strict=True))
        y_code_of = dict(zip(u.tolist(), line_codes[1].tolist(), strict=True))
        r_code_of = dict(zip(u.tolist(), line_codes[2].tolist(), strict=True))
        levels: list[Level] = []
        first = self._v_rows.size
        height = g.height[heads]
        sib_of_bal: dict[int, list[int]] = {}
        for b, s_ in zip(bal_of.tolist(), sib.tolist(), strict=True):
            sib_of_bal.setdefault(b, []).append(s_)
        for at in slices_of(height, head_of):
            lines = u[at]
            n = lines.size
            kids, kid_local = np.unique(g.child[lines], return_inverse=True)
            scatter = sp.csr_matrix((np.ones(n), (kid_local, np.arange(n))), shape=(kids.size, n))
            links = closure[kids].T.tocsr()  # (H, kids)
            below = np.flatnonzero(links.getnnz(axis=1))
            pos_of = {int(line): k for k, line in enumerate(lines.tolist())}
            a = params_of(lines, a_drawn & ~g.balance, g.amount, (LOW, CENTRAL, HIGH), a_code_of)
            yp = params_of(lines, y_drawn, 1.0 / g.inv_yield, (HIGH, CENTRAL, LOW), y_code_of)
            rp = params_of(lines, r_drawn, g.recycled, (LOW, CENTRAL, HIGH), r_code_of)
            yl = np.flatnonzero(yearly[lines] & ~g.balance[lines])
            by_year = np.flatnonzero(yearly[lines])
            static = np.flatnonzero(~yearly[lines])
            kids_by, kid_by = np.unique(kid_local[by_year], return_inverse=True)
            scatter_by = sp.csr_matrix(
                (np.ones(by_year.size), (kid_by, np.arange(by_year.size))),
                shape=(kids_by.size, by_year.size),
            )
            if year_lo is not None and year_c is not None and year_hi is not None and yl.size:
                ybounds = np.stack([year_lo[lines[yl]], year_c[lines[yl]], year_hi[lines[yl]]])
            else:
                ybounds = np.zeros((3, 0, self.n_years))
            a_row = {int(p): k for k, p in enumerate(a.pos.tolist())}
            yearly_row = np.array([a_row.get(int(p), -1) for p in yl], dtype=np.int64)
            bal = np.flatnonzero(g.balance[lines])
            r_idx, c_idx, fixed = [], [], np.zeros(bal.size)
            for k, b in enumerate(lines[bal].tolist()):
                for s_ in sib_of_bal.get(b, []):
                    if s_ in pos_of:
                        r_idx.append(k)
                        c_idx.append(pos_of[s_])
                    else:
                        fixed[k] += g.amount[CENTRAL][s_]
            bal_sib = sp.csr_matrix((np.ones(len(r_idx)), (r_idx, c_idx)), shape=(bal.size, n))
            stream_codes = np.concatenate([a.code, yp.code, rp.code])
            lows = np.concatenate([a.lo, yp.lo, rp.lo])
            mids = np.concatenate([a.c, yp.c, rp.c])
            highs = np.concatenate([a.hi, yp.hi, rp.hi])
            pert_rows = np.flatnonzero((stream_codes == _PERT) & (highs > lows))
            levels.append(
                Level(
                    by_year=by_year,
                    static=static,
                    scatter_by_year=scatter_by,
                    x_by_year=x[kids[kids_by]][:, :n_el],
                    g_by_year=dense_or_sparse(links[below][:, kids_by]),
                    scatter_static=scatter[:, static].tocsr(),
                    by_year_reaches=bool(links[below][:, kids_by].nnz),
                    lines=lines,
                    heads=head_of[at],
                    scatter=scatter,
                    x_kids=x[kids][:, :n_el],
                    below=below,
                    g_kids=dense_or_sparse(links[below]),
                    first=first,
                    amount=a,
                    yields=yp,
                    recycled=rp,
                    amount0=central_amount[lines],
                    inv_y0=g.inv_yield[CENTRAL][lines],
                    r0=g.recycled[CENTRAL][lines],
                    yearly=yl,
                    yearly_bounds=ybounds,
                    yearly_row=yearly_row,
                    yearly_code=np.array([a_code_of[int(i)] for i in lines[yl]], dtype=np.int64),
                    balance=bal,
                    bal_sib=bal_sib,
                    bal_fixed=fixed,
                    pert_rows=pert_rows,
                    pert_shape=pert_shape(lows[pert_rows], mids[pert_rows], highs[pert_rows]),
                )
            )
            first += levels[-1].size
        self._levels = tuple(levels)
        self.n_params = first
        self._n_extra = n_ext

    # ---------------------------------------------------------------------- sizes
    def bytes_per_sample(self, groups: int = 1) -> int:
        """Working memory of one sample in a chunk [bytes], an upper estimate."""
        gy, n_e, n_h = groups * self.n_years, len(self.columns), self._n_heads
        volumes = (
            self.n_products * (self.n_years + gy) + self._v_rows.size if self._v_rows.size else 0
        )
        if self.n_products < gy:  # flows per product (see Sampler.by_product)
            batch = self.n_products
            yearly = max((lv.by_year.size for lv in self._levels), default=0)
            flows = (n_h + n_e) * batch + n_e * gy + yearly * gy * 2
            if any(lv.by_year_reaches for lv in self._levels):
                flows += n_h * gy
        else:
            batch = gy
            flows = (n_h + n_e) * gy
        widest = max(
            (
                lv.lines.size * (batch + 4 + self.n_years) + lv.scatter.shape[0] * batch * 2
                for lv in self._levels
            ),
            default=0,
        )
        return int(8 * (flows + widest + volumes))

    def chunk_blocks(self, groups: int = 1) -> int:
        """Blocks per chunk: as many as ``draws.CHUNK_BYTES`` holds, at least one."""
        return max(1, draws.CHUNK_BYTES // max(1, BLOCK * self.bytes_per_sample(groups)))

    def chunk_bytes(self, groups: int = 1) -> int:
        """Working memory of one chunk [bytes], an upper estimate."""
        return self.chunk_blocks(groups) * BLOCK * self.bytes_per_sample(groups)

    # ---------------------------------------------------------------------- inputs
    def parameters(self, products: Sequence[str]) -> list[tuple[str, str, str]]:
        """(kind, item, part) of each parameter in stream order; volumes as (volume, product,
        '')."""
        out = [("volume", products[p], "") for p in self._v_rows.tolist()]
        ids, parent, child = self._ids, self._parent, self._child
        for lv in self._levels:
            for kind, prm in (
                ("amount", lv.amount),
                ("yield", lv.yields),
                ("recycled", lv.recycled),
            ):
                out += [(kind, ids[parent[i]], ids[child[i]]) for i in lv.lines[prm.pos].tolist()]
        return out

    def parameter_bounds(self, year: int = 0) -> tuple[np.ndarray, ...]:
        """Low, central, high and distribution code of each parameter, in stream order.

        Line amounts in child basis per parent basis (a changing line's at year index
        ``year``), yields and recycled fractions as fractions, volumes in the product's basis.
        """
        parts = [
            [self.volumes[k][self._v_rows, year] for k in (LOW, CENTRAL, HIGH)] + [self._v_code]
        ]
        for lv in self._levels:
            a_lo, a_c, a_hi = lv.amount.lo.copy(), lv.amount.c.copy(), lv.amount.hi.copy()
            for k, row in enumerate(lv.yearly_row):
                if row >= 0:
                    a_lo[row], a_c[row], a_hi[row] = lv.yearly_bounds[:, k, year]
            parts.append(
                [
                    np.concatenate([a_lo, lv.yields.lo, lv.recycled.lo]),
                    np.concatenate([a_c, lv.yields.c, lv.recycled.c]),
                    np.concatenate([a_hi, lv.yields.hi, lv.recycled.hi]),
                    np.concatenate([lv.amount.code, lv.yields.code, lv.recycled.code]),
                ]
            )
        lo, c, hi, code = (np.concatenate([p[k] for p in parts]) for k in range(4))
        return lo, c, hi, code.astype(np.int64)

    def grades(self, u: np.ndarray) -> np.ndarray:
        """Standard inputs (params x samples) as uniform grades in [0, 1]: the PERT rows'
        beta variates through the beta CDF, the others as they are."""
        out = u
        for lv in self._levels:
            if lv.pert_rows.size:
                if out is u:
                    out = u.copy()
                rows = lv.first + lv.pert_rows
                alpha, beta = lv.pert_shape
                out[rows] = special.betainc(alpha[:, None], beta[:, None], u[rows])
        return out
