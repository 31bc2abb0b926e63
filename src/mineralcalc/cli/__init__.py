"""The ``mineralcalc`` command line.

    mineralcalc report [SCENARIO]     the market balance: demand against world supply (default:
                                      baseline-2024), with the balance problem
    mineralcalc validate              the baseline against published figures
    mineralcalc products              the products of the catalog
    mineralcalc explain ITEM          an item's bill of materials as a tree, with element contents
    mineralcalc supply [COMMODITY]    world output by country, shares and concentration

Every command takes ``--format table|csv|json|markdown`` and ``--output FILE`` (written
atomically). Bad input exits with code 2 and one line naming the file, row or key and the fix;
``--help`` stays fast because pandas and the unit registry load only when a command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .output import EXIT, CliError, inputs_of, render, tables_note

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["main"]

FORMATS = ("table", "csv", "json", "markdown")


def parser() -> argparse.ArgumentParser:
    """The command line's argument parser: every command and option (the documentation's
    reference of the command line is generated from it)."""
    from rich_argparse import RawDescriptionRichHelpFormatter

    from ..data.scenario_file import shipped_scenarios

    class Formatter(RawDescriptionRichHelpFormatter):
        """Help shown as written: ``[recycling]``, ``[t]`` are text, not rich markup."""

        help_markup = False
        text_markup = False

    common = argparse.ArgumentParser(add_help=False)
    out = common.add_argument_group("output")
    out.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format")
    out.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write to FILE (atomically; never over an input of the run, a pipe or a device; a "
        "link is written through) instead of the terminal; - for standard output",
    )
    data = common.add_argument_group("data")
    data.add_argument(
        "--tables",
        metavar="FOLDER",
        help="a folder of your own tables (any table of tables/README.md: items, parts, "
        "supply, ore types, prices, lifetimes ...); each one you give replaces the shipped one, "
        "the rest stay shipped, and the output says which were yours",
    )
    # the catalog's options: for the commands that compute with products
    with_catalog = argparse.ArgumentParser(add_help=False, parents=[common])
    with_catalog.add_argument(
        "--use",
        metavar="ALT",
        action="append",
        default=[],
        help="use a disputed alternative, e.g. smartphone_press (repeatable; two alternatives "
        "of one item are an error)",
    )
    # the year: for the commands whose answer is of one year
    with_year = argparse.ArgumentParser(add_help=False)
    with_year.add_argument(
        "--year", type=int, help="the year to show (default: the last year of the scenario)"
    )

    parser = argparse.ArgumentParser(
        prog="mineralcalc",
        description="Tonnes of critical elements that products take, against world output.",
        epilog="Examples:\n  mineralcalc report\n  mineralcalc report buildout-2030 --year 2030 -f csv -o 2030.csv\n"
        "  mineralcalc report --sensitivity Dy --plot dy.png\n"
        "  mineralcalc explain offshore_wind\n  mineralcalc supply REE --without China",
        formatter_class=Formatter,
    )
    from .._version import __version__

    parser.add_argument("--version", action="version", version=f"mineralcalc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    rep = sub.add_parser(
        "report",
        parents=[with_catalog, with_year],
        formatter_class=Formatter,
        help="element demand of a scenario against world output",
        description="Element demand of a scenario against world output, per element and REE group.",
    )
    rep.add_argument(
        "scenario",
        nargs="?",
        default="baseline-2024",
        help="a scenario .toml file or a shipped name: "
        f"{', '.join(shipped_scenarios())} (default: baseline-2024)",
    )
    rep.add_argument(
        "--without",
        metavar="COUNTRY",
        action="append",
        default=[],
        help="remove a country or group from supply (repeatable)",
    )
    rep.add_argument(
        "--stage",
        choices=("mining", "refining", "separation", "metal", "magnet"),
        help="compare demand with the output of this stage of the chain: mining (default) or "
        "refining (refined chemicals and metal; with --without, that stage's producers go)",
    )
    rep.add_argument(
        "--elements",
        metavar="LIST",
        action="append",
        default=[],
        help="show these elements or groups only, e.g. Li,Co,Ni or 'magnet REE' (repeatable)",
    )
    rep.add_argument(
        "--group",
        metavar="NAME",
        action="append",
        default=[],
        help="show one family only: 'rare earths', 'battery' (Li, Ni, Co, Mn, graphite as C) "
        "or 'other'; or an element group such as 'magnet REE' (repeatable)",
    )
    rep.add_argument(
        "--samples", type=int, metavar="N", help="Monte Carlo samples for the spread of the result"
    )
    rep.add_argument("--seed", type=int, metavar="S", help="random seed for --samples (>= 0)")
    rep.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="sample on N processes (the same numbers as one process for a given --seed)",
    )
    rep.add_argument(
        "--max-memory",
        metavar="SIZE",
        help="memory budget for --samples (the demand's Monte Carlo, and the stock model's "
        "with --stocks), e.g. '4 GiB' (default 2 GiB); a run estimated above it is refused "
        "before it starts",
    )
    rep.add_argument(
        "--basis",
        choices=("mined", "gross", "contained"),
        help="mined: demand net of recycled scrap against mine output and end-of-life "
        "recycling (default); gross: demand through the processes against all recycling; "
        "contained: the elements in the products themselves (no supply comparison)",
    )
    rep.add_argument(
        "--sensitivity",
        metavar="ELEMENT",
        help="which uncertain inputs drive the spread of this element's (or group's) demand: "
        "rank correlation and first-order variance index of every input; --plot draws a "
        "tornado (samples default to 10,000)",
    )
    rep.add_argument(
        "--stocks",
        action="store_true",
        help="the stock-flow model instead: elements in use, end of life and recovered over "
        "the years, with the share of demand recovery meets (lifetimes.csv, recycling.csv and "
        "the scenario's [recycling]); --plot draws it",
    )
    rep.add_argument(
        "--by-product",
        action="store_true",
        help="with --stocks: the stocks and flows of each product (what wind turbines hold in "
        "use in 2040), not only each element's sum",
    )
    rep.add_argument(
        "--reserves",
        action="store_true",
        help="cumulative demand over the scenario's years against reserves instead "
        "(reserves.csv, USGS 2025): the share of reserves it takes and the static "
        "reserves-to-demand ratio in years; --without leaves countries' reserves out",
    )
    rep.add_argument(
        "--recorded-only",
        action="store_true",
        help="leave out the output that recorded statistics miss (unrecorded.csv: Laos's clays, "
        "output outside China's quota, Myanmar above USGS's figure): recorded output and "
        "recycling only",
    )
    rep.add_argument(
        "--products-only",
        action="store_true",
        help="compare the modelled products alone, without the other uses of each element",
    )
    rep.add_argument(
        "--plot",
        metavar="FILE",
        help="also write a chart (.png, .svg or .pdf; needs the plot extra: "
        "pip install 'mineralcalc[plot]')",
    )

    from .parsers import add_commands

    add_commands(sub, common, with_catalog, Formatter)
    from .security import add_security

    add_security(sub, [with_catalog, with_year], Formatter)
    return parser


def _commands() -> dict[
    str, Callable[[argparse.Namespace], tuple[Any, pd.DataFrame, dict[str, Any]]]
]:
    from .commands import cmd_explain, cmd_products, cmd_supply, cmd_validate
    from .report import cmd_report
    from .security import cmd_security

    return {
        "report": cmd_report,
        "validate": cmd_validate,
        "products": cmd_products,
        "explain": cmd_explain,
        "supply": cmd_supply,
        "security": cmd_security,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input)."""
    cli = parser()
    args, extra = cli.parse_known_args(argv)
    if extra:  # an option of another command, or of none: naming both beats argparse's line
        return _fail(
            f"mineralcalc {args.command}: {' '.join(extra)}: not an option of this command "
            f"('mineralcalc {args.command} --help' lists its options)"
        )
    try:
        _check_outputs(args)
        renderable, frame, meta = _commands()[args.command](args)
        code, message = meta.pop(EXIT, (0, ""))
        if args.tables:  # say what the answer was computed from
            from rich.console import Group
            from rich.text import Text

            note, own = tables_note(args.tables)
            meta["tables"] = {"folder": args.tables, "yours": own}
            renderable = Group(renderable, Text(note, style="dim"))
        text = render(args, renderable, frame, meta)
        if args.output and args.output != "-":
            from ..present.export import write_atomic

            assert text is not None
            write_atomic(args.output, text, inputs=inputs_of(args))
            sys.stderr.write(f"mineralcalc: wrote {os.path.abspath(args.output)}\n")
        elif text is not None:
            sys.stdout.write(text)
        else:
            from rich.console import Console

            Console().print(renderable)
        if code:
            sys.stderr.write(f"mineralcalc: {message}\n")
            return int(code)
    except (CliError, NotImplementedError) as e:
        return _fail(str(e))
    except Exception as e:
        from ..errors import MineralcalcError

        if isinstance(e, MineralcalcError):
            return _fail(str(e))
        if isinstance(e, OSError):
            return _fail(f"{e.filename or ''}: {e.strerror or e}")
        if isinstance(e, ImportError) and "matplotlib" in str(e):
            return _fail("--plot needs matplotlib: pip install 'mineralcalc[plot]'")
        raise
    return 0


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse, before any work, outputs that would destroy an input or each other."""
    import os

    from ..errors import OutputError

    if args.output == "" or getattr(args, "plot", None) == "":
        raise OutputError("an empty output path: give a file name, or - for standard output")
    paths = [p for p in (args.output, getattr(args, "plot", None)) if p and p != "-"]
    inputs = {os.path.realpath(p): p for p in inputs_of(args)}
    for p in paths:
        hit = inputs.get(os.path.realpath(p))
        if hit is not None:
            raise OutputError(
                f"{p}: is an input of this run ({hit}); writing there would destroy it, so "
                "write the output elsewhere"
            )
    if len(paths) == 2 and os.path.realpath(paths[0]) == os.path.realpath(paths[1]):
        raise CliError(f"{paths[0]}: given to both --output and --plot; give two files")
    plot = getattr(args, "plot", None)
    if plot:
        suffix = plot.rsplit(".", 1)[-1].lower() if "." in plot else ""
        if suffix not in ("png", "svg", "pdf"):
            raise CliError(f"--plot {plot}: use a .png, .svg or .pdf file name")


def _fail(message: str) -> int:
    line = " ".join(message.split())
    sys.stderr.write(f"mineralcalc: error: {line}\n")
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
