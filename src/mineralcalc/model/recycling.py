"""End-of-life recycling rates a scenario sets, over time.

A scenario's ``[recycling]`` table sets any stage of the end-of-life chain for every product
and element, as one rate or as rates for some years (linear in between, held outside)::

    [recycling]
    collection = { 2024 = "10 %", 2040 = "50 %" }
    recovery = "90 %"
    source = "my-policy-case"

Stages it leaves out keep the values of ``tables/recycling.csv``. A rate is one share from 0
to 100 % a year: a range is refused, since only ``recycling.csv``'s low and high are drawn in
the Monte Carlo.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

from ..data.stock_tables import EOL_STAGES
from ..errors import MineralcalcError, ScenarioError, suggest
from ..estimate import parse_amount
from ..units import conversion_factor, parse_unit

__all__ = ["EOL_STAGES", "Recycling", "RecyclingLike", "as_recycling", "parse_recycling"]

_ONE = parse_unit("dimensionless")


@dataclass(frozen=True)
class Recycling:
    """Rates of the end-of-life chain set by a scenario.

    Attributes
    ----------
    rates : dict
        ``{stage: ((year, fraction), ...)}``; a rate for every year has the year ``None``.
    source : str or None
        The source key of the rates.
    """

    rates: Mapping[str, tuple[tuple[int | None, float], ...]]
    source: str | None = None

    @classmethod
    def of(cls, *, source: str | None = None, **stages: Any) -> Recycling:
        """Rates from keyword arguments, as in a scenario file:
        ``Recycling.of(collection={2024: "10 %", 2040: "50 %"}, recovery="93 %")``."""
        raw: dict[str, Any] = dict(stages)
        if source is not None:
            raw["source"] = source
        out = parse_recycling(_years_as_text(raw), "Recycling")
        assert out is not None
        return out

    def at(self, stage: str, years: list[int]) -> np.ndarray | None:
        """The rate of ``stage`` in each of ``years`` (fractions), or None if not set."""
        points = self.rates.get(stage)
        if not points:
            return None
        if points[0][0] is None:
            return np.full(len(years), points[0][1])
        xs = np.array([p[0] for p in points], dtype=float)
        ys = np.array([p[1] for p in points])
        return np.asarray(np.interp(np.asarray(years, dtype=float), xs, ys), dtype=float)


RecyclingLike: TypeAlias = "Recycling | Mapping[str, object] | None"
"""End-of-life rates as arguments give them: a :class:`Recycling`, a mapping read as a
scenario's ``[recycling]`` table, or None (the scenario's, else the tables')."""


def as_recycling(value: RecyclingLike, what: str = "argument recycling") -> Recycling | None:
    """End-of-life rates as an argument gives them: a :class:`Recycling`, a mapping read as a
    scenario's ``[recycling]`` table (``{"collection": "50 %", "recovery": "90 %"}``, years
    as numbers or text), or None.

    Raises
    ------
    ScenarioError
        Anything else, or a mapping that is no ``[recycling]`` table, naming ``what``.
    """
    if value is None or isinstance(value, Recycling):
        return value
    if isinstance(value, Mapping):
        return parse_recycling(_years_as_text(value), what)
    raise ScenarioError(
        f"{what}: expected mc.Recycling.of(collection=..., liberation=..., recovery=...) or a "
        f'mapping of stages such as {{"collection": "50 %"}}, got {type(value).__name__} '
        f"{value!r:.60}"
    )


def _years_as_text(raw: Mapping[Any, Any]) -> dict[Any, Any]:
    """A stage's rates by year with the years as text, as TOML gives them (2030 -> "2030")."""
    return {
        key: {
            str(y) if isinstance(y, int) and not isinstance(y, bool) else y: v
            for y, v in value.items()
        }
        if isinstance(value, Mapping)
        else value
        for key, value in raw.items()
    }


def _fraction(value: Any, where: str) -> float:
    """The central value of a rate as a fraction; each bound checked from 0 to 100 %."""
    try:
        est = parse_amount(value)
        factor = conversion_factor(est.unit, _ONE)
    except MineralcalcError as e:
        raise ScenarioError(f'{where}: {e} (give a share such as "50 %")') from None
    values = est.values()
    names = ("value",) * 3 if values[0] == values[2] else ("low", "central value", "high")
    for bound, v in zip(names, values, strict=True):
        if not 0 <= v * factor <= 1:
            plain = " (a plain number is a fraction: 0.5 is 50 %)" if est.unit == _ONE else ""
            raise ScenarioError(
                f"{where}: {value!r}: the {bound} {v * factor * 100:.6g} % is not a share from 0 "
                f"to 100 %{plain}"
            )
    if values[0] != values[2]:
        raise ScenarioError(
            f"{where}: {value!r}: a scenario's rate is one value a year (its range would not be "
            'drawn; recycling.csv\'s low and high are): give one share, e.g. "50 %"'
        )
    return float(values[1] * factor)


def parse_recycling(raw: Any, label: str) -> Recycling | None:
    """The ``[recycling]`` table of a scenario file (None without one).

    Raises
    ------
    ScenarioError
        An unknown stage, a year that is not one, a rate that is not a share, naming the key.
    """
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ScenarioError(f'{label}: recycling: expected a table, e.g. collection = "50 %"')
    rates: dict[str, tuple[tuple[int | None, float], ...]] = {}
    for key, value in raw.items():
        where = f"{label}: recycling.{key}"
        if key in ("source", "note"):
            continue
        if not isinstance(key, str) or key not in EOL_STAGES:
            raise ScenarioError(f"{where}: unknown stage ({suggest(str(key), EOL_STAGES)})")
        if isinstance(value, Mapping):
            points = []
            for y, v in value.items():
                if not (isinstance(y, str) and y.strip().isdigit()):
                    raise ScenarioError(f"{where}: {y!r} is not a year such as 2030")
                points.append((int(y), _fraction(v, f"{where}.{y}")))
            if not points:
                raise ScenarioError(f"{where}: give at least one year")
            rates[key] = tuple(sorted(points))
        else:
            rates[key] = ((None, _fraction(value, where)),)
    if not rates:
        raise ScenarioError(f"{label}: recycling: set collection, liberation or recovery")
    source = raw.get("source")
    if source is not None and not isinstance(source, str):
        raise ScenarioError(f"{label}: recycling.source: expected a source key")
    return Recycling(rates, source)
