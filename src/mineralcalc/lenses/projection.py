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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..data.tableset import TableSet
from ..estimate import GrowthLike, parse_rate
from .growth import REST, WORLD, Growth
from .supply import Supply, shipped_years, supply

__all__ = [
    "outlook_factor_table",
    "outlook_factors",
    "projected",
    "projected_years",
    "supplies_for",
    "supply_for",
]


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
        :func:`outlook_factor_table` gives them for many years at once.

    Examples
    --------
    >>> o = pd.DataFrame({"commodity": "Li", "stage": "mining",
    ...                   "country": ["A", "A", "World", "World"], "year": [2024, 2030] * 2,
    ...                   "amount": [10.0, 20.0, 40.0, 50.0]})
    >>> outlook_factors(o, 2024, 2027)[("Li", "mining")]
    {'A': 1.5, 'World': 1.125, 'Rest of world': 1.0}
    """
    table = outlook_factor_table(outlook, base, [year])
    return {key: {c: float(f[0]) for c, f in per.items()} for key, per in table.items()}


def outlook_factor_table(
    outlook: pd.DataFrame, base: int, years: Sequence[int]
) -> dict[tuple[str, str], dict[str, np.ndarray]]:
    """:func:`outlook_factors` for many years in one pass over the outlook.

    Parameters
    ----------
    outlook : DataFrame
        Rows of ``outlook.csv``.
    base : int
        The year of the recorded figures.
    years : sequence of int
        The years to project to.

    Returns
    -------
    dict
        ``{(commodity, stage): {country: factors}}``, each ``factors`` an array with one
        factor [dimensionless] per year of ``years``; the same countries and factors as
        :func:`outlook_factors` gives year by year.
    """
    at_years = np.asarray(years, dtype=float)
    out: dict[tuple[str, str], dict[str, np.ndarray]] = {}
    for (commodity, stage), series in _outlook_series(outlook):
        at = {c: (_at(ys, vs, base), np.interp(at_years, ys, vs)) for c, (ys, vs) in series.items()}
        factors: dict[str, np.ndarray] = {}
        named_then = 0.0
        named_now = np.zeros(len(at_years))
        for c, (then, now) in at.items():
            if c in (WORLD, REST) or then <= 0:
                continue
            factors[c] = now / then
            named_then, named_now = named_then + then, named_now + now
        if WORLD in at:
            w_then, w_now = at[WORLD]
            factors[WORLD] = w_now / w_then if w_then > 0 else np.ones(len(at_years))
            rest_then, rest_now = w_then - named_then, w_now - named_now
            if rest_then > 0:
                factors[REST] = np.maximum(rest_now, 0.0) / rest_then
        elif REST in at and at[REST][0] > 0:
            factors[REST] = at[REST][1] / at[REST][0]
        out[(str(commodity), str(stage))] = factors
    return out


_Series = dict[str, tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class _Outlook:
    """An outlook table read once: each (commodity, stage) with each country's years and
    amounts sorted by year, and what each commodity follows."""

    table: pd.DataFrame
    series: list[tuple[tuple[str, str], _Series]]
    names: dict[str, str]


_READ: dict[int, _Outlook] = {}


def _outlook(table: pd.DataFrame) -> _Outlook:
    """The outlook ``table`` read once (the tables of a run never change)."""
    hit = _READ.get(id(table))
    if hit is None or hit.table is not table:
        series = []
        for (commodity, stage), rows in table.groupby(["commodity", "stage"], sort=False):
            by_year = rows.sort_values("year").groupby("country", sort=False)
            per = {
                str(c): (r["year"].to_numpy(float), r["amount"].to_numpy(float)) for c, r in by_year
            }
            series.append(((str(commodity), str(stage)), per))
        names = {c: _outlook_name(table, c) for c in dict.fromkeys(k[0] for k, _ in series)}
        if len(_READ) >= 8:
            _READ.clear()
        hit = _READ[id(table)] = _Outlook(table, series, names)
    return hit


def _outlook_series(outlook: pd.DataFrame) -> list[tuple[tuple[str, str], _Series]]:
    return _outlook(outlook).series


def _outlook_name(outlook: pd.DataFrame, commodity: str) -> str:
    rows = outlook[outlook["commodity"] == commodity]
    # a frame given by hand may lack the optional note (and the source the loader requires)
    names = sorted({str(n) for n in rows.get("note", pd.Series()).dropna() if str(n)})
    keys = sorted({str(k) for k in rows.get("source", pd.Series()).dropna()})
    return f"{names[0] if names else 'the outlook'} ({', '.join(keys)})"


def projected(given: Supply, year: int, growth: GrowthLike = None) -> tuple[Supply, str]:
    """``given`` carried to ``year``: at the scenario's rate for the commodities ``growth``
    names (``"*"``: all), else along the outlook country by country, else held.

    Returns
    -------
    (Supply, str)
        The projected supply (:meth:`~mineralcalc.lenses.supply.Supply.outlook_of` says, per
        commodity, what it follows) and a note for the comparison.
    """
    return projected_years(given, [year], growth)[0]


def projected_years(
    given: Supply, years: Sequence[int], growth: GrowthLike = None
) -> list[tuple[Supply, str]]:
    """:func:`projected` for each of ``years``, with one pass over the outlook for all of them.

    Returns
    -------
    list of (Supply, str)
        One projected supply and note per year of ``years``, in their order.
    """
    base = given.data_year or given.year
    rates = {} if growth is None else growth if isinstance(growth, Mapping) else {"*": growth}
    parsed: dict[str, float] = {}
    how: dict[str, str] = {}
    for c, r in rates.items():
        rate = parse_rate(r, what=f"supply growth of {c}").values()[1]
        parsed[str(c)], how[str(c)] = rate, f"the scenario's {rate:+.1%}/yr"
    table = given.tables.outlook
    followed: dict[tuple[str, str], dict[str, np.ndarray]] = {}
    if "*" not in parsed and not table.empty:
        for key, per in outlook_factor_table(table, base, years).items():
            if key[0] not in parsed:
                followed[key] = per
                if key[0] not in how:
                    how[key[0]] = _outlook(table).names[key[0]]
    note = f"supply projected from {base}"
    out = []
    for k, year in enumerate(years):
        n = year - base
        carried = Growth(
            base=base,
            rates={c: (1 + rate) ** n for c, rate in parsed.items()},
            countries={
                key: {c: float(f[k]) for c, f in per.items()} for key, per in followed.items()
            },
            outlooks=how,
        )
        out.append((replace(given, year=year, data_year=base, carried=carried, _cache={}), note))
    return out


def supply_for(
    year: int | None, given: Supply | None, growth: GrowthLike, tables: TableSet | None = None
) -> tuple[Supply, str]:
    """The supply to compare a year's demand with, and how it was obtained.

    ``given`` if one is; else the figures of ``year`` in ``tables`` (default: the shipped
    ones) if there are any, else the latest earlier year's carried to ``year``
    (:func:`projected`), said in the second value.
    """
    return supplies_for([year], given, growth, tables)[0]


def supplies_for(
    years: Sequence[int | None],
    given: Supply | None,
    growth: GrowthLike,
    tables: TableSet | None = None,
    adjust: Callable[[Supply], Supply] | None = None,
) -> list[tuple[Supply, str]]:
    """:func:`supply_for` of each of ``years``: the years carried from one supply's figures
    share one pass over the outlook (:func:`projected_years`).

    Parameters
    ----------
    years : sequence of int or None
    given, growth, tables
        As :func:`supply_for`'s.
    adjust : callable, optional
        Applied to each supply whose figures are used before it is carried (removing
        countries, leaving out unrecorded output): the same as applying it to each year's
        supply, done once per set of figures.

    Returns
    -------
    list of (Supply, str)
        One supply and note per year, in the order of ``years``.
    """
    fix = adjust if adjust is not None else _same
    fixed: dict[int, Supply] = {}

    def fixed_of(s: Supply) -> Supply:
        if id(s) not in fixed:
            fixed[id(s)] = fix(s)
        return fixed[id(s)]

    available = shipped_years(tables) if given is None else []
    out: list[tuple[Supply, str]] = []
    carried: dict[int, tuple[Supply, list[int]]] = {}
    for k, year in enumerate(years):
        source = given
        if source is None:
            if year is None or year in available:
                out.append((fixed_of(supply(available[-1] if year is None else year, tables)), ""))
                continue
            earlier = [y for y in available if y < year]
            source = supply(earlier[-1] if earlier else available[0], tables)
        if year is None or year == source.year:
            out.append((fixed_of(source), ""))
            continue
        out.append((source, ""))  # replaced below
        carried.setdefault(id(source), (source, []))[1].append(k)
    for source, ks in carried.values():
        targets = [int(y) for y in (years[k] for k in ks) if y is not None]
        for k, pair in zip(ks, projected_years(fixed_of(source), targets, growth), strict=True):
            out[k] = pair
    return out


def _same(s: Supply) -> Supply:
    return s
