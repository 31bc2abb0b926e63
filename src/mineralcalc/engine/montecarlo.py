"""The Monte Carlo sampler: demand per sample at a cost that follows the uncertainty.

How it is computed
------------------
Demand is linear in the product volumes, so only *flows* are needed, never every item's
content of every element. Split the part lines into the uncertain ones ``U`` (a drawn
amount, yield or recycled fraction, a balance part with a drawn sibling, or a line whose
amount changes over the years) and the rest, whose coefficients are the same in every sample
and year. Collapse the rest once: ``G = (I - A_d)^-1`` over the deterministic lines gives,
for every product and every child of an uncertain line, its deterministic content of each
element (``X = G S``, one dense explosion) and of each parent ("head") of an uncertain line
(``G[:, H]``, sparse). Then, with ``v`` the volumes of a chunk of samples and years::

    F = G[P, H]^T v                          flow into every head, before uncertain lines
    for each height of heads, from the top:
        dg = sum over the lines h -> c of the height of coef_line x F_h   (per sample, year)
        demand += X[c]^T dg                  what the children hold
        F += G[c, H]^T dg                    what reaches the heads below

A head never feeds another of its height, so one pass over the heights solves a chunk. The
per-sample cost is the number of uncertain lines and of their deterministic links, not
products x elements x items; the working memory is the flows into the heads plus one height's
lines, and the chunk holds as many samples as :data:`~mineralcalc.engine.draws.CHUNK_BYTES`
allows (one block at least).

Years share one set of draws: a line whose amount changes (:class:`~mineralcalc.model.changes.
Change`) takes each year's bounds through the same uniform number, so a thrifted line moves
with its draw, and 50 years cost one Monte Carlo with a year axis, not 50.

Draws
-----
The parameters are drawn in a fixed order: the drawn volumes, then, height by height, the
line amounts, yields and recycled fractions of that height's lines. Block ``k`` of
:data:`~mineralcalc.engine.draws.BLOCK` samples reads its own stream
``SeedSequence(seed, spawn_key=(k,))``, so the same seed gives the same numbers whatever the
chunk size, memory budget or executor.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future

import numpy as np

from ..model.graph import CENTRAL, HIGH, LOW
from .distributions import draw
from .draws import BLOCK
from .levels import Level
from .plan import Plan

__all__ = ["Sampler", "draw"]


class Sampler(Plan):
    """A :class:`~mineralcalc.engine.plan.Plan` that draws and solves chunks of samples.

    Takes the arguments of :class:`~mineralcalc.engine.plan.Plan`.
    """

    # ---------------------------------------------------------------------- drawing
    @staticmethod
    def _streams(seed: int, first: int, count: int) -> list[tuple[np.random.Generator, int]]:
        """The generators of the blocks of samples ``first`` to ``first + count``."""
        out = []
        for start in range(first, first + count, BLOCK):
            size = min(BLOCK, first + count - start)
            ss = np.random.SeedSequence(seed, spawn_key=(start // BLOCK,))
            out.append((np.random.Generator(np.random.PCG64(ss)), size))
        return out

    @staticmethod
    def _rows(streams: list[tuple[np.random.Generator, int]], n: int) -> np.ndarray:
        """The next ``n`` rows of every block's stream, side by side: shape (n, samples)."""
        return np.concatenate([gen.random((n, BLOCK))[:, :size] for gen, size in streams], axis=1)

    def _level_inputs(
        self, lv: Level, streams: list[tuple[np.random.Generator, int]]
    ) -> np.ndarray:
        """A height's standard inputs: uniforms, and beta variates for its PERT lines."""
        u = self._rows(streams, lv.size)
        if lv.pert_rows.size:
            alpha, beta = lv.pert_shape
            at = 0
            for gen, size in streams:
                u[lv.pert_rows, at : at + size] = gen.beta(
                    alpha[:, None], beta[:, None], (lv.pert_rows.size, BLOCK)
                )[:, :size]
                at += size
        return u

    def uniforms(self, seed: int, first: int, count: int) -> np.ndarray:
        """The standard inputs of samples ``first`` to ``first + count``, (params, count), in
        stream order: uniforms, and beta variates for PERT lines; ``first`` a multiple of
        :data:`~mineralcalc.engine.draws.BLOCK`."""
        streams = self._streams(seed, first, count)
        parts = [self._rows(streams, self._v_rows.size)]
        parts += [self._level_inputs(lv, streams) for lv in self._levels]
        return np.concatenate(parts, axis=0)

    def _coefficients(self, lv: Level, u: np.ndarray) -> np.ndarray:
        """Coefficient of each of a height's lines per year and sample: (lines, Y or 1, s)."""
        s, n_a, n_y = u.shape[1], lv.amount.pos.size, lv.yields.pos.size
        y_years = self.n_years if lv.yearly.size else 1
        amount = np.empty((lv.lines.size, y_years, s))
        amount[:] = lv.amount0[:, None, None]
        if n_a:
            a = lv.amount
            amount[a.pos] = draw(u[:n_a], a.lo, a.c, a.hi, a.code, beta_given=True)[:, None, :]
        for k, p in enumerate(lv.yearly):  # each year's bounds through the same number
            lo, c, hi = lv.yearly_bounds[:, k, :]
            row = lv.yearly_row[k]
            if row < 0:
                amount[p] = c[:, None]
            else:
                code = np.full(self.n_years, lv.yearly_code[k])
                uu = np.broadcast_to(u[row], (self.n_years, s))
                amount[p] = draw(uu, lo, c, hi, code, beta_given=True)
        if lv.balance.size:
            sums = lv.bal_sib @ amount.reshape(lv.lines.size, -1)
            amount[lv.balance] = (1.0 - lv.bal_fixed[:, None] - sums).reshape(-1, y_years, s)
        if self.basis == "contained":
            return amount
        inv_y = np.empty((lv.lines.size, s))
        inv_y[:] = lv.inv_y0[:, None]
        if n_y:
            yp = lv.yields
            inv_y[yp.pos] = 1.0 / draw(
                u[n_a : n_a + n_y], yp.lo, yp.c, yp.hi, yp.code, beta_given=True
            )
        if self.basis == "mined" and (lv.r0.any() or lv.recycled.pos.size):
            rec = np.empty((lv.lines.size, s))
            rec[:] = lv.r0[:, None]
            if lv.recycled.pos.size:
                rp = lv.recycled
                rec[rp.pos] = draw(u[n_a + n_y :], rp.lo, rp.c, rp.hi, rp.code, beta_given=True)
            inv_y -= rec * (inv_y - 1.0)
        amount *= inv_y[:, None, :]
        return amount

    # ---------------------------------------------------------------------- the solve
    def chunk(
        self, seed: int, first: int, count: int, select: np.ndarray | None = None
    ) -> np.ndarray:
        """Demand of samples ``first`` to ``first + count`` [kg], (groups, columns, years, s).

        Parameters
        ----------
        seed, first, count
            The samples (``first`` a multiple of :data:`~mineralcalc.engine.draws.BLOCK`).
        select : ndarray, shape (groups, P), optional
            Weights of the products in each group of the output (default: one group, all
            products): the demand of some products alone, from the same draws.
        """
        streams = self._streams(seed, first, count)
        s = count
        sel = np.ones((1, self.n_products)) if select is None else np.asarray(select, float)
        n_g, n_y, p = sel.shape[0], self.n_years, self.n_products
        base = self.volumes[CENTRAL]  # (P, Y)
        u_v = self._rows(streams, self._v_rows.size)
        if self._v_rows.size:
            v = np.empty((p, n_y, s))
            v[:] = base[:, :, None]
            for y in range(n_y):
                lo, c, hi = (self.volumes[k][self._v_rows, y] for k in (LOW, CENTRAL, HIGH))
                v[self._v_rows, y] = draw(u_v, lo, c, hi, self._v_code)
        else:  # the same volumes in every sample: one column, broadcast
            v = base[:, :, None]
        vsel = sel.T[:, :, None, None] * v[:, None]  # (P, G, Y, s or 1)
        if self.by_product(n_g):
            out = self._solve_products(streams, vsel, s)
        else:
            out = self._solve_years(streams, vsel, s)
        return out.reshape(len(self.columns), n_g, n_y, s).transpose(1, 0, 2, 3)

    def by_product(self, groups: int = 1) -> bool:
        """Whether flows are carried per product (then weighted by the volumes at the end)
        rather than per group and year: whichever touches fewer numbers. Per product, the
        heights below a changing line that leads on carry per-year flows as well."""
        gy, p = groups * self.n_years, self.n_products
        if p >= gy:
            return False
        work = [lv.lines.size + lv.scatter.shape[0] for lv in self._levels]
        per_year = self._n_heads + sum(work)
        per_product = p * per_year
        reached = False
        for lv, w in zip(self._levels, work, strict=True):
            if reached:
                per_product += gy * w
            else:
                per_product += gy * lv.by_year.size
            if lv.by_year_reaches and not reached:
                reached = True
                per_product += gy * self._n_heads
        return bool(per_product < gy * per_year)

    def _solve_years(
        self, streams: list[tuple[np.random.Generator, int]], vsel: np.ndarray, s: int
    ) -> np.ndarray:
        """Flows per group, year and sample: the volumes applied first. (E, G x Y x s)."""
        p, n_g, n_y, s_v = vsel.shape
        flat = vsel.reshape(p, -1)
        out = self._x_p.T @ flat
        flows = self._g_p @ flat
        if s_v == 1:  # fixed volumes: the deterministic part once, repeated over the samples
            out, flows = np.repeat(out, s, axis=1), np.repeat(flows, s, axis=1)
        n_el = out.shape[0] - self._n_extra
        for lv in self._levels:
            coef = self._coefficients(lv, self._level_inputs(lv, streams))  # (n, Y|1, s)
            f = flows[lv.heads].reshape(lv.lines.size, n_g, n_y, s)
            f *= coef[:, None, :, :]
            dg = lv.scatter @ f.reshape(lv.lines.size, -1)  # (kids, G x Y x s)
            out[:n_el] += lv.x_kids.T @ dg
            if lv.below.size:
                flows[lv.below] += lv.g_kids @ dg
        return np.asarray(out)

    def _solve_products(
        self, streams: list[tuple[np.random.Generator, int]], vsel: np.ndarray, s: int
    ) -> np.ndarray:
        """Flows per product and sample, from one unit of each product, weighted by the
        volumes at the end; a height with lines that change over the years turns its heads'
        flows into flows per group and year there. (E, G x Y x s)."""
        p, n_g, n_y, _ = vsel.shape
        vsel = np.broadcast_to(vsel, (p, n_g, n_y, s))  # fixed volumes: a view, no copy
        g_p = self._g_p if isinstance(self._g_p, np.ndarray) else self._g_p.toarray()
        out_p = np.repeat(self._x_p.T[:, :, None], s, axis=2)  # (E, P, s)
        flows_p = np.repeat(np.asarray(g_p)[:, :, None], s, axis=2)  # (H, P, s)
        n_el = out_p.shape[0] - self._n_extra
        later: list[tuple[np.ndarray, np.ndarray]] = []  # per-year contents, added at the end
        flows_y: np.ndarray | None = None  # (H, G x Y x s) once a changing line is passed
        for lv in self._levels:
            coef = self._coefficients(lv, self._level_inputs(lv, streams))  # (n, Y|1, s)
            static, scatter = (
                (lv.static, lv.scatter_static) if coef.shape[1] > 1 else (slice(None), lv.scatter)
            )
            c_static = coef[static, 0]  # the same every year
            heads = lv.heads[static]
            if heads.size:
                f = flows_p[heads] * c_static[:, None, :]  # (n, P, s)
                dg = scatter @ f.reshape(heads.size, p * s)
                out_p[:n_el] += (lv.x_kids.T @ dg).reshape(n_el, p, s)
                if lv.below.size:
                    flows_p[lv.below] += (lv.g_kids @ dg).reshape(-1, p, s)
            parts = []  # (scatter, children's contents, links below, flows per year)
            if flows_y is not None and heads.size:  # what passed a changing line, per year
                fy = flows_y[heads].reshape(-1, n_g, n_y, s) * c_static[:, None, None, :]
                parts.append((scatter, lv.x_kids, lv.g_kids, fy))
            if coef.shape[1] > 1:  # the changing lines: each year's volumes, each year's amounts
                by = lv.by_year
                fy = np.einsum("hps,pgys->hgys", flows_p[lv.heads[by]], vsel)
                if flows_y is not None:
                    fy += flows_y[lv.heads[by]].reshape(-1, n_g, n_y, s)
                fy *= coef[by][:, None, :, :]
                parts.append((lv.scatter_by_year, lv.x_by_year, lv.g_by_year, fy))
                if lv.by_year_reaches and flows_y is None:
                    flows_y = np.zeros((flows_p.shape[0], n_g * n_y * s))
            for sc, x_kids, g_kids, fy in parts:
                dg = sc @ fy.reshape(fy.shape[0], -1)  # (children, G x Y x s)
                later.append((x_kids, dg))
                if lv.below.size and flows_y is not None:
                    flows_y[lv.below] += g_kids @ dg
        # weight each product's demand by its volumes: one matrix product when the volumes are
        # the same in every sample, else a multiply-add per product
        if not self._v_rows.size:
            fixed = vsel[:, :, :, 0].reshape(p, n_g * n_y)
            out = np.matmul(fixed.T[None], out_p)  # (E, GY, P) @ (E, P, s)
        else:
            flat = vsel.reshape(p, n_g * n_y, s)
            out = out_p[:, 0, None, :] * flat[0]
            for k in range(1, p):
                out += out_p[:, k, None, :] * flat[k]
        out_y = out.reshape(out.shape[0], -1)
        for x_kids, dg in later:
            out_y[:n_el] += x_kids.T @ dg
        return np.asarray(out_y)

    def run(
        self,
        n: int,
        seed: int,
        write: Callable[[slice, np.ndarray], None],
        *,
        select: np.ndarray | None = None,
        progress: Callable[[int, int], None] | None = None,
        executor: Executor | None = None,
    ) -> None:
        """Draw ``n`` samples chunk by chunk; ``write(samples, demand)`` stores each chunk
        (``demand`` as :meth:`chunk` returns it, in float32: what a demand keeps), in order.

        With an ``executor`` (any :class:`concurrent.futures.Executor`: a process pool, or a
        Dask client's ``get_executor()``), runs of whole chunks go to its workers; the chunks
        are the same as without one, so the numbers are too.
        """
        step = self.chunk_blocks(1 if select is None else len(select)) * BLOCK
        if executor is None:
            done = 0
            while done < n:
                s = min(step, n - done)
                write(slice(done, done + s), self.chunk(seed, done, s, select).astype(np.float32))
                done += s
                if progress is not None:
                    progress(done, n)
            return
        workers = getattr(executor, "_max_workers", None) or os.cpu_count() or 2
        per_task = step * max(1, -(-n // (step * 2 * workers)))  # whole chunks, ~2 per worker
        runs = [(a, min(a + per_task, n)) for a in range(0, n, per_task)]
        pending: deque[Future[list[tuple[int, np.ndarray]]]] = deque()
        for k, (a, b) in enumerate(runs):
            pending.append(executor.submit(_run_chunks, self, seed, a, b, step, select))
            if len(pending) > workers or k == len(runs) - 1:  # a bounded window of results
                while pending and (len(pending) > workers or k == len(runs) - 1):
                    for first, part in pending.popleft().result():
                        write(slice(first, first + part.shape[-1]), part)
                        if progress is not None:
                            progress(first + part.shape[-1], n)


def _run_chunks(
    sampler: Sampler, seed: int, start: int, stop: int, step: int, select: np.ndarray | None
) -> list[tuple[int, np.ndarray]]:
    """The chunks of samples ``start`` to ``stop`` (a task for an executor's worker)."""
    return [
        (a, sampler.chunk(seed, a, min(step, stop - a), select).astype(np.float32))
        for a in range(start, stop, step)
    ]
