"""Production volumes, checked against their products' bases and laid out by year.

Volumes are checked and converted once, here: each must be an amount in its product's basis
(``1.24 billion`` smartphones, ``8 GW`` of offshore wind, ``600 GWh`` of batteries), or that
basis per year (``8 GW/yr``). Anything else is a :class:`~mineralcalc.errors.VolumeError`
naming the product and both units.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np

from ..errors import MineralcalcError, VolumeError
from ..estimate import parse_amount, parse_rate
from ..units import conversion_factor, parse_unit, show_unit
from .catalog import Catalog

__all__ = ["YEAR_RANGE", "Volumes", "parse_volumes"]

YEAR_RANGE = (1900, 2200)
"""Years a volume may be given for (inclusive)."""

_PER_YEAR = parse_unit("1/year")


class Volumes(NamedTuple):
    """Volumes laid out by year (see :func:`parse_volumes`)."""

    products: list[str]
    years: list[int | None]
    values: np.ndarray
    """Low, central, high volume in each product's basis per year, shape (3, products, years)."""
    dists: list[str]
    """The distribution of each product's volume (for Monte Carlo sampling)."""
    within: dict[str, str]
    """Products whose demand is part of a published end use (``"within": "other uses"``),
    by product; any other product the published end uses do not list is new demand."""


def parse_volumes(
    volumes: Mapping[str, Any],
    catalog: Catalog,
    *,
    years: Iterable[int] | None = None,
) -> Volumes:
    """Check volumes against their products' bases and lay them out by year.

    A product's volume is a plain amount (the same every year), or a mapping of years to
    amounts, optionally with a ``"growth"`` rate (``"5 %/yr"``); a mapping may give a year-less
    amount as ``"amount"``. ``"within": "<end use>"`` says the product's demand is part of a
    published end use (``end_uses.csv``: ``"other uses"``), not new demand on top of the
    published figures (the default for a product no end use lists). For a year between two given
    years the volume is interpolated linearly (low, central and high each); beyond the given
    years it follows the growth rate from the nearest given year, and without one it is an
    error (no silent extrapolation).

    Returns
    -------
    Volumes
        ``products``; ``years`` (as given, else every year named by a volume, ``[None]`` when
        none is); ``values``, shape (3, products, years); ``dists``.
    """
    if not isinstance(volumes, Mapping):
        raise VolumeError(
            f"volumes must be a mapping {{product_id: amount}}, got {type(volumes).__name__}"
        )
    if not volumes:
        raise VolumeError("volumes are empty: give at least one product_id: amount")
    series: dict[str, _Series] = {}
    for pid, spec in volumes.items():
        if pid not in catalog:
            raise catalog.unknown_item_error(pid, "volumes", kind="product")
        series[pid] = _series(pid, spec, catalog[pid].basis)
    given = sorted({y for s in series.values() for y in s.points})
    if years is not None:
        year_list: list[int | None] = [_year(y, "years") for y in years]
        if not year_list:
            raise VolumeError("years is empty")
    else:
        year_list = list(given) if given else [None]
    values = np.zeros((3, len(series), len(year_list)))
    for p, (pid, s) in enumerate(series.items()):
        for y, year in enumerate(year_list):
            values[:, p, y] = s.at(year, pid)
    within = {pid: s.within for pid, s in series.items() if s.within is not None}
    return Volumes(list(series), year_list, values, [s.dist for s in series.values()], within)


class _Series:
    """One product's volumes: fixed, or by year with an optional growth rate."""

    def __init__(
        self,
        fixed: tuple[float, float, float] | None,
        points: dict[int, tuple[float, float, float]],
        growth: tuple[float, float, float] | None,
        dist: str = "fixed",
        within: str | None = None,
    ) -> None:
        self.fixed, self.points, self.growth, self.dist = fixed, points, growth, dist
        self.within = within

    def at(self, year: int | None, pid: str) -> tuple[float, float, float]:
        if self.fixed is not None:
            return self.fixed
        if year is None:
            raise VolumeError(f"volume of {pid!r} is given by year: ask for years")
        if year in self.points:
            return self.points[year]
        known = sorted(self.points)
        lo_years = [k for k in known if k < year]
        hi_years = [k for k in known if k > year]
        if lo_years and hi_years:
            a, b = lo_years[-1], hi_years[0]
            t = (year - a) / (b - a)
            va, vb = self.points[a], self.points[b]
            return tuple(x + t * (z - x) for x, z in zip(va, vb, strict=True))  # type: ignore[return-value]
        if self.growth is None:
            raise VolumeError(
                f"volume of {pid!r}: no value for {year} (given: {known}); add that year, "
                'or a growth rate ("growth": "5 %/yr") to extend the series'
            )
        g_lo, g_c, g_hi = self.growth
        if lo_years:  # after the last given year
            base, n = self.points[lo_years[-1]], year - lo_years[-1]
            return (base[0] * (1 + g_lo) ** n, base[1] * (1 + g_c) ** n, base[2] * (1 + g_hi) ** n)
        base, n = self.points[hi_years[0]], hi_years[0] - year  # before the first
        return (base[0] / (1 + g_hi) ** n, base[1] / (1 + g_c) ** n, base[2] / (1 + g_lo) ** n)


def _series(pid: str, spec: Any, basis: Any) -> _Series:
    if not isinstance(spec, Mapping):
        value, dist = _volume(spec, basis, pid, f"volume of {pid!r}")
        return _Series(value, {}, None, dist)
    points: dict[int, tuple[float, float, float]] = {}
    dists: list[str] = []
    growth = None
    within = _within(pid, spec.get("within"))
    if "amount" in spec:  # a year-less amount with a key besides it
        extra = sorted(str(k) for k in spec if k not in ("amount", "within"))
        if extra:
            raise VolumeError(
                f"volume of {pid!r}: 'amount' is the volume of every year; give years or "
                f"amount, not both ({', '.join(extra)})"
            )
        value, dist = _volume(spec["amount"], basis, pid, f"volume of {pid!r}")
        return _Series(value, {}, None, dist, within)
    for key, amount in spec.items():
        if isinstance(key, str) and key.strip().lower() in ("growth", "within"):
            if key.strip().lower() == "growth":
                try:
                    growth = parse_rate(amount, what="growth").values()
                except MineralcalcError as e:
                    raise VolumeError(f"volume of {pid!r}: {e}") from None
            continue
        where = f"volume of {pid!r} in {key}"
        points[_year(key, where)], dist = _volume(amount, basis, pid, where)
        dists.append(dist)
    if not points:
        raise VolumeError(
            f"volume of {pid!r}: give at least one year's volume (or 'amount' for every year)"
        )
    uncertain = [d for d in dists if d != "fixed"]
    ranged = any(v[0] < v[2] for v in points.values()) or (growth and growth[0] < growth[2])
    dist = uncertain[0] if uncertain else ("uniform" if ranged else "fixed")
    return _Series(None, points, growth, dist, within)


def _within(pid: str, value: Any) -> str | None:
    """The published end use a product's demand is part of, or None (new demand)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise VolumeError(
            f"volume of {pid!r}: within {value!r}: give the name of a published end use of "
            "end_uses.csv, e.g. 'other uses'"
        )
    return value.strip()


def _year(key: Any, where: str) -> int:
    try:
        year = int(str(key).strip()) if not isinstance(key, bool) else None
    except ValueError:
        year = None
    if year is None or str(key).strip() not in (str(year), f"{year}.0"):
        raise VolumeError(f"{where}: year {key!r} is not a whole year such as 2024")
    lo, hi = YEAR_RANGE
    if not lo <= year <= hi:
        raise VolumeError(f"{where}: year {year} is out of range ({lo}-{hi})")
    return year


def _volume(
    amount: Any, basis: Any, pid: str, where: str
) -> tuple[tuple[float, float, float], str]:
    """A volume in the product's basis (low, central, high), and its distribution."""
    try:
        est = parse_amount(amount)
    except MineralcalcError as e:
        raise VolumeError(f"{where}: {e}") from None
    try:
        factor = conversion_factor(est.unit, basis)
    except MineralcalcError:
        try:
            factor = conversion_factor(est.unit, basis * _PER_YEAR)
        except MineralcalcError:
            raise VolumeError(
                f"{where}: {str(est)!r} does not fit the product's basis: {pid!r} is counted "
                f"in {show_unit(basis)!r}, the volume is in {show_unit(est.unit)!r} "
                f"(give it in {show_unit(basis)} or {show_unit(basis)}/yr)"
            ) from None
    lo, c, hi = (v * factor for v in est.values())
    if lo < 0:
        raise VolumeError(f"{where}: {est} is negative; volumes are >= 0")
    if hi > _ABSURD:
        raise VolumeError(
            f"{where}: {est} is absurdly large (over 1e15 {show_unit(basis)}); check its unit"
        )
    return (lo, c, hi), ("fixed" if lo == hi else est.dist)


_ABSURD = 1e15
