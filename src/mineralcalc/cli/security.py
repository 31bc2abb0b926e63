"""``mineralcalc security``: a stockpile budget, a bloc's self-sufficiency by stage and the
cost of a price floor, on one screen."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .output import inputs_of, save_figure

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["add_security", "cmd_security"]


def add_security(sub: Any, parents: list[Any], formatter: Any) -> None:
    sec = sub.add_parser(
        "security", parents=parents, formatter_class=formatter,
        help="a bloc's stockpile, self-sufficiency by stage and price-floor cost",
        description="What a stockpile budget buys of a bloc's demand, how much of it the bloc "
        "supplies itself at each stage (mining, separation, metal, magnets), and what a price "
        "floor costs a year, with the prices and sources used.",
    )  # fmt: skip
    sec.add_argument("scenario", nargs="?", default="baseline-2024",
                     help="a scenario .toml file or a shipped name (default: baseline-2024)")  # fmt: skip
    sec.add_argument("--bloc", default="US price-floor talks",
                     help="a group of country_groups.csv or a country (default: the United "
                     "States, the EU, Japan and Mexico: 'US price-floor talks')")  # fmt: skip
    sec.add_argument(
        "--elements",
        default="magnet REE",
        help="elements or a group, comma-separated (default: magnet REE)",
    )
    sec.add_argument("--budget", default="11.67 billion USD",
                     help="stockpile budget (default: Project Vault's USD 10 billion loan plus "
                     "USD 1.67 billion of private capital)")  # fmt: skip
    sec.add_argument("--floor", default="110 USD/kg",
                     help="price floor per kg of the priced product (default: the DoD's "
                     "USD 110/kg for NdPr oxide)")  # fmt: skip
    sec.add_argument(
        "--floor-element", default="Nd", help="the element whose price the floor holds"
    )
    sec.add_argument("--floor-volume", default="1294 t",
                     help="yearly volume the floor covers (default: MP Materials' 1,294 t of "
                     "NdPr oxide in 2024)")  # fmt: skip
    sec.add_argument(
        "--market", help="take prices from rows whose market matches, e.g. 'FOB China'"
    )
    sec.add_argument("--plot", metavar="FILE", help="draw self-sufficiency by stage")


def cmd_security(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from rich.console import Group
    from rich.text import Text

    from ..lenses.money import elements_of, price_floor, stockpile
    from ..lenses.security import bloc_demand, self_sufficiency
    from ..model.scenario import load_scenario
    from ..present.security_view import plot_security, self_sufficiency_table, stockpile_table
    from ..present.tables import sources_footnote
    from ..present.text import pct, short
    from ..results.api import demand

    scenario = load_scenario(args.scenario)
    d = demand(scenario)
    year = args.year if args.year is not None else d.years[-1]
    els = elements_of([e.strip() for e in args.elements.split(",") if e.strip()])
    need = bloc_demand(d, args.bloc, year=year, elements=els)
    buy = stockpile(dict(zip(need["element"], need["daily"], strict=True)), budget=args.budget,
                    year=year, market=args.market)  # fmt: skip
    suff = self_sufficiency(d, args.bloc, year=year, elements=els)
    floor = price_floor(args.floor_element, args.floor, args.floor_volume, year=year,
                        market=args.market)  # fmt: skip
    share = ", ".join(f"{e} {pct(s)}" for e, s in zip(need["element"], need["share"], strict=True))
    covered = ", ".join(
        f"{e} {pct(c)}" for e, c in zip(need["element"], need["covered"], strict=True)
    )
    p = floor["prices"]
    floor_text = (
        f"A floor of USD {floor['floor']:g}/kg on {short(floor['volume_kg'] / 1000)} t a year of "
        f"{p['product']} ({p['market']}, {p['period']}: USD {p['price']:.4g}/kg) costs "
        f"USD {short(floor['cost'])} a year"
        + ("" if floor["cost_low"] == floor["cost_high"] else
           f" (USD {short(floor['cost_low'])}-{short(floor['cost_high'])} over the price range)")
        + "."
    )  # fmt: skip
    keys = set(need.attrs["sources"]) | {v["source"] for v in buy.attrs["prices"].values()}
    keys |= {p["source"]}
    table = d.catalog.source_table
    parts: list[Any] = [
        stockpile_table(
            buy,
            title=f"{scenario.name} {year}: what {args.budget} buys of the demand of {args.bloc}",
        ),
        Text(
            f"The bloc's share of demand: {share} (from the products split by region, which "
            f"make up {covered} of modelled demand; the rest taken to divide alike).",
            style="dim",
        ),
        Text(""),
        self_sufficiency_table(suff, title=f"{args.bloc}: own supply by stage, {year}"),
        Text(""),
        Text(floor_text),
        Text(""),
        sources_footnote(table, keys & set(table)),
    ]
    if args.plot:
        save_figure(plot_security(suff), args.plot, inputs_of(args))
    meta = {"scenario": scenario.name, "year": year, "bloc": args.bloc,
            "members": need.attrs["members"], "budget_usd": buy.attrs["budget"],
            "days": list(buy.attrs["days"]), "months": list(buy.attrs["months"]),
            "stockpile": buy.to_dict("records"),
            "price_floor": {k: v for k, v in floor.items() if k != "prices"},
            "prices": {k: dict(v) for k, v in buy.attrs["prices"].items()},
            "sources": {k: dict(table[k]) for k in sorted(keys) if k in table}}  # fmt: skip
    return Group(*parts), suff, meta
