"""Reading the published figures the baseline is held against: ``validation.csv`` and
``price_moves.csv``.

``validation.csv`` holds one published figure a row, each naming a **metric** that
:mod:`mineralcalc.lenses.metrics` computes from the baseline, with its tolerance, the basis of
that tolerance, and a **kind**:

* ``validation``: a quantity of the products or stocks that the baseline did not take from the
  source;
* ``composition``: the ore model (mine output by element and country) against separated output
  or another estimate of the same ores;
* ``outcome``: what the market did, a published balance of supply against use;
* ``calibration``: a figure that was used to build or calibrate a table: shown, never counted;
* ``context``: a figure of another year or scope that cannot test the baseline: shown, never
  counted.

``price_moves.csv`` holds the year's price change of an element;
:mod:`mineralcalc.lenses.validation` flags a base year that shows a deficit in a year whose
price fell, or a surplus in a year whose price rose.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import MineralcalcError, suggest
from ..estimate import Estimate
from ..units import parse_unit
from .csvtable import Row, check_source, read_table, shipped_sources, shipped_tables

__all__ = [
    "COUNTED",
    "KINDS",
    "read_price_moves",
    "read_validation",
    "shipped_price_moves",
    "shipped_validation",
]

KINDS = ("validation", "composition", "outcome", "calibration", "context")
"""What a published figure tests (see the module notes)."""

COUNTED = ("validation", "composition", "outcome")
"""The kinds that count: a strict validation fails when one of them lies outside its
tolerance, whatever reason is recorded."""


def read_validation(path: Path, sources: Mapping[str, Any], metrics: set[str]) -> pd.DataFrame:
    """``validation.csv``: published figures to hold this library's results against.

    Each row names a ``metric`` that :mod:`mineralcalc.lenses.metrics` computes, the published
    ``value`` in ``unit`` (a mass, an energy, a power, a count, or ``%`` for shares), the
    ``tolerance`` in percent of the published value and its ``tolerance_basis`` (the figure's
    own stated uncertainty or a sourced judgement; required for a counted row), the ``kind``
    (:data:`KINDS`, default ``validation``), and, for a figure known to lie outside its
    tolerance, the ``reason``.

    Returns
    -------
    DataFrame
        Columns ``id``, ``quantity``, ``metric``, ``value`` (tonnes for masses, a fraction for
        shares), ``unit``, ``year``, ``tolerance`` (fraction), ``tolerance_basis``, ``kind``,
        ``source``, ``reason``, ``note``.
    """
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in read_table(path, "validation.csv"):
        key = row.ident("id")
        metric = row.ident("metric")
        assert key is not None and metric is not None
        if key in seen:
            raise row.error("id", f"{key!r} is given twice (first at row {seen[key]})")
        seen[key] = row.line
        if metric not in metrics:
            raise row.error("metric", f"unknown metric {metric!r} ({suggest(metric, metrics)})")
        unit = row.get("unit")
        value = row.number("value", required=True)
        tol = row.number("tolerance", required=True)
        assert value is not None and tol is not None
        if value < 0:
            raise row.error("value", f"{value:g} is negative")
        if not 0 < tol <= 100:
            raise row.error("tolerance", f"{tol:g} is not a percentage above 0 and at most 100")
        kind = row.choice("kind", KINDS, required=False) or "validation"
        basis = row.text("tolerance_basis") or ""
        if kind in COUNTED and not basis:
            raise row.error(
                "tolerance_basis",
                "empty: say where the tolerance comes from (the figure's stated uncertainty, "
                "or a judgement and its source)",
            )
        shown = "t"
        if unit == "%":
            factor, shown = 0.01, "%"
        else:
            try:
                factor = Estimate(central=1.0, unit=parse_unit(unit)).values("t")[1]
            except MineralcalcError:
                factor, shown = _other_unit(row, unit)
        rows.append(
            {
                "id": key,
                "quantity": row.text("quantity", required=True),
                "metric": metric,
                "value": value * factor,
                "unit": shown,
                "year": row.year(),
                "tolerance": tol / 100,
                "tolerance_basis": basis,
                "kind": kind,
                "source": check_source(row, "source", sources, required=True),
                "reason": row.text("reason") or "",
                "note": row.text("note") or "",
            }
        )
    return pd.DataFrame(rows)


def _other_unit(row: Row, unit: str) -> tuple[float, str]:
    """The factor to GWh (battery capacity), GW (installed power) or a count (``million``)."""
    for target, shown in (("GWh", "GWh"), ("GW", "GW"), ("dimensionless", "count")):
        try:
            return Estimate(central=1.0, unit=parse_unit(unit)).values(target)[1], shown
        except MineralcalcError:
            continue
    raise row.error(
        "unit",
        f"{unit!r}: use a mass such as 't', an energy ('GWh'), a power ('GW'), a count "
        "('million') or '%'",
    )


def shipped_validation(metrics: set[str]) -> pd.DataFrame:
    """The shipped ``validation.csv``."""
    return read_validation(shipped_tables() / "validation.csv", shipped_sources(), metrics)


def read_price_moves(path: Path, sources: Mapping[str, Any]) -> pd.DataFrame:
    """``price_moves.csv``: how an element's price moved over a year.

    Each row gives an ``element`` (the one whose market share the check reads), the ``year``,
    the ``change`` in percent (``-26`` for a fall of 26 %), what was measured (``product``,
    ``measure``: the annual average on the year before, or the start of the year to its end)
    and the ``source``. Several rows of one element and year (sources that measure it
    differently) are all kept and all checked.

    Returns
    -------
    DataFrame
        Columns ``element``, ``year``, ``change`` (a fraction), ``product``, ``measure``,
        ``source``, ``note``.
    """
    rows: list[dict[str, Any]] = []
    for row in read_table(path, "price_moves.csv"):
        el = row.element()
        change = row.number("change", required=True)
        assert change is not None
        if change <= -100:
            raise row.error("change", f"{change:g} % is a fall of all of the price or more")
        rows.append(
            {
                "element": el,
                "year": row.year(),
                "change": change / 100,
                "product": row.text("product") or "",
                "measure": row.text("measure") or "",
                "source": check_source(row, "source", sources, required=True),
                "note": row.text("note") or "",
            }
        )
    cols = ["element", "year", "change", "product", "measure", "source", "note"]
    return pd.DataFrame(rows, columns=cols)


@cache
def shipped_price_moves() -> pd.DataFrame:
    """The shipped ``price_moves.csv``, read once."""
    return read_price_moves(shipped_tables() / "price_moves.csv", shipped_sources())
