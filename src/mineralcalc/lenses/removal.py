"""What removing countries from supply takes away, stage by stage (``report --without``).

:func:`removal` answers, for countries or groups removed from supply: their names as the
tables spell them, the supply year the answer reads, the share of the world's rare-earth
separation they hold (which a mine-output removal leaves in place), and, per commodity with
figures at several stages, the share of world output left at each stage were they to stop at
every one, with the stage that binds (the least left). The words are
:mod:`mineralcalc.present.supply_notes`'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..data.tableset import TableSet
from ..elements import GROUPS
from .supply import Supply, supply
from .world_output import latest_year, supply_year

__all__ = [
    "REFINED",
    "Removal",
    "StagesLeft",
    "canonical_names",
    "removal",
    "stages_left",
]

REFINED = "REE"
"""The commodity whose refining shares :attr:`Removal.refining` gives: rare-earth separation,
which the tables give as country shares of a stage a mine-output removal leaves in place."""


@dataclass(frozen=True)
class StagesLeft:
    """One commodity's world output left at each stage without some countries.

    Attributes
    ----------
    commodity : str
        The commodity of the supply tables (``'REE'``, ``'Li'``).
    left : Mapping[str, float]
        Per stage with output (chain order: mining, refining, ..., magnet), the share of world
        output left (0-1): output without the countries over output with them.
    binding : str
        The stage with the least left (the first in chain order on a tie).
    own : Mapping[str, Mapping[str, float]]
        Per element with its own rows at a stage (``supply.csv``'s ``elements``: Dy and Tb at
        separation), the share of its output left at those stages (0-1); empty for the rest.
    """

    commodity: str
    left: Mapping[str, float]
    binding: str
    own: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Removal:
    """What removing countries takes from supply (:func:`removal`).

    Attributes
    ----------
    countries : tuple of str
        The countries and groups removed, as the supply tables spell them (``'China'``,
        ``'Burma (Myanmar)'``), in the order given.
    year : int
        The year of the supply figures read: the year asked when the tables hold it, else
        the latest they hold.
    refining : Mapping[str, float]
        Per removed country or group with a share of the world's rare-earth separation
        (:data:`REFINED`), that share (0-1); those with none are left out.
    stages : tuple of StagesLeft
        Per commodity with output at two stages or more, what is left at each
        (:func:`stages_left`), in the tables' order of commodities.
    """

    countries: tuple[str, ...]
    year: int
    refining: Mapping[str, float]
    stages: tuple[StagesLeft, ...]


def canonical_names(names: Iterable[str], tables: TableSet | None = None) -> list[str]:
    """Countries and groups as the supply tables spell them (``'china'`` -> ``'China'``,
    ``'myanmar'`` -> ``'Burma (Myanmar)'``); a name the tables do not know is kept as given.

    Parameters
    ----------
    names : iterable of str
        Country or group names, in any case.
    tables : TableSet, optional
        The tables of the run (default: the shipped ones); names are those of its latest year.
    """
    known = supply(latest_year(tables), tables).names()
    return [known.canonical(n) or n for n in names]


def stages_left(s: Supply, names: Iterable[str]) -> tuple[StagesLeft, ...]:
    """Per commodity with output at two stages or more: the share of world output left at
    each stage when ``names`` stop at every stage, and the stage with the least left.

    Parameters
    ----------
    s : Supply
        The supply to remove from (its removals stay).
    names : iterable of str
        Countries or groups (:meth:`Supply.countries_of`).

    Raises
    ------
    UnknownItemError
        For a name that is not a country or group of the tables.
    """
    gone = s.without(*names)
    out = []
    for commodity in s.commodities:
        stages = s.stages(commodity)
        if len(stages) < 2:
            continue
        left: dict[str, float] = {}
        for stage in stages:
            whole = s.total(commodity, stage=stage).magnitude
            if whole > 0:
                left[stage] = gone.total(commodity, stage=stage).magnitude / whole
        if len(left) < 2:
            continue
        binding = min(left, key=lambda k: left[k])
        out.append(StagesLeft(commodity, left, binding, _own_left(s, gone, commodity, stages)))
    return tuple(out)


def _own_left(
    s: Supply, gone: Supply, commodity: str, stages: Iterable[str]
) -> dict[str, dict[str, float]]:
    """Per element of ``commodity`` with its own rows at a stage, the share of its output
    there left in ``gone`` (the same supply without the countries)."""
    own: dict[str, dict[str, float]] = {}
    for el in GROUPS.get(commodity, ()):
        for stage in stages:
            if stage == "mining" or s.own_rows(el, stage) is None:
                continue
            whole = s.element(el, stage)[0]
            if whole > 0:
                own.setdefault(el, {})[stage] = gone.element(el, stage)[0] / whole
    return own


def removal(
    names: Iterable[str], year: int | None = None, tables: TableSet | None = None
) -> Removal:
    """What removing ``names`` from supply takes away, stage by stage.

    Parameters
    ----------
    names : iterable of str
        Countries or groups, in any case (``['china']``).
    year : int, optional
        The year asked; a year the supply tables do not hold (a projection) reads the latest
        they hold (:func:`~mineralcalc.lenses.world_output.supply_year`).
    tables : TableSet, optional
        The tables of the run (default: the shipped ones).

    Raises
    ------
    UnknownItemError
        For a name that is not a country or group of the tables.
    """
    countries = canonical_names(names, tables)
    s = supply(supply_year(year, tables), tables)
    refining = {c: s.share(REFINED, c, stage="refining") for c in countries}
    return Removal(
        countries=tuple(countries),
        year=s.year,
        refining={c: v for c, v in refining.items() if v > 0},
        stages=stages_left(s, countries),
    )
