"""What the columns of the world-output tables hold: unit (or kind of value) and meaning.

The tables of supply: ``supply.csv``, ``countries.csv``, ``country_groups.csv``,
``ore_types.csv``, ``country_ores.csv``, ``unrecorded.csv``, ``outlook.csv``,
``secondary.csv`` and ``reserves.csv``, as :mod:`mineralcalc.data.supply_tables` and
:mod:`mineralcalc.data.reserve_tables` read them. Only what differs from the shared columns
(:data:`~mineralcalc.data.column_kinds.COMMON`) is given here;
:func:`~mineralcalc.data.table_columns.column_docs` puts the two together.
"""

from __future__ import annotations

from .column_kinds import (
    COMMODITY,
    COUNTRY,
    ELEMENTS,
    GROUP,
    IN_UNIT,
    ISO3,
    MASS_UNIT,
    ORE_TYPE,
    PERCENT,
    RARE_EARTH,
    SOURCE_KEY,
    TEXT,
    YEAR,
    Described,
    one_of,
)
from .stages import BASES, SECONDARY_KINDS, STAGES

__all__ = ["SUPPLY_COLUMNS"]

_SHARE_OR_UNIT = "in the row's `unit`, or percent with `share`"

SUPPLY_COLUMNS: dict[str, dict[str, Described]] = {
    "supply.csv": {
        "commodity": Described(COMMODITY, "the commodity (`REE`, `Li`, `Co`, `graphite` ...)"),
        "country": Described(
            f"{COUNTRY}, `World` or `Other`",
            "the producer; `World`: the source's total, `Other`: its residual",
        ),
        "year": Described(YEAR, "the year of output"),
        "stage": Described(
            one_of(STAGES),
            "the stage of the chain; for rare earths, refining is separation into oxides",
        ),
        "elements": Described(
            ELEMENTS,
            "the rare earths a row's share is of (empty: every element of the commodity); "
            "such rows override the commodity's rows of the stage for those elements",
        ),
        "amount": Described(IN_UNIT, "output (give `amount` or `share`)"),
        "share": Described(PERCENT, "share of world output, where the source gives only that"),
    },
    "countries.csv": {
        "country": Described(TEXT, "the country's spelling in USGS's Mineral Commodity Summaries"),
        "iso3": Described(ISO3, "the country's code (`KOR`)"),
        "aliases": Described("names, `;`-separated", "other spellings, read as this country"),
        "source": Described(SOURCE_KEY, "the source of the country's name and code"),
    },
    "country_groups.csv": {
        "group": Described(GROUP, "the group's name (`Minerals Security Partnership`)"),
        "country": Described(f"{COUNTRY}, or a group", "a member of the group"),
        "source": Described(SOURCE_KEY, "the source of the membership"),
    },
    "ore_types.csv": {
        "ore_type": Described(ORE_TYPE, "the ore (deposit) type; its rows give its distribution"),
        "element": Described(RARE_EARTH, "a rare earth the ore holds"),
        "share": Described(PERCENT, "the element's oxide in percent of the type's total REO"),
        "name": Described(TEXT, "a readable name of the type"),
    },
    "country_ores.csv": {
        "country": Described(f"{COUNTRY}, or `Other`", "the producer"),
        "ore_type": Described(ORE_TYPE, "an ore type the country mines"),
        "share": Described(PERCENT, "the type's share of the country's rare-earth output"),
    },
    "unrecorded.csv": {
        "year": Described(YEAR, "the year of the unrecorded output"),
        "ore_type": Described(ORE_TYPE, "the ore it is (empty: the country's mix)"),
        "amount": Described(
            IN_UNIT, "output left out of the records (rare earths: REO); give `amount` or `share`"
        ),
        "low": Described(_SHARE_OR_UNIT, "the low end of the amount or share"),
        "high": Described(_SHARE_OR_UNIT, "the high end of the amount or share"),
        "share": Described(
            PERCENT, "unrecorded output as a share of the country's recorded output"
        ),
        "unit": Described(
            MASS_UNIT, "the unit of `amount`, `low` and `high` (may be empty with `share`)"
        ),
    },
    "outlook.csv": {
        "stage": Described(one_of(STAGES), "the stage of the chain"),
        "country": Described(
            f"{COUNTRY}, `World` or `Rest of world`",
            "the producer; `Rest of world`: every country the outlook does not name",
        ),
        "amount": Described(
            IN_UNIT, "the outlook's output; only its ratios between years are used"
        ),
        "unit": Described(MASS_UNIT, "the unit of `amount`"),
        "measure": Described(TEXT, "what the figures count (may differ from supply.csv's)"),
    },
    "secondary.csv": {
        "kind": Described(
            one_of(SECONDARY_KINDS), "process scrap recycled within the year, or end of life"
        ),
        "basis": Described(one_of(("oxide", "metal")), "what the amount counts"),
        "country": Described(COUNTRY, "where it is recycled (empty: `World`)"),
        "amount": Described(IN_UNIT, "recycled output (give `amount` or `share`)"),
        "low": Described(_SHARE_OR_UNIT, "the low end of the amount or share"),
        "high": Described(_SHARE_OR_UNIT, "the high end of the amount or share"),
        "share": Described(PERCENT, "recycled output as a share of the element's primary output"),
        "unit": Described(
            MASS_UNIT, "the unit of `amount`, `low` and `high` (may be empty with `share`)"
        ),
    },
    "reserves.csv": {
        "commodity": Described(COMMODITY, "a commodity of supply.csv, spelt as it spells it"),
        "country": Described(
            f"{COUNTRY}, `World` or `Other`",
            "the country; `World`: the source's total, `Other`: its residual",
        ),
        "year": Described(YEAR, "the year of the estimate (the lens uses each commodity's latest)"),
        "basis": Described(
            one_of(BASES), "the basis supply.csv gives the commodity's mine output in"
        ),
        "reserves": Described(IN_UNIT, "the reserves"),
        "unit": Described(MASS_UNIT, "the unit of `reserves`"),
    },
}
"""Each world-output table's columns that differ from the shared ones, by file name."""
