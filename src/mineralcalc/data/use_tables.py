"""Reading the end uses no product models, for the stock-flow model: ``use_lifetimes.csv``
(each end use's elements, its share of their other uses [%] and its lifetime, or
``dissipative``) and ``use_history.csv`` (an end use's world total before a scenario, as a
mass of a catalog material). Also the lifetime columns both lifetime tables share.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..elements import ELEMENTS
from ..errors import UnitError
from ..units import conversion_factor, is_mass, parse_unit
from .csvtable import check_source, read_table

__all__ = [
    "LIFETIME_KINDS",
    "LIFETIME_NUMBERS",
    "USE_HISTORY_COLUMNS",
    "USE_KINDS",
    "USE_LIFE_COLUMNS",
    "empty",
    "lifetime",
    "read_use_history",
    "read_use_lifetimes",
]

LIFETIME_KINDS = ("fixed", "normal", "weibull", "lognormal")
LIFETIME_NUMBERS = ("mean", "sd", "shape", "scale", "low", "high")
"""A lifetime's numbers [yr], as :func:`lifetime` reads them and both lifetime tables hold."""
USE_KINDS = (*LIFETIME_KINDS, "dissipative")
"""An end use's lifetime kinds: a product's, or ``dissipative`` (it enters no stock)."""

USE_LIFE_COLUMNS: list[str] = [
    "end_use",
    "elements",
    "share",
    "distribution",
    *LIFETIME_NUMBERS,
    "source",
    "note",
    "line",
]
USE_HISTORY_COLUMNS: list[str] = ["end_use", "year", "amount", "material", "source", "line"]


def empty(columns: list[str]) -> pd.DataFrame:
    """An empty frame of ``columns``."""
    return pd.DataFrame(columns=columns)


def lifetime(row: Any, kinds: tuple[str, ...]) -> tuple[str, dict[str, float | None]]:
    """A row's lifetime kind and its numbers (mean, sd, shape, scale, low, high) [yr], checked."""
    kind = str(row.choice("distribution", kinds))
    got = {c: row.number(c) for c in LIFETIME_NUMBERS}
    if kind == "dissipative":
        return kind, got
    need = {
        "fixed": ("mean",),
        "normal": ("mean", "sd"),
        "lognormal": ("mean", "sd"),
        "weibull": ("shape", "scale"),
    }[kind]
    for c in need:
        if got[c] is None or not got[c] > 0:
            raise row.error(c, f"a {kind} lifetime needs {' and '.join(need)} above zero")
    centre = got["scale"] if kind == "weibull" else got["mean"]
    lo, hi = got["low"], got["high"]
    if (lo is None) != (hi is None):
        raise row.error("low", "give both low and high, or neither")
    if lo is not None and not (0 < lo <= centre <= hi):
        what = "scale" if kind == "weibull" else "mean"
        raise row.error("low", f"low {lo:g} and high {hi:g} must bracket the {what} {centre:g}")
    return kind, got


def read_use_lifetimes(path: Path, sources: dict[str, Any]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in read_table(path, "use_lifetimes.csv"):
        use = row.text("end_use")
        if not use:
            raise row.error("end_use", "empty: name the end use (`NdFeB magnets, other uses`)")
        if use in seen:
            raise row.error("end_use", f"{use!r} is given twice (first at row {seen[use]})")
        seen[use] = row.line
        elements = tuple(e.strip() for e in (row.text("elements") or "").split(";") if e.strip())
        bad = [e for e in elements if e not in ELEMENTS]
        if not elements or bad:
            raise row.error("elements", f"{bad or 'empty'}: give element symbols, `;`-separated")
        share = row.number("share", required=True)
        if share is None or not 0 <= share <= 100:
            raise row.error("share", f"{share!r} is not a percentage from 0 to 100")
        kind, got = lifetime(row, USE_KINDS)
        rows.append(
            {
                "end_use": use,
                "elements": elements,
                "share": share / 100,
                "distribution": kind,
                **got,
                "source": check_source(row, "source", sources, required=True),
                "note": row.text("note") or "",
                "line": row.line,
            }
        )
    return pd.DataFrame(rows, columns=USE_LIFE_COLUMNS)


def read_use_history(path: Path, sources: dict[str, Any]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], int] = {}
    for row in read_table(path, "use_history.csv"):
        use, year = row.text("end_use") or "", row.year()
        assert year is not None
        if (use, year) in seen:
            raise row.error(
                "year", f"{use} {year} is given twice (first at row {seen[(use, year)]})"
            )
        seen[(use, year)] = row.line
        amount = row.number("amount", required=True)
        if amount is None or amount < 0:
            raise row.error("amount", f"{amount!r} is not an amount of zero or more")
        unit = row.text("unit") or "t"
        try:
            got = parse_unit(unit)
        except UnitError:
            got = None
        if got is None or not is_mass(got):
            raise row.error("unit", f"{unit!r} is not a mass unit (`t`, `kt`)")
        tonnes = amount * conversion_factor(got, parse_unit("t"))
        rows.append(
            {
                "end_use": use,
                "year": year,
                "amount": tonnes,
                "material": row.ident("material"),
                "source": check_source(row, "source", sources, required=True),
                "line": row.line,
            }
        )
    return pd.DataFrame(rows, columns=USE_HISTORY_COLUMNS)
