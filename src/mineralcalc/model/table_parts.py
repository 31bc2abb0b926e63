"""Part lines read from a table, kept as arrays until someone asks for one.

:func:`~mineralcalc.data.catalog_tables.read_folder` reads a valid ``parts.csv`` by column
into a :class:`~mineralcalc.data.part_table.PartTable`. Its items hold :class:`TableParts`:
a mapping of child id to :class:`~mineralcalc.model.items.Part` that builds each Part on
first access. The catalog compiles such items straight from the table's arrays
(:mod:`mineralcalc.model.compile`), so loading 150,000 lines makes no Part objects at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import pint

from ..estimate import Estimate
from ..units import is_mass, parse_unit
from .items import Item, Part

__all__ = ["TableParts", "item_from_table"]

_DIMENSIONLESS = parse_unit("")
_NONE_RECYCLED = Estimate.from_checked(0.0, 0.0, 0.0, _DIMENSIONLESS, "fixed")
_NO_LOSS = Estimate.from_checked(1.0, 1.0, 1.0, parse_unit(""), "fixed")


class TableParts(Mapping[str, Part]):
    """An item's part lines read from a table, kept as rows of a
    :class:`~mineralcalc.data.part_table.PartTable`: a :class:`Part` is built when one is
    asked for, so a catalog of 150,000 lines loads without 150,000 objects. The catalog
    compiles the rows straight from the table's arrays."""

    __slots__ = ("_built", "_index", "rows", "table")

    def __init__(self, table: Any, rows: Sequence[int]) -> None:
        self.table, self.rows = table, rows
        self._index: dict[str, int] | None = None  # built on first use
        self._built: dict[str, Part] = {}

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {self.table.child[k]: k for k in self.rows}
        return self._index

    def __getitem__(self, child: str) -> Part:
        part = self._built.get(child)
        if part is None:
            part = self._built[child] = self._part(self.index[child])
        return part

    def __iter__(self) -> Iterator[str]:
        return (self.table.child[k] for k in self.rows)

    def __contains__(self, child: object) -> bool:
        return child in self.index

    def __len__(self) -> int:
        return len(self.rows)

    def sources(self) -> Iterator[tuple[str, str | None]]:
        """(child, source key) of each line, without building the lines."""
        t = self.table
        return ((t.child[k], t.source[k]) for k in self.rows)

    def _part(self, k: int) -> Part:
        t = self.table
        a, y_, r_ = t.amount[:, k].tolist(), t.yields[:, k].tolist(), t.recycled[:, k].tolist()
        amount = (
            None if t.balance[k] else Estimate.from_checked(a[0], a[1], a[2], t.unit[k], t.dist[k])
        )
        y = (
            Estimate.from_checked(y_[0], y_[1], y_[2], _DIMENSIONLESS, t.yield_dist[k])
            if t.lossy[k]
            else _NO_LOSS
        )
        r = (
            Estimate.from_checked(r_[0], r_[1], r_[2], _DIMENSIONLESS, t.recycled_dist[k])
            if r_[2] > 0
            else _NONE_RECYCLED
        )
        part = object.__new__(Part)
        part.__attrs_init__(amount, y, bool(t.balance[k]), t.source[k], t.note[k], t.origin(k), r)
        return part


@lru_cache(maxsize=1024)
def _basis(text: str) -> tuple[pint.Unit, bool]:
    """A basis cell's unit and whether it is a mass (a catalog has a handful of bases)."""
    unit = parse_unit(text)
    return unit, is_mass(unit)


def item_from_table(item_id: str, parts: TableParts, fields: Mapping[str, Any]) -> Item:
    """An :class:`Item` from checked table cells (``fields``: the Item's keywords, the
    basis as text), without checking them again (the reader did: ids, units, kinds,
    sources, one balance per item). A balance part on an item whose basis is not a mass
    goes through the full constructor, which says so."""
    unit, mass = _basis(fields["basis"])
    if not mass and item_id in parts.table.balanced:
        return Item(item_id, parts=dict(parts), **fields)
    item = object.__new__(Item)
    item.__attrs_init__(
        item_id,
        unit,
        parts,
        fields["name"],
        fields["kind"],
        tuple(fields["sources"]),
        fields["note"],
        fields["alternative_of"],
        fields["origin"],
    )
    return item
