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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pint

from .. import elements as _el
from ..engine import sampling
from ..engine.distributions import CODES, mean
from ..engine.explode import explode
from ..engine.sampling import Layout, mean_coefficients
from ..errors import VolumeError
from ..units import Q_, conversion_factor, is_mass, parse_unit

if TYPE_CHECKING:
    from ..engine.sampler import Sampler
    from ..engine.sampling import SampledDemand
    from ..model.catalog import Catalog

__all__ = ["Sampled", "mass_factor"]

_KG = parse_unit("kg")


def mass_factor(unit: str) -> tuple[pint.Unit, float]:
    """The mass unit ``unit`` and the factor from kg to it; a clear error for anything else."""
    u = parse_unit(unit)
    if not is_mass(u):
        raise VolumeError(f"unit {unit!r} is not a mass unit (use 't', 'kt', 'kg' ...)")
    return u, conversion_factor(_KG, u)


class Sampled:
    """The sampling side of a demand (mixed into :class:`~mineralcalc.results.demand.Demand`)."""

    basis: str
    products: list[str]
    years: list[int | None]
    _volumes: np.ndarray
    _by_catalog: list[tuple[Catalog, np.ndarray, list[int]]]
    _mc: SampledDemand | None
    _samplers: list[tuple[Sampler, list[int]]]

    def _select(self, year: int | None, product: str | Iterable[str] | None) -> tuple[Any, Any]:
        raise NotImplementedError  # pragma: no cover - Demand's

    def _sample(
        self,
        n: int,
        seed: int | None,
        volume_dists: list[str],
        progress: Callable[[int, int], None] | None,
        max_memory: int | None = None,
    ) -> None:
        """Draw ``n`` samples (see :mod:`mineralcalc.engine.sampler`); one seed for every year.

        Raises
        ------
        VolumeError
            If the estimated memory is over ``max_memory`` [bytes], before anything is drawn.
        """
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] % 2**63)
        self._samplers = self._build_samplers(volume_dists)
        columns = tuple(s for s in _el.ELEMENTS if any(s in sm.columns for sm, _ in self._samplers))
        n_years = len(self.years)
        working = max(sm.chunk_bytes() for sm, _ in self._samplers)
        need = sampling.memory_estimate(n, len(columns), n_years, working)
        if max_memory is not None and need > max_memory:
            raise VolumeError(
                f"samples={n:,} would take about {need / 2**30:.1f} GiB of memory "
                f"({len(columns)} elements x {n_years} years x {n:,} draws), over the budget of "
                f"{max_memory / 2**30:.1f} GiB: draw fewer samples, or raise max_memory "
                "(--max-memory on the command line)"
            )
        totals = np.zeros((n, len(columns), n_years), dtype=np.float32)
        self._mc = sampling.SampledDemand(
            n, totals, columns, self._mean_per_product(columns, volume_dists), seed
        )
        total_steps = n * len(self._samplers)
        for k, (sampler, ys) in enumerate(self._samplers):
            idx = [columns.index(c) for c in sampler.columns]

            def write(rows: slice, d: np.ndarray, idx: list[int] = idx, ys: list[int] = ys) -> None:
                # d: (1, columns, years, s) -> totals[s, columns, years]
                totals[np.ix_(range(rows.start, rows.stop), idx, ys)] = d[0].transpose(2, 0, 1)

            step = (
                None if progress is None else (lambda d, _t, k=k: progress(k * n + d, total_steps))
            )
            sampler.run(n, seed, write, progress=step)

    def _build_samplers(self, volume_dists: list[str]) -> list[tuple[Sampler, list[int]]]:
        """One sampler per year group, all drawing the same parameters in the same order."""
        from ..engine.sampler import Sampler  # scipy.sparse loads only for a sampled demand

        bare = [p for p in self.products if p in _el.ELEMENTS]
        layout = None
        for cat, rows, _ in self._by_catalog:
            own = Layout.of(cat.graph, cat._ids, rows, self.basis)
            layout = own if layout is None else layout.union(own)
        lo, hi = self._volumes[0], self._volumes[2]
        drawn = np.flatnonzero(
            np.array([d != "fixed" for d in volume_dists]) & (lo < hi).any(axis=1)
        )
        out = []
        for cat, rows, ys in self._by_catalog:
            extra = [
                (p, pid)
                for p, pid in enumerate(self.products)
                if pid in bare and pid not in cat.element_columns
            ]
            sampler = Sampler(
                cat.graph, cat._ids, cat._dists, rows, cat.element_columns,
                self._volumes[:, :, ys], volume_dists, self.basis, layout, extra, drawn,
            )  # fmt: skip
            out.append((sampler, ys))
        return out

    def _mean_per_product(self, columns: tuple[str, ...], volume_dists: list[str]) -> np.ndarray:
        """Exact mean demand per product [kg], (products, columns, years): the mean
        coefficients exploded, times the mean volumes (``sampling.mean_coefficients``)."""
        codes = np.array([CODES[d] for d in volume_dists], dtype=np.int64)
        lo, c, hi = self._volumes
        v_mean = np.stack(
            [mean(lo[:, y], c[:, y], hi[:, y], codes) for y in range(len(self.years))], axis=1
        )  # (P, Y)
        col = {s: k for k, s in enumerate(columns)}
        out = np.zeros((len(self.products), len(columns), len(self.years)))
        for cat, rows, ys in self._by_catalog:
            coef = mean_coefficients(cat.graph, cat._dists, self.basis)
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

        Returns (groups, samples, columns, years) float32 [kg]: for each group of product
        indices, the demand of those products together, from the very draws of the full run.
        Per-product spreads are computed on request like this, never kept.
        """
        mc = self._mc
        assert mc is not None
        select = np.zeros((len(groups), len(self.products)))
        for g, members in enumerate(groups):
            select[g, members] = 1.0
        out = np.zeros((len(groups), mc.n, len(mc.columns), len(self.years)), dtype=np.float32)
        for sampler, ys in self._samplers:
            idx = [mc.columns.index(c) for c in sampler.columns]

            def write(rows: slice, d: np.ndarray, idx: list[int] = idx, ys: list[int] = ys) -> None:
                # d: (groups, columns, years, s) -> out[groups, s, columns, years]
                out[np.ix_(range(len(groups)), range(rows.start, rows.stop), idx, ys)] = (
                    d.transpose(0, 3, 1, 2)
                )

            sampler.run(mc.n, mc.seed, write, select=select)
        return out

    @property
    def samples(self) -> int | None:
        """Number of Monte Carlo samples drawn, or None."""
        return None if self._mc is None else self._mc.n

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
        ps, ys = self._select(year, product)
        totals = mc.totals if product is None else self._sample_products([list(ps)])[0]
        # one column at a time, in float64: memory of one value per sample, whatever the group
        out = np.zeros(mc.n)
        for k, weight in zip(cols, wv, strict=True):
            out += totals[:, k, ys].sum(axis=1, dtype=np.float64) * (weight * f)
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
        u, _ = mass_factor(unit)
        values = self.sample_values(element, unit, year=year, product=product)
        return tuple(Q_(float(v), u) for v in np.quantile(values, list(q)))

    def _sampled_columns(self, frame: pd.DataFrame, factor: float) -> pd.DataFrame:
        """Add mean (exact) and p5, p50, p95 (redrawn per product, when they fit
        :data:`~mineralcalc.engine.sampling.KEEP_BYTES`) to a tidy frame."""
        mc = self._mc
        assert mc is not None
        col = {c: k for k, c in enumerate(mc.columns)}
        p_of = {p: k for k, p in enumerate(self.products)}
        y_of = {y: k for k, y in enumerate(self.years)}
        stats = np.full((len(frame), 4), np.nan)  # mean, p5, p50, p95
        per_product = None
        n_prod = len(self.products)
        if mc.n * n_prod * len(mc.columns) * len(self.years) * 4 <= sampling.KEEP_BYTES:
            per_product = self._sample_products([[p] for p in range(n_prod)])
        rows = zip(frame["product"], frame["element"], frame["year"], strict=True)
        for n, (prod, el, year) in enumerate(rows):
            p, c = p_of[prod], col.get(el)
            if c is None:
                continue
            y = y_of[None if pd.isna(year) else int(year)]
            stats[n, 0] = mc.mean_per_product[p, c, y] * factor
            if per_product is not None:
                values = per_product[p, :, c, y].astype(np.float64)
                stats[n, 1:] = np.quantile(values, [0.05, 0.5, 0.95]) * factor
        return frame.assign(mean=stats[:, 0], p5=stats[:, 1], p50=stats[:, 2], p95=stats[:, 3])
