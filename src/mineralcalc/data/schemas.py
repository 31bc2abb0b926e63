"""The columns of every shipped table: which are required, which optional, which hold ids.

:mod:`mineralcalc.data.csvtable` checks every file against its :class:`Schema` here (an unknown
column is an error, one starting with ``_`` is ignored); ``tables/README.md`` documents each.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SCHEMAS", "Schema"]


@dataclass(frozen=True)
class Schema:
    """Columns of one table: required, optional, and which hold ids.

    Attributes
    ----------
    required : tuple of str
        Columns every file of the table must have.
    optional : tuple of str
        Columns a file may have.
    ids : tuple of str
        Columns whose cells are ids: keys, symbols and codes that name or define something
        other cells, tables, the catalog or a built-in list refer to, matched exactly as
        written (source keys, item and product ids, element symbols, commodities, ore types,
        end uses, metrics, ISO codes). Country names are not ids: an alias or another case
        is read as the country.
    """

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


SCHEMAS: dict[str, Schema] = {
    "sources.csv": Schema(("key", "citation", "quality"), ("year", "url", "note"), ("key",)),
    "items.csv": Schema(
        ("id", "basis"),
        ("name", "kind", "alternative_of", "sources", "note"),
        ("id", "alternative_of", "sources"),
    ),
    "parts.csv": Schema(
        ("parent", "child", "central", "unit"),
        (
            "low",
            "high",
            "dist",
            "yield",
            "yield_low",
            "yield_high",
            "recycled",
            "recycled_low",
            "recycled_high",
            "source",
            "note",
        ),
        ("parent", "child", "source"),
    ),
    "supply.csv": Schema(
        ("commodity", "country", "year", "stage", "basis", "unit", "source"),
        ("elements", "amount", "share", "low", "high", "status", "note"),
        ("commodity", "elements", "source"),
    ),
    "countries.csv": Schema(("country", "iso3", "source"), ("aliases", "note"), ("iso3", "source")),
    "country_groups.csv": Schema(("group", "country", "source"), ("note",), ("group", "source")),
    "ore_types.csv": Schema(
        ("ore_type", "element", "share", "source"),
        ("name", "note"),
        ("ore_type", "element", "source"),
    ),
    "country_ores.csv": Schema(
        ("country", "year", "ore_type", "share", "source"), ("note",), ("ore_type", "source")
    ),
    "unrecorded.csv": Schema(
        ("commodity", "country", "year", "source"),
        ("ore_type", "amount", "low", "high", "share", "unit", "note"),
        ("commodity", "ore_type", "source"),
    ),
    "outlook.csv": Schema(
        ("commodity", "stage", "country", "year", "amount", "unit", "source"),
        ("measure", "note"),
        ("commodity", "source"),
    ),
    "secondary.csv": Schema(
        ("commodity", "element", "year", "kind", "basis", "unit", "source"),
        ("country", "amount", "low", "high", "share", "note"),
        ("commodity", "element", "source"),
    ),
    "end_uses.csv": Schema(
        ("commodity", "end_use", "element", "year", "basis", "unit", "amount", "source"),
        (
            "low",
            "high",
            "covered_by",
            "covers",
            "stage",
            "growth",
            "growth_source",
            "note",
        ),
        ("commodity", "end_use", "element", "covered_by", "source", "growth_source"),
    ),
    "validation.csv": Schema(
        ("id", "quantity", "metric", "value", "unit", "year", "tolerance", "source"),
        ("kind", "tolerance_basis", "reason", "note"),
        ("id", "metric", "source"),
    ),
    "price_moves.csv": Schema(
        ("element", "year", "change", "source"),
        ("product", "measure", "note"),
        ("element", "source"),
    ),
    "clearing.csv": Schema(
        ("commodity", "element", "growth", "source"),
        ("note",),
        ("commodity", "element", "source"),
    ),
    "end_use_elements.csv": Schema(
        ("end_use", "group", "element", "share", "source"),
        ("note",),
        ("end_use", "group", "element", "source"),
    ),
    "lifetimes.csv": Schema(
        ("product", "distribution", "source"),
        ("mean", "sd", "shape", "scale", "low", "high", "note"),
        ("product", "source"),
    ),
    "recycling.csv": Schema(
        ("product", "element", "stage", "value", "source"),
        ("year", "low", "high", "note"),
        ("product", "element", "source"),
    ),
    "prices.csv": Schema(
        ("product", "element", "form", "year", "unit", "source"),
        ("content", "period", "market", "price", "low", "high", "status", "note"),
        ("element", "source"),
    ),
    "regional.csv": Schema(
        ("product", "region", "year", "share", "source"), ("note",), ("product", "source")
    ),
    "history.csv": Schema(
        ("product", "year", "amount", "source"), ("unit", "note"), ("product", "source")
    ),
    "use_lifetimes.csv": Schema(
        ("end_use", "elements", "share", "distribution", "source"),
        ("mean", "sd", "shape", "scale", "low", "high", "note"),
        ("end_use", "elements", "source"),
    ),
    "use_history.csv": Schema(
        ("end_use", "year", "amount", "material", "source"),
        ("unit", "note"),
        ("end_use", "material", "source"),
    ),
    "reserves.csv": Schema(
        ("commodity", "country", "year", "basis", "reserves", "unit", "source"),
        ("note",),
        ("commodity", "source"),
    ),
}
