"""What a :class:`~mineralcalc.results.demand.Demand` offers beyond its numbers: conveniences.

Comparing with supply, the balance problem, risk measures, sensitivity, plots and rich
rendering are the business of the layers above results (:mod:`mineralcalc.lenses`,
:mod:`mineralcalc.present`). A demand offers them as methods for the user's convenience, and
each method calls a hook (:mod:`mineralcalc.hooks`) that the package binds to the function
doing the work; results never import the layers above them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import pint

from .. import hooks

__all__ = ["Views"]


class Views:
    """Lenses and pictures of a demand (mixed into :class:`~mineralcalc.results.demand.Demand`).

    ``supply`` arguments are :class:`~mineralcalc.lenses.supply.Supply` objects (typed
    ``Any`` here: results do not import the lenses).
    """

    def compare(
        self,
        supply: Any = None,
        *,
        growth: Any = None,
        without: str | Iterable[str] = (),
        groups: Iterable[str] = ("REE", "LREE", "HREE", "magnet REE"),
        basis: str | None = None,
        other_uses: bool = True,
        stage: str = "mining",
        unrecorded: bool = True,
    ) -> pd.DataFrame:
        """The market balance: demand against world supply, per element and group and year.

        Demand is the modelled products plus the uses they do not model (published demand by
        end use; see :mod:`mineralcalc.lenses.other_uses`); supply is recorded mine output
        (each rare earth from its producers' ore types), unrecorded output and recycling (see
        :mod:`mineralcalc.lenses.market`). A year without figures follows a published outlook
        (:mod:`mineralcalc.lenses.projection`).

        Parameters
        ----------
        supply : Supply, optional
            Default: the shipped figures of each demand year; for a year without figures,
            the latest earlier year's, carried along the outlook of ``outlook.csv`` country
            by country (the IEA's base case), or at ``growth`` for the commodities it names,
            or held (said in ``note``).
        growth : rate or mapping of commodity to rate, optional
            Supply growth per year for projections (default: the scenario's), instead of the
            outlook for the commodities it names (``"*"``: all).
        without : country or group names, optional
            Remove these from supply first (an export stop).
        groups : names of element groups
            Rare-earth groups to add as rows, compared in REO.
        basis : {'mined', 'gross'}, optional
            ``mined`` (the default for a mined-basis demand): demand net of closed recycling
            loops against mine output plus end-of-life recycling; ``gross``: demand through the
            processes against all secondary supply, recycled process scrap included.
        other_uses : bool, default True
            Add the uses the products do not model; ``False`` compares the products alone.
        stage : {'mining', 'refining'}, default 'mining'
            The stage of the chain whose output is the primary supply: ``refining`` compares
            with refined output (lithium chemicals, refined cobalt ...; rare earths: their mine
            output times the share of separation left after ``without``).
        unrecorded : bool, default True
            Count the output that recorded statistics leave out (``unrecorded.csv``: an
            estimate with a range and its source, in its own columns); ``False`` compares
            with recorded output and recycling only.

        Returns
        -------
        DataFrame
            One row per element (or group) and year: ``element``, ``year``, ``basis``
            (``metal``; ``oxide (REO)`` for groups), ``demand_basis`` (``mined`` or ``gross``),
            ``modelled`` (with ``modelled_low``, ``modelled_high``), ``other_uses`` (with
            ``other_low``, ``other_high``), ``demand`` = modelled + other uses (with
            ``demand_low``, ``demand_high``); supply line by line: ``recorded`` (mine output
            as the statistics give it), ``unrecorded`` (with low and high), ``primary`` =
            recorded + unrecorded, ``new_scrap`` (recycled fabrication scrap, gross basis only)
            and ``end_of_life`` (each with low and high), ``secondary`` = new scrap + end of
            life, ``supply`` = primary + secondary [t] (with low and high); ``share`` = demand
            / supply with ``share_low`` and ``share_high``; ``modelled_share`` = modelled /
            supply; ``balance`` = supply - demand (also as ``headroom``); ``shortfall``: in a
            projected year, how far demand exceeds the supply of the outlook (announced
            projects), t/yr; ``outlook``: what a projected year's supply follows; ``coverage``
            = modelled / demand; ``supply_year``; ``note``. Sampled demands add
            ``demand_p5`` ... ``share_p95``.
        """
        return hooks.call(
            "demand.compare",
            self,
            supply,
            growth=growth,
            without=without,
            groups=groups,
            basis=basis,
            include_other_uses=other_uses,
            stage=stage,
            unrecorded=unrecorded,
        )

    def balance(
        self,
        year: int | None = None,
        *,
        supply: Any = None,
        basis: str | None = None,
        growth: Any = None,
        without: str | Iterable[str] = (),
        other_uses: bool = True,
        unrecorded: bool = True,
    ) -> Any:
        """The balance problem of one year: which rare earth binds, how much oxide must be
        mined at today's ore mix (and from each ore type) to meet it, and the surplus of
        lanthanum, cerium and the rest that leaves (:func:`mineralcalc.lenses.balance.balance`;
        a :class:`~mineralcalc.lenses.balance.Balance`)."""
        return hooks.call(
            "demand.balance",
            self,
            year,
            supply=supply,
            basis=basis,
            growth=growth,
            without=without,
            other_uses=other_uses,
            unrecorded=unrecorded,
        )

    def stock_model(
        self,
        *,
        recycling: Any = None,
        samples: int | None = None,
        seed: int | None = 0,
        strict: bool = False,
        max_memory: Any = None,
    ) -> Any:
        """The stock-flow model of the products: inflow, stock in use, end-of-life outflow and
        recovered mass by product, element and year (a
        :class:`~mineralcalc.lenses.stocks.StockFlow`; see :mod:`mineralcalc.lenses.stocks`).

        ``recycling`` (rates over time, a :class:`~mineralcalc.Recycling` or a mapping read as
        a scenario's ``[recycling]``; default the scenario's), ``samples`` and ``seed`` (Monte
        Carlo over lifetimes and rates: a whole number >= 1, a whole number >= 0),
        ``max_memory`` (its budget, in bytes or ``"2 GiB"``; default the one given to
        :func:`mineralcalc.demand`, else 2 GiB), ``strict`` (raise for a product without a
        lifetime instead of leaving it out).
        """
        return hooks.call(
            "demand.stock_flow",
            self,
            recycling=recycling,
            samples=samples,
            seed=seed,
            strict=strict,
            max_memory=max_memory,
        )

    def stock_flow(self, **kwargs: Any) -> pd.DataFrame:
        """Tidy stock-flow table: ``year``, ``product``, ``element``, ``inflow``, ``stock``,
        ``outflow``, ``recovered`` [t] (:meth:`stock_model` takes the same arguments)."""
        return self.stock_model(**kwargs).frame()

    def stocks(self, **kwargs: Any) -> pd.DataFrame:
        """Per element and year, summed over products: ``inflow``, ``stock``, ``outflow``,
        ``recovered`` [t], with p5/p95 columns when sampled (arguments of :meth:`stock_model`)."""
        return self.stock_model(**kwargs).by_element()

    def coverage(
        self,
        without: str | Iterable[str],
        supply: Any = None,
        *,
        growth: Any = None,
        other_uses: bool = True,
    ) -> pd.DataFrame:
        """How far the rest of the world's output covers demand if some countries stop supplying.

        Returns the :meth:`compare` table for supply without ``without``, with ``coverage`` =
        remaining supply / demand (1 = demand fully covered) and ``coverage_low`` (at high
        demand) replacing the catalog's coverage of demand. Each rare earth loses the
        country's own output of it (from the ore types it mines), not a world-average share.
        """
        return hooks.call(
            "demand.coverage", self, without, supply, growth=growth, other_uses=other_uses
        )

    def stockpile_days(
        self, stockpile: str | Any, element: str | None = None, *, year: int | None = None
    ) -> tuple[pint.Quantity, pint.Quantity, pint.Quantity]:
        """Days of demand a stockpile covers: (at high demand, central, at low demand).

        Parameters
        ----------
        stockpile : str or amount
            ``"5,000 t Nd"`` (element last), or a mass with ``element`` given.
        element : str, optional
            An element or group.
        year : int, optional
            Default: the first year of the demand.
        """
        return hooks.call("demand.stockpile_days", self, stockpile, element, year=year)

    def crossover(
        self,
        element: str,
        supply: Any = None,
        *,
        growth: Any = None,
        other_uses: bool = True,
    ) -> int | None:
        """The first year whose central demand of ``element`` reaches its supply, or None.

        Uses the demand's own years and :meth:`compare`'s demand (modelled + other uses, or
        the products alone with ``other_uses=False``) and supply (projected at ``growth``,
        default the scenario's, beyond the years with figures).
        """
        return hooks.call(
            "demand.crossover", self, element, supply, growth=growth, other_uses=other_uses
        )

    def sensitivity(
        self,
        element: str,
        *,
        year: int | None = None,
        product: str | Iterable[str] | None = None,
        bins: int | None = None,
    ) -> pd.DataFrame:
        """Which uncertain inputs drive the spread of an element's demand (needs ``samples=``).

        For every drawn parameter (a line's amount, yield or recycled fraction, a product's
        volume), from the same samples: the Spearman rank correlation with the demand, and
        the first-order variance index ``S1 = Var(E[demand | input]) / Var(demand)``, the
        share of the variance the input explains alone. See
        :func:`mineralcalc.lenses.sensitivity.sensitivity`.

        Parameters
        ----------
        element : str
            An element or group (``'Dy'``, ``'magnet REE'``).
        year : int, optional
            One year (default: the sum over the demand's years).
        product : str or iterable of str, optional
            The demand of some products only (default: all).
        bins : int, optional
            Classes of equal probability for the first-order index (default from the sample
            count; see the lens).

        Returns
        -------
        DataFrame
            One row per parameter, largest first index first: ``parameter``, ``kind``,
            ``item``, ``part``, ``low``, ``central``, ``high``, ``unit``, ``dist``,
            ``rank_correlation``, ``first_order`` (with ``first_order_se``), ``demand_low`` and
            ``demand_high`` (mean demand [t] when the input is in its lowest or highest tenth:
            the tornado's bars).
        """
        return hooks.call(
            "demand.sensitivity", self, element, year=year, product=product, bins=bins
        )

    def plot(
        self,
        *,
        year: int | None = None,
        kind: str | None = None,
        elements: str | Iterable[str] | None = None,
        other_uses: bool = True,
        supply: bool = True,
        top: int | None = None,
    ) -> Any:
        """The market balance as a matplotlib figure: what ``mineralcalc report`` tabulates
        (:func:`mineralcalc.present.plot.plot_demand`; needs the ``plot`` extra).

        Each element's demand as a share of its world supply, the modelled products stacked by
        product and the other uses hatched on top, one panel per family (elements without a
        supply figure in tonnes); over several years, one panel per element in tonnes with
        supply alongside. The title says the scope, the basis and the year.

        Parameters
        ----------
        year : int, optional
            The year of the bars (default: the last).
        kind : {'elements', 'years'}, optional
            Bars of one year, or panels over the years (the default for several years).
        elements : str or iterable of str, optional
            Rows of :meth:`compare` to draw: elements (``'Nd'``), groups (``'magnet REE'``: its
            members and its REO row) or row names (``'REE (REO)'``). Default: every row, the
            rare earths included.
        other_uses : bool, default True
            Demand = modelled products + other uses; ``False``: the modelled products alone.
        supply : bool, default True
            Bars as a share of supply; ``False``: tonnes.
        top : int, optional
            Only the first ``top`` rows in the report's order (the tightest first).

        Returns
        -------
        matplotlib.figure.Figure
        """
        return hooks.call(
            "demand.plot",
            self,
            year=year,
            kind=kind,
            elements=elements,
            other_uses=other_uses,
            supply=supply,
            top=top,
        )

    def __rich__(self) -> Any:
        return hooks.call("demand.rich", self)
