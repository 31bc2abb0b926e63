"""The table of a market balance: a DataFrame that renders itself.

:func:`~mineralcalc.lenses.market.compare` returns a :class:`Comparison`: a plain pandas
DataFrame for computing, which also shows itself with rich (``rich.print(comparison)``) and in
Jupyter. The rendering is :mod:`mineralcalc.present`'s, reached through hooks.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd

from .. import hooks

__all__ = ["Comparison"]


class Comparison(pd.DataFrame):
    """The table of :meth:`Demand.compare <mineralcalc.results.demand.Demand.compare>`: a
    pandas DataFrame that also renders itself with rich and in Jupyter."""

    _metadata: ClassVar[list[str]] = []

    @property
    def _constructor(self) -> type[Comparison]:
        return Comparison

    def __rich__(self) -> Any:
        return hooks.call("comparison.rich", self)

    def _repr_html_(self) -> str | None:
        html: str = hooks.call("comparison.html", self)
        return html
