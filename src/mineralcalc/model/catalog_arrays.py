"""The catalog as the engine sees it: its compiled graph, element columns, rows and cache.

Mixed into :class:`~mineralcalc.model.catalog.Catalog`, which compiles the graph when it is
built (:mod:`mineralcalc.model.compile`). The intensities themselves are the engine's
(:func:`mineralcalc.engine.intensity.intensity`), kept in the catalog's :class:`Cache`;
``mineralcalc.Catalog`` (:mod:`mineralcalc.facade.catalog`) offers them as methods.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import UnknownItemError

if TYPE_CHECKING:
    from .graph import Graph

__all__ = ["Cache", "CatalogArrays"]


class Cache:
    """Answers computed from an object that never changes, kept with it; safe across threads.

    A catalog keeps the engine's intensities in one (``catalog.cache``), keyed by what was
    asked (``("matrices", "mined")``, a set of elements and weights); a year's variant of the
    catalog shares it or has its own.
    """

    def __init__(self) -> None:
        self._answers: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The answer kept under ``key``, or None."""
        return self._answers.get(key)

    def put(self, key: Hashable, answer: Any) -> None:
        """Keep ``answer`` under ``key`` (the first answer kept stays)."""
        with self._lock:
            self._answers.setdefault(key, answer)

    def __len__(self) -> int:
        return len(self._answers)


class CatalogArrays:
    """The compiled face of a catalog (mixed into :class:`~mineralcalc.model.catalog.Catalog`)."""

    _graph: Graph
    _symbols: tuple[str, ...]
    _index: dict[str, int]

    def unknown_item_error(
        self, item_id: object, where: str = "", *, kind: str = "item"
    ) -> UnknownItemError:
        raise NotImplementedError  # pragma: no cover - Catalog's

    @property
    def graph(self) -> Graph:
        """The compiled graph (for the engine and benchmarks)."""
        return self._graph

    @property
    def element_columns(self) -> tuple[str, ...]:
        """The elements that some part line reaches, in the engine's column order."""
        return self._symbols

    def rows(self, item_ids: Iterable[str]) -> np.ndarray:
        """Engine row index of each item id (raises UnknownItemError with a suggestion)."""
        try:
            return np.fromiter((self._index[i] for i in item_ids), dtype=np.int64)
        except (KeyError, TypeError) as e:
            raise self.unknown_item_error(
                e.args[0] if isinstance(e, KeyError) else str(e)
            ) from None
