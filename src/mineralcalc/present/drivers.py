"""The drivers of a spread as a terminal table (:func:`mineralcalc.lenses.sensitivity`)."""

from __future__ import annotations

import pandas as pd
from rich import box
from rich.console import Group
from rich.text import Text

from .text import PlainTable, bar, fmt

__all__ = ["sensitivity_table"]


def _value(x: float) -> str:
    return fmt(x) if abs(x) >= 0.01 or x == 0 else f"{x:.3g}"


def sensitivity_table(frame: pd.DataFrame, *, top: int = 10, title: str | None = None) -> Group:
    """The ``top`` inputs by first-order index, with their ranges, rank correlation and the
    demand when each is in its lowest or highest tenth; a note on what the indices add up to."""
    attrs = frame.attrs
    el, n = attrs.get("element", ""), attrs.get("samples", 0)
    table = PlainTable(
        title=title or f"What drives the spread of {el} demand ({n:,} samples)",
        box=box.SIMPLE_HEAVY,
        title_justify="left",
    )
    table.add_column("Input", style="bold", overflow="fold")
    table.add_column("Range (central)", justify="right")
    table.add_column("Rank\ncorr.", justify="right")
    table.add_column("First-order\nindex", justify="left", no_wrap=True)
    table.add_column("Demand [t] when the input is\nin its lowest → highest tenth", justify="right")
    for _, r in frame.head(top).iterrows():
        rng = f"{_value(r['low'])}–{_value(r['high'])} ({_value(r['central'])})\n{r['dist']}"
        unit = "" if r["unit"] in ("fraction", "") else f" {r['unit']}"
        s1 = Text(f"{r['first_order']:.1%} ", style="bold" if r["first_order"] >= 0.1 else "")
        s1.append_text(bar(float(r["first_order"])))
        table.add_row(
            r["parameter"],
            rng + unit,
            f"{r['rank_correlation']:+.2f}",
            s1,
            f"{fmt(r['demand_low'])} → {fmt(r['demand_high'])}",
        )
    total = attrs.get("first_order_sum", float("nan"))
    rest = max(0.0, 1.0 - total)
    note = (
        f"{el} demand: mean {fmt(attrs.get('demand_mean'))} t, standard deviation "
        f"{fmt(attrs.get('demand_sd'))} t. First-order index: the share of the variance an input "
        f"explains alone (±{frame['first_order_se'].max():.1%} at most); they add up to "
        f"{total:.0%}"
        + (
            f", the other {rest:.0%} is interaction between inputs."
            if rest >= 0.02
            else ": the inputs act additively."
        )
        + f" {len(frame)} inputs in all; -f csv lists every one."
    )
    return Group(table, Text(note, style="dim"))
