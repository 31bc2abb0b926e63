"""Reading a large table by column: the fast path for valid files, the strict reader for the rest.

A catalog of 150,000 part lines read row by row, with a checked :class:`~mineralcalc.data.
csvtable.Row` per row, takes seconds. :func:`read_columns` reads the whole file with the csv
module in one call and checks what it can in bulk (one row per physical line, the header,
the same number of cells in every row); anything unusual (a quote left open, a cell with a
line break, a row too short or too long) sends the file to the strict row reader
(:func:`~mineralcalc.data.csvtable.read_table`), which raises the precise ``file:row:
column: problem (hint)`` error. Valid files never pay for the strict reader, and bad files
never get a vaguer message.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import TableError
from .csvtable import MAX_FILE_BYTES, SCHEMAS, Row, read_table

__all__ = ["Columns", "no_gc", "read_columns"]


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Garbage collection paused while a large table becomes objects.

    Reading 150,000 rows makes millions of short-lived containers, and the collector would
    scan the growing heap again and again (half the load time of a 150,000-line catalog);
    nothing read here forms reference cycles. The previous state is restored.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass(frozen=True)
class Columns:
    """A table as columns of cell text, with the line of each data row."""

    label: str
    lines: list[int]
    cells: dict[str, Sequence[str]]

    def __len__(self) -> int:
        return len(self.lines)

    def get(self, column: str) -> Sequence[str]:
        """A column's cells (empty cells for a column the file does not have)."""
        return self.cells.get(column) or ("",) * len(self.lines)

    def row(self, k: int) -> Row:
        """Data row ``k`` as a :class:`~mineralcalc.data.csvtable.Row`, to report an error."""
        return Row(self.label, self.lines[k], {c: v[k] for c, v in self.cells.items()})


def read_columns(path: Path, name: str | None = None) -> Columns:
    """A table's cells by column, checked like :func:`~mineralcalc.data.csvtable.read_table`.

    Raises
    ------
    TableError
        Whatever :func:`~mineralcalc.data.csvtable.read_table` raises for the file.
    """
    fast = _fast(path, name)
    if fast is not None:
        return fast
    rows = list(read_table(path, name))  # raises the precise error, if there is one
    header = list(rows[0].cells) if rows else []
    return Columns(
        path.name, [r.line for r in rows], {h: [r.cells[h] for r in rows] for h in header}
    )


def _fast(path: Path, name: str | None) -> Columns | None:
    """The table read in bulk, or None if anything needs the strict reader's eye."""
    schema = SCHEMAS[name or path.name]
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        text = path.read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    if len(rows) < 2 or len(rows) != physical or "\r" in text.replace("\r\n", ""):
        return None  # a cell spans lines, or the file is empty or only a header
    header = [h.strip() for h in rows[0]]
    allowed = set(schema.required + schema.optional)
    if (
        any(c not in header for c in schema.required)
        or any(c and c not in allowed and not c.startswith("_") for c in header)
        or len(set(header)) != len(header)
    ):
        return None
    width = len(header)
    body = rows[1:]
    if all(len(r) == width for r in body) and all(any(r) for r in body):
        data, lines = body, list(range(2, len(rows) + 1))  # the usual case: no blank rows
    else:
        data, lines = [], []
        for n, r in enumerate(body, start=2):
            if len(r) == width and "".join(r).strip():
                data.append(r)
                lines.append(n)
            elif "".join(r).strip():
                return None  # too few or too many cells: the strict reader says which
    if not data:
        return None
    columns = list(zip(*data, strict=True))
    return Columns(path.name, lines, dict(zip(header, columns, strict=True)))


def cell_error(columns: Columns, k: int, column: str, problem: str) -> TableError:
    """The error for data row ``k``'s cell in ``column``: ``file:row: column: problem``."""
    return columns.row(k).error(column, problem)
