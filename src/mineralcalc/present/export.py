"""Writing results: CSV, JSON and Markdown text, and atomic file writes.

* CSV cells that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return) are neutralised with a leading apostrophe (OWASP, "CSV
  Injection"); numbers are written as numbers.
* Every file is written atomically: to a temporary file in the same folder, then renamed over
  the target, so a failed run leaves an existing file untouched.
* Writes never destroy: an output that is an input of the same run is refused; only regular
  files are replaced (pipes, devices and folders are refused); a symbolic link is written
  through to its target and stays a link; a new file gets the usual mode (0666 less the umask)
  and an existing one keeps its own. Messages name the path as the user gave it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import OutputError

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
    """A GitHub-flavoured Markdown table; numbers right-aligned, years without separators."""
    raw = [list(row) for row in rows]
    years = {i for i, c in enumerate(columns) if c == "year" or str(c).endswith("_year")}
    body = [
        [_cell(v, "{:.0f}" if i in years else numbers) for i, v in enumerate(row)] for row in raw
    ]
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(
    path: str | os.PathLike[str], data: str | bytes, *, inputs: Iterable[Any] = ()
) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then rename).

    Parameters
    ----------
    path : path
        The file to write. A symbolic link is followed: its target is replaced and the link
        stays.
    data : str or bytes
    inputs : iterable of paths
        The files this run read: writing over one of them is refused.

    Raises
    ------
    OutputError
        If ``path`` is an input of the run, a folder, a pipe, a device or a socket, or cannot
        be written (its folder missing or read-only); the message names ``path`` as given,
        and an existing file is left as it was.
    """
    user = os.fspath(path)
    if not user:
        raise OutputError("an empty output path: give a file name, or - for standard output")
    target = Path(os.path.realpath(user))
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"{user}: cannot write ({e.strerror})") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{user}: is a folder; give a file name")
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(
                f"{user}: not a regular file (a pipe, device or socket), which would be replaced "
                "by a file; write to a file, or to standard output with -o -"
            )
    for inp in inputs:
        if os.path.realpath(inp) == str(target):
            raise OutputError(
                f"{user}: is an input of this run ({inp}); writing there would destroy it, so "
                "write the output elsewhere"
            )
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        where = "its folder does not exist" if isinstance(e, FileNotFoundError) else e.strerror
        raise OutputError(f"{user}: cannot write ({where})") from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    return Path(user)
