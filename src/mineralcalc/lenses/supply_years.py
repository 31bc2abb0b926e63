"""World output of a commodity (or one rare earth) at a stage in many years at once.

Mixed into :class:`~mineralcalc.lenses.supply.Supply` (through
:class:`~mineralcalc.lenses.supply_arrays.SupplyArrays`, which builds each element's supply
from these totals). A projected year's supply is the figures of a recorded year (with the same
removals) with each country's output grown by a factor
(:class:`~mineralcalc.lenses.growth.Growth`): :class:`Carry` holds the growths of the years,
and the world output of a stage and its share of mine output (:meth:`YearTotals.stage_factor`
in each year) are computed once for all of them. A rare earth with its own shares at a stage
(``supply.csv`` rows with ``elements``,
:meth:`~mineralcalc.lenses.supply_elements.ElementSupply.own_rows`) has its own share left.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import VolumeError
from .growth import WORLD, Growth
from .supply_elements import commodity_of
from .supply_parts import FigureParts

__all__ = ["Carry", "YearTotals"]


class Carry:
    """The growths of the supplies arrays are computed over, and what was computed for them.

    Attributes
    ----------
    growths : list of Growth
        Each year's growth of the figures.
    years : list of int
        The year of each.
    memo : dict
        What was computed for these years, by key.
    """

    def __init__(self, growths: list[Growth], years: list[int]) -> None:
        self.growths = growths  # kept: the cache is keyed by their identity
        self.years = years
        self.memo: dict[Any, Any] = {}

    def factors(self, commodity: str, countries: Sequence[str], stage: str) -> np.ndarray:
        """Each country's factor in each year, shape (years, countries)."""
        key = ("factors", commodity, stage, tuple(countries))
        if key not in self.memo:
            values = [[g.factor(commodity, c, stage) for c in countries] for g in self.growths]
            shape = (len(self.growths), len(countries))
            self.memo[key] = np.array(values, dtype=float).reshape(shape)
        out: np.ndarray = self.memo[key]
        return out

    def world(self, commodity: str, stage: str) -> np.ndarray:
        """The factor of the world row in each year, shape (years,)."""
        return np.array([g.factor(commodity, WORLD, stage) for g in self.growths])


class YearTotals(FigureParts):
    """World output at a stage in each of many years (mixed into
    :class:`~mineralcalc.lenses.supply.Supply`)."""

    def _carry(self, over: Sequence[YearTotals] | None) -> Carry:
        """The growths of ``over`` (default: this supply), checked to carry this supply's
        figures; what is computed for them is kept with this supply."""
        supplies = (self,) if over is None else tuple(over)
        base = self.data_year or self.year
        mine = (self.removed, self.removed_at, self.unrecorded)
        for s in supplies:
            same = (s.data_year or s.year) == base and s.tables is self.tables
            if not same or (s.removed, s.removed_at, s.unrecorded) != mine:
                raise VolumeError(
                    f"over: the supply of {s.year} does not carry the figures of this "
                    f"supply ({base}, the same removals and unrecorded output): group "
                    "the supplies by their figures first"
                )
        key = ("carry", tuple(id(s.carried) for s in supplies), tuple(s.year for s in supplies))
        if key not in self._cache:  # the growths are kept with it: their ids stay theirs
            self._cache[key] = Carry([s.carried for s in supplies], [s.year for s in supplies])
        carry: Carry = self._cache[key]
        return carry

    def _world_over(self, carry: Carry, name: str, stage: str, removed: bool) -> np.ndarray:
        """:meth:`_world` of a commodity, or of a rare earth's own rows
        (:meth:`stage_rows`), at a stage in each year (less the countries removed at the
        stage, if ``removed``)."""
        key = ("world", name, stage, removed)
        if key in carry.memo:
            hit: np.ndarray = carry.memo[key]
            return hit
        sel = self.stage_rows(name, stage)
        commodity = str(sel["commodity"].iloc[0])
        gone = self.gone(stage) if removed else ()
        world = sel[sel["country"] == WORLD]["amount"].dropna()
        countries = sel[sel["country"] != WORLD]
        names = [str(c) for c in countries["country"]]
        out_mask = countries["country"].isin(gone).to_numpy()
        if world.empty and countries["amount"].isna().all() and countries["share"].notna().any():
            mined = self._world_over(carry, commodity, "mining", removed=False)
            given = countries["share"].fillna(0.0).to_numpy()
            shares = np.empty((len(carry.years), len(names)))
            f = carry.factors(commodity, names, stage)
            for y, g in enumerate(carry.growths):  # Growth.shares, year by year
                w = g.factor(commodity, WORLD, stage)
                carried = (commodity, stage) in g.countries and w
                shares[y] = np.minimum(given * f[y] / w, 1.0) if carried else given
            value: np.ndarray = mined * (1.0 - shares[:, out_mask].sum(axis=1))
        else:
            amounts = countries["amount"].fillna(0.0).to_numpy()
            value = (amounts * carry.factors(commodity, names, stage))[:, ~out_mask].sum(axis=1)
            if not world.empty:
                residual = float(world.iloc[0]) - float(countries["amount"].fillna(0.0).sum())
                value = value + residual * carry.world(commodity, stage)
        carry.memo[key] = value
        return value

    def _stage_factor_over(self, carry: Carry, name: str, stage: str) -> np.ndarray:
        """:meth:`stage_factor` of a commodity or rare earth in each year."""
        if stage == "mining":
            return np.ones(len(carry.years))
        mined = self._world_over(carry, commodity_of(name) or name, "mining", removed=False)
        staged = self._world_over(carry, name, stage, removed=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(mined != 0, staged / mined, np.nan)
