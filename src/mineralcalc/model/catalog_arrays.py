"""The catalog as the engine sees it: its compiled graph, element columns and intensities.

Mixed into :class:`~mineralcalc.model.catalog.Catalog`, which compiles the graph when it is
built (:mod:`mineralcalc.model.compile`); the intensities themselves are the engine's
(:mod:`mineralcalc.engine.intensity`), reached through :mod:`mineralcalc.hooks`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, overload

import numpy as np
import pandas as pd

from .. import hooks
from ..errors import UnknownItemError
from ..estimate import Estimate

if TYPE_CHECKING:
    from .graph import Graph

__all__ = ["CatalogArrays"]


class CatalogArrays:
    """The compiled face of a catalog (mixed into :class:`~mineralcalc.model.catalog.Catalog`)."""

    _graph: Graph
    _symbols: tuple[str, ...]
    _index: dict[str, int]

    def _unknown(self, item_id: object, where: str = "", *, kind: str = "item") -> UnknownItemError:
        raise NotImplementedError  # pragma: no cover - Catalog's

    @property
    def graph(self) -> Graph:
        """The compiled graph (for the engine and benchmarks)."""
        return self._graph

    @property
    def element_columns(self) -> tuple[str, ...]:
        """The elements that some part line reaches, in the engine's column order."""
        return self._symbols

    def element_matrices(self, basis: str = "mined") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Low, central, high kg of every element column per basis-unit of every item.

        Each array has shape (items, :attr:`element_columns`); computed once per basis
        (:func:`mineralcalc.engine.intensity.element_matrices`).
        """
        result: tuple[np.ndarray, np.ndarray, np.ndarray] = hooks.call(
            "catalog.element_matrices", self, basis
        )
        return result

    def rows(self, item_ids: Iterable[str]) -> np.ndarray:
        """Engine row index of each item id (raises UnknownItemError with a suggestion)."""
        try:
            return np.fromiter((self._index[i] for i in item_ids), dtype=np.int64)
        except (KeyError, TypeError) as e:
            raise self._unknown(e.args[0] if isinstance(e, KeyError) else str(e)) from None

    @overload
    def intensity(
        self,
        product_id: str,
        element: None = None,
        *,
        unit: str | None = None,
        basis: str = "mined",
    ) -> pd.DataFrame: ...

    @overload
    def intensity(
        self, product_id: str, element: str, *, unit: str | None = None, basis: str = "mined"
    ) -> Estimate: ...

    def intensity(
        self,
        product_id: str,
        element: str | None = None,
        *,
        unit: str | None = None,
        basis: str = "mined",
    ) -> pd.DataFrame | Estimate:
        """Element content of one basis-unit of an item, with exact low/high bounds.

        Parameters
        ----------
        product_id : str
            Any item id (a product, component or material).
        element : str, optional
            An element or group (``'Nd'``, ``'magnet REE'``): return that one as an
            :class:`Estimate` instead of a table.
        unit : str, optional
            Unit of the result, a mass per the item's basis (default ``'kg/<basis>'``).
        basis : {'mined', 'gross', 'contained'}, default ``'mined'``
            What the masses mean: to be mined (closed loops netted out), passing through the
            processes (scrap included), or contained in the item (see
            :data:`mineralcalc.model.graph.BASES`; computed by
            :func:`mineralcalc.engine.intensity.intensity`).

        Returns
        -------
        DataFrame or Estimate
            Without ``element``: index ``element``, columns ``low``, ``central``, ``high``
            in ``unit`` (also in ``frame.attrs['unit']``), elements with any content, by
            central value, largest first.

        Examples
        --------
        >>> cat = Catalog([Item("phone", parts={"Nd": "0.16 g"}, kind="product")])
        >>> cat.intensity("phone", "Nd", unit="g/unit")
        Estimate('0.16 g/unit', dist='fixed')
        """
        return hooks.call("catalog.intensity", self, product_id, element, unit=unit, basis=basis)

    # issue 24: the compiled rows and lines, for the model's changes and the results' sampling
    _ids: list[str]
    _dists: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]

    @property
    def row_ids(self) -> Sequence[str]:
        """Item id of each engine row, in row order: ``row_ids[graph.parent[k]]`` is the
        parent of line ``k``; :meth:`rows` is the inverse. Length ``graph.n_items``."""
        return self._ids

    @property
    def line_dists(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Distribution name (one of :data:`mineralcalc.estimate.DISTRIBUTIONS`) of the
        amount, the yield and the recycled fraction of each line, in that order: three
        tuples of length L (the lines of :attr:`graph`), what the Monte Carlo draws."""
        return self._dists
