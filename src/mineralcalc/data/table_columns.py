"""What every column of every table holds: its unit (or kind of value) and its meaning.

:data:`~mineralcalc.data.schemas.SCHEMAS` says which columns each table has; this module says
what each holds, as the loaders read it: the unit a number is given in (percent, years, or
the row's own ``unit`` column, which the loader converts with), or, for a column of words, the
kind of value (a source key, an element symbol, a country of ``countries.csv``, one of a
fixed list of words). The lists of allowed words are the loaders' own constants, so they
cannot drift from what the loaders accept. The documentation's table reference
(``docs/reference/tables.rst``) is generated from :func:`column_docs`, and a test fails when
a column of a schema has no description here.

Columns that many tables share (``source``, ``note``, ``year``, ``country``, ``unit``,
``amount``, ``share`` ...) are described once in :mod:`mineralcalc.data.column_kinds`, the
world-output tables' columns in :mod:`mineralcalc.data.supply_columns`; a table's entry
overrides what differs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import TableError, suggest
from ..estimate import DISTRIBUTIONS
from .column_kinds import (
    COMMON,
    COUNTRY,
    ELEMENT,
    ELEMENT_OR_ALL,
    ELEMENT_OR_GROUP,
    ELEMENTS,
    END_USE,
    IN_UNIT,
    ITEM_ID,
    KEY,
    METRIC,
    PERCENT,
    PRODUCT_IDS,
    PRODUCT_OR_ALL,
    SOURCE_KEY,
    SOURCE_KEYS,
    TEXT,
    YEAR,
    Described,
    one_of,
)
from .csvtable import QUALITIES
from .market_tables import COVERS
from .market_tables import STAGES as DEMAND_STAGES
from .schemas import SCHEMAS
from .stock_tables import EOL_STAGES, LIFETIME_KINDS, USE_KINDS
from .supply_columns import SUPPLY_COLUMNS
from .validation_tables import KINDS as VALIDATION_KINDS

__all__ = ["ColumnDoc", "column_docs"]


_RATE = "a rate per year (`2 %/yr`, `0.9 (0.1 to 5.3) %/yr`)"

_TABLES: dict[str, dict[str, Described]] = {
    "sources.csv": {
        "key": Described(
            KEY, "the short id other tables cite; `estimate-...` marks this library's own"
        ),
        "citation": Described(TEXT, "authors, title, publisher or journal, and the figures used"),
        "quality": Described(one_of(QUALITIES), "how far to trust the source"),
        "year": Described(YEAR, "the year of publication"),
        "url": Described(TEXT, "DOI or web address (empty where none was read)"),
    },
    "items.csv": {
        "id": Described(KEY, "the item's id; elements (`Nd`) and oxides (`Nd2O3`) are built in"),
        "basis": Described(
            "a pint unit string (`unit`, `MW`, `kWh`, `kg`)", "the unit one item means"
        ),
        "name": Described(TEXT, "a readable name"),
        "kind": Described(
            one_of(("product", "technology", "component", "material", "element")),
            "what the item is",
        ),
        "alternative_of": Described(
            ITEM_ID, "the default item this one is a disputed alternative of (same basis)"
        ),
        "sources": Described(SOURCE_KEYS, "the sources of the item as a whole"),
    },
    "parts.csv": {
        "parent": Described(ITEM_ID, "the item that holds the part"),
        "child": Described(ITEM_ID, "the part held; one row per parent and child"),
        "central": Described(
            f"{IN_UNIT}, or `balance`",
            "amount of child per basis-unit of parent; `balance`: the rest of a mass-basis parent",
        ),
        "unit": Described(
            "a pint unit string for this row's amounts",
            "child basis per parent basis (`kg/MW`, `g`, `%` or `kg/kg` of a mass)",
        ),
        "low": Described(
            IN_UNIT, "the low end of the amount (with `high`: uniform if no `central`)"
        ),
        "high": Described(IN_UNIT, "the high end of the amount"),
        "dist": Described(
            one_of(DISTRIBUTIONS, empty="triangular, or uniform without `central`"),
            "the amount's distribution, for sampling",
        ),
        "yield": Described(
            "fraction in (0, 1]",
            "share of the child that ends up in the parent: it needs amount / yield",
        ),
        "yield_low": Described("fraction in (0, 1]", "the low end of the yield"),
        "yield_high": Described("fraction in (0, 1]", "the high end of the yield"),
        "recycled": Described(
            "fraction 0-1",
            "share of the line's loss recycled in a closed loop (needs a yield below 1)",
        ),
        "recycled_low": Described("fraction 0-1", "the low end of the recycled fraction"),
        "recycled_high": Described("fraction 0-1", "the high end of the recycled fraction"),
        "source": Described(SOURCE_KEY, "the source of the amount (empty only for `balance`)"),
    },
    "end_uses.csv": {
        "end_use": Described(END_USE, "the end use (`EVs`, `wind` ...)"),
        "element": Described(
            ELEMENT_OR_GROUP, "what is used; a group is split by end_use_elements.csv"
        ),
        "basis": Described(
            one_of(("oxide", "metal")), "what the amount counts; oxide is read as metal"
        ),
        "amount": Described(IN_UNIT, "published demand of the end use"),
        "covered_by": Described(
            PRODUCT_IDS,
            "the products that model the end use",
        ),
        "covers": Described(
            one_of(COVERS, empty="`all`"),
            "`part`: the figure counts more than its products hold and stays a floor",
        ),
        "stage": Described(
            one_of(DEMAND_STAGES, empty="`first use`"),
            "demand contained in products, or what industry buys (scrap included)",
        ),
        "growth": Described(_RATE, "growth beyond the last year given (empty: held)"),
        "growth_source": Described(SOURCE_KEY, "the source of the growth (needed with `growth`)"),
    },
    "end_use_elements.csv": {
        "end_use": Described(END_USE, "the end use of end_uses.csv whose group this splits"),
        "group": Described(ELEMENT_OR_GROUP, "the group split"),
        "element": Described(ELEMENT, "a member of the group"),
        "share": Described(
            PERCENT, "the element's share of the group's mass; a split adds up to 100"
        ),
    },
    "validation.csv": {
        "id": Described(KEY, "the figure's id"),
        "quantity": Described(TEXT, "what the published figure is"),
        "metric": Described(METRIC, "the computed figure compared"),
        "value": Described(IN_UNIT, "the published figure"),
        "unit": Described(
            "a pint unit string: a mass, an energy, a power, a count, or `%`",
            "the unit of `value`",
        ),
        "year": Described(YEAR, "the year of the figure"),
        "tolerance": Described("percent of `value`", "how far the computed figure may lie from it"),
        "kind": Described(
            one_of(VALIDATION_KINDS, empty="`validation`"),
            "what the figure tests; `calibration` and `context` are not counted",
        ),
        "tolerance_basis": Described(
            TEXT, "where the tolerance comes from (needed for a counted row)"
        ),
        "reason": Described(TEXT, "why a figure lies outside its tolerance, where known"),
    },
    "price_moves.csv": {
        "element": Described(ELEMENT, "the element whose market the move is checked against"),
        "year": Described(YEAR, "the year of the move"),
        "change": Described("percent (above -100)", "the move (`-26`: a fall of 26 %)"),
        "product": Described(TEXT, "what was priced"),
        "measure": Described(TEXT, "how it was measured (annual averages, start to end of year)"),
    },
    "clearing.csv": {
        "element": Described(ELEMENT, "an element whose market clears in the base year"),
        "growth": Described(_RATE, "growth of its unmodelled uses after the base year"),
    },
    "lifetimes.csv": {
        "distribution": Described(one_of(LIFETIME_KINDS), "the lifetime distribution"),
        "mean": Described("yr", "mean lifetime (`fixed`, `normal`, `lognormal`)"),
        "sd": Described("yr", "standard deviation of the lifetime (`normal`, `lognormal`)"),
        "shape": Described("dimensionless", "Weibull shape"),
        "scale": Described("yr", "Weibull scale"),
        "low": Described(
            "yr", "the low end of the mean (Weibull: of the scale), for the Monte Carlo"
        ),
        "high": Described("yr", "the high end of the mean (Weibull: of the scale)"),
    },
    "use_lifetimes.csv": {
        "end_use": Described(END_USE, "an end use no product models (`NdFeB magnets, other uses`)"),
        "elements": Described(ELEMENTS, "the elements whose other uses it takes (`Nd;Pr`)"),
        "share": Described(PERCENT, "its share of those elements' other uses"),
        "distribution": Described(
            one_of(USE_KINDS), "the lifetime distribution; `dissipative`: enters no stock"
        ),
        "mean": Described("yr", "mean lifetime (`fixed`, `normal`, `lognormal`)"),
        "sd": Described("yr", "standard deviation of the lifetime (`normal`, `lognormal`)"),
        "shape": Described("dimensionless", "Weibull shape"),
        "scale": Described("yr", "Weibull scale"),
        "low": Described("yr", "the low end of the mean (Weibull: of the scale)"),
        "high": Described("yr", "the high end of the mean (Weibull: of the scale)"),
    },
    "use_history.csv": {
        "end_use": Described(END_USE, "an end use of `use_lifetimes.csv`"),
        "year": Described(YEAR, "a year before the scenario's first"),
        "amount": Described(IN_UNIT, "the end use's world total that year, all products included"),
        "unit": Described("a mass unit (`t`, `kt`; empty: `t`)", "the unit of `amount`"),
        "material": Described(ITEM_ID, "the catalog material the amount is a mass of"),
    },
    "recycling.csv": {
        "product": Described(PRODUCT_OR_ALL, "the product"),
        "element": Described(ELEMENT_OR_ALL, "the element"),
        "stage": Described(one_of(EOL_STAGES), "the step of the end-of-life chain"),
        "value": Described(PERCENT, "the step's rate (collected, freed, or recovered)"),
        "low": Described(PERCENT, "the low end of the rate"),
        "high": Described(PERCENT, "the high end of the rate"),
    },
    "prices.csv": {
        "product": Described(TEXT, "what is priced (`Neodymium oxide 99.5% min`)"),
        "element": Described(ELEMENTS, "the element(s) priced (`Nd;Pr`)"),
        "form": Described(TEXT, "`oxide`, `metal`, `cathode`, `carbonate` ..."),
        "content": Described(
            PERCENT, "the element in the priced mass (empty: oxide's formula, metal 100)"
        ),
        "year": Described(YEAR, "the year of the price"),
        "period": Described(TEXT, "what the price covers (annual average, a date)"),
        "market": Described(TEXT, "where it is quoted (`FOB China`, `LME` ...)"),
        "price": Described(IN_UNIT, "the price (or `low` and `high`)"),
        "low": Described(IN_UNIT, "the low end of the price"),
        "high": Described(IN_UNIT, "the high end of the price"),
        "unit": Described(
            "a pint currency per mass (`USD/kg`, `CNY/t`, `cent/lb`)", "the unit of the prices"
        ),
        "status": Described(
            "`alternative`, or empty",
            "`alternative` on every row but the default one of each element and year",
        ),
    },
    "regional.csv": {
        "region": Described(
            f"{COUNTRY}, a group (country_groups.csv), or `Rest of world`",
            "where the demand is",
        ),
        "share": Described(PERCENT, "the region's share of the product's demand; adds up to 100"),
    },
    "history.csv": {
        "year": Described(YEAR, "a year before the scenario's first"),
        "amount": Described(
            f"{IN_UNIT} (empty: the product's basis)", "the product's volume that year"
        ),
        "unit": Described(
            "a pint unit string for this row's amounts (`GW`, `million`)",
            "the unit of `amount` (empty: the product's basis)",
        ),
    },
}


@dataclass(frozen=True)
class ColumnDoc:
    """One column of one table, as the documentation describes it.

    Attributes
    ----------
    table : str
        The table's file name (``supply.csv``).
    name : str
        The column's name in the header row.
    required : bool
        Whether every file of the table must have the column.
    holds_ids : bool
        Whether its cells are ids (``Schema.ids``): keys, symbols and codes matched exactly
        as written against another table, the catalog or a built-in list.
    unit : str
        The unit a number is given in (``percent (0-100)``, ``yr``, ``in the row's
        `unit```), or, for a column of words, the kind of value (``calendar year``,
        ``source key into sources.csv``, ``one of `mining`, `refining` ...``).
    meaning : str
        What the column holds, in one line.
    """

    table: str
    name: str
    required: bool
    holds_ids: bool
    unit: str
    meaning: str


def column_docs(table: str) -> tuple[ColumnDoc, ...]:
    """Every column of ``table`` with its unit or kind and meaning: required ones first.

    Parameters
    ----------
    table : str
        A table's file name, a key of :data:`~mineralcalc.data.schemas.SCHEMAS`.

    Returns
    -------
    tuple of ColumnDoc
        In the schema's order, required columns before optional ones.

    Raises
    ------
    TableError
        ``table`` is no table of the package (naming the closest), or one of its columns has
        no description in this module (add it to the table's entry).
    """
    if table not in SCHEMAS:
        raise TableError(f"{table}: not a table of mineralcalc ({suggest(table, SCHEMAS)})")
    schema = SCHEMAS[table]
    own = _TABLES.get(table) or SUPPLY_COLUMNS.get(table, {})
    out = []
    for name in (*schema.required, *schema.optional):
        doc = own.get(name) or COMMON.get(name)
        if doc is None:
            raise TableError(
                f"{table}: {name}: no unit and meaning in mineralcalc.data.table_columns "
                f"(add {name!r} to the {table!r} entry)"
            )
        out.append(
            ColumnDoc(
                table, name, name in schema.required, name in schema.ids, doc.unit, doc.meaning
            )
        )
    return tuple(out)
