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
from typing import Any

import numpy as np
import pandas as pd

from ..data.security_tables import SecurityTables
from ..data.supply_tables import stage_name
from ..errors import MineralcalcError, UnknownItemError
from .projection import supply_for
from .supply import Supply, commodity_of

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
    demand: Any,
    bloc: str | Iterable[str],
    *,
    year: int | None = None,
    elements: Iterable[str] = ("Nd", "Pr", "Dy", "Tb"),
    tables: SecurityTables | None = None,
) -> pd.DataFrame:
    """A bloc's demand per element in one year.

    Returns
    -------
    DataFrame
        ``element``, ``world`` (demand: modelled + other uses) [t], ``share`` (the bloc's share
        of the element's demand in the regionally split products), ``covered`` (the share of
        the element's modelled demand those products make up), ``bloc`` [t], ``daily`` [t/d].
    """
    tables = tables if tables is not None else demand.catalog.tables.security
    year = demand.years[-1] if year is None else year
    sup, _ = supply_for(year, None, demand.supply_growth, demand.catalog.tables)
    inside = members(sup, bloc)
    reg = tables.regional
    world = demand.compare(groups=()).set_index(["element", "year"])
    rows = []
    # each product's share in the bloc (NaN: not split by region), then one pass over the
    # tidy demand table rather than a Quantity per product and element
    in_share = {pid: float(f.loc[[_in_bloc(sup, r, inside) for r in f["region"]], "share"].sum())
                for pid, f in reg.groupby("product")}  # fmt: skip
    tidy = demand.to_frame("t")
    tidy = tidy[tidy["year"].isna()] if year is None else tidy[tidy["year"] == year]
    for el in elements:
        per = tidy[tidy["element"] == el]
        m = per["central"].to_numpy(dtype=float)
        bloc_of = per["product"].map(in_share).to_numpy(dtype=float)
        split_rows = ~np.isnan(bloc_of)
        modelled = float(m.sum())
        split = float(m[split_rows].sum())
        in_bloc = float((m[split_rows] * bloc_of[split_rows]).sum())
        if (el, year) not in world.index:
            raise UnknownItemError(f"no demand for {el} in {year}")
        total = float(world.loc[(el, year), "demand"])
        share = in_bloc / split if split else float("nan")
        rows.append({"element": el, "world": total, "share": share,
                     "covered": split / modelled if modelled else 0.0,
                     "bloc": total * share, "daily": total * share / 365.0})  # fmt: skip
    out = pd.DataFrame(rows)
    out.attrs.update(year=year, bloc=bloc, members=sorted(inside),
                     sources=sorted(set(reg["source"])))  # fmt: skip
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
    demand: Any,
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
                note = (f"{note}; none of the bloc's members has a figure at this stage "
                        "(the tables split only the largest producers)")  # fmt: skip
            rows.append({"element": el, "stage": stage, "demand": r["bloc"], "world_supply": world,
                         "bloc_share": share, "supply": own,
                         "self_sufficiency": own / r["bloc"] if r["bloc"] else np.nan,
                         "import_gap": max(r["bloc"] - own, 0.0) if own == own else np.nan,
                         "note": note})  # fmt: skip
    out = pd.DataFrame(rows)
    out.attrs.update(need.attrs)
    out.attrs["demand_share"] = dict(zip(need["element"], need["share"], strict=True))
    out.attrs["covered"] = dict(zip(need["element"], need["covered"], strict=True))
    return out
