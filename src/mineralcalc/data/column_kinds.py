"""The words the table reference describes columns with: kinds of value and shared columns.

A column of numbers is described by its unit (``percent (0-100)``, ``yr``, :data:`IN_UNIT`:
converted with the row's own ``unit``); a column of words by the kind of value it holds
(:data:`SOURCE_KEY`, :data:`COUNTRY`, a list of allowed words made with :func:`one_of` from
the loaders' own constants). :data:`ID_KINDS` are the kinds whose cells are ids, and
:data:`COMMON` describes the columns many tables share (``source``, ``note``, ``year``,
``country``, ``unit``, ``amount`` ...); :mod:`mineralcalc.data.table_columns` adds each
table's own columns and overrides what differs.
"""

from __future__ import annotations

from typing import NamedTuple

from .stages import BASES

__all__ = [
    "COMMODITY",
    "COMMON",
    "COUNTRY",
    "ELEMENT",
    "ELEMENTS",
    "ELEMENT_OR_ALL",
    "ELEMENT_OR_GROUP",
    "END_USE",
    "GROUP",
    "ID_KINDS",
    "IN_UNIT",
    "ISO3",
    "ITEM_ID",
    "KEY",
    "MASS_UNIT",
    "METRIC",
    "ORE_TYPE",
    "PERCENT",
    "PRODUCT_ID",
    "PRODUCT_IDS",
    "PRODUCT_OR_ALL",
    "RARE_EARTH",
    "SOURCE_KEY",
    "SOURCE_KEYS",
    "TEXT",
    "YEAR",
    "Described",
    "one_of",
]


def one_of(words: tuple[str, ...], *, empty: str | None = None) -> str:
    """The kind of a column of fixed words.

    Parameters
    ----------
    words : tuple of str
        The words a cell may hold (a loader's own constant, e.g.
        :data:`~mineralcalc.data.stages.STAGES`).
    empty : str, optional
        What an empty cell means, if it may be empty.

    Returns
    -------
    str
        ``one of `a`, `b` (empty: ...)``.
    """
    listed = ", ".join(f"`{w}`" for w in words)
    return f"one of {listed}" + (f" (empty: {empty})" if empty else "")


# The kinds of value of columns of words (and the two units that depend on the row).
SOURCE_KEY = "source key into sources.csv"
KEY = "id (unique in the file)"
ITEM_ID = "item id (items.csv, or a built-in element or oxide)"
PRODUCT_ID = "product id (items.csv)"
ELEMENT = "element symbol"
RARE_EARTH = "rare-earth element symbol"
ELEMENT_OR_GROUP = "element symbol or element group (`magnet REE`, `REE` ...)"
COMMODITY = "commodity id (`REE`, `Li` ...)"
ORE_TYPE = "ore type id (ore_types.csv)"
END_USE = "end-use id"
COUNTRY = "country name or alias (countries.csv)"
YEAR = "calendar year"
TEXT = "text"
PERCENT = "percent (0-100)"
IN_UNIT = "in the row's `unit`"
MASS_UNIT = "a pint mass unit for this row's amounts (`t`, `kt`, `Mt`); read as t"
ISO3 = "ISO 3166-1 alpha-3 code"
GROUP = "group id"
METRIC = "metric id (mineralcalc.lenses.metrics)"
SOURCE_KEYS = "source keys into sources.csv, `;`-separated"
PRODUCT_IDS = "product ids (items.csv), `;`-separated, `|` between alternatives"
PRODUCT_OR_ALL = "product id (items.csv), or `*` for every product"
ELEMENT_OR_ALL = "element symbol, or `*` for every element"
ELEMENTS = "element symbols, `;`-separated"

ID_KINDS = frozenset(
    {
        SOURCE_KEY,
        KEY,
        ITEM_ID,
        PRODUCT_ID,
        ELEMENT,
        RARE_EARTH,
        ELEMENT_OR_GROUP,
        COMMODITY,
        ORE_TYPE,
        END_USE,
        ISO3,
        GROUP,
        METRIC,
        SOURCE_KEYS,
        PRODUCT_IDS,
        PRODUCT_OR_ALL,
        ELEMENT_OR_ALL,
        ELEMENTS,
    }
)
"""The kinds of value that are ids: cells that name or define something other cells, tables,
the catalog or a built-in list refer to, matched exactly as written. A column holds ids
(``Schema.ids``) exactly when its kind is one of these; country names are not ids (aliases
and any case are read as the country)."""


class Described(NamedTuple):
    unit: str
    meaning: str


COMMON: dict[str, Described] = {
    "source": Described(SOURCE_KEY, "the source of the row's figures"),
    "note": Described(TEXT, "caveats, for readers (not computed with)"),
    "year": Described(YEAR, "the year the row's figures are for"),
    "country": Described(COUNTRY, "the country the row's figures are for"),
    "commodity": Described(COMMODITY, "the commodity, spelt as supply.csv spells it"),
    "element": Described(ELEMENT, "the element the row's figures are for"),
    "unit": Described(MASS_UNIT, "the unit of the row's `amount`, `low` and `high`"),
    "low": Described(IN_UNIT, "the low end of the amount's range"),
    "high": Described(IN_UNIT, "the high end of the amount's range"),
    "product": Described(PRODUCT_ID, "the product the row is about"),
    "basis": Described(one_of(BASES), "what an amount counts: oxide (REO), metal, or content"),
    "status": Described(
        "`alternative`, or empty",
        "`alternative`: another source's figure for the same fact, kept but not used in totals",
    ),
}
