"""Reading the data tables (``tables/*.csv``) into a Catalog and supply frames.

Each table is a UTF-8 CSV (a byte-order mark is accepted) with one header row; its columns are
documented in ``tables/README.md`` and declared in :data:`SCHEMAS`. Every cell is checked when
it is read, and every problem is a :class:`~mineralcalc.errors.TableError` reading
``file:row: column: problem (hint)``; row numbers count the header as row 1, as a
spreadsheet does. Items and part lines remember the row they came from, so errors found later,
when the catalog checks the graph (dimensions, cycles, fractions over 100 %), name it too.

This is the only module that reads files for the catalog (tables -> catalog -> engine).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .catalog import Catalog
from .errors import MineralcalcError, TableError, suggest
from .estimate import Estimate
from .items import BALANCE, KINDS, Item, Part
from .units import parse_unit

__all__ = [
    "QUALITIES",
    "SCHEMAS",
    "load_tables",
    "read_country_groups",
    "read_element_split",
    "read_sources",
    "read_supply",
    "read_table",
    "shipped_tables",
    "write_tables",
]

QUALITIES = ("official statistics", "peer-reviewed", "industry", "press", "estimate")
"""How each source is classified, so users can choose what to trust."""

STAGES = ("mining", "refining")
BASES = ("oxide", "metal", "content")


@dataclass(frozen=True)
class Schema:
    """Columns of one table: required, optional, and which hold ids."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


SCHEMAS: dict[str, Schema] = {
    "sources.csv": Schema(("key", "citation", "quality"), ("year", "url", "note"), ("key",)),
    "items.csv": Schema(
        ("id", "basis"),
        ("name", "kind", "alternative_of", "sources", "note"),
        ("id", "alternative_of"),
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
        ("amount", "share", "low", "high", "status", "note"),
        ("commodity", "source"),
    ),
    "element_split.csv": Schema(
        ("commodity", "element", "share", "year", "source"), ("method", "note"), ("source",)
    ),
    "country_groups.csv": Schema(("group", "country", "source"), ("note",), ("group", "source")),
}
"""The columns of every table the loader knows."""


# --------------------------------------------------------------------------- low-level reading
def shipped_tables() -> Path:
    """The folder of the shipped tables: inside the installed wheel, or the repository's."""
    from importlib import resources

    packaged = Path(str(resources.files(__package__))) / "_tables"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "tables"


@dataclass(frozen=True)
class Row:
    """One data row: its cells by column, and where it came from."""

    file: str
    line: int
    cells: Mapping[str, str]

    def at(self, column: str) -> str:
        return f"{self.file}:{self.line}: {column}"

    def error(self, column: str, problem: str) -> TableError:
        return TableError(f"{self.at(column)}: {problem}")

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def text(self, column: str, *, required: bool = False) -> str | None:
        value = self.get(column)
        if not value:
            if required:
                raise self.error(column, "empty (this column is required)")
            return None
        return value

    def ident(self, column: str, *, required: bool = True) -> str | None:
        raw = self.cells.get(column, "")
        if not raw.strip():
            if required:
                raise self.error(column, "empty (an id is required)")
            return None
        if raw != raw.strip():
            raise self.error(column, f"{raw!r} has stray whitespace (use {raw.strip()!r})")
        return raw

    def number(self, column: str, *, required: bool = False) -> float | None:
        value = self.get(column)
        if not value:
            if required:
                raise self.error(column, "empty (a number is required)")
            return None
        try:
            x = float(value.replace("_", ""))
        except ValueError:
            hint = " (write numbers without thousands separators)" if "," in value else ""
            raise self.error(column, f"{value!r} is not a number{hint}") from None
        if not math.isfinite(x):
            raise self.error(column, f"{value!r} is not a finite number")
        return x

    def year(self, column: str = "year", *, required: bool = True) -> int | None:
        x = self.number(column, required=required)
        if x is None:
            return None
        if x != int(x) or not 1900 <= x <= 2200:
            raise self.error(column, f"{self.get(column)!r} is not a year from 1900 to 2200")
        return int(x)

    def choice(self, column: str, options: tuple[str, ...], *, required: bool = True) -> str | None:
        value = self.text(column, required=required)
        if value is not None and value not in options:
            raise self.error(
                column, f"{value!r} is not one of {', '.join(options)} ({suggest(value, options)})"
            )
        return value


def read_table(path: Path, name: str | None = None) -> Iterator[Row]:
    """The rows of one CSV, checked against its schema.

    Parameters
    ----------
    path : Path
    name : str, optional
        The schema to check against (default: the file name).

    Raises
    ------
    TableError
        Not UTF-8, empty, no header, a missing or unknown column, or a row with more cells
        than the header.
    """
    label = path.name
    schema = SCHEMAS[name or path.name]
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise TableError(f"{label}: cannot read ({e.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise TableError(
            f"{label}:{line}: not UTF-8 (byte {e.start}: {e.reason}); save the file as UTF-8"
        ) from None
    if not text.strip():
        raise TableError(
            f"{label}:1: empty file (a header row is required: {', '.join(schema.required)})"
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    missing = [c for c in schema.required if c not in header]
    if missing:
        known = schema.required + schema.optional
        guess = {m: suggest(m, header) for m in missing}
        raise TableError(
            f"{label}:1: {missing[0]}: missing column ({guess[missing[0]]}; "
            f"the columns are {', '.join(known)})"
        )
    allowed = set(schema.required + schema.optional)
    for col in header:
        if col and col not in allowed and not col.startswith("_"):
            raise TableError(
                f"{label}:1: {col}: unknown column ({suggest(col, allowed)}; prefix a column "
                "with '_' to keep it for yourself)"
            )
    dupes = {c for c in header if header.count(c) > 1 and c}
    if dupes:
        raise TableError(f"{label}:1: {sorted(dupes)[0]}: column given twice")
    seen_data = False
    for n, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise TableError(
                f"{label}:{n}: {len(cells)} cells but {len(header)} columns "
                "(quote cells that contain commas)"
            )
        seen_data = True
        yield Row(label, n, dict(zip(header, cells, strict=False)))
    if not seen_data:
        raise TableError(f"{label}:2: no data rows (the file has only a header)")


# --------------------------------------------------------------------------- sources
def read_sources(path: Path) -> dict[str, dict[str, Any]]:
    """``sources.csv``: source records by key."""
    out: dict[str, dict[str, Any]] = {}
    for row in read_table(path, "sources.csv"):
        key = row.ident("key")
        assert key is not None
        if key in out:
            raise row.error("key", f"{key!r} is defined twice")
        out[key] = {
            "citation": row.text("citation", required=True),
            "year": row.year(required=False),
            "url": row.text("url"),
            "quality": row.choice("quality", QUALITIES),
        }
    return out


def _check_source(
    row: Row, column: str, sources: Mapping[str, Any], *, required: bool
) -> str | None:
    key = row.ident(column, required=False)
    if key is None:
        if required:
            raise row.error(
                column, "empty: a row that holds a number needs a source key from sources.csv"
            )
        return None
    if key not in sources:
        raise row.error(
            column, f"unknown source {key!r} ({suggest(key, sources)}; add it to sources.csv)"
        )
    return key


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
        source = _check_source(row, "source", sources, required=not balance)
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


# --------------------------------------------------------------------------- supply tables
def read_supply(path: Path, sources: Mapping[str, Any]) -> pd.DataFrame:
    """``supply.csv``: output by commodity, country, year and stage.

    Rows with ``status`` = ``alternative`` keep another source's figure for the same fact
    (where sources disagree); they are flagged in the ``alternative`` column and not used in
    totals.

    Returns
    -------
    DataFrame
        Columns commodity, country, year, stage, basis, amount [t], low, high, share, source,
        alternative, note. Amounts are converted to tonnes; ``share`` is a fraction.
    """
    rows = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in read_table(path, "supply.csv"):
        commodity, source = (
            row.ident("commodity"),
            _check_source(row, "source", sources, required=True),
        )
        country = row.text("country", required=True)
        year = row.year()
        stage = row.choice("stage", STAGES)
        basis = row.choice("basis", BASES)
        status = row.choice("status", ("alternative",), required=False)
        key = (commodity, country, year, stage)
        if key in seen and status is None:
            raise row.error(
                "country",
                f"{country!r} in {year} ({stage}) is given twice (first at row {seen[key]})",
            )
        if status is None:
            seen[key] = row.line
        unit = row.get("unit")
        try:
            factor = Estimate(central=1.0, unit=parse_unit(unit)).values("t")[1]
        except MineralcalcError as e:
            raise row.error("unit", f"{e} (supply amounts are masses, e.g. 't')") from None
        amount, lo, hi = (row.number(c) for c in ("amount", "low", "high"))
        share = row.number("share")
        if amount is None and share is None:
            raise row.error("amount", "empty: give amount or share")
        for col, v in (("amount", amount), ("low", lo), ("high", hi), ("share", share)):
            if v is not None and v < 0:
                raise row.error(col, f"{v:g} is negative")
        if share is not None and share > 100:
            raise row.error("share", f"{share:g} is over 100 (shares are in percent)")
        rows.append(
            {
                "commodity": commodity, "country": country, "year": year, "stage": stage,
                "basis": basis,
                "amount": None if amount is None else amount * factor,
                "low": None if lo is None else lo * factor,
                "high": None if hi is None else hi * factor,
                "share": None if share is None else share / 100.0,
                "source": source, "alternative": status is not None, "note": row.text("note"),
            }
        )  # fmt: skip
    return pd.DataFrame(rows).astype({"amount": float, "low": float, "high": float, "share": float})


def read_element_split(path: Path, sources: Mapping[str, Any]) -> pd.DataFrame:
    """``element_split.csv``: each element's share of a commodity's output.

    Shares are percent in the file and fractions in the frame.
    """
    from .elements import ELEMENTS

    rows = []
    for row in read_table(path, "element_split.csv"):
        el = row.ident("element")
        assert el is not None
        if el not in ELEMENTS:
            raise row.error("element", f"{el!r} is not an element symbol ({suggest(el, ELEMENTS)})")
        share = row.number("share", required=True)
        assert share is not None
        if not 0 <= share <= 100:
            raise row.error("share", f"{share:g} is not a percentage from 0 to 100")
        rows.append(
            {
                "commodity": row.ident("commodity"), "element": el, "share": share / 100.0,
                "year": row.year(), "method": row.text("method"),
                "source": _check_source(row, "source", sources, required=True),
            }
        )  # fmt: skip
    frame = pd.DataFrame(rows)
    totals = frame.groupby(["commodity", "year"])["share"].sum()
    over = totals[totals > 1 + 1e-6]
    if not over.empty:
        key, total = next(iter(over.items()))
        label = " ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
        raise TableError(f"{path.name}: share: {label} adds up to {total:.1%}, over 100 %")
    return frame


def read_country_groups(path: Path, sources: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """``country_groups.csv``: named groups of countries (e.g. Minerals Security Partnership)."""
    groups: dict[str, list[str]] = {}
    for row in read_table(path, "country_groups.csv"):
        group, country = row.ident("group"), row.text("country", required=True)
        assert group is not None and country is not None
        _check_source(row, "source", sources, required=True)
        if country in groups.get(group, []):
            raise row.error("country", f"{country!r} is listed twice in {group!r}")
        groups.setdefault(group, []).append(country)
    return {g: tuple(c) for g, c in groups.items()}


@cache
def shipped_sources() -> dict[str, dict[str, Any]]:
    """The shipped ``sources.csv``, read once."""
    return read_sources(shipped_tables() / "sources.csv")


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
    from .export import to_csv, write_atomic
    from .units import show_unit

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
