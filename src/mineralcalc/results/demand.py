"""The result of a demand computation: element masses by product, element and year.

A :class:`Demand` keeps the volumes and a reference to its catalog; element totals and their
exact interval bounds are computed on request from the catalog's cached intensities
(:mod:`mineralcalc.engine.intensity`), and handed back as pint Quantities (tonnes by default)
or tidy pandas frames. Its samples are :mod:`mineralcalc.results.uncertainty`'s. It holds no
interpretation: ``mineralcalc.Demand`` (:mod:`mineralcalc.facade.demand`) adds the lenses and
pictures as methods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import pandas as pd
import pint

from .. import elements as _el
from ..engine.draws import sample_count
from ..engine.intensity import Variant
from ..errors import VolumeError
from ..estimate import GrowthLike
from ..model.catalog import Catalog
from ..model.changes import Change
from ..model.graph import check_basis
from ..model.recycling import RecyclingLike
from ..model.scenario import Scenario
from ..units import Q_
from .arrays import mass_factor
from .build import prepare
from .frames import Frames
from .uncertainty import Sampled

if TYPE_CHECKING:
    from ..engine.draws import SampledDemand
    from ..model.graph import YearAmounts

__all__ = ["Demand"]


class Demand(Frames, Sampled):
    """Element demand of a set of production volumes.

    Not built directly: use :func:`mineralcalc.demand`.

    Attributes
    ----------
    products : list of str
    years : list of int, or [None] for volumes without years
    elements : tuple of str
        Elements with any demand (any bound above zero), in order of atomic number.
    catalog : Catalog
    recycling : Recycling or None
        End-of-life rates over time that the demand was given (a scenario's ``[recycling]``).
    max_memory : int or None
        Memory budget [bytes] of its Monte Carlo and of its stock-flow model's.
    """

    def __init__(
        self,
        catalog: Catalog,
        products: list[str],
        years: list[int | None],
        volumes: np.ndarray,
        *,
        year_amounts: YearAmounts | None = None,
        supply_growth: GrowthLike = None,
        basis: str = "mined",
        recycling: RecyclingLike = None,
        within: Mapping[str, str] | None = None,
        max_memory: int | None = None,
    ) -> None:
        self.basis = check_basis(basis)
        self.within: Mapping[str, str] = dict(within or {})
        """Products whose demand is part of a published end use (product -> end use); every
        other product no end use of ``end_uses.csv`` lists is new demand on top of them."""
        self.catalog = catalog
        self.products = list(products)
        self.years = list(years)
        self.supply_growth = supply_growth
        self.recycling = recycling  # a scenario's end-of-life rates (model.recycling.Recycling)
        self.max_memory = max_memory  # memory budget [bytes] of its Monte Carlo (None: default)
        self._volumes = volumes  # (3, P, Y) in basis units
        self._year_amounts = year_amounts
        # group the years by their line amounts: one variant of the catalog per distinct set
        rows = catalog.rows(products)
        if year_amounts is None:
            self._by_catalog = [(Variant(catalog), rows, list(range(len(self.years))))]
        else:
            groups: dict[bytes, list[int]] = {}
            for y in range(len(self.years)):
                groups.setdefault(year_amounts.amount[:, :, y].tobytes(), []).append(y)
            base = catalog.graph.amount
            self._by_catalog = [
                (Variant(catalog, year_amounts.at(base, ys[0])), rows, ys) for ys in groups.values()
            ]
        self._mc: SampledDemand | None = None
        self._blocks: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
        self.lens_cache: dict[Any, Any] = {}
        """Answers the lenses keep for this demand (it never changes), e.g. a comparison: a
        lens keys its entries by its name and arguments and stores copies."""

    catalog_type: ClassVar[type[Catalog]] = Catalog
    """The catalog a demand is built on when none is given: the shipped one."""

    @classmethod
    def build(
        cls,
        volumes: Mapping[str, Any] | Scenario,
        catalog: Catalog | None = None,
        *,
        years: Iterable[int] | None = None,
        samples: int | None = None,
        seed: int | None = None,
        changes: Iterable[Change] | None = None,
        supply_growth: GrowthLike = None,
        progress: Callable[[int, int], None] | None = None,
        basis: str = "mined",
        max_memory: int | str | None = None,
        executor: Executor | None = None,
        recycling: RecyclingLike = None,
    ) -> Self:
        """Element demand of production volumes.

        Parameters
        ----------
        volumes : mapping or scenario
            ``{product_id: amount}`` or ``{product_id: {year: amount}}``; an amount is any form
            :func:`~mineralcalc.estimate.parse_amount` reads, in the product's basis
            (``"1.24 billion"``, ``"8 GW"``, ``"1.2 to 1.3 billion"``), optionally per year. A
            plain amount beside per-year ones applies to every year. A
            :class:`~mineralcalc.model.scenario.Scenario` (:func:`~mineralcalc.load_scenario`)
            brings its volumes (read once, when it was loaded), catalog, years, changes, supply
            growth and recycling, each unless the argument is given.
        catalog : Catalog, optional
            Default: the scenario's catalog, else the shipped one (:meth:`Catalog.default`).
        years : iterable of int, optional
            The years to compute (default: the scenario's, else every year a volume names).
            Volumes between given years are interpolated linearly; beyond them they follow a
            product's ``"growth"`` rate, and without one that is an error.
        samples : int, optional
            Draw this many Monte Carlo samples of every uncertain amount, yield and volume
            (:mod:`mineralcalc.engine.montecarlo`); then :meth:`Demand.quantiles`, the p5/p50/p95
            columns of :meth:`Demand.to_frame` and the share spread of :meth:`Demand.compare`.
        seed : int, optional
            Random seed; the same seed gives identical samples.
        changes : iterable of Change, optional
            Part lines whose amounts change over the years (thrifting, shifting technology
            shares); default: the scenario's. See :mod:`mineralcalc.model.changes`.
        supply_growth : rate or mapping of commodity to rate, optional
            Growth of world output per year, used by :meth:`Demand.compare` for years after the
            last figures (default: the scenario's).
        progress : callable(done, total), optional
            Called as sampling proceeds (the command line draws a progress bar with it).
        basis : {'mined', 'gross', 'contained'}, default ``'mined'``
            What the demand's figures mean unless a query says otherwise: the mass to be mined
            (process losses included, closed recycling loops such as magnet swarf netted out),
            the mass passing through the processes (``gross``), or the mass in the products
            (``contained``). Samples are drawn for this basis.
        max_memory : int or str, optional
            Memory budget for sampling, in bytes or as ``"2 GiB"``, ``"500 MB"`` (default:
            :data:`mineralcalc.engine.draws.MAX_MEMORY`, 2 GiB). A request estimated above it is
            refused before anything is drawn. The demand keeps it for the Monte Carlo of its
            stock-flow model (:meth:`Demand.stock_model`).
        executor : concurrent.futures.Executor, optional
            Run the samples' chunks on its workers: a ``ProcessPoolExecutor`` for the local
            cores, or a Dask client's ``get_executor()`` for a cluster. The chunks and their
            seeds are the same as without one, so the results are identical for a given seed.
        recycling : Recycling or mapping, optional
            End-of-life rates over time (:class:`mineralcalc.Recycling`, or a mapping read as a
            scenario's ``[recycling]`` table, ``{"collection": "50 %"}``; default: the scenario's
            ``[recycling]``). With them, the market balance takes end-of-life supply from the
            stock-flow model (:meth:`Demand.stock_model`).

        Returns
        -------
        Demand
            Of the class it is called on: ``mineralcalc.demand`` is
            :meth:`mineralcalc.Demand.build`, whose demands have every lens as a method.

        Raises
        ------
        UnknownItemError
            A product the catalog does not hold (the message suggests the closest).
        VolumeError
            A volume that is negative, malformed, or not in its product's basis; a bad
            ``samples``, ``seed`` or ``max_memory``.
        ScenarioError
            ``recycling`` that is neither a Recycling nor a mapping of stages, or a rate in it
            that is not a share from 0 to 100 %.

        Examples
        --------
        >>> import mineralcalc as mc
        >>> cat = mc.Catalog([mc.Item("phone", parts={"Nd": "0.16 g"}, kind="product")])
        >>> mc.demand({"phone": "1.24 billion"}, cat).total("Nd")
        <Quantity(198.4, 'metric_ton')>
        """
        if catalog is None:
            catalog = volumes.catalog if isinstance(volumes, Scenario) else None
        p = prepare(
            volumes,
            catalog if catalog is not None else cls.catalog_type.default(),
            years=years,
            changes=changes,
            supply_growth=supply_growth,
            max_memory=max_memory,
            seed=seed,
            recycling=recycling,
        )
        vols = p.volumes
        result = cls(
            p.catalog,
            vols.products,
            vols.years,
            vols.values,
            year_amounts=p.year_amounts,
            supply_growth=p.supply_growth,
            basis=basis,
            recycling=p.recycling,
            max_memory=p.max_memory,
            within=p.within,
        )
        if samples is not None:
            if executor is not None and not isinstance(executor, Executor):
                raise VolumeError(
                    "executor must be a concurrent.futures.Executor (a ProcessPoolExecutor, "
                    f"or a Dask client's get_executor()), got {type(executor).__name__}"
                )
            result.draw(sample_count(samples), p.seed, vols.dists, progress, p.max_memory, executor)
        return result

    # ------------------------------------------------------------------ quantities
    def range(
        self,
        element: str,
        unit: str = "t",
        *,
        year: int | None = None,
        product: str | Iterable[str] | None = None,
        basis: str | None = None,
    ) -> tuple[pint.Quantity, pint.Quantity, pint.Quantity]:
        """Low, central and high demand of an element or group; exact interval bounds.

        Parameters
        ----------
        element : str
            An element (``'Nd'``) or group (``'REE'``, ``'magnet REE'``), as metal; with
            `` (REO)`` appended, as the oxide-equivalent mass (``'magnet REE (REO)'``), the
            name :meth:`compare` gives its group rows.
        unit : str, default ``'t'``
            A mass unit.
        year : int, optional
            One year; default: the sum over all years (cumulative demand).
        product : str or list of str, optional
            Restrict to these products.
        basis : {'mined', 'gross', 'contained'}, optional
            Mass to be mined (closed loops netted out), passing through the processes, or in
            the products; default: the demand's own :attr:`basis`.
        """
        u, f = mass_factor(unit)
        arr = self.product_arrays(*_el.resolve_target(element), basis)
        ps, ys = self.select_indices(year, product)
        sums = arr[:, ps][:, :, ys].sum(axis=(1, 2)) * f
        return (Q_(float(sums[0]), u), Q_(float(sums[1]), u), Q_(float(sums[2]), u))

    def total(
        self,
        element: str,
        unit: str = "t",
        *,
        year: int | None = None,
        product: str | Iterable[str] | None = None,
        basis: str | None = None,
    ) -> pint.Quantity:
        """Central demand of an element or group, a Quantity (see :meth:`range`)."""
        return self.range(element, unit, year=year, product=product, basis=basis)[1]

    def _sampled_frame(self, frame: pd.DataFrame, factor: float, basis: str) -> pd.DataFrame:
        if self._mc is not None and basis == self.basis:
            return self._sampled_columns(frame, factor)
        return frame

    def __repr__(self) -> str:
        if self.years == [None]:
            yrs = ""
        elif len(self.years) == 1:
            yrs = f", year {self.years[0]}"
        else:
            yrs = f", years {self.years[0]}-{self.years[-1]}"
        return f"<Demand: {len(self.products)} products, {len(self.elements)} elements{yrs}>"
