"""``mineralcalc.demand``: production volumes in, a :class:`~mineralcalc.results.demand.Demand`
out.

The volumes are checked against their products' bases (:mod:`mineralcalc.model.volumes`), the
catalog of each year built from the changes (:mod:`mineralcalc.model.changes`), and the
result sampled when asked (:mod:`mineralcalc.engine.sampler`). Arguments are checked where
they enter, each error naming the argument.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from typing import Any

from ..engine.sampling import memory_budget, sample_count, sample_seed
from ..errors import MineralcalcError, VolumeError, suggest
from ..estimate import parse_rate
from ..model.catalog import Catalog
from ..model.changes import Change, year_amounts
from ..model.recycling import as_recycling
from ..model.volumes import parse_volumes
from .demand import Demand

__all__ = ["demand"]


def demand(
    volumes: Any,
    catalog: Catalog | None = None,
    *,
    years: Iterable[int] | None = None,
    samples: int | None = None,
    seed: int | None = None,
    changes: Iterable[Change] | None = None,
    supply_growth: Any = None,
    progress: Callable[[int, int], None] | None = None,
    basis: str = "mined",
    max_memory: Any = None,
    executor: Executor | None = None,
    recycling: Any = None,
) -> Demand:
    """Element demand of production volumes.

    Parameters
    ----------
    volumes : mapping or scenario
        ``{product_id: amount}`` or ``{product_id: {year: amount}}``; an amount is any form
        :func:`~mineralcalc.estimate.parse_amount` reads, in the product's basis
        (``"1.24 billion"``, ``"8 GW"``, ``"1.2 to 1.3 billion"``), optionally per year. A
        plain amount beside per-year ones applies to every year. A scenario (anything with
        a ``volumes`` attribute, e.g. from :func:`~mineralcalc.load_scenario`) brings its
        volumes and, if it has one, its catalog.
    catalog : Catalog, optional
        Default: the scenario's catalog, else :meth:`Catalog.default`.
    years : iterable of int, optional
        The years to compute (default: the scenario's, else every year a volume names).
        Volumes between given years are interpolated linearly; beyond them they follow a
        product's ``"growth"`` rate, and without one that is an error.
    samples : int, optional
        Draw this many Monte Carlo samples of every uncertain amount, yield and volume
        (:mod:`mineralcalc.engine.sampler`); then :meth:`Demand.quantiles`, the p5/p50/p95
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
        :data:`mineralcalc.engine.sampling.MAX_MEMORY`, 2 GiB). A request estimated above it is
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
    if not isinstance(volumes, Mapping) and hasattr(volumes, "volumes"):
        scenario = volumes
        if recycling is None:
            recycling = getattr(scenario, "recycling", None)
        if catalog is None:
            catalog = getattr(scenario, "catalog", None)
        if years is None:
            years = getattr(scenario, "years", None)
        if changes is None:
            changes = getattr(scenario, "changes", None)
        if supply_growth is None:
            supply_growth = getattr(scenario, "supply_growth", None)
        volumes = scenario.volumes
    if catalog is None:
        catalog = Catalog.default()
    _check_supply_growth(supply_growth)
    seed = sample_seed(seed)
    budget = memory_budget(max_memory)
    recycling = as_recycling(recycling)
    vols = parse_volumes(volumes, catalog, years=years)
    result = Demand(
        catalog, vols.products, vols.years, vols.values,
        year_amounts=year_amounts(catalog, changes or (), vols.years),
        supply_growth=supply_growth, basis=basis, recycling=recycling, max_memory=budget,
        within=_within(vols.within, catalog),
    )  # fmt: skip
    if samples is not None:
        if executor is not None and not isinstance(executor, Executor):
            raise VolumeError(
                "executor must be a concurrent.futures.Executor (a ProcessPoolExecutor, or a "
                f"Dask client's get_executor()), got {type(executor).__name__}"
            )
        result.draw_samples(sample_count(samples), seed, vols.dists, progress, budget, executor)
    return result


def _within(within: Mapping[str, str], catalog: Catalog) -> dict[str, str]:
    """Each ``within`` names a published end use of the catalog's tables."""
    if not within:
        return {}
    frame = catalog.tables.end_uses.frame
    uses = sorted(set(frame["end_use"])) if not frame.empty else []
    listed = {p for covered in frame.get("covered_by", []) for p in covered}
    for pid, use in within.items():
        if use not in uses:
            raise VolumeError(
                f"volume of {pid!r}: within {use!r} is not an end use of end_uses.csv "
                f"({suggest(use, uses)}; its end uses: {', '.join(uses)})"
            )
        if pid in listed:
            raise VolumeError(
                f"volume of {pid!r}: within {use!r}: end_uses.csv already lists {pid!r} in "
                "an end use; leave within out"
            )
    return dict(within)


def _check_supply_growth(growth: Any) -> None:
    """Supply growth is checked where it is given, each commodity's rate named."""
    if growth is None:
        return
    rates = growth.items() if isinstance(growth, Mapping) else [("*", growth)]
    for commodity, rate in rates:
        what = "supply_growth" if commodity == "*" else f"supply_growth[{commodity!r}]"
        try:
            parse_rate(rate, what=what)
        except MineralcalcError as e:
            raise VolumeError(str(e)) from None
