"""Reading what a stock-flow model needs: product lifetimes, the end-of-life chain and the
inflow of products before a scenario's first year.

``lifetimes.csv`` gives each product's lifetime distribution (``fixed``, ``normal``,
``lognormal``: mean and standard deviation of the lifetime; ``weibull``: shape and scale) and a
range of its mean (or scale) for the Monte Carlo. ``recycling.csv`` gives the end-of-life chain
by product and element (``*`` for all): the share of discarded products collected
(``collection``), of their element freed for recycling (``liberation``: dismantling, magnet
removal) and recovered from what is freed (``recovery``), each in percent with a range.
``history.csv`` gives a product's volumes before a scenario starts, in the product's basis.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..elements import ELEMENTS
from .csvtable import Locate, check_source, locator, read_table, shipped_sources, shipped_tables

__all__ = [
    "EOL_STAGES",
    "LIFETIME_KINDS",
    "StockTables",
    "read_stock_tables",
    "shipped_stock_tables",
]

LIFETIME_KINDS = ("fixed", "normal", "weibull", "lognormal")
EOL_STAGES = ("collection", "liberation", "recovery")
"""The end-of-life chain: collected, freed from the product, recovered from what is freed."""
_ALL = "*"


@dataclass(frozen=True)
class StockTables:
    """Lifetimes, the end-of-life chain and historical inflow.

    Attributes
    ----------
    lifetimes : DataFrame
        One row per product: ``product``, ``distribution``, ``mean``, ``sd``, ``shape``,
        ``scale`` [yr; shape dimensionless], ``low``, ``high`` (range of the mean, or of the
        scale for Weibull) [yr], ``source``, ``note``.
    recycling : DataFrame
        ``product`` and ``element`` (``'*'`` for all), ``stage`` (:data:`EOL_STAGES`),
        ``value``, ``low``, ``high`` [fractions], ``source``, ``note``.
    history : DataFrame
        ``product``, ``year``, ``amount`` with its ``unit`` (``GW``, ``million`` ...; empty for
        the product's basis), ``source``.
    """

    lifetimes: pd.DataFrame
    recycling: pd.DataFrame
    history: pd.DataFrame

    @property
    def sources(self) -> set[str]:
        """Every source key the rows cite."""
        return {str(k) for f in (self.lifetimes, self.recycling, self.history)
                for k in f["source"]}  # fmt: skip


def _lifetimes(path: Path, sources: dict[str, Any]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in read_table(path, "lifetimes.csv"):
        product = row.ident("product")
        assert product is not None
        if product in seen:
            raise row.error("product", f"{product!r} is given twice (first at row {seen[product]})")
        seen[product] = row.line
        kind = row.choice("distribution", LIFETIME_KINDS)
        got = {c: row.number(c) for c in ("mean", "sd", "shape", "scale", "low", "high")}
        need = {"fixed": ("mean",), "normal": ("mean", "sd"), "lognormal": ("mean", "sd"),
                "weibull": ("shape", "scale")}[str(kind)]  # fmt: skip
        for c in need:
            if got[c] is None or not got[c] > 0:  # type: ignore[operator]
                raise row.error(c, f"a {kind} lifetime needs {' and '.join(need)} above zero")
        centre = got["scale"] if kind == "weibull" else got["mean"]
        lo, hi = got["low"], got["high"]
        if (lo is None) != (hi is None):
            raise row.error("low", "give both low and high, or neither")
        if lo is not None and not (0 < lo <= centre <= hi):  # type: ignore[operator]
            what = "scale" if kind == "weibull" else "mean"
            raise row.error("low", f"low {lo:g} and high {hi:g} must bracket the {what} {centre:g}")
        rows.append({"product": product, "distribution": kind, **got,
                     "source": check_source(row, "source", sources, required=True),
                     "note": row.text("note") or ""})  # fmt: skip
    cols = ["product", "distribution", "mean", "sd", "shape", "scale", "low", "high", "source",
            "note"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def _recycling(path: Path, sources: dict[str, Any]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for row in read_table(path, "recycling.csv"):
        element = row.ident("element")
        if element != _ALL and element not in ELEMENTS:
            raise row.error("element", f"{element!r} is not an element symbol or '*'")
        vals = [row.number(c) for c in ("low", "value", "high")]
        mid = vals[1]
        lo = mid if vals[0] is None else vals[0]
        hi = mid if vals[2] is None else vals[2]
        if not all(v is not None and 0 <= v <= 100 for v in (lo, mid, hi)):
            raise row.error("value", "value, low and high are percentages between 0 and 100")
        if not lo <= mid <= hi:  # type: ignore[operator]
            raise row.error("low", f"low {lo:g} <= value {mid:g} <= high {hi:g} does not hold")
        rows.append({"product": row.ident("product"), "element": element,
                     "stage": row.choice("stage", EOL_STAGES), "value": mid / 100,  # type: ignore[operator]
                     "low": lo / 100, "high": hi / 100,  # type: ignore[operator]
                     "source": check_source(row, "source", sources, required=True),
                     "note": row.text("note") or ""})  # fmt: skip
    cols = ["product", "element", "stage", "value", "low", "high", "source", "note"]
    return pd.DataFrame(rows, columns=cols)


def _history(path: Path, sources: dict[str, Any]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], int] = {}
    for row in read_table(path, "history.csv"):
        product, year = row.ident("product"), row.year()
        assert product is not None and year is not None
        if (product, year) in seen:
            raise row.error("year", f"{product} {year} is given twice")
        seen[(product, year)] = row.line
        amount = row.number("amount", required=True)
        if amount is None or amount < 0:
            raise row.error("amount", f"{amount!r} is not an amount of zero or more")
        rows.append({"product": product, "year": year, "amount": amount,
                     "unit": row.text("unit") or "",
                     "source": check_source(row, "source", sources, required=True)})  # fmt: skip
    return pd.DataFrame(rows, columns=["product", "year", "amount", "unit", "source"])


def read_stock_tables(folder: Path | Locate, sources: dict[str, Any]) -> StockTables:
    """The three tables of ``folder`` (a folder, or a
    :data:`~mineralcalc.data.csvtable.Locate` for each file)."""
    at = locator(folder)
    return StockTables(
        lifetimes=_lifetimes(at("lifetimes.csv"), sources),
        recycling=_recycling(at("recycling.csv"), sources),
        history=_history(at("history.csv"), sources),
    )


@cache
def shipped_stock_tables() -> StockTables:
    """The shipped tables, read once."""
    return read_stock_tables(shipped_tables(), shipped_sources())
