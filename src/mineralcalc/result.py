"""The result of a demand computation: element masses by product, element and year.

A :class:`Demand` keeps the volumes and a reference to its catalog; element totals and their
exact interval bounds are computed on request from the catalog's cached intensities, and
handed back as pint Quantities (tonnes by default) or tidy pandas frames.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pint

from . import elements as _el
from .errors import UnknownItemError, VolumeError
from .units import Q_, conversion_factor, is_mass, parse_unit

if False:  # pragma: no cover - typing only, avoids an import cycle at run time
    from .catalog import Catalog

__all__ = ["Demand"]

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
    ) -> None:
        self.catalog = catalog
        self.products = list(products)
        self.years = list(years)
        self._volumes = volumes  # (3, P, Y) in basis units
        self._rows = catalog.rows(products)

    # ------------------------------------------------------------------ core arrays
    def _arrays(self, symbols: tuple[str, ...]) -> np.ndarray:
        """(3, P, Y) low/central/high demand [kg] of a set of elements."""
        lo, c, hi = self.catalog._target(symbols)
        ints = np.stack([lo[self._rows], c[self._rows], hi[self._rows]])  # (3, P)
        return self._volumes * ints[:, :, None]

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

    @property
    def elements(self) -> tuple[str, ...]:
        """Elements with any demand, in order of atomic number."""
        hi_m = self.catalog._element_matrices[2]
        cols = self.catalog.element_columns
        reach = (hi_m[self._rows] * self._volumes[2].max(axis=1)[:, None]).max(axis=0)
        found = {s for s, v in zip(cols, reach, strict=True) if v > 0}
        for p in self.products:  # volumes of bare elements
            if p in _el.ELEMENTS:
                found.add(p)
        return tuple(s for s in _el.ELEMENTS if s in found)

    # ------------------------------------------------------------------ quantities
    def range(
        self,
        element: str,
        unit: str = "t",
        *,
        year: int | None = None,
        product: str | Iterable[str] | None = None,
    ) -> tuple[pint.Quantity, pint.Quantity, pint.Quantity]:
        """Low, central and high demand of an element or group; exact interval bounds.

        Parameters
        ----------
        element : str
            An element (``'Nd'``) or group (``'REE'``, ``'magnet REE'``).
        unit : str, default ``'t'``
            A mass unit.
        year : int, optional
            One year; default: the sum over all years (cumulative demand).
        product : str or list of str, optional
            Restrict to these products.
        """
        u, f = _mass_factor(unit)
        arr = self._arrays(_el.resolve(element))
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
    ) -> pint.Quantity:
        """Central demand of an element or group, a Quantity (see :meth:`range`)."""
        return self.range(element, unit, year=year, product=product)[1]

    # ------------------------------------------------------------------ frames
    def to_frame(self, unit: str = "t") -> pd.DataFrame:
        """Tidy table: one row per product, element and year with any demand.

        Columns ``product``, ``element``, ``year``, ``low``, ``central``, ``high`` (in
        ``unit``, default tonnes, recorded in ``frame.attrs['unit']``). ``year`` is empty
        (``<NA>``) for volumes without years.
        """
        u, f = _mass_factor(unit)
        frames = []
        for sym in self.elements:
            arr = self._arrays((sym,)) * f  # (3, P, Y)
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
        frame.attrs["unit"] = str(u)
        return frame

    def by_element(self, unit: str = "t", *, year: int | None = None) -> pd.DataFrame:
        """Demand per element summed over products: index ``element``, columns low/central/high.

        With several years and no ``year``, the index is (``year``, ``element``).
        """
        u, f = _mass_factor(unit)
        multi = year is None and len(self.years) > 1
        rows = []
        for sym in self.elements:
            arr = self._arrays((sym,)) * f
            _, ys = self._select(year, None)
            per_year = arr[:, :, ys].sum(axis=1)  # (3, Y')
            yrs = self.years if year is None else [year]
            for k, y in enumerate(yrs):
                rows.append((y, sym, *per_year[:, k]))
        frame = pd.DataFrame(rows, columns=["year", "element", "low", "central", "high"])
        if multi:
            frame = frame.sort_values(["year"], kind="stable").set_index(["year", "element"])
        else:
            frame = frame.drop(columns="year").set_index("element")
        frame.attrs["unit"] = str(u)
        return frame

    def by_product(
        self, element: str | None = None, unit: str = "t", *, year: int | None = None
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
        """
        u, f = _mass_factor(unit)
        _, ys = self._select(year, None)
        if element is not None:
            arr = self._arrays(_el.resolve(element))[:, :, ys].sum(axis=2) * f
            frame = pd.DataFrame(
                {"low": arr[0], "central": arr[1], "high": arr[2]},
                index=pd.Index(self.products, name="product"),
            )
        else:
            data = {sym: self._arrays((sym,))[1][:, ys].sum(axis=1) * f for sym in self.elements}
            frame = pd.DataFrame(data, index=pd.Index(self.products, name="product"))
            frame.columns.name = "element"
        frame.attrs["unit"] = str(u)
        return frame

    def __repr__(self) -> str:
        if self.years == [None]:
            yrs = ""
        elif len(self.years) == 1:
            yrs = f", year {self.years[0]}"
        else:
            yrs = f", years {self.years[0]}-{self.years[-1]}"
        return f"<Demand: {len(self.products)} products, {len(self.elements)} elements{yrs}>"
