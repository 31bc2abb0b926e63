"""Rich tables of results: demand, the market balance, coverage, sources.

Tables put units in the headers, thousands separators on numbers, low-central-high ranges,
the share of world output with a small bar, the basis of each comparison, and footnotes with
the sources used. Only :mod:`mineralcalc.present` and :mod:`mineralcalc.cli` import rich.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.text import Text

from ..elements import GROUPS, family_of
from .text import PlainTable, bar, compact, fmt, pct, range_text, short, short_note

if TYPE_CHECKING:
    import pandas as pd

    from ..results.demand import Demand

__all__ = [
    "ComparisonTable",
    "balance_order",
    "balance_section",
    "compare_table",
    "coverage_line",
    "demand_table",
    "sources_footnote",
]


_FAMILY_LABEL = {"rare earths": "REE", "battery minerals": "Battery", "other": "Other"}


def balance_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a market balance in the order the table shows them (and the chart draws
    them): families (rare earths, battery minerals, other), the tightest first; within each,
    elements with a share (largest first), then groups, then rows without supply data."""
    group = frame["element"].isin([*GROUPS, *(f"{g} (REO)" for g in GROUPS)])
    rank = (~group & frame["share"].notna()) * 0 + group * 1 + (~group & frame["share"].isna()) * 2
    family = frame["element"].map(family_of)
    tight = frame.assign(_f=family).groupby(["year", "_f"], dropna=False)["share"].transform("max")
    return frame.assign(
        _family=family, _tight=-tight.fillna(-1.0), _rank=rank, _s=-frame["share"].fillna(0)
    ).sort_values(["year", "_tight", "_family", "_rank", "_s"], kind="stable")


class ComparisonTable:
    """A market-balance table that lays itself out for the width it is rendered at (a rich
    renderable: below 100 columns the share bar and the note are left out)."""

    def __init__(self, frame: pd.DataFrame, title: str | None) -> None:
        self.frame, self.title = frame, title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield _compare_table(self.frame, self.title, options.max_width)


def compare_table(frame: pd.DataFrame, *, title: str | None = None) -> ComparisonTable:
    """Demand against supply (the frame of :meth:`Demand.compare`), one year or several.

    Below 100 columns the share bar and the note are left out so that numbers stay whole.
    """
    return ComparisonTable(frame, title)


def _spread(r: Any, centre: str, lo: str, hi: str) -> tuple[Any, Any]:
    """The low and high to show under a central value: p5-p95 when sampled, else the bounds."""
    if centre == "demand" and "demand_p5" in r and r["demand_p5"] == r["demand_p5"]:
        return r["demand_p5"], r["demand_p95"]
    if centre == "share" and "share_p5" in r and r["share_p5"] == r["share_p5"]:
        return r["share_p5"], r["share_p95"]
    return r[lo], r[hi]


def _share_text(r: Any) -> Text:
    share = Text(pct(r["share"]), style="bold red" if r["share"] > 1 else "")
    lo, hi = _spread(r, "share", "share_low", "share_high")
    # under 0.1 % a range says nothing a reader needs and costs the table its width
    if math.isfinite(r["share"]) and pct(lo) != pct(hi) and hi >= 0.001:
        share.append(f"\n{pct(lo)}–{pct(hi)}", style="dim")
    return share


def _parts_text(total: Any, *parts: Any) -> Text:
    """A total with its parts on a second line: ``63,397`` over ``28,863 + 34,534``."""
    text = Text(fmt(total))
    shown = [p for p in parts if p == p and p is not None]
    text.append("\n" + " + ".join(compact(p) for p in shown), style="dim")
    return text


def _compare_table(frame: pd.DataFrame, title: str | None, width: int) -> PlainTable:
    """The market balance laid out for ``width`` so that numbers stay whole.

    Below 100 columns: demand (modelled + other uses under it), supply (recorded + unrecorded
    + recycled under it), share and balance; from 100 the basis, the modelled part, the other uses
    and the demand range in their own columns; from 150 the lines of supply too (recorded,
    unrecorded, recycled); from 200 the share bar and the note (csv, json and markdown always
    carry every column).
    """
    frame = balance_order(frame)
    narrow, full, wide = width < 100, width >= 150, width >= 200
    years = [y for y in dict.fromkeys(frame["year"].tolist())]
    many = len(years) > 1
    sampled = "demand_p5" in frame.columns
    spread = "p5–p95" if sampled else "low–high"
    primary = "refined" if frame.attrs.get("stage") == "refining" else "mined"
    table = PlainTable(title=title, box=box.SIMPLE_HEAVY, title_justify="left", show_lines=False)
    # a group's name wraps its "(REO)" onto the row's second line rather than squeeze numbers
    table.add_column("Element", style="bold", min_width=10, max_width=12)
    if many:
        table.add_column("Year", justify="right", no_wrap=True)
    recorded_head = "recorded" if primary == "mined" else primary
    parts_head = f"{recorded_head} + unrecorded\n+ recycled"
    if narrow:
        table.add_column("Demand [t]\nmodelled + other", justify="right", no_wrap=True)
        table.add_column(f"Supply [t]\n{parts_head}", justify="right", no_wrap=True)
    else:
        table.add_column("Basis", style="cyan", no_wrap=True)
        table.add_column("Modelled\n[t]", justify="right", no_wrap=True)
        table.add_column("Other uses\n[t]", justify="right", no_wrap=True)
        table.add_column(f"Demand [t]\n({spread})", justify="right", no_wrap=True)
        if full:
            table.add_column(
                f"{primary.capitalize()}\n(recorded) [t]", justify="right", no_wrap=True
            )
            table.add_column("Unrecorded\n[t]", justify="right", no_wrap=True)
            table.add_column("Recycled\n[t]", justify="right", no_wrap=True)
            table.add_column("Supply\n[t]", justify="right", no_wrap=True)
        else:
            table.add_column(f"Supply [t]\n{parts_head}", justify="right", no_wrap=True)
    table.add_column(f"Share\n({spread})", justify="right", no_wrap=True)
    # the balance is supply less demand: the first to go where the answer would not fit
    table.add_column("Balance\n[t]", justify="right", no_wrap=True, drop=1)
    if wide:
        table.add_column("", no_wrap=True)
        table.add_column("Note", style="dim", max_width=38)
    families = frame["_family"].nunique() > 1
    last = None
    for _, r in frame.iterrows():
        if families and (r["year"], r["_family"]) != last:
            if last is not None:
                table.add_section()
            table.add_row(Text(_FAMILY_LABEL.get(r["_family"], "Other"), style="italic dim"))
            last = (r["year"], r["_family"])
        cells: list[Any] = [r["element"]]
        if many:
            cells.append("" if r["year"] is None or r["year"] != r["year"] else str(r["year"]))
        recorded = r.get("recorded", r.get("primary"))
        unrecorded, recycled = r.get("unrecorded", 0.0), r.get("secondary")
        supply_parts = _parts_text(r["supply"], recorded, unrecorded or None, recycled)
        if narrow:
            demand_parts = _parts_text(r["demand"], r.get("modelled"), r.get("other_uses"))
            cells += [demand_parts, supply_parts]
        else:
            cells.append("REO" if r["basis"].startswith("oxide") else r["basis"])
            cells += [fmt(r.get("modelled")), fmt(r.get("other_uses"))]
            lo, hi = _spread(r, "demand", "demand_low", "demand_high")
            cells.append(range_text(lo, r["demand"], hi))
            if full:
                u_lo, u_hi = (
                    r.get("unrecorded_low", unrecorded),
                    r.get("unrecorded_high", unrecorded),
                )
                cells += [
                    fmt(recorded),
                    range_text(u_lo, unrecorded, u_hi),
                    fmt(recycled),
                    fmt(r["supply"]),
                ]
            else:
                cells.append(supply_parts)
        cells.append(_share_text(r))
        balance = r.get("balance", float("nan"))
        style = "red" if balance == balance and balance < 0 else ""
        cells.append(Text(short(balance) if narrow else fmt(balance), style=style))
        if wide:
            cells += [bar(r["share"]), short_note(r["note"])]
        table.add_row(*cells)
    return table


def coverage_line(frame: pd.DataFrame, elements: Iterable[str] = ("Nd", "Pr", "Dy", "Tb")) -> Text:
    """'The modelled products make up 46 % of Nd demand, ...': the balance's ``modelled_part``,
    stated."""
    rows = frame[frame["element"].isin(list(elements)) & frame["modelled_part"].notna()]
    if rows.empty:
        return Text("")
    parts = [f"{r['element']} {r['modelled_part']:.0%}" for _, r in rows.iterrows()]
    return Text(
        "The modelled products make up " + ", ".join(parts) + " of demand; the rest is other "
        "uses from published figures (end_uses.csv), or, for rare earths no source splits by "
        "end use, the year's supply (the market assumed to clear).",
        style="dim",
    )


def balance_section(bal: Any, top: int = 4) -> Group:
    """The balance problem (:class:`~mineralcalc.lenses.byproducts.Balance`): the binding element,
    the
    mining it takes, and what meeting each deficit from each ore type brings."""
    head = Text(bal.summary(), style="bold")
    by = bal.by_ore_type
    if by.empty:
        return Group(head)
    table = PlainTable(
        title="Meeting each deficit from one ore type", box=box.SIMPLE, title_justify="left"
    )
    table.add_column("Ore type", no_wrap=True)
    table.add_column("To meet", no_wrap=True)
    table.add_column("Extra REO [t]", justify="right")
    table.add_column("It also brings [t oxide]")
    rows = by[(by["element"] != "all") & (by["extra_reo"] < float("inf"))]
    rows = rows[rows["extra_reo"] > 0].sort_values(["element", "extra_reo"], kind="stable")
    # ore types that stand in with another's distribution give the same row: show it once
    rows = rows.drop_duplicates(subset=["element", "extra_reo"], keep="first")
    others = [c for c in bal.elements.index]
    for _, r in rows.iterrows():
        brought = sorted(
            ((el, r[el]) for el in others if el != r["element"] and r[el] > 0),
            key=lambda x: -x[1],
        )[:top]
        table.add_row(
            str(r["ore_type"]),
            str(r["element"]),
            fmt(r["extra_reo"]),
            ", ".join(f"{el} {fmt(v)}" for el, v in brought),
        )
    lacking = by[(by["element"] != "all") & (by["extra_reo"] == float("inf"))]
    foot = Text("")
    if not lacking.empty:
        pairs = sorted({f"{r['element']} ({r['ore_type']})" for _, r in lacking.iterrows()})
        foot = Text(
            "No sourced share, so no extra mining of that ore meets: " + ", ".join(pairs),
            style="dim",
        )
    return Group(head, table, foot)


def demand_table(
    demand: Demand,
    year: int | None = None,
    unit: str = "t",
    *,
    basis: str | None = None,
    elements: Iterable[str] | None = None,
) -> PlainTable:
    """Demand by element (low, central, high), one year or summed over the years; only the
    rows of ``elements`` (elements and groups) when given."""
    frame = (
        demand.by_element(unit, year=year, basis=basis)
        if len(demand.years) > 1
        else demand.by_element(unit, basis=basis)
    )
    if len(demand.years) > 1 and year is None:
        frame = frame.groupby(level="element", sort=False).sum()
    if elements is not None:
        frame = frame[frame.index.isin(list(elements))]
    when = (
        ""
        if demand.years == [None]
        else (
            f" in {year}"
            if year is not None
            else f", {demand.years[0]}-{demand.years[-1]}"
            if len(demand.years) > 1
            else f" in {demand.years[0]}"
        )
    )
    what = {"contained": "Elements contained in the products", "gross": "Element demand, gross"}
    table = PlainTable(
        title=f"{what.get(basis or demand.basis, 'Element demand')}{when} "
        f"({len(demand.products)} products)",
        box=box.SIMPLE_HEAVY,
        title_justify="left",
    )
    table.add_column("Element", style="bold")
    table.add_column(f"Low [{unit}]", justify="right", style="dim")
    table.add_column(f"Central [{unit}]", justify="right")
    table.add_column(f"High [{unit}]", justify="right", style="dim")
    for el, r in frame.iterrows():
        table.add_row(str(el), fmt(r["low"]), fmt(r["central"]), fmt(r["high"]))
    return table


def sources_footnote(
    sources: Mapping[str, Mapping[str, Any]], keys: Iterable[str], *, full: bool = False
) -> Text:
    """Footnotes listing the sources behind a result.

    Compact (default): the keys with their quality, wrapped; ``full``: one line per source
    with its citation. ``--format markdown`` and ``json`` carry the full citations.
    """
    keys = sorted(set(keys))
    if not full:
        text = Text(
            f"Sources ({len(keys)}; full citations: tables/sources.csv, or -f markdown): ",
            style="bold",
        )
        for n, key in enumerate(keys):
            text.append(key, style="cyan")
            quality = sources.get(key, {}).get("quality")
            if quality:
                text.append(f" [{quality}]", style="dim")
            if n < len(keys) - 1:
                text.append(", ")
        return text
    text = Text("Sources\n", style="bold")
    for key in keys:
        rec = sources.get(key, {})
        cite = str(rec.get("citation") or "")
        if len(cite) > 110:
            cite = cite[:107].rstrip() + "…"
        text.append(f"  {key}", style="cyan")
        text.append(f"  {cite}")
        if rec.get("quality"):
            text.append(f"  [{rec['quality']}]", style="dim")
        text.append("\n")
    return text
