"""Writing a catalog back as tables: ``items.csv``, ``parts.csv``, ``sources.csv``.

What :meth:`Catalog.to_tables <mineralcalc.model.catalog.Catalog.to_tables>` does, in the
columns :mod:`mineralcalc.data.catalog_tables` reads, so that ``Catalog.from_tables(folder,
merge=False)`` gives the same catalog back. Files are written atomically
(:func:`~mineralcalc.present.export.write_atomic`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import TableError
from ..units import show_unit

if TYPE_CHECKING:
    from ..model.catalog import Catalog

__all__ = ["UNSOURCED", "write_tables"]

UNSOURCED = "unsourced"
"""The source key :func:`write_tables` gives numbers that came without one."""

_PART_COLUMNS = [
    "parent",
    "child",
    "low",
    "central",
    "high",
    "unit",
    "dist",
    "yield_low",
    "yield",
    "yield_high",
    "recycled_low",
    "recycled",
    "recycled_high",
    "source",
    "note",
]
_ITEM_COLUMNS = ["id", "basis", "kind", "name", "alternative_of", "sources", "note"]
_SOURCE_COLUMNS = ["key", "citation", "year", "url", "quality", "note"]


def write_tables(catalog: Catalog, folder: Any, *, overwrite: bool = False) -> list[Path]:
    """Write a catalog's own items (not the built-in elements and oxides) as tables.

    ``items.csv``, ``parts.csv`` and ``sources.csv`` in the columns :func:`load_tables` reads,
    so that ``Catalog.from_tables(folder, merge=False)`` gives the same catalog back. Each file
    is written atomically; existing files are kept unless ``overwrite``. Numbers defined
    without a source get the key ``unsourced`` (quality ``estimate``), so that the tables
    stay loadable and the gap stays visible. A table with no rows is not written.

    Raises
    ------
    TableError
        If a file exists and ``overwrite`` is false, the catalog has no items of its own, or
        the folder cannot be written.
    """
    from ..present.export import to_csv, write_atomic

    root = Path(folder)
    names = ("sources.csv", "items.csv", "parts.csv")
    if not overwrite:
        for name in names:
            if (root / name).exists():
                raise TableError(f"{root / name}: exists; pass overwrite=True to replace it")
    own = list(catalog.own_items.values())
    if not own:
        raise TableError(f"{root}: the catalog has no items of its own to write")
    item_rows = [
        [
            it.id,
            it.basis_text,
            it.kind or "",
            it.name or "",
            it.alternative_of or "",
            ";".join(it.sources),
            it.note or "",
        ]
        for it in own
    ]
    part_rows: list[list[Any]] = []
    used = {k for it in own for k in it.sources}
    for it in own:
        for child, p in it.parts.items():
            if p.amount is None:
                part_rows.append(
                    [it.id, child, "", "balance", *[""] * 9, p.source or "", p.note or ""]
                )
                continue
            source = p.source or UNSOURCED
            used.add(source)
            lo, c, hi = p.amount.values()
            ylo, yc, yhi = p.yield_.values()
            yields: list[Any] = [ylo, yc, yhi] if p.has_loss else ["", "", ""]
            rlo, rc, rhi = p.recycled.values()
            recycled: list[Any] = [rlo, rc, rhi] if p.has_loss and rhi > 0 else ["", "", ""]
            unit = show_unit(p.amount.unit)
            part_rows.append(
                [
                    it.id,
                    child,
                    lo,
                    c,
                    hi,
                    unit,
                    p.amount.dist,
                    *yields,
                    *recycled,
                    source,
                    p.note or "",
                ]
            )
    table = dict(catalog.source_table)
    table.setdefault(
        UNSOURCED,
        {
            "citation": "no source given when the item was defined (exported by mineralcalc)",
            "quality": "estimate",
        },
    )
    source_rows = []
    for k in sorted(used):
        rec = table.get(k, {"citation": k, "quality": "estimate"})
        year = "" if rec.get("year") is None else rec["year"]
        source_rows.append(
            [
                k,
                rec.get("citation") or k,
                year,
                rec.get("url") or "",
                rec.get("quality") or "estimate",
                rec.get("note") or "",
            ]
        )
    texts = {
        "sources.csv": (_SOURCE_COLUMNS, source_rows),
        "items.csv": (_ITEM_COLUMNS, item_rows),
        "parts.csv": (_PART_COLUMNS, part_rows),
    }
    written = []
    try:
        root.mkdir(parents=True, exist_ok=True)
        for name in names:
            columns, rows = texts[name]
            if rows:  # a header-only table is not a valid table: leave it out
                written.append(write_atomic(root / name, to_csv(columns, rows)))
    except OSError as e:
        raise TableError(f"{root}: cannot write tables ({e.strerror or e})") from None
    return written
