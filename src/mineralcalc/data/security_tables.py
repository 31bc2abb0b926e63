"""Reading prices and where demand is: ``prices.csv`` and ``regional.csv``.

``prices.csv`` gives dated prices of products (NdPr oxide, lithium carbonate, cobalt metal ...)
in the market they are quoted in, each with its unit through pint (``USD/kg``, ``USD/t``,
``cent/lb``, ``CNY/t``: currencies are dimensions of their own, so a CNY price never silently
becomes USD) and the element ``content`` of the priced mass (percent; an oxide's from its
formula, a metal's 100). One row per element and year is the default (``status`` empty);
others are ``alternative`` and kept side by side. ``regional.csv`` splits a product's demand by
region (a country, a group of ``country_groups.csv``, or ``Rest of world``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..elements import ELEMENTS, OXIDES
from ..errors import MineralcalcError
from ..estimate import parse_amount
from ..units import parse_unit
from .country_tables import Places, place
from .csvtable import Locate, check_source, locator, read_table, shipped_sources, shipped_tables
from .supply_tables import shipped_supply_tables

__all__ = ["SecurityTables", "currency_of", "read_security_tables", "shipped_security_tables"]

_FORMS_OF_METAL = ("metal", "cathode")


@dataclass(frozen=True)
class SecurityTables:
    """Prices and regional demand.

    Attributes
    ----------
    prices : DataFrame
        ``product``, ``element``, ``form``, ``content`` (fraction of the element in the
        priced mass), ``year``, ``period``, ``market``, ``low``, ``price``, ``high`` (in
        ``unit``), ``unit`` (a pint unit, currency per mass), ``currency``, ``per_kg`` (the
        three prices per kg of the priced mass, in ``currency``), ``source``,
        ``alternative`` (bool), ``note``. One row per element: a row naming several elements
        (``Nd;Pr``) is repeated for each.
    regional : DataFrame
        ``product``, ``region``, ``year``, ``share`` (fraction), ``source``.
    """

    prices: pd.DataFrame
    regional: pd.DataFrame


def currency_of(unit: Any) -> str:
    """The currency of a unit (``USD/kg`` -> ``'USD'``); an error for a unit without one."""
    for cur in ("USD", "EUR", "CNY"):
        if f"[currency_{cur.lower()}]" in str(unit.dimensionality):
            return cur
    raise MineralcalcError(f"{unit} holds no currency")


def _prices(path: Path, sources: dict[str, Any]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], int] = {}
    for row in read_table(path, "prices.csv"):
        elements = [e.strip() for e in (row.ident("element") or "").split(";")]
        for el in elements:
            if el not in ELEMENTS:
                raise row.error("element", f"{el!r} is not an element symbol (use Nd;Pr for two)")
        form = row.ident("form")
        low, given, high = (row.number(c) for c in ("low", "price", "high"))
        if given is None:
            if low is None or high is None:
                raise row.error("price", "give price, or low and high")
            given = (low + high) / 2
        mid = float(given)
        lo = mid if low is None else float(low)
        hi = mid if high is None else float(high)
        if not 0 < lo <= mid <= hi:
            raise row.error("price", "prices must be above zero with low <= price <= high")
        unit_text = row.get("unit")
        try:
            unit = parse_unit(unit_text)
            currency = currency_of(unit)
            per_kg = parse_amount(f"1 {unit_text}").values(f"{currency}/kg")[1]
        except MineralcalcError as e:
            raise row.error(
                "unit", f"{e}: give a currency per mass, e.g. 'USD/kg', 'USD/t', 'CNY/t'"
            ) from None
        status = row.choice("status", ("alternative",), required=False)
        year = row.year()
        assert year is not None
        content_pct = row.number("content")
        for el in elements:
            if content_pct is not None:
                content = content_pct / 100
            elif form == "oxide" and el in OXIDES:
                content = OXIDES[el].metal_fraction
            elif form in _FORMS_OF_METAL:
                content = 1.0
            else:
                raise row.error("content", f"give the {el} content (percent) of a {form}")
            if not 0 < content <= 1:
                raise row.error("content", f"{content * 100:g} is not a percentage in (0, 100]")
            if status is None:
                if (el, year) in seen:
                    raise row.error(
                        "status",
                        f"a second default price for {el} in {year} (first at row "
                        f"{seen[(el, year)]}): mark one 'alternative'",
                    )
                seen[(el, year)] = row.line
            rows.append(
                {
                    "product": row.get("product"),
                    "element": el,
                    "form": form,
                    "content": content,
                    "shared": len(elements) > 1,
                    "year": year,
                    "period": row.text("period") or "",
                    "market": row.text("market") or "",
                    "low": lo,
                    "price": mid,
                    "high": hi,
                    "unit": unit_text,
                    "currency": currency,
                    "per_kg": (lo * per_kg, mid * per_kg, hi * per_kg),
                    "source": check_source(row, "source", sources, required=True),
                    "alternative": status == "alternative",
                    "note": row.text("note") or "",
                }
            )
    return pd.DataFrame(rows)


def _regional(
    path: Path,
    sources: dict[str, Any],
    places: Places | None = None,
    groups: Iterable[str] = (),
) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    regions = ("Rest of world", *groups)
    for row in read_table(path, "regional.csv"):
        share = row.number("share", required=True)
        if share is None or not 0 <= share <= 100:
            raise row.error("share", "a percentage between 0 and 100")
        region = place(row, "region", places, allow=regions)
        rows.append(
            {
                "product": row.ident("product"),
                "region": region,
                "year": row.year(),
                "share": share / 100,
                "source": check_source(row, "source", sources, required=True),
            }
        )
    frame = pd.DataFrame(rows, columns=["product", "region", "year", "share", "source"])
    for pid, f in frame.groupby("product"):
        total = float(f["share"].sum())
        if abs(total - 1) > 0.01:
            raise MineralcalcError(
                f"{path.name}: the regional shares of {pid} add up to {total:.1%}, not 100 %"
            )
    return frame


def read_security_tables(
    folder: Path | Locate,
    sources: dict[str, Any],
    places: Places | None = None,
    groups: Iterable[str] = (),
) -> SecurityTables:
    """``prices.csv`` and ``regional.csv`` of ``folder`` (a folder, or a
    :data:`~mineralcalc.data.csvtable.Locate` for each file). With ``places`` (and the
    ``groups`` of ``country_groups.csv``), every region must be one of them or ``Rest of
    world``."""
    at = locator(folder)
    return SecurityTables(
        prices=_prices(at("prices.csv"), sources),
        regional=_regional(at("regional.csv"), sources, places, groups),
    )


@cache
def shipped_security_tables() -> SecurityTables:
    """The shipped tables, read once."""
    supply = shipped_supply_tables()
    return read_security_tables(shipped_tables(), shipped_sources(), supply.places, supply.groups)
