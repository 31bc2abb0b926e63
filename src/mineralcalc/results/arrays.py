"""A demand's numbers as arrays: volumes, demand per product and year, per element and year.

The base of :class:`~mineralcalc.results.demand.Demand` (and of its
:class:`~mineralcalc.results.uncertainty.Sampled` and :class:`~mineralcalc.results.frames.Frames`
sides): the volumes times the catalog's cached intensities
(:mod:`mineralcalc.engine.intensity`), one catalog variant per set of years with the same
line amounts, with exact interval bounds, in kg unless asked otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pint

from .. import elements as _el
from ..engine.intensity import Variant, element_matrices, target
from ..errors import UnknownItemError, VolumeError
from ..model.graph import check_basis
from ..units import conversion_factor, is_mass, parse_unit

if TYPE_CHECKING:
    from ..model.catalog import Catalog

__all__ = ["DemandArrays", "mass_factor"]

_KG = parse_unit("kg")


def mass_factor(unit: str) -> tuple[pint.Unit, float]:
    """The mass unit ``unit`` and the factor from kg to it; a clear error for anything else."""
    u = parse_unit(unit)
    if not is_mass(u):
        raise VolumeError(f"unit {unit!r} is not a mass unit (use 't', 'kt', 'kg' ...)")
    return u, conversion_factor(_KG, u)


class DemandArrays:
    """The arrays of a demand (the base of :class:`~mineralcalc.results.demand.Demand`).

    Attributes
    ----------
    basis : str
        The demand's own basis (``mined``, ``gross`` or ``contained``).
    products : list of str
    years : list of int, or [None]
    catalog : Catalog
    """

    basis: str
    products: list[str]
    years: list[int | None]
    catalog: Catalog
    _volumes: np.ndarray  # (3, P, Y) in each product's basis unit
    _by_catalog: list[tuple[Variant, np.ndarray, list[int]]]  # variant, rows, year indices
    _blocks: dict[str, tuple[tuple[str, ...], np.ndarray]]  # element block per basis

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
    ) -> tuple[slice | list[int], slice | list[int]]:
        """Indices into the product and year axes of :meth:`product_arrays`.

        ``None`` selects every product or year; an unknown one raises
        :class:`~mineralcalc.errors.UnknownItemError` or
        :class:`~mineralcalc.errors.VolumeError`. Returns ``(products, years)``.
        """
        if year is None:
            ys: slice | list[int] = slice(None)
        else:
            if year not in self.years:
                raise VolumeError(f"year {year} is not in this demand (years: {self.years})")
            ys = [self.years.index(year)]
        if product is None:
            ps: slice | list[int] = slice(None)
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
        _, f = mass_factor(unit)
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
