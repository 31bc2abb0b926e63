"""Reading the catalog tables (``items.csv``, ``parts.csv``) into plain records.

The cells are read and checked by :mod:`mineralcalc.data.csvtable` (``file:row: column:
problem (hint)``): ids, units, numbers, ranges, sources. Each record keeps its row, so the
model (:mod:`mineralcalc.model.records`, which builds the items) and the catalog's graph
checks (dimensions, cycles, fractions over 100 %) can name it too.

This is the only module that reads the catalog's files (data -> model -> engine).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import MineralcalcError, TableError, suggest
from ..estimate import BALANCE, Estimate
from ..units import parse_unit
from .columns import Columns, read_columns
from .csvtable import (
    QUALITIES,
    SCHEMAS,
    Row,
    check_source,
    read_sources,
    read_table,
    shipped_sources,
    shipped_tables,
)
from .part_table import PartTable, items_fast, parts_fast

__all__ = [
    "QUALITIES",
    "SCHEMAS",
    "ItemRecord",
    "PartRecord",
    "PartTable",
    "TableRecords",
    "read_folder",
    "read_sources",
    "read_table",
    "shipped_sources",
    "shipped_tables",
]


class ItemRecord(NamedTuple):
    """One row of ``items.csv``, its cells checked; ``fields`` are the Item's keywords.

    A named tuple: a catalog of 78,000 items makes 78,000 of them.
    """

    fields: dict[str, Any]
    source_row: Row | None = None
    columns: Columns | None = None
    k: int = -1

    @property
    def row(self) -> Row:
        """The row, to name in an error (built on demand for tables read by column)."""
        if self.source_row is not None:
            return self.source_row
        assert self.columns is not None
        return self.columns.row(self.k)


@dataclass(frozen=True)
class PartRecord:
    """One row of ``parts.csv``: the line's amount (an Estimate or ``'balance'``), yield and
    recycled fraction (Estimates or plain numbers), source and note."""

    row: Row
    amount: Any
    yield_: Any
    recycled: Any
    source: str | None
    note: str | None

    @property
    def origin(self) -> str:
        return f"{self.row.file}:{self.row.line}"


@dataclass(frozen=True)
class TableRecords:
    """The records of a folder of catalog tables."""

    items: dict[str, ItemRecord]
    parts: dict[str, dict[str, PartRecord]]
    """Part lines by parent, then child (tables read row by row)."""
    sources: dict[str, Mapping[str, Any]]
    """Source records: the base's, updated by the folder's ``sources.csv``."""
    part_table: PartTable | None = None
    """The part lines as arrays (tables read by column: every valid table)."""


# --------------------------------------------------------------------------- items and parts
def _read_items(path: Path, sources: Mapping[str, Any]) -> dict[str, ItemRecord]:
    out: dict[str, ItemRecord] = {}
    for row in read_table(path, "items.csv"):
        item_id = row.ident("id")
        assert item_id is not None
        if item_id in out:
            first = out[item_id].row
            raise row.error("id", f"{item_id!r} is defined twice (first at row {first.line})")
        basis = row.text("basis", required=True)
        assert basis is not None
        try:
            parse_unit(basis)
        except MineralcalcError as e:
            raise row.error("basis", str(e)) from None
        srcs = []
        for key in (row.get("sources") or "").split(";"):
            key = key.strip()
            if key and key not in sources:
                raise row.error("sources", f"unknown source {key!r} ({suggest(key, sources)})")
            if key:
                srcs.append(key)
        out[item_id] = ItemRecord(
            {
                "basis": basis,
                "name": row.text("name"),
                "kind": row.text("kind"),
                "alternative_of": row.ident("alternative_of", required=False),
                "sources": tuple(srcs),
                "note": row.text("note"),
                "origin": f"{row.file}:{row.line}",
            },
            row,
        )
    return out


def _read_parts(path: Path, sources: Mapping[str, Any]) -> dict[str, dict[str, PartRecord]]:
    out: dict[str, dict[str, PartRecord]] = {}
    first: dict[tuple[str, str], int] = {}
    for row in read_table(path, "parts.csv"):
        parent, child = row.ident("parent"), row.ident("child")
        assert parent is not None and child is not None
        if (parent, child) in first:
            raise row.error(
                "child",
                f"{parent!r} -> {child!r} is listed twice (first at row {first[parent, child]})",
            )
        first[parent, child] = row.line
        central_text = row.get("central")
        balance = central_text.lower() == BALANCE
        amount: Any
        if balance:
            amount = BALANCE
            for col in ("low", "high"):
                if row.get(col):
                    raise row.error(col, "a 'balance' part has no range: leave low and high empty")
        else:
            unit = row.get("unit")
            try:
                u = parse_unit(unit)
            except MineralcalcError as e:
                raise row.error("unit", str(e)) from None
            lo, c, hi = row.number("low"), row.number("central"), row.number("high")
            if c is None and (lo is None or hi is None):
                raise row.error("central", "empty: give central, or low and high")
            try:
                amount = Estimate(low=lo, central=c, high=hi, dist=row.text("dist"), unit=u)
            except MineralcalcError as e:
                raise row.error("central" if c is not None else "low", str(e)) from None
        ys = [row.number(c) for c in ("yield_low", "yield", "yield_high")]
        if any(v is not None for v in ys):
            if ys[1] is None and (ys[0] is None or ys[2] is None):
                raise row.error("yield", "give yield, or yield_low and yield_high")
            try:
                yield_: Any = Estimate(low=ys[0], central=ys[1], high=ys[2])
            except MineralcalcError as e:
                raise row.error("yield", str(e)) from None
        else:
            yield_ = 1.0
        rs = [row.number(c) for c in ("recycled_low", "recycled", "recycled_high")]
        recycled: Any = 0.0
        if any(v is not None for v in rs):
            if yield_ == 1.0:
                raise row.error(
                    "recycled", "a recycled fraction needs a yield below 1 (it recycles the loss)"
                )
            if rs[1] is None and (rs[0] is None or rs[2] is None):
                raise row.error("recycled", "give recycled, or recycled_low and recycled_high")
            try:
                recycled = Estimate(low=rs[0], central=rs[1], high=rs[2])
            except MineralcalcError as e:
                raise row.error("recycled", str(e)) from None
        source = check_source(row, "source", sources, required=not balance)
        out.setdefault(parent, {})[child] = PartRecord(
            row, amount, yield_, recycled, source, row.text("note")
        )
    return out


def read_folder(folder: Any, base_sources: Mapping[str, Any] | None = None) -> TableRecords:
    """Read a folder of catalog tables: ``items.csv``, ``parts.csv``, ``sources.csv``.

    ``base_sources`` are the source keys already known (the shipped ones when merging); the
    folder's ``sources.csv`` adds to or replaces them.

    Raises
    ------
    TableError
        Not a folder, no tables in it (without a base), or ``file:row: column: problem
        (hint)`` for any bad cell.
    """
    root = Path(folder)
    if not root.is_dir():
        raise TableError(
            f"{root}: not a folder of tables (expected items.csv, parts.csv, sources.csv)"
        )
    present = {p.name for p in root.glob("*.csv")}
    if base_sources is None and not present & {"items.csv", "parts.csv"}:
        raise TableError(f"{root}: no items.csv or parts.csv found")
    sources: dict[str, Mapping[str, Any]] = dict(base_sources or {})
    if "sources.csv" in present:
        sources.update(read_sources(root / "sources.csv"))
    items: dict[str, ItemRecord] = {}
    if "items.csv" in present:  # by column when every cell is valid, else row by row
        cols = read_columns(root / "items.csv")
        fast = items_fast(cols, sources)
        items = (
            {i: ItemRecord(f, columns=cols, k=k) for k, (i, f) in enumerate(fast)}
            if fast is not None
            else _read_items(root / "items.csv", sources)
        )
    if "parts.csv" not in present:
        return TableRecords(items, {}, sources)
    table = parts_fast(read_columns(root / "parts.csv"), sources)
    if table is not None:
        return TableRecords(items, {}, sources, table)
    return TableRecords(items, _read_parts(root / "parts.csv", sources), sources)
