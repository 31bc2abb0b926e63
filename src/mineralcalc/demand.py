"""Production volumes in, a :class:`~mineralcalc.result.Demand` out.

Volumes are checked and converted once, here: each must be an amount in its product's basis
(``1.24 billion`` smartphones, ``8 GW`` of offshore wind, ``600 GWh`` of batteries), or that
basis per year (``8 GW/yr``). Anything else is a :class:`~mineralcalc.errors.VolumeError`
naming the product and both units.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from .catalog import Catalog
from .errors import MineralcalcError, UnknownItemError, VolumeError
from .estimate import parse_amount
from .result import Demand
from .units import conversion_factor, parse_unit, show_unit

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
        Keep only these years; each must be given for every product with per-year volumes.
    samples, seed : int, optional
        Monte Carlo sampling (not yet available: raises ``NotImplementedError``).

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
    if samples is not None:
        raise NotImplementedError("Monte Carlo sampling (samples=) is not available yet")
    if not isinstance(volumes, Mapping) and hasattr(volumes, "volumes"):
        if catalog is None:
            catalog = getattr(volumes, "catalog", None)
        volumes = volumes.volumes
    if catalog is None:
        catalog = Catalog.default()
    products, year_list, values = parse_volumes(volumes, catalog, years=years)
    return Demand(catalog, products, year_list, values)


def parse_volumes(
    volumes: Mapping[str, Any],
    catalog: Catalog,
    *,
    years: Iterable[int] | None = None,
) -> tuple[list[str], list[int | None], np.ndarray]:
    """Check volumes against their products' bases and convert them to arrays.

    Returns
    -------
    products : list of str
    years : list of int or [None]
        ``[None]`` when no volume names a year.
    values : ndarray, shape (3, products, years)
        Low, central, high volume in each product's basis per year.
    """
    if not isinstance(volumes, Mapping):
        raise VolumeError(
            f"volumes must be a mapping {{product_id: amount}}, got {type(volumes).__name__}"
        )
    if not volumes:
        raise VolumeError("volumes are empty: give at least one product_id: amount")
    parsed: dict[str, dict[int | None, tuple[float, float, float]]] = {}
    for pid, spec in volumes.items():
        if pid not in catalog:
            raise UnknownItemError(f"volumes: {catalog._unknown(pid)}")
        item = catalog[pid]
        per_year = spec.items() if isinstance(spec, Mapping) else [(None, spec)]
        parsed[pid] = {}
        for year_key, amount in per_year:
            where = f"volume of {pid!r}" + (f" in {year_key}" if year_key is not None else "")
            year = None if year_key is None else _year(year_key, where)
            parsed[pid][year] = _volume(amount, item.basis, pid, where)
    given = sorted({y for d in parsed.values() for y in d if y is not None})
    if years is not None:
        wanted = [_year(y, "years") for y in years]
        for pid, d in parsed.items():
            missing = [y for y in wanted if y not in d and None not in d]
            if missing:
                raise VolumeError(
                    f"volume of {pid!r}: no value for {missing} "
                    f"(given: {sorted(k for k in d if k)}); add those years or leave them out "
                    "of years="
                )
        year_list: list[int | None] = list(wanted)
    else:
        year_list = list(given) if given else [None]
    values = np.zeros((3, len(parsed), len(year_list)))
    for p, (_pid, d) in enumerate(parsed.items()):
        for y, year in enumerate(year_list):
            values[:, p, y] = d[year] if year in d else d[None]
    return list(parsed), year_list, values


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


def _volume(amount: Any, basis: Any, pid: str, where: str) -> tuple[float, float, float]:
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
    return (lo, c, hi)
