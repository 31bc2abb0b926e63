"""Rich renderings: demand and comparison tables, the catalog, BOM trees, supply tables.

Tables put units in the headers, thousands separators on numbers, low-central-high ranges,
the share of world output with a small bar, the basis of each comparison, and footnotes with
the sources used. This module and :mod:`mineralcalc.cli` are the only ones that import rich.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..errors import MineralcalcError

if TYPE_CHECKING:
    import pandas as pd

    from ..lenses.supply import Supply
    from ..model.catalog import Catalog
    from ..results.demand import Demand

__all__ = [
    "balance_section",
    "bar",
    "bom_tree",
    "catalog_table",
    "commodities_table",
    "compare_table",
    "coverage_line",
    "demand_table",
    "fmt",
    "sources_footnote",
    "supply_table",
    "validation_table",
]

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


def _range(lo: Any, c: Any, hi: Any) -> Text:
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


def _pct(x: float) -> str:
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


def _order(frame: pd.DataFrame) -> pd.DataFrame:
    """Elements with a share (largest first), then groups, then rows without supply data."""
    from ..elements import GROUPS

    group = frame["element"].isin([*GROUPS, *(f"{g} (REO)" for g in GROUPS)])
    rank = (~group & frame["share"].notna()) * 0 + group * 1 + (~group & frame["share"].isna()) * 2
    return frame.assign(_rank=rank, _s=-frame["share"].fillna(0)).sort_values(
        ["year", "_rank", "_s"], kind="stable"
    )


class _Comparison:
    """A comparison table laid out for the width it is rendered at."""

    def __init__(self, frame: pd.DataFrame, title: str | None) -> None:
        self.frame, self.title = frame, title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield _compare_table(self.frame, self.title, options.max_width)


def compare_table(frame: pd.DataFrame, *, title: str | None = None) -> _Comparison:
    """Demand against supply (the frame of :meth:`Demand.compare`), one year or several.

    Below 100 columns the share bar and the note are left out so that numbers stay whole.
    """
    return _Comparison(frame, title)


def _spread(r: Any, centre: str, lo: str, hi: str) -> tuple[Any, Any]:
    """The low and high to show under a central value: p5-p95 when sampled, else the bounds."""
    if centre == "demand" and "demand_p5" in r and r["demand_p5"] == r["demand_p5"]:
        return r["demand_p5"], r["demand_p95"]
    if centre == "share" and "share_p5" in r and r["share_p5"] == r["share_p5"]:
        return r["share_p5"], r["share_p95"]
    return r[lo], r[hi]


def _share_text(r: Any) -> Text:
    share = Text(_pct(r["share"]), style="bold red" if r["share"] > 1 else "")
    lo, hi = _spread(r, "share", "share_low", "share_high")
    if math.isfinite(r["share"]) and _pct(lo) != _pct(hi):
        share.append(f"\n{_pct(lo)}–{_pct(hi)}", style="dim")
    return share


def _supply_text(r: Any) -> Text:
    """Supply with its recycled part on a second line (layouts without their own columns)."""
    text = Text(fmt(r["supply"]))
    secondary = r.get("secondary", float("nan"))
    if secondary == secondary and secondary > 0:
        text.append(f"\n+{fmt(secondary)} recycled", style="dim")
    return text


def _parts_text(total: Any, a: Any, b: Any) -> Text:
    """A total with its two parts on a second line: ``63,397`` over ``28,863 + 34,534``."""
    text = Text(fmt(total))
    text.append(f"\n{fmt(a)} + {fmt(b)}", style="dim")
    return text


def _compare_table(frame: pd.DataFrame, title: str | None, width: int) -> Table:
    """The market balance laid out for ``width`` so that numbers stay whole.

    Below 100 columns: demand (modelled + other uses under it), supply (primary + recycled
    under it), share and balance; from 100 the basis, the modelled part, the other uses and the
    demand range in their own columns; from 150 primary and secondary supply too; from 200
    the share bar and the note (csv, json and markdown always carry every column).
    """
    frame = _order(frame)
    narrow, full, wide = width < 100, width >= 150, width >= 200
    years = [y for y in dict.fromkeys(frame["year"].tolist())]
    many = len(years) > 1
    sampled = "demand_p5" in frame.columns
    spread = "p5–p95" if sampled else "low–high"
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left", show_lines=False)
    # a group's name wraps its "(REO)" onto the row's second line rather than squeeze numbers
    table.add_column("Element", style="bold", min_width=10, max_width=12)
    if many:
        table.add_column("Year", justify="right", no_wrap=True)
    if narrow:
        table.add_column("Demand [t]\nmodelled + other", justify="right", no_wrap=True)
        table.add_column("Supply [t]\nmined + recycled", justify="right", no_wrap=True)
    else:
        table.add_column("Basis", style="cyan", no_wrap=True)
        table.add_column("Modelled\n[t]", justify="right", no_wrap=True)
        table.add_column("Other uses\n[t]", justify="right", no_wrap=True)
        table.add_column(f"Demand [t]\n({spread})", justify="right", no_wrap=True)
        if full:
            table.add_column("Primary\n[t]", justify="right", no_wrap=True)
            table.add_column("Secondary\n[t]", justify="right", no_wrap=True)
            table.add_column("Supply\n[t]", justify="right", no_wrap=True)
        else:
            table.add_column("Supply [t]\nmined + recycled", justify="right", no_wrap=True)
    table.add_column(f"Share\n({spread})", justify="right", no_wrap=True)
    table.add_column("Balance\n[t]", justify="right", no_wrap=True)
    if wide:
        table.add_column("", no_wrap=True)
        table.add_column("Note", style="dim", max_width=38)
    for _, r in frame.iterrows():
        cells: list[Any] = [r["element"]]
        if many:
            cells.append("" if r["year"] is None or r["year"] != r["year"] else str(r["year"]))
        supply_parts = _parts_text(r["supply"], r.get("primary"), r.get("secondary"))
        if narrow:
            demand_parts = _parts_text(r["demand"], r.get("modelled"), r.get("other_uses"))
            cells += [demand_parts, supply_parts]
        else:
            cells.append("REO" if r["basis"].startswith("oxide") else r["basis"])
            cells += [fmt(r.get("modelled")), fmt(r.get("other_uses"))]
            lo, hi = _spread(r, "demand", "demand_low", "demand_high")
            cells.append(_range(lo, r["demand"], hi))
            if full:
                cells += [fmt(r.get("primary")), fmt(r.get("secondary")), fmt(r["supply"])]
            else:
                cells.append(supply_parts)
        cells.append(_share_text(r))
        balance = r.get("balance", float("nan"))
        style = "red" if balance == balance and balance < 0 else ""
        cells.append(Text(fmt(balance), style=style))
        if wide:
            cells += [bar(r["share"]), short_note(r["note"])]
        table.add_row(*cells)
    return table


def coverage_line(frame: pd.DataFrame, elements: Iterable[str] = ("Nd", "Pr", "Dy", "Tb")) -> Text:
    """'The products modelled cover 46 % of Nd demand, ...': the catalog's coverage, stated."""
    rows = frame[frame["element"].isin(list(elements)) & frame["coverage"].notna()]
    if rows.empty:
        return Text("")
    parts = [f"{r['element']} {r['coverage']:.0%}" for _, r in rows.iterrows()]
    return Text(
        "The modelled products make up " + ", ".join(parts) + " of demand; the rest is other "
        "uses from published figures (end_uses.csv), or, for rare earths no source splits by "
        "end use, the year's supply (the market assumed to clear).",
        style="dim",
    )


def balance_section(bal: Any, top: int = 4) -> Group:
    """The balance problem (:class:`~mineralcalc.balance.Balance`): the binding element, the
    mining it takes, and what meeting each deficit from each ore type brings."""
    head = Text(bal.summary(), style="bold")
    by = bal.by_ore_type
    if by.empty:
        return Group(head)
    table = Table(
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
            str(r["ore_type"]), str(r["element"]), fmt(r["extra_reo"]),
            ", ".join(f"{el} {fmt(v)}" for el, v in brought),
        )  # fmt: skip
    lacking = by[(by["element"] != "all") & (by["extra_reo"] == float("inf"))]
    foot = Text("")
    if not lacking.empty:
        pairs = sorted({f"{r['element']} ({r['ore_type']})" for _, r in lacking.iterrows()})
        foot = Text("No sourced share, so no extra mining of that ore meets: " + ", ".join(pairs),
                    style="dim")  # fmt: skip
    return Group(head, table, foot)


def demand_table(
    demand: Demand, year: int | None = None, unit: str = "t", *, basis: str | None = None
) -> Table:
    """Demand by element (low, central, high), one year or summed over the years."""
    frame = (
        demand.by_element(unit, year=year, basis=basis)
        if len(demand.years) > 1
        else demand.by_element(unit, basis=basis)
    )
    if len(demand.years) > 1 and year is None:
        frame = frame.groupby(level="element", sort=False).sum()
    when = "" if demand.years == [None] else (
        f" in {year}" if year is not None else f", {demand.years[0]}-{demand.years[-1]}"
        if len(demand.years) > 1 else f" in {demand.years[0]}"
    )  # fmt: skip
    what = {"contained": "Elements contained in the products", "gross": "Element demand, gross"}
    table = Table(
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


def catalog_table(catalog: Catalog) -> Table:
    """The products of a catalog, with their basis, kind, alternatives and sources."""
    table = Table(title="Products", box=box.SIMPLE_HEAVY, title_justify="left")
    longest = max((len(pid) for pid in catalog.products), default=7)
    table.add_column("Product", style="bold", no_wrap=True, min_width=longest)  # ids stay whole
    table.add_column("Per", style="cyan")
    table.add_column("Name")
    table.add_column("Alternatives", style="magenta")
    table.add_column("Sources", style="dim", overflow="fold", max_width=40)
    for pid, item in sorted(catalog.products.items()):
        keys = sorted(set(catalog.sources(pid)["source"]) - {"periodictable"})
        table.add_row(
            pid, item.basis_text, item.name or "", ", ".join(catalog.alternatives(pid)),
            ", ".join(keys[:4]) + (f" (+{len(keys) - 4})" if len(keys) > 4 else ""),
        )  # fmt: skip
    return table


def bom_tree(
    catalog: Catalog, item_id: str, *, depth: int = 6, top: int = 4, basis: str = "contained"
) -> Tree:
    """The bill of materials of an item as a tree: amount and yield on every line, and each
    level's element contents per basis-unit (the ``top`` largest, central values), in
    ``basis`` (default: contained in the item)."""

    def contents(iid: str) -> Text:
        frame = catalog.intensity(iid, basis=basis)
        if frame.empty:
            return Text("no elements", style="dim")
        per = catalog[iid].basis_text
        parts = [f"{el} {fmt(v)}" for el, v in frame["central"].head(top).items()]
        more = f" +{len(frame) - top}" if len(frame) > top else ""
        return Text(f"[{', '.join(parts)}{more} kg/{per}]", style="green")

    def label(iid: str) -> Text:
        it = catalog[iid]
        text = Text(iid, style="bold")
        if it.name:
            text.append(f"  {it.name}", style="italic")
        return text

    root_item = catalog[item_id]
    root = Tree(Text.assemble(label(item_id), f"  per {root_item.basis_text}  ", contents(item_id)))

    def yield_text(part: Any) -> Text:
        if part.yield_.is_fixed and part.yield_.values()[1] == 1.0:
            return Text("")
        return Text(f" at yield {part.yield_}", style="yellow")

    def chain(iid: str) -> tuple[Text, str]:
        """Follow single-line pass-throughs (1 kg/kg at some yield) down to where the graph
        branches: ``→ nd_metal at yield 0.75 → Nd at yield 0.8``."""
        text = Text()
        while len(catalog[iid].parts) == 1:
            ((child, part),) = catalog[iid].parts.items()
            if part.amount is None or part.amount.values()[1] != 1.0 or not part.amount.is_fixed:
                break
            text.append(" → ", style="dim")
            text.append(child, style="bold")
            text.append_text(yield_text(part))
            iid = child
        return text, iid

    def grow(node: Tree, iid: str, level: int) -> None:
        for child, part in catalog[iid].parts.items():
            line = Text(str(part.amount) if part.amount is not None else "balance", style="cyan")
            line.append_text(yield_text(part))
            line.append("  ")
            line.append_text(label(child))
            if part.source:
                line.append(f"  ({part.source})", style="dim")
            tail, end = chain(child)
            line.append_text(tail)
            if catalog[child].parts:
                line.append("  ")
                line.append_text(contents(child))
            branch = node.add(line)
            if catalog[end].parts:
                if level >= depth:
                    branch.add(Text("…", style="dim"))
                else:
                    grow(branch, end, level + 1)

    grow(root, item_id, 1)
    return root


def supply_table(supply: Supply, commodity: str, *, stage: str = "mining") -> Group:
    """Output of a commodity by country, with shares, bars and the HHI."""
    frame = supply.by_country(commodity, stage=stage)
    basis = supply.basis(commodity)
    total = supply.total(commodity, stage=stage).to("t").magnitude
    shown = "REO" if basis == "oxide" else basis
    title = f"{commodity} {stage} output {supply.year} [t {shown}]"
    if supply.removed:
        title += f" without {', '.join(supply.removed)}"
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("Country", style="bold")
    table.add_column(f"Output [t {shown}]", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("", no_wrap=True)
    zero = frame["amount"].fillna(1) == 0
    for _, r in frame[~zero].iterrows():
        table.add_row(r["country"], fmt(r["amount"]), _pct(r["share"]), bar(r["share"]))
    table.add_row(Text("World", style="bold"), fmt(total), "", "", end_section=True)
    if zero.any():
        table.caption = f"no output: {', '.join(frame[zero]['country'])}"
    hhi = supply.hhi(commodity, stage=stage)
    foot = Text(
        f"HHI {hhi:,.0f} (0-10,000; above 2,500 counts as highly concentrated)",
        style="dim",
    )
    return Group(table, foot)


def commodities_table(supply: Supply) -> Table:
    """Every commodity with figures this year: world output, basis, top producer, HHI."""
    table = Table(title=f"World output {supply.year}", box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("Commodity", style="bold")
    table.add_column("Output [t]", justify="right")
    table.add_column("Basis", style="cyan", no_wrap=True)
    table.add_column("Top producer")
    table.add_column("Share", justify="right")
    table.add_column("HHI", justify="right")
    for c in supply.commodities:
        try:
            total = supply.total(c).to("t").magnitude
        except MineralcalcError:  # a commodity with refining figures only
            continue
        frame = supply.by_country(c)
        top = frame.iloc[0] if not frame.empty else None
        hhi = supply.hhi(c) if len(frame) > 1 else float("nan")
        table.add_row(
            c, fmt(total), "oxide (REO)" if supply.basis(c) == "oxide" else supply.basis(c),
            "" if top is None else top["country"],
            "" if top is None else _pct(top["share"]), fmt(hhi),
        )  # fmt: skip
    return table


def validation_table(frame: pd.DataFrame, sources: Mapping[str, Mapping[str, Any]]) -> Group:
    """The validation table (:func:`mineralcalc.validation.validate`)."""
    table = Table(
        title=f"{frame.attrs.get('scenario', '')} against published figures",
        box=box.SIMPLE_HEAVY, title_justify="left",
    )  # fmt: skip
    table.add_column("Figure", max_width=44)
    table.add_column("Year", justify="right", no_wrap=True)
    table.add_column("Published", justify="right", no_wrap=True)
    table.add_column("Ours", justify="right", no_wrap=True)
    table.add_column("Ratio", justify="right", no_wrap=True)
    table.add_column("Tolerance", justify="right", no_wrap=True)
    table.add_column("Status", max_width=40)
    table.add_column("Source", style="cyan", no_wrap=True)

    def show(v: float, unit: str) -> str:
        return f"{v:.1%}" if unit == "%" else f"{fmt(v)} t"

    for _, r in frame.iterrows():
        status = Text(
            r["status"],
            style="green" if r["status"] == "ok" else ("yellow" if r["within"] is False
                                                       and r["status"].startswith("outside")
                                                       else "bold red"),
        )  # fmt: skip
        table.add_row(
            str(r["quantity"]), str(r["year"]), show(r["published"], r["unit"]),
            show(r["ours"], r["unit"]), f"{r['ratio']:.2f}", f"±{r['tolerance']:.0%}", status,
            str(r["source"]),
        )  # fmt: skip
    n_ok = int((frame["status"] == "ok").sum())
    explained = int(frame["status"].str.startswith("outside:").sum())
    foot = Text(
        f"{n_ok} of {len(frame)} within tolerance; {explained} outside with a recorded reason; "
        f"{len(frame) - n_ok - explained} unexplained.",
        style="bold",
    )
    return Group(table, foot, sources_footnote(sources, set(frame["source"])))


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
