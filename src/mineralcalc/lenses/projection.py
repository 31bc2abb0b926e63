"""Supply in years without figures: carried along a published outlook, country by country.

The shipped tables hold recorded output for a few years (2019, 2023, 2024). A scenario of
later years needs supply in those years too, and holding 2024 flat would compare growing
demand with frozen supply. So a later year's supply is the latest recorded year's, with each
country's output grown as a published outlook grows it (``outlook.csv``; shipped: the IEA's
base case of operating and announced projects, by country, for copper, cobalt, lithium,
nickel, graphite and the magnet rare earths, mining and refining):

    output(country, year) = recorded(country, base)
                            x outlook(country, year) / outlook(country, base)

with the outlook interpolated linearly between its years and held beyond the last. A country
the outlook does not name grows as its ``Rest of world`` (the world less the countries it
names that produced in the base year, so new producers count there); the world row's rounding
grows as the world. A commodity with a rate in the scenario (``[supply] growth``) grows at
that rate instead; one with neither is held at the base year, and the note says so.

An outlook of announced projects is not a forecast of what will be mined: it leaves out what
nobody has announced yet. Demand above it is "announced supply falling short", the capacity
still to be committed, not a deficit that the market will see (:mod:`mineralcalc.lenses.market`
says so in its notes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..data.tableset import TableSet
from ..estimate import parse_rate
from .growth import REST, WORLD, Growth
from .supply import Supply, shipped_years, supply

__all__ = ["outlook_factors", "projected", "supply_for"]


def _at(years: np.ndarray, values: np.ndarray, year: int) -> float:
    """A series at ``year``: linear between its years, held beyond them."""
    return float(np.interp(year, years, values))


def outlook_factors(
    outlook: pd.DataFrame, base: int, year: int
) -> dict[tuple[str, str], dict[str, float]]:
    """Each country's factor from ``base`` to ``year`` along an outlook, by (commodity, stage).

    Parameters
    ----------
    outlook : DataFrame
        Rows of ``outlook.csv`` (columns ``commodity``, ``stage``, ``country``, ``year``,
        ``amount``).
    base, year : int
        The year of the recorded figures and the year to project to.

    Returns
    -------
    dict
        ``{(commodity, stage): {country: factor, 'Rest of world': factor, 'World': factor}}``.
        A named country's factor is its outlook at ``year`` over its outlook at ``base``; the
        rest of the world's is the world less the named countries that produced at ``base``,
        at both years; a country with nothing at ``base`` is left to the rest of the world.

    Examples
    --------
    >>> o = pd.DataFrame({"commodity": "Li", "stage": "mining",
    ...                   "country": ["A", "A", "World", "World"], "year": [2024, 2030] * 2,
    ...                   "amount": [10.0, 20.0, 40.0, 50.0]})
    >>> outlook_factors(o, 2024, 2027)[("Li", "mining")]
    {'A': 1.5, 'World': 1.125, 'Rest of world': 1.0}
    """
    out: dict[tuple[str, str], dict[str, float]] = {}
    for (commodity, stage), rows in outlook.groupby(["commodity", "stage"], sort=False):
        series = {
            str(c): (r["year"].to_numpy(float), r["amount"].to_numpy(float))
            for c, r in rows.sort_values("year").groupby("country", sort=False)
        }
        at = {c: (_at(ys, vs, base), _at(ys, vs, year)) for c, (ys, vs) in series.items()}
        factors: dict[str, float] = {}
        named_then = named_now = 0.0
        for c, (then, now) in at.items():
            if c in (WORLD, REST) or then <= 0:
                continue
            factors[c] = now / then
            named_then, named_now = named_then + then, named_now + now
        if WORLD in at:
            w_then, w_now = at[WORLD]
            factors[WORLD] = w_now / w_then if w_then > 0 else 1.0
            rest_then, rest_now = w_then - named_then, w_now - named_now
            if rest_then > 0:
                factors[REST] = max(rest_now, 0.0) / rest_then
        elif REST in at and at[REST][0] > 0:
            factors[REST] = at[REST][1] / at[REST][0]
        out[(str(commodity), str(stage))] = factors
    return out


def _outlook_name(outlook: pd.DataFrame, commodity: str) -> str:
    rows = outlook[outlook["commodity"] == commodity]
    names = sorted({str(n) for n in rows["note"].dropna() if str(n)})
    keys = sorted(set(rows["source"]))
    return f"{names[0] if names else 'the outlook'} ({', '.join(keys)})"


def projected(given: Supply, year: int, growth: Any = None) -> tuple[Supply, str]:
    """``given`` carried to ``year``: at the scenario's rate for the commodities ``growth``
    names (``"*"``: all), else along the outlook country by country, else held.

    Returns
    -------
    (Supply, str)
        The projected supply (:meth:`~mineralcalc.lenses.supply.Supply.outlook_of` says, per
        commodity, what it follows) and a note for the comparison.
    """
    base = given.data_year or given.year
    n = year - base
    rates = {} if growth is None else growth if isinstance(growth, Mapping) else {"*": growth}
    factors, how = {}, {}
    for c, r in rates.items():
        rate = parse_rate(r, what=f"supply growth of {c}").values()[1]
        factors[str(c)], how[str(c)] = (1 + rate) ** n, f"the scenario's {rate:+.1%}/yr"
    table = given.tables.outlook
    per_country: dict[tuple[str, str], Mapping[str, float]] = {}
    if "*" not in factors and not table.empty:
        for key, per in outlook_factors(table, base, year).items():
            if key[0] not in factors:
                per_country[key] = per
                how[key[0]] = _outlook_name(table, key[0])
    carried = Growth(base=base, rates=factors, countries=per_country, outlooks=how)
    out = replace(given, year=year, data_year=base, carried=carried, _cache={})
    return out, f"supply projected from {base}"


def supply_for(
    year: int | None, given: Supply | None, growth: Any, tables: TableSet | None = None
) -> tuple[Supply, str]:
    """The supply to compare a year's demand with, and how it was obtained.

    ``given`` if one is; else the figures of ``year`` in ``tables`` (default: the shipped
    ones) if there are any, else the latest earlier year's carried to ``year``
    (:func:`projected`), said in the second value.
    """
    if given is None:
        available = shipped_years(tables)
        if year is None or year in available:
            return supply(available[-1] if year is None else year, tables), ""
        earlier = [y for y in available if y < year]
        given = supply(earlier[-1] if earlier else available[0], tables)
    if year is None or year == given.year:
        return given, ""
    return projected(given, year, growth)
