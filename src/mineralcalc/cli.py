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
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType

    from .model.catalog import Catalog

__all__ = ["main"]

FORMATS = ("table", "csv", "json", "markdown")


class CliError(Exception):
    """A problem with the command line itself (exit code 2)."""


def _parser() -> argparse.ArgumentParser:
    from rich_argparse import RawDescriptionRichHelpFormatter as Formatter

    common = argparse.ArgumentParser(add_help=False)
    out = common.add_argument_group("output")
    out.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format")
    out.add_argument(
        "--output", "-o", metavar="FILE",
        help="write to FILE (atomically; never over an input of the run, a pipe or a device; a "
        "link is written through) instead of the terminal; - for standard output",
    )  # fmt: skip
    out.add_argument(
        "--year", type=int, help="the year to show (default: the last year of the scenario)"
    )
    data = common.add_argument_group("data")
    data.add_argument(
        "--tables", metavar="FOLDER", help="your own tables, merged over the shipped ones"
    )
    data.add_argument(
        "--use",
        metavar="ALT",
        action="append",
        default=[],
        help="use a disputed alternative, e.g. smartphone_press (repeatable)",
    )

    parser = argparse.ArgumentParser(
        prog="mineralcalc",
        description="Tonnes of critical elements that products take, against world output.",
        epilog="Examples:\n  mineralcalc report\n  mineralcalc report buildout-2030 --year 2030 -f csv -o 2030.csv\n"
        "  mineralcalc explain offshore_wind\n  mineralcalc supply REE --without China",
        formatter_class=Formatter,
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"mineralcalc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    rep = sub.add_parser("report", parents=[common], formatter_class=Formatter,
                         help="element demand of a scenario against world output",
                         description="Element demand of a scenario against world output, per element and REE group.")  # fmt: skip
    rep.add_argument(
        "scenario",
        nargs="?",
        default="baseline-2024",
        help="a scenario .toml file or a shipped name (default: baseline-2024)",
    )
    rep.add_argument(
        "--without",
        metavar="COUNTRY",
        action="append",
        default=[],
        help="remove a country or group from supply (repeatable)",
    )
    rep.add_argument(
        "--samples", type=int, metavar="N", help="Monte Carlo samples for the spread of the result"
    )
    rep.add_argument("--seed", type=int, metavar="S", help="random seed for --samples (>= 0)")
    rep.add_argument(
        "--max-memory", metavar="SIZE",
        help="memory budget for --samples, e.g. '4 GiB' (default 2 GiB); a run estimated "
        "above it is refused before it starts",
    )  # fmt: skip
    rep.add_argument(
        "--basis", choices=("mined", "gross", "contained"), default="mined",
        help="mined: demand net of recycled scrap against mine output and end-of-life "
        "recycling (default); gross: demand through the processes against all recycling; "
        "contained: the elements in the products themselves (no supply comparison)",
    )  # fmt: skip
    rep.add_argument(
        "--products-only",
        action="store_true",
        help="compare the modelled products alone, without the other uses of each element",
    )
    rep.add_argument(
        "--plot", metavar="FILE",
        help=r"also write a chart (.png, .svg or .pdf; needs the plot extra: "
        r"pip install 'mineralcalc\[plot]')",
    )  # fmt: skip

    sub.add_parser("validate", parents=[common], formatter_class=Formatter,
                   help="the baseline against published figures",
                   description="This library's results for the 2024 baseline next to published figures "
                   "(IEA, JRC, Argus, Roskill, REIA), with the ratio, the tolerance and, for a figure "
                   "outside it, the reason.")  # fmt: skip

    sub.add_parser("products", parents=[common], formatter_class=Formatter,
                   help="the products of the catalog", description="The products of the catalog, with their basis and sources.")  # fmt: skip

    exp = sub.add_parser("explain", parents=[common], formatter_class=Formatter,
                         help="an item's bill of materials as a tree",
                         description="An item's bill of materials as a tree, with amounts, yields and element contents; "
                         "csv/json/markdown give its element intensities.")  # fmt: skip
    exp.add_argument("item", help="an item id, e.g. offshore_wind")
    exp.add_argument("--depth", type=int, default=6, help="levels to show (default 6)")
    exp.add_argument(
        "--basis", choices=("contained", "mined", "gross"), default="contained",
        help="contained: the elements in the item (default); mined: what has to be mined for "
        "it; gross: what passes through the processes",
    )  # fmt: skip

    sup = sub.add_parser("supply", parents=[common], formatter_class=Formatter,
                         help="world output by country", description="World output by country, with shares and the HHI.")  # fmt: skip
    sup.add_argument(
        "commodity", nargs="?", help="REE, Li, Co, Ni, graphite, Ga (default: all, one line each)"
    )
    sup.add_argument("--stage", choices=("mining", "refining"), default="mining")
    sup.add_argument(
        "--without",
        metavar="COUNTRY",
        action="append",
        default=[],
        help="remove a country or group (repeatable)",
    )
    return parser


# ------------------------------------------------------------------------------ commands
def _catalog(args: argparse.Namespace) -> Catalog:
    from .model.catalog import Catalog

    cat = Catalog.from_tables(args.tables) if args.tables else Catalog.default()
    return cat.use(*args.use) if args.use else cat


def _cmd_report(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from rich.console import Group
    from rich.text import Text

    from .model.scenario import load_scenario
    from .model.volumes import demand
    from .present.tables import balance_section, compare_table, coverage_line, sources_footnote

    scenario = load_scenario(
        args.scenario, catalog=_catalog(args) if (args.tables or args.use) else None
    )
    with _progress() as step:
        d = demand(
            scenario, samples=args.samples, seed=args.seed, progress=step, basis=args.basis,
            max_memory=args.max_memory,
        )  # fmt: skip
    year = args.year if args.year is not None else d.years[-1]
    if year is not None and year not in d.years:
        raise CliError(f"--year {year}: the scenario has {d.years[0]}-{d.years[-1]}")
    if args.basis == "contained":
        return _contained_report(args, scenario, d, year)
    full = d.compare(without=args.without, other_uses=not args.products_only)
    frame = full[full["year"] == year] if year is not None else full
    cols = ["element", "year", "basis", "demand_basis", "modelled_low", "modelled",
            "modelled_high", "other_low", "other_uses", "other_high", "demand_low", "demand",
            "demand_high", "primary", "secondary_low", "secondary", "secondary_high", "supply",
            "share_low", "share", "share_high", "modelled_share", "balance", "coverage",
            "supply_year", "note"]  # fmt: skip
    cols += [c for c in frame.columns if c.startswith(("demand_p", "share_p"))]
    frame = frame[cols].reset_index(drop=True)
    keys = _report_sources(scenario, d) | set(full.attrs.get("sources", []))
    what = "the modelled products" if args.products_only else "demand"
    basis = "net mined" if args.basis == "mined" else "gross (through the processes)"
    title = (
        f"{scenario.name}: {what}{' in ' + str(year) if year is not None else ''} against world "
        f"supply ({basis}; t metal, REO for groups)"
    )
    if args.without:
        title += f", without the mine output of {', '.join(_canonical(args.without))}"
    supply_note = (
        "primary is mine output, each rare earth from the ore types its producers mine; "
        + ("secondary is end-of-life recycling (recycled magnet swarf is netted out of demand)"
           if args.basis == "mined" else "secondary is recycled swarf and end-of-life scrap")
    )  # fmt: skip
    notes = Text(
        f"Demand: {'modelled products only' if args.products_only else 'modelled products + other uses'}, "
        f"{basis} (magnet swarf 90-100 % recycled, 20 % oxide-to-metal loss). Supply: {supply_note}.",
        style="dim",
    )
    parts: list[Any] = [compare_table(frame, title=title), notes]
    if args.without:
        parts.append(Text(_without_note(args.without, year), style="dim"))
    if not args.products_only:
        parts.append(coverage_line(frame))
    if year is not None and (frame["element"] == "REE (REO)").any():
        parts += [Text(""), balance_section(
            d.balance(year, without=args.without, other_uses=not args.products_only)
        )]  # fmt: skip
    parts += [Text(""), sources_footnote(d.catalog.source_table, keys)]
    renderable = Group(*parts)
    table = d.catalog.source_table
    meta = {
        "scenario": scenario.name, "year": year, "unit": "t", "basis": args.basis,
        "sources": {k: dict(table[k]) for k in sorted(keys) if k in table},
    }  # fmt: skip
    if args.plot:
        from .present.plot import plot_demand

        fig = plot_demand(d, year=year)
        _save_figure(fig, args.plot, _inputs(args))
    return renderable, frame, meta


def _canonical(names: list[str]) -> list[str]:
    """Countries and groups as the supply tables spell them (``china`` -> ``China``)."""
    from .lenses.supply import supply

    known = supply(2024)._country_names()
    return [known.get(n.strip().casefold(), n) for n in names]


def _without_note(names: list[str], year: int | None) -> str:
    """What a --without removes: mine output, each rare earth from the country's own ores."""
    from .lenses.supply import supply

    names = _canonical(names)
    s = supply(year if year in (2019, 2023, 2024) else 2024)
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
    return text


def _contained_report(
    args: argparse.Namespace, scenario: Any, d: Any, year: int | None
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """``report --basis contained``: the elements in the products, without a supply comparison
    (masses in products are not what supply has to deliver)."""
    from rich.console import Group
    from rich.text import Text

    from .present.tables import demand_table, sources_footnote

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


def _cmd_validate(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from .lenses.validation import validate
    from .present.tables import validation_table

    frame = validate()
    keys = set(frame["source"])
    table = _catalog(args).source_table
    meta = {"scenario": frame.attrs.get("scenario"),
            "sources": {k: dict(table[k]) for k in sorted(keys) if k in table}}  # fmt: skip
    return validation_table(frame, table), frame, meta


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int, int], None]]:
    """A progress callback that shows a bar on a terminal's stderr once a run has taken more
    than two seconds (never in a pipe or a file)."""
    import time

    start = time.perf_counter()
    state: dict[str, Any] = {}
    terminal = sys.stderr.isatty()

    def step(done: int, total: int) -> None:
        if "bar" not in state:
            if not terminal or time.perf_counter() - start < 2.0 or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            bar = Progress(
                TextColumn("sampling"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
                TimeRemainingColumn(), console=Console(stderr=True), transient=True,
            )  # fmt: skip
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("sampling", total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        yield step
    finally:
        if "bar" in state:
            state["bar"].stop()


def _report_sources(scenario: Any, d: Any) -> set[str]:
    keys: set[str] = set(scenario.sources.values())
    for pid in d.products:
        keys |= set(d.catalog.sources(pid)["source"])
    keys |= {ch.source for ch in scenario.changes if ch.source}
    if getattr(scenario, "supply_source", None):
        keys.add(scenario.supply_source)
    for year in d.years:  # the supply figures the comparison used
        keys |= d._supply_for(year, None, None)[0].sources()
    return keys & set(d.catalog.source_table)


def _cmd_products(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    import pandas as pd

    from .present.tables import catalog_table

    cat = _catalog(args)
    rows = [
        {"product": pid, "basis": it.basis_text, "name": it.name or "",
         "alternatives": " ".join(cat.alternatives(pid)),
         "sources": " ".join(sorted(set(cat.sources(pid)["source"]) - {"periodictable"}))}
        for pid, it in sorted(cat.products.items())
    ]  # fmt: skip
    return catalog_table(cat), pd.DataFrame(rows), {}


def _cmd_explain(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    from .present.tables import bom_tree

    cat = _catalog(args)
    tree = bom_tree(cat, args.item, depth=args.depth, basis=args.basis)
    frame = cat.intensity(args.item, basis=args.basis).reset_index()
    unit = frame.attrs.get("unit", "")
    frame.columns = ["element", f"low [{unit}]", f"central [{unit}]", f"high [{unit}]"]
    return tree, frame, {"item": args.item, "unit": unit, "basis": args.basis}


def _cmd_supply(args: argparse.Namespace) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    import pandas as pd

    from .errors import MineralcalcError
    from .lenses.supply import supply
    from .present.tables import commodities_table, supply_table

    s = supply(args.year or 2024)
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
    frame = s.by_country(args.commodity, stage=args.stage)
    frame = frame.rename(columns={"amount": "amount_t"})
    meta = {"commodity": args.commodity, "year": s.year, "stage": args.stage,
            "basis": s.basis(args.commodity), "hhi": s.hhi(args.commodity, stage=args.stage)}  # fmt: skip
    return supply_table(s, args.commodity, stage=args.stage), frame, meta


COMMANDS: dict[str, Callable[[argparse.Namespace], tuple[Any, pd.DataFrame, dict[str, Any]]]] = {
    "report": _cmd_report,
    "validate": _cmd_validate,
    "products": _cmd_products,
    "explain": _cmd_explain,
    "supply": _cmd_supply,
}


# ------------------------------------------------------------------------------ output
def _render(
    args: argparse.Namespace, renderable: RenderableType, frame: pd.DataFrame, meta: dict[str, Any]
) -> str | None:
    from .present.export import to_csv, to_json, to_markdown

    columns = [str(c) for c in frame.columns]
    rows = frame.itertuples(index=False, name=None)
    if args.format == "csv":
        return to_csv(columns, rows)
    if args.format == "json":
        return to_json(columns, rows, meta)
    if args.format == "markdown":
        text = to_markdown(columns, list(rows))
        sources = meta.get("sources")
        if isinstance(sources, dict) and sources:
            text += "\nSources:\n\n" + "".join(
                f"- `{k}`: {v.get('citation')} ({v.get('quality')})\n" for k, v in sources.items()
            )
        return text
    if args.output:
        import io

        from rich.console import Console

        console = Console(record=True, width=170, file=io.StringIO())
        console.print(renderable)
        return console.export_text()
    return None


def _save_figure(fig: Any, path: str, inputs: list[Path]) -> None:
    import io

    from .present.export import write_atomic

    suffix = path.rsplit(".", 1)[-1].lower()
    buf = io.BytesIO()
    fig.savefig(buf, format=suffix, dpi=150, bbox_inches="tight")
    write_atomic(path, buf.getvalue(), inputs=inputs)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        _check_outputs(args)
        renderable, frame, meta = COMMANDS[args.command](args)
        text = _render(args, renderable, frame, meta)
        if args.output and args.output != "-":
            from .present.export import write_atomic

            assert text is not None
            write_atomic(args.output, text, inputs=_inputs(args))
        elif text is not None:
            sys.stdout.write(text)
        else:
            from rich.console import Console

            Console().print(renderable)
    except (CliError, NotImplementedError) as e:
        return _fail(str(e))
    except Exception as e:
        from .errors import MineralcalcError

        if isinstance(e, MineralcalcError):
            return _fail(str(e))
        if isinstance(e, OSError):
            return _fail(f"{e.filename or ''}: {e.strerror or e}")
        if isinstance(e, ImportError) and "matplotlib" in str(e):
            return _fail("--plot needs matplotlib: pip install 'mineralcalc[plot]'")
        raise
    return 0


def _inputs(args: argparse.Namespace) -> list[Path]:
    """Every file this run reads: the scenario, the user's tables and the shipped ones."""
    from .data.csvtable import shipped_tables

    found: list[Path] = []
    scenario = getattr(args, "scenario", None)
    if scenario and Path(scenario).is_file():
        found.append(Path(scenario))
    for folder in (args.tables, shipped_tables()):
        if folder and Path(folder).is_dir():
            found += sorted(Path(folder).glob("*.csv"))
            found += sorted(Path(folder).glob("scenarios/*.toml"))
    return found


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse, before any work, outputs that would destroy an input or each other."""
    import os

    from .errors import OutputError

    if args.output == "" or getattr(args, "plot", None) == "":
        raise OutputError("an empty output path: give a file name, or - for standard output")
    paths = [p for p in (args.output, getattr(args, "plot", None)) if p and p != "-"]
    inputs = {os.path.realpath(p): p for p in _inputs(args)}
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
