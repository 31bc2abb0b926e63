"""How fast a stockpile can be bought: purchases kept within a share of world output a year.

A budget of billions buys more of a small market than the market makes in a year: USD 11.67
billion at 2024 prices is more neodymium than the world mines in a year. A buyer who does not
want to empty the market (and pay the price that would follow) spreads the purchase: at most
``max_share`` of each element's world supply a year, world supply as the market balance
counts it for that year (:func:`mineralcalc.lenses.market.compare`'s ``supply``: recorded and
unrecorded mine output plus end-of-life recycling).

Arithmetic (checked by hand in the tests), per element ``e`` with world supply ``S_e`` [t/yr]:

* ``years_e = tonnes_e / (max_share x S_e)``: the time buying ``e`` alone at the limit takes;
* the stockpile keeps every element at the same days of cover, so it is bought over the
  longest of them, ``T = max_e years_e`` (the binding element is bought at the limit, the
  others more slowly), and absorbs ``absorbed_e = tonnes_e / (T x S_e) <= max_share`` of
  world output a year;
* ``of_output_e = tonnes_e / S_e``: the whole purchase in years of world output;
* each year of buying adds ``days / T`` days of the bloc's demand.

Prices are taken as given: the limit keeps the purchase a modest share of the market, it does
not model what that share does to the price.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import MineralcalcError, VolumeError
from ..estimate import parse_amount
from ..units import conversion_factor, parse_unit
from .market import compare

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = [
    "DEFAULT_MAX_SHARE",
    "MAX_SHARE_SOURCE",
    "MaxShareLike",
    "add_pace",
    "check_max_share",
    "world_supply",
]

DEFAULT_MAX_SHARE = 0.05
"""Purchases of at most 5 % of world output of each element a year (source
:data:`MAX_SHARE_SOURCE`): no published rule gives a share; China's state stockpiler's
largest reported cobalt purchase, up to 15,000 t in 2024, is 5.2 % of that year's world mine
output (290,000 t), the US DLA's 2025 cobalt tender (7,500 t over five years) 0.5 % a year."""

MAX_SHARE_SOURCE = "estimate-stockpile-pace"
"""The key in ``sources.csv`` whose citation states how :data:`DEFAULT_MAX_SHARE` was set."""

_ONE = parse_unit("dimensionless")

MaxShareLike = float | str
"""A share as a fraction (``0.05``) or a percentage string (``"5%"``, ``"5 %"``)."""


def check_max_share(value: object, what: str = "max_share") -> float:
    """A pace limit checked: a fraction in (0, 1], from a number or a ``"10%"`` string.

    Raises
    ------
    VolumeError
        Not a number, NaN or infinite, zero or below, or above 100 %; the message names
        ``what`` and the value.
    """
    fix = f"give a share of world output a year above 0 and at most 100 %, e.g. {what} " + (
        "10%" if what.startswith("--") else "0.1 or '10%'"
    )
    if isinstance(value, bool) or value is None:
        raise VolumeError(f"{what} {value!r} is not a share: {fix}")
    try:  # the project's amounts: a fraction, or a percentage with its unit
        amount = parse_amount(value)
        low, central, high = (v * conversion_factor(amount.unit, _ONE) for v in amount.values())
    except MineralcalcError:
        raise VolumeError(f"{what} {value!r} is not a share: {fix}") from None
    if low != high:
        raise VolumeError(f"{what} {value!r} is a range: {fix}")
    share = float(central)
    if not math.isfinite(share) or not 0 < share <= 1:
        raise VolumeError(f"{what} {value!r} is out of range: {fix}")
    return share


def world_supply(demand: Demand, year: int | None, elements: Iterable[str]) -> dict[str, float]:
    """World supply [t/yr] of each element in ``year`` (``None``: a demand without years), as
    the market balance counts it (NaN where the tables give none)."""
    f = compare(demand, groups=())
    f = f[f["year"].isna()] if year is None else f[f["year"] == year]
    supply = dict(zip(f["element"].astype(str), f["supply"].astype(float), strict=True))
    return {el: supply.get(el, float("nan")) for el in elements}


def add_pace(frame: pd.DataFrame, supply: dict[str, float], max_share: float) -> pd.DataFrame:
    """The stockpile frame of :func:`mineralcalc.lenses.money.stockpile` with the pace.

    Parameters
    ----------
    frame : DataFrame
        Per element ``tonnes`` (and ``tonnes_low``, ``tonnes_high``); ``attrs['days']``.
    supply : mapping of element to t/yr
        World supply of each element (NaN or 0: no data; the element is left out of the
        pace and named in ``attrs['no_supply']``).
    max_share : float
        The limit, a checked fraction (:func:`check_max_share`).

    Returns
    -------
    DataFrame
        A copy with ``supply`` [t/yr], ``of_output`` (tonnes / supply: years of world
        output), ``years`` [yr] (this element alone at the limit), ``absorbed`` (share of
        world output a year when all are bought together over the stockpile's time) and
        ``days`` [d of the bloc's demand]; ``attrs``: ``max_share``, ``max_share_source``,
        ``years`` (the stockpile's time at the limit: at the high, central and low prices,
        as ``days``), ``binding`` (the element that sets it), ``days_per_year`` (days of
        cover each year of buying adds) and ``no_supply``.
    """
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    s = np.array([supply.get(el, np.nan) for el in out["element"]], dtype=float)
    known = np.isfinite(s) & (s > 0)
    s = np.where(known, s, np.nan)
    rate = max_share * s  # t/yr at the limit
    out["supply"] = s
    out["of_output"] = out["tonnes"].to_numpy() / s
    out["years"] = out["tonnes"].to_numpy() / rate
    n_days = out.attrs["days"]
    out["days"] = n_days[1]
    years = tuple(
        float(np.nanmax(out[col].to_numpy() / rate)) if known.any() else float("nan")
        for col in ("tonnes_low", "tonnes", "tonnes_high")
    )
    total = years[1]
    out["absorbed"] = out["tonnes"].to_numpy() / (total * s) if known.any() else np.nan
    binding = str(out["element"].iloc[int(np.nanargmax(out["years"]))]) if known.any() else ""
    out.attrs.update(
        max_share=max_share,
        max_share_source=MAX_SHARE_SOURCE,
        years=years,
        binding=binding,
        days_per_year=n_days[1] / total if known.any() and total > 0 else float("nan"),
        no_supply=[el for el, k in zip(out["element"], known, strict=True) if not k],
    )
    return out
