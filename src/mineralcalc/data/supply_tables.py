"""Reading the world-output tables: output by country, groups of countries, secondary
(recycled) supply and the outlook of supply in later years; the ore tables come from
:mod:`mineralcalc.data.ore_tables`, and :func:`read_supply_tables` reads them all as one
bundle, checking that every recorded tonne of rare-earth oxide has an ore mix.

Every reader returns plain pandas frames (amounts converted to tonnes, percentages to
fractions) and raises :class:`~mineralcalc.errors.TableError` reading ``file:row: column:
problem (hint)``. Nothing here knows the catalog: :mod:`mineralcalc.lenses.supply` and
:mod:`mineralcalc.lenses.ores` compute with these frames.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import TableError
from .country_tables import Places, place, read_countries, read_country_groups
from .csvtable import (
    Locate,
    check_source,
    locator,
    read_table,
    shipped_sources,
    shipped_tables,
)
from .element_rows import check_element_rows, parse_elements
from .ore_tables import read_country_ores, read_ore_types, read_unrecorded
from .outlook_tables import OUTLOOK_COLUMNS, REST, read_outlook
from .stages import BASES, SECONDARY_KINDS, STAGE_ALIASES, STAGES, stage_name, tonnes

__all__ = [
    "BASES",
    "REST",
    "SECONDARY_KINDS",
    "STAGES",
    "STAGE_ALIASES",
    "SupplyTables",
    "read_country_groups",
    "read_country_ores",
    "read_ore_types",
    "read_outlook",
    "read_secondary",
    "read_supply",
    "read_supply_tables",
    "read_unrecorded",
    "shipped_supply_tables",
    "stage_name",
]


def read_supply(
    path: Path, sources: Mapping[str, Any], places: Places | None = None
) -> pd.DataFrame:
    """``supply.csv``: output by commodity, country, year and stage.

    Rows with ``status`` = ``alternative`` keep another source's figure for the same fact
    (where sources disagree); they are flagged in the ``alternative`` column and not used in
    totals. Rows with ``elements`` give a stage's country shares for those rare earths only,
    overriding the commodity's rows for them (:mod:`mineralcalc.data.element_rows`).

    Returns
    -------
    DataFrame
        Columns commodity, country, year, stage, elements (``''``: every element of the
        commodity; else symbols, ``;``-separated), basis, amount [t], low, high, share,
        source, alternative, note, origin (``file:row``). Amounts are converted to tonnes;
        ``share`` is a fraction.
    """
    rows = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in read_table(path, "supply.csv"):
        commodity, source = (
            row.ident("commodity"),
            check_source(row, "source", sources, required=True),
        )
        country = place(row, "country", places, allow=("World", "Other"))
        year = row.year()
        stage = row.choice("stage", STAGES)
        basis = row.choice("basis", BASES)
        status = row.choice("status", ("alternative",), required=False)
        assert commodity is not None and stage is not None  # both required
        elements = parse_elements(row, commodity, stage)
        key = (commodity, country, year, stage, elements)
        if key in seen and status is None:
            of = f" for {elements}" if elements else ""
            raise row.error(
                "country",
                f"{country!r} in {year} ({stage}){of} is given twice (first at row {seen[key]})",
            )
        if status is None:
            seen[key] = row.line
        factor = tonnes(row)
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
                "commodity": commodity,
                "country": country,
                "year": year,
                "stage": stage,
                "elements": elements,
                "basis": basis,
                "amount": None if amount is None else amount * factor,
                "low": None if lo is None else lo * factor,
                "high": None if hi is None else hi * factor,
                "share": None if share is None else share / 100.0,
                "source": source,
                "alternative": status is not None,
                "note": row.text("note"),
                "origin": f"{row.file}:{row.line}",
            }
        )
    types = {"amount": float, "low": float, "high": float, "share": float}
    frame = pd.DataFrame(rows).astype(types)
    _check_world_rows(frame)
    check_element_rows(frame)
    return frame


WORLD_ROUNDING = 0.03
"""How far a source's countries may add up above its World row (USGS rounds the world total:
rare earths 2024, 393,950 t by country against 390,000 t) before the table is refused."""


def _check_world_rows(frame: pd.DataFrame) -> None:
    """A World row below its countries (a country edited, the world not) is refused: the world
    total would silently ignore the edit."""
    used = frame[~frame["alternative"] & (frame["elements"] == "")]
    for _, g in used.groupby(["commodity", "year", "stage"], sort=False):
        world = g[g["country"] == "World"]
        if world.empty or not world["amount"].notna().any():
            continue
        total = float(world["amount"].iloc[0])
        named = float(g.loc[g["country"] != "World", "amount"].sum())
        if total > 0 and named > total * (1 + WORLD_ROUNDING):
            r = world.iloc[0]
            raise TableError(
                f"{r['origin']}: amount: {r['commodity']} {r['stage']} {r['year']}: the "
                f"countries add up to {named:,.0f} t, {named / total - 1:.1%} more than the "
                f"World row's {total:,.0f} t: update the World row with them"
            )


# --------------------------------------------------------------------------- secondary
def read_secondary(
    path: Path, sources: Mapping[str, Any], places: Places | None = None
) -> pd.DataFrame:
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
        commodity, el = row.ident("commodity"), row.element()
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
        f = tonnes(row) if amount is not None else 1.0
        rec: dict[str, Any] = {
            "commodity": commodity,
            "element": el,
            "year": row.year(),
            "kind": kind,
            "country": place(row, "country", places, required=False) or "World",
            "basis": basis,
            "amount": float("nan"),
            "low": float("nan"),
            "high": float("nan"),
            "share": float("nan"),
            "share_low": float("nan"),
            "share_high": float("nan"),
            "source": check_source(row, "source", sources, required=True),
            "note": row.text("note"),
        }
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
    unrecorded: pd.DataFrame = field(default_factory=lambda: read_unrecorded(Path("-"), {}, set()))
    outlook: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OUTLOOK_COLUMNS))
    places: Places | None = None
    """The countries the tables may name (``countries.csv``), with their other spellings."""


def read_supply_tables(root: Path | Locate, sources: Mapping[str, Any]) -> SupplyTables:
    """Every world-output table in ``root`` (a folder, or a
    :data:`~mineralcalc.data.csvtable.Locate` for each file; ``unrecorded.csv`` and
    ``outlook.csv`` may be absent), checked against each other.

    Raises
    ------
    TableError
        Besides each table's own errors: a country with recorded rare-earth output that has no
        ore mix in ``country_ores.csv`` (its oxide could not be split into elements), and an
        unrecorded row of a country without recorded output that names no ore type.
    """
    at = locator(root)
    countries = at("countries.csv")  # without it (a folder of toy tables), names are unchecked
    places = read_countries(countries, sources) if countries.exists() else None
    ores = read_ore_types(at("ore_types.csv"), sources)
    names = set(ores["ore_type"])
    tables = SupplyTables(
        supply=read_supply(at("supply.csv"), sources, places),
        groups=read_country_groups(at("country_groups.csv"), sources, places),
        ore_types=ores,
        country_ores=read_country_ores(at("country_ores.csv"), sources, names, places),
        secondary=read_secondary(at("secondary.csv"), sources, places),
        unrecorded=read_unrecorded(at("unrecorded.csv"), sources, names, places),
        outlook=read_outlook(at("outlook.csv"), sources, places),
        places=places,
    )
    _check_ore_mixes(tables)
    return tables


def _check_ore_mixes(tables: SupplyTables) -> None:
    """Every recorded tonne of rare-earth oxide, and every unrecorded one, has an ore type."""
    with_mix = set(tables.country_ores["country"])
    s = tables.supply
    mined = s[
        (s["commodity"] == "REE")
        & (s["stage"] == "mining")
        & ~s["alternative"]
        & (s["country"] != "World")
        & (s["amount"] > 0)
    ]
    lacking = mined[~mined["country"].isin(with_mix)]
    if not lacking.empty:
        first = lacking.iloc[0]
        raise TableError(
            f"{first['origin']}: country: {first['country']} mines {first['amount']:,.0f} t of "
            f"rare-earth oxide in {first['year']} but has no ore mix in country_ores.csv: add "
            "its ore types there, so that its oxide can be split into elements"
        )
    u = tables.unrecorded
    if u.empty:
        return
    rare = u[(u["commodity"] == "REE") & u["ore_type"].isna()]
    orphan = rare[~rare["country"].isin(with_mix)]
    if not orphan.empty:
        first = orphan.iloc[0]
        raise TableError(
            f"{first['origin']}: ore_type: {first['country']} has no ore mix in "
            "country_ores.csv: name the ore type its unrecorded output comes from"
        )
    shares = u[u["share"].notna()]
    recorded = set(zip(mined["country"], mined["year"], strict=True))
    lost = shares[
        [(c, y) not in recorded for c, y in zip(shares["country"], shares["year"], strict=True)]
    ]
    lost = lost[lost["commodity"] == "REE"]
    if not lost.empty:
        first = lost.iloc[0]
        raise TableError(
            f"{first['origin']}: share: {first['country']} has no recorded output in "
            f"{first['year']} to take a share of: give an amount"
        )


@cache
def shipped_supply_tables() -> SupplyTables:
    """The shipped world-output tables, read once."""
    return read_supply_tables(shipped_tables(), shipped_sources())
