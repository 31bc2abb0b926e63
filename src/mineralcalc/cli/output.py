"""Command-line output: formats, figures, the progress bar, and the error of bad usage."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType

    from ..data.tableset import TableSet
    from ..facade.catalog import Catalog

__all__ = [
    "EXIT",
    "CliError",
    "catalog_of",
    "inputs_of",
    "progress",
    "render",
    "save_figure",
    "tables_note",
    "tables_of",
]

EXIT = "_exit"
"""A command's ``meta`` key for an exit code other than 0 after its output, with the line to
print (``validate --strict`` with figures outside their tolerance: 1)."""


class CliError(Exception):
    """A problem with the command line itself (exit code 2)."""


@contextlib.contextmanager
def progress() -> Iterator[Callable[[int, int], None]]:
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
                TextColumn("sampling"),
                BarColumn(),
                TextColumn("{task.completed:,}/{task.total:,}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("sampling", total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        yield step
    finally:
        if "bar" in state:
            state["bar"].stop()


def render(
    args: argparse.Namespace, renderable: RenderableType, frame: pd.DataFrame, meta: dict[str, Any]
) -> str | None:
    from ..present.export import to_csv, to_json, to_markdown

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


def save_figure(fig: Any, path: str, inputs: list[Path]) -> None:
    import io

    from ..present.export import write_atomic

    suffix = path.rsplit(".", 1)[-1].lower()
    buf = io.BytesIO()
    fig.savefig(buf, format=suffix, dpi=150, bbox_inches="tight")
    write_atomic(path, buf.getvalue(), inputs=inputs)
    sys.stderr.write(f"mineralcalc: wrote {os.path.abspath(path)}\n")


def inputs_of(args: argparse.Namespace) -> list[Path]:
    """Every file this run reads: the scenario, the user's tables and the shipped ones."""
    from ..data.csvtable import shipped_tables

    found: list[Path] = []
    scenario = getattr(args, "scenario", None)
    if scenario and Path(scenario).is_file():
        found.append(Path(scenario))
    for folder in (args.tables, shipped_tables()):
        if folder and Path(folder).is_dir():
            found += sorted(Path(folder).glob("*.csv"))
            found += sorted(Path(folder).glob("scenarios/*.toml"))
    return found


def catalog_of(args: argparse.Namespace) -> Catalog:
    """The catalog of ``--tables`` (with every other table of the folder) and ``--use``."""
    from ..facade.catalog import Catalog

    cat = Catalog.from_tables(args.tables) if args.tables else Catalog.default()
    use = getattr(args, "use", [])
    return cat.use(*use) if use else cat


def tables_of(args: argparse.Namespace) -> TableSet:
    """The tables of ``--tables`` over the shipped ones (for commands without a catalog)."""
    from ..data.tableset import TableSet, shipped_table_set

    return TableSet(args.tables) if args.tables else shipped_table_set()


def tables_note(folder: str) -> tuple[str, list[str]]:
    """What a run took from the user's folder: a line for the output, and the file names."""
    from ..data.tableset import TableSet

    own = list(TableSet(folder).own)
    if not own:
        return f"--tables {folder}: no tables there; every table is the shipped one.", own
    return f"Your tables ({folder}): {', '.join(own)}; the rest are the shipped ones.", own
