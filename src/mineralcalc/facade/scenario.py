"""``mineralcalc.load_scenario``: a scenario whose catalog is a :class:`mineralcalc.Catalog`."""

from __future__ import annotations

from pathlib import Path

from ..model import scenario as _model
from ..model.catalog import Catalog as CatalogData
from .catalog import Catalog

__all__ = ["load_scenario"]


def load_scenario(path_or_name: str | Path, catalog: CatalogData | None = None) -> _model.Scenario:
    """Read a scenario file, or a shipped scenario by name (``"baseline-2024"``), on
    ``catalog`` (default: the shipped one); see :func:`mineralcalc.model.scenario.load_scenario`.

    Its catalog (``scenario.catalog``) is a :class:`mineralcalc.Catalog`, with intensities,
    unless ``catalog`` is a plain model catalog.
    """
    return _model.load_scenario(path_or_name, Catalog.default() if catalog is None else catalog)
