"""The stock-flow model for the terminal and as a chart: stock in use, end-of-life outflow and
recovered mass per element over the years (:mod:`mineralcalc.lenses.stocks`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich import box

from .text import PlainTable, fmt, pct

__all__ = ["plot_stocks", "stocks_table"]


def stocks_table(frame: pd.DataFrame, *, title: str) -> PlainTable:
    """Per element and year (the frame of :func:`~mineralcalc.lenses.recovery.recovery`):
    stock, outflow, recovered (end of life only) and the share of the year's demand it meets;
    with a ``new_scrap`` column, the process scrap recycled in the year beside it."""
    table = PlainTable(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    scrap = "new_scrap" in frame.columns
    for name, justify in (
        ("Element", "left"),
        ("Year", "right"),
        ("In use\n[t]", "right"),
        ("End of life\n[t]", "right"),
        ("Recovered\n[t]", "right"),
        ("Of demand", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)
    if scrap:  # beside, never in, the end of life: left out first at a narrow terminal
        table.add_column("New\nscrap\n[t]", justify="right", no_wrap=True, drop=1)
    last = None
    for rec in frame.to_dict("records"):
        el, year = str(rec["element"]), int(rec["year"])
        if last is not None and el != last:
            table.add_section()
        last = el
        table.add_row(
            el,
            str(year),
            fmt(rec["stock"]),
            fmt(rec["outflow"]),
            fmt(rec["recovered"]),
            pct(rec["of_demand"]),
            *([fmt(rec["new_scrap"])] if scrap else []),
        )
    return table


def product_stocks_table(frame: pd.DataFrame, *, title: str) -> PlainTable:
    """Per year, element and product (the frame of
    :func:`~mineralcalc.lenses.recovery.by_product`): in use, inflow, end of life, recovered.

    Product ids are shown whole (the numbers' headers wrap instead), so the table reads at
    80 columns."""
    table = PlainTable(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    widest = max((len(str(p)) for p in frame["product"]), default=7)
    table.add_column("Year", min_width=7, no_wrap=True)
    table.add_column("Product", min_width=widest, no_wrap=True)
    for name in ("In use\n[t]", "Inflow\n[t/yr]", "End of life\n[t/yr]", "Recovered\n[t/yr]"):
        # what enters use is the demand the report already shows: the first to go
        drop = 1 if name.startswith("Inflow") else None
        table.add_column(name, justify="right", min_width=9, no_wrap=True, drop=drop)
    last = None
    for rec in frame.to_dict("records"):
        key = (rec["year"], rec["element"])
        if last is not None and key != last:
            table.add_section()
        label = f"{int(rec['year'])} {rec['element']}" if key != last else ""
        last = key
        table.add_row(
            label,
            str(rec["product"]),
            fmt(rec["stock"]),
            fmt(rec["inflow"]),
            fmt(rec["outflow"]),
            fmt(rec["recovered"]),
        )
    return table


def plot_stocks(frame: pd.DataFrame, elements: list[str]) -> Any:
    """Stock in use (left) and end-of-life outflow with its recovered part (right) per element
    over the years, a matplotlib figure (needs ``mineralcalc[plot]``)."""
    from .plot import _pyplot

    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    first = frame.attrs.get("first")
    for el in elements:
        f = frame[frame["element"] == el]
        left.plot(f["year"], f["stock"] / 1000, label=el)
        line = right.plot(f["year"], f["outflow"] / 1000, label=f"{el} end of life")[0]
        right.plot(
            f["year"],
            f["recovered"] / 1000,
            ls="--",
            color=line.get_color(),
            label=f"{el} recovered",
        )
        if "stock_p5" in f:
            left.fill_between(f["year"], f["stock_p5"] / 1000, f["stock_p95"] / 1000, alpha=0.2)
    for ax, what in ((left, "in use"), (right, "end of life and recovered")):
        ax.set_xlabel("year")
        ax.set_ylabel(f"kt ({what})")
        if first is not None:
            ax.axvline(first, color="grey", lw=0.8, ls=":")
        ax.legend(fontsize=8)
    left.set_title("Elements in use (stock at year end)")
    right.set_title("End of life and recovered")
    return fig
