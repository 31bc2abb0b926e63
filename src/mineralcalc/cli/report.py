"""``mineralcalc report``: the market balance of a scenario, or its contained elements."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import pandas as pd

from ..data.supply_tables import stage_name
from ..elements import GROUPS, OXIDE_SUFFIX, family_of, oxide_name, resolve, resolve_target
from ..errors import UnknownItemError, suggest
from ..lenses.projection import supply_for
from .output import CliError, catalog_of, inputs_of, progress, save_figure

__all__ = ["SENSITIVITY_SAMPLES", "cmd_report"]


@contextlib.contextmanager
def _pool(workers: int | None) -> Iterator[Executor | None]:
    """A process pool for ``--workers N`` (none for one process)."""
    if not workers or workers == 1:
        yield None
        return
    with ProcessPoolExecutor(workers) as pool:
        yield pool


SENSITIVITY_SAMPLES = 10_000
"""Samples ``report --sensitivity`` draws when ``--samples`` is not given (seed 0)."""


def cmd_report(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from rich.console import Group
    from rich.text import Text

    from ..model.scenario import load_scenario
    from ..present.supply_notes import shortfall_line, supply_lines, unrecorded_line
    from ..present.tables import balance_section, compare_table, coverage_line, sources_footnote
    from ..results.api import demand

    scenario = load_scenario(
        args.scenario, catalog=catalog_of(args) if (args.tables or args.use) else None
    )
    samples, seed = args.samples, args.seed
    if args.sensitivity is not None:
        resolve_target(args.sensitivity)  # an unknown element fails before any sampling
        samples = SENSITIVITY_SAMPLES if samples is None else samples
        seed = 0 if seed is None else seed
    if args.workers is not None and args.workers < 1:
        raise CliError(f"--workers {args.workers}: give a number of processes >= 1")
    with progress() as step, _pool(args.workers if samples else None) as executor:
        d = demand(
            scenario, samples=samples, seed=seed, progress=step, basis=args.basis,
            max_memory=args.max_memory, executor=executor,
        )  # fmt: skip
    year = args.year if args.year is not None else d.years[-1]
    if year is not None and year not in d.years:
        raise CliError(f"--year {year}: the scenario has {d.years[0]}-{d.years[-1]}")
    if args.sensitivity is not None:
        return _sensitivity_report(args, scenario, d, year)
    if args.stocks:
        return _stocks_report(args, scenario, d)
    if args.basis == "contained":
        return _contained_report(args, scenario, d, year)
    args.stage = stage_name(args.stage)
    unrecorded = not args.recorded_only
    full = d.compare(without=args.without, other_uses=not args.products_only, stage=args.stage,
                     unrecorded=unrecorded)  # fmt: skip
    frame = full[full["year"] == year] if year is not None else full
    frame = _narrowed(frame, args.elements, args.group)
    cols = ["element", "year", "basis", "demand_basis", "modelled_low", "modelled",
            "modelled_high", "other_low", "other_uses", "other_high", "demand_low", "demand",
            "demand_high", "recorded", "unrecorded_low", "unrecorded", "unrecorded_high",
            "primary", "new_scrap", "end_of_life_low", "end_of_life", "end_of_life_high",
            "secondary_low", "secondary", "secondary_high", "supply_low", "supply",
            "supply_high", "share_low", "share", "share_high", "modelled_share", "balance",
            "shortfall", "coverage", "supply_year", "outlook", "note"]  # fmt: skip
    cols += [c for c in frame.columns if c.startswith(("demand_p", "share_p"))]
    cols.append("family")
    frame = frame.assign(family=frame["element"].map(family_of))
    frame = frame[cols].reset_index(drop=True)
    keys = _report_sources(scenario, d) | set(full.attrs.get("sources", []))
    what = "the modelled products" if args.products_only else "demand"
    basis = "net mined" if args.basis == "mined" else "gross (through the processes)"
    stage = {"mining": "supply", "refining": "refined output"}.get(
        args.stage, f"{args.stage} output"
    )
    title = (
        f"{scenario.name}: {what}{' in ' + str(year) if year is not None else ''} against world "
        f"{stage} ({basis}; t metal, REO for groups)"
    )
    if args.without:
        removed = "mine output" if args.stage == "mining" else args.stage
        title += f", without the {removed} of {', '.join(_canonical(args.without))}"
    if args.recorded_only:
        title += ", recorded output only"
    notes = Text(
        f"Demand: {'modelled products only' if args.products_only else 'modelled products + other uses'}, "
        f"{basis} (magnet swarf 90-100 % recycled; 95-99 % of oxide reaches the metal). "
        f"Supply: {supply_lines(args.stage, args.basis, unrecorded)}.",
        style="dim",
    )
    parts: list[Any] = [compare_table(frame, title=title), notes]
    if unrecorded and args.stage in ("mining", "refining"):
        parts.append(unrecorded_line(full, year))
    if year is not None:
        parts.append(shortfall_line(frame, year))
    if args.without and args.stage == "mining":
        parts.append(Text(_without_note(args.without, year), style="dim"))
    if not args.products_only:
        parts.append(coverage_line(frame))
    if year is not None and (frame["element"] == "REE (REO)").any() and args.stage == "mining":
        parts += [Text(""), balance_section(
            d.balance(year, without=args.without, other_uses=not args.products_only,
                      unrecorded=unrecorded)
        )]  # fmt: skip
    parts += [Text(""), sources_footnote(d.catalog.source_table, keys)]
    renderable = Group(*parts)
    table = d.catalog.source_table
    meta = {
        "scenario": scenario.name, "year": year, "unit": "t", "basis": args.basis,
        "sources": {k: dict(table[k]) for k in sorted(keys) if k in table},
    }  # fmt: skip
    if args.plot:
        from ..present.plot import plot_demand

        fig = plot_demand(d, year=year)
        save_figure(fig, args.plot, inputs_of(args))
    return renderable, frame, meta


def _narrowed(frame: pd.DataFrame, elements: list[str], groups: list[str]) -> pd.DataFrame:
    """The rows ``--elements`` and ``--group`` ask for (all without either)."""
    if not elements and not groups:
        return frame
    wanted: set[str] = set()
    for item in (e.strip() for text in elements for e in text.split(",")):
        if not item:
            continue
        try:
            symbols = resolve(item)
        except UnknownItemError as e:
            raise CliError(f"--elements {item!r}: {e}") from None
        wanted |= set(symbols)
        if len(symbols) > 1 or item.endswith(OXIDE_SUFFIX):  # a group: its REO row too
            base = item.removesuffix(OXIDE_SUFFIX)
            wanted |= {oxide_name(g) for g in GROUPS if g.casefold() == base.casefold()}
    families = {"rare earths": "rare earths", "ree": "rare earths", "battery": "battery minerals",
                "battery minerals": "battery minerals", "other": "other"}  # fmt: skip
    for g in groups:
        family = families.get(g.strip().casefold())
        if family is not None:
            wanted |= {e for e in frame["element"] if family_of(e) == family}
            continue
        try:
            wanted |= set(resolve(g))
        except UnknownItemError:
            known = [*families, *GROUPS]
            raise CliError(f"--group {g!r}: not a family or group ({suggest(g, known)})") from None
        wanted |= {oxide_name(k) for k in GROUPS if k.casefold() == g.strip().casefold()}
    return frame[frame["element"].isin(wanted)]


def _canonical(names: list[str]) -> list[str]:
    """Countries and groups as the supply tables spell them (``china`` -> ``China``)."""
    from ..lenses.supply import supply

    known = supply(2024).names()
    return [known.canonical(n) or n for n in names]


def _without_note(names: list[str], year: int | None) -> str:
    """What a --without removes: mine output, each rare earth from the country's own ores."""
    from ..lenses.supply import shipped_years, supply

    names = _canonical(names)
    s = supply(year if year in shipped_years() else shipped_years()[-1])
    refined = [
        f"{c} {s.share('REE', c, stage='refining'):.0%}"
        for c in names
        if s.share("REE", c, stage="refining") > 0
    ]
    text = (
        f"Without {', '.join(names)}: their mine output is removed, each rare earth by the ores "
        "they mine (the heavies of the clays go with the countries that mine the clays)."
    )
    if refined:
        text += (
            f" Separation and refining stay: {', '.join(refined)} of the world's rare earths "
            "are separated there (IEA), so a refining stop would remove more."
        )
    binds = _binding_stages(s, names)
    if binds:
        text += " Were they to stop at every stage, the stage that binds: " + "; ".join(binds) + "."
    return text


def _binding_stages(s: Any, names: list[str]) -> list[str]:
    """Per commodity with several stages: the world output left at each stage without
    ``names``, and the stage with the least left (``REE: magnet 6 % left (mining 31 %, ...)``)."""
    gone = s.without(*names)
    out = []
    for commodity in s.commodities:
        stages = s.stages(commodity)
        if len(stages) < 2:
            continue
        left = {}
        for stage in stages:
            whole = s.total(commodity, stage=stage).magnitude
            if whole > 0:
                left[stage] = gone.total(commodity, stage=stage).magnitude / whole
        if len(left) < 2:
            continue
        worst = min(left, key=lambda k: left[k])
        rest = ", ".join(f"{k} {v:.0%}" for k, v in left.items() if k != worst)
        out.append(f"{commodity} {worst} ({left[worst]:.0%} left; {rest})")
    return out


def _contained_report(
    args: argparse.Namespace, scenario: Any, d: Any, year: int | None
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """``report --basis contained``: the elements in the products, without a supply comparison
    (masses in products are not what supply has to deliver)."""
    from rich.console import Group
    from rich.text import Text

    from ..present.tables import demand_table, sources_footnote

    frame = d.by_element("t", year=year, basis="contained").reset_index()
    keys = _report_sources(scenario, d)
    note = Text(
        "Contained: the mass of each element in the products themselves, before process losses "
        "and recycling loops; compare it with supply using --basis mined or gross.",
        style="dim",
    )
    renderable = Group(
        demand_table(d, year=year, basis="contained"), note, Text(""),
        sources_footnote(d.catalog.source_table, keys),
    )  # fmt: skip
    table = d.catalog.source_table
    meta = {
        "scenario": scenario.name, "year": year, "unit": "t", "basis": "contained",
        "sources": {k: dict(table[k]) for k in sorted(keys) if k in table},
    }  # fmt: skip
    return renderable, frame, meta


def _report_sources(scenario: Any, d: Any) -> set[str]:
    keys: set[str] = set(scenario.sources.values())
    keys |= d.catalog.source_keys(d.products)
    keys |= {ch.source for ch in scenario.changes if ch.source}
    if getattr(scenario, "supply_source", None):
        keys.add(scenario.supply_source)
    for year in d.years:  # the supply figures the comparison used
        keys |= supply_for(year, None, d.supply_growth)[0].sources()
    return keys & set(d.catalog.source_table)


def _sensitivity_report(
    args: argparse.Namespace, scenario: Any, d: Any, year: int | None
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """``report --sensitivity EL``: the drivers of the spread of one element's demand."""
    from ..present.drivers import sensitivity_table

    frame = d.sensitivity(args.sensitivity, year=year)
    when = f" in {year}" if year is not None else ""
    title = (
        f"{scenario.name}: what drives the spread of {args.sensitivity} demand{when} "
        f"({args.basis} basis, {d.samples:,} samples, seed {d._mc.seed})"
    )
    meta = {
        "scenario": scenario.name, "year": year, "element": args.sensitivity, "unit": "t",
        "basis": args.basis, "samples": d.samples, "seed": d._mc.seed, "bins": frame.attrs["bins"],
        "demand_mean": frame.attrs["demand_mean"], "demand_sd": frame.attrs["demand_sd"],
        "first_order_sum": frame.attrs["first_order_sum"],
    }  # fmt: skip
    if args.plot:
        from ..present.plot import plot_tornado

        save_figure(plot_tornado(frame), args.plot, inputs_of(args))
    return sensitivity_table(frame, title=title), frame, meta


def _stocks_report(
    args: argparse.Namespace, scenario: Any, d: Any
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """``report --stocks``: elements in use, end of life and recovered over the years."""
    from rich.console import Group
    from rich.text import Text

    from ..present.stocks_view import plot_stocks, stocks_table
    from ..present.tables import sources_footnote

    model = d.stock_model(samples=args.samples, seed=args.seed or 0)
    frame = model.by_element()
    wanted = list(_narrowed(pd.DataFrame({"element": model.elements, "share": 0.0}),
                            args.elements, args.group)["element"])  # fmt: skip
    if not args.elements and not args.group:  # default: the magnet rare earths
        wanted = [e for e in ("Nd", "Pr", "Dy", "Tb") if e in model.elements]
    order = {e: k for k, e in enumerate(wanted)}
    frame = frame[frame["element"].isin(wanted)].sort_values(
        ["element", "year"], key=lambda c: c.map(order) if c.name == "element" else c
    )
    step = [y for y in model.years if y >= model.first and (y - model.first) % 5 == 0]
    shown = frame[frame["year"].isin({*step, model.years[-1]})]
    need = {(r.element, int(r.year)): float(r.demand)
            for r in d.compare().itertuples(index=False) if r.year == r.year}  # fmt: skip
    rec = d.recycling
    how = ("the scenario's [recycling] rates" if rec is not None
           else "the end-of-life chain of recycling.csv (about 1 % for rare earths today)")  # fmt: skip
    title = f"{scenario.name}: stocks and recycling ({how})"
    notes = [f"{p}: {n}" for p, n in model.notes.items() if n]
    if model.left_out:
        notes.append(f"left out (no lifetime in lifetimes.csv): {', '.join(model.left_out)}")
    keys = model.sources & set(d.catalog.source_table)
    parts: list[Any] = [stocks_table(shown, demand=need, title=title),
                        Text("Lifetimes and inflow before " + str(model.first) + ":", style="dim"),
                        *(Text("  " + n, style="dim") for n in notes), Text(""),
                        sources_footnote(d.catalog.source_table, keys)]  # fmt: skip
    if args.plot:
        save_figure(plot_stocks(frame, wanted), args.plot, inputs_of(args))
    table = d.catalog.source_table
    meta = {"scenario": scenario.name, "unit": "t", "first": model.first,
            "left_out": model.left_out, "notes": model.notes,
            "sources": {k: dict(table[k]) for k in sorted(keys)}}  # fmt: skip
    return Group(*parts), frame.reset_index(drop=True), meta
