"""``mineralcalc.Comparison``: the market balance's frame, which renders itself.

:func:`mineralcalc.lenses.market.compare` returns a plain
:class:`~mineralcalc.lenses.comparison.Comparison` (a pandas DataFrame); the one
:meth:`mineralcalc.Demand.compare` hands back is this subclass, which also shows itself with
rich (``rich.print(frame)``, :func:`mineralcalc.present.tables.compare_table`) and in Jupyter
(:func:`mineralcalc.present.html.comparison_html`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ClassVar, ParamSpec

import pandas as pd

from ..lenses import comparison as _lens
from ..present import html, tables

__all__ = ["Comparison", "rendered"]

_P = ParamSpec("_P")


class Comparison(_lens.Comparison):
    """The table of :meth:`mineralcalc.Demand.compare`: a pandas DataFrame that also renders
    itself with rich and in Jupyter."""

    _metadata: ClassVar[list[str]] = []

    def _whole(self) -> bool:
        """Whether the frame holds the columns the rendered table reads (a selection of a
        few columns, ``frame[["element", "share"]]``, shows as a plain DataFrame)."""
        return set(html.COMPARISON_COLUMNS) <= set(self.columns)

    def __rich__(self) -> tables.ComparisonTable | str:
        return tables.compare_table(self) if self._whole() else str(pd.DataFrame(self))

    def _repr_html_(self) -> str | None:
        if self._whole():
            return html.comparison_html(self)
        return str(pd.DataFrame(self).to_html())


def rendered(fn: Callable[_P, pd.DataFrame]) -> Callable[_P, Comparison]:
    """``fn`` (a lens returning a market-balance frame) returning a :class:`Comparison`: the
    same parameters, types and docstring, the frame renders itself."""

    @functools.wraps(fn)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> Comparison:
        frame = fn(*args, **kwargs)
        out = Comparison(frame)
        out.attrs.update(frame.attrs)
        return out

    return call
