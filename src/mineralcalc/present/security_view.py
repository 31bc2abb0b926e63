"""Supply security on one screen: what a stockpile budget buys, the bloc's self-sufficiency by
stage, and what a price floor costs (:mod:`mineralcalc.lenses.money`,
:mod:`mineralcalc.lenses.security`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from rich import box

from ..elements import GROUPS
from .text import PlainTable, fmt, pct, short, usd

__all__ = [
    "bloc_share_line",
    "floor_line",
    "plot_security",
    "self_sufficiency_table",
    "stage_sources_line",
    "stockpile_table",
    "uncounted_note",
]


NO_DATA = "no data"
"""What a cell shows where the tables hold no figure, never a silent 0."""


def stockpile_table(frame: pd.DataFrame, *, title: str) -> PlainTable:
    """Per element: daily demand, price, tonnes bought; days and months in the caption."""
    table = PlainTable(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    for name in ("Element", "Demand\n[t/day]", "Price\n[USD/kg of metal]", "Bought\n[t]", "Cost"):
        table.add_column(name, justify="left" if name == "Element" else "right", no_wrap=True)
    for r in frame.to_dict("records"):
        spread = f" ({fmt(r['price_low'])}-{fmt(r['price_high'])})"
        price = fmt(r["price"]) + ("" if r["price_low"] == r["price_high"] else spread)
        table.add_row(str(r["element"]), fmt(r["daily"]), price, fmt(r["tonnes"]), usd(r["cost"]))
    lo, c, hi = frame.attrs["days"]
    months = frame.attrs["months"]
    if frame.attrs.get("asked") == "days":
        c_lo, cost, c_hi = frame.attrs["costs"]
        table.caption = (
            f"{fmt(c)} days ({months[1]:.1f} months) of demand cost {usd(cost)} "
            f"({usd(c_lo)}-{usd(c_hi)} over the price ranges), at today's prices"
        )
    else:
        table.caption = (
            f"{fmt(c)} days ({months[1]:.1f} months; {fmt(lo)}-{fmt(hi)} days over the "
            f"price ranges) for {usd(frame.attrs['budget'])}, at today's prices"
        )
    return table


def uncounted_note(attrs: Mapping[Any, Any]) -> str:
    """What a bloc's demand leaves out: its members without a row of ``regional.csv`` (or of
    a region the bloc holds whole) for some product, each with those products (``attrs`` of
    :func:`mineralcalc.lenses.security.bloc_demand`); empty when every member is counted."""
    left = list(attrs.get("uncounted", ()))
    if not left:
        return ""
    missing: Mapping[str, list[str]] = attrs.get("missing", {})
    by_products: dict[str, list[str]] = {}
    for m in left:
        by_products.setdefault(", ".join(missing.get(m, ())) or "any product", []).append(m)
    parts = [f"{', '.join(ms)} for {products}" for products, ms in by_products.items()]
    held = ", ".join(attrs.get("regions", ())) or "none"
    return (
        f"Not counted: {'; '.join(parts)}: no row of their own in regional.csv (their demand "
        "sits in 'Rest of world' or in a region the bloc does not hold whole), so the bloc's "
        f"demand leaves theirs out and is understated; counted regions: {held}."
    )


def bloc_share_line(need: pd.DataFrame) -> str:
    """The bloc's share of each element's demand, how much of modelled demand the regional
    split covers, and how much of that split has a row for every member (the frame of
    :func:`mineralcalc.lenses.stockpiles.stockpile`, or of
    :func:`mineralcalc.lenses.security.bloc_demand`)."""

    def each(column: str) -> str:
        return ", ".join(
            f"{e} {pct(v)}" for e, v in zip(need["element"], need[column], strict=True)
        )

    text = (
        f"The bloc's share of demand: {each('share')} (from the products split by region, "
        f"which make up {each('covered')} of modelled demand; the rest taken to divide alike)."
    )
    if "complete" in need and (need["complete"] < 1).any():
        text += (
            f" Every member has a regional row for {each('complete')} of that split demand; "
            "for the rest some members count as none (below)."
        )
    else:
        text += " Every member has a regional row for each split product."
    return text


def floor_line(floor: Mapping[str, Any]) -> str:
    """What a price floor costs a year, with the price it is set against (the mapping of
    :func:`mineralcalc.lenses.money.price_floor`)."""
    p = floor["prices"]
    text = (
        f"A floor of USD {floor['floor']:g}/kg on {short(floor['volume_kg'] / 1000)} t a year of "
        f"{p['product']} ({p['market']}, {p['period']}: USD {p['price']:.4g}/kg) costs "
        f"USD {short(floor['cost'])} a year"
    )
    if floor["cost_low"] != floor["cost_high"]:
        low, high = short(floor["cost_low"]), short(floor["cost_high"])
        text += f" (USD {low}-{high} over the price range)"
    return text + "."


def self_sufficiency_table(frame: pd.DataFrame, *, title: str) -> PlainTable:
    """Per element and stage: the bloc's demand, own supply, self-sufficiency, import gap."""
    table = PlainTable(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    for name in ("Element", "Stage", "Demand [t]", "Own supply [t]", "Self-sufficient", "Gap [t]"):
        table.add_column(
            name, justify="left" if name in ("Element", "Stage") else "right", no_wrap=True
        )
    last = None
    for r in frame.to_dict("records"):
        if last is not None and r["element"] != last:
            table.add_section()
        last = r["element"]
        known = r["self_sufficiency"] == r["self_sufficiency"]
        table.add_row(
            str(r["element"]),
            str(r["stage"]),
            fmt(r["demand"]),
            fmt(r["supply"]) if known else NO_DATA,
            pct(r["self_sufficiency"]) if known else NO_DATA,
            fmt(r["import_gap"]) if known else NO_DATA,
        )
    return table


def stage_sources_line(frame: pd.DataFrame) -> str:
    """Where the own supply at each stage comes from, and why a stage says "no data" (the
    frame of :func:`mineralcalc.lenses.security.self_sufficiency`)."""
    used: Mapping[str, list[str]] = frame.attrs.get("supply_sources", {})
    rare = any(e in GROUPS["REE"] for e in frame["element"])
    parts = []
    for stage in dict.fromkeys(frame["stage"]):
        keys = list(used.get(stage, ()))
        text = f"{stage}: {', '.join(keys)}" if keys else f"{stage}: none"
        if stage == "mining" and keys and rare:
            text += " (rare earths split by ore type: ore_types.csv, country_ores.csv)"
        parts.append(text)
    line = "Own supply by stage from " + "; ".join(parts) + "."
    gaps: dict[str, str] = {}
    for r in frame.to_dict("records"):
        if r["self_sufficiency"] != r["self_sufficiency"]:
            note = str(r["note"])
            gaps.setdefault(str(r["stage"]), note.removeprefix("no data: "))
    for stage, why in gaps.items():
        line += f" No data at {stage}: {why}."
    return line


def plot_security(frame: pd.DataFrame) -> Any:
    """Self-sufficiency by element and stage as grouped bars (needs ``mineralcalc[plot]``)."""
    from .plot import _pyplot

    plt = _pyplot()
    stages = list(dict.fromkeys(frame["stage"]))
    els = list(dict.fromkeys(frame["element"]))
    fig, ax = plt.subplots(figsize=(8, 4), constrained_layout=True)
    width = 0.8 / max(len(stages), 1)
    for k, stage in enumerate(stages):
        f = frame[frame["stage"] == stage].set_index("element").reindex(els)
        ax.bar(
            [i + k * width for i in range(len(els))],
            f["self_sufficiency"] * 100,
            width,
            label=stage,
        )
    ax.axhline(100, color="grey", lw=0.8, ls=":")
    ax.set_xticks([i + width * (len(stages) - 1) / 2 for i in range(len(els))], els)
    ax.set_ylabel("own supply / demand [%]")
    ax.set_title(str(frame.attrs.get("bloc", "")) + ": self-sufficiency by stage")
    ax.legend()
    return fig
