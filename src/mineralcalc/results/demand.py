"""The result of a demand computation: element masses by product, element and year.

A :class:`Demand` keeps the volumes and a reference to its catalog; element totals and their
exact interval bounds are computed on request from the catalog's cached intensities, and
handed back as pint Quantities (tonnes by default) or tidy pandas frames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
import pint

from .. import elements as _el
from ..errors import UnknownItemError, VolumeError
from ..units import Q_, conversion_factor, is_mass, parse_unit

if TYPE_CHECKING:
    from ..engine.sampler import SampledDemand
    from ..lenses.balance import Balance
    from ..lenses.supply import Supply
    from ..model.catalog import Catalog

__all__ = ["Comparison", "Demand"]


class Comparison(pd.DataFrame):
    """The table of :meth:`Demand.compare`: a pandas DataFrame that also renders itself with
    rich (``rich.print(comparison)``) and in Jupyter."""

    _metadata: ClassVar[list[str]] = []

    @property
    def _constructor(self) -> type[Comparison]:
        return Comparison

    def __rich__(self) -> Any:
        from ..present.tables import compare_table

        return compare_table(self)

    def _repr_html_(self) -> str | None:
        from html import escape

        from ..present.tables import fmt, short_note

        def share(x: float) -> str:
            if x != x:
                return "–"
            width = min(max(x, 0.0), 1.0) * 100
            colour = "#e06666" if x > 1 else "#8fd19e"
            return (
                f'<div style="background:linear-gradient(90deg,{colour} {width:.0f}%,'
                f'transparent {width:.0f}%)">{x:.1%}</div>'
            )

        shown = pd.DataFrame(
            {
                "element": self["element"],
                "year": self["year"],
                "basis": self["basis"],
                "modelled [t]": [fmt(v) for v in self["modelled"]],
                "other uses [t]": [fmt(v) for v in self["other_uses"]],
                "demand [t]": [fmt(v) for v in self["demand"]],
                "low–high [t]": [
                    f"{fmt(a)}–{fmt(b)}"
                    for a, b in zip(self["demand_low"], self["demand_high"], strict=True)
                ],
                "primary [t]": [fmt(v) for v in self["primary"]],
                "secondary [t]": [fmt(v) for v in self["secondary"]],
                "supply [t]": [fmt(v) for v in self["supply"]],
                "share": [share(v) for v in self["share"]],
                "balance [t]": [fmt(v) for v in self["balance"]],
                "note": [escape(short_note(n)) for n in self["note"]],
            }
        )
        return str(shown.to_html(index=False, escape=False, na_rep="–"))


_KG = parse_unit("kg")


def _mass_factor(unit: str) -> tuple[pint.Unit, float]:
    u = parse_unit(unit)
    if not is_mass(u):
        raise VolumeError(f"unit {unit!r} is not a mass unit (use 't', 'kt', 'kg' ...)")
    return u, conversion_factor(_KG, u)


class Demand:
    """Element demand of a set of production volumes.

    Not built directly: use :func:`mineralcalc.demand`.

    Attributes
    ----------
    products : list of str
    years : list of int, or [None] for volumes without years
    elements : tuple of str
        Elements with any demand (any bound above zero), in order of atomic number.
    catalog : Catalog
    """

    def __init__(
        self,
        catalog: Catalog,
        products: list[str],
        years: list[int | None],
        volumes: np.ndarray,
        *,
        catalogs: list[Catalog] | None = None,
        supply_growth: Any = None,
        basis: str = "mined",
    ) -> None:
        from ..model.catalog import check_basis

        self.basis = check_basis(basis)
        self.catalog = catalog
        self.products = list(products)
        self.years = list(years)
        self.supply_growth = supply_growth
        self._volumes = volumes  # (3, P, Y) in basis units
        cats = catalogs if catalogs is not None else [catalog] * len(self.years)
        # group the years by catalog (the same object where intensities do not change)
        groups: dict[int, tuple[Catalog, list[int]]] = {}
        for y, cat in enumerate(cats):
            groups.setdefault(id(cat), (cat, []))[1].append(y)
        self._by_catalog = [(cat, cat.rows(products), ys) for cat, ys in groups.values()]
        self._mc: SampledDemand | None = None
        self._blocks: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}

    # ------------------------------------------------------------------ core arrays
    def _basis(self, basis: str | None) -> str:
        if basis is None:
            return self.basis
        from ..model.catalog import check_basis

        return check_basis(basis)

    def _arrays(
        self,
        symbols: tuple[str, ...],
        weights: tuple[float, ...] | None = None,
        basis: str | None = None,
    ) -> np.ndarray:
        """(3, P, Y) low/central/high demand [kg] of a (weighted) set of elements."""
        basis = self._basis(basis)
        out = np.empty_like(self._volumes)
        for cat, rows, ys in self._by_catalog:
            lo, c, hi = cat._target(symbols, weights, basis)
            ints = np.stack([lo[rows], c[rows], hi[rows]])  # (3, P)
            out[:, :, ys] = self._volumes[:, :, ys] * ints[:, :, None]
        return out

    def _select(self, year: int | None, product: str | Iterable[str] | None) -> tuple[Any, Any]:
        if year is None:
            ys: Any = slice(None)
        else:
            if year not in self.years:
                raise VolumeError(f"year {year} is not in this demand (years: {self.years})")
            ys = [self.years.index(year)]
        if product is None:
            ps: Any = slice(None)
        else:
            names = [product] if isinstance(product, str) else list(product)
            missing = [p for p in names if p not in self.products]
            if missing:
                raise UnknownItemError(
                    f"product {missing[0]!r} is not in this demand (products: {self.products})"
                )
            ps = [self.products.index(p) for p in names]
        return ps, ys

    def element_array(
        self, unit: str = "kg", *, basis: str | None = None
    ) -> tuple[tuple[str, ...], np.ndarray]:
        """Demand of every element in every year, summed over products, as one array.

        Parameters
        ----------
        unit : str, default ``'kg'``
        basis : {'mined', 'gross', 'contained'}, optional
            Default: the demand's own (:attr:`basis`).

        Returns
        -------
        elements : tuple of str
            Elements with any demand, in order of atomic number.
        values : ndarray, shape (3, years, elements)
            Low, central, high demand in ``unit``; the bounds are exact per element. One
            ``einsum`` per catalog: the fast path for scripts that want arrays.
        """
        cols, arr = self._element_block_of(self._basis(basis))
        _, f = _mass_factor(unit)
        return cols, arr * f if f != 1 else arr.copy()

    @property
    def _element_block(self) -> tuple[tuple[str, ...], np.ndarray]:
        return self._element_block_of(self.basis)

    def _element_block_of(self, basis: str) -> tuple[tuple[str, ...], np.ndarray]:
        if basis not in self._blocks:
            self._blocks[basis] = self._compute_block(basis)
        return self._blocks[basis]

    def _compute_block(self, basis: str) -> tuple[tuple[str, ...], np.ndarray]:
        bare = [p for p in self.products if p in _el.ELEMENTS]
        found = {c for cat, _, _ in self._by_catalog for c in cat.element_columns} | set(bare)
        cols = [s for s in _el.ELEMENTS if s in found]
        col = {s: k for k, s in enumerate(cols)}
        out = np.zeros((3, len(self.years), len(cols)))
        for cat, rows, ys in self._by_catalog:
            lo, c, hi = cat.element_matrices(basis)
            ints = np.stack([lo[rows], c[rows], hi[rows]])  # (3, P, T)
            # (3, Y, P) @ (3, P, T): a batched BLAS product, bounds and central at once
            block = np.matmul(self._volumes[:, :, ys].transpose(0, 2, 1), ints)
            if len(ys) == len(self.years) and len(cat.element_columns) == len(cols):
                out += block
            else:
                idx = [col[s] for s in cat.element_columns]
                out[np.ix_(range(3), ys, idx)] += block
            for pid in bare:
                if pid not in cat.element_columns:
                    k = self.products.index(pid)
                    out[:, ys, col[pid]] += self._volumes[:, k, ys]
        keep = out[2].max(axis=0) > 0
        return tuple(s for s, k in zip(cols, keep, strict=True) if k), out[:, :, keep]

    @property
    def elements(self) -> tuple[str, ...]:
        """Elements with any demand, in order of atomic number."""
        return self._element_block[0]

    # ------------------------------------------------------------------ Monte Carlo
    def _sample(
        self,
        n: int,
        seed: int | None,
        volume_dists: list[str],
        progress: Callable[[int, int], None] | None,
        max_memory: int | None = None,
    ) -> None:
        """Draw ``n`` samples (see :mod:`mineralcalc.montecarlo`); one seed for every year.

        Raises
        ------
        VolumeError
            If the estimated memory is over ``max_memory`` [bytes], before anything is drawn.
        """
        from ..engine import sampler as mcarlo

        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] % 2**63)
        self._samplers = self._build_samplers(volume_dists)
        columns = tuple(s for s in _el.ELEMENTS if any(s in sm.columns for sm, _ in self._samplers))
        n_years = len(self.years)
        need = mcarlo.memory_estimate(n, len(columns), n_years)
        if max_memory is not None and need > max_memory:
            raise VolumeError(
                f"samples={n:,} would take about {need / 2**30:.1f} GiB of memory "
                f"({len(columns)} elements x {n_years} years x {n:,} draws), over the budget of "
                f"{max_memory / 2**30:.1f} GiB: draw fewer samples, or raise max_memory "
                "(--max-memory on the command line)"
            )
        totals = np.zeros((n, len(columns), n_years), dtype=np.float32)
        self._mc = mcarlo.SampledDemand(
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

    def _build_samplers(self, volume_dists: list[str]) -> list[tuple[Any, list[int]]]:
        """One sampler per year group, all drawing the same parameters in the same order."""
        from ..engine.sampler import Layout, Sampler

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
        coefficients exploded, times the mean volumes (:func:`montecarlo.mean_coefficients`)."""
        from ..engine.distributions import CODES, mean
        from ..engine.sampler import mean_coefficients

        codes = np.array([CODES[d] for d in volume_dists], dtype=np.int64)
        lo, c, hi = self._volumes
        v_mean = np.stack(
            [mean(lo[:, y], c[:, y], hi[:, y], codes) for y in range(len(self.years))], axis=1
        )  # (P, Y)
        col = {s: k for k, s in enumerate(columns)}
        out = np.zeros((len(self.products), len(columns), len(self.years)))
        for cat, rows, ys in self._by_catalog:
            coef = mean_coefficients(cat.graph, cat._dists, self.basis)
            x = cat.graph.explode(coef, np.eye(len(cat.element_columns)))[rows]  # (P, T)
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
            If the demand was computed without ``samples=``, or per-product samples were not
            kept (too many to hold) and ``product`` is given.
        """
        mc = self._mc
        if mc is None:
            raise VolumeError("no samples: compute the demand with samples=N (and seed=S)")
        _, f = _mass_factor(unit)
        symbols, named_weights = _el.resolve_target(element)
        weights = weights or named_weights
        w = dict(zip(symbols, weights or (1.0,) * len(symbols), strict=True))
        cols = [k for k, c in enumerate(mc.columns) if c in w]
        wv = np.array([w[mc.columns[k]] for k in cols])
        ps, ys = self._select(year, product)
        if product is None:
            arr = mc.totals[:, cols, :][:, :, ys].astype(np.float64)
            return np.asarray(np.einsum("stY,t->s", arr, wv) * f)
        arr = self._sample_products([list(ps)])[0][:, cols][:, :, ys].astype(np.float64)
        return np.asarray(np.einsum("stY,t->s", arr, wv) * f)

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
        u, _ = _mass_factor(unit)
        values = self.sample_values(element, unit, year=year, product=product)
        return tuple(Q_(float(v), u) for v in np.quantile(values, list(q)))

    # ------------------------------------------------------------------ quantities
    def range(
        self,
        element: str,
        unit: str = "t",
        *,
        year: int | None = None,
        product: str | Iterable[str] | None = None,
        basis: str | None = None,
    ) -> tuple[pint.Quantity, pint.Quantity, pint.Quantity]:
        """Low, central and high demand of an element or group; exact interval bounds.

        Parameters
        ----------
        element : str
            An element (``'Nd'``) or group (``'REE'``, ``'magnet REE'``), as metal; with
            `` (REO)`` appended, as the oxide-equivalent mass (``'magnet REE (REO)'``), the
            name :meth:`compare` gives its group rows.
        unit : str, default ``'t'``
            A mass unit.
        year : int, optional
            One year; default: the sum over all years (cumulative demand).
        product : str or list of str, optional
            Restrict to these products.
        basis : {'mined', 'gross', 'contained'}, optional
            Mass to be mined (closed loops netted out), passing through the processes, or in
            the products; default: the demand's own :attr:`basis`.
        """
        u, f = _mass_factor(unit)
        arr = self._arrays(*_el.resolve_target(element), basis)
        ps, ys = self._select(year, product)
        sums = arr[:, ps][:, :, ys].sum(axis=(1, 2)) * f
        return (Q_(float(sums[0]), u), Q_(float(sums[1]), u), Q_(float(sums[2]), u))

    def total(
        self,
        element: str,
        unit: str = "t",
        *,
        year: int | None = None,
        product: str | Iterable[str] | None = None,
        basis: str | None = None,
    ) -> pint.Quantity:
        """Central demand of an element or group, a Quantity (see :meth:`range`)."""
        return self.range(element, unit, year=year, product=product, basis=basis)[1]

    # ------------------------------------------------------------------ frames
    def to_frame(self, unit: str = "t", *, basis: str | None = None) -> pd.DataFrame:
        """Tidy table: one row per product, element and year with any demand.

        Columns ``product``, ``element``, ``year``, ``low``, ``central``, ``high`` (in
        ``unit``, default tonnes, recorded in ``frame.attrs['unit']``; the basis in
        ``frame.attrs['basis']``). ``year`` is empty (``<NA>``) for volumes without years.
        Sampled columns (mean, p5, p50, p95) are for the demand's own basis only.
        """
        u, f = _mass_factor(unit)
        basis = self._basis(basis)
        frames = []
        for sym in self._element_block_of(basis)[0]:
            arr = self._arrays((sym,), None, basis) * f  # (3, P, Y)
            p_idx, y_idx = np.nonzero(arr[2] > 0)
            frames.append(
                pd.DataFrame(
                    {
                        "product": [self.products[i] for i in p_idx],
                        "element": sym,
                        "year": pd.array([self.years[j] for j in y_idx], dtype="Int64"),
                        "low": arr[0][p_idx, y_idx],
                        "central": arr[1][p_idx, y_idx],
                        "high": arr[2][p_idx, y_idx],
                    }
                )
            )
        cols = ["product", "element", "year", "low", "central", "high"]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
        if self._mc is not None and basis == self.basis:
            frame = self._sampled_columns(frame, f)
        frame.attrs["unit"] = str(u)
        frame.attrs["basis"] = basis
        return frame

    def _sampled_columns(self, frame: pd.DataFrame, factor: float) -> pd.DataFrame:
        """Add mean (exact) and p5, p50, p95 (redrawn per product, when they fit
        :data:`~mineralcalc.montecarlo.KEEP_BYTES`) to a tidy frame."""
        from ..engine import sampler as mcarlo

        mc = self._mc
        assert mc is not None
        col = {c: k for k, c in enumerate(mc.columns)}
        p_of = {p: k for k, p in enumerate(self.products)}
        y_of = {y: k for k, y in enumerate(self.years)}
        stats = np.full((len(frame), 4), np.nan)  # mean, p5, p50, p95
        per_product = None
        n_prod = len(self.products)
        if mc.n * n_prod * len(mc.columns) * len(self.years) * 4 <= mcarlo.KEEP_BYTES:
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

    def by_element(
        self, unit: str = "t", *, year: int | None = None, basis: str | None = None
    ) -> pd.DataFrame:
        """Demand per element summed over products: index ``element``, columns low/central/high.

        With several years and no ``year``, the index is (``year``, ``element``). ``basis``:
        ``'mined'`` (closed loops netted out), ``'gross'`` or ``'contained'``; default the
        demand's own; recorded in ``frame.attrs['basis']``.
        """
        u, _ = _mass_factor(unit)
        multi = year is None and len(self.years) > 1
        cols, arr = self.element_array(unit, basis=basis)
        _, ys = self._select(year, None)
        yrs = self.years if year is None else [year]
        block = arr[:, ys, :]  # (3, Y', E)
        frame = pd.DataFrame(
            {
                "year": np.repeat(np.array(yrs, dtype=object), len(cols)),
                "element": np.tile(np.array(cols, dtype=object), len(yrs)),
                "low": block[0].ravel(),
                "central": block[1].ravel(),
                "high": block[2].ravel(),
            }
        )
        if multi:
            frame = frame.sort_values(["year"], kind="stable").set_index(["year", "element"])
        else:
            frame = frame.drop(columns="year").set_index("element")
        frame.attrs["unit"] = str(u)
        frame.attrs["basis"] = self._basis(basis)
        return frame

    def by_product(
        self,
        element: str | None = None,
        unit: str = "t",
        *,
        year: int | None = None,
        basis: str | None = None,
    ) -> pd.DataFrame:
        """Demand per product.

        Parameters
        ----------
        element : str, optional
            An element or group: index ``product``, columns low/central/high. Without it:
            index ``product``, one column of central demand per element.
        unit : str, default ``'t'``
        year : int, optional
            One year; default: summed over all years.
        basis : {'mined', 'gross', 'contained'}, optional
            Default: the demand's own.
        """
        u, f = _mass_factor(unit)
        _, ys = self._select(year, None)
        basis = self._basis(basis)
        if element is not None:
            arr = self._arrays(*_el.resolve_target(element), basis)[:, :, ys].sum(axis=2) * f
            frame = pd.DataFrame(
                {"low": arr[0], "central": arr[1], "high": arr[2]},
                index=pd.Index(self.products, name="product"),
            )
        else:
            data = {
                sym: self._arrays((sym,), None, basis)[1][:, ys].sum(axis=1) * f
                for sym in self._element_block_of(basis)[0]
            }
            frame = pd.DataFrame(data, index=pd.Index(self.products, name="product"))
            frame.columns.name = "element"
        frame.attrs["unit"] = str(u)
        frame.attrs["basis"] = basis
        return frame

    # ------------------------------------------------------------------ against supply
    def compare(
        self,
        supply: Supply | None = None,
        *,
        growth: Any = None,
        without: str | Iterable[str] = (),
        groups: Iterable[str] = ("REE", "LREE", "HREE", "magnet REE"),
        basis: str | None = None,
        other_uses: bool = True,
    ) -> pd.DataFrame:
        """The market balance: demand against world supply, per element and group and year.

        Demand is the modelled products plus the uses they do not model (published demand by
        end use; see :mod:`mineralcalc.market`); supply is primary (mine output, each rare earth
        from its producers' ore types) plus secondary (recycled).

        Parameters
        ----------
        supply : Supply, optional
            Default: the shipped figures of each demand year; for a year without figures,
            the latest earlier year's, projected at ``growth`` (or held flat, said in
            ``note``).
        growth : rate or mapping of commodity to rate, optional
            Supply growth per year for projections (default: the scenario's).
        without : country or group names, optional
            Remove these from supply first (an export stop).
        groups : names of element groups
            Rare-earth groups to add as rows, compared in REO.
        basis : {'mined', 'gross'}, optional
            ``mined`` (the default for a mined-basis demand): demand net of closed recycling
            loops against mine output plus end-of-life recycling; ``gross``: demand through the
            processes against all secondary supply, recycled process scrap included.
        other_uses : bool, default True
            Add the uses the products do not model; ``False`` compares the products alone.

        Returns
        -------
        DataFrame
            One row per element (or group) and year: ``element``, ``year``, ``basis``
            (``metal``; ``oxide (REO)`` for groups), ``demand_basis`` (``mined`` or ``gross``),
            ``modelled`` (with ``modelled_low``, ``modelled_high``), ``other_uses`` (with
            ``other_low``, ``other_high``), ``demand`` = modelled + other uses (with
            ``demand_low``, ``demand_high``), ``primary``, ``secondary`` (with low and high),
            ``supply`` = primary + secondary [t]; ``share`` = demand / supply with
            ``share_low`` and ``share_high``; ``modelled_share`` = modelled / supply;
            ``balance`` = supply - demand (also as ``headroom``); ``coverage`` = modelled /
            demand; ``supply_year``; ``note``. Sampled demands add ``demand_p5`` ...
            ``share_p95``.
        """
        from ..lenses.market import compare

        return compare(
            self, supply, growth=growth, without=without, groups=groups, basis=basis,
            include_other_uses=other_uses,
        )  # fmt: skip

    def balance(
        self,
        year: int | None = None,
        *,
        supply: Supply | None = None,
        basis: str | None = None,
        growth: Any = None,
        without: str | Iterable[str] = (),
        other_uses: bool = True,
    ) -> Balance:
        """The balance problem of one year: which rare earth binds, how much oxide must be
        mined at today's ore mix (and from each ore type) to meet it, and the surplus of
        lanthanum, cerium and the rest that leaves (see :func:`mineralcalc.balance.balance`)."""
        from ..lenses.balance import balance

        return balance(
            self, year, supply=supply, basis=basis, growth=growth, without=without,
            other_uses=other_uses,
        )  # fmt: skip

    def _supply_for(
        self, year: int | None, supply: Supply | None, growth: Any
    ) -> tuple[Supply, str]:
        """The supply to compare a year's demand with (:func:`mineralcalc.market.supply_for`)."""
        from ..lenses.market import supply_for

        return supply_for(year, supply, self.supply_growth if growth is None else growth)

    def _spread(
        self, row: dict[str, Any], name: str, year: int | None, weights: tuple[float, ...] | None
    ) -> dict[str, Any]:
        """Add the sampled p5/p50/p95 of demand and share to a comparison row.

        The other uses are published figures, not sampled: they shift every quantile alike.
        """
        if self._mc is None or row.get("demand_basis", self.basis) != self.basis:
            return row
        values = self.sample_values(name, "t", year=year, weights=weights)
        qs = np.quantile(values, [0.05, 0.5, 0.95]) + float(row.get("other_uses", 0.0) or 0.0)
        supply_t = row["supply"]
        row.update({f"demand_p{p}": v for p, v in zip((5, 50, 95), qs, strict=True)})
        row.update(
            {f"share_p{p}": v / supply_t if supply_t == supply_t else np.nan
             for p, v in zip((5, 50, 95), qs, strict=True)}
        )  # fmt: skip
        return row

    def coverage(
        self,
        without: str | Iterable[str],
        supply: Supply | None = None,
        *,
        growth: Any = None,
        other_uses: bool = True,
    ) -> pd.DataFrame:
        """How far the rest of the world's output covers demand if some countries stop supplying.

        Returns the :meth:`compare` table for supply without ``without``, with ``coverage`` =
        remaining supply / demand (1 = demand fully covered) and ``coverage_low`` (at high
        demand) replacing the catalog's coverage of demand. Each rare earth loses the
        country's own output of it (from the ore types it mines), not a world-average share.
        """
        frame = self.compare(supply, growth=growth, without=without, other_uses=other_uses)
        frame["coverage"] = frame["supply"] / frame["demand"]
        frame["coverage_low"] = frame["supply"] / frame["demand_high"]
        return frame

    def stockpile_days(
        self, stockpile: str | Any, element: str | None = None, *, year: int | None = None
    ) -> tuple[pint.Quantity, pint.Quantity, pint.Quantity]:
        """Days of demand a stockpile covers: (at high demand, central, at low demand).

        Parameters
        ----------
        stockpile : str or amount
            ``"5,000 t Nd"`` (element last), or a mass with ``element`` given.
        element : str, optional
            An element or group.
        year : int, optional
            Default: the first year of the demand.
        """
        from ..estimate import parse_amount

        if element is None:
            if not isinstance(stockpile, str) or len(stockpile.split()) < 2:
                raise VolumeError(
                    f"stockpile {stockpile!r}: name the element ('5,000 t Nd') or pass element="
                )
            stockpile, element = stockpile.rsplit(None, 1)
        symbols = _el.resolve(element)
        mass = parse_amount(stockpile)
        if not is_mass(mass.unit):
            raise VolumeError(f"stockpile {stockpile!r} is not a mass (e.g. '5,000 t')")
        stock_t = mass.values("t")[1]
        ys = self._select(year if year is not None else self.years[0], None)[1]
        per_year = self._arrays(symbols)[:, :, ys].sum(axis=(1, 2)) / 1000.0
        days = [stock_t / (v / 365.25) if v > 0 else float("inf") for v in per_year]
        return (Q_(days[2], "day"), Q_(days[1], "day"), Q_(days[0], "day"))

    def crossover(
        self,
        element: str,
        supply: Supply | None = None,
        *,
        growth: Any = None,
        other_uses: bool = True,
    ) -> int | None:
        """The first year whose central demand of ``element`` reaches its supply, or None.

        Uses the demand's own years and :meth:`compare`'s demand (modelled + other uses, or
        the products alone with ``other_uses=False``) and supply (projected at ``growth``,
        default the scenario's, beyond the years with figures).
        """
        name = (
            _el.oxide_name(element)
            if element in _el.GROUPS
            else element
            if element.endswith(_el.OXIDE_SUFFIX)
            else _el.resolve(element)[0]
        )
        frame = self.compare(supply, growth=growth, other_uses=other_uses)
        rows = frame[(frame["element"] == name) & frame["share"].notna()]
        hit = rows[rows["share"] >= 1.0]
        return None if hit.empty else int(hit["year"].min())

    # ------------------------------------------------------------------ display
    def plot(self, **kwargs: Any) -> Any:
        """A matplotlib figure; see :func:`mineralcalc.plot.plot_demand` (``plot`` extra)."""
        from ..present.plot import plot_demand

        return plot_demand(self, **kwargs)

    def __rich__(self) -> Any:
        from ..present.tables import demand_table

        return demand_table(self)

    def _repr_html_(self) -> str:
        frame = self.by_element()
        caption = f"{self!r} [t]".replace("<", "&lt;").replace(">", "&gt;")
        table = frame.to_html(float_format=lambda v: f"{v:,.4g}")
        return f"<div><b>{caption}</b>{table}</div>"

    def __repr__(self) -> str:
        if self.years == [None]:
            yrs = ""
        elif len(self.years) == 1:
            yrs = f", year {self.years[0]}"
        else:
            yrs = f", years {self.years[0]}-{self.years[-1]}"
        return f"<Demand: {len(self.products)} products, {len(self.elements)} elements{yrs}>"
