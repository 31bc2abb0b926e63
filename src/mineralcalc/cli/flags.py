"""Which options of ``mineralcalc report`` go together: an option that changes nothing in the
answer asked for is an error naming both, never silently dropped.

``report`` answers one of five questions: the market balance (the default), the elements
contained in the products (``--basis contained``), the drivers of a spread
(``--sensitivity``), the stocks in use (``--stocks``) or demand against reserves
(``--reserves``). Each reads some options and not
others; :func:`check_report_flags` refuses the others and then fills in the defaults.
"""

from __future__ import annotations

import argparse
import os

from .output import CliError

__all__ = ["MAX_WORKERS", "check_report_flags"]

MAX_WORKERS = max(os.cpu_count() or 1, 1)
"""At most one sampling process per core: more only queue behind each other."""

_SUPPLY_SIDE = {
    "without": "--without",
    "stage": "--stage",
    "recorded_only": "--recorded-only",
    "products_only": "--products-only",
}
"""Options of the market balance's supply side and other uses."""


def _given(args: argparse.Namespace, dest: str) -> bool:
    value = getattr(args, dest, None)
    return value not in (None, False, [], "")


def _refuse(args: argparse.Namespace, mode: str, why: str, dests: dict[str, str]) -> None:
    """``dests``: option -> its flag, or ``flag: reason`` where the reason is its own."""
    for dest, flag in dests.items():
        if _given(args, dest):
            flag, _, own = flag.partition(": ")
            raise CliError(f"{flag} does not apply to {mode}: {own or why}; leave one of them out")


def check_report_flags(args: argparse.Namespace) -> None:
    """Refuse options that the answer asked for would ignore; then set the defaults
    (``--stage mining``, ``--basis mined``).

    Raises
    ------
    CliError
        Naming both options: ``--without does not apply to --stocks: ...``.
    """
    if args.stocks:
        _refuse(
            args,
            "--stocks",
            "the stock-flow model follows products in use, not supply",
            {
                **_SUPPLY_SIDE,
                "sensitivity": "--sensitivity: one question at a time",
                "basis": "--basis: the stocks hold the elements contained in the products",
                "workers": "--workers: the stock model runs in one process",
                "year": "--year: it shows every year of the scenario",
            },
        )
    elif args.reserves:
        _refuse(
            args,
            "--reserves",
            "reserves are compared with central demand over all years",
            {
                "stage": "--stage: reserves are in the ground, before any stage",
                "recorded_only": "--recorded-only: reserves are not output",
                "sensitivity": "--sensitivity: one question at a time",
                "basis": "--basis: reserves are compared with mined demand",
                "samples": "--samples: the table shows central demand",
                "year": "--year: it sums every year of the scenario",
                "plot": "--plot: there is no chart of reserves",
                "elements": "--elements: reserves are per commodity (REE, Li)",
                "group": "--group: reserves are per commodity (REE, Li)",
            },
        )
    elif args.sensitivity is not None:
        _refuse(
            args,
            f"--sensitivity {args.sensitivity}",
            "the drivers of demand's spread do not depend on supply or other uses",
            _SUPPLY_SIDE,
        )
    elif args.basis == "contained":
        _refuse(
            args,
            "--basis contained",
            "the elements in the products are not compared with supply",
            _SUPPLY_SIDE,
        )
    if args.by_product and not args.stocks:
        raise CliError(
            "--by-product applies to --stocks only (the stock model per product); add "
            "--stocks, or leave --by-product out"
        )
    if args.samples is None and args.sensitivity is None:
        _refuse(
            args,
            "a report without --samples",
            "nothing is sampled",
            {"seed": "--seed", "workers": "--workers", "max_memory": "--max-memory"},
        )
    if args.workers is not None and not 1 <= args.workers <= MAX_WORKERS:
        raise CliError(
            f"--workers {args.workers}: give 1 to {MAX_WORKERS} (this machine's cores; more "
            "processes only wait for each other)"
        )
    for text in args.elements:
        if not any(e.strip() for e in text.split(",")):
            raise CliError(f"--elements {text!r}: give element symbols or groups, e.g. Nd,Dy")
    for text in args.group:
        if not text.strip():
            raise CliError(
                "--group '': give a family ('rare earths', 'battery', 'other') or a group"
            )
    args.stage = "mining" if args.stage is None else args.stage
    args.basis = "mined" if args.basis is None else args.basis
