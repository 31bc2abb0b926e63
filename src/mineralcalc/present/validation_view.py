"""The validation table (:func:`mineralcalc.lenses.validation.validate`), one section per kind.

Products and stocks, the ore model and the market's outcome are counted; the price check reads
the base year's share of each element against its price; calibration and context rows are
shown apart and never counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.text import Text

from .tables import sources_footnote
from .text import PlainTable, pct, short

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SECTIONS", "ValidationTable", "validation_table"]

SECTIONS = {
    "validation": "Products and stocks",
    "composition": "The ore model: mine output by element and country",
    "outcome": "What the market did: use over output",
    "price": "Price direction: the base year's share of supply against the year's price",
    "calibration": "Calibration: the tables were built from these (not counted)",
    "context": "Context: another year or scope (not counted)",
}


def _show(v: float, unit: str) -> str:
    if unit in ("%", "price"):
        return f"{v:+.0%}" if unit == "price" else f"{v:.1%}"
    if unit == "count":
        return short(v)
    return f"{short(v)} {unit}"


class ValidationTable:
    """The validation table laid out for the width it is rendered at: below 120 columns the
    source column is left out (the sources are listed under the table) and the figure's name
    and status wrap, so no column that says what a row is or how it fared ever vanishes."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield _table(self.frame, wide=options.max_width >= 120)


def _table(frame: pd.DataFrame, *, wide: bool) -> PlainTable:
    table = PlainTable(
        title=f"{frame.attrs.get('scenario', '')} against published figures",
        box=box.SIMPLE_HEAVY,
        title_justify="left",
    )
    table.add_column("Figure", min_width=18, max_width=44, ratio=3)
    table.add_column("Year", justify="right", no_wrap=True)
    table.add_column("Published", justify="right", no_wrap=True)
    table.add_column("Ours", justify="right", no_wrap=True)
    table.add_column("Ratio", justify="right", no_wrap=True)
    table.add_column("Tolerance", justify="right", no_wrap=True)
    table.add_column("Status", min_width=8, max_width=40, ratio=1)
    if wide:
        table.add_column("Source", style="cyan", no_wrap=True)
    first = True
    for kind, title in SECTIONS.items():
        rows = frame[frame["kind"] == kind]
        if rows.empty:
            continue
        if not first:
            table.add_section()
        first = False
        table.add_row(Text(title, style="italic dim"))
        for r in rows.to_dict("records"):
            ok = r["within"]
            style = "green" if ok else ("bold red" if r["counted"] else "yellow")
            if r["status"] != "ok" and ok:
                style = "yellow"
            if kind == "price":
                cells = [_show(r["published"], "price"), pct(r["ours"]), "–", "±10% gap"]
            else:
                cells = [
                    _show(r["published"], r["unit"]),
                    _show(r["ours"], r["unit"]),
                    _ratio(r["ratio"]),
                    f"±{r['tolerance']:.0%}",
                ]
            status = Text(str(r["status"]), style=style)
            source = [str(r["source"])] if wide else []
            table.add_row(str(r["quantity"]), str(r["year"]), *cells, status, *source)
    return table


def _ratio(value: float) -> str:
    """A ratio of ours to published, to two decimals, or one significant figure below 0.1.

    A ratio of 0.0046 printed as ``0.00`` would read as a model holding nothing; ``0.005``
    says it is small, and keeps within the header's width at 80 columns.
    """
    return f"{value:.2f}" if not 0 < abs(value) < 0.1 else f"{value:.1g}"


def validation_table(frame: pd.DataFrame, sources: Mapping[str, Mapping[str, Any]]) -> Group:
    """The validation table, a section per kind, with a line that counts what counts."""
    counted = frame[frame["counted"]]
    outside = int((~counted["within"].astype(bool)).sum())
    foot = Text(
        f"{len(counted)} counted figures: {len(counted) - outside} within tolerance, {outside} "
        f"outside; {len(frame) - len(counted)} calibration and context rows shown, not counted. "
        "Each tolerance's basis is in the csv and json output (tolerance_basis).",
        style="bold" if not outside else "bold red",
    )
    return Group(ValidationTable(frame), foot, sources_footnote(sources, set(frame["source"])))
