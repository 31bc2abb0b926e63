"""Reading the world-output tables: output by country, groups of countries, ore types and the
country mix of ore types, and secondary (recycled) supply.

Every reader returns plain pandas frames (amounts converted to tonnes, percentages to
fractions) and raises :class:`~mineralcalc.errors.TableError` reading ``file:row: column:
problem (hint)``. Nothing here knows the catalog: :mod:`mineralcalc.lenses.supply` and
:mod:`mineralcalc.lenses.ores` compute with these frames.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..elements import ELEMENTS, GROUPS
from ..errors import MineralcalcError, TableError, UnknownItemError, suggest
from ..estimate import Estimate
from ..units import parse_unit
from .csvtable import Row, check_source, read_table, shipped_sources, shipped_tables

__all__ = [
    "BASES",
    "SECONDARY_KINDS",
    "STAGES",
    "STAGE_ALIASES",
    "SupplyTables",
    "read_country_groups",
    "read_country_ores",
    "read_ore_types",
    "read_secondary",
    "read_supply",
    "shipped_supply_tables",
    "stage_name",
]

STAGES = ("mining", "refining", "metal", "magnet")
"""Stages of a supply chain, in order: mine output, refining (for rare earths: separation into
oxides), metal and alloy, and (rare earths) magnets."""

STAGE_ALIASES = {"separation": "refining", "mine": "mining", "magnets": "magnet"}


def stage_name(stage: str) -> str:
    """The canonical name of a stage (``'separation'`` -> ``'refining'``).

    Raises
    ------
    UnknownItemError
        For a name that is no stage, naming the stages there are.
    """
    name = STAGE_ALIASES.get(str(stage).strip().lower(), str(stage).strip().lower())
    if name not in STAGES:
        raise UnknownItemError(
            f"stage {stage!r} is not a stage of the supply tables (one of "
            f"{', '.join(STAGES)}; 'separation' is refining)"
        )
    return name


BASES = ("oxide", "metal", "content")
SECONDARY_KINDS = ("new scrap", "end of life")
"""Secondary supply: process scrap recycled within the year, and recycled end-of-life products."""

_TOL = 1e-6


def _tonnes(row: Row, column: str = "unit") -> float:
    """The factor from the row's unit to tonnes (supply amounts are masses)."""
    try:
        return Estimate(central=1.0, unit=parse_unit(row.get(column))).values("t")[1]
    except MineralcalcError as e:
        raise row.error(column, f"{e} (amounts here are masses, e.g. 't')") from None


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


def _sums_at_most_one(frame: pd.DataFrame, keys: list[str], label: str, what: str) -> None:
    if frame.empty:
        return
    totals = frame.groupby(keys)["share"].sum()
    over = totals[totals > 1 + _TOL]
    if not over.empty:
        key, total = next(iter(over.items()))
        name = " ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
        raise TableError(f"{label}: share: {what} {name} adds up to {total:.2%}, over 100 %")


def read_supply(path: Path, sources: Mapping[str, Any]) -> pd.DataFrame:
    """``supply.csv``: output by commodity, country, year and stage.

    Rows with ``status`` = ``alternative`` keep another source's figure for the same fact
    (where sources disagree); they are flagged in the ``alternative`` column and not used in
    totals.

    Returns
    -------
    DataFrame
        Columns commodity, country, year, stage, basis, amount [t], low, high, share, source,
        alternative, note. Amounts are converted to tonnes; ``share`` is a fraction.
    """
    rows = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in read_table(path, "supply.csv"):
        commodity, source = (
            row.ident("commodity"),
            check_source(row, "source", sources, required=True),
        )
        country = row.text("country", required=True)
        year = row.year()
        stage = row.choice("stage", STAGES)
        basis = row.choice("basis", BASES)
        status = row.choice("status", ("alternative",), required=False)
        key = (commodity, country, year, stage)
        if key in seen and status is None:
            raise row.error(
                "country",
                f"{country!r} in {year} ({stage}) is given twice (first at row {seen[key]})",
            )
        if status is None:
            seen[key] = row.line
        factor = _tonnes(row)
        amount, lo, hi = (row.number(c) for c in ("amount", "low", "high"))
        share = row.number("share")
        if amount is None and share is None:
            raise row.error("amount", "empty: give amount or share")
        for col, v in (("amount", amount), ("low", lo), ("high", hi), ("share", share)):
            if v is not None and v < 0:
                raise row.error(col, f"{v:g} is negative")
        if share is not None and share > 100:
            raise row.error("share", f"{share:g} is over 100 (shares are in percent)")
        rows.append(
            {
                "commodity": commodity, "country": country, "year": year, "stage": stage,
                "basis": basis,
                "amount": None if amount is None else amount * factor,
                "low": None if lo is None else lo * factor,
                "high": None if hi is None else hi * factor,
                "share": None if share is None else share / 100.0,
                "source": source, "alternative": status is not None, "note": row.text("note"),
            }
        )  # fmt: skip
    return pd.DataFrame(rows).astype({"amount": float, "low": float, "high": float, "share": float})


def read_country_groups(path: Path, sources: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """``country_groups.csv``: named groups of countries (e.g. Minerals Security Partnership)."""
    groups: dict[str, list[str]] = {}
    for row in read_table(path, "country_groups.csv"):
        group, country = row.ident("group"), row.text("country", required=True)
        assert group is not None and country is not None
        check_source(row, "source", sources, required=True)
        if country in groups.get(group, []):
            raise row.error("country", f"{country!r} is listed twice in {group!r}")
        groups.setdefault(group, []).append(country)
    return {g: tuple(c) for g, c in groups.items()}


# --------------------------------------------------------------------------- ore types
def read_ore_types(path: Path, sources: Mapping[str, Any]) -> pd.DataFrame:
    """``ore_types.csv``: the rare-earth distribution of each ore (deposit) type.

    Returns
    -------
    DataFrame
        Columns ``ore_type``, ``element``, ``share`` (fraction of total rare-earth oxide, TREO),
        ``name``, ``source``. Shares of one type may add up to less than 1: the rest is not
        allocated to any element (the source does not give it).
    """
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str | None, str], int] = {}
    for row in read_table(path, "ore_types.csv"):
        ore, el = row.ident("ore_type"), _rare_earth(row)
        if (ore, el) in seen:
            raise row.error("element", f"{ore} {el} is given twice (first at row {seen[ore, el]})")
        seen[ore, el] = row.line
        rows.append(
            {"ore_type": ore, "element": el, "share": _percent(row), "name": row.text("name"),
             "source": check_source(row, "source", sources, required=True)}
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=["ore_type", "element", "share", "name", "source"])
    _sums_at_most_one(frame, ["ore_type"], path.name, "ore type")
    return frame


def read_country_ores(path: Path, sources: Mapping[str, Any], ore_types: set[str]) -> pd.DataFrame:
    """``country_ores.csv``: each country's rare-earth output by ore type, in a year.

    Returns
    -------
    DataFrame
        Columns ``country``, ``year``, ``ore_type``, ``share`` (fraction of the country's
        output), ``source``. Shares of a country and year may add up to less than 1: the rest
        is of unknown ore type and not allocated to elements.
    """
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str | None, int | None, str], int] = {}
    for row in read_table(path, "country_ores.csv"):
        country = row.text("country", required=True)
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
            {"country": country, "year": year, "ore_type": ore, "share": _percent(row),
             "source": check_source(row, "source", sources, required=True)}
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=["country", "year", "ore_type", "share", "source"])
    _sums_at_most_one(frame, ["country", "year"], path.name, "country")
    return frame


# --------------------------------------------------------------------------- secondary
def read_secondary(path: Path, sources: Mapping[str, Any]) -> pd.DataFrame:
    """``secondary.csv``: recycled supply of an element, by kind (new scrap, end of life).

    A row gives an ``amount`` (in ``unit`` and ``basis``: the element's oxide or metal), or a
    ``share``: secondary output as a percentage of the element's primary (mined) output.

    Returns
    -------
    DataFrame
        Columns ``commodity``, ``element``, ``year``, ``kind``, ``country``, ``basis``,
        ``amount``, ``low``, ``high`` [t], ``share``, ``share_low``, ``share_high``
        (fractions), ``source``, ``note``.
    """
    rows = []
    for row in read_table(path, "secondary.csv"):
        commodity, el = row.ident("commodity"), row.ident("element")
        assert el is not None
        if el not in ELEMENTS:
            raise row.error("element", f"{el!r} is not an element symbol ({suggest(el, ELEMENTS)})")
        kind = row.choice("kind", SECONDARY_KINDS)
        basis = row.choice("basis", ("oxide", "metal"))
        amount, lo, hi, share = (row.number(c) for c in ("amount", "low", "high", "share"))
        if (amount is None) == (share is None):
            raise row.error("amount", "give either amount (a mass) or share (% of primary output)")
        for col, v in (("amount", amount), ("low", lo), ("high", hi), ("share", share)):
            if v is not None and v < 0:
                raise row.error(col, f"{v:g} is negative")
        if share is not None and share > 100:
            raise row.error("share", f"{share:g} is over 100 (shares are in percent)")
        if (lo is None) != (hi is None):
            raise row.error("low", "give both low and high, or neither")
        if lo is not None and hi is not None:
            centre = amount if amount is not None else share
            if not lo <= centre <= hi:  # type: ignore[operator]
                raise row.error("low", f"low {lo:g} <= value <= high {hi:g} must hold")
        f = _tonnes(row) if amount is not None else 1.0
        rec: dict[str, Any] = {
            "commodity": commodity, "element": el, "year": row.year(), "kind": kind,
            "country": row.text("country") or "World", "basis": basis,
            "amount": float("nan"), "low": float("nan"), "high": float("nan"),
            "share": float("nan"), "share_low": float("nan"), "share_high": float("nan"),
            "source": check_source(row, "source", sources, required=True),
            "note": row.text("note"),
        }  # fmt: skip
        if amount is not None:
            rec["amount"] = amount * f
            rec["low"], rec["high"] = (amount * f, amount * f) if lo is None else (lo * f, hi * f)  # type: ignore[operator]
        else:
            assert share is not None
            rec["share"] = share / 100
            rec["share_low"], rec["share_high"] = (
                (share / 100, share / 100) if lo is None else (lo / 100, hi / 100)  # type: ignore[operator]
            )
        rows.append(rec)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the bundle
@dataclass(frozen=True)
class SupplyTables:
    """The world-output tables, read and checked."""

    supply: pd.DataFrame
    groups: dict[str, tuple[str, ...]]
    ore_types: pd.DataFrame
    country_ores: pd.DataFrame
    secondary: pd.DataFrame


def read_supply_tables(root: Path, sources: Mapping[str, Any]) -> SupplyTables:
    """Every world-output table in ``root``."""
    ores = read_ore_types(root / "ore_types.csv", sources)
    return SupplyTables(
        supply=read_supply(root / "supply.csv", sources),
        groups=read_country_groups(root / "country_groups.csv", sources),
        ore_types=ores,
        country_ores=read_country_ores(root / "country_ores.csv", sources, set(ores["ore_type"])),
        secondary=read_secondary(root / "secondary.csv", sources),
    )


@cache
def shipped_supply_tables() -> SupplyTables:
    """The shipped world-output tables, read once."""
    return read_supply_tables(shipped_tables(), shipped_sources())
