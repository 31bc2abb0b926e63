"""The table of a market balance, and the sampled spread of its rows.

:func:`~mineralcalc.lenses.market.compare` returns a :class:`Comparison`: a plain pandas
DataFrame that keeps its class through pandas operations. :meth:`mineralcalc.Demand.compare`
hands back :class:`mineralcalc.facade.comparison.Comparison`, which also renders itself with
rich and in Jupyter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["Comparison", "add_spread"]


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
        qs = np.array([q.magnitude for q in demand.quantiles(name, year=year)])
    else:
        qs = np.quantile(demand.sample_values(name, "t", year=year, weights=weights),
                         [0.05, 0.5, 0.95])  # fmt: skip
    qs = qs + float(row.get("other_uses", 0.0) or 0.0)
    supply_t = row["supply"]
    row.update({f"demand_p{p}": v for p, v in zip((5, 50, 95), qs, strict=True)})
    row.update(
        {f"share_p{p}": v / supply_t if supply_t == supply_t else np.nan
         for p, v in zip((5, 50, 95), qs, strict=True)}
    )  # fmt: skip
    return row
