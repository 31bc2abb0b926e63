"""The reports other than the market balance: ``--basis contained``, ``--sensitivity`` and
``--stocks``, and the sources any report cites."""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from ..errors import SpreadError
from ..lenses.projection import supply_for
from ..lenses.recovery import by_product, new_scrap, recovery, shown_years
from .narrowing import narrowed
from .output import inputs_of, save_figure

__all__ = ["contained_report", "report_sources", "sensitivity_report", "stocks_report"]


def contained_report(
    args: argparse.Namespace, scenario: Any, d: Any, year: int | None
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """``report --basis contained``: the elements in the products, without a supply comparison
    (masses in products are not what supply has to deliver)."""
    from rich.console import Group
    from rich.text import Text

    from ..present.tables import demand_table, sources_footnote

    frame = d.by_element("t", year=year, basis="contained").reset_index()
    frame = narrowed(frame, args.elements, args.group)
    shown = list(frame["element"])
    keys = report_sources(scenario, d)
    note = Text(
        "Contained: the mass of each element in the products themselves, before process losses "
        "and recycling loops; compare it with supply using --basis mined or gross.",
        style="dim",
    )
    renderable = Group(
        demand_table(d, year=year, basis="contained", elements=shown),
        note,
        Text(""),
        sources_footnote(d.catalog.source_table, keys),
    )
    table = d.catalog.source_table
    meta = {
        "scenario": scenario.name,
        "year": year,
        "unit": "t",
        "basis": "contained",
        "sources": {k: dict(table[k]) for k in sorted(keys) if k in table},
    }
    if args.plot:  # the table's elements, in tonnes: contained mass has no supply to match
        from ..present.plot import plot_contained

        when = f" in {year}" if year is not None else ""
        title = (
            f"{scenario.name}: elements contained in the products{when} [t], before process "
            "losses (not compared with supply)"
        )
        save_figure(plot_contained(d, shown, year=year, title=title), args.plot, inputs_of(args))
    return renderable, frame, meta


def report_sources(scenario: Any, d: Any) -> set[str]:
    keys: set[str] = set(scenario.sources.values())
    keys |= d.catalog.source_keys(d.products)
    keys |= {ch.source for ch in scenario.changes if ch.source}
    if getattr(scenario, "supply_source", None):
        keys.add(scenario.supply_source)
    for year in d.years:  # the supply figures the comparison used
        keys |= supply_for(year, None, d.supply_growth, d.catalog.tables)[0].sources()
    return keys & set(d.catalog.source_table)


def sensitivity_report(
    args: argparse.Namespace, scenario: Any, d: Any, year: int | None
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """``report --sensitivity EL``: the drivers of the spread of one element's demand."""
    from ..present.drivers import sensitivity_table

    try:
        frame = d.sensitivity(args.sensitivity, year=year)
    except SpreadError as e:  # an element without modelled demand, or one that does not vary
        raise e.within(f"--sensitivity {args.sensitivity}") from None
    when = f" in {year}" if year is not None else ""
    title = (
        f"{scenario.name}: what drives the spread of {args.sensitivity} demand{when} "
        f"({args.basis} basis, {d.samples:,} samples, seed {d.seed})"
    )
    meta = {
        "scenario": scenario.name,
        "year": year,
        "element": args.sensitivity,
        "unit": "t",
        "basis": args.basis,
        "samples": d.samples,
        "seed": d.seed,
        "bins": frame.attrs["bins"],
        "demand_mean": frame.attrs["demand_mean"],
        "demand_sd": frame.attrs["demand_sd"],
        "first_order_sum": frame.attrs["first_order_sum"],
    }
    if args.plot:
        from ..present.plot import plot_tornado

        save_figure(plot_tornado(frame), args.plot, inputs_of(args))
    return sensitivity_table(frame, title=title), frame, meta


def stocks_report(
    args: argparse.Namespace, scenario: Any, d: Any
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """``report --stocks``: elements in use, end of life and recovered over the years, with
    the process scrap recycled in each year beside the end-of-life recovery."""
    from rich.console import Group
    from rich.text import Text

    from ..present.stocks_view import plot_stocks, product_stocks_table, stocks_table
    from ..present.tables import sources_footnote

    model = d.stock_model(samples=args.samples, seed=args.seed or 0)
    wanted = None
    if args.elements or args.group:
        asked = pd.DataFrame({"element": model.elements, "share": 0.0})
        wanted = list(narrowed(asked, args.elements, args.group)["element"])
    if args.by_product:
        per = by_product(model, wanted)
        head = f"{scenario.name}: stocks and flows by product"
        return product_stocks_table(per, title=head), per, {"scenario": scenario.name, "unit": "t"}
    frame = recovery(d.compare(), model, wanted, scrap=new_scrap(d))
    shown = frame[frame["year"].isin(shown_years(model))]
    rec = d.recycling
    how = (
        "the scenario's [recycling] rates"
        if rec is not None
        else (
            "the end-of-life chain of recycling.csv: about 1 % for rare earths today; batteries "
            "at the EU's 2027-2031 recovery targets"
        )
    )
    title = f"{scenario.name}: stocks and recycling ({how})"
    notes = [f"{p}: {n}" for p, n in model.notes.items() if n]
    if model.left_out:
        notes.append(f"left out (no lifetime in lifetimes.csv): {', '.join(model.left_out)}")
    keys = model.sources & set(d.catalog.source_table)
    parts: list[Any] = [
        stocks_table(shown, title=title),
        Text(
            "Recovered: from end-of-life products only. New scrap: process scrap recycled in "
            "the year (magnet swarf, cell-making scrap), the demand's gross less its mined "
            "demand; it never enters use, so the stock model does not hold it.",
            style="dim",
        ),
        Text("Lifetimes and inflow before " + str(model.first) + ":", style="dim"),
        *(Text("  " + n, style="dim") for n in notes),
        Text(""),
        sources_footnote(d.catalog.source_table, keys),
    ]
    if args.plot:
        save_figure(plot_stocks(frame, frame.attrs["elements"]), args.plot, inputs_of(args))
    table = d.catalog.source_table
    meta = {
        "scenario": scenario.name,
        "unit": "t",
        "first": model.first,
        "left_out": model.left_out,
        "notes": model.notes,
        "sources": {k: dict(table[k]) for k in sorted(keys)},
    }
    table_rows = frame.reset_index(drop=True)  # every column the table shows, and demand
    return Group(*parts), table_rows, meta


def reserves_report(
    args: argparse.Namespace, scenario: Any, d: Any
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """``report --reserves``: cumulative demand against reserves (:mod:`mineralcalc.lenses.reserves`)."""
    from ..present.reserves_view import reserves_table

    frame = d.reserves(without=args.without, other_uses=not args.products_only)
    title = f"{scenario.name}: demand against reserves"
    table = d.catalog.source_table
    keys = sorted(set(frame.attrs.get("sources", [])) & set(table))
    meta = {
        "scenario": scenario.name,
        "unit": "t",
        "without": list(args.without),
        "sources": {k: dict(table[k]) for k in keys},
    }
    return reserves_table(frame, title=title), frame.reset_index(drop=True), meta
