"""Every table a run computes with, from the user's folder where it has one, else shipped.

``--tables FOLDER`` and :meth:`~mineralcalc.model.catalog.Catalog.from_tables` name a folder of
the user's tables. Any table the package ships may be in it: the catalog's (``items.csv``,
``parts.csv``, ``sources.csv``) and every other one (world output, ores, outlooks, end uses,
prices, lifetimes, recycling, validation, reserves ...). A :class:`TableSet` resolves each
table to the user's file when the folder has one and to the shipped file otherwise, reads each
once, and says which ones were the user's (:attr:`TableSet.own`), so that an answer can say
what it was computed from. A file in the folder that is no table of the package is an error
naming the closest table: a table that changes nothing would be a silent wrong answer.

References
----------
``tables/README.md`` documents every table's columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import TableError, suggest
from .csvtable import SCHEMAS, shipped_sources, shipped_tables
from .market_tables import (
    EndUses,
    read_clearing,
    read_end_use_elements,
    read_end_uses,
    shipped_clearing,
    shipped_end_uses,
)
from .reserve_tables import read_reserves, shipped_reserves
from .security_tables import SecurityTables, read_security_tables, shipped_security_tables
from .stock_tables import StockTables, read_stock_tables, shipped_stock_tables
from .supply_tables import SupplyTables, read_supply_tables, shipped_supply_tables
from .validation_tables import (
    read_price_moves,
    read_validation,
    shipped_price_moves,
    shipped_validation,
)

__all__ = ["CATALOG_TABLES", "TABLES", "TableSet", "shipped_table_set"]

TABLES = tuple(SCHEMAS)
"""Every table the package reads (``tables/README.md``)."""

CATALOG_TABLES = ("items.csv", "parts.csv", "sources.csv")
"""The tables a catalog is built from; the rest are read by the lenses."""


class TableSet:
    """The tables of a run: the user's where ``folder`` has them, else the shipped ones.

    Parameters
    ----------
    folder : path or None
        The user's folder (None: the shipped tables only).
    sources : mapping, optional
        Source records by key that the user's tables may cite (default: the shipped ones and
        the folder's ``sources.csv``).

    Raises
    ------
    TableError
        ``folder`` is not a folder, or holds a ``.csv`` file that is no table of the package
        (the message names the closest table).
    """

    def __init__(
        self, folder: Any = None, sources: Mapping[str, Mapping[str, Any]] | None = None
    ) -> None:
        self.folder = None if folder is None else Path(folder)
        own: tuple[str, ...] = ()
        if self.folder is not None:
            if not self.folder.is_dir():
                raise TableError(f"{self.folder}: not a folder of tables (see tables/README.md)")
            names = sorted(p.name for p in self.folder.glob("*.csv"))
            for name in names:
                if name not in TABLES:
                    raise TableError(
                        f"{self.folder / name}: not a table of mineralcalc "
                        f"({suggest(name, TABLES)}); rename it, or move it out of the folder, "
                        "since it would change nothing"
                    )
            own = tuple(names)
        self.own: tuple[str, ...] = own
        """The tables taken from the user's folder, by file name."""
        self._sources = sources
        self._validation: dict[frozenset[str], pd.DataFrame] = {}

    def __repr__(self) -> str:
        if self.folder is None:
            return "<TableSet: shipped>"
        return f"<TableSet {self.folder}: {', '.join(self.own) or 'no tables'}; the rest shipped>"

    def path(self, name: str) -> Path:
        """Where ``name`` is read from: the user's folder if it has the file, else shipped."""
        if name not in TABLES:
            raise TableError(f"{name}: not a table of mineralcalc ({suggest(name, TABLES)})")
        if self.folder is not None and name in self.own:
            return self.folder / name
        return shipped_tables() / name

    def own_of(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """Which of ``names`` are the user's."""
        return tuple(n for n in names if n in self.own)

    @cached_property
    def sources(self) -> Mapping[str, Mapping[str, Any]]:
        """Source records the tables may cite: the shipped ones, and the folder's."""
        if self._sources is not None:
            return self._sources
        merged: dict[str, Mapping[str, Any]] = dict(shipped_sources())
        if "sources.csv" in self.own:
            from .csvtable import read_sources

            merged.update(read_sources(self.path("sources.csv")))
        return merged

    def _mine(self, names: tuple[str, ...]) -> bool:
        return bool(self.own_of(names))

    # ------------------------------------------------------------------ tables by concept
    @cached_property
    def supply(self) -> SupplyTables:
        """World output, groups, ores, unrecorded output, secondary supply, outlooks."""
        if not self._mine(SUPPLY_TABLES):
            return shipped_supply_tables()
        return read_supply_tables(self.path, self.sources)

    @cached_property
    def stock(self) -> StockTables:
        """Lifetimes, the end-of-life chain and historical inflow."""
        if not self._mine(STOCK_TABLES):
            return shipped_stock_tables()
        return read_stock_tables(self.path, dict(self.sources))

    @cached_property
    def security(self) -> SecurityTables:
        """Dated prices and regional demand shares."""
        if not self._mine(SECURITY_TABLES):
            return shipped_security_tables()
        supply = self.supply
        return read_security_tables(self.path, dict(self.sources), supply.places, supply.groups)

    @cached_property
    def end_uses(self) -> EndUses:
        """Published demand by end use, expanded to elements."""
        if not self._mine(("end_uses.csv", "end_use_elements.csv")):
            return shipped_end_uses()
        splits = read_end_use_elements(self.path("end_use_elements.csv"), self.sources)
        return read_end_uses(self.path("end_uses.csv"), self.sources, splits)

    @cached_property
    def clearing(self) -> pd.DataFrame:
        """How the uses of elements whose market clears grow."""
        if not self._mine(("clearing.csv",)):
            return shipped_clearing()
        return read_clearing(self.path("clearing.csv"), self.sources)

    @cached_property
    def price_moves(self) -> pd.DataFrame:
        """How prices moved in a year, for validate's price check."""
        if not self._mine(("price_moves.csv",)):
            return shipped_price_moves()
        return read_price_moves(self.path("price_moves.csv"), self.sources)

    @cached_property
    def reserves(self) -> pd.DataFrame:
        """Reserves by commodity and country (``reserves.csv``), their countries checked
        against ``countries.csv`` and their commodities and bases against ``supply.csv``
        (:func:`~mineralcalc.data.reserve_tables.read_reserves`)."""
        if not self._mine(("reserves.csv", "countries.csv", "supply.csv")):
            return shipped_reserves()
        supply = self.supply
        return read_reserves(self.path("reserves.csv"), self.sources, supply.places, supply.supply)

    def validation(self, metrics: set[str]) -> pd.DataFrame:
        """Published figures to validate against, each naming one of ``metrics``."""
        if not self._mine(("validation.csv",)):
            return shipped_validation(metrics)
        key = frozenset(metrics)
        if key not in self._validation:
            self._validation[key] = read_validation(
                self.path("validation.csv"), self.sources, metrics
            )
        return self._validation[key]


SUPPLY_TABLES = (
    "supply.csv",
    "countries.csv",
    "country_groups.csv",
    "ore_types.csv",
    "country_ores.csv",
    "secondary.csv",
    "unrecorded.csv",
    "outlook.csv",
)
STOCK_TABLES = (
    "lifetimes.csv",
    "recycling.csv",
    "history.csv",
    "use_lifetimes.csv",
    "use_history.csv",
)
SECURITY_TABLES = ("prices.csv", "regional.csv")


@cache
def shipped_table_set() -> TableSet:
    """The shipped tables, one set shared by every run that gives no folder."""
    return TableSet(None)
