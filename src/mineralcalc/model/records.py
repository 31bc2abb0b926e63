"""Catalog tables into items: the records of a folder become items merged over a base.

:mod:`mineralcalc.data.catalog_tables` reads and checks the cells; here the records become
:class:`~mineralcalc.model.items.Item` and :class:`~mineralcalc.model.items.Part` objects and
are merged over a base catalog. Every error still names the file, row and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..data.catalog_tables import PartRecord, read_folder
from ..data.columns import no_gc
from ..errors import MineralcalcError, TableError, suggest
from .items import KINDS, Item, Part
from .table_parts import TableParts, item_from_table

__all__ = ["load_items"]


def _part(rec: PartRecord) -> Part:
    try:
        return Part(
            rec.amount,
            rec.yield_,
            recycled=rec.recycled,
            source=rec.source,
            note=rec.note,
            origin=rec.origin,
        )
    except MineralcalcError as e:
        text = str(e)
        col = next((c for c in ("recycled", "yield") if text.startswith(c)), "central")
        raise rec.row.error(col, text) from None


def load_items(
    folder: Any,
    base: Mapping[str, Item] | None = None,
    base_sources: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[list[Item], dict[str, Mapping[str, Any]]]:
    """The items and sources of the tables in ``folder``, merged over ``base``.

    ``items.csv`` defines items; an item with an id that ``base`` holds replaces it, with all
    its part lines. Rows of ``parts.csv`` whose parent is an item of ``base`` not redefined
    here add a line to it, or replace the line for that child. ``sources.csv`` adds source
    records (a key of ``base_sources`` is replaced). Without ``base`` the folder must hold
    ``items.csv`` or ``parts.csv``.

    Returns
    -------
    items : list of Item
        What a :class:`~mineralcalc.model.catalog.Catalog` is built from.
    sources : dict
        Source records by key.

    Raises
    ------
    TableError
        ``file:row: column: problem (hint)`` for any bad cell; errors found when the graph is
        checked (dimensions, unknown children, cycles) start with ``file:row`` too.
    """
    with no_gc():
        return _load(folder, base, base_sources)


def _load(
    folder: Any,
    base: Mapping[str, Item] | None,
    base_sources: Mapping[str, Mapping[str, Any]] | None,
) -> tuple[list[Item], dict[str, Mapping[str, Any]]]:
    records = read_folder(folder, dict(base_sources or {}) if base is not None else None)
    table = records.part_table
    parts: dict[str, Mapping[str, Part]] = {
        parent: {child: _part(rec) for child, rec in lines.items()}
        for parent, lines in records.parts.items()
    }
    if table is not None:  # read by column: the lines stay arrays until asked for
        parts = {p: TableParts(table, rows) for p, rows in table.by_parent.items()}
    existing = dict(base or {})
    built: dict[str, Item] = {}
    for item_id, rec in records.items.items():
        fields = rec.fields
        if fields["kind"] is not None and fields["kind"] not in KINDS:
            rec.row.choice("kind", KINDS, required=False)
        lines = parts.pop(item_id, {})
        try:
            if isinstance(lines, TableParts):
                built[item_id] = item_from_table(item_id, lines, fields)
            else:
                built[item_id] = Item(item_id, parts=lines, **fields)
        except MineralcalcError as e:
            raise type(e)(f"{rec.row.file}:{rec.row.line}: {e}") from None
    for parent, lines in parts.items():
        old = existing.get(parent)
        if old is None:
            first = next(iter(lines.values()))
            hint = suggest(parent, [*records.items, *existing])
            raise TableError(
                f"{first.origin}: parent: unknown item {parent!r} ({hint}; define it in items.csv)"
            )
        built[parent] = old.with_parts({**old.parts, **dict(lines)})
    final = {**existing, **built}
    return list(final.values()), records.sources
