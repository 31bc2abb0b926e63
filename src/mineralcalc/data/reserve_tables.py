"""Reading mineral reserves: ``reserves.csv``.

A reserve is the part of an identified resource that could be mined economically when it was
estimated (USGS's definition in the Mineral Commodity Summaries). ``reserves.csv`` gives the
reserves of a commodity by country, with the source's world total as a ``World`` row, each in
the basis ``supply.csv`` gives the commodity's mine output in (rare earths as oxide, REO;
lithium as Li content), so that reserves and demand are counted alike.
:mod:`mineralcalc.lenses.reserves` sets them against a demand.

Every problem is a :class:`~mineralcalc.errors.TableError` reading ``file:row: column:
problem (hint)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import TableError, suggest
from .country_tables import Places, place
from .csvtable import Row, check_source, read_table, shipped_sources, shipped_tables
from .stages import tonnes
from .supply_tables import shipped_supply_tables

__all__ = ["RESERVE_COLUMNS", "SLACK", "WORLD", "read_reserves", "shipped_reserves"]

WORLD = "World"
"""The country name of a source's world total."""

SLACK = 0.03
"""How far the countries of a commodity and year may add up above its ``World`` row: 3 %, as
in ``supply.csv`` (a source's rounding; USGS's world rare-earth reserves read "more than 90
Mt" while its countries add up to 90.88 Mt). A country edited without its world total is
refused."""

RESERVE_COLUMNS = [
    "commodity",
    "country",
    "year",
    "basis",
    "reserves",
    "unit",
    "source",
    "note",
    "origin",
]
"""The columns of :func:`read_reserves`'s frame."""


def read_reserves(
    path: Path,
    sources: Mapping[str, Any],
    places: Places | None = None,
    supply: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``reserves.csv``: reserves by commodity, country and year.

    Parameters
    ----------
    path : Path
        The file.
    sources : mapping
        Source records by key (``sources.csv``); every row cites one.
    places : Places, optional
        The countries of ``countries.csv``: a country must be one of them (an alias is read
        as its country) or ``World`` / ``Other``. Unchecked without.
    supply : DataFrame, optional
        ``supply.csv`` as :func:`~mineralcalc.data.supply_tables.read_supply` reads it: a
        commodity must be one of its commodities, spelt as it spells them, and its reserves
        given in the basis of its mine output there. Unchecked without.

    Returns
    -------
    DataFrame
        Columns ``commodity``, ``country`` (canonical spelling; ``World`` for the source's
        total), ``year`` (int), ``basis`` (``oxide``, ``metal`` or ``content``),
        ``reserves`` [t], ``unit`` (as given), ``source``, ``note``, ``origin``
        (``file:row``).

    Raises
    ------
    TableError
        A cell that cannot be read (a negative amount, a unit that is no mass, an unknown
        source, country or commodity, a basis other than the commodity's mine output's), a
        country given twice for a commodity and year, a commodity and year without a
        ``World`` row, or countries adding up to more than :data:`SLACK` above it.
    """
    bases = _mine_bases(supply)
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, int], int] = {}
    for row in read_table(path, "reserves.csv"):
        commodity = _commodity(row, bases)
        country = place(row, "country", places, allow=(WORLD, "Other"))
        year = row.year()
        assert country is not None and year is not None
        key = (commodity, country, year)
        if key in seen:
            raise row.error(
                "country",
                f"{country!r} has reserves of {commodity} in {year} twice (first at row "
                f"{seen[key]})",
            )
        seen[key] = row.line
        basis = row.choice("basis", ("oxide", "metal", "content"))
        assert basis is not None
        if commodity in bases and basis not in bases[commodity]:
            raise row.error(
                "basis",
                f"supply.csv gives the mine output of {commodity} as "
                f"{' or '.join(sorted(bases[commodity]))}: give its reserves on the same basis, "
                "so that demand and reserves are counted alike",
            )
        amount = row.number("reserves", required=True)
        assert amount is not None
        if amount < 0:
            raise row.error("reserves", f"{amount:g} is negative")
        rows.append(
            {
                "commodity": commodity,
                "country": country,
                "year": year,
                "basis": basis,
                "reserves": amount * tonnes(row, hint="reserves are masses, e.g. 't' or 'Mt'"),
                "unit": row.get("unit"),
                "source": check_source(row, "source", sources, required=True),
                "note": row.text("note") or "",
                "origin": f"{row.file}:{row.line}",
            }
        )
    frame = pd.DataFrame(rows, columns=RESERVE_COLUMNS)
    _check_totals(frame)
    return frame


def _mine_bases(supply: pd.DataFrame | None) -> dict[str, set[str]]:
    """Each commodity's bases of mine output in ``supply.csv`` (empty without it)."""
    if supply is None:
        return {}
    mined = supply[supply["stage"] == "mining"]
    out: dict[str, set[str]] = {c: set() for c in supply["commodity"]}
    for commodity, basis in zip(mined["commodity"], mined["basis"], strict=True):
        out[commodity].add(basis)
    return {c: b or {"oxide", "metal", "content"} for c, b in out.items()}


def _commodity(row: Row, bases: Mapping[str, set[str]]) -> str:
    commodity = row.ident("commodity")
    assert commodity is not None
    if bases and commodity not in bases:
        raise row.error(
            "commodity",
            f"{commodity!r} is no commodity of supply.csv ({suggest(commodity, bases)}); spell "
            "it as supply.csv does",
        )
    return commodity


def _check_totals(frame: pd.DataFrame) -> None:
    """Every commodity and year has a ``World`` row, and its countries add up to at most
    :data:`SLACK` above it."""
    for (commodity, year), rows in frame.groupby(["commodity", "year"], sort=False):
        world = rows[rows["country"] == WORLD]
        if world.empty:
            raise TableError(
                f"{rows['origin'].iloc[0]}: country: {commodity} has no World row in {year}: add "
                "the source's world total (a row with country 'World')"
            )
        total = float(world["reserves"].iloc[0])
        countries = float(rows.loc[rows["country"] != WORLD, "reserves"].sum())
        if countries > total * (1 + SLACK):
            raise TableError(
                f"{world['origin'].iloc[0]}: reserves: the countries of {commodity} in {year} "
                f"add up to {countries:,.0f} t, more than {SLACK:.0%} above the World row's "
                f"{total:,.0f} t: edit the world total with its countries"
            )


@cache
def shipped_reserves() -> pd.DataFrame:
    """The shipped ``reserves.csv``, read once."""
    supply = shipped_supply_tables()
    return read_reserves(
        shipped_tables() / "reserves.csv", shipped_sources(), supply.places, supply.supply
    )
