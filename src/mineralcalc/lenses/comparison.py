"""The table of a market balance, and the sampled spread of its rows.

:func:`~mineralcalc.lenses.market.compare` returns a :class:`Comparison`: a plain pandas
DataFrame that keeps its class through pandas operations. :meth:`mineralcalc.Demand.compare`
hands back :class:`mineralcalc.facade.comparison.Comparison`, which also renders itself with
rich and in Jupyter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from ..elements import ELEMENTS
from ..engine.draws import KEEP_BYTES

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["Comparison", "add_spread", "spread_columns"]

_Q = [0.05, 0.5, 0.95]
_P = (5, 50, 95)


class Comparison(pd.DataFrame):
    """The table of :func:`~mineralcalc.lenses.market.compare`: a pandas DataFrame (one row
    per element or group and year; the columns are the function's)."""

    _metadata: ClassVar[list[str]] = []

    @property
    def _constructor(self) -> type[Comparison]:
        return type(self)


def add_spread(
    demand: Demand,
    row: dict[str, Any],
    name: str,
    year: int | None,
    weights: tuple[float, ...] | None,
) -> dict[str, Any]:
    """Add the sampled p5/p50/p95 of demand and share to a comparison row.

    The other uses are published figures, not sampled: they shift every quantile alike.
    """
    if demand.samples is None or row.get("demand_basis", demand.basis) != demand.basis:
        return row
    if weights is None:  # the demand's quantiles: exact, or streamed for a large run
        qs = np.array([[q.magnitude for q in demand.quantiles(name, year=year)]])
    else:
        qs = np.quantile(demand.sample_values(name, "t", year=year, weights=weights), _Q)[None]
    other = np.array([float(row.get("other_uses", 0.0) or 0.0)])
    columns = _spread(qs, other, np.array([float(row["supply"])]))
    row.update({k: v[0] for k, v in columns.items()})
    return row


def spread_columns(
    demand: Demand,
    names: Sequence[str],
    years: Sequence[int | None],
    other: np.ndarray,
    supply: np.ndarray,
) -> dict[str, np.ndarray]:
    """:func:`add_spread` for many rows at once: the columns ``demand_p5``, ``demand_p50``,
    ``demand_p95`` [t] and ``share_p5``, ``share_p50``, ``share_p95``.

    Parameters
    ----------
    demand : Demand
        A sampled demand.
    names, years : sequence
        Each row's element or group (``'REE (REO)'``) and year.
    other, supply : ndarray
        Each row's other uses and central supply [t].

    Returns
    -------
    dict of str to ndarray
        One value per row in each column. The quantiles are those of
        :meth:`Demand.quantiles <mineralcalc.results.sampled.Sampled.quantiles>`: of the
        kept samples (all rows in one ``np.quantile``), or of its streamed summaries.
    """
    n = demand.samples or 0
    if n * len(ELEMENTS) * len(demand.years) * 4 <= KEEP_BYTES:
        # totals certainly kept: what quantiles() computes row by row, in one call
        values = np.empty((len(names), n))
        for k, (name, year) in enumerate(zip(names, years, strict=True)):
            values[k] = demand.sample_values(name, "t", year=year)
        qs = np.quantile(values, _Q, axis=1).T if len(names) else np.empty((0, 3))
    else:
        qs = np.array(
            [
                [q.magnitude for q in demand.quantiles(name, year=year)]
                for name, year in zip(names, years, strict=True)
            ]
        ).reshape(len(names), 3)
    return _spread(qs, other, supply)


def _spread(qs: np.ndarray, other: np.ndarray, supply: np.ndarray) -> dict[str, np.ndarray]:
    """The spread columns from quantiles of modelled demand (rows, 3), other uses and supply."""
    qs = qs + other[:, None]
    out = {f"demand_p{p}": qs[:, k] for k, p in enumerate(_P)}
    with np.errstate(divide="ignore", invalid="ignore"):
        known = supply == supply
        out.update(
            {f"share_p{p}": np.where(known, qs[:, k] / supply, np.nan) for k, p in enumerate(_P)}
        )
    return out
