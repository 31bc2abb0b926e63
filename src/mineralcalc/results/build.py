"""What a demand is built from: volumes checked and laid out, a catalog, the year amounts.

:meth:`Demand.build <mineralcalc.results.demand.Demand.build>` (``mineralcalc.demand``) takes
production volumes (or a scenario) and its arguments; :func:`prepare` checks each where it
enters, naming the argument, reads a scenario's volumes once (:attr:`Scenario.parsed_volumes
<mineralcalc.model.scenario.Scenario.parsed_volumes>`), lays the volumes out by year
(:mod:`mineralcalc.model.volumes`) and gives each year its line amounts
(:mod:`mineralcalc.model.changes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..engine.draws import memory_budget, sample_seed
from ..errors import MineralcalcError, VolumeError, suggest
from ..estimate import GrowthLike, parse_rate
from ..model.catalog import Catalog
from ..model.changes import Change, YearAmounts, year_amounts
from ..model.recycling import Recycling, RecyclingLike, as_recycling
from ..model.scenario import Scenario
from ..model.volumes import Volumes, parse_volumes

__all__ = ["Prepared", "prepare"]


@dataclass(frozen=True)
class Prepared:
    """The checked inputs of a demand (see :func:`prepare`)."""

    catalog: Catalog
    volumes: Volumes
    year_amounts: YearAmounts | None
    supply_growth: GrowthLike
    recycling: Recycling | None
    max_memory: int
    seed: int | None
    within: dict[str, str]


def prepare(
    volumes: Mapping[str, Any] | Scenario,
    catalog: Catalog,
    *,
    years: Iterable[int] | None = None,
    changes: Iterable[Change] | None = None,
    supply_growth: GrowthLike = None,
    max_memory: int | str | None = None,
    seed: int | None = None,
    recycling: RecyclingLike = None,
) -> Prepared:
    """Check a demand's arguments and lay its volumes out (see
    :meth:`~mineralcalc.results.demand.Demand.build` for each argument).

    A scenario brings its volumes, years, changes, supply growth and recycling, each unless
    the argument is given; its volumes are parsed once, when it was loaded, and parsed again
    only for another catalog or other years.
    """
    if not isinstance(volumes, Mapping | Scenario):
        raise VolumeError(
            "volumes must be a mapping of product ids to amounts ({'bev': '17 million'}) or a "
            f"Scenario (mineralcalc.load_scenario), got {type(volumes).__name__}"
        )
    scenario = volumes if isinstance(volumes, Scenario) else None
    if scenario is not None:
        recycling = scenario.recycling if recycling is None else recycling
        changes = scenario.changes if changes is None else changes
        supply_growth = scenario.supply_growth if supply_growth is None else supply_growth
    _check_supply_growth(supply_growth)
    seed = sample_seed(seed)
    budget = memory_budget(max_memory)
    checked_recycling = as_recycling(recycling)
    if isinstance(volumes, Scenario):
        scenario = volumes
        if catalog is scenario.catalog and years is None:
            vols = scenario.parsed_volumes
        else:
            vols = parse_volumes(
                scenario.volumes, catalog, years=scenario.years if years is None else years
            )
    else:
        vols = parse_volumes(volumes, catalog, years=years)
    return Prepared(
        catalog=catalog,
        volumes=vols,
        year_amounts=year_amounts(catalog, changes or (), vols.years),
        supply_growth=supply_growth,
        recycling=checked_recycling,
        max_memory=budget,
        seed=seed,
        within=_within(vols.within, catalog),
    )


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
