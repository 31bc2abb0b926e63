"""World output as frames: every commodity on one line, and one commodity by country and stage
(what ``mineralcalc supply`` shows; :mod:`mineralcalc.present.supply_view` renders them).

* :func:`world_output`: per commodity with mine output, the world total, its basis, the top
  producer and refiner with their shares, and the HHI;
* :func:`country_output`: one commodity (or one rare earth, or an element's commodity) by
  country at each stage, with the world total and the HHI of each stage;
* :func:`commodity_named`, :func:`output_stages`: which commodity a name means and which
  stages it has figures for;
* :func:`latest_year`, :func:`supply_year`: which year's figures to read.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..data.supply_tables import stage_name
from ..data.tableset import TableSet
from ..elements import ELEMENTS, GROUPS, OXIDES
from ..errors import MineralcalcError, UnknownItemError, VolumeError, suggest
from .supply import Supply, commodity_of, shipped_years, supply

__all__ = [
    "commodity_named",
    "country_output",
    "latest_year",
    "output_stages",
    "supply_year",
    "world_output",
]

_RARE_EARTHS = frozenset(GROUPS["REE"])


def latest_year(tables: TableSet | None = None) -> int:
    """The latest year the supply tables (default: the shipped ones) hold figures for."""
    return shipped_years(tables)[-1]


def supply_year(year: int | None, tables: TableSet | None = None) -> int:
    """The year of supply figures to read for ``year``: itself when the supply tables hold
    figures for it, else the latest year they hold (``None`` gives the latest).

    Parameters
    ----------
    year : int, optional
        A year, e.g. a scenario's (2030 reads the latest recorded figures).
    tables : TableSet, optional
        The tables of the run (default: the shipped ones).
    """
    years = shipped_years(tables)
    return year if year in years else years[-1]


def _supply(year: int | None, without: Iterable[str], tables: TableSet | None) -> Supply:
    s = supply(latest_year(tables) if year is None else year, tables)
    names = list(without)
    return s.without(*names) if names else s


def world_output(
    year: int | None = None, *, without: Iterable[str] = (), tables: TableSet | None = None
) -> pd.DataFrame:
    """Every commodity with mine output in ``year``, one row each, in the tables' order.

    Parameters
    ----------
    year : int, optional
        Default: the latest year of the tables (:func:`latest_year`).
    without : iterable of str
        Countries or groups removed at every stage (:meth:`Supply.without`).
    tables : TableSet, optional
        The tables of the run (default: the shipped ones).

    Returns
    -------
    pandas.DataFrame
        ``commodity``; ``output_t`` world mine output [t] less the removed countries;
        ``basis`` (``'oxide'`` REO, ``'metal'`` or ``'content'``); ``top_producer`` and
        ``top_share`` (0-1), the first row of :meth:`Supply.by_country` (empty and NaN when
        the tables name no country); ``hhi`` of mine output (0-10,000; NaN with fewer than two
        producers named); ``top_refiner`` and ``top_refiner_share``, the largest refiner named
        (``Other`` left out; empty and NaN where the tables give no refining by country).
        ``attrs``: ``year``, ``without`` (the countries removed).

    Raises
    ------
    VolumeError
        If the tables hold no figures for ``year``.
    UnknownItemError
        For a name in ``without`` that is not a country or group of the tables.
    """
    s = _supply(year, without, tables)
    rows = []
    for c in s.commodities:
        try:
            total = s.total(c).to("t").magnitude
        except MineralcalcError:  # a commodity with refining figures only
            continue
        producers = s.by_country(c)
        top = producers.iloc[0] if not producers.empty else None
        refiner, refined = _top_refiner(s, c)
        rows.append(
            {
                "commodity": c,
                "output_t": total,
                "basis": s.basis(c),
                "top_producer": "" if top is None else str(top["country"]),
                "top_share": float("nan") if top is None else float(top["share"]),
                "hhi": s.hhi(c) if len(producers) > 1 else float("nan"),
                "top_refiner": refiner,
                "top_refiner_share": refined,
            }
        )
    frame = pd.DataFrame(rows)
    frame.attrs.update(year=s.year, without=list(s.removed))
    return frame


def _top_refiner(s: Supply, commodity: str) -> tuple[str, float]:
    """The largest refiner named (``Other`` left out) and its share, where the tables give
    refining by country; else ``('', nan)``."""
    if "refining" not in s.stages(commodity):
        return "", float("nan")
    frame = s.by_country(commodity, stage="refining")
    frame = frame[frame["country"] != "Other"]
    if frame.empty or frame["share"].isna().all():
        return "", float("nan")
    top = frame.iloc[0]
    return str(top["country"]), float(top["share"])


def commodity_named(s: Supply, name: str) -> str:
    """The commodity ``name`` means: a commodity of the tables (``REE``, ``graphite``), one
    rare earth by the ores its producers mine (``Nd``: mining only, the tables split no later
    stage by element), or an element's commodity (``C`` -> ``graphite``, ``Li`` -> ``Li``).

    Raises
    ------
    UnknownItemError
        For a name that is none of these, with the closest commodities.
    """
    if name in s.commodities or name in _RARE_EARTHS:
        return name
    symbol = next((e for e in ELEMENTS if e.casefold() == name.casefold()), None)
    commodity = commodity_of(symbol) if symbol is not None else None
    if commodity is not None and commodity != "REE":
        return commodity
    known = [*s.commodities, "or an element such as Nd, Li or C"]
    raise UnknownItemError(
        f"supply {name!r}: not a commodity or element with supply figures "
        f"({suggest(name, list(s.commodities))}; the tables hold {', '.join(known)})"
    )


def output_stages(s: Supply, commodity: str, stage: str | None = None) -> tuple[str, ...]:
    """The stages to show of ``commodity`` (a name :func:`commodity_named` gives): ``stage``
    alone, or every stage with figures in chain order; one rare earth has mining only.

    Raises
    ------
    VolumeError
        For a rare earth at a stage other than mining (the tables split later stages by
        element nowhere), or a stage without figures for the commodity (naming those with).
    """
    stage = stage_name(stage) if stage else None
    if commodity in _RARE_EARTHS:
        if stage not in (None, "mining"):
            raise VolumeError(
                f"{commodity} at {stage}: the tables split rare-earth output into elements at "
                f"mining only; REE at {stage} gives that stage ('supply REE --stage {stage}')"
            )
        return ("mining",)
    if stage is None:
        return s.stages(commodity)
    if stage not in s.stages(commodity):
        s.by_country(commodity, stage=stage)  # raises, naming the stages there are
    return (stage,)


def country_output(
    commodity: str,
    year: int | None = None,
    *,
    stage: str | None = None,
    without: Iterable[str] = (),
    tables: TableSet | None = None,
) -> pd.DataFrame:
    """One commodity's output by country at each stage (or at ``stage``), largest first.

    Parameters
    ----------
    commodity : str
        A commodity, one rare earth or an element (:func:`commodity_named`).
    year : int, optional
        Default: the latest year of the tables (:func:`latest_year`).
    stage : str, optional
        One stage (``'mining'``, ``'refining'``, ``'magnet'`` ...); default every stage with
        figures (:func:`output_stages`).
    without : iterable of str
        Countries or groups removed at every stage (:meth:`Supply.without`).
    tables : TableSet, optional
        The tables of the run (default: the shipped ones).

    Returns
    -------
    pandas.DataFrame
        ``stage``, ``country``, ``amount_t`` [t of the basis; NaN where the tables give a share
        only], ``share`` of world output (0-1), ``hhi`` of the stage (0-10,000, on each row).
        ``attrs``: ``commodity`` (as :func:`commodity_named` gives it), ``year``, ``basis``
        (``'oxide'``, ``'metal'``, ``'content'``), ``unit`` (what a tonne counts: ``'REO'``,
        one rare earth's oxide such as ``'Nd2O3'``, ``'metal'`` or ``'content'``), ``stages``,
        ``world_t`` and ``hhi`` per stage (world output [t] less the removed countries; one
        rare earth's is the sum of its producers), ``removed`` per stage (the countries gone
        there) and ``without`` (those removed at every stage).

    Raises
    ------
    UnknownItemError
        For a name that is no commodity, or a country that is none of the tables'.
    VolumeError
        For a year or stage without figures.
    """
    s = _supply(year, without, tables)
    name = commodity_named(s, commodity)
    stages = output_stages(s, name, stage)
    frames, world, hhi = [], {}, {}
    for st in stages:
        by = s.by_country(name, stage=st).rename(columns={"amount": "amount_t"})
        hhi[st] = s.hhi(name, stage=st)
        if name in _RARE_EARTHS:  # one rare earth: its producers' output from their ores
            world[st] = float(by["amount_t"].sum())
        else:
            world[st] = s.total(name, stage=st).to("t").magnitude
        frames.append(by.assign(stage=st, hhi=hhi[st]))
    frame = pd.concat(frames, ignore_index=True)[["stage", "country", "amount_t", "share", "hhi"]]
    basis = s.basis(name)
    frame.attrs.update(
        commodity=name,
        year=s.year,
        basis=basis,
        unit=_unit(name, basis),
        stages=list(stages),
        world_t=world,
        hhi=hhi,
        removed={st: list(s.gone(st)) for st in stages},
        without=list(s.removed),
    )
    return frame


def _unit(commodity: str, basis: str) -> str:
    """What a tonne of ``commodity`` counts: one rare earth's oxide (``'Nd2O3'``), ``'REO'``
    for an oxide basis, else the basis (``'metal'``, ``'content'``)."""
    if commodity in _RARE_EARTHS:
        return OXIDES[commodity].formula
    return "REO" if basis == "oxide" else basis
