"""Reading the catalog tables (``items.csv``, ``parts.csv``) into a Catalog, and writing them.

The cells are read and checked by :mod:`mineralcalc.csvtable` (``file:row: column: problem
(hint)``). Items and part lines remember the row they came from, so errors found later, when
the catalog checks the graph (dimensions, cycles, fractions over 100 %), name it too.

This is the only module that reads files for the catalog (tables -> catalog -> engine).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import MineralcalcError, TableError, suggest
from ..estimate import Estimate
from ..model.catalog import Catalog
from ..model.items import BALANCE, KINDS, Item, Part
from ..units import parse_unit
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

__all__ = [
    "QUALITIES",
    "SCHEMAS",
    "load_tables",
    "read_sources",
    "read_table",
    "shipped_sources",
    "shipped_tables",
    "write_tables",
]


# --------------------------------------------------------------------------- items and parts
def _read_items(path: Path, sources: Mapping[str, Any]) -> dict[str, tuple[Row, dict[str, Any]]]:
    out: dict[str, tuple[Row, dict[str, Any]]] = {}
    for row in read_table(path, "items.csv"):
        item_id = row.ident("id")
        assert item_id is not None
        if item_id in out:
            first = out[item_id][0]
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
        out[item_id] = (
            row,
            {
                "basis": basis,
                "name": row.text("name"),
                "kind": row.choice("kind", KINDS, required=False),
                "alternative_of": row.ident("alternative_of", required=False),
                "sources": tuple(srcs),
                "note": row.text("note"),
                "origin": f"{row.file}:{row.line}",
            },
        )
    return out


def _read_parts(path: Path, sources: Mapping[str, Any]) -> dict[str, dict[str, Part]]:
    out: dict[str, dict[str, Part]] = {}
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
        try:
            part = Part(
                amount,
                yield_,
                recycled=recycled,
                source=source,
                note=row.text("note"),
                origin=f"{row.file}:{row.line}",
            )
        except MineralcalcError as e:
            text = str(e)
            col = next((c for c in ("recycled", "yield") if text.startswith(c)), "central")
            raise row.error(col, text) from None
        out.setdefault(parent, {})[child] = part
    return out


def load_tables(folder: Any, base: Catalog | None = None) -> Catalog:
    """A catalog from the tables in ``folder``, merged over ``base``.

    ``items.csv`` defines items; an item with an id that ``base`` holds replaces it, with all
    its part lines. Rows of ``parts.csv`` whose parent is an item of ``base`` not redefined
    here add a line to it, or replace the line for that child. ``sources.csv`` adds source
    records (a key that ``base`` has is replaced).

    Raises
    ------
    TableError
        ``file:row: column: problem (hint)`` for any bad cell; errors found when the graph is
        checked (dimensions, unknown children, cycles) start with ``file:row`` too.
    """
    root = Path(folder)
    if not root.is_dir():
        raise TableError(
            f"{root}: not a folder of tables (expected items.csv, parts.csv, sources.csv)"
        )
    present = {p.name for p in root.glob("*.csv")}
    if base is None and not present & {"items.csv", "parts.csv"}:
        raise TableError(f"{root}: no items.csv or parts.csv found")
    sources: dict[str, Mapping[str, Any]] = dict(base.source_table) if base is not None else {}
    if "sources.csv" in present:
        sources.update(read_sources(root / "sources.csv"))
    items = _read_items(root / "items.csv", sources) if "items.csv" in present else {}
    parts = _read_parts(root / "parts.csv", sources) if "parts.csv" in present else {}
    existing = {i: base[i] for i in base._user} if base is not None else {}
    built: dict[str, Item] = {}
    for item_id, (row, fields) in items.items():
        try:
            built[item_id] = Item(item_id, parts=parts.pop(item_id, {}), **fields)
        except MineralcalcError as e:
            raise type(e)(f"{row.file}:{row.line}: {e}") from None
    for parent, lines in parts.items():
        old = existing.get(parent)
        if old is None:
            first = next(iter(lines.values()))
            hint = suggest(parent, [*items, *existing])
            raise TableError(
                f"{first.origin}: parent: unknown item {parent!r} ({hint}; define it in items.csv)"
            )
        built[parent] = old.with_parts({**old.parts, **lines})
    final = {**existing, **built}
    return Catalog(final.values(), sources=sources)


# --------------------------------------------------------------------------- writing
UNSOURCED = "unsourced"
"""The source key :func:`write_tables` gives numbers that came without one."""

_PART_COLUMNS = [
    "parent", "child", "low", "central", "high", "unit", "dist", "yield_low", "yield",
    "yield_high", "recycled_low", "recycled", "recycled_high", "source", "note",
]  # fmt: skip
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
    from ..units import show_unit

    root = Path(folder)
    names = ("sources.csv", "items.csv", "parts.csv")
    if not overwrite:
        for name in names:
            if (root / name).exists():
                raise TableError(f"{root / name}: exists; pass overwrite=True to replace it")
    own = [catalog[i] for i in catalog._user]
    if not own:
        raise TableError(f"{root}: the catalog has no items of its own to write")
    item_rows = [
        [it.id, it.basis_text, it.kind or "", it.name or "", it.alternative_of or "",
         ";".join(it.sources), it.note or ""]
        for it in own
    ]  # fmt: skip
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
                [it.id, child, lo, c, hi, unit, p.amount.dist, *yields, *recycled, source,
                 p.note or ""]
            )  # fmt: skip
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
