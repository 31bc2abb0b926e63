"""The result of a demand computation: element masses by product, element and year.

A :class:`Demand` keeps the volumes and a reference to its catalog; element totals and their
exact interval bounds are computed on request from the catalog's cached intensities
(:mod:`mineralcalc.engine.intensity`), and handed back as pint Quantities (tonnes by default)
or tidy pandas frames. Its samples are :mod:`mineralcalc.results.sampled`'s; what it offers
against supply, risk and sensitivity, and its pictures, are conveniences
(:mod:`mineralcalc.results.views`) for the lenses and presenters above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pint

from .. import elements as _el
from ..engine.intensity import Variant, element_matrices, target
from ..errors import UnknownItemError, VolumeError
from ..model.graph import check_basis
from ..units import Q_
from .frames import Frames
from .sampled import Sampled, mass_factor
from .views import Views

if TYPE_CHECKING:
    from ..engine.sampling import SampledDemand
    from ..model.catalog import Catalog
    from ..model.graph import YearAmounts

__all__ = ["Demand"]

_mass_factor = mass_factor


class Demand(Frames, Sampled, Views):
    """Element demand of a set of production volumes.

    Not built directly: use :func:`mineralcalc.demand`.

    Attributes
    ----------
    products : list of str
    years : list of int, or [None] for volumes without years
    elements : tuple of str
        Elements with any demand (any bound above zero), in order of atomic number.
    catalog : Catalog
    recycling : Recycling or None
        End-of-life rates over time that the demand was given (a scenario's ``[recycling]``).
    max_memory : int or None
        Memory budget [bytes] of its Monte Carlo and of its stock-flow model's.
    """

    def __init__(
        self,
        catalog: Catalog,
        products: list[str],
        years: list[int | None],
        volumes: np.ndarray,
        *,
        year_amounts: YearAmounts | None = None,
        supply_growth: Any = None,
        basis: str = "mined",
        recycling: Any = None,
        within: Mapping[str, str] | None = None,
        max_memory: int | None = None,
    ) -> None:
        self.basis = check_basis(basis)
        self.within: Mapping[str, str] = dict(within or {})
        """Products whose demand is part of a published end use (product -> end use); every
        other product no end use of ``end_uses.csv`` lists is new demand on top of them."""
        self.catalog = catalog
        self.products = list(products)
        self.years = list(years)
        self.supply_growth = supply_growth
        self.recycling = recycling  # a scenario's end-of-life rates (model.recycling.Recycling)
        self.max_memory = max_memory  # memory budget [bytes] of its Monte Carlo (None: default)
        self._volumes = volumes  # (3, P, Y) in basis units
        self._year_amounts = year_amounts
        # group the years by their line amounts: one variant of the catalog per distinct set
        rows = catalog.rows(products)
        if year_amounts is None:
            self._by_catalog = [(Variant(catalog), rows, list(range(len(self.years))))]
        else:
            groups: dict[bytes, list[int]] = {}
            for y in range(len(self.years)):
                groups.setdefault(year_amounts.amount[:, :, y].tobytes(), []).append(y)
            base = catalog.graph.amount
            self._by_catalog = [
                (Variant(catalog, year_amounts.at(base, ys[0])), rows, ys) for ys in groups.values()
            ]
        self._mc: SampledDemand | None = None
        self._blocks: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
        self.lens_cache: dict[Any, Any] = {}
        """Answers the lenses keep for this demand (it never changes), e.g. a comparison: a
        lens keys its entries by its name and arguments and stores copies."""

    # ------------------------------------------------------------------ core arrays
    @property
    def volume_array(self) -> np.ndarray:
        """Volumes as one read-only array, shape (3, products, years): low, central and high,
        in each product's basis unit (``products`` and ``years`` give the axes)."""
        view = self._volumes.view()
        view.flags.writeable = False
        return view

    def resolve_basis(self, basis: str | None) -> str:
        """The demand basis ``basis`` names, checked (``None``: the demand's own)."""
        if basis is None:
            return self.basis
        return check_basis(basis)

    def product_arrays(
        self,
        symbols: tuple[str, ...],
        weights: tuple[float, ...] | None = None,
        basis: str | None = None,
    ) -> np.ndarray:
        """Demand per product and year of a (weighted) set of elements, in kg.

        Parameters
        ----------
        symbols : tuple of str
            Elements, e.g. from :func:`mineralcalc.elements.resolve_target`.
        weights : tuple of float, optional
            A factor per element (oxide factors for REO); default 1 each.
        basis : {'mined', 'gross', 'contained'}, optional
            Default: the demand's own.

        Returns
        -------
        ndarray, shape (3, products, years)
            Low, central and high demand [kg], exact bounds per element.
        """
        basis = self.resolve_basis(basis)
        out = np.empty_like(self._volumes)
        for cat, rows, ys in self._by_catalog:
            lo, c, hi = target(cat, symbols, weights, basis)
            ints = np.stack([lo[rows], c[rows], hi[rows]])  # (3, P)
            out[:, :, ys] = self._volumes[:, :, ys] * ints[:, :, None]
        return out

    def select_indices(
        self, year: int | None, product: str | Iterable[str] | None
    ) -> tuple[Any, Any]:
        """Indices into the product and year axes of :meth:`product_arrays`.

        ``None`` selects every product or year; an unknown one raises
        :class:`~mineralcalc.errors.UnknownItemError` or
        :class:`~mineralcalc.errors.VolumeError`. Returns ``(products, years)``.
        """
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
        cols, arr = self._element_block_of(self.resolve_basis(basis))
        _, f = _mass_factor(unit)
        return cols, arr * f if f != 1 else arr.copy()

    def elements_of(self, basis: str | None = None) -> tuple[str, ...]:
        """Elements with any demand on ``basis`` (default: the demand's own), by atomic number."""
        return self._element_block_of(self.resolve_basis(basis))[0]

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
            lo, c, hi = element_matrices(cat, basis)
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
        arr = self.product_arrays(*_el.resolve_target(element), basis)
        ps, ys = self.select_indices(year, product)
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

    def _sampled_frame(self, frame: pd.DataFrame, factor: float, basis: str) -> pd.DataFrame:
        if self._mc is not None and basis == self.basis:
            return self._sampled_columns(frame, factor)
        return frame

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
