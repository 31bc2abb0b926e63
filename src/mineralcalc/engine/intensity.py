"""A catalog's element intensities: every item's content of every element, cached.

What :meth:`mineralcalc.Catalog.intensity` and the results read: the explosion
(:mod:`mineralcalc.engine.explode`) of a catalog's graph for each basis, computed once and
kept in the catalog's cache (``catalog.cache``; catalogs never change), and the content of any
weighted set of elements (a group, an oxide equivalent) with exact bounds for the set as a
whole.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, overload

import numpy as np
import pandas as pd

from .. import elements as _el
from ..errors import DimensionError
from ..estimate import Estimate
from ..model.catalog_arrays import Cache
from ..model.graph import check_basis
from ..units import conversion_factor, parse_unit, show_unit
from .explode import bounds, central

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model.catalog import Catalog
    from ..model.items import Item

__all__ = ["Variant", "element_matrices", "intensity", "target"]

_KG = parse_unit("kg")


def element_matrices(
    catalog: Catalog | Variant, basis: str = "mined"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Low, central, high kg of every element column per basis-unit of every item.

    Each array has shape (items, ``catalog.element_columns``); computed once per basis.
    """
    basis = check_basis(basis)
    key = ("matrices", basis)
    cached: tuple[np.ndarray, np.ndarray, np.ndarray] | None = catalog.cache.get(key)
    if cached is None:
        g = catalog.graph
        rhs = np.eye(len(catalog.element_columns))
        c = central(g, rhs, basis)
        lo, hi = bounds(g, rhs, c, basis)
        cached = (lo, c, hi)
        catalog.cache.put(key, cached)
    return cached


def target(
    catalog: Catalog | Variant,
    symbols: tuple[str, ...],
    weights: tuple[float, ...] | None = None,
    basis: str = "mined",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Low, central, high content of a (weighted) set of elements in every item.

    In kg per basis-unit of each item; with ``weights``, the sum of each element's mass
    times its weight (e.g. 1 / metal fraction for an oxide-equivalent mass). Bounds are
    exact for the weighted sum as a whole.
    """
    key = (symbols, weights, basis)
    cached: tuple[np.ndarray, np.ndarray, np.ndarray] | None = catalog.cache.get(key)
    if cached is not None:
        return cached
    compiled = catalog.compiled
    col = compiled.col
    w_of = dict(zip(symbols, weights or (1.0,) * len(symbols), strict=True))
    own = np.zeros(len(compiled.ids))  # elements no line reaches count only for themselves
    for s in symbols:
        if s not in col:
            own[compiled.index[s]] = w_of[s]
    cols = [col[s] for s in symbols if s in col]
    if len(cols) <= 1 and weights is None:
        lo_m, c_m, hi_m = element_matrices(catalog, basis)
        if cols:
            k = cols[0]
            out = (lo_m[:, k] + own, c_m[:, k] + own, hi_m[:, k] + own)
        else:
            out = (own, own, own)
    else:
        w = np.zeros((len(compiled.symbols), 1))
        for s in symbols:
            if s in col:
                w[col[s], 0] = w_of[s]
        c = central(catalog.graph, w, basis)
        lo, hi = bounds(catalog.graph, w, c, basis)
        out = (lo[:, 0] + own, c[:, 0] + own, hi[:, 0] + own)
    catalog.cache.put(key, out)
    return out


@overload
def intensity(
    catalog: Catalog | Variant,
    product_id: str,
    element: None = None,
    *,
    unit: str | None = None,
    basis: str = "mined",
) -> pd.DataFrame: ...


@overload
def intensity(
    catalog: Catalog | Variant,
    product_id: str,
    element: str,
    *,
    unit: str | None = None,
    basis: str = "mined",
) -> Estimate: ...


def intensity(
    catalog: Catalog | Variant,
    product_id: str,
    element: str | None = None,
    *,
    unit: str | None = None,
    basis: str = "mined",
) -> pd.DataFrame | Estimate:
    """Element content of one basis-unit of an item, with exact low/high bounds.

    Parameters
    ----------
    catalog : Catalog or Variant
        The catalog (``catalog.intensity(...)`` passes itself), or one year's variant of it.
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
        :data:`mineralcalc.model.graph.BASES`).

    Returns
    -------
    DataFrame or Estimate
        Without ``element``: index ``element``, columns ``low``, ``central``, ``high``
        in ``unit`` (also in ``frame.attrs['unit']``), elements with any content, by
        central value, largest first.

    Examples
    --------
    >>> from mineralcalc import Catalog, Item
    >>> cat = Catalog([Item("phone", parts={"Nd": "0.16 g"}, kind="product")])
    >>> cat.intensity("phone", "Nd", unit="g/unit")
    Estimate('0.16 g/unit', dist='fixed')
    """
    it = catalog[product_id]
    base = _KG / it.basis
    out_unit = parse_unit(unit) if unit else base
    try:
        f = conversion_factor(base, out_unit)
    except DimensionError as e:
        raise DimensionError(
            f"unit {unit!r} for the intensity of {product_id!r}: {e} "
            f"(use a mass per {show_unit(it.basis)})"
        ) from None
    n = catalog.compiled.index[product_id]
    basis = check_basis(basis)
    if element is not None:
        lo, c, hi = (v[n] * f for v in target(catalog, _el.resolve(element), None, basis))
        return Estimate.from_checked(
            float(lo), float(c), float(hi), out_unit, "triangular" if lo < hi else "fixed"
        )
    lo_m, c_m, hi_m = element_matrices(catalog, basis)
    frame = pd.DataFrame(
        {"low": lo_m[n] * f, "central": c_m[n] * f, "high": hi_m[n] * f},
        index=pd.Index(catalog.element_columns, name="element"),
    )
    if product_id in _el.ELEMENTS and product_id not in catalog.compiled.col:
        frame.loc[product_id] = [f, f, f]
    frame = frame[frame["high"] > 0].sort_values("central", ascending=False, kind="stable")
    frame.attrs["unit"] = show_unit(out_unit)
    return frame


class Variant:
    """A catalog with some part lines' amounts replaced: one year of a scenario with changes.

    It answers what the engine asks a catalog (its graph, element columns, rows, the cache of
    intensities), sharing everything with the catalog but the graph's amounts and the cache,
    so a year costs one explosion, not a new catalog.

    Parameters
    ----------
    catalog : Catalog
    amount : ndarray, shape (3, lines), optional
        The year's low, central, high line amounts (default: the catalog's own).
    """

    def __init__(self, catalog: Catalog, amount: np.ndarray | None = None) -> None:
        self.catalog = catalog
        self.changed = amount is not None
        self.graph = catalog.graph if amount is None else replace(catalog.graph, amount=amount)
        self.cache = catalog.cache if amount is None else Cache()
        """The intensities of this variant: the catalog's own when no amount changed."""
        self.compiled = catalog.compiled
        """The catalog's arrays (:class:`~mineralcalc.model.compile.Compiled`); the graph's
        amounts are :attr:`graph`'s."""
        self.element_columns = catalog.element_columns

    def __getitem__(self, item_id: str) -> Item:
        """The catalog's item ``item_id``."""
        return self.catalog[item_id]

    def rows(self, item_ids: Iterable[str]) -> np.ndarray:
        """The catalog's engine row of each item id."""
        return self.catalog.rows(item_ids)
