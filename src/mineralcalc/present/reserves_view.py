"""Demand against reserves for the terminal: the frame of
:func:`mineralcalc.lenses.reserves.reserves` as a table, every figure as the lens computed it."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich import box

from .text import PlainTable, compact, fmt, pct

__all__ = ["reserves_table"]

_STATIC = (
    "Reserves / demand: the years the reserves would last at the last year's demand, a static "
    "ratio, not a forecast (reserves grow with exploration and prices)."
)


def _span(first: Any, last: Any) -> str:
    """The demand's years as ``2024-2030`` (``2024`` for one; ``all years`` without years)."""
    if pd.isna(first):
        return "all years"
    return str(first) if first == last else f"{first}-{last}"


def _caption(frame: pd.DataFrame) -> str:
    """What the ratio means, each row's note, the commodities without a row and why, the
    sources."""
    parts = [_STATIC]
    parts += [f"{r['element']}: {r['note']}." for r in frame.to_dict("records") if r["note"]]
    left_out = dict(frame.attrs.get("left_out", {}))
    if left_out:
        parts.append("No row: " + "; ".join(f"{c} ({why})" for c, why in left_out.items()) + ".")
    if frame.empty:
        parts.append("No commodity of reserves.csv has demand here.")
    sources = frame.attrs.get("sources", ())
    if sources:
        parts.append("Sources: " + ", ".join(sources) + ".")
    return " ".join(parts)


def reserves_table(frame: pd.DataFrame, *, title: str = "Demand against reserves") -> PlainTable:
    """A table of :func:`mineralcalc.lenses.reserves.reserves`'s frame.

    Parameters
    ----------
    frame : DataFrame
        The lens's frame (its columns and ``attrs``).
    title : str
        The table's title.

    Returns
    -------
    PlainTable
        One row per commodity: its balance row (``REE (REO)``, ``Li``), reserves [t], the
        last year's demand [t/yr], cumulative demand over the demand's years [t], cumulative
        demand as a share of reserves, and reserves over the last year's demand [years];
        with ``without``, a row under it with the reserves left [t], the share of them and
        their years. The caption says the ratio is static, gives each row's note, which
        commodities have no row and why, and the sources.
    """
    without = tuple(frame.attrs.get("without", ()))
    first = frame.iloc[0] if len(frame) else None
    last_year = "last year" if first is None or pd.isna(first["last_year"]) else first["last_year"]
    span = "" if first is None else _span(first["first_year"], first["last_year"])
    table = PlainTable(
        title=title,
        caption=_caption(frame),
        box=box.SIMPLE_HEAVY,
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("Commodity", justify="left", min_width=16)
    for name in (
        "Reserves\n[t]",
        f"Demand\n{last_year} [t/yr]",
        f"Cumulative\ndemand\n{span} [t]",
        "Share of\nreserves",
        "Reserves /\ndemand\n[years]",
    ):
        table.add_column(name, justify="right", no_wrap=True)
    for r in frame.to_dict("records"):
        table.add_row(
            str(r["element"]),
            compact(r["reserves"]),
            compact(r["demand_last"]),
            compact(r["cumulative"]),
            pct(r["share"]),
            fmt(r["rp_years"]),
        )
        if without:
            table.add_row(
                f"  without {', '.join(without)}",
                compact(r["reserves_without"]),
                "",
                "",
                pct(r["share_without"]),
                fmt(r["rp_years_without"]),
                style="dim",
            )
    return table
