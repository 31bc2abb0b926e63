"""The commands besides ``report``: validate, products, explain, supply."""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from .output import EXIT, CliError, catalog_of, tables_of

__all__ = ["cmd_explain", "cmd_products", "cmd_supply", "cmd_validate"]


def cmd_validate(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from ..lenses.validation import failures, validate
    from ..present.validation_view import validation_table

    catalog = catalog_of(args)
    frame = validate(args.scenario, catalog=catalog)
    keys = set(frame["source"])
    table = catalog.source_table
    meta: dict[str, Any] = {
        "scenario": frame.attrs.get("scenario"),
        "sources": {k: dict(table[k]) for k in sorted(keys) if k in table},
    }
    failed = failures(frame)
    if args.strict and not failed.empty:
        names = ", ".join(str(i) for i in failed["id"])
        meta[EXIT] = (
            1,
            f"validate --strict: {len(failed)} counted figure(s) outside their tolerance: {names}",
        )
    return validation_table(frame, table), frame, meta


def cmd_products(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    import pandas as pd

    from ..present.catalog_view import catalog_table

    cat = catalog_of(args)
    rows = [
        {
            "product": pid,
            "basis": it.basis_text,
            "name": it.name or "",
            "alternatives": " ".join(cat.alternatives(pid)),
            "sources": " ".join(sorted(cat.source_keys([pid]) - {"periodictable"})),
        }
        for pid, it in sorted(cat.products.items())
    ]
    return catalog_table(cat), pd.DataFrame(rows), {}


def cmd_explain(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from rich.console import Group, RenderableType
    from rich.text import Text

    from ..engine.intensity import intensity
    from ..facade.demand import demand
    from ..facade.scenario import load_scenario
    from ..model.catalog import Catalog as CatalogData
    from ..present.catalog_view import bom_tree
    from ..present.text import fmt

    if args.depth < 1:  # the tree always shows the item's own parts: depth 0 would be ignored
        raise CliError(
            f"explain: --depth {args.depth}: give the levels to show, 1 or more (1: the "
            "item's own parts only)"
        )
    cat: CatalogData = catalog_of(args)
    if args.scenario is not None:  # the scenario's own items, on the catalog of the flags
        cat = load_scenario(args.scenario, catalog=cat).catalog
    tree: RenderableType = bom_tree(cat, args.item, depth=args.depth, basis=args.basis)
    meta: dict[str, Any] = {"item": args.item, "basis": args.basis}
    if args.amount is not None:  # the masses in that amount: a demand of one item
        d = demand({args.item: args.amount}, cat, basis=args.basis)
        frame = d.by_element().reset_index()
        unit = "t"
        meta["amount"] = args.amount
        caption = Text(
            f"{args.amount} of {args.item} holds ({args.basis}, t): "
            + ", ".join(
                f"{r.element} {fmt(r.central)} ({fmt(r.low)}-{fmt(r.high)})"
                for r in frame.itertuples()
            ),
            style="bold",
        )
        tree = Group(tree, Text(""), caption)
    else:
        frame = intensity(cat, args.item, basis=args.basis).reset_index()
        unit = frame.attrs.get("unit", "")
    frame.columns = ["element", f"low [{unit}]", f"central [{unit}]", f"high [{unit}]"]
    meta["unit"] = unit
    return tree, frame, meta


def cmd_supply(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from rich.console import Group
    from rich.text import Text

    from ..lenses.world_output import country_output, world_output
    from ..present.supply_view import commodities_table, supply_table

    tables = tables_of(args)
    if args.commodity is None:
        every = world_output(args.year, without=args.without, tables=tables)
        frame = every[["commodity", "output_t", "basis"]]
        return commodities_table(every), frame, {"year": every.attrs["year"]}
    frame = country_output(
        args.commodity, args.year, stage=args.stage, without=args.without, tables=tables
    )
    a = frame.attrs
    stages = a["stages"]
    parts: list[Any] = []
    for stage in stages:
        parts += [supply_table(frame, stage), Text("")]
    meta = {
        "commodity": a["commodity"],
        "year": a["year"],
        "stages": stages,
        "basis": a["basis"],
        "without": a["without"],
        "hhi": a["hhi"][stages[0]],
        "hhi_by_stage": a["hhi"],
    }
    return Group(*parts[:-1]), frame, meta
