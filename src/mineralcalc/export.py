"""Writing results: CSV, JSON and Markdown text, and atomic file writes.

* CSV cells that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return) are neutralised with a leading apostrophe (OWASP, "CSV
  Injection"); numbers are written as numbers.
* Every file is written atomically: to a temporary file in the same folder, then renamed over
  the target, so a failed run leaves an existing file untouched.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["neutralise", "to_csv", "to_json", "to_markdown", "write_atomic"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet (text formulas get a leading apostrophe)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """A JSON/CSV friendly scalar: numpy and pandas scalars to Python, NaN/NA to None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    try:
        if value != value:  # NaN, pandas NA raises
            return None
    except (TypeError, ValueError):
        return None
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text with a header row; formula-like text cells neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow(["" if (v := _plain(x)) is None else neutralise(v) for x in row])
    return buf.getvalue()


def to_json(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], meta: Mapping[str, Any] | None = None
) -> str:
    """JSON text: ``{**meta, "columns": [...], "rows": [{column: value}, ...]}`` (NaN as null)."""
    records = [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    doc = {**(meta or {}), "columns": list(columns), "rows": records}
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def to_markdown(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], *, numbers: str = "{:,.6g}"
) -> str:
    """A GitHub-flavoured Markdown table; numbers right-aligned."""
    raw = [list(row) for row in rows]
    body = [[_cell(v, numbers) for v in row] for row in raw]
    numeric = [
        all(isinstance(_plain(r[i]), int | float) or _plain(r[i]) is None for r in raw)
        for i in range(len(columns))
    ]
    lines = ["| " + " | ".join(str(c) for c in columns) + " |"]
    lines.append("| " + " | ".join("---:" if n else "---" for n in numeric) + " |")
    lines.extend("| " + " | ".join(cells) + " |" for cells in body)
    return "\n".join(lines) + "\n"


def _cell(value: Any, fmt: str) -> str:
    v = _plain(value)
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return fmt.format(v)
    return str(v).replace("|", "\\|").replace("\n", " ")


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then rename).

    Raises
    ------
    OSError
        If the folder does not exist or is not writable; the target is left as it was.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
