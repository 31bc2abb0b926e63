"""Text for terminals: numbers, shares, ranges and bars as tables show them.

Numbers get thousands separators (3 significant digits below 100), shares a percentage that
never reads a misleading 0.0 % and a bar with eighth-block resolution, ranges their low-high
under the central value. A :class:`PlainTable` shows its strings as they are: rich would read
``[t]``, ``[recycling]`` or a bracket in a name from a table as markup and drop it.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

__all__ = ["PlainTable", "bar", "compact", "fmt", "pct", "range_text", "short", "short_note", "usd"]

_BLOCKS = " ▏▎▍▌▋▊▉█"


def fmt(x: Any) -> str:
    """A number for a table: thousands separators, 3 significant digits below 100, '–' for none."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞"
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def short(x: Any) -> str:
    """:func:`fmt`, but millions as ``3.15 M`` (where a table must stay narrow)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "–"
    if math.isfinite(v) and abs(v) >= 1e9:
        return f"{v / 1e9:.3g} bn"
    if math.isfinite(v) and abs(v) >= 1e6:
        return f"{v / 1e6:.3g} M"
    return fmt(v)


def compact(x: Any) -> str:
    """:func:`short`, and tens of thousands as ``390 k`` (the parts under a total)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "–"
    if math.isfinite(v) and 1e4 <= abs(v) < 1e6:
        return f"{v / 1e3:.3g} k"
    return short(v)


def usd(x: Any) -> str:
    """An amount of money [USD] as tables show it: ``USD 7.46 bn`` from a million up, else
    whole (``USD 86,600``); ``–`` for NaN."""
    if not math.isfinite(float(x)):
        return "–"
    return f"USD {short(x)}" if abs(x) >= 1e6 else f"USD {fmt(x)}"


def range_text(lo: Any, c: Any, hi: Any) -> Text:
    text = Text(fmt(c))
    if fmt(lo) != fmt(hi):
        text.append(f"\n{fmt(lo)}–{fmt(hi)}", style="dim")
    return text


def bar(share: float, width: int = 10) -> Text:
    """A bar for a share of 0-1 (eighth-block resolution); above 1 it is full, red, with '+'."""
    if share is None or not math.isfinite(share):
        return Text("")
    if share > 1:
        return Text("█" * width + "+", style="bold red")
    eighths = round(max(share, 0.0) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_BLOCKS[part] if part else "")
    style = "yellow" if share > 0.5 else "green"
    return Text(text.ljust(width), style=style)


def pct(x: float) -> str:
    """A share as a percentage: 0.1 % and above to one decimal, smaller ones with two
    significant digits (never a misleading 0.0 %), from 10 times as a multiple."""
    if x is None or not math.isfinite(x):
        return "–"
    if x >= 10:
        return f"{x:,.0f}×"
    if 0 < abs(x) < 0.001:
        return f"{x * 100:.2g}%"
    return f"{x:.1%}"


_SHORT = (
    ("no supply data (no ore type of the producers gives it)", "no supply data"),
    ("REO x estimated split", "est. split"),
    ("REO x ore types", ""),
    ("modelled / published: ", "modelled/published: "),
    ("other uses ", "other "),
    ("market assumed to clear: ", "market clears: "),
    (" supply less modelled demand", ""),
    ("demand above supply", "above supply"),
    ("demand above estimated output", "above output"),
    ("supply projected from ", "proj. "),
    (" at ", " "),
    ("no share for ", "no split share: "),
    ("REO total", ""),
)


def short_note(note: str) -> str:
    """The note of a comparison row, shortened for a terminal table."""
    for long, short in _SHORT:
        note = note.replace(long, short)
    return "; ".join(p for p in (x.strip() for x in note.split(";")) if p)


def _plain(value: Any, style: str = "") -> Any:
    """A string as a :class:`~rich.text.Text` (no markup read); anything else as it is."""
    return Text(value, style=style) if isinstance(value, str) else value


def _header_text(header: RenderableType) -> str:
    """A column's header on one line."""
    text = header.plain if isinstance(header, Text) else str(header)
    return " ".join(text.split())


def _needed(console: Console, options: ConsoleOptions, table: Table) -> int:
    """The width ``table`` takes without cropping a cell: its natural width, less what its
    wrapping columns can give up by wrapping (rich's own minimum would count a ``no_wrap``
    column at its longest word, and then crop it)."""
    wide = options.update_width(10**6)
    need = Measurement.get(console, wide, table).maximum
    for column in table.columns:
        if column.no_wrap:
            continue
        cells = [column.header, *column.cells]
        # the column's natural width and the least it wraps to, both within its bounds
        cap = column.max_width or 10**6
        floor = column.min_width or 0
        widest = max(Measurement.get(console, wide, c).maximum for c in cells)
        longest_word = max(Measurement.get(console, wide, c).minimum for c in cells)
        natural = min(max(widest, floor), cap)
        least = min(max(longest_word, floor), cap)
        need -= max(natural - least, 0)
    return need


class PlainTable(Table):
    """A rich table whose title, caption, headers and cells are never read as markup.

    Units in brackets (``In use [t]``), a scenario's ``[recycling]`` and names from tables and
    scenarios are shown as written; rich's markup would drop them. Styles are given with the
    ``style`` arguments, or as :class:`~rich.text.Text`.

    A table never crops a number to fit a narrow terminal: a column added with
    ``drop=N`` is left out when the table would not fit otherwise (``drop=1`` first), and
    the caption says which columns were left out and ``every_column``, the output format that
    shows them all (``"-f csv"``; ``"-f json"`` where csv writes another table); row labels
    and the columns that carry the answer are added without ``drop`` and always shown.
    """

    def __init__(
        self,
        *headers: Column | str,
        title: str | Text | None = None,
        caption: str | Text | None = None,
        every_column: str = "-f csv",
        **kwargs: Any,
    ) -> None:
        title_style = str(kwargs.get("title_style") or "table.title")
        caption_style = str(kwargs.get("caption_style") or "table.caption")
        super().__init__(
            *headers,
            title=_plain(title, title_style),
            caption=_plain(caption, caption_style),
            **kwargs,
        )
        self.droppable: dict[int, int] = {}  # column index -> order it is left out in
        self.every_column = every_column

    def add_column(
        self,
        header: RenderableType = "",
        footer: RenderableType = "",
        *,
        drop: int | None = None,
        **kwargs: Any,
    ) -> None:
        """A column, as :meth:`rich.table.Table.add_column`; ``drop=N`` lets a table too wide
        for the terminal leave it out (the lowest ``N`` first)."""
        if drop is not None:
            self.droppable[len(self.columns)] = drop
        super().add_column(_plain(header), _plain(footer), **kwargs)

    def fitted(self, console: Console, options: ConsoleOptions) -> Table:
        """This table without the droppable columns it needs to leave out to fit
        ``options.max_width`` without cropping a cell, the caption naming them."""
        order = sorted(self.droppable, key=lambda i: (self.droppable[i], -i))
        left_out: list[int] = []
        while order and _needed(console, options, self._without(left_out)) > options.max_width:
            left_out.append(order.pop(0))
        if not left_out:
            return self
        table = self._without(left_out)
        names = ", ".join(_header_text(self.columns[i].header) for i in sorted(left_out))
        note = Text(
            f"Not shown at {options.max_width} columns: {names} (a wider terminal, or "
            f"{self.every_column}, shows every column).",
            style="table.caption",
        )
        caption = self.caption
        table.caption = note if caption is None else Text.assemble(caption, "\n", note)
        return table

    def _without(self, left_out: list[int]) -> Table:
        if not left_out:
            return self
        table = copy.copy(self)
        table.columns = [c for i, c in enumerate(self.columns) if i not in left_out]
        table.droppable = {}
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.fitted(console, options)
        if table is self:
            yield from super().__rich_console__(console, options)
        else:
            yield table

    def add_row(self, *renderables: RenderableType | None, **kwargs: Any) -> None:
        super().add_row(*(_plain(r) for r in renderables), **kwargs)
