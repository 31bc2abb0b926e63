"""``mineralcalc report``: the market balance of a scenario, or its contained elements."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import pandas as pd

from ..data.supply_tables import stage_name
from ..elements import family_of, resolve_target
from ..lenses.removal import canonical_names, removal
from .flags import check_report_flags
from .narrowing import narrowed
from .output import CliError, catalog_of, inputs_of, progress, save_figure
from .report_kinds import (
    contained_report,
    report_sources,
    reserves_report,
    sensitivity_report,
    stocks_report,
)

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

    from ..facade.demand import demand
    from ..facade.scenario import load_scenario
    from ..present.supply_notes import (
        shortfall_line,
        supply_lines,
        unrecorded_line,
        without_line,
    )
    from ..present.tables import balance_section, compare_table, coverage_line, sources_footnote

    check_report_flags(args)
    scenario = load_scenario(
        args.scenario, catalog=catalog_of(args) if (args.tables or args.use) else None
    )
    # --stocks draws lifetimes and rates, not the demand
    samples, seed = (None, None) if args.stocks else (args.samples, args.seed)
    if args.sensitivity is not None:
        resolve_target(args.sensitivity)  # an unknown element fails before any sampling
        samples = SENSITIVITY_SAMPLES if samples is None else samples
        seed = 0 if seed is None else seed
    with progress() as step, _pool(args.workers if samples else None) as executor:
        d = demand(
            scenario,
            samples=samples,
            seed=seed,
            progress=step,
            basis=args.basis,
            max_memory=args.max_memory,
            executor=executor,
        )
    year = args.year if args.year is not None else d.years[-1]
    if year is not None and year not in d.years:
        raise CliError(f"--year {year}: the scenario has {d.years[0]}-{d.years[-1]}")
    if args.sensitivity is not None:
        return sensitivity_report(args, scenario, d, year)
    if args.stocks:
        return stocks_report(args, scenario, d)
    if args.reserves:
        return reserves_report(args, scenario, d)
    if args.basis == "contained":
        return contained_report(args, scenario, d, year)
    args.stage = stage_name(args.stage)
    unrecorded = not args.recorded_only
    full = d.compare(
        without=args.without,
        other_uses=not args.products_only,
        stage=args.stage,
        unrecorded=unrecorded,
    )
    frame: pd.DataFrame = full[full["year"] == year] if year is not None else full
    frame = narrowed(frame, args.elements, args.group)
    cols = [
        "element",
        "year",
        "basis",
        "demand_basis",
        "modelled_low",
        "modelled",
        "modelled_high",
        "other_low",
        "other_uses",
        "other_high",
        "demand_low",
        "demand",
        "demand_high",
        "recorded",
        "unrecorded_low",
        "unrecorded",
        "unrecorded_high",
        "primary",
        "new_scrap",
        "end_of_life_low",
        "end_of_life",
        "end_of_life_high",
        "secondary_low",
        "secondary",
        "secondary_high",
        "supply_low",
        "supply",
        "supply_high",
        "share_low",
        "share",
        "share_high",
        "modelled_share",
        "balance",
        "shortfall",
        "modelled_part",
        "supply_year",
        "outlook",
        "note",
    ]
    cols += [c for c in frame.columns if c.startswith(("demand_p", "share_p"))]
    cols.append("family")
    frame = frame.assign(family=frame["element"].map(family_of))
    frame = frame[cols].reset_index(drop=True)
    keys = report_sources(scenario, d) | set(full.attrs.get("sources", []))
    what = "the modelled products" if args.products_only else "demand"
    basis = "net mined" if args.basis == "mined" else "gross (through the processes)"
    stage = {"mining": "supply", "refining": "refined output"}.get(
        args.stage, f"{args.stage} output"
    )
    title = (
        f"{scenario.name}: {what}{' in ' + str(year) if year is not None else ''} against world "
        f"{stage} ({basis}; t metal, REO for groups)"
    )
    without = canonical_names(args.without, d.catalog.tables) if args.without else []
    if without:
        removed = "mine output" if args.stage == "mining" else args.stage
        title += f", without the {removed} of {', '.join(without)}"
    if args.recorded_only:
        title += ", recorded output only"
    notes = Text(
        f"Demand: {'modelled products only' if args.products_only else 'modelled products + other uses'}, "
        f"{basis} (magnet swarf 90-100 % recycled; 95-99 % of oxide reaches the metal). "
        f"Supply: {supply_lines(args.stage, args.basis, unrecorded)}.",
        style="dim",
    )
    parts: list[Any] = [compare_table(frame, title=title), notes]
    rare_earths = (frame["family"] == "rare earths").any()
    if unrecorded and rare_earths and args.stage in ("mining", "refining"):
        parts.append(unrecorded_line(full, year))
    if year is not None:
        parts.append(shortfall_line(frame, year))
    if args.without and args.stage == "mining":
        parts.append(without_line(removal(args.without, year, d.catalog.tables)))
    if not args.products_only:
        parts.append(coverage_line(frame))
    if year is not None and (frame["element"] == "REE (REO)").any() and args.stage == "mining":
        parts += [
            Text(""),
            balance_section(
                d.balance(
                    year,
                    without=args.without,
                    other_uses=not args.products_only,
                    unrecorded=unrecorded,
                )
            ),
        ]
    parts += [Text(""), sources_footnote(d.catalog.source_table, keys)]
    renderable = Group(*parts)
    table = d.catalog.source_table
    meta = {
        "scenario": scenario.name,
        "year": year,
        "unit": "t",
        "basis": args.basis,
        "sources": {k: dict(table[k]) for k in sorted(keys) if k in table},
    }
    if args.plot:  # the table's rows (all its years), its scope and its supply
        from ..present.balance_plot import plot_balance

        fig = plot_balance(
            full[full["element"].isin(frame["element"])],
            demand=d,
            year=year,
            other_uses=not args.products_only,
            context=scenario.name,
            without=without,
        )
        save_figure(fig, args.plot, inputs_of(args))
    return renderable, frame, meta
