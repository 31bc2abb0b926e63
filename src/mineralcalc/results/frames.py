"""A demand as tidy pandas frames: by product, element and year, by element, by product.

Mixed into :class:`~mineralcalc.results.demand.Demand`; every frame is built from its arrays
(:meth:`~mineralcalc.results.demand.Demand.product_arrays`, ``element_array``) and carries its
unit and basis in ``frame.attrs``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import elements as _el
from .arrays import DemandArrays, mass_factor

__all__ = ["Frames"]


class Frames(DemandArrays):
    """Tidy frames of a demand (mixed into :class:`~mineralcalc.results.demand.Demand`)."""

    def _sampled_frame(self, frame: pd.DataFrame, factor: float, basis: str) -> pd.DataFrame:
        return frame  # Demand's adds the sampled columns

    def to_frame(self, unit: str = "t", *, basis: str | None = None) -> pd.DataFrame:
        """Tidy table: one row per product, element and year with any demand.

        Columns ``product``, ``element``, ``year``, ``low``, ``central``, ``high`` (in
        ``unit``, default tonnes, recorded in ``frame.attrs['unit']``; the basis in
        ``frame.attrs['basis']``). ``year`` is empty (``<NA>``) for volumes without years.
        Sampled columns (mean, p5, p50, p95) are for the demand's own basis only.
        """
        u, f = mass_factor(unit)
        basis = self.resolve_basis(basis)
        frames = []
        for sym in self.elements_of(basis):
            arr = self.product_arrays((sym,), None, basis) * f  # (3, P, Y)
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
        frame = self._sampled_frame(frame, f, basis)
        frame.attrs["unit"] = str(u)
        frame.attrs["basis"] = basis
        return frame

    def by_element(
        self, unit: str = "t", *, year: int | None = None, basis: str | None = None
    ) -> pd.DataFrame:
        """Demand per element summed over products: index ``element``, columns low/central/high.

        With several years and no ``year``, the index is (``year``, ``element``). ``basis``:
        ``'mined'`` (closed loops netted out), ``'gross'`` or ``'contained'``; default the
        demand's own; recorded in ``frame.attrs['basis']``.
        """
        u, _ = mass_factor(unit)
        multi = year is None and len(self.years) > 1
        cols, arr = self.element_array(unit, basis=basis)
        _, ys = self.select_indices(year, None)
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
        frame.attrs["basis"] = self.resolve_basis(basis)
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
        u, f = mass_factor(unit)
        _, ys = self.select_indices(year, None)
        basis = self.resolve_basis(basis)
        if element is not None:
            arr = self.product_arrays(*_el.resolve_target(element), basis)[:, :, ys].sum(axis=2) * f
            frame = pd.DataFrame(
                {"low": arr[0], "central": arr[1], "high": arr[2]},
                index=pd.Index(self.products, name="product"),
            )
        else:
            data = {
                sym: self.product_arrays((sym,), None, basis)[1][:, ys].sum(axis=1) * f
                for sym in self.elements_of(basis)
            }
            frame = pd.DataFrame(data, index=pd.Index(self.products, name="product"))
            frame.columns.name = "element"
        frame.attrs["unit"] = str(u)
        frame.attrs["basis"] = basis
        return frame
