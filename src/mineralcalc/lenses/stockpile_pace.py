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

The same arithmetic runs on a second basis, the bloc's net imports a year ``M_e`` instead of
``S_e`` (``max_import_share``, :mod:`mineralcalc.lenses.stockpile_imports`): ``years_e =
tonnes_e / (max_import_share x M_e)``, infinite where the bloc imports none (its own output
covers its demand, so a limit on imports allows no purchase), and ``absorbed_imports_e =
tonnes_e / (T x M_e)``.

Prices are taken as given: the limit keeps the purchase a modest share of the market, it does
not model what that share does to the price.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
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
    "DEFAULT_MAX_IMPORT_SHARE",
    "DEFAULT_MAX_SHARE",
    "MAX_IMPORT_SHARE_SOURCE",
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

DEFAULT_MAX_IMPORT_SHARE = 0.3
"""On the imports basis: purchases of at most 30 % of the bloc's net imports of each element
a year (source :data:`MAX_IMPORT_SHARE_SOURCE`): the US DLA's 2025 cobalt tender, up to
7,500 t over five years (1,500 t/yr), is 34 % of the United States' 2023 net imports of cobalt
(9,500 t imported less 5,130 t exported, cobalt content), rounded down as
:data:`DEFAULT_MAX_SHARE` is. One buyer's purchase, not a threshold below which prices hold."""

MAX_IMPORT_SHARE_SOURCE = "estimate-stockpile-import-pace"
"""The key in ``sources.csv`` whose citation states how :data:`DEFAULT_MAX_IMPORT_SHARE` was
set."""

_ONE = parse_unit("dimensionless")

MaxShareLike = float | str
"""A share as a fraction (``0.05``) or a percentage string (``"5%"``, ``"5 %"``)."""


def check_max_share(value: object, what: str = "max_share", of: str = "world output") -> float:
    """A pace limit checked: a fraction in (0, 1], from a number or a ``"10%"`` string.

    ``what`` names the argument (``"--max-share"``), ``of`` what the share is of (``"world
    output"``, ``"the bloc's net imports"``), both for the message.

    Raises
    ------
    VolumeError
        Not a number, NaN or infinite, zero or below, or above 100 %; the message names
        ``what`` and the value.
    """
    fix = f"give a share of {of} a year above 0 and at most 100 %, e.g. {what} " + (
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


def add_pace(
    frame: pd.DataFrame,
    supply: Mapping[str, float],
    max_share: float | None,
    *,
    imports: Mapping[str, float] | None = None,
    max_import_share: float | None = None,
) -> pd.DataFrame:
    """The stockpile frame of :func:`mineralcalc.lenses.money.stockpile` with the pace.

    Parameters
    ----------
    frame : DataFrame
        Per element ``tonnes`` (and ``tonnes_low``, ``tonnes_high``); ``attrs['days']``.
    supply : mapping of element to t/yr
        World supply of each element (NaN or 0: no data; on the output basis the element is
        left out of the pace and named in ``attrs['no_supply']``).
    max_share : float or None
        The limit on the output basis, a checked fraction of world supply a year
        (:func:`check_max_share`); ``None`` on the imports basis.
    imports : mapping of element to t/yr, optional
        The bloc's net imports of each element
        (:func:`mineralcalc.lenses.stockpile_imports.bloc_imports`; NaN: no data, the element
        is left out of the pace and named in ``attrs['no_imports']``; 0: the bloc imports
        none, so the limit allows no purchase of it). Needed on the imports basis.
    max_import_share : float, optional
        Given: the imports basis, purchases of each element within this checked fraction of
        the bloc's net imports of it a year (instead of ``max_share`` of world output).

    Returns
    -------
    DataFrame
        A copy with ``supply`` [t/yr], ``of_output`` (tonnes / supply: years of world
        output), ``years`` [yr] (this element alone at the limit; inf where the limit allows
        none), ``absorbed`` (share of world output a year when all are bought together over
        the stockpile's time) and ``days`` [d of the bloc's demand]; on the imports basis also
        ``imports`` [t/yr], ``of_imports`` (tonnes / imports: years of the bloc's net
        imports) and ``absorbed_imports`` (share of net imports a year). ``attrs``: ``pace``
        (``"output"`` or ``"imports"``: which basis limits the pace), ``max_share`` and
        ``max_import_share`` (the limit in force, the other None), ``limit_source`` (its key
        in ``sources.csv``; ``max_share_source`` on the output basis as before), ``years``
        (the stockpile's time at the limit: at the high, central and low prices, as ``days``;
        inf when an element the bloc does not import is in it), ``binding`` (the element that
        sets it), ``days_per_year`` (days of cover each year of buying adds), ``no_supply``,
        and on the imports basis ``no_imports`` and ``not_imported`` (net imports of 0).
    """
    by_imports = max_import_share is not None
    if by_imports and imports is None:
        raise VolumeError("max_import_share: the imports basis needs the bloc's imports")
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    elements = list(out["element"])
    s = np.array([supply.get(el, np.nan) for el in elements], dtype=float)
    s = np.where(np.isfinite(s) & (s > 0), s, np.nan)
    out["supply"] = s
    out["of_output"] = out["tonnes"].to_numpy() / s
    if by_imports:
        assert imports is not None and max_import_share is not None
        m = np.array([imports.get(el, np.nan) for el in elements], dtype=float)
        m = np.where(np.isfinite(m) & (m >= 0), m, np.nan)
        base, share = m, max_import_share
        known = np.isfinite(m)
        out["imports"] = m
        out["of_imports"] = _ratio(out["tonnes"].to_numpy(), m)
    else:
        if max_share is None:
            raise VolumeError("max_share: the output basis needs a share of world output")
        base, share = s, max_share
        known = np.isfinite(s)
    rate = share * base  # t/yr at the limit (0: none may be bought)
    out["years"] = _ratio(out["tonnes"].to_numpy(), rate)
    n_days = out.attrs["days"]
    out["days"] = n_days[1]
    years = tuple(
        float(np.nanmax(_ratio(out[col].to_numpy(), rate))) if known.any() else float("nan")
        for col in ("tonnes_low", "tonnes", "tonnes_high")
    )
    total = years[1]
    finite = known.any() and math.isfinite(total) and total > 0
    out["absorbed"] = out["tonnes"].to_numpy() / (total * s) if finite else np.nan
    if by_imports:
        out["absorbed_imports"] = _ratio(out["tonnes"].to_numpy(), total * m) if finite else np.nan
    binding = str(out["element"].iloc[int(np.nanargmax(out["years"]))]) if known.any() else ""
    if not known.any():
        days_per_year = float("nan")
    elif math.isinf(total):
        days_per_year = 0.0  # an element the limit allows none of: the cover never grows
    else:
        days_per_year = n_days[1] / total if total > 0 else float("nan")
    out.attrs.update(
        pace="imports" if by_imports else "output",
        max_share=None if by_imports else max_share,
        max_import_share=max_import_share,
        limit_source=MAX_IMPORT_SHARE_SOURCE if by_imports else MAX_SHARE_SOURCE,
        max_share_source=MAX_SHARE_SOURCE,
        years=years,
        binding=binding,
        days_per_year=days_per_year,
        no_supply=[el for el, v in zip(elements, s, strict=True) if not np.isfinite(v)],
    )
    if by_imports:
        out.attrs.update(
            no_imports=[el for el, k in zip(elements, known, strict=True) if not k],
            not_imported=[el for el, v in zip(elements, base, strict=True) if v == 0],
        )
    return out


def _ratio(tonnes: np.ndarray, per_year: np.ndarray) -> np.ndarray:
    """``tonnes / per_year`` [yr]: inf where nothing may be bought a year but some is asked,
    NaN where the rate is unknown."""
    t = np.asarray(tonnes, dtype=float)
    r = np.asarray(per_year, dtype=float)
    out = np.full(np.broadcast(t, r).shape, np.nan)
    pos = np.isfinite(r) & (r > 0)
    np.divide(t, r, out=out, where=pos)
    zero = np.isfinite(r) & (r == 0)
    out[zero & (t > 0)] = np.inf
    out[zero & (t == 0)] = 0.0
    return out
