"""Production volumes in, a :class:`~mineralcalc.result.Demand` out.

Volumes are checked and converted once, here: each must be an amount in its product's basis
(``1.24 billion`` smartphones, ``8 GW`` of offshore wind, ``600 GWh`` of batteries), or that
basis per year (``8 GW/yr``). Anything else is a :class:`~mineralcalc.errors.VolumeError`
naming the product and both units.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np

from ..errors import MineralcalcError, UnknownItemError, VolumeError
from ..estimate import parse_amount, parse_rate
from ..results.demand import Demand
from ..units import conversion_factor, parse_unit, show_unit
from .catalog import Catalog
from .changes import Change, catalogs_by_year

__all__ = ["YEAR_RANGE", "demand", "parse_volumes"]

YEAR_RANGE = (1900, 2200)
"""Years a volume may be given for (inclusive)."""

_PER_YEAR = parse_unit("1/year")


def demand(
    volumes: Any,
    catalog: Catalog | None = None,
    *,
    years: Iterable[int] | None = None,
    samples: int | None = None,
    seed: int | None = None,
    changes: Iterable[Change] | None = None,
    supply_growth: Any = None,
    progress: Callable[[int, int], None] | None = None,
    basis: str = "mined",
    max_memory: Any = None,
) -> Demand:
    """Element demand of production volumes.

    Parameters
    ----------
    volumes : mapping or scenario
        ``{product_id: amount}`` or ``{product_id: {year: amount}}``; an amount is any form
        :func:`~mineralcalc.estimate.parse_amount` reads, in the product's basis
        (``"1.24 billion"``, ``"8 GW"``, ``"1.2 to 1.3 billion"``), optionally per year. A
        plain amount beside per-year ones applies to every year. A scenario (anything with
        a ``volumes`` attribute, e.g. from :func:`~mineralcalc.load_scenario`) brings its
        volumes and, if it has one, its catalog.
    catalog : Catalog, optional
        Default: the scenario's catalog, else :meth:`Catalog.default`.
    years : iterable of int, optional
        The years to compute (default: the scenario's, else every year a volume names).
        Volumes between given years are interpolated linearly; beyond them they follow a
        product's ``"growth"`` rate, and without one that is an error.
    samples : int, optional
        Draw this many Monte Carlo samples of every uncertain amount, yield and volume
        (:mod:`mineralcalc.montecarlo`); then :meth:`Demand.quantiles`, the p5/p50/p95
        columns of :meth:`Demand.to_frame` and the share spread of :meth:`Demand.compare`.
    seed : int, optional
        Random seed; the same seed gives identical samples.
    changes : iterable of Change, optional
        Part lines whose amounts change over the years (thrifting, shifting technology
        shares); default: the scenario's. See :mod:`mineralcalc.timeline`.
    supply_growth : rate or mapping of commodity to rate, optional
        Growth of world output per year, used by :meth:`Demand.compare` for years after the
        last figures (default: the scenario's).
    progress : callable(done, total), optional
        Called as sampling proceeds (the command line draws a progress bar with it).
    basis : {'mined', 'gross', 'contained'}, default ``'mined'``
        What the demand's figures mean unless a query says otherwise: the mass to be mined
        (process losses included, closed recycling loops such as magnet swarf netted out),
        the mass passing through the processes (``gross``), or the mass in the products
        (``contained``). Samples are drawn for this basis.
    max_memory : int or str, optional
        Memory budget for sampling, in bytes or as ``"2 GiB"``, ``"500 MB"`` (default:
        :data:`mineralcalc.montecarlo.MAX_MEMORY`, 2 GiB). A request estimated above it is
        refused before anything is drawn.

    Returns
    -------
    Demand

    Raises
    ------
    UnknownItemError
        A product the catalog does not hold (the message suggests the closest).
    VolumeError
        A volume that is negative, malformed, or not in its product's basis.

    Examples
    --------
    >>> import mineralcalc as mc
    >>> cat = mc.Catalog([mc.Item("phone", parts={"Nd": "0.16 g"}, kind="product")])
    >>> mc.demand({"phone": "1.24 billion"}, cat).total("Nd")
    <Quantity(198.4, 'metric_ton')>
    """
    if not isinstance(volumes, Mapping) and hasattr(volumes, "volumes"):
        scenario = volumes
        if catalog is None:
            catalog = getattr(scenario, "catalog", None)
        if years is None:
            years = getattr(scenario, "years", None)
        if changes is None:
            changes = getattr(scenario, "changes", None)
        if supply_growth is None:
            supply_growth = getattr(scenario, "supply_growth", None)
        volumes = scenario.volumes
    if catalog is None:
        catalog = Catalog.default()
    _check_supply_growth(supply_growth)
    seed = _seed(seed)
    budget = _bytes(max_memory) if samples is not None else None
    vols = parse_volumes(volumes, catalog, years=years)
    catalogs = catalogs_by_year(catalog, changes or (), vols.years)
    result = Demand(
        catalog, vols.products, vols.years, vols.values, catalogs=catalogs,
        supply_growth=supply_growth, basis=basis,
    )  # fmt: skip
    if samples is not None:
        result._sample(_count(samples), seed, vols.dists, progress, budget)
    return result


def _check_supply_growth(growth: Any) -> None:
    """Supply growth is checked where it is given, each commodity's rate named."""
    if growth is None:
        return
    rates = growth.items() if isinstance(growth, Mapping) else [("*", growth)]
    for commodity, rate in rates:
        what = "supply_growth" if commodity == "*" else f"supply_growth[{commodity!r}]"
        try:
            parse_rate(rate, what=what)
        except MineralcalcError as e:
            raise VolumeError(str(e)) from None


def _seed(seed: Any) -> int | None:
    """A seed is a whole number >= 0, or None (fresh entropy)."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise VolumeError(f"seed must be a whole number >= 0 (or None), got {seed!r}")
    return int(seed)


def _bytes(value: Any) -> int:
    """A memory budget in bytes: a number of bytes, or ``"2 GiB"``, ``"500 MB"``."""
    from ..engine import sampler as montecarlo

    if value is None:
        return montecarlo.MAX_MEMORY
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        amount = float(value)
    else:
        try:
            amount = parse_amount(value).values("byte")[1]
        except MineralcalcError as e:
            raise VolumeError(
                f"max_memory {value!r} is not an amount of memory (e.g. '2 GiB', '500 MB'): {e}"
            ) from None
    if not amount > 0:
        raise VolumeError(f"max_memory must be above zero, got {value!r}")
    return int(amount)


def _count(samples: Any) -> int:
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise VolumeError(f"samples must be a whole number of draws >= 1, got {samples!r}")
    if samples > 10_000_000:
        raise VolumeError(f"samples={samples:,} is more than 10 million; use fewer")
    return int(samples)


class Volumes(NamedTuple):
    """Volumes laid out by year (see :func:`parse_volumes`)."""

    products: list[str]
    years: list[int | None]
    values: np.ndarray
    """Low, central, high volume in each product's basis per year, shape (3, products, years)."""
    dists: list[str]
    """The distribution of each product's volume (for Monte Carlo sampling)."""


def parse_volumes(
    volumes: Mapping[str, Any],
    catalog: Catalog,
    *,
    years: Iterable[int] | None = None,
) -> Volumes:
    """Check volumes against their products' bases and lay them out by year.

    A product's volume is a plain amount (the same every year), or a mapping of years to
    amounts, optionally with a ``"growth"`` rate (``"5 %/yr"``). For a year between two given
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
            raise UnknownItemError(f"volumes: {catalog._unknown(pid, kind='product')}")
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
    return Volumes(list(series), year_list, values, [s.dist for s in series.values()])


class _Series:
    """One product's volumes: fixed, or by year with an optional growth rate."""

    def __init__(
        self,
        fixed: tuple[float, float, float] | None,
        points: dict[int, tuple[float, float, float]],
        growth: tuple[float, float, float] | None,
        dist: str = "fixed",
    ) -> None:
        self.fixed, self.points, self.growth, self.dist = fixed, points, growth, dist

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
    for key, amount in spec.items():
        if isinstance(key, str) and key.strip().lower() == "growth":
            try:
                growth = parse_rate(amount, what="growth").values()
            except MineralcalcError as e:
                raise VolumeError(f"volume of {pid!r}: {e}") from None
            continue
        where = f"volume of {pid!r} in {key}"
        points[_year(key, where)], dist = _volume(amount, basis, pid, where)
        dists.append(dist)
    if not points:
        raise VolumeError(f"volume of {pid!r}: a growth rate needs at least one year's volume")
    uncertain = [d for d in dists if d != "fixed"]
    ranged = any(v[0] < v[2] for v in points.values()) or (growth and growth[0] < growth[2])
    dist = uncertain[0] if uncertain else ("uniform" if ranged else "fixed")
    return _Series(None, points, growth, dist)


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
