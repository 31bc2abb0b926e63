"""How a supply's recorded figures are carried to a later year: :class:`Growth`.

A :class:`~mineralcalc.lenses.supply.Supply` of a year without figures is the latest recorded
year's, each commodity grown at a rate (``[supply] growth`` of a scenario) or each country
grown along a published outlook (:mod:`mineralcalc.lenses.projection` builds those factors).
A ``Growth`` holds the factors and says what they follow; the recorded figures of a year carry
the empty ``Growth()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["OTHER", "REST", "WORLD", "Growth"]

WORLD = "World"
REST = "Rest of world"
"""An outlook's row for every country it does not name (the source's world total beyond the
countries it names, in recorded figures)."""
OTHER = "Other"
"""The source's residual group of countries in ``supply.csv``: grown as the rest of the world."""


@dataclass(frozen=True)
class Growth:
    """Factors from the recorded year ``base`` to a later year.

    Attributes
    ----------
    base : int or None
        The year of the recorded figures; ``None`` for the figures of the year itself.
    rates : mapping
        A factor per commodity (``'*'``: every commodity) from a rate per year.
    countries : mapping
        ``{(commodity, stage): {country: factor}}`` along an outlook; ``'Rest of world'``
        stands for the countries it does not name, ``'World'`` for the world total.
    outlooks : mapping
        What each commodity follows, for notes (``'IEA base case (iea-gcmo-2025-data)'``).
    """

    base: int | None = None
    rates: Mapping[str, float] = field(default_factory=dict)
    countries: Mapping[tuple[str, str], Mapping[str, float]] = field(default_factory=dict)
    outlooks: Mapping[str, str] = field(default_factory=dict)

    def rate(self, commodity: str) -> float:
        """The uniform factor on ``commodity`` (1 without one)."""
        return float(self.rates.get(commodity, self.rates.get("*", 1.0)))

    def factor(self, commodity: str, country: str, stage: str = "mining") -> float:
        """The factor on one country's recorded output: the outlook's ratio for the country
        (its rest of the world's for one it does not name), else the commodity's rate."""
        per = self.countries.get((commodity, stage))
        if per is None:
            return self.rate(commodity)
        if country == OTHER:
            country = REST
        return float(per.get(country, per.get(REST, per.get(WORLD, 1.0))))

    def factors(self, rows: pd.DataFrame) -> pd.Series:
        """:meth:`factor` for each row of one commodity and stage (columns ``commodity``,
        ``stage``, ``country``), aligned with ``rows``."""
        if rows.empty:
            return pd.Series(1.0, index=rows.index)
        commodity, stage = str(rows["commodity"].iloc[0]), str(rows["stage"].iloc[0])
        return rows["country"].map(lambda c: self.factor(commodity, str(c), stage)).astype(float)

    def shares(self, rows: pd.DataFrame) -> pd.Series:
        """The given shares of a stage's countries (a stage given as shares only), carried:
        a country's share grows with its outlook over the world's,
        ``share x factor(country) / factor(World)``."""
        shares = rows["share"].fillna(0.0)
        if rows.empty:
            return shares
        commodity, stage = str(rows["commodity"].iloc[0]), str(rows["stage"].iloc[0])
        if (commodity, stage) not in self.countries:
            return shares
        world = self.factor(commodity, WORLD, stage)
        return (shares * self.factors(rows) / world).clip(upper=1.0) if world else shares

    def outlook_of(self, commodity: str) -> str:
        """What ``commodity`` follows: an outlook, a rate, or ``'held at <base>'``; ``''``
        for recorded figures."""
        if self.base is None:
            return ""
        return self.outlooks.get(commodity) or self.outlooks.get("*") or f"held at {self.base}"
