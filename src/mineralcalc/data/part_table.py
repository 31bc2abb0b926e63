"""The catalog tables read by column: ``parts.csv`` as arrays, ``items.csv`` as records.

The fast path of :mod:`mineralcalc.data.catalog_tables` for valid tables: every cell is
checked in bulk against the same rules the row-by-row reader applies (numbers finite, ranges
in order, known units, distributions and sources, yields in (0, 1], recycled fractions in
[0, 1] and only with a loss, one balance part per parent and none with a range). If any
cell breaks a rule, these readers give up (return ``None``) and the row reader names the
cell and the fix. The part lines stay arrays: the model builds a line's
:class:`~mineralcalc.model.items.Part` only when someone asks for it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pint

from ..errors import MineralcalcError
from ..estimate import BALANCE, DISTRIBUTIONS
from ..units import parse_unit
from .columns import Columns

__all__ = ["PartTable", "items_fast", "parts_fast"]

_ABSURD = 1e15
_DIST_CODE = {d: k for k, d in enumerate(DISTRIBUTIONS)}
_FIXED, _UNIFORM, _TRIANGULAR, _LOGNORMAL = (
    _DIST_CODE[d] for d in ("fixed", "uniform", "triangular", "lognormal")
)


@dataclass(frozen=True, eq=False)
class PartTable:
    """The rows of ``parts.csv`` as arrays: amounts in each row's own unit.

    Attributes
    ----------
    amount, yields, recycled : ndarray, shape (3, rows)
        Low, central, high (balance rows 0; rows without a yield 1, without recycling 0).
    dist, yield_dist, recycled_dist : list of str
    lossy : ndarray of bool
        Rows with a yield given (their loss may be recycled).
    by_parent : dict
        Row indices of each parent's lines, in file order.
    """

    label: str
    lines: list[int]
    parent: Sequence[str]
    child: Sequence[str]
    balance: np.ndarray
    amount: np.ndarray
    unit: list[pint.Unit | None]
    unit_code: np.ndarray
    """Index of each row's unit in ``units`` (-1 for balance rows)."""
    units: list[pint.Unit | None]
    """Distinct units, in the order of ``unit_code`` (``None`` for an empty unit)."""
    dist: list[str]
    yields: np.ndarray
    yield_dist: list[str]
    lossy: np.ndarray
    recycled: np.ndarray
    recycled_dist: list[str]
    source: list[str | None]
    note: list[str | None]
    by_parent: dict[str, Sequence[int]]
    balanced: frozenset[str]
    """Parents with a balance line."""

    def origin(self, k: int) -> str:
        return f"{self.label}:{self.lines[k]}"


def _text(col: Sequence[str]) -> list[str | None]:
    return [v.strip() or None for v in col]


def _floats(col: Sequence[str]) -> np.ndarray | None:
    """The numbers of a column (NaN where empty), or None if one is not a finite number (or
    a cell is only blanks: the row reader names it).

    ``float`` reads what the row reader's ``float(cell.strip().replace("_", ""))`` reads
    (it strips the same whitespace and takes underscores between digits); whatever it
    refuses goes to the row reader.
    """
    if not any(col):  # an empty column: nothing to parse
        return np.full(len(col), math.nan)
    nan = math.nan
    try:
        out = np.fromiter((float(v) if v else nan for v in col), np.float64, len(col))
    except ValueError:
        return None
    if np.isinf(out).any() or int(np.isnan(out).sum()) != col.count(""):
        return None  # "inf", "nan" or "1e999" in a cell
    return out


def _ids_ok(col: Sequence[str]) -> bool:
    """Every cell a non-empty id without stray whitespace (each distinct id checked once)."""
    return all(v and v == v.strip() for v in set(col))


def _estimates(
    lo: np.ndarray, c: np.ndarray, hi: np.ndarray, dist: list[str | None]
) -> tuple[np.ndarray, list[str]] | None:
    """What :class:`~mineralcalc.estimate.Estimate` makes of the values, by column, or None
    where it would raise: the central value alone is fixed, low and high alone a uniform
    range around their middle, all three triangular unless a distribution is named."""
    no_lo, no_c, no_hi = np.isnan(lo), np.isnan(c), np.isnan(hi)
    if (no_lo != no_hi).any() or (no_lo & no_c).any():
        return None
    lo, hi = np.where(no_lo, c, lo), np.where(no_hi, c, hi)
    c = np.where(no_c, (lo + hi) / 2.0, c)
    if not ((lo <= c) & (c <= hi)).all():
        return None
    codes = np.where(no_c, _UNIFORM, np.where(lo == hi, _FIXED, _TRIANGULAR))
    if any(dist):  # named distributions replace the defaults
        try:
            named = np.fromiter((_DIST_CODE[d] if d else -1 for d in dist), np.int64, len(dist))
        except KeyError:
            return None
        codes = np.where(named >= 0, named, codes)
    if ((codes == _FIXED) & (lo != hi)).any() or ((codes == _LOGNORMAL) & (lo <= 0)).any():
        return None
    d = [DISTRIBUTIONS[k] for k in codes.tolist()]
    return np.stack([lo, c, hi]), d


def parts_fast(cols: Columns, sources: Mapping[str, Any]) -> PartTable | None:
    """``parts.csv`` as a :class:`PartTable`, or None if any cell needs the row reader."""
    parent, child = cols.get("parent"), cols.get("child")
    if not (_ids_ok(parent) and _ids_ok(child)):
        return None
    if len(set(zip(parent, child, strict=True))) != len(parent):
        return None  # a line listed twice
    if any(map(str.__eq__, parent, child)):
        return None  # an item containing itself: the model says so
    central_text = cols.get("central")
    balance = np.array(
        [v == BALANCE or (v[:1] in "bB \t" and v.strip().lower() == BALANCE) for v in central_text]
    )
    numeric = (
        "low",
        "high",
        "yield_low",
        "yield",
        "yield_high",
        "recycled_low",
        "recycled",
        "recycled_high",
    )
    nums = {k: _floats(cols.get(k)) for k in numeric}
    central = _floats([("" if b else v) for v, b in zip(central_text, balance, strict=True)])
    if central is None or any(v is None for v in nums.values()):
        return None
    lo, hi = nums["low"], nums["high"]
    assert lo is not None and hi is not None
    if (balance & ~(np.isnan(lo) & np.isnan(hi))).any():
        return None  # a balance with a range
    units: dict[str, pint.Unit | None] = {}
    try:
        for u in set(cols.get("unit")):
            units[u] = parse_unit(u)
    except MineralcalcError:
        return None
    code = {u: k for k, u in enumerate(units)}
    dists = _text(cols.get("dist"))
    amount = _estimates(
        np.where(balance, 0.0, lo),
        np.where(balance, 0.0, central),
        np.where(balance, 0.0, hi),
        [None if b else d for d, b in zip(dists, balance, strict=True)],
    )
    if amount is None or (amount[0][0] < 0).any() or (amount[0][2] > _ABSURD).any():
        return None
    ys, rs = (
        np.stack([nums[f"{k}_low"], nums[k], nums[f"{k}_high"]])  # type: ignore[list-item]
        for k in ("yield", "recycled")
    )
    lossy, recycling = ~np.isnan(ys).all(axis=0), ~np.isnan(rs).all(axis=0)
    y_vals, r_vals = np.where(lossy, ys, 1.0), np.where(recycling, rs, 0.0)
    y_est = _estimates(y_vals[0], y_vals[1], y_vals[2], [None] * len(parent))
    r_est = _estimates(r_vals[0], r_vals[1], r_vals[2], [None] * len(parent))
    if y_est is None or r_est is None:
        return None
    (y_arr, y_dist), (r_arr, r_dist) = y_est, r_est
    if not ((y_arr[0] > 0).all() and (y_arr[2] <= 1).all()):
        return None
    if not ((r_arr[0] >= 0).all() and (r_arr[2] <= 1).all()) or (recycling & ~lossy).any():
        return None
    fixed_one = (y_arr[0] == 1) & (y_arr[2] == 1)
    if (recycling & fixed_one & (r_arr[2] > 0)).any():
        return None  # recycling a loss of nothing
    source = _text(cols.get("source"))
    if not all(v == v.strip() for v in set(cols.get("source"))):
        return None
    if any(s is None for s, b in zip(source, balance.tolist(), strict=True) if not b):
        return None
    if not set(source) - {None} <= set(sources):
        return None
    balanced = [parent[k] for k in np.flatnonzero(balance).tolist()]
    if len(set(balanced)) != len(balanced):
        return None  # two balance parts in an item: the model says so
    by_parent = _by_parent(parent)
    return PartTable(
        cols.label,
        cols.lines,
        parent,
        child,
        balance,
        amount[0],
        [None if b else units[u] for u, b in zip(cols.get("unit"), balance, strict=True)],
        np.where(balance, -1, np.array([code[u] for u in cols.get("unit")])),
        [units[u] for u in code],
        amount[1],
        y_arr,
        y_dist,
        lossy,
        r_arr,
        r_dist,
        source,
        _text(cols.get("note")),
        by_parent,
        frozenset(balanced),
    )


def _by_parent(parent: Sequence[str]) -> dict[str, Sequence[int]]:
    """Row indices of each parent's lines, in file order: a ``range`` for a parent whose
    lines are together (the usual case, and an object the garbage collector never scans),
    a list otherwise."""
    out: dict[str, Sequence[int]] = {}
    start = 0
    for p, run in itertools.groupby(parent):
        stop = start + sum(1 for _ in run)
        seen = out.get(p)
        out[p] = range(start, stop) if seen is None else [*seen, *range(start, stop)]
        start = stop
    return out


def items_fast(
    cols: Columns, sources: Mapping[str, Any]
) -> list[tuple[str, dict[str, Any]]] | None:
    """The rows of ``items.csv``: (id, fields), or None if any cell needs the row reader."""
    ids, basis = cols.get("id"), cols.get("basis")
    if not _ids_ok(ids) or len(set(ids)) != len(ids):
        return None
    alternative = cols.get("alternative_of")
    if any(v and v != v.strip() for v in alternative):
        return None
    try:
        for b in set(basis):
            if not b.strip():
                return None
            parse_unit(b.strip())
    except MineralcalcError:
        return None
    keys = []
    for cell in cols.get("sources"):
        ks = tuple(k.strip() for k in cell.split(";") if k.strip())
        if any(k not in sources for k in ks):
            return None
        keys.append(ks)
    names, kinds, notes = _text(cols.get("name")), _text(cols.get("kind")), _text(cols.get("note"))
    return [
        (
            i,
            {
                "basis": b.strip(),
                "name": n,
                "kind": kd,
                "alternative_of": a or None,
                "sources": s,
                "note": nt,
                "origin": f"{cols.label}:{line}",
            },
        )
        for i, b, n, kd, a, s, nt, line in zip(
            ids, basis, names, kinds, alternative, keys, notes, cols.lines, strict=True
        )
    ]
