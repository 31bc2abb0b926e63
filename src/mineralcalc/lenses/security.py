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
from ..data.supply_tables import stage_name
from ..elements import resolve
from ..errors import MineralcalcError, UnknownItemError, VolumeError
from .market import compare
from .projection import supply_for
from .supply import Supply, commodity_of

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["bloc_demand", "members", "self_sufficiency"]

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


def _output_share(sup: Supply, el: str, stage: str, inside: set[str]) -> float:
    """The bloc's share of the world's output of an element at a stage."""
    commodity = commodity_of(el)
    if commodity is None:
        raise UnknownItemError(f"no supply data for {el}")
    if commodity == "REE" and stage == "mining":
        by = sup.element_by_country(el)
    else:
        by = sup.by_country(commodity, stage=stage)
    return float(by.loc[by["country"].isin(inside), "share"].fillna(0).sum())


def self_sufficiency(
    demand: Demand,
    bloc: str | Iterable[str],
    *,
    year: int | None = None,
    elements: Iterable[str] = ("Nd", "Pr", "Dy", "Tb"),
    stages: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Per element and stage: the bloc's demand and own supply [t], ``self_sufficiency`` =
    supply / demand and ``import_gap`` = demand - supply (at least 0)."""
    year = demand.years[-1] if year is None else year
    need = bloc_demand(demand, bloc, year=year, elements=elements)
    sup, _ = supply_for(year, None, demand.supply_growth, demand.catalog.tables)
    inside = members(sup, bloc)
    rows = []
    for r in need.to_dict("records"):
        el = str(r["element"])
        commodity = commodity_of(el) or el
        for stage in [stage_name(s) for s in stages] if stages else sup.stages(commodity):
            try:
                world, _, note = sup.element(el, stage)
                share = _output_share(sup, el, stage, inside)
            except MineralcalcError as e:
                world, share, note = float("nan"), float("nan"), str(e)
            own = world * share
            if share == 0 and stage != "mining":
                note = (
                    f"{note}; none of the bloc's members has a figure at this stage "
                    "(the tables split only the largest producers)"
                )
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
                    "note": note,
                }
            )
    out = pd.DataFrame(rows)
    out.attrs.update(need.attrs)
    out.attrs["demand_share"] = dict(zip(need["element"], need["share"], strict=True))
    out.attrs["covered"] = dict(zip(need["element"], need["covered"], strict=True))
    return out
