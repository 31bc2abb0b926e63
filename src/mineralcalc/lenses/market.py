"""The market balance: modelled demand plus the uses a scenario does not model, against primary
and secondary supply, per element and year.

A catalog models some products; the world uses each element in many more. Comparing the
modelled part alone with world output overstates the headroom. So every comparison adds the
**other uses** from published demand by end use (``end_uses.csv``), without counting anything
twice:

* each published row is an end use of an element in a year (the IEA's EVs, wind and "other
  uses" of the magnet rare earths), with the products that model it (``covered_by``); a
  catch-all row (``*``) takes every product no other row of the element lists;
* for each end use, ``other = max(0, published - modelled)``, both in the row's stage
  (``contained`` or ``first use``, compared with the ``gross`` basis): where the scenario
  models more than the source, the scenario wins;
* between given years published figures are interpolated linearly; beyond the last year they
  grow at the row's rate, else they are held;
* the other uses are carried into the comparison's basis with the ratio of the modelled
  demand in the two bases (the same process losses and loops);
* a rare earth no source splits by end use (La, Ce, Y ...) is taken to clear the market in
  the base year: its other uses are that year's supply less the modelled demand
  (``estimate-market-clears``), then held.

Supply is primary (mine output, each rare earth from the ore types its producers mine: see
:mod:`mineralcalc.lenses.ores`) plus secondary: recycled end-of-life products always, and recycled
process scrap (magnet swarf) only for the ``gross`` basis, because the ``mined`` basis already
nets that closed loop out of demand.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data.market_tables import CATCH_ALL, EndUses, shipped_end_uses
from ..data.supply_tables import stage_name
from ..elements import ELEMENTS, GROUPS, OXIDES, oxide_name
from ..errors import UnknownItemError, suggest
from .comparison import Comparison, add_spread
from .stocks import stock_flow
from .supply import Supply, commodity_of, supply_for
from .supply import supply as shipped_supply

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["COMPARE_BASES", "compare", "other_uses", "supply_for"]

COMPARE_BASES = ("mined", "gross")
"""Bases a market balance can use: demand net of closed loops against primary output and
end-of-life recycling, or demand through the processes against all secondary supply."""

_STAGE_BASIS = {"contained": "contained", "first use": "gross"}
_GROUPS = ("REE", "LREE", "HREE", "magnet REE")


def _secondary_kind(basis: str) -> str | None:
    return None if basis == "gross" else "end of life"


# --------------------------------------------------------------------------- other uses
def _published(rows: pd.DataFrame, year: int) -> tuple[float, float, float, str]:
    """A published series (rows of one end use and element) at ``year``: low, central, high,
    and how it was obtained."""
    rows = rows.sort_values("year")
    years = rows["year"].to_numpy()
    vals = rows[["low", "amount", "high"]].to_numpy(dtype=float)
    if year in years:
        v = vals[list(years).index(year)]
        return float(v[0]), float(v[1]), float(v[2]), ""
    if year < years[0]:
        v = vals[0]
        return float(v[0]), float(v[1]), float(v[2]), f"held at {years[0]}"
    if year > years[-1]:
        g = float(rows["growth"].iloc[-1])
        n = year - int(years[-1])
        f = (1 + g) ** n if g == g else 1.0
        how = f"{years[-1]} figure grown {g:+.1%}/yr" if g == g else f"held at {years[-1]}"
        v = vals[-1] * f
        return float(v[0]), float(v[1]), float(v[2]), how
    k = int(np.searchsorted(years, year))
    t = (year - years[k - 1]) / (years[k] - years[k - 1])
    v = vals[k - 1] + t * (vals[k] - vals[k - 1])
    return float(v[0]), float(v[1]), float(v[2]), ""


_CLEARS = (*GROUPS["REE"], "Mn")
"""Elements whose market is assumed to clear in the base year where no end use is published:
the rare earths no source splits by end use, and manganese (over 90 % of it goes into steel;
no source read gives world demand by end use)."""


def other_uses(
    demand: Demand,
    basis: str | None = None,
    *,
    end_uses: EndUses | None = None,
    supply: Supply | None = None,
    growth: Any = None,
) -> pd.DataFrame:
    """The uses of each element that the demand's products do not model, per year.

    Parameters
    ----------
    demand : Demand
    basis : {'mined', 'gross', 'contained'}, optional
        The basis to express them in (default: the demand's).
    end_uses : EndUses, optional
        Published demand by end use (default: the shipped ``end_uses.csv``).
    supply, growth
        The supply used for elements without published end uses (see :func:`supply_for`).

    Returns
    -------
    DataFrame
        One row per element and year with other uses: ``element``, ``year``, ``other``,
        ``other_low``, ``other_high`` [t metal], ``published`` (the published total of the
        element's end uses, in their stages) and ``note`` (which end uses, how they were
        carried, where modelled demand exceeds a published figure).
    """
    basis = demand._basis(basis)
    table = (end_uses if end_uses is not None else shipped_end_uses()).frame
    rows: list[dict[str, Any]] = []
    products = list(demand.products)
    per_element = {el for el in table["element"]} if not table.empty else set()
    for y, year in enumerate(demand.years):
        if year is None:
            continue
        for el in sorted(per_element):
            rows.append(_element_other(demand, table[table["element"] == el], el, y, year, basis))
        # rare earths no source splits by end use: the market clears in the base year
        sup, _ = supply_for(year, supply, growth)
        base = sup if sup.data_year in (None, sup.year) else shipped_supply(sup.data_year)
        for el in _CLEARS:
            if el in per_element or commodity_of(el) is None:
                continue
            primary = base.element(el)[0]
            if not math.isfinite(primary) or primary <= 0:
                continue
            published = primary + base.secondary(el)[1]
            m_gross = _modelled(demand, el, y, "gross", range(len(products)))
            ratio = _ratio(demand, el, y, basis)
            other = max(0.0, published - m_gross) * ratio
            held = "" if base.year == year else f"; held at {base.year}"
            note = f"market assumed to clear: {base.year} supply less modelled demand{held}"
            rows.append(
                {"element": el, "year": year, "other": other, "other_low": other,
                 "other_high": other, "published": published, "note": note,
                 "sources": ("estimate-market-clears",)}
            )  # fmt: skip
    cols = ["element", "year", "other", "other_low", "other_high", "published", "note", "sources"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame[frame["other_high"] > 0].reset_index(drop=True)


def _modelled(demand: Demand, el: str, y: int, basis: str, products: Iterable[int]) -> float:
    """Central modelled demand of ``el`` in year index ``y`` [t] from some products."""
    ps = list(products)
    if not ps or el not in demand._element_block_of(basis)[0]:
        return 0.0
    arr = demand._arrays((el,), None, basis)[1]  # (P, Y) kg
    return float(arr[ps, y].sum()) / 1000.0


def _ratio(demand: Demand, el: str, y: int, basis: str, stage_basis: str = "gross") -> float:
    """Modelled demand in ``basis`` over modelled demand in ``stage_basis`` (1 if none)."""
    if basis == stage_basis:
        return 1.0
    every = range(len(demand.products))
    den = _modelled(demand, el, y, stage_basis, every)
    return _modelled(demand, el, y, basis, every) / den if den > 0 else 1.0


def _element_other(
    demand: Demand, table: pd.DataFrame, el: str, y: int, year: int, basis: str
) -> dict[str, Any]:
    products = list(demand.products)
    index = {p: k for k, p in enumerate(products)}
    claimed: set[str] = set()
    for covered in table["covered_by"]:
        claimed |= {p for p in covered if p != CATCH_ALL}
    totals = [0.0, 0.0, 0.0]
    published = 0.0
    notes: list[str] = []
    sources: set[str] = set()
    for use, rows in table.groupby("end_use", sort=False):
        covered = rows["covered_by"].iloc[0]
        stage = str(rows["stage"].iloc[0])
        if CATCH_ALL in covered:
            members = [k for p, k in index.items() if p not in claimed]
        else:
            members = [index[p] for p in covered if p in index]
        lo, c, hi, how = _published(rows, year)
        stage_basis = _STAGE_BASIS[stage]
        modelled = _modelled(demand, el, y, stage_basis, members)
        ratio = _ratio(demand, el, y, basis, stage_basis)
        for k, v in enumerate((lo, c, hi)):
            totals[k] += max(0.0, v - modelled) * ratio
        published += c
        sources |= set(rows["source"]) | {s for s in rows["split_source"].dropna()}
        label = f"{use} {modelled / c:.0%}" if c > 0 else f"{use} -"
        notes.append(label + (f" ({how})" if how else ""))
    return {
        "element": el, "year": year, "other": totals[1], "other_low": totals[0],
        "other_high": totals[2], "published": published,
        "note": "modelled / published: " + ", ".join(notes), "sources": tuple(sorted(sources)),
    }  # fmt: skip


# --------------------------------------------------------------------------- the comparison
def compare(
    demand: Demand,
    supply: Supply | None = None,
    *,
    growth: Any = None,
    without: str | Iterable[str] = (),
    groups: Iterable[str] = _GROUPS,
    basis: str | None = None,
    include_other_uses: bool = True,
    end_uses: EndUses | None = None,
    stage: str = "mining",
) -> pd.DataFrame:
    """Demand (modelled + other uses) against supply (primary + secondary), per element, group
    and year: see the module notes and :meth:`mineralcalc.results.demand.Demand.compare`."""

    basis = demand._basis(basis)
    if supply is not None and not isinstance(supply, Supply):
        raise UnknownItemError(
            f"supply must be a Supply (from mineralcalc.supply(year)), got {type(supply).__name__}"
        )
    groups = tuple(groups)
    for g in groups:
        if g not in GROUPS:
            raise UnknownItemError(
                f"groups: {g!r} is not a group of elements ({suggest(str(g), GROUPS)})"
            )
    if basis not in COMPARE_BASES:
        raise UnknownItemError(
            f"basis {basis!r} cannot be compared with supply: use 'mined' (demand net of "
            "recycled scrap, against mine output and end-of-life recycling) or 'gross' "
            "(demand through the processes, against all secondary supply)"
        )
    stage = stage_name(stage)
    gone = (without,) if isinstance(without, str) else tuple(without)
    growth = demand.supply_growth if growth is None else growth
    # the same question of the same (immutable) demand against the shipped figures: asked
    # once (a report and its balance problem both ask it)
    key = None
    if supply is None and end_uses is None:
        key = ("compare", repr(growth), gone, groups, basis, include_other_uses, stage)
        cached = demand._lens_cache.get(key)
        if cached is not None:
            return cached.copy()
    elements, tonnes = demand.element_array("t", basis=basis)
    other = (
        other_uses(demand, basis, end_uses=end_uses, supply=supply, growth=growth)
        if include_other_uses
        else pd.DataFrame(columns=["element", "year", "other", "other_low", "other_high",
                                   "published", "note", "sources"])
    )  # fmt: skip
    kind = _secondary_kind(basis)
    # a scenario with [recycling] rates: end-of-life supply from its stock-flow model
    eol = stock_flow(demand).recovered_by_element() if demand.recycling is not None else None
    rows: list[dict[str, Any]] = []
    for y, year in enumerate(demand.years):
        sup, how = supply_for(year, supply, growth)
        if gone:
            sup = sup.without(*gone)
        extra = other[other["year"] == year] if year is not None else other.iloc[0:0]
        names = list(elements) + [e for e in extra["element"] if e not in elements]
        ordered = [e for e in ELEMENTS if e in names]
        by_el: dict[str, dict[str, Any]] = {}
        for el in ordered:
            k = elements.index(el) if el in elements else None
            m = tonnes[:, y, k] if k is not None else np.zeros(3)
            o = extra[extra["element"] == el]
            o_vals = (
                np.array([o["other_low"].iloc[0], o["other"].iloc[0], o["other_high"].iloc[0]])
                if len(o) else np.zeros(3)
            )  # fmt: skip
            amount, sbasis, note = sup.element(el, stage)
            # refined output (USGS copper, the IEA's lithium, cobalt, nickel) already holds
            # the recycled feed: only mine output and rare-earth separation get it added
            sec = np.array(
                sup.secondary(el, kind)
                if stage == "mining" or commodity_of(el) == "REE"
                else (0.0, 0.0, 0.0)
            )
            notes = [note, _rate(how, sup, el)]
            if eol is not None and el in eol and (stage == "mining" or commodity_of(el) == "REE"):
                new_scrap = np.array(sup.secondary(el, "new scrap")) if kind is None else 0.0
                sec = np.full(3, eol[el].get(int(year or 0), 0.0)) + new_scrap
                notes.append("end-of-life recycling from the stock-flow model")
            if len(o):
                notes.append(str(o["note"].iloc[0]))
            row = _row(el, year, sbasis, m, o_vals, amount, sec, sup, notes, basis)
            by_el[el] = row
            rows.append(add_spread(demand, row, el, year, None))
        for g in groups:
            members = GROUPS[g]
            if not any(m in by_el for m in members):
                continue
            weights = tuple(1.0 / OXIDES[m].metal_fraction for m in members)
            m_arr = demand._arrays(members, weights, basis)[:, :, y].sum(axis=1) / 1000.0
            o_arr = np.zeros(3)
            sec = np.zeros(3)
            for mem, w in zip(members, weights, strict=True):
                r = by_el.get(mem)
                if r is None:
                    continue
                o_arr += np.array([r["other_low"], r["other_uses"], r["other_high"]]) * w
                sec += np.array([r["secondary_low"], r["secondary"], r["secondary_high"]]) * w
            primary, note = sup.group_oxide(members, stage)
            notes = [note, _rate(how, sup, "REE")]
            name = oxide_name(g)
            row = _row(name, year, "oxide (REO)", m_arr, o_arr, primary, sec, sup, notes, basis)
            rows.append(add_spread(demand, row, name, year, None))
    frame = Comparison(rows)
    if not frame.empty:
        frame["year"] = frame["year"].astype("Int64")
    frame.attrs["unit"] = "t"
    frame.attrs["basis"] = basis
    frame.attrs["stage"] = stage
    frame.attrs["sources"] = (
        sorted({s for ss in other["sources"] for s in ss}) if len(other) else []
    )
    if key is not None:
        demand._lens_cache[key] = frame.copy()
    return frame


def _row(
    name: str,
    year: int | None,
    basis: str,
    modelled: np.ndarray,
    other: np.ndarray,
    primary: float,
    secondary: np.ndarray,
    sup: Supply,
    notes: list[str],
    demand_basis: str,
) -> dict[str, Any]:
    ok = bool(np.isfinite(primary) and primary > 0)
    text = [n for n in notes if n]
    if not ok and not any("no supply" in n for n in text):
        text.insert(0, "no supply data")
    d = modelled + other  # low, central, high
    s_lo, s_c, s_hi = (primary + v for v in secondary) if ok else (np.nan,) * 3
    if ok and d[1] > s_c:
        text.append("demand above supply")
    share = d / s_c if ok else np.full(3, np.nan)
    return {
        "element": name,
        "year": year,
        "basis": basis,
        "demand_basis": demand_basis,
        "modelled": modelled[1],
        "modelled_low": modelled[0],
        "modelled_high": modelled[2],
        "other_uses": other[1],
        "other_low": other[0],
        "other_high": other[2],
        "demand": d[1],
        "demand_low": d[0],
        "demand_high": d[2],
        "primary": primary if ok else np.nan,
        "secondary": secondary[1] if ok else np.nan,
        "secondary_low": secondary[0] if ok else np.nan,
        "secondary_high": secondary[2] if ok else np.nan,
        "supply": s_c,
        "supply_low": s_lo,
        "supply_high": s_hi,
        "share": share[1],
        "share_low": d[0] / s_hi if ok else np.nan,
        "share_high": d[2] / s_lo if ok else np.nan,
        "modelled_share": modelled[1] / s_c if ok else np.nan,
        "balance": s_c - d[1] if ok else np.nan,
        "headroom": s_c - d[1] if ok else np.nan,
        "coverage": modelled[1] / d[1] if d[1] > 0 else np.nan,
        "supply_year": sup.data_year or sup.year,
        "note": "; ".join(text),
    }


def _rate(how: str, sup: Supply, element_or_commodity: str) -> str:
    """The projection note with the growth rate of the commodity behind an element."""
    if not how.startswith("supply projected"):
        return how
    commodity = commodity_of(element_or_commodity)
    if commodity is None:
        return ""
    factor = sup._scale(commodity)
    years = sup.year - (sup.data_year or sup.year)
    rate = factor ** (1 / years) - 1 if years else 0.0
    return f"{how} at {rate:+.1%}/yr"
