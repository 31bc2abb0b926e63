"""The commands besides ``report``: validate, products, explain, supply."""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from ..errors import suggest
from .output import EXIT, CliError, catalog_of, tables_of

__all__ = ["cmd_explain", "cmd_products", "cmd_supply", "cmd_validate", "commodity_name"]


def cmd_validate(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from ..lenses.validation import failures, validate
    from ..present.validation_view import validation_table

    catalog = catalog_of(args)
    frame = validate(catalog=catalog)
    keys = set(frame["source"])
    table = catalog.source_table
    meta: dict[str, Any] = {
        "scenario": frame.attrs.get("scenario"),
        "sources": {k: dict(table[k]) for k in sorted(keys) if k in table},
    }
    failed = failures(frame)
    if args.strict and not failed.empty:
        names = ", ".join(str(i) for i in failed["id"])
        meta[EXIT] = (1, f"validate --strict: {len(failed)} counted figure(s) outside their "
                         f"tolerance: {names}")  # fmt: skip
    return validation_table(frame, table), frame, meta


def cmd_products(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    import pandas as pd

    from ..present.catalog_view import catalog_table

    cat = catalog_of(args)
    rows = [
        {"product": pid, "basis": it.basis_text, "name": it.name or "",
         "alternatives": " ".join(cat.alternatives(pid)),
         "sources": " ".join(sorted(cat.source_keys([pid]) - {"periodictable"}))}
        for pid, it in sorted(cat.products.items())
    ]  # fmt: skip
    return catalog_table(cat), pd.DataFrame(rows), {}


def cmd_explain(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from ..present.catalog_view import bom_tree

    cat = catalog_of(args)
    tree = bom_tree(cat, args.item, depth=args.depth, basis=args.basis)
    frame = cat.intensity(args.item, basis=args.basis).reset_index()
    unit = frame.attrs.get("unit", "")
    frame.columns = ["element", f"low [{unit}]", f"central [{unit}]", f"high [{unit}]"]
    return tree, frame, {"item": args.item, "unit": unit, "basis": args.basis}


def cmd_supply(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    import pandas as pd
    from rich.console import Group
    from rich.text import Text

    from ..elements import GROUPS
    from ..errors import MineralcalcError
    from ..lenses.supply import supply
    from ..present.catalog_view import commodities_table, supply_table

    s = supply(args.year or 2024, tables_of(args))
    if args.without:
        s = s.without(*args.without)
    if args.commodity is None:
        rows = []
        for c in s.commodities:
            try:
                rows.append(
                    {"commodity": c, "output_t": s.total(c).to("t").magnitude, "basis": s.basis(c)}
                )
            except MineralcalcError:  # refining-only commodities have no mining total
                continue
        return commodities_table(s), pd.DataFrame(rows), {"year": s.year}
    from ..data.supply_tables import stage_name

    name = commodity_name(s, args.commodity)
    args.stage = stage_name(args.stage) if args.stage else None
    if name in GROUPS["REE"]:  # one rare earth: split from the ores at mining only
        if args.stage not in (None, "mining"):
            raise CliError(
                f"supply {name} --stage {args.stage}: the tables split rare-earth output into "
                f"elements at mining only; 'supply REE --stage {args.stage}' gives that stage"
            )
        args.stage = "mining"
    stages = [args.stage] if args.stage else list(s.stages(name))
    if args.stage and name not in GROUPS["REE"] and args.stage not in s.stages(name):
        s.by_country(name, stage=args.stage)  # names the stages there are
    frames: list[pd.DataFrame] = []
    parts: list[Any] = []
    for stage in stages:
        by = s.by_country(name, stage=stage).rename(columns={"amount": "amount_t"})
        frames.append(by.assign(stage=stage, hhi=s.hhi(name, stage=stage)))
        parts += [supply_table(s, name, stage=stage), Text("")]
    frame = pd.concat(frames, ignore_index=True)[["stage", "country", "amount_t", "share", "hhi"]]
    meta = {"commodity": name, "year": s.year, "stages": stages,
            "basis": s.basis(name), "without": list(s.removed),
            "hhi": s.hhi(name, stage=stages[0]),
            "hhi_by_stage": {st: s.hhi(name, stage=st) for st in stages}}  # fmt: skip
    return Group(*parts[:-1]), frame, meta


def commodity_name(s: Any, name: str) -> str:
    """What ``supply NAME`` shows: a commodity of the tables (``REE``, ``graphite``), one rare
    earth by the ores its producers mine (``Nd``: mining only, the tables split no later
    stage by element), or an element's commodity (``C`` -> ``graphite``, ``Li`` -> ``Li``)."""
    from ..elements import ELEMENTS, GROUPS
    from ..lenses.supply import commodity_of

    if name in s.commodities:
        return name
    if name in GROUPS["REE"]:
        return name
    symbol = next((e for e in ELEMENTS if e.casefold() == name.casefold()), None)
    commodity = commodity_of(symbol) if symbol is not None else None
    if commodity is not None and commodity != "REE":
        return commodity
    known = [*s.commodities, "or an element such as Nd, Li or C"]
    raise CliError(
        f"supply {name!r}: not a commodity or element with supply figures "
        f"({suggest(name, list(s.commodities))}; the tables hold {', '.join(known)})"
    )
