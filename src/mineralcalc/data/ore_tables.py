"""Reading what rare-earth ores hold: ore types, each country's ore mix, and unrecorded output.

* ``ore_types.csv``: the rare-earth distribution of each ore (deposit) type, in percent of its
  total rare-earth oxide (TREO). A distribution must be whole: published distributions add up
  to 100 % give or take their rounding, so a type whose shares add up to between 98 % and
  102 % is scaled to exactly 100 %; anything else is an error. Every tonne of oxide is then
  allocated to an element.
* ``country_ores.csv``: each country's output by ore type in a year, in percent; likewise
  whole (99.5-100.5 %, scaled to 100 %).
* ``unrecorded.csv``: output that the recorded statistics (USGS, China's quota) leave out,
  per country and year: a mass or a share of the country's recorded output, with a range,
  and the ore type it comes from (default: the country's mix).

Every reader returns plain pandas frames (percentages as fractions, masses in tonnes) and
raises :class:`~mineralcalc.errors.TableError` reading ``file:row: column: problem (hint)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..elements import GROUPS
from ..errors import MineralcalcError, TableError, suggest
from ..estimate import Estimate
from ..units import parse_unit
from .country_tables import Places, place
from .csvtable import Row, check_source, read_table

__all__ = [
    "COUNTRY_ROUNDING",
    "ORE_ROUNDING",
    "read_country_ores",
    "read_ore_types",
    "read_unrecorded",
]

ORE_ROUNDING = 0.02
"""How far an ore type's published distribution may add up from 100 % (rounding of its
figures) before it is an error; within it the shares are scaled to add up to 100 %."""

COUNTRY_ROUNDING = 0.005
"""The same for a country's ore mix."""


def _rare_earth(row: Row, column: str = "element") -> str:
    el = row.ident(column)
    assert el is not None
    if el not in GROUPS["REE"]:
        hint = suggest(el, GROUPS["REE"])
        raise row.error(column, f"{el!r} is not a rare-earth element symbol ({hint})")
    return el


def _percent(row: Row, column: str = "share") -> float:
    value = row.number(column, required=True)
    assert value is not None
    if not 0 <= value <= 100:
        raise row.error(column, f"{value:g} is not a percentage from 0 to 100")
    return value / 100.0


def _whole(frame: pd.DataFrame, keys: list[str], label: str, what: str, slack: float) -> None:
    """Check that the shares of each key add up to 100 % within ``slack``, then scale them to
    exactly 100 % (in place)."""
    if frame.empty:
        return
    totals = frame.groupby(keys)["share"].transform("sum")
    bad = frame[(totals - 1.0).abs() > slack]
    if not bad.empty:
        first = bad.iloc[0]
        name = " ".join(str(first[k]) for k in keys)
        total = float(totals[bad.index[0]])
        raise TableError(
            f"{label}: share: {what} {name} adds up to {total:.2%}, not 100 % (give the whole "
            f"distribution, every element it holds; within {slack:.1%} of 100 % the shares are "
            "taken as rounded and scaled to 100 %)"
        )
    frame["share"] = frame["share"] / totals


def read_ore_types(path: Path, sources: Mapping[str, Any]) -> pd.DataFrame:
    """``ore_types.csv``: the rare-earth distribution of each ore (deposit) type.

    Returns
    -------
    DataFrame
        Columns ``ore_type``, ``element``, ``share`` (fraction of total rare-earth oxide,
        TREO; each type's shares add up to exactly 1), ``name``, ``source``.

    Raises
    ------
    TableError
        For an element that is no rare earth, one given twice, or a type whose shares do not
        add up to 100 % within :data:`ORE_ROUNDING`.
    """
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str | None, str], int] = {}
    for row in read_table(path, "ore_types.csv"):
        ore, el = row.ident("ore_type"), _rare_earth(row)
        if (ore, el) in seen:
            raise row.error("element", f"{ore} {el} is given twice (first at row {seen[ore, el]})")
        seen[ore, el] = row.line
        rows.append(
            {
                "ore_type": ore,
                "element": el,
                "share": _percent(row),
                "name": row.text("name"),
                "source": check_source(row, "source", sources, required=True),
            }
        )
    frame = pd.DataFrame(rows, columns=["ore_type", "element", "share", "name", "source"])
    _whole(frame, ["ore_type"], path.name, "ore type", ORE_ROUNDING)
    return frame


def read_country_ores(
    path: Path,
    sources: Mapping[str, Any],
    ore_types: set[str],
    places: Places | None = None,
) -> pd.DataFrame:
    """``country_ores.csv``: each country's rare-earth output by ore type, in a year.

    Returns
    -------
    DataFrame
        Columns ``country``, ``year``, ``ore_type``, ``share`` (fraction of the country's
        output; a country's shares in a year add up to exactly 1), ``source``.

    Raises
    ------
    TableError
        For an unknown ore type, one given twice for a country and year, or a mix that does
        not add up to 100 % within :data:`COUNTRY_ROUNDING`.
    """
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str | None, int | None, str], int] = {}
    for row in read_table(path, "country_ores.csv"):
        country = place(row, "country", places, allow=("Other",))
        year = row.year()
        ore = row.ident("ore_type")
        assert ore is not None
        if ore not in ore_types:
            raise row.error(
                "ore_type",
                f"unknown ore type {ore!r} ({suggest(ore, ore_types)}; see ore_types.csv)",
            )
        key = (country, year, ore)
        if key in seen:
            raise row.error("ore_type", f"{ore!r} of {country} in {year} is given twice")
        seen[key] = row.line
        rows.append(
            {
                "country": country,
                "year": year,
                "ore_type": ore,
                "share": _percent(row),
                "source": check_source(row, "source", sources, required=True),
            }
        )
    frame = pd.DataFrame(rows, columns=["country", "year", "ore_type", "share", "source"])
    _whole(frame, ["country", "year"], path.name, "country", COUNTRY_ROUNDING)
    return frame


UNRECORDED_COLUMNS = [
    "commodity",
    "country",
    "year",
    "ore_type",
    "amount",
    "low",
    "high",
    "share",
    "share_low",
    "share_high",
    "source",
    "note",
    "origin",
]


def read_unrecorded(
    path: Path,
    sources: Mapping[str, Any],
    ore_types: set[str],
    places: Places | None = None,
) -> pd.DataFrame:
    """``unrecorded.csv``: output the recorded statistics leave out, per country and year.

    A row gives an ``amount`` (a mass in ``unit``; for rare earths t of REO) or a ``share``
    (percent of the country's recorded output that year), with ``low`` and ``high`` bounds of
    whichever it gives. ``ore_type`` says which ore it is (rare earths; default: the country's
    mix in ``country_ores.csv``). A country absent from the recorded output (Laos) needs an
    ``amount`` and an ``ore_type``.

    Returns
    -------
    DataFrame
        Columns ``commodity``, ``country``, ``year``, ``ore_type`` (None: the country's mix),
        ``amount``, ``low``, ``high`` [t] or ``share``, ``share_low``, ``share_high``
        (fractions), ``source``, ``note``, ``origin`` (``file:row``). A missing file gives an
        empty frame.
    """
    if not path.exists():
        return pd.DataFrame(columns=UNRECORDED_COLUMNS)
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in read_table(path, "unrecorded.csv"):
        commodity = row.ident("commodity")
        country = place(row, "country", places)
        year = row.year()
        ore = row.ident("ore_type", required=False)
        if ore is not None and ore not in ore_types:
            raise row.error(
                "ore_type",
                f"unknown ore type {ore!r} ({suggest(ore, ore_types)}; see ore_types.csv)",
            )
        key = (commodity, country, year, ore)
        if key in seen:
            raise row.error(
                "country", f"{country} {year} {ore or ''} is given twice (first at row {seen[key]})"
            )
        seen[key] = row.line
        amount, lo, hi, share = (row.number(c) for c in ("amount", "low", "high", "share"))
        if (amount is None) == (share is None):
            raise row.error("amount", "give either amount (a mass) or share (% of recorded output)")
        for col, v in (("amount", amount), ("low", lo), ("high", hi), ("share", share)):
            if v is not None and v < 0:
                raise row.error(col, f"{v:g} is negative")
        if (lo is None) != (hi is None):
            raise row.error("low", "give both low and high, or neither")
        centre = amount if amount is not None else share
        assert centre is not None
        lo, hi = (centre, centre) if lo is None or hi is None else (lo, hi)
        if not lo <= centre <= hi:
            raise row.error("low", f"low {lo:g} <= value <= high {hi:g} must hold")
        rec: dict[str, Any] = dict.fromkeys(UNRECORDED_COLUMNS, float("nan"))
        rec.update(
            commodity=commodity,
            country=country,
            year=year,
            ore_type=ore,
            source=check_source(row, "source", sources, required=True),
            note=row.text("note"),
            origin=f"{row.file}:{row.line}",
        )
        if amount is not None:
            try:
                f = Estimate(central=1.0, unit=parse_unit(row.get("unit"))).values("t")[1]
            except MineralcalcError as e:
                raise row.error("unit", f"{e} (amounts here are masses, e.g. 't')") from None
            rec.update(amount=amount * f, low=lo * f, high=hi * f)
        else:
            if hi > 100:
                raise row.error("high", f"{hi:g} is over 100 (shares are in percent)")
            rec.update(share=centre / 100, share_low=lo / 100, share_high=hi / 100)
        rows.append(rec)
    return pd.DataFrame(rows, columns=UNRECORDED_COLUMNS)
