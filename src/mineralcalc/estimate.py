"""Estimates: a low, central and high value with a unit and a distribution.

Sources give ranges ("between 1.2 and 3.5 kg"), upper bounds and disputed point values;
an :class:`Estimate` keeps them as data. Every amount the library accepts goes through
:func:`parse_amount`, which reads:

* a pint Quantity, ``Q_(3, "g")``;
* a string pint can read, ``"3 g"``, ``"1.24 billion"``, ``"650 kg/MW"``, ``"23 %"``;
* a plain number: a count (dimensionless);
* a range string, ``"1.2 to 3.5 kg"`` (also ``"1.2-3.5 kg"``, ``"1.2–3.5 kg"``),
  ``"3 ± 0.5 g"`` and ``"2.35 (1.2 to 3.5) kg"`` (central, then the range: what
  ``str(estimate)`` prints, so printed estimates read back);
* a sequence ``(low, high)`` or ``(low, central, high)``, or a mapping with those keys;
* an :class:`Estimate`.

A range without a central value takes its midpoint as the central value and a uniform
distribution: with no mode given, no point inside the range is favoured.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any, TypeAlias

import attrs
import pint

from .errors import AmountError, MineralcalcError
from .units import Q_, conversion_factor, parse_unit, show_unit, ureg

__all__ = [
    "BALANCE",
    "DISTRIBUTIONS",
    "AmountLike",
    "Estimate",
    "GrowthLike",
    "RateLike",
    "parse_amount",
    "parse_rate",
]

DISTRIBUTIONS = ("fixed", "uniform", "triangular", "pert", "lognormal")
"""Distribution names an :class:`Estimate` may carry (used by Monte Carlo sampling)."""

BALANCE = "balance"
"""The amount that makes a part the rest of a mass-basis item (Fe = 1 - the other parts)."""

_NUM = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?|[-+]?\.\d+(?:[eE][-+]?\d+)?"
_SEP = r"\s*(?:to|–|—|\.\.|-)\s*"
_RE_SINGLE = re.compile(rf"^\s*(?P<c>{_NUM})\s*(?P<unit>[^\d\s(±].*)?$")
_RE_RANGE = re.compile(rf"^\s*(?P<lo>{_NUM}){_SEP}(?P<hi>{_NUM})\s*(?P<unit>[^\d\s(±].*)?$")
_RE_PM = re.compile(rf"^\s*(?P<c>{_NUM})\s*(?:±|\+/-|\+-)\s*(?P<d>{_NUM})\s*(?P<unit>.*)$")
_RE_CENTRAL_RANGE = re.compile(
    rf"^\s*(?P<c>{_NUM})\s*[(\[]\s*(?P<lo>{_NUM}){_SEP}(?P<hi>{_NUM})\s*[)\]]\s*(?P<unit>.*)$"
)
_DIMENSIONLESS = ureg.Unit("dimensionless")


def _num(text: str) -> float:
    return float(text.replace(",", ""))


@attrs.frozen(init=False, repr=False, eq=True)
class Estimate:
    """A quantity known as low / central / high, with a distribution for sampling.

    Parameters
    ----------
    low, central, high : number, str or pint.Quantity, optional
        Give ``central`` alone for a point value; ``low`` and ``high`` (and optionally
        ``central``) for a range. A range without ``central`` takes the midpoint.
        Quantities in different but compatible units are converted to the unit of the
        first one given. Plain numbers are in ``unit``.
    dist : {'fixed', 'uniform', 'triangular', 'pert', 'lognormal'}, optional
        Default: ``'fixed'`` for a point, ``'triangular'`` for a range with a central
        value, ``'uniform'`` for a bare range.
    unit : str or pint.Unit, optional
        Unit of plain-number arguments (default: dimensionless, i.e. a count or fraction).

    Raises
    ------
    AmountError
        Missing or unordered bounds, NaN or infinite values, an unknown distribution, or
        plain numbers mixed with quantities (ambiguous units).

    Examples
    --------
    >>> Estimate(low="1.2 kg", high="3.5 kg")
    Estimate('2.35 (1.2 to 3.5) kg', dist='uniform')
    """

    _low: float
    _central: float
    _high: float
    unit: pint.Unit
    dist: str

    def __init__(
        self,
        low: Any = None,
        central: Any = None,
        high: Any = None,
        dist: str | None = None,
        *,
        unit: str | pint.Unit | None = None,
    ) -> None:
        given = {"low": low, "central": central, "high": high}
        quantities = {k: v for k, v in given.items() if isinstance(v, pint.Quantity | str)}
        numbers = {k: v for k, v in given.items() if v is not None and k not in quantities}
        base: pint.Unit | None = _as_unit(unit) if unit is not None else None
        values: dict[str, float] = {}
        for key, value in quantities.items():
            mag, u = _split_quantity(value, key)
            if base is None:
                base = u
            values[key] = mag * conversion_factor(u, base) if u != base else mag
        if quantities and numbers and unit is None:
            raise AmountError(
                f"Estimate mixes plain numbers ({', '.join(numbers)}) with quantities "
                f"({', '.join(quantities)}): give every value a unit, or pass unit="
            )
        for key, value in numbers.items():
            values[key] = _real(value, key)
        base = base if base is not None else _DIMENSIONLESS
        for key, v in values.items():
            if not math.isfinite(v):
                raise AmountError(f"Estimate {key} is {v}: values must be finite numbers")
        lo, c, hi = values.get("low"), values.get("central"), values.get("high")
        if lo is None and hi is None:
            if c is None:
                raise AmountError("Estimate needs a central value, or low and high")
            lo = hi = c
        elif lo is None or hi is None:
            which = "low" if lo is None else "high"
            raise AmountError(
                f"Estimate has no {which} value: give both low and high "
                '(for an upper bound write "0 to 1 t")'
            )
        if c is None:
            c = (lo + hi) / 2.0
            dist = dist or "uniform"
        if not lo <= c <= hi:
            raise AmountError(
                f"Estimate values out of order: low {lo:g} <= central {c:g} <= high {hi:g} "
                "must hold (swap them?)"
            )
        if dist is None:
            dist = "fixed" if lo == hi else "triangular"
        if dist not in DISTRIBUTIONS:
            raise AmountError(
                f"unknown distribution {dist!r}: use one of {', '.join(DISTRIBUTIONS)}"
            )
        if dist == "fixed" and lo != hi:
            raise AmountError("a 'fixed' Estimate cannot have low < high: pick another dist")
        if dist == "lognormal" and lo <= 0:
            raise AmountError("a 'lognormal' Estimate needs low > 0")
        self.__attrs_init__(lo, c, hi, base, dist)

    @classmethod
    def from_checked(
        cls, low: float, central: float, high: float, unit: pint.Unit, dist: str
    ) -> Estimate:
        """An Estimate of magnitudes already checked, built without parsing or checks.

        For converted or computed values whose checks the caller guarantees (a table read in
        bulk, a unit conversion, a yearly change), where parsing each one would dominate.

        Parameters
        ----------
        low, central, high : float
            Magnitudes in ``unit``; finite, with ``low <= central <= high`` (not checked).
        unit : pint.Unit
            A unit of :data:`mineralcalc.units.ureg`.
        dist : str
            One of :data:`DISTRIBUTIONS`, fitting the values (``'fixed'`` only for
            ``low == high``; not checked).

        Returns
        -------
        Estimate
        """
        est = object.__new__(cls)
        est.__attrs_init__(low, central, high, unit, dist)
        return est

    @property
    def low(self) -> pint.Quantity:
        """The low value, a Quantity."""
        return Q_(self._low, self.unit)

    @property
    def central(self) -> pint.Quantity:
        """The central value, a Quantity."""
        return Q_(self._central, self.unit)

    @property
    def high(self) -> pint.Quantity:
        """The high value, a Quantity."""
        return Q_(self._high, self.unit)

    @property
    def is_fixed(self) -> bool:
        """Whether low, central and high are one value."""
        return self._low == self._high

    def values(self, unit: str | pint.Unit | None = None) -> tuple[float, float, float]:
        """``(low, central, high)`` as floats, in ``unit`` (default: the estimate's own).

        Raises
        ------
        DimensionError
            If ``unit`` does not fit the estimate's dimension.
        """
        if unit is None:
            return (self._low, self._central, self._high)
        f = conversion_factor(self.unit, _as_unit(unit))
        return (self._low * f, self._central * f, self._high * f)

    def to(self, unit: str | pint.Unit) -> Estimate:
        """The same estimate in another unit."""
        u = _as_unit(unit)
        lo, c, hi = self.values(u)
        return Estimate.from_checked(lo, c, hi, u, self.dist)

    def __str__(self) -> str:
        return self.__format__("g")

    def __format__(self, spec: str) -> str:
        """``f"{est:.2f}"`` formats each number: ``'2.45 (1.98 to 2.99) t/unit'``."""
        spec = spec or "g"
        unit = show_unit(self.unit)
        unit = "" if unit == "1" else f" {unit}"
        if self.is_fixed:
            return f"{self._central:{spec}}{unit}"
        return f"{self._central:{spec}} ({self._low:{spec}} to {self._high:{spec}}){unit}"

    def __repr__(self) -> str:
        return f"Estimate({str(self)!r}, dist={self.dist!r})"


def _as_unit(unit: str | pint.Unit) -> pint.Unit:
    if isinstance(unit, str):
        return parse_unit(unit)
    if isinstance(unit, pint.Unit):
        # each registry has its own Unit class: a unit of another registry is read again
        return unit if isinstance(unit, ureg.Unit) else parse_unit(str(unit))
    raise AmountError(f"a unit is a string or pint Unit, got {unit!r}")


def _real(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise AmountError(f"{what}: expected a number, quantity or string, got {value!r}")
    return float(value)


def _split_quantity(value: pint.Quantity | str, what: str) -> tuple[float, pint.Unit]:
    if isinstance(value, str):
        m = _RE_SINGLE.match(value)
        if not m:
            raise AmountError(f"{what}: cannot read {value!r} as an amount (e.g. '3 g')")
        return _num(m["c"]), parse_unit(m["unit"] or "")
    mag = value.magnitude
    if not isinstance(mag, Real) or isinstance(mag, bool):
        try:
            mag = float(mag)
        except (TypeError, ValueError):
            raise AmountError(f"{what}: expected a scalar quantity, got {value!r}") from None
    return float(mag), _as_unit(str(value.units))


def parse_amount(value: Any, *, unit: str | pint.Unit | None = None) -> Estimate:
    """Read any accepted amount form into an :class:`Estimate`.

    Parameters
    ----------
    value
        See the module docstring for the accepted forms.
    unit : str or pint.Unit, optional
        Unit of a plain number (default: dimensionless, a count).

    Raises
    ------
    AmountError
        If ``value`` is of none of the accepted forms.
    UnitError
        If its unit is unknown to pint.

    Examples
    --------
    >>> parse_amount("1.2 to 3.5 kg").values()
    (1.2, 2.35, 3.5)
    >>> parse_amount("1.24 billion").values("unit")
    (1240000000.0, 1240000000.0, 1240000000.0)
    """
    if isinstance(value, Estimate):
        return value
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, pint.Quantity):
        return Estimate(central=value)
    if isinstance(value, Mapping):
        unknown = set(value) - {"low", "central", "high", "dist", "unit"}
        if unknown:
            raise AmountError(
                f"amount mapping has unknown keys {sorted(unknown)}: "
                "use low, central, high, dist, unit"
            )
        return Estimate(**{"unit": unit, **value})
    if isinstance(value, Sequence) and not isinstance(value, bytes):
        if len(value) == 2:
            return Estimate(low=value[0], high=value[1], unit=unit)
        if len(value) == 3:
            return Estimate(low=value[0], central=value[1], high=value[2], unit=unit)
        raise AmountError(
            f"an amount sequence is (low, high) or (low, central, high), got {len(value)} values"
        )
    return Estimate(central=_real(value, "amount"), unit=unit)


def _parse_text(text: str) -> Estimate:
    t = text.strip()
    for regex in (_RE_CENTRAL_RANGE, _RE_RANGE):
        m = regex.match(t)
        if m:
            u = parse_unit(m["unit"] or "")
            c = _num(m["c"]) if "c" in m.groupdict() else None
            return Estimate(low=_num(m["lo"]), central=c, high=_num(m["hi"]), unit=u)
    m = _RE_PM.match(t)
    if m:
        c, d = _num(m["c"]), abs(_num(m["d"]))
        return Estimate(low=c - d, central=c, high=c + d, unit=parse_unit(m["unit"] or ""))
    m = _RE_SINGLE.match(t)
    if m:
        return Estimate(central=_num(m["c"]), unit=parse_unit(m["unit"] or ""))
    if t.lower().startswith(("up to", "<", "more than", ">", "about", "~")):
        hint = 'write a range such as "0 to 1 t", or a value such as "400 kg"'
    else:
        hint = 'e.g. "3 g", "1.24 billion", "1.2 to 3.5 kg"'
    raise AmountError(f"cannot read {text!r} as an amount ({hint})")


_PER_YEAR = parse_unit("1/year")


def parse_rate(value: Any, *, what: str = "growth rate") -> Estimate:
    """A growth rate per year as a fraction, ``"5 %/yr"`` -> 0.05 (an :class:`Estimate`).

    Accepts ``"5 %/yr"``, ``"-3 %/year"``, ``"2 to 4 %/yr"``, ``"0.05/yr"``, or a plain number,
    read as a fraction per year (``0.05``). A rate without ``/yr`` (``"5 %"``) is read as per
    year too.

    Raises
    ------
    AmountError
        If ``value`` is not a rate, or a rate of -100 % or less.
    """
    try:
        est = parse_amount(value)
    except MineralcalcError as e:
        raise AmountError(f"{what}: {e}") from None
    try:
        if est.unit.dimensionless:
            lo, c, hi = est.values("dimensionless")
        else:
            lo, c, hi = est.values(_PER_YEAR)
    except MineralcalcError:
        raise AmountError(
            f"{what} {value!r} is not a rate per year (write e.g. '5 %/yr' or '-3 %/yr')"
        ) from None
    if lo <= -1:
        raise AmountError(f"{what} {value!r} is -100 %/yr or less")
    return Estimate.from_checked(lo, c, hi, _DIMENSIONLESS, est.dist)


AmountLike: TypeAlias = Estimate | pint.Quantity | str | float | int
"""What an amount argument accepts (:func:`parse_amount`): an Estimate, a pint Quantity, text
(``"3 g"``, ``"1.2 to 3.5 kg"``, ``"1.24 billion"``) or a number (a count)."""

RateLike: TypeAlias = Estimate | pint.Quantity | str | float | int
"""What a growth-rate argument accepts (:func:`parse_rate`): ``"5 %/yr"``, ``"2 to 4 %/yr"``,
``0.05`` ..."""

GrowthLike: TypeAlias = RateLike | Mapping[str, RateLike] | None
"""Supply growth as arguments give it: one rate for every commodity, a rate per commodity
(``{"REE": "5 %/yr", "*": "2 %/yr"}``), or None (the scenario's, else the outlook)."""
