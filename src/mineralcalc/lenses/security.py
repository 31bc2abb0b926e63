"""Supply security of a bloc: its demand, its own supply at each stage of the chain, its
self-sufficiency and its import gap.

A bloc is a group of ``country_groups.csv`` (the Minerals Security Partnership, the G7, the
European Union, the US partners in price-floor talks ...) or a list of countries; a group may
name another (the MSP names the European Union). Its demand is each element's demand (modelled
products and other uses) times the bloc's share of the element's demand in the products whose
demand is split by region (``regional.csv``: electric cars by sales, wind by installations);
other uses and unsplit products are taken to divide the same way, which ``attrs`` says with the
share of demand the split covers. A region counts for the bloc when all its countries are
members (``European Union`` when all 27 are, ``Rest of world`` never). Its supply at a stage is
the world's output at that stage times the bloc's share of it (rare earths at mining: each
member's own ore mix).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from ..data.security_tables import SecurityTables
from ..data.supply_tables import STAGES, stage_name
from ..elements import resolve
from ..errors import MineralcalcError, UnknownItemError, VolumeError
from .market import compare
from .projection import supply_for
from .supply import Supply, commodity_of

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["bloc_demand", "chain_stages", "members", "self_sufficiency", "stage_sources"]

_REST = "Rest of world"


def members(supply: Supply, bloc: str | Iterable[str]) -> set[str]:
    """The countries of a bloc, groups named inside groups expanded
    (:meth:`~mineralcalc.lenses.supply.Supply.countries_of`; an unknown name is an error)."""
    return set(supply.countries_of(bloc))


def _in_bloc(supply: Supply, region: str, inside: set[str]) -> bool:
    if region == _REST:
        return False
    return (
        set(supply.countries_of(region)) <= inside if region in supply.groups else region in inside
    )


def bloc_demand(
    demand: Demand,
    bloc: str | Iterable[str],
    *,
    year: int | None = None,
    elements: str | Iterable[str] = ("Nd", "Pr", "Dy", "Tb"),
    tables: SecurityTables | None = None,
) -> pd.DataFrame:
    """A bloc's demand per element in one year.

    Parameters
    ----------
    demand : Demand
        The world's demand (:func:`mineralcalc.demand`).
    bloc : str or iterable of str
        A group of ``country_groups.csv``, a country, or a list of them.
    year : int, optional
        One of the demand's years (default: the last).
    elements : str or iterable of str
        Element symbols or groups (``"magnet REE"``).
    tables : SecurityTables, optional
        Where ``regional.csv`` comes from (default: the demand's catalog's tables).

    Returns
    -------
    DataFrame
        ``element``, ``world`` (demand: modelled + other uses) [t], ``share`` (the bloc's share
        of the element's demand in the regionally split products), ``covered`` (the share of
        the element's modelled demand those products make up), ``complete`` (the share of the
        split demand in products for which every member has a row: 1 when none is missing),
        ``bloc`` [t], ``daily`` [t/d].
        ``attrs``: ``year``, ``bloc``, ``members``, ``regions`` (the regions of
        ``regional.csv`` counted for the bloc), ``uncounted`` (members without a row for at
        least one split product of the scenario: their demand for it sits in a region the bloc
        does not hold whole, such as ``Rest of world``, so it is not counted), ``missing``
        (each of those members with the products it has no row for), ``sources``.

    Raises
    ------
    MineralcalcError
        An unknown or empty bloc, no elements or an unknown one, a year the demand does not
        have, an element with no demand or none in a product split by region, or a bloc
        holding none of the regions of ``regional.csv`` (its demand is unknown).
    """
    tables = tables if tables is not None else demand.catalog.tables.security
    year = demand.years[-1] if year is None else year
    if year not in demand.years:
        raise VolumeError(f"year {year!r}: the demand has years {list(demand.years)}")
    els = _elements(elements)
    sup, _ = supply_for(year, None, demand.supply_growth, demand.catalog.tables)
    try:
        inside = members(sup, bloc)
    except MineralcalcError as e:
        raise type(e)(f"bloc: {e}") from None
    if not inside:
        raise UnknownItemError(f"bloc {bloc!r} has no countries: give a group or a country")
    reg = tables.regional
    world = compare(demand, groups=()).set_index(["element", "year"])
    tidy = demand.to_frame("t")
    tidy = tidy[tidy["year"].isna()] if year is None else tidy[tidy["year"] == year]
    tidy = tidy[tidy["element"].isin(els) & (tidy["central"] > 0)]
    split = reg[reg["product"].isin(set(tidy["product"]))]
    counted = sorted({r for r in split["region"] if _in_bloc(sup, r, inside)})
    if not split.empty and not counted:
        raise UnknownItemError(
            f"bloc {bloc!r}: no product of the scenario has a regional demand share for it in "
            f"regional.csv (its regions: {', '.join(dict.fromkeys(split['region']))}; a group "
            "counts when all its countries are in the bloc, Rest of world never), so its "
            "demand is unknown: pick a bloc holding one of them, or add its share to "
            "regional.csv in your own tables (--tables)"
        )
    # per product, the members none of its counted regions holds: their demand for it sits
    # in 'Rest of world' (or a group the bloc does not hold whole) and is not counted
    missing: dict[str, list[str]] = {}
    whole: set[str] = set()  # products every member has a row for
    for pid, f in split.groupby("product"):
        reached: set[str] = set()
        for r in f["region"]:
            if r in counted:
                reached |= set(sup.countries_of(r)) if r in sup.groups else {r}
        for member in sorted(inside - reached):
            missing.setdefault(member, []).append(str(pid))
        if inside <= reached:
            whole.add(str(pid))
    # each product's share in the bloc (NaN: not split by region), then one pass over the
    # tidy demand table rather than a Quantity per product and element
    in_share = {
        pid: float(f.loc[[r in counted for r in f["region"]], "share"].sum())
        for pid, f in reg.groupby("product")
    }
    rows = []
    for el in els:
        if (el, year) not in world.index:
            raise UnknownItemError(f"elements: no demand for {el} in {year} in this scenario")
        per = tidy[tidy["element"] == el]
        m = per["central"].to_numpy(dtype=float)
        bloc_of = per["product"].map(in_share).to_numpy(dtype=float)
        split_rows = ~np.isnan(bloc_of)
        modelled = float(m.sum())
        split_t = float(m[split_rows].sum())
        if not split_t:
            raise UnknownItemError(
                f"elements: no product of the scenario that holds {el} is split by region in "
                f"regional.csv (it splits {', '.join(sorted(set(reg['product'])))}), so the "
                f"bloc's share of the demand for {el} is unknown: leave {el} out"
            )
        in_bloc = float((m[split_rows] * bloc_of[split_rows]).sum())
        complete = float(m[split_rows & per["product"].isin(whole).to_numpy()].sum())
        total = cast(float, world.at[(el, year), "demand"])
        share = in_bloc / split_t
        rows.append(
            {
                "element": el,
                "world": total,
                "share": share,
                "covered": split_t / modelled if modelled else 0.0,
                "complete": complete / split_t,
                "bloc": total * share,
                "daily": total * share / 365.0,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(
        year=year,
        bloc=bloc,
        members=sorted(inside),
        regions=counted,
        uncounted=sorted(missing),
        missing={k: sorted(v) for k, v in sorted(missing.items())},
        sources=sorted(set(split["source"])),
    )
    return out


def _elements(elements: Any) -> list[str]:
    if isinstance(elements, str):
        names = [elements]
    elif isinstance(elements, Iterable):
        names = list(elements)
    else:
        names = [elements]
    out: list[str] = []
    for n in names:
        if not isinstance(n, str) or not n.strip():
            raise UnknownItemError(
                f"elements {elements!r}: give element symbols or groups, e.g. ['Nd', 'Pr'] or "
                "'magnet REE'"
            )
        try:
            found = resolve(n.strip())
        except MineralcalcError as e:
            raise UnknownItemError(f"elements: {e}") from None
        out += [e for e in found if e not in out]
    if not out:
        raise UnknownItemError("elements: none given: give e.g. ['Nd', 'Pr'] or 'magnet REE'")
    return out


_UNNAMED = "Other"
_EVERY_PRODUCER = 1e-9
"""The share of world output left unnamed [fraction] at or below which a stage's rows name
every producer: a member not among them makes none (not "no data")."""


def chain_stages(sup: Supply, commodity: str) -> list[str]:
    """The stages of ``commodity``'s chain up to the last with figures this year, in chain
    order: a stage between two with figures (rare-earth metal and alloy, between separation
    and magnets) is listed with no figures rather than left out."""
    have = sup.stages(commodity)
    last = max(STAGES.index(s) for s in have)
    return list(STAGES[: last + 1])


def _output_share(sup: Supply, el: str, stage: str, inside: set[str]) -> tuple[float, bool, float]:
    """The bloc's share of the world's output of an element at a stage, whether any member
    is named there, and the share of world output named only as ``Other`` (or not at all)."""
    commodity = commodity_of(el)
    if commodity is None:
        raise UnknownItemError(f"no supply data for {el}")
    # a rare earth: its mine output by country, and at a later stage its own shares there
    # where supply.csv gives them (Supply.own_rows), else those of REE
    by = sup.by_country(el if commodity == "REE" else commodity, stage=stage)
    named = by["country"].isin(inside)
    shares = by["share"].fillna(0)
    share = float(shares[named].sum())
    rest = 1.0 - float(shares[(by["country"] != _UNNAMED).to_numpy()].sum())
    return share, bool(named.any()), max(rest, 0.0)


def stage_sources(sup: Supply, name: str, stage: str) -> list[str]:
    """The source keys of the ``supply.csv`` rows behind the output of ``name`` (a commodity,
    or an element: a rare earth's own rows at the stage where it has them,
    :meth:`~mineralcalc.lenses.supply.Supply.stage_rows`) at ``stage`` this year (the ore
    types that split rare-earth oxide into elements have their own, in ``ore_types.csv`` and
    ``country_ores.csv``); empty where the tables hold no figures."""
    try:
        rows = sup.stage_rows(name, stage)
    except MineralcalcError:
        return []
    return sorted(set(rows["source"]))


def self_sufficiency(
    demand: Demand,
    bloc: str | Iterable[str],
    *,
    year: int | None = None,
    elements: Iterable[str] = ("Nd", "Pr", "Dy", "Tb"),
    stages: Iterable[str] | None = None,
) -> pd.DataFrame:
    """A bloc's own supply of each element at each stage of the chain, against its demand.

    Own supply at a stage is the world's output of the element there [t of metal] times the
    bloc's share of that output (rare earths at mining: each member's ore mix). A stage given
    as shares only (rare-earth separation and magnets) takes the element's mine output as its
    world (:meth:`~mineralcalc.lenses.supply.Supply.element`; times the share left, its own
    where the tables give the element's own shares), so the magnet stage counts the
    element the bloc's magnet makers would hold if all of it went into magnets.

    Parameters
    ----------
    demand : Demand
        The world's demand (:func:`mineralcalc.demand`).
    bloc : str or iterable of str
        A group of ``country_groups.csv``, a country, or a list of them.
    year : int, optional
        One of the demand's years (default: the last).
    elements : iterable of str
        Element symbols or groups.
    stages : iterable of str, optional
        Stages to show (default: every stage of the chain up to the last with figures,
        :func:`chain_stages`: mining, refining, metal and magnet for rare earths).

    Returns
    -------
    DataFrame
        Per element and stage: ``demand`` (the bloc's) [t], ``world_supply`` [t],
        ``bloc_share`` (fraction of world output), ``supply`` (own) [t], ``self_sufficiency``
        (supply / demand), ``import_gap`` (demand - supply, at least 0) [t], ``sources``
        (the source keys of the stage's figures, ``;``-separated) and ``note``.
        ``self_sufficiency``, ``supply`` and ``import_gap`` are NaN, "no data", where the
        tables hold no figures for the stage, or where a stage after mining names none of the
        bloc's members (their output, if any, is in the unnamed rest, given in the note);
        mine output tables list every producer, so a member missing there mines nothing, and
        so do a later stage's rows whose named shares add up to 100 % (rare-earth separation
        of Dy and Tb in 2024: China's alone). A rare earth's own rows at a stage
        (``supply.csv`` rows with ``elements``) give its world output and the bloc's share
        there, instead of those of ``REE``.
        ``attrs``: those of :func:`bloc_demand`, ``demand_share``, ``covered``, ``no_data``
        (``(element, stage)`` pairs without data) and ``supply_sources`` (stage -> keys).
    """
    year = demand.years[-1] if year is None else year
    need = bloc_demand(demand, bloc, year=year, elements=elements)
    sup, _ = supply_for(year, None, demand.supply_growth, demand.catalog.tables)
    inside = members(sup, bloc)
    rows = []
    used: dict[str, list[str]] = {}
    for r in need.to_dict("records"):
        el = str(r["element"])
        commodity = commodity_of(el) or el
        for stage in [stage_name(s) for s in stages] if stages else chain_stages(sup, commodity):
            keys = stage_sources(sup, el, stage)
            used.setdefault(stage, [])
            used[stage] = sorted(set(used[stage]) | set(keys))
            world, share, note = _stage_supply(sup, el, commodity, stage, inside)
            own = world * share
            rows.append(
                {
                    "element": el,
                    "stage": stage,
                    "demand": r["bloc"],
                    "world_supply": world,
                    "bloc_share": share,
                    "supply": own,
                    "self_sufficiency": own / r["bloc"] if r["bloc"] else np.nan,
                    "import_gap": max(r["bloc"] - own, 0.0) if own == own else np.nan,
                    "sources": "; ".join(keys),
                    "note": note,
                }
            )
    out = pd.DataFrame(rows)
    out.attrs.update(need.attrs)
    out.attrs["demand_share"] = dict(zip(need["element"], need["share"], strict=True))
    out.attrs["covered"] = dict(zip(need["element"], need["covered"], strict=True))
    gaps = out[out["self_sufficiency"].isna()]
    out.attrs["no_data"] = list(zip(gaps["element"], gaps["stage"], strict=True))
    out.attrs["supply_sources"] = used
    return out


def _stage_supply(
    sup: Supply, el: str, commodity: str, stage: str, inside: set[str]
) -> tuple[float, float, str]:
    """World output of ``el`` at ``stage`` [t], the bloc's share (NaN: no data) and a note."""
    nan = float("nan")
    if stage not in sup.stages(commodity):
        return nan, nan, f"no data: the tables hold no {commodity} {stage} figures for {sup.year}"
    try:
        world, _, note = sup.element(el, stage)
        share, named, rest = _output_share(sup, el, stage, inside)
    except MineralcalcError as e:
        return nan, nan, f"no data: {e}"
    if world != world:
        return nan, nan, f"no data: {note}"
    if stage == "mining" or named:
        if named and rest > 0 and stage != "mining":
            note += (
                f"; members not named at this stage may hold part of the {rest:.1%} of world "
                "output the tables leave unnamed, so this is a floor"
            )
        return world, share, note
    if rest <= _EVERY_PRODUCER:
        return world, 0.0, f"{note}; the tables name every producer here, no member among them"
    return (
        world,
        nan,
        f"no data: none of the bloc's members is named among the {commodity} {stage} "
        f"producers; their output, if any, is within the {rest:.1%} of world output the "
        "tables leave unnamed",
    )
