"""Rows of ``supply.csv`` that give a stage's country shares for particular rare earths.

A row's optional ``elements`` column (``;``-separated symbols) limits it to those elements: the
rows of a commodity, year and stage with the same ``elements`` are one table of country shares
that overrides the commodity's own rows (``elements`` empty) for those elements only. Rare-earth
separation in 2024 is the case: the IEA's shares are of the magnet rare earths separated, but no
dysprosium or terbium was separated commercially outside China (Lynas's first, May 2025), so
``Dy;Tb`` rows give China 100 %.

:func:`parse_elements` reads one row's cell; :func:`check_element_rows` checks the rows of a
whole file together. Both raise :class:`~mineralcalc.errors.TableError` naming the file, row
and the fix.
"""

from __future__ import annotations

import pandas as pd

from ..elements import ELEMENTS, GROUPS
from ..errors import TableError, suggest
from .csvtable import Row

__all__ = ["ELEMENT_COMMODITIES", "SHARE_ROUNDING", "check_element_rows", "parse_elements"]

ELEMENT_COMMODITIES = {"REE": GROUPS["REE"]}
"""The commodities whose rows may name their elements, with the elements each holds (the
other commodities each supply one element)."""

SHARE_ROUNDING = 0.05
"""How far above 100 % a table of element shares may add up [percentage points] (rounding)."""


def parse_elements(row: Row, commodity: str, stage: str) -> str:
    """The row's ``elements`` cell, checked: ``''`` (every element of the commodity) or the
    symbols ``;``-separated in alphabetical order (``'Tb;Dy'`` is read as ``'Dy;Tb'``).

    Raises
    ------
    TableError
        An empty entry, an unknown symbol, a symbol given twice, an element the commodity does
        not hold, a commodity with one element, a mining row (each rare earth's mine output
        comes from the ore mixes), and a row with an amount (element rows give shares).
    """
    raw = row.get("elements")
    if not raw:
        return ""
    symbols = [s.strip() for s in raw.split(";")]
    if "" in symbols:
        raise row.error("elements", f"{raw!r} has an empty entry (write symbols as 'Dy;Tb')")
    held = ELEMENT_COMMODITIES.get(commodity)
    if held is None:
        raise row.error(
            "elements",
            f"{commodity} supplies one element: leave elements empty (only "
            f"{', '.join(ELEMENT_COMMODITIES)} rows may name their elements)",
        )
    for s in symbols:
        if s not in ELEMENTS:
            raise row.error("elements", f"{s!r} is not an element symbol ({suggest(s, ELEMENTS)})")
        if s not in held:
            raise row.error(
                "elements", f"{s} is not an element of {commodity} ({suggest(s, held)})"
            )
        if symbols.count(s) > 1:
            raise row.error("elements", f"{s} is given twice in {raw!r}")
    if stage == "mining":
        raise row.error(
            "elements",
            "element rows are for a stage after mining: each rare earth's mine output comes "
            "from the producers' ore mixes (country_ores.csv); leave elements empty",
        )
    for col in ("amount", "low", "high"):
        if row.get(col):
            raise row.error(
                col,
                "a row with elements gives each country's share of the elements' world output "
                f"at the stage in share: leave {col} empty",
            )
    return ";".join(sorted(symbols))


def check_element_rows(frame: pd.DataFrame) -> None:
    """The element rows of ``supply.csv`` (as :func:`~mineralcalc.data.supply_tables.read_supply`
    reads it) checked together; alternative rows are left out.

    Raises
    ------
    TableError
        Two sets of element rows of one commodity, year and stage that share an element but
        are not the same set (which would apply to it?), element rows with no rows of the
        commodity at that year and stage to override, and a set whose shares add up to over
        100 %.
    """
    used = frame[~frame["alternative"]]
    rows = used[used["elements"] != ""]
    if rows.empty:
        return
    whole = set(
        zip(
            *(used.loc[used["elements"] == "", c] for c in ("commodity", "year", "stage")),
            strict=True,
        )
    )
    for (commodity, year, stage), g in rows.groupby(["commodity", "year", "stage"], sort=False):
        first = g.iloc[0]
        if (commodity, year, stage) not in whole:
            raise TableError(
                f"{first['origin']}: elements: the row overrides {commodity}'s {stage} rows "
                f"of {year} for {first['elements']}, but there are none: add the rows of "
                f"{commodity} as a whole (elements empty) for {stage} in {year}"
            )
        owner: dict[str, tuple[str, str]] = {}  # element -> (its set, the set's first row)
        for _, r in g.iterrows():
            for el in str(r["elements"]).split(";"):
                have = owner.setdefault(el, (r["elements"], r["origin"]))
                if have[0] != r["elements"]:
                    raise TableError(
                        f"{r['origin']}: elements: {el} in {year} ({stage}) is in "
                        f"{r['elements']!r} here and in {have[0]!r} at {have[1]}: give each "
                        "element's countries in one set of rows (the same elements cell)"
                    )
        for elements, s in g.groupby("elements", sort=False):
            total = float(s["share"].sum()) * 100
            if total > 100 + SHARE_ROUNDING:
                raise TableError(
                    f"{s.iloc[-1]['origin']}: share: the shares of {elements} at {stage} in "
                    f"{year} add up to {total:g} %, over 100 %: correct them"
                )
