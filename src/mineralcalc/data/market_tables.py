"""Reading the demand side of the world market: published demand by end use.

``end_uses.csv`` holds published demand figures by end use (EVs, wind, catalysts, polishing,
"other uses" ...) for an element or a group of elements, in a year, with the catalog products
that model that end use (``covered_by``). ``end_use_elements.csv`` splits a group row (the
IEA's magnet rare earths, or all rare earths of an end use) into elements. The reader returns
one row per end use, element and year, in tonnes of metal, so that
:mod:`mineralcalc.lenses.market` can add the uses a scenario does not model to the ones it does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from ..elements import ELEMENTS, GROUPS, OXIDES
from ..errors import MineralcalcError, TableError, suggest
from ..estimate import Estimate, parse_rate
from ..units import parse_unit
from .csvtable import Row, check_source, read_table, shipped_sources, shipped_tables

__all__ = [
    "CATCH_ALL",
    "COVERS",
    "STAGES",
    "EndUses",
    "read_clearing",
    "read_end_use_elements",
    "read_end_uses",
    "shipped_clearing",
    "shipped_end_uses",
]

STAGES = ("contained", "first use")
"""What a published demand figure counts: the mass in the products (``contained``), or what
industry buys, process scrap included (``first use``, compared with the ``gross`` basis)."""

COVERS = ("all", "part")
"""What the products of an end use's ``covered_by`` hold of what its published figure counts:
``all`` (they model it in full: a scenario holding them replaces the figure) or ``part`` (the
figure counts more than they hold, e.g. lithium cathode formulas leave out: it stays a
floor)."""

CATCH_ALL = "*"
"""Refused in ``covered_by``: a figure that took every product no other end use lists would
silently swallow a product a scenario adds. Products are listed; a scenario's product that is
part of a published figure says so (``within``), and any other is new demand."""

_TOL = 1e-6


@dataclass(frozen=True)
class EndUses:
    """Published demand by end use, one row per end use, element and year.

    Attributes
    ----------
    frame : DataFrame
        Columns ``commodity``, ``end_use``, ``element``, ``year``, ``amount``, ``low``,
        ``high`` [t metal], ``covered_by`` (tuple of product ids, or ``('*',)``),
        ``complete_with`` (tuple of tuples: the end use is modelled in full by a product of
        each inner tuple, the alternatives), ``covers`` (:data:`COVERS`), ``stage``
        (:data:`STAGES`), ``growth`` (fraction per year beyond the last given year, NaN: held
        flat), ``growth_source``, ``source``, ``split_source`` (the source of the element split
        of a group row, else None).
    """

    frame: pd.DataFrame

    @property
    def sources(self) -> set[str]:
        """Every source key the rows cite."""
        f = self.frame
        keys = set(f["source"]) | set(f["split_source"].dropna()) | set(f["growth_source"].dropna())
        return {str(k) for k in keys}


def _members(row: Row, column: str = "element") -> tuple[str, tuple[str, ...]]:
    name = row.ident(column)
    assert name is not None
    if name in ELEMENTS:
        return name, (name,)
    if name in GROUPS:
        return name, GROUPS[name]
    raise row.error(
        column, f"{name!r} is not an element or group ({suggest(name, [*GROUPS, *ELEMENTS])})"
    )


def read_end_use_elements(path: Path, sources: Mapping[str, Any]) -> pd.DataFrame:
    """``end_use_elements.csv``: how an end use's demand of a group divides into elements.

    Returns
    -------
    DataFrame
        Columns ``end_use``, ``group``, ``element``, ``share`` (fraction of the group's mass in
        the basis of the end-use row it splits), ``source``.
    """
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in read_table(path, "end_use_elements.csv"):
        use = row.ident("end_use")
        group, members = _members(row, "group")
        el = row.ident("element")
        assert el is not None and use is not None
        if el not in members:
            raise row.error(
                "element", f"{el!r} is not a member of {group!r} ({', '.join(members)})"
            )
        key = (use, group, el)
        if key in seen:
            raise row.error(
                "element", f"{use} {group} {el} is given twice (first at row {seen[key]})"
            )
        seen[key] = row.line
        share = row.number("share", required=True)
        assert share is not None
        if not 0 <= share <= 100:
            raise row.error("share", f"{share:g} is not a percentage from 0 to 100")
        rows.append(
            {
                "end_use": use,
                "group": group,
                "element": el,
                "share": share / 100,
                "source": check_source(row, "source", sources, required=True),
            }
        )
    frame = pd.DataFrame(rows, columns=["end_use", "group", "element", "share", "source"])
    if not frame.empty:
        totals = frame.groupby(["end_use", "group"])["share"].sum()
        bad = totals[(totals - 1).abs() > 1e-3]
        if not bad.empty:
            where, total = next(iter(bad.items()))
            use, group = where if isinstance(where, tuple) else (where, "")
            raise TableError(
                f"{path.name}: share: the split of {group} in {use} adds up to {total:.2%}, "
                "not 100 % (a split must allocate the whole group)"
            )
    return frame


def read_end_uses(path: Path, sources: Mapping[str, Any], splits: pd.DataFrame) -> EndUses:
    """``end_uses.csv``: published demand by end use, expanded to elements in t of metal.

    A row names an element, or a group that ``splits`` divides into elements; its ``amount``
    (with ``low`` and ``high``, optional) is in ``unit`` of the element's or group's ``basis``:
    ``oxide`` (each element's usual oxide) or ``metal``. ``covered_by`` lists the products
    (``;``-separated) that model the end use, or ``*`` for the catch-all of the element; a
    scenario holding all of them models the end use in full, and ``|`` separates products that
    are alternatives of each other (``onshore_wind;offshore_wind|offshore_turbine``).
    ``covers`` is ``part`` where the figure counts more than those products hold (the figure
    then stays a floor under their demand), else ``all``.
    ``stage`` says whether the figure is ``contained`` in products or ``first use`` (what
    industry buys, scrap included; the default). ``growth`` (``"2 %/yr"``) carries the figure
    beyond the last year given for it.

    Raises
    ------
    TableError
        ``file:row: column: problem``: an unknown element or group, a group without a split,
        a mass unit missing, a product listed by two end uses of one element and year.
    """
    out: list[dict[str, Any]] = []
    claimed: dict[tuple[str, str, int], tuple[str, int]] = {}
    for row in read_table(path, "end_uses.csv"):
        commodity, use = row.ident("commodity"), row.ident("end_use")
        assert use is not None
        name, _ = _members(row)
        year = row.year()
        assert year is not None
        basis = row.choice("basis", ("oxide", "metal"))
        try:
            factor = Estimate(central=1.0, unit=parse_unit(row.get("unit"))).values("t")[1]
        except MineralcalcError as e:
            raise row.error("unit", f"{e} (end-use amounts are masses, e.g. 'kt')") from None
        amount = row.number("amount", required=True)
        lo, hi = row.number("low"), row.number("high")
        assert amount is not None
        lo = amount if lo is None else lo
        hi = amount if hi is None else hi
        if not 0 <= lo <= amount <= hi:
            raise row.error(
                "amount", f"0 <= low {lo:g} <= amount {amount:g} <= high {hi:g} must hold"
            )
        # 'a;b|c': the end use is modelled in full by a and by b or c (alternatives)
        complete = tuple(
            tuple(p.strip() for p in item.split("|") if p.strip())
            for item in row.get("covered_by").split(";")
            if item.strip()
        )
        covered = tuple(p for item in complete for p in item)
        if CATCH_ALL in covered:
            raise row.error(
                "covered_by",
                "'*' is not a product: list the products the figure holds (a product that a "
                'scenario adds is new demand, unless its volume says within = "<end use>")',
            )
        covers = row.choice("covers", COVERS, required=False) or "all"
        stage = row.choice("stage", STAGES, required=False) or "first use"
        growth, growth_source = float("nan"), None
        if row.get("growth"):
            try:
                growth = parse_rate(row.get("growth")).values()[1]
            except MineralcalcError as e:
                raise row.error("growth", str(e)) from None
            growth_source = check_source(row, "growth_source", sources, required=True)
        source = check_source(row, "source", sources, required=True)
        if name in ELEMENTS:
            parts, split_source = {name: 1.0}, None
        else:
            split = splits[(splits["end_use"] == use) & (splits["group"] == name)]
            if split.empty:
                raise row.error(
                    "element",
                    f"{name!r} is a group: add its split for {use!r} to end_use_elements.csv",
                )
            parts = dict(zip(split["element"], split["share"], strict=True))
            split_source = ";".join(sorted(set(split["source"])))
        for el, share in parts.items():
            for product in covered:
                key = (product, el, year)
                if key in claimed and claimed[key][0] != use:
                    first_use, first_row = claimed[key]
                    raise row.error(
                        "covered_by",
                        f"{product!r} already models {el} in {year} under {first_use!r} "
                        f"(row {first_row}); a product's element goes to one end use",
                    )
                claimed[key] = (use, row.line)
            to_metal = OXIDES[el].metal_fraction if basis == "oxide" and el in OXIDES else 1.0
            f = factor * share * to_metal
            out.append(
                {
                    "commodity": commodity,
                    "end_use": use,
                    "element": el,
                    "year": year,
                    "amount": amount * f,
                    "low": lo * f,
                    "high": hi * f,
                    "covered_by": covered,
                    "complete_with": complete,
                    "covers": covers,
                    "stage": stage,
                    "growth": growth,
                    "growth_source": growth_source,
                    "source": source,
                    "split_source": split_source,
                    "origin": f"{row.file}:{row.line}",
                }
            )
    frame = pd.DataFrame(out)
    if not frame.empty:
        dup = frame.duplicated(["end_use", "element", "year"], keep=False)
        if dup.any():
            first = frame[dup].iloc[0]
            raise TableError(
                f"{first['origin']}: element: {first['end_use']} {first['element']} in "
                f"{first['year']} is given twice (directly and through a group?)"
            )
    return EndUses(frame)


def read_clearing(path: Path, sources: Mapping[str, Any]) -> pd.DataFrame:
    """``clearing.csv``: elements whose market is taken to clear in the base year, and the
    rate at which their unmodelled uses grow after it.

    No readable source splits the demand for lanthanum, cerium, yttrium and the other
    non-magnet rare earths (or manganese) by end use; their uses that the catalog does not
    model are taken as the base year's supply less the modelled demand (apparent
    consumption), and grow at ``growth`` per year after it (``"4 (2 to 7) %/yr"``: the range
    gives the low and high demand).

    Returns
    -------
    DataFrame
        Columns ``commodity``, ``element``, ``growth``, ``growth_low``, ``growth_high``
        (fractions per year), ``source``, ``note``.
    """
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in read_table(path, "clearing.csv"):
        el = row.element()
        if el in seen:
            raise row.error("element", f"{el} is given twice (first at row {seen[el]})")
        seen[el] = row.line
        try:
            lo, c, hi = parse_rate(row.get("growth"), what=f"growth of {el}").values()
        except MineralcalcError as e:
            raise row.error("growth", str(e)) from None
        rows.append(
            {
                "commodity": row.ident("commodity"),
                "element": el,
                "growth": c,
                "growth_low": lo,
                "growth_high": hi,
                "source": check_source(row, "source", sources, required=True),
                "note": row.text("note") or "",
            }
        )
    cols = ["commodity", "element", "growth", "growth_low", "growth_high", "source", "note"]
    return pd.DataFrame(rows, columns=cols)


@cache
def shipped_clearing() -> pd.DataFrame:
    """The shipped ``clearing.csv``, read once."""
    return read_clearing(shipped_tables() / "clearing.csv", shipped_sources())


@cache
def shipped_end_uses() -> EndUses:
    """The shipped end-use tables, read once."""
    root, src = shipped_tables(), shipped_sources()
    splits = read_end_use_elements(root / "end_use_elements.csv", src)
    return read_end_uses(root / "end_uses.csv", src, splits)
