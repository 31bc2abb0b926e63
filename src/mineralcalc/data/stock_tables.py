"""Reading what a stock-flow model needs: product lifetimes, the end-of-life chain and the
inflow of products before a scenario's first year.

``lifetimes.csv`` gives each product's lifetime distribution (``fixed``, ``normal``,
``lognormal``: mean and standard deviation of the lifetime; ``weibull``: shape and scale) and a
range of its mean (or scale) for the Monte Carlo. ``recycling.csv`` gives the end-of-life chain
by product and element (``*`` for all): the share of discarded products collected
(``collection``), of their element freed for recycling (``liberation``: dismantling, magnet
removal) and recovered from what is freed (``recovery``), each in percent with a range; a rate
that changes over time (a regulation's targets) is a row per ``year`` of one product, element and
stage, linear in between and held before the first year and after the last.
``history.csv`` gives a product's volumes before a scenario starts, in the product's basis.

The uses no product models (the market balance's other uses) have their own two tables:
``use_lifetimes.csv`` gives each end use the elements it takes, its share of their other uses
[%] and its lifetime (``dissipative`` for a use that enters no stock: polishing, fertiliser);
``use_history.csv`` gives an end use's world total before a scenario starts, as a mass of a
catalog material (NdFeB magnets made in the world, in tonnes of ``ndfeb_magnet``).

Each frame keeps the ``line`` of its rows in the file. The products the user's tables name are
checked against the catalog of the demand a stock-flow model is built for
(:func:`check_products`); the shipped tables name only products of the shipped catalog (a test
checks that).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..elements import ELEMENTS
from ..errors import TableError, suggest
from .csvtable import Locate, check_source, locator, read_table, shipped_sources, shipped_tables
from .use_tables import (
    LIFETIME_KINDS,
    LIFETIME_NUMBERS,
    USE_HISTORY_COLUMNS,
    USE_KINDS,
    USE_LIFE_COLUMNS,
    empty,
    lifetime,
    read_use_history,
    read_use_lifetimes,
)

__all__ = [
    "EOL_STAGES",
    "LIFETIME_KINDS",
    "STOCK_FILES",
    "USE_KINDS",
    "StockTables",
    "check_products",
    "read_stock_tables",
    "shipped_stock_tables",
]

EOL_STAGES = ("collection", "liberation", "recovery")
"""The end-of-life chain: collected, freed from the product, recovered from what is freed."""
_ALL = "*"
STOCK_FILES = (
    "lifetimes.csv",
    "recycling.csv",
    "history.csv",
    "use_lifetimes.csv",
    "use_history.csv",
)
"""The tables of a stock-flow model, each a field of :class:`StockTables` by its stem."""


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
        ``year`` (the year a rate of a path holds in; NaN for a rate of every year),
        ``value``, ``low``, ``high`` [fractions], ``source``, ``note``.
    history : DataFrame
        ``product``, ``year``, ``amount`` with its ``unit`` (``GW``, ``million`` ...; empty for
        the product's basis), ``source``.
    own : tuple of str
        The tables read from a file other than the shipped one (``recycling.csv`` ...), whose
        products :func:`check_products` checks. Every frame has the file's ``line`` of a row.
    use_lifetimes : DataFrame
        One row per end use no product models: ``end_use``, ``elements`` (tuple of symbols),
        ``share`` [fraction of those elements' other uses], ``distribution``
        (:data:`USE_KINDS`), ``mean``, ``sd``, ``shape``, ``scale``, ``low``, ``high`` [yr],
        ``source``, ``note``.
    use_history : DataFrame
        ``end_use``, ``year``, ``amount`` [t of ``material``], ``material`` (a catalog item
        of mass basis), ``source``: an end use's world total in years before a scenario.
    """

    lifetimes: pd.DataFrame
    recycling: pd.DataFrame
    history: pd.DataFrame
    own: tuple[str, ...] = ()
    use_lifetimes: pd.DataFrame = field(default_factory=lambda: empty(USE_LIFE_COLUMNS))
    use_history: pd.DataFrame = field(default_factory=lambda: empty(USE_HISTORY_COLUMNS))

    @property
    def sources(self) -> set[str]:
        """Every source key the rows cite."""
        frames = (self.lifetimes, self.recycling, self.history, self.use_lifetimes)
        return {str(k) for f in (*frames, self.use_history) for k in f["source"]}


def _lifetimes(path: Path, sources: dict[str, Any]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in read_table(path, "lifetimes.csv"):
        product = row.ident("product")
        assert product is not None
        if product in seen:
            raise row.error("product", f"{product!r} is given twice (first at row {seen[product]})")
        seen[product] = row.line
        kind, got = lifetime(row, LIFETIME_KINDS)
        rows.append(
            {
                "product": product,
                "distribution": kind,
                **got,
                "source": check_source(row, "source", sources, required=True),
                "note": row.text("note") or "",
                "line": row.line,
            }
        )
    cols = ["product", "distribution", *LIFETIME_NUMBERS, "source", "note", "line"]
    return pd.DataFrame(rows, columns=cols)


def _recycling(path: Path, sources: dict[str, Any]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str, int | None], int] = {}
    dated: dict[tuple[str, str, str], tuple[bool, int]] = {}  # a path, or one rate
    for row in read_table(path, "recycling.csv"):
        product, element = row.ident("product"), row.ident("element")
        assert product is not None
        if element != _ALL and element not in ELEMENTS:
            raise row.error("element", f"{element!r} is not an element symbol or '*'")
        stage = str(row.choice("stage", EOL_STAGES))
        year = row.year(required=False)
        key = (product, str(element), stage, year)
        when = f" in {year}" if year is not None else ""
        if key in seen:
            raise row.error(
                "stage",
                f"the {stage} of {element} in {product}{when} is given twice (first at row "
                f"{seen[key]}): keep one of the two rows",
            )
        seen[key] = row.line
        path_key = key[:3]
        if path_key in dated and dated[path_key][0] != (year is not None):
            raise row.error(
                "year",
                f"the {stage} of {element} in {product} is given both for every year and by "
                f"year (row {dated[path_key][1]}): give one rate with no year, or a rate per year",
            )
        dated.setdefault(path_key, (year is not None, row.line))
        got = {c: row.number(c) for c in ("value", "low", "high")}
        if got["value"] is None:
            raise row.error("value", f"empty: give the {stage} rate in percent (0 to 100)")
        for c, v in got.items():
            if v is not None and not 0 <= v <= 100:
                raise row.error(
                    c, f"the {stage} rate's {c} {v:g} is not a percentage from 0 to 100"
                )
        mid = got["value"]
        lo = mid if got["low"] is None else got["low"]
        hi = mid if got["high"] is None else got["high"]
        if not lo <= mid <= hi:
            raise row.error(
                "low", f"low {lo:g} <= value {mid:g} <= high {hi:g} does not hold for the {stage}"
            )
        rows.append(
            {
                "product": product,
                "element": element,
                "stage": stage,
                "year": float("nan") if year is None else float(year),
                "value": mid / 100,
                "low": lo / 100,
                "high": hi / 100,
                "source": check_source(row, "source", sources, required=True),
                "note": row.text("note") or "",
                "line": row.line,
            }
        )
    _refuse_idle(rows)
    cols = ["product", "element", "stage", "year", "value", "low", "high", "source", "note", "line"]
    return pd.DataFrame(rows, columns=cols)


def _refuse_idle(rows: list[dict[str, Any]]) -> None:
    """Refuse a row of ``recycling.csv`` that changes nothing: a path whose rates are all the
    same (one row without a year says it), a year of a path that its neighbours' line already
    gives, or a product's or element's rows that say what the more general rows they
    override say.

    Raises
    ------
    TableError
        Naming the row, the rows that already say it, and the fix.
    """
    paths: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in rows:
        paths.setdefault((r["product"], r["element"], r["stage"]), []).append(r)
    for (product, element, stage), path in paths.items():
        path.sort(key=lambda r: r["year"])
        what = f"the {stage} of {element} in {product}"
        if len(path) > 1:
            first = path[0]
            if all(_rate(r) == _rate(first) for r in path):
                raise TableError(
                    f"recycling.csv:{path[1]['line']}: year: {what} is the same in every year "
                    f"(row {first['line']}): give one row without a year"
                )
            for a, b, c in zip(path, path[1:], path[2:], strict=False):
                f = (b["year"] - a["year"]) / (c["year"] - a["year"])
                ra, rb, rc = _rate(a), _rate(b), _rate(c)
                if all(abs(ra[i] + f * (rc[i] - ra[i]) - rb[i]) < 1e-12 for i in range(3)):
                    raise TableError(
                        f"recycling.csv:{b['line']}: year: {what} in {b['year']:g} is what rows "
                        f"{a['line']} and {c['line']} give it: drop the row"
                    )
        if product == _ALL and element == _ALL:
            continue
        if product != _ALL and element == _ALL:
            if any(k[0] == _ALL and k[1] != _ALL and k[2] == stage for k in paths):
                continue  # it overrides element rows too: it changes something
            general = [(_ALL, _ALL)]
        elif product == _ALL:
            general = [(_ALL, _ALL)]
        else:
            general = [(product, _ALL), (_ALL, element), (_ALL, _ALL)]
        over = next((paths[(p, e, stage)] for p, e in general if (p, e, stage) in paths), None)
        if over is not None and [(_year(r), _rate(r)) for r in path] == [
            (_year(r), _rate(r)) for r in over
        ]:
            lines = ", ".join(str(r["line"]) for r in over)
            raise TableError(
                f"recycling.csv:{path[0]['line']}: {what} is what row(s) {lines} "
                f"({over[0]['product']}, {over[0]['element']}) already give: drop the row, or "
                "give the rate that differs"
            )


def _rate(r: dict[str, Any]) -> tuple[float, float, float]:
    return (r["value"], r["low"], r["high"])


def _year(r: dict[str, Any]) -> float | None:
    return None if r["year"] != r["year"] else float(r["year"])


def _history(path: Path, sources: dict[str, Any]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], int] = {}
    for row in read_table(path, "history.csv"):
        product, year = row.ident("product"), row.year()
        assert product is not None and year is not None
        if (product, year) in seen:
            raise row.error(
                "year",
                f"{product} {year} is given twice (first at row {seen[(product, year)]}): "
                "keep one of the two rows",
            )
        seen[(product, year)] = row.line
        amount = row.number("amount", required=True)
        if amount is None or amount < 0:
            raise row.error("amount", f"{amount!r} is not an amount of zero or more")
        rows.append(
            {
                "product": product,
                "year": year,
                "amount": amount,
                "unit": row.text("unit") or "",
                "source": check_source(row, "source", sources, required=True),
                "line": row.line,
            }
        )
    return pd.DataFrame(rows, columns=["product", "year", "amount", "unit", "source", "line"])


def read_stock_tables(folder: Path | Locate, sources: dict[str, Any]) -> StockTables:
    """The stock tables of ``folder`` (a folder, or a
    :data:`~mineralcalc.data.csvtable.Locate` for each file)."""
    at = locator(folder)
    shipped = shipped_tables().resolve()
    own = tuple(n for n in STOCK_FILES if _or_shipped(at, n).resolve().parent != shipped)
    return StockTables(
        lifetimes=_lifetimes(at("lifetimes.csv"), sources),
        recycling=_recycling(at("recycling.csv"), sources),
        history=_history(at("history.csv"), sources),
        own=own,
        use_lifetimes=_use_table(at, "use_lifetimes.csv", sources),
        use_history=_use_table(at, "use_history.csv", sources),
    )


def _use_table(at: Any, name: str, sources: dict[str, Any]) -> pd.DataFrame:
    """An end-use table of the folder, or the shipped one (read once) where it has none."""
    read = read_use_lifetimes if name == "use_lifetimes.csv" else read_use_history
    path: Path = at(name)
    if path.exists():
        return read(path, sources)
    shipped = shipped_stock_tables()
    return shipped.use_lifetimes if name == "use_lifetimes.csv" else shipped.use_history


def _or_shipped(at: Any, name: str) -> Path:
    """The folder's file ``name``, or the shipped one where the folder has none."""
    path: Path = at(name)
    return path if path.exists() else shipped_tables() / name


def check_products(tables: StockTables, known: Collection[str], *, what: str = "catalog") -> None:
    """Every product the user's tables (:attr:`StockTables.own`) name is in ``known``.

    Parameters
    ----------
    tables : StockTables
    known : collection of str
        The ids of the catalog's items (``'*'``, every product, needs none).
    what : str
        What ``known`` is, for the message.

    Raises
    ------
    TableError
        ``file:row: product: 'x' is not in the catalog`` with the closest ids.
    """
    for name in tables.own:
        frame: pd.DataFrame = getattr(tables, name.removesuffix(".csv"))
        if "product" not in frame:  # the end-use tables name end uses and materials
            continue
        for product, line in zip(frame["product"], frame["line"], strict=True):
            if product != _ALL and product not in known:
                raise TableError(
                    f"{name}:{line}: product: {product!r} is not in the {what} "
                    f"({suggest(str(product), known)}); correct the id, add the product to "
                    "items.csv, or drop the row"
                )


@cache
def shipped_stock_tables() -> StockTables:
    """The shipped tables, read once."""
    return read_stock_tables(shipped_tables(), shipped_sources())
