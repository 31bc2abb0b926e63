"""``mineralcalc.Catalog``: the model's catalog with its intensities, tables and pictures.

:class:`Catalog` adds to :class:`mineralcalc.model.catalog.Catalog` (items, products,
sources, alternatives; immutable, validated) the conveniences of the layers above the model,
each the function that does the work, bound as a method: :meth:`Catalog.intensity` and
:meth:`Catalog.element_matrices` (:mod:`mineralcalc.engine.intensity`),
:meth:`Catalog.to_tables` (:mod:`mineralcalc.present.catalog_export`) and its rich and HTML
pictures (:mod:`mineralcalc.present`). Catalogs built from one (``add``, ``use``,
``from_tables``, ``default``) are of this class too.
"""

from __future__ import annotations

from ..engine import intensity as _intensity
from ..model import catalog as _model
from ..present import catalog_export, catalog_view, html

__all__ = ["Catalog"]


class Catalog(_model.Catalog):
    """An immutable, validated set of items with their exploded element intensities.

    See :class:`mineralcalc.model.catalog.Catalog` for the parameters and what is checked;
    this class adds the methods below.

    Examples
    --------
    >>> import mineralcalc as mc
    >>> cat = mc.Catalog([mc.Item("phone", parts={"Nd": "0.16 g"}, kind="product")])
    >>> cat.intensity("phone", "Nd", unit="g/unit")
    Estimate('0.16 g/unit', dist='fixed')
    """

    intensity = _intensity.intensity
    element_matrices = _intensity.element_matrices
    to_tables = catalog_export.write_tables
    __rich__ = catalog_view.catalog_table
    _repr_html_ = html.catalog_html
