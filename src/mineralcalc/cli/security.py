"""``mineralcalc security``: a stockpile budget, a bloc's self-sufficiency by stage and the
cost of a price floor, on one screen."""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING, Any

from .output import CliError, catalog_of, inputs_of, save_figure

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["add_security", "cmd_security"]


DEFAULT_BUDGET = "11.67 billion USD"
"""Project Vault: a USD 10 billion loan plus USD 1.67 billion of private capital."""


FLOOR_DEFAULTS = {"floor": "110 USD/kg", "floor_element": "Nd", "floor_volume": "1294 t"}
"""The price floor's defaults: the DoD's USD 110/kg on MP Materials' 1,294 t of NdPr oxide."""

_NOT_IN_TABLE_FORMATS = {
    "budget": "--budget",
    "days": "--days",
    "max_share": "--max-share",
    "pace": "--pace",
    "max_import_share": "--max-import-share",
    "market": "--market",
    "rate": "--rate",
    "floor": "--floor",
    "floor_element": "--floor-element",
    "floor_volume": "--floor-volume",
}
"""Options of the stockpile and the price floor: -f csv and -f markdown write the
self-sufficiency table alone, which none of them changes."""


def _refuse_in_table_formats(args: argparse.Namespace) -> None:
    """An option that changes nothing in ``-f csv`` / ``-f markdown`` is an error naming it."""
    for dest, flag in _NOT_IN_TABLE_FORMATS.items():
        value = getattr(args, dest)
        if value in (None, []) or value == FLOOR_DEFAULTS.get(dest):
            continue
        shown = " ".join(value) if isinstance(value, list) else value
        raise CliError(
            f"{flag} {shown} changes nothing in -f {args.format}: that output is the "
            "self-sufficiency table; the stockpile, its pace and the price floor are in the "
            "terminal table and in -f json; leave one of them out"
        )


def add_security(sub: Any, parents: list[Any], formatter: Any) -> None:
    from ..data.scenario_file import shipped_scenarios

    sec = sub.add_parser(
        "security",
        parents=parents,
        formatter_class=formatter,
        help="a bloc's stockpile, self-sufficiency by stage and price-floor cost",
        description="What a stockpile budget buys of a bloc's demand, how much of it the bloc "
        "supplies itself at each stage (mining, separation, metal, magnets), and what a price "
        "floor costs a year, with the prices and sources used.",
    )
    sec.add_argument(
        "scenario",
        nargs="?",
        default="baseline-2024",
        help="a scenario .toml file or a shipped name: "
        f"{', '.join(shipped_scenarios())} (default: baseline-2024)",
    )
    sec.add_argument(
        "--bloc",
        default="US price-floor talks",
        help="a group of country_groups.csv or a country (default: the United "
        "States, the EU, Japan and Mexico: 'US price-floor talks')",
    )
    sec.add_argument(
        "--elements",
        default="magnet REE",
        help="elements or a group, comma-separated (default: magnet REE)",
    )
    sec.add_argument(
        "--budget",
        default=None,
        help="stockpile budget (default: Project Vault's USD 10 billion loan plus "
        "USD 1.67 billion of private capital, '11.67 billion USD')",
    )
    sec.add_argument(
        "--days",
        type=float,
        default=None,
        help="instead of a budget: what N days of the bloc's demand cost, e.g. --days 90",
    )
    sec.add_argument(
        "--max-share",
        default=None,
        metavar="SHARE",
        help="the pace limit: buy at most this share of each element's world supply a year, "
        "e.g. --max-share 10%% (default: 5%%, an estimate from the largest reported purchases "
        "of state stockpilers; sources.csv: estimate-stockpile-pace)",
    )
    sec.add_argument(
        "--pace",
        default=None,
        metavar="BASIS",
        help="what limits the stockpile's pace: 'output' (a share of world output a year, "
        "--max-share; the default) or 'imports' (a share of the bloc's net imports a year: "
        "its demand less its own separation output, --max-import-share)",
    )
    sec.add_argument(
        "--max-import-share",
        default=None,
        metavar="SHARE",
        help="with --pace imports: buy at most this share of the bloc's net imports of each "
        "element a year, e.g. --max-import-share 20%% (default: 30%%, an estimate from the US "
        "DLA's cobalt tender against US net imports; sources.csv: "
        "estimate-stockpile-import-pace)",
    )
    sec.add_argument(
        "--floor",
        default=FLOOR_DEFAULTS["floor"],
        help="price floor per kg of the priced product (default: the DoD's "
        "USD 110/kg for NdPr oxide)",
    )
    sec.add_argument(
        "--floor-element",
        default=FLOOR_DEFAULTS["floor_element"],
        help="the element whose price the floor holds",
    )
    sec.add_argument(
        "--floor-volume",
        default=FLOOR_DEFAULTS["floor_volume"],
        help="yearly volume the floor covers (default: MP Materials' 1,294 t of "
        "NdPr oxide in 2024)",
    )
    sec.add_argument(
        "--market",
        help="take prices from rows whose market, product or period matches every "
        "';'-separated term, e.g. 'FOB China; Neodymium oxide' (several rows of one year are an "
        "error listing them)",
    )
    sec.add_argument(
        "--rate",
        metavar="CUR=AMOUNT",
        action="append",
        default=[],
        help="an exchange rate: the USD one unit of a currency buys, e.g. --rate EUR=1.08USD "
        "or --rate 'CNY=0.139 USD' (repeatable); needed for a budget, floor or price "
        "(--market) in EUR or CNY",
    )
    sec.add_argument("--plot", metavar="FILE", help="draw self-sufficiency by stage")


def cmd_security(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from rich.console import Group
    from rich.text import Text

    from ..facade.demand import demand
    from ..facade.scenario import load_scenario
    from ..lenses.money_checks import check_days, check_rates, mass_per_year, money
    from ..lenses.price_floor import price_floor
    from ..lenses.security import self_sufficiency
    from ..lenses.stockpile_imports import check_pace
    from ..lenses.stockpiles import stockpile
    from ..present.security_view import (
        bloc_share_line,
        floor_line,
        plot_security,
        self_sufficiency_table,
        stage_sources_line,
        stockpile_table,
        uncounted_note,
    )
    from ..present.stockpile_view import market_table, pace_table, price_note
    from ..present.tables import sources_footnote

    # every flag checked before any work, each error naming its flag
    if args.format in ("csv", "markdown"):
        _refuse_in_table_formats(args)
    rates = check_rates(_rates(args.rate), flag=True)
    els = _elements(args.elements)
    if args.days is not None and args.budget is not None:
        raise CliError(
            f"--budget {args.budget!r} and --days {args.days:g}: give one of them (what a "
            "budget buys, or what N days of demand cost)"
        )
    if args.days is not None:
        check_days(args.days, "--days")
    else:
        args.budget = DEFAULT_BUDGET if args.budget is None else args.budget
        budget = money(args.budget, "--budget", rates, example="'11.67 billion USD'")
        if budget <= 0:
            raise CliError(
                f"--budget {args.budget!r} is not above zero: give e.g. '11.67 billion USD'"
            )
    pace, max_share, max_import_share = check_pace(
        "output" if args.pace is None else args.pace,
        args.max_share,
        args.max_import_share,
        flags=True,
    )
    money(args.floor, "--floor", rates, per="/kg", example="'110 USD/kg'")
    mass_per_year(args.floor_volume, "--floor-volume", example="'1294 t'")
    if args.market is not None and not args.market.strip():
        raise CliError(
            f"--market {args.market!r}: give part of a market's name in prices.csv, e.g. "
            "'FOB China', or leave the flag out for the default prices"
        )

    scenario = load_scenario(
        args.scenario, catalog=catalog_of(args) if (args.tables or args.use) else None
    )
    d = demand(scenario)
    prices = d.catalog.tables.security  # the --tables folder's prices.csv and regional.csv
    year = args.year if args.year is not None else d.years[-1]
    buy = stockpile(
        d,
        bloc=args.bloc,
        budget=args.budget,
        days=args.days,
        elements=els,
        year=year,
        market=args.market,
        rates=rates,
        max_share=max_share,
        pace=pace,
        max_import_share=max_import_share,
    )
    suff = self_sufficiency(d, args.bloc, year=year, elements=els)
    floor = price_floor(
        args.floor_element,
        args.floor,
        args.floor_volume,
        year=year,
        market=args.market,
        rates=rates,
        tables=prices,
    )
    notes = [uncounted_note(buy.attrs)] if buy.attrs["uncounted"] else []
    keys = set(buy.attrs["sources"]) | {floor["prices"]["source"]}
    keys |= {k for ks in suff.attrs["supply_sources"].values() for k in ks}
    table = d.catalog.source_table
    parts: list[Any] = [
        stockpile_table(
            buy,
            title=(
                f"{scenario.name} {year}: what {args.budget} buys of the demand of {args.bloc}"
                if args.days is None
                else f"{scenario.name} {year}: {args.days:g} days of the demand of {args.bloc}"
            ),
        ),
        Text(bloc_share_line(buy), style="dim"),
        *(Text(n, style="dim") for n in notes),
        Text(""),
        pace_table(buy),
        Text(price_note(buy, buy.attrs["markets"])),
        Text(""),
        market_table(
            buy.attrs["markets"], title="The same tonnes at each market's price (prices.csv)"
        ),
        Text(""),
        self_sufficiency_table(suff, title=f"{args.bloc}: own supply by stage, {year}"),
        Text(stage_sources_line(suff), style="dim"),
        Text(""),
        Text(floor_line(floor)),
        Text(""),
        sources_footnote(table, keys & set(table)),
    ]
    if args.plot:
        save_figure(plot_security(suff), args.plot, inputs_of(args))
    pace_keys = (
        "pace",
        "max_share",
        "max_import_share",
        "limit_source",
        "max_share_source",
        "binding",
        "no_supply",
        "no_imports",
        "not_imported",
        "import_stage",
        "import_notes",
    )
    pace_meta: dict[str, Any] = {k: buy.attrs[k] for k in pace_keys if k in buy.attrs}
    pace_meta["years"] = [_finite(y) for y in buy.attrs["years"]]
    pace_meta["days_per_year"] = _finite(buy.attrs["days_per_year"])
    meta = {
        "scenario": scenario.name,
        "year": year,
        "bloc": args.bloc,
        "members": buy.attrs["members"],
        "regions": buy.attrs["regions"],
        "uncounted": buy.attrs["uncounted"],
        "missing": buy.attrs["missing"],
        "notes": notes,
        "self_sufficiency_sources": suff.attrs["supply_sources"],
        "no_data": [list(p) for p in suff.attrs["no_data"]],
        "rates_usd_per": dict(rates.usd_per),
        "budget_usd": buy.attrs["budget"],
        "days": list(buy.attrs["days"]),
        "months": list(buy.attrs["months"]),
        "stockpile": [
            {k: _finite(v) for k, v in r.items()}
            for r in buy.drop(columns=["share", "covered"]).to_dict("records")
        ],
        "pace": pace_meta,
        "markets": [
            {k: (None if isinstance(v, float) and v != v else v) for k, v in m.items()}
            for m in buy.attrs["markets"]
        ],
        "price_floor": {k: v for k, v in floor.items() if k != "prices"},
        "prices": {k: dict(v) for k, v in buy.attrs["prices"].items()},
        "sources": {k: dict(table[k]) for k in sorted(keys) if k in table},
    }
    return Group(*parts), suff, meta


def _finite(value: Any) -> Any:
    """A value for JSON: NaN (no data) and infinity (never) as null, the pace's lists say
    which."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _rates(given: list[str]) -> dict[str, str]:
    """``--rate CUR=AMOUNT`` flags as a mapping, the syntax checked (the values are checked by
    :func:`~mineralcalc.lenses.money_checks.check_rates`)."""
    out: dict[str, str] = {}
    for text in given:
        cur, sep, amount = text.partition("=")
        if not sep or not cur.strip() or not amount.strip():
            raise CliError(
                f"--rate {text!r}: give CURRENCY=AMOUNT, the USD one unit buys, e.g. "
                "--rate EUR=1.08USD or --rate CNY=0.139USD"
            )
        key = cur.strip().upper()
        if key in out:
            raise CliError(f"--rate {key} is given twice ({out[key]!r}, {amount!r}): give it once")
        out[key] = amount.strip()
    return out


def _elements(text: str) -> list[str]:
    """``--elements`` as element symbols, groups resolved."""
    from ..errors import MineralcalcError
    from ..lenses.money import elements_of

    names = [e.strip() for e in text.split(",") if e.strip()]
    if not names:
        raise CliError(
            f"--elements {text!r}: no element given: give symbols or a group, comma-separated, "
            "e.g. --elements Nd,Pr or --elements 'magnet REE'"
        )
    try:
        return elements_of(names)
    except MineralcalcError as e:
        raise CliError(f"--elements {text!r}: {e}") from None
