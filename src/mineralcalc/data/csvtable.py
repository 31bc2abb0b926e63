"""Reading CSV tables: schemas, checked rows and the sources every number cites.

Each table is a UTF-8 CSV (a byte-order mark is accepted) with one header row; its columns are
documented in ``tables/README.md`` and declared in :data:`SCHEMAS`. Every cell is checked when
it is read, and every problem is a :class:`~mineralcalc.errors.TableError` reading
``file:row: column: problem (hint)``; row numbers count the header as row 1, as a
spreadsheet does.

This is the floor of the data layer: :mod:`mineralcalc.data.catalog_tables` (items and parts) and
:mod:`mineralcalc.data.supply_tables` (world output, ores, secondary supply, end uses) build on it;
it imports nothing above the errors and units.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..elements import ELEMENTS
from ..errors import TableError, suggest
from .schemas import SCHEMAS, Schema

__all__ = [
    "QUALITIES",
    "SCHEMAS",
    "Locate",
    "Row",
    "Schema",
    "check_source",
    "locator",
    "read_sources",
    "read_table",
    "shipped_sources",
    "shipped_tables",
]

QUALITIES = ("official statistics", "peer-reviewed", "industry", "press", "estimate")
"""How each source is classified, so users can choose what to trust."""

STAGES = ("mining", "refining")
BASES = ("oxide", "metal", "content")


"""The columns of every table the loader knows."""


Locate = Callable[[str], Path]
"""Where a table of a given file name is read from (a folder, or a user's folder with the
shipped tables behind it: :class:`~mineralcalc.data.tableset.TableSet`)."""


def locator(where: Path | Locate) -> Locate:
    """A folder as a :data:`Locate` (``folder / name``); a :data:`Locate` as it is."""
    if callable(where):
        return where
    root = Path(where)
    return lambda name: root / name


# --------------------------------------------------------------------------- low-level reading
def shipped_tables() -> Path:
    """The folder of the shipped tables: inside the installed wheel, or the repository's."""
    from importlib import resources

    packaged = Path(str(resources.files("mineralcalc"))) / "_tables"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "tables"


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

    def element(self, column: str = "element") -> str:
        """An element symbol (``Nd``), else an error naming the closest symbols."""
        el = self.ident(column)
        assert el is not None
        if el not in ELEMENTS:
            raise self.error(column, f"{el!r} is not an element symbol ({suggest(el, ELEMENTS)})")
        return el

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
        Not UTF-8, empty, no header, a missing or unknown column, a row with more or fewer
        cells than the header, a quote left open (which would swallow the rows after it), a
        cell holding a line break, a cell over :data:`MAX_CELL` characters or a file over
        :data:`MAX_FILE_BYTES`.
    """
    label = path.name
    schema = SCHEMAS[name or path.name]
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TableError(
                f"{label}: {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} for a table "
                "(split it, or check that it is the file you meant)"
            )
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
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _checked_rows(reader, label)
    header = [h.strip() for h in next(rows)[1]]
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
    for n, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raise TableError(
                f"{label}:{n}: {len(cells)} cells but {len(header)} columns "
                "(quote cells that contain commas)"
            )
        if len(cells) < len(header):
            raise TableError(
                f"{label}:{n}: {len(cells)} cells but {len(header)} columns (every row needs a "
                "cell for each column, empty ones included: end it with the missing commas)"
            )
        seen_data = True
        yield Row(label, n, dict(zip(header, cells, strict=True)))
    if not seen_data:
        raise TableError(f"{label}:2: no data rows (the file has only a header)")


MAX_FILE_BYTES = 128 * 2**20
"""The largest table file read [bytes]; a larger one is an error, not a slow surprise."""

MAX_CELL = csv.field_size_limit()
"""The longest cell [characters]: the csv module's field limit (131,072)."""


def _checked_rows(reader: Any, label: str) -> Iterator[tuple[int, list[str]]]:
    """Rows with the line each starts on; a quote left open or a cell with a line break in it
    is an error naming that line, never a row that silently swallows the ones after it."""
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            if "field larger than field limit" in str(e):
                raise TableError(
                    f"{label}:{start}: a cell longer than {MAX_CELL:,} characters (a quote left "
                    "open swallowing the rows after it?)"
                ) from None
            raise TableError(
                f"{label}:{start}: cannot read the row ({e}; a quote left open? close it, or "
                'double quotes inside a quoted cell: "")'
            ) from None
        if any("\n" in c or "\r" in c for c in cells):
            raise TableError(
                f"{label}:{start}: a cell runs over {reader.line_num - start + 1} lines: a quote "
                "left open swallows the rows after it (close it; cells may not hold line breaks)"
            )
        yield start, cells


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
            "note": row.text("note"),
        }
    return out


def check_source(
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


@cache
def shipped_sources() -> dict[str, dict[str, Any]]:
    """The shipped ``sources.csv``, read once."""
    return read_sources(shipped_tables() / "sources.csv")
