"""Monte Carlo results of a :class:`~mineralcalc.results.demand.Demand`: samples on request.

A sampled demand keeps one array: every element's total per sample and year (float32). The
mean per product is exact (from the mean coefficients, no sampling error); a product's own
spread is redrawn on request from the same seed, so it comes from the very draws of the
totals and adds up to them, and nothing per product is ever held.

Where the means are exact, and where they are not: demand is linear in each volume and
multilinear in the line coefficients, every path multiplies a line at most once, the draws of
different lines are independent, and a line's coefficient is linear in its amount, its inverse
yield and its recycled fraction (drawn independently). So the mean demand of every product,
element, group and year is the exact expectation (``E[1/yield]`` computed exactly, not
``1/E[yield]``), and so is a mean share of a fixed supply. Quantiles are not linear: those of
totals, products, groups and shares come from the samples, and so do the sensitivity indices.
The balance problem's binding element and oxide needed (a maximum over elements) are computed
at the central values, not averaged over samples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pint

from .. import elements as _el
from ..engine import draws
from ..engine.distributions import CODES, mean, widen
from ..engine.draws import mean_coefficients
from ..engine.explode import explode
from ..engine.intensity import Variant, target
from ..errors import VolumeError
from ..units import Q_, parse_unit
from .arrays import DemandArrays, mass_factor
from .summaries import Summaries

if TYPE_CHECKING:
    from ..engine.draws import SampledDemand
    from ..engine.montecarlo import Sampler
    from ..model.graph import YearAmounts

__all__ = ["Sampled", "mass_factor"]

_SUMMARY_CHUNK = 8192  # samples per update of streamed summaries (their histograms are ~20 MB)

_KG = parse_unit("kg")


class Sampled(DemandArrays):
    """The sampling side of a demand (mixed into :class:`~mineralcalc.results.demand.Demand`)."""

    _year_amounts: YearAmounts | None
    _mc: SampledDemand | None
    samplers: list[tuple[Sampler, list[int]]]
    """A sampled demand's samplers, each with the indices of the years it solves."""

    def draw(
        self,
        n: int,
        seed: int | None,
        volume_dists: list[str],
        progress: Callable[[int, int], None] | None,
        max_memory: int | None = None,
        executor: Executor | None = None,
    ) -> None:
        """Draw ``n`` samples (see :mod:`mineralcalc.engine.montecarlo`); one seed for every year.

        Raises
        ------
        VolumeError
            If the estimated memory is over ``max_memory`` [bytes], before anything is drawn.
        """
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] % 2**63)
        self.samplers = self._build_samplers(volume_dists)
        sampler = self.samplers[0][0]
        columns = tuple(s for s in _el.ELEMENTS if s in sampler.columns)
        n_years = len(self.years)
        keep = n * len(columns) * n_years * 4 <= draws.KEEP_BYTES
        summaries = None if keep else self._summaries(columns, volume_dists)
        kept = n * len(columns) * n_years * 4 if summaries is None else summaries.nbytes
        need = draws.memory_estimate(kept, sampler.chunk_bytes())
        if max_memory is not None and need > max_memory:
            raise VolumeError(
                f"samples={n:,} would take about {need / 2**30:.1f} GiB of memory ("
                + (
                    f"{len(columns)} elements x {n_years} years x {n:,} draws kept, "
                    if keep
                    else "summaries, "
                )
                + f"and chunks of {sampler.chunk_bytes() / 2**20:,.0f} MiB for "
                f"{sampler.n_params:,} drawn inputs), over the budget of "
                f"{max_memory / 2**30:.1f} GiB: draw fewer samples, or raise max_memory "
                "(--max-memory on the command line)"
            )
        totals = np.empty((len(columns), n_years, n), dtype=np.float32) if keep else None
        self._mc = draws.SampledDemand(
            n, totals, columns, self._mean_per_product(columns, volume_dists), seed, summaries
        )
        idx = [columns.index(c) for c in sampler.columns]
        order = None if idx == list(range(len(columns))) else np.argsort(idx)

        pending: list[np.ndarray] = []  # summaries take chunks of some 8,000 samples at once

        def write(rows: slice, d: np.ndarray) -> None:
            # d: (1, sampler columns, years, s) -> totals[columns, years, s]
            if totals is not None:
                for k, c in enumerate(idx):  # column by column: no reordered copy
                    totals[c, :, rows] = d[0, k]
            if summaries is not None:
                block = d[0] if order is None else d[0][order]
                pending.append(block)
                if sum(b.shape[2] for b in pending) >= _SUMMARY_CHUNK or rows.stop == n:
                    summaries.update(np.concatenate(pending, axis=2))
                    pending.clear()

        sampler.run(n, seed, write, progress=progress, executor=executor)

    def _summaries(self, columns: tuple[str, ...], volume_dists: list[str]) -> Summaries:
        """Streamed summaries of every element and rare-earth group (metal and oxide) per
        year, binned over the demand's exact bounds (:mod:`mineralcalc.results.summaries`),
        widened where a lognormal draw may leave them (:func:`~mineralcalc.engine.
        distributions.widen`)."""
        bounds = self._wide_arrays(volume_dists)
        names = list(columns)
        names += [g for g in _el.GROUPS if any(m in columns for m in _el.GROUPS[g])]
        names += [
            _el.oxide_name(g)
            for g in _el.GROUPS
            if all(m in _el.OXIDES for m in _el.GROUPS[g])
            and any(m in columns for m in _el.GROUPS[g])
        ]
        weights = np.zeros((len(names), len(columns)))
        low = np.zeros((len(names), len(self.years) + 1))
        high = np.zeros_like(low)
        for t, name in enumerate(names):
            symbols, w = _el.resolve_target(name)
            w_of = dict(zip(symbols, w or (1.0,) * len(symbols), strict=True))
            for k, c in enumerate(columns):
                weights[t, k] = w_of.get(c, 0.0)
            arr = bounds(symbols, w).sum(axis=1)  # (2, Y) [kg]
            low[t, :-1], high[t, :-1] = arr[0], arr[1]
            low[t, -1], high[t, -1] = arr[0].sum(), arr[1].sum()
        return Summaries(names, weights, low, high)

    def _wide_arrays(self, volume_dists: list[str]) -> Callable[..., np.ndarray]:
        """A function of a target giving (2, P, Y) low and high demand [kg] within which all
        draws fall: the exact bounds, with lognormal amounts and volumes widened."""
        v_code = np.array([CODES[d] for d in volume_dists], dtype=np.int64)
        vol = self._volumes
        v_lo, v_hi = widen(vol[0], vol[1], vol[2], v_code[:, None])
        lognormal = CODES["lognormal"]
        variants = []
        for variant, rows, ys in self._by_catalog:
            g = variant.graph
            code = np.array([CODES[d] for d in variant.compiled.dists[0]], dtype=np.int64)
            if (code == lognormal).any():
                amount = g.amount.copy()
                amount[0], amount[2] = widen(g.amount[0], g.amount[1], g.amount[2], code)
                variant = Variant(self.catalog, amount)
            variants.append((variant, rows, ys))
        if not (v_code == lognormal).any() and variants == self._by_catalog:
            return lambda symbols, w: self.product_arrays(symbols, w)[[0, 2]]

        def arrays(symbols: tuple[str, ...], w: tuple[float, ...] | None) -> np.ndarray:
            out = np.empty((2, *self._volumes.shape[1:]))
            for variant, rows, ys in variants:
                lo, _, hi = target(variant, symbols, w, self.basis)
                out[0][:, ys] = v_lo[:, ys] * lo[rows][:, None]
                out[1][:, ys] = v_hi[:, ys] * hi[rows][:, None]
            return out

        return arrays

    def _build_samplers(self, volume_dists: list[str]) -> list[tuple[Sampler, list[int]]]:
        """One sampler for every year: the changes over the years are per-year amounts of
        its lines, drawn from the same numbers (:mod:`mineralcalc.engine.montecarlo`)."""
        from ..engine.montecarlo import Sampler  # scipy.sparse loads only for a sampled demand

        cat = self.catalog
        rows = cat.rows(self.products)
        extra = [
            (p, pid)
            for p, pid in enumerate(self.products)
            if pid in _el.ELEMENTS and pid not in cat.element_columns
        ]
        c = cat.compiled
        sampler = Sampler(
            cat.graph,
            c.ids,
            c.dists,
            rows,
            cat.element_columns,
            self._volumes,
            volume_dists,
            self.basis,
            extra,
            self._year_amounts,
        )
        return [(sampler, list(range(len(self.years))))]

    def _mean_per_product(self, columns: tuple[str, ...], volume_dists: list[str]) -> np.ndarray:
        """Exact mean demand per product [kg], (products, columns, years): the mean
        coefficients exploded, times the mean volumes (``draws.mean_coefficients``)."""
        codes = np.array([CODES[d] for d in volume_dists], dtype=np.int64)
        lo, c, hi = self._volumes
        v_mean = np.stack(
            [mean(lo[:, y], c[:, y], hi[:, y], codes) for y in range(len(self.years))], axis=1
        )  # (P, Y)
        col = {s: k for k, s in enumerate(columns)}
        out = np.zeros((len(self.products), len(columns), len(self.years)))
        for cat, rows, ys in self._by_catalog:
            coef = mean_coefficients(cat.graph, cat.compiled.dists, self.basis)
            x = explode(cat.graph, coef, np.eye(len(cat.element_columns)))[rows]  # (P, T)
            for t, sym in enumerate(cat.element_columns):
                if sym in col:
                    out[:, col[sym], ys] += x[:, t, None] * v_mean[:, ys]
            for p, pid in enumerate(self.products):
                if pid in _el.ELEMENTS and pid not in cat.element_columns and pid in col:
                    out[p, col[pid], ys] += v_mean[p, ys]
        return out

    def _sample_products(self, groups: list[list[int]]) -> np.ndarray:
        """The samples of some products' demand alone, redrawn from the same seed.

        Returns (groups, columns, years, samples) float32 [kg]: for each group of product
        indices, the demand of those products together, from the very draws of the full run.
        Per-product spreads are computed on request like this, never kept.
        """
        mc = self._mc
        assert mc is not None
        select = np.zeros((len(groups), len(self.products)))
        for g, members in enumerate(groups):
            select[g, members] = 1.0
        out = np.empty((len(groups), len(mc.columns), len(self.years), mc.n), dtype=np.float32)
        sampler = self.samplers[0][0]
        idx = [mc.columns.index(c) for c in sampler.columns]

        def write(rows: slice, d: np.ndarray) -> None:
            # d: (groups, sampler columns, years, s) -> out[groups, columns, years, s]
            out[:, idx, :, rows] = d

        sampler.run(mc.n, mc.seed, write, select=select)
        return out

    @property
    def samples(self) -> int | None:
        """Number of Monte Carlo samples drawn, or None."""
        return None if self._mc is None else self._mc.n

    @property
    def seed(self) -> int | None:
        """The seed the samples were drawn with (drawn from the OS when none was given), or
        None without samples."""
        return None if self._mc is None else self._mc.seed

    def sample_values(
        self,
        element: str,
        unit: str = "t",
        *,
        year: int | None = None,
        product: str | Iterable[str] | None = None,
        weights: tuple[float, ...] | None = None,
    ) -> np.ndarray:
        """The sampled demand of an element or group, one value per sample, in ``unit``.

        Summed over the years (or one ``year``) and the products (or some ``product``).

        Raises
        ------
        VolumeError
            If the demand was computed without ``samples=``.
        """
        mc = self._mc
        if mc is None:
            raise VolumeError("no samples: compute the demand with samples=N (and seed=S)")
        _, f = mass_factor(unit)
        symbols, named_weights = _el.resolve_target(element)
        weights = weights or named_weights
        w = dict(zip(symbols, weights or (1.0,) * len(symbols), strict=True))
        cols = [k for k, c in enumerate(mc.columns) if c in w]
        wv = np.array([w[mc.columns[k]] for k in cols])
        ps, ys = self.select_indices(year, product)
        if product is not None or mc.totals is None:  # drawn again, from the same seed
            return self._redraw_values(ps, cols, wv * f, ys)
        # one column at a time, in float64: memory of one value per sample, whatever the group
        out = np.zeros(mc.n)
        for k, weight in zip(cols, wv * f, strict=True):
            out += mc.totals[k, ys].sum(axis=0, dtype=np.float64) * weight
        return out

    def _redraw_values(self, ps: Any, cols: list[int], weights: np.ndarray, ys: Any) -> np.ndarray:
        """One value per sample: the ``weights``-weighted sum over the columns ``cols`` of the
        demand of products ``ps`` in years ``ys``, redrawn from the same seed a chunk at a
        time. Memory: one float64 per sample (80 MB for 10,000,000 samples), whatever the
        number of elements and years; the values equal those of kept totals, bit for bit."""
        mc = self._mc
        assert mc is not None
        select = None  # every product: the very computation of the full run
        if not isinstance(ps, slice):
            select = np.zeros((1, len(self.products)))
            select[0, ps] = 1.0
        sampler = self.samplers[0][0]
        at = {c: k for k, c in enumerate(sampler.columns)}
        picked = [
            (at[mc.columns[k]], w)
            for k, w in zip(cols, weights.tolist(), strict=True)
            if mc.columns[k] in at
        ]
        out = np.zeros(mc.n)

        def write(rows: slice, d: np.ndarray) -> None:
            # d: (1, sampler columns, years, s) float32, as the kept totals would hold it
            for k, weight in picked:
                out[rows] += d[0, k, ys].sum(axis=0, dtype=np.float64) * weight

        sampler.run(mc.n, mc.seed, write, select=select)
        return out

    def quantiles(
        self,
        element: str,
        q: Iterable[float] = (0.05, 0.5, 0.95),
        unit: str = "t",
        *,
        year: int | None = None,
        product: str | Iterable[str] | None = None,
    ) -> tuple[pint.Quantity, ...]:
        """Quantiles of the sampled demand of an element or group (needs ``samples=``).

        Examples
        --------
        >>> d = mc.demand(mc.load_scenario("baseline-2024"), samples=9999, seed=1)  # doctest: +SKIP
        >>> d.quantiles("Nd")  # doctest: +SKIP
        (<Quantity(45107.1, 't')>, <Quantity(54851.9, 't')>, <Quantity(65519.6, 't')>)
        """
        u, f = mass_factor(unit)
        mc = self._mc
        summaries = mc.summaries if mc is not None else None
        if product is None and summaries is not None and element in summaries.index:
            if year is not None:
                self.select_indices(year, None)  # a year not in the demand: named, refused
            y = -1 if year is None else self.years.index(year)
            values = summaries.quantiles(element, y, list(q)) * f
        else:
            values = np.quantile(
                self.sample_values(element, unit, year=year, product=product), list(q)
            )
        return tuple(Q_(float(v), u) for v in values)

    def _sampled_columns(self, frame: pd.DataFrame, factor: float) -> pd.DataFrame:
        """Add mean (exact) and p5, p50, p95 (redrawn per product, when they fit
        :data:`~mineralcalc.engine.draws.KEEP_BYTES`) to a tidy frame."""
        mc = self._mc
        assert mc is not None
        col = {c: k for k, c in enumerate(mc.columns)}
        p_of = {p: k for k, p in enumerate(self.products)}
        y_of = {y: k for k, y in enumerate(self.years)}
        stats = np.full((len(frame), 4), np.nan)  # mean, p5, p50, p95
        per_product = None
        n_prod = len(self.products)
        if mc.n * n_prod * len(mc.columns) * len(self.years) * 4 <= draws.KEEP_BYTES:
            per_product = self._sample_products([[p] for p in range(n_prod)])
        rows = zip(frame["product"], frame["element"], frame["year"], strict=True)
        for n, (prod, el, year) in enumerate(rows):
            p, c = p_of[prod], col.get(el)
            if c is None:
                continue
            y = y_of[None if pd.isna(year) else int(year)]
            stats[n, 0] = mc.mean_per_product[p, c, y] * factor
            if per_product is not None:
                values = per_product[p, c, y].astype(np.float64)
                stats[n, 1:] = np.quantile(values, [0.05, 0.5, 0.95]) * factor
        return frame.assign(mean=stats[:, 0], p5=stats[:, 1], p50=stats[:, 2], p95=stats[:, 3])
