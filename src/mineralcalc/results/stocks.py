"""The result of a stock-flow model: inflow, stock in use, end-of-life outflow and recovered
mass by product, element and year, as arrays with tidy frames (computed by
:func:`mineralcalc.lenses.stocks.stock_flow`; ``Demand.stock_model()``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["StockFlow"]


@dataclass(frozen=True, eq=False)
class StockFlow:
    """Inflow, in-use stock, outflow and recovered mass by product, element and year [t].

    Attributes
    ----------
    years : list of int
        Every year from the first historical inflow to the scenario's last year.
    first : int
        The scenario's first year (earlier years are history).
    products, elements : list of str
    inflow, stock, outflow, recovered : ndarray, shape (P, E, T)
        Central values [t of the element]; ``stock`` at the end of each year. ``recovered``
        is from end-of-life products only: process scrap recycled within the year (magnet
        swarf, cell-making scrap) never enters use, so it is not here; it is the demand's
        gross less its mined demand (``report --stocks`` shows it beside, as ``new_scrap``:
        :func:`mineralcalc.lenses.recovery.new_scrap`).
    units_stock : ndarray, shape (P, T)
        Products in use at the end of each year, in their basis (units, MW ...).
    left_out : list of str
        Products of the demand with no lifetime in the tables, not in the model.
    spread : dict, optional
        With samples: ``{name: ndarray (3, E, T)}``, the p5, p50 and p95 of each quantity
        summed over products.
    notes : dict
        By product: the lifetime used and where the inflow before ``first`` comes from.
    sources : set of str
    """

    years: list[int]
    first: int
    products: list[str]
    elements: list[str]
    inflow: np.ndarray
    stock: np.ndarray
    outflow: np.ndarray
    recovered: np.ndarray
    units_stock: np.ndarray | None = None
    left_out: list[str] = field(default_factory=list)
    spread: dict[str, np.ndarray] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)

    def frame(self) -> pd.DataFrame:
        """Tidy: ``year``, ``product``, ``element``, ``inflow``, ``stock``, ``outflow``,
        ``recovered`` [t]; rows where all four are zero left out."""
        p, e, t = np.meshgrid(
            np.arange(len(self.products)),
            np.arange(len(self.elements)),
            np.arange(len(self.years)),
            indexing="ij",
        )
        out = pd.DataFrame(
            {
                "year": np.asarray(self.years)[t.ravel()],
                "product": np.asarray(self.products, dtype=object)[p.ravel()],
                "element": np.asarray(self.elements, dtype=object)[e.ravel()],
                "inflow": self.inflow.ravel(),
                "stock": self.stock.ravel(),
                "outflow": self.outflow.ravel(),
                "recovered": self.recovered.ravel(),
            }
        )
        keep = out[["inflow", "stock", "outflow", "recovered"]].abs().sum(axis=1) > 0
        out = out[keep].sort_values(["year", "product", "element"], kind="stable")
        out.attrs.update(unit="t", first=self.first, notes=dict(self.notes))
        return out.reset_index(drop=True)

    def by_element(self) -> pd.DataFrame:
        """Per element and year, summed over products: ``inflow``, ``stock``, ``outflow``,
        ``recovered`` [t], with ``*_p5`` / ``*_p95`` columns when sampled."""
        rows = []
        for k, el in enumerate(self.elements):
            for j, year in enumerate(self.years):
                row: dict[str, Any] = {"element": el, "year": year}
                for name in ("inflow", "stock", "outflow", "recovered"):
                    row[name] = float(getattr(self, name)[:, k, j].sum())
                    if name in self.spread:
                        row[f"{name}_p5"] = float(self.spread[name][0, k, j])
                        row[f"{name}_p95"] = float(self.spread[name][2, k, j])
                rows.append(row)
        out = pd.DataFrame(rows)
        out.attrs.update(unit="t", first=self.first)
        return out

    def recovered_by_element(self) -> dict[str, dict[int, float]]:
        """``{element: {year: recovered [t]}}``, summed over products."""
        total = self.recovered.sum(axis=0)
        return {
            el: {y: float(total[k, j]) for j, y in enumerate(self.years)}
            for k, el in enumerate(self.elements)
        }
