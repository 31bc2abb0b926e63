"""The command line's parsers besides ``report`` and ``security``: validate, products,
explain and supply (split from :mod:`mineralcalc.cli` to keep each module one concept)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_commands"]


def add_commands(
    sub: Any,
    common: argparse.ArgumentParser,
    with_catalog: argparse.ArgumentParser,
    formatter: Any,
) -> None:
    """Add ``validate``, ``products``, ``explain`` and ``supply`` to the subparsers ``sub``.

    Parameters
    ----------
    sub : argparse subparsers action
        Where the commands are added.
    common : ArgumentParser
        The output and data options every command takes.
    with_catalog : ArgumentParser
        ``common`` and the catalog's options (``--use``).
    formatter : type
        The help formatter (help shown as written, never read as markup).
    """
    from ..data.scenario_file import shipped_scenarios

    val = sub.add_parser(
        "validate",
        parents=[with_catalog],
        formatter_class=formatter,
        help="the baseline (or a scenario) against published figures",
        description="This library's results for the 2024 baseline (and a scenario's projections) "
        "next to published figures "
        "(IEA, Argus, the Cobalt Institute, INSG, ICSG ...), a section per kind: products and "
        "stocks, the ore model, what the market did, the year's price moves; calibration and "
        "context rows apart, not counted. Each row has its ratio, tolerance and status.",
    )
    val.add_argument(
        "scenario",
        nargs="?",
        default="baseline-2024",
        help="a scenario .toml file or a shipped name whose projections to check as well: "
        f"{', '.join(shipped_scenarios())} (default: baseline-2024; a figure of another "
        "scenario's year, such as pledges-2040's recycled nickel, is counted when that "
        "scenario is validated)",
    )
    val.add_argument(
        "--strict",
        action="store_true",
        help="exit with code 1 when a counted figure lies outside its tolerance, whatever "
        "reason is recorded (the table is still printed)",
    )

    sub.add_parser(
        "products",
        parents=[with_catalog],
        formatter_class=formatter,
        help="the products of the catalog",
        description="The products of the catalog, with their basis and sources.",
    )

    exp = sub.add_parser(
        "explain",
        parents=[with_catalog],
        formatter_class=formatter,
        help="an item's bill of materials as a tree",
        description="An item's bill of materials as a tree, with amounts, yields and element contents; "
        "csv/json/markdown give its element intensities.",
    )
    exp.add_argument("item", help="an item id, e.g. offshore_wind")
    exp.add_argument("--depth", type=int, default=6, help="levels to show (default 6)")
    exp.add_argument(
        "--scenario",
        metavar="FILE",
        help="a scenario .toml (or shipped name) whose own items to explain as well",
    )
    exp.add_argument(
        "--amount",
        help="the element masses in this amount of the item instead of per unit of its basis, "
        "e.g. --amount '15 MW' for one 15 MW turbine (exact low-high bounds)",
    )
    exp.add_argument(
        "--basis",
        choices=("contained", "mined", "gross"),
        default="contained",
        help="contained: the elements in the item (default); mined: what has to be mined for "
        "it; gross: what passes through the processes",
    )

    sup = sub.add_parser(
        "supply",
        parents=[common],
        formatter_class=formatter,
        help="world output by country",
        description="World output by country, with shares and the HHI.",
    )
    sup.add_argument(
        "--year", type=int, help="the year of the figures (default: the latest the tables hold)"
    )
    sup.add_argument(
        "commodity",
        nargs="?",
        help="REE, Li, Co, Ni, graphite, Mn, Cu, Ga, Ge or an element (default: all, one line each)",
    )
    sup.add_argument(
        "--stage",
        choices=("mining", "refining", "separation", "metal", "magnet"),
        help="one stage of the chain (default: every stage with figures)",
    )
    sup.add_argument(
        "--without",
        metavar="COUNTRY",
        action="append",
        default=[],
        help="remove a country or group (repeatable)",
    )
