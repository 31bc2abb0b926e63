"""Rich tables of world output: every commodity on one line, and one commodity by country at
a stage, from the frames of :mod:`mineralcalc.lenses.world_output` (nothing recomputed here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.text import Text

from .text import PlainTable, bar, fmt, pct

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["commodities_table", "supply_table"]


def supply_table(frame: pd.DataFrame, stage: str) -> Group:
    """One stage of :func:`~mineralcalc.lenses.world_output.country_output`'s frame: output by
    country with shares and bars, the world total, the countries without output, the HHI."""
    a = frame.attrs
    rows = frame[frame["stage"] == stage]
    unit = a["unit"]
    shares_only = bool(rows["amount_t"].isna().all())  # a stage the tables give as shares
    what = "shares of the world's" if shares_only else f"t {unit}"
    title = f"{a['commodity']} {stage} output {a['year']} [{what}]"
    if a["removed"][stage]:
        title += f" without {', '.join(a['removed'][stage])}"
    table = PlainTable(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("Country", style="bold")
    table.add_column(f"Output [t {unit}]", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("", no_wrap=True)
    zero = rows["amount_t"].fillna(1) == 0
    for _, r in rows[~zero].iterrows():
        table.add_row(r["country"], fmt(r["amount_t"]), pct(r["share"]), bar(r["share"]))
    world = "–" if shares_only else fmt(a["world_t"][stage])
    table.add_row(Text("World", style="bold"), world, "", "", end_section=True)
    notes = [f"no output: {', '.join(rows[zero]['country'])}"] if zero.any() else []
    if shares_only:  # the world's mass at this stage is not given: never mine output under it
        notes.append(f"the tables give this stage as shares only, no tonnage ({unit} basis)")
    if notes:
        table.caption = "; ".join(notes)
    foot = Text(
        f"HHI {a['hhi'][stage]:,.0f} (0-10,000; above 2,500 counts as highly concentrated)",
        style="dim",
    )
    return Group(table, foot)


def commodities_table(frame: pd.DataFrame) -> PlainTable:
    """:func:`~mineralcalc.lenses.world_output.world_output`'s frame: world output, basis, top
    producer, HHI and top refiner of every commodity."""
    table = PlainTable(
        title=f"World output {frame.attrs['year']}", box=box.SIMPLE_HEAVY, title_justify="left"
    )
    table.add_column("Commodity", style="bold")
    table.add_column("Output [t]", justify="right")
    table.add_column("Basis", style="cyan", no_wrap=True)
    table.add_column("Top producer")
    table.add_column("Share", justify="right")
    table.add_column("HHI", justify="right")
    table.add_column("Top refiner", no_wrap=True)
    for _, r in frame.iterrows():
        refiner = r["top_refiner"]
        table.add_row(
            r["commodity"],
            fmt(r["output_t"]),
            "oxide (REO)" if r["basis"] == "oxide" else r["basis"],
            r["top_producer"],
            pct(r["top_share"]) if r["top_producer"] else "",
            fmt(r["hhi"]),
            f"{refiner} {pct(r['top_refiner_share'])}" if refiner else "",
        )
    return table
