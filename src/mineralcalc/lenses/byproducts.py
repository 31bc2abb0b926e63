"""The balance problem: rare earths come out of the ground together.

Mining ore to meet the demand of one rare earth brings all the others in the proportions of
that ore. Neodymium and dysprosium are wanted, lanthanum and cerium come with them, and the
market has to absorb (or stockpile) what nobody asked for. :func:`balance` answers, for one
year of a demand:

* **which element binds**: at today's mix of ores, the rare earth whose demand needs the most
  rare-earth oxide (REO) to be mined;
* **how much REO** the world would have to mine to meet every element at today's mix, and the
  **surplus** of each other element that leaves;
* **per ore type**: how much extra REO mined from that ore alone would close every deficit,
  and the surplus of lanthanum, cerium and the rest it would bring.

Demand here is the market balance of :func:`mineralcalc.lenses.market.compare` (modelled products
plus other uses) less secondary supply: what primary mining has to provide, in t of oxide.

References
----------
Binnemans, K., Jones, P. T., Müller, T., Yurramendi, L. (2018) Rare earths and the balance
problem: how to deal with changing markets? *J. Sustain. Metall.* 4, 126-146.
https://doi.org/10.1007/s40831-018-0162-8
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..elements import GROUPS, OXIDES
from ..errors import VolumeError
from ..estimate import GrowthLike
from .market import compare
from .projection import supply_for

if TYPE_CHECKING:
    from ..results.demand import Demand
    from .supply import Supply

__all__ = ["Balance", "balance"]


@dataclass(frozen=True)
class Balance:
    """The balance problem for one year (see :func:`balance`).

    Attributes
    ----------
    year : int or None
    basis : str
        The demand basis (``mined`` or ``gross``).
    elements : DataFrame
        Index ``element``; columns ``need`` (demand less secondary supply), ``primary`` (mine
        output), ``deficit`` (need less primary, >= 0) [t oxide], ``mix_share`` (the
        element's share of today's mined REO), ``ratio`` (need / primary) and
        ``reo_needed`` (REO to mine at today's mix to meet this element alone) [t].
    binding : str or None
        The element with the largest ``reo_needed`` (None without any need), among those whose
        demand is not taken as their own supply (La, Ce and the others whose market is taken
        to clear cannot bind).
    reo_now : float
        REO mined this year [t], recorded and unrecorded (the countries' output the ore types
        split).
    reo_needed : float
        REO to mine at today's mix to meet every element [t]; below ``reo_now`` when today's
        mining meets them all.
    surplus : Series
        By element: what that mining leaves over demand [t oxide]: ``reo_needed x mix_share
        - need``. Negative (still short) only for an element that cannot bind: one with no
        share in today's mix (``-need``), or one whose market is taken to clear and whose own
        ``reo_needed`` exceeds the binding element's.
    by_ore_type : DataFrame
        For each ore type and each element in deficit (and ``'all'``, every deficit at once):
        ``ore_type``, ``name``, ``element``, ``extra_reo`` [t]: REO to mine from that ore alone
        to close the deficit (inf where the ore's sourced distribution lacks the element,
        named in ``lacks``), ``binding`` (the element that sets it), and one column per
        element: the oxide that extra mining brings [t] (beyond the deficit for the target,
        all surplus for the others).
    """

    year: int | None
    basis: str
    elements: pd.DataFrame
    binding: str | None
    reo_now: float
    reo_needed: float
    surplus: pd.Series
    by_ore_type: pd.DataFrame
    not_mined: tuple[str, ...] = ()
    """Rare earths with demand that no ore type of today's producers gives (scandium: USGS's
    REO leaves it out): no amount of this mix meets them, so they cannot bind and are named
    apart."""

    @property
    def factor(self) -> float:
        """``reo_needed / reo_now``: how many times today's mining meets every element."""
        return self.reo_needed / self.reo_now if self.reo_now else float("nan")

    def summary(self) -> str:
        """Two sentences an analyst can quote."""
        text = self._summary()
        if self.not_mined:
            text += (
                f" {', '.join(self.not_mined)}: no ore type of today's producers gives it, so "
                "mining more of them does not meet its demand (not counted here)."
            )
        return text

    def _summary(self) -> str:
        if self.binding is None:
            return f"{self.year}: no rare-earth demand to balance."
        if self.factor <= 1.0:
            return (
                f"{self.year}: today's ore mix meets every rare earth. The tightest is "
                f"{self.binding}: meeting it takes {self.reo_needed:,.0f} t REO, "
                f"{self.factor:.2f} times the {self.reo_now:,.0f} t mined (La, Ce and the other "
                "rare earths that no source splits by end use are taken to clear the market)."
            )
        la_ce = [f"{el} {self.surplus.get(el, 0.0):,.0f} t" for el in ("La", "Ce")]
        return (
            f"{self.year}: {self.binding} binds. Meeting every rare earth at today's ore mix takes "
            f"{self.reo_needed:,.0f} t REO, {self.factor:.2f} times the {self.reo_now:,.0f} t "
            f"mined, and leaves a surplus of {' and '.join(la_ce)} (oxide)."
        )

    def __repr__(self) -> str:
        return f"<Balance {self.summary()}>"


def balance(
    demand: Demand,
    year: int | None = None,
    *,
    supply: Supply | None = None,
    basis: str | None = None,
    growth: GrowthLike = None,
    without: str | Iterable[str] = (),
    other_uses: bool = True,
    unrecorded: bool = True,
) -> Balance:
    """The balance problem of one year of ``demand``.

    Parameters
    ----------
    demand : Demand
    year : int, optional
        Default: the demand's first year.
    supply, growth, without, other_uses, unrecorded
        As for :meth:`mineralcalc.results.demand.Demand.compare`; today's mix of mined oxide
        holds the unrecorded output unless ``unrecorded=False``.
    basis : {'mined', 'gross'}, optional
        Default: the demand's own.

    Returns
    -------
    Balance

    Examples
    --------
    >>> import mineralcalc as mc
    >>> b = mc.demand(mc.load_scenario("baseline-2024")).balance()  # doctest: +SKIP
    >>> b.binding, round(b.factor, 2)  # doctest: +SKIP
    """
    if year is None:
        year = demand.years[0]
    elif year not in demand.years:
        raise VolumeError(f"year {year} is not in this demand (years: {demand.years})")
    frame = compare(
        demand,
        supply,
        growth=growth,
        without=without,
        basis=basis,
        other_uses=other_uses,
        unrecorded=unrecorded,
    )
    frame = frame[(frame["year"] == year) if year is not None else frame["year"].isna()]
    sup, _ = supply_for(
        year, supply, demand.supply_growth if growth is None else growth, demand.catalog.tables
    )
    if without:
        sup = sup.without(*((without,) if isinstance(without, str) else without))
    if not unrecorded:
        sup = sup.recorded()
    out = pd.concat(
        [sup.element_output(), sup.unrecorded_output()[["country", "element", "amount"]]]
    )
    reo_now = float(out["amount"].sum())
    mined = out.dropna(subset=["element"]).groupby("element")["amount"].sum()
    rows = frame[frame["element"].isin(GROUPS["REE"])]
    net = {
        str(r["element"]): max(0.0, float(r["demand"]) - _nan0(r["secondary"]))
        for r in rows.to_dict("records")
    }
    members = sorted(set(net) | {str(e) for e in mined.index}, key=GROUPS["REE"].index)
    need = pd.Series(
        {el: net.get(el, 0.0) / OXIDES[el].metal_fraction for el in members}, dtype=float
    )
    primary = mined.reindex(members, fill_value=0.0).astype(float)
    mix = primary / reo_now if reo_now else primary * np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = need / primary
        needed = need / mix
    needed[(need > 0) & ~(mix > 0)] = np.inf
    needed[need <= 0] = 0.0
    deficit = (need - primary).clip(lower=0.0)
    deficit[deficit <= 1e-9 * need.clip(lower=1.0)] = 0.0  # rounding, not a deficit
    elements = pd.DataFrame(
        {
            "need": need,
            "primary": primary,
            "deficit": deficit,
            "mix_share": mix,
            "ratio": ratio,
            "reo_needed": needed,
        }
    )
    elements.index.name = "element"
    # an element whose other uses are its own supply (the market taken to clear) cannot bind
    cleared = {
        str(r["element"])
        for r in rows.to_dict("records")
        if "market assumed to clear" in str(r["note"])
    }
    not_mined = tuple(str(el) for el in needed.index if need[el] > 0 and not mix[el] > 0)
    free = needed[[el for el in needed.index if el not in cleared and el not in not_mined]]
    free = free[need.reindex(free.index) > 0]
    binding = None if free.empty else str(free.idxmax())
    reo_needed = float(free.max()) if binding else 0.0
    surplus = reo_needed * mix - need if np.isfinite(reo_needed) else need * np.nan
    return Balance(
        year=year,
        basis=str(frame.attrs.get("basis", demand.basis)),
        elements=elements,
        binding=binding,
        reo_now=reo_now,
        reo_needed=reo_needed,
        surplus=surplus,
        by_ore_type=_by_ore_type(sup, elements),
        not_mined=not_mined,
    )


def _nan0(x: Any) -> float:
    x = float(x)
    return 0.0 if x != x else x


def _by_ore_type(sup: Supply, elements: pd.DataFrame) -> pd.DataFrame:
    """Extra mining from each ore type alone to close each deficit, and what it brings."""
    ores = sup.tables.ore_types
    names = ores.groupby("ore_type", sort=False)["name"].first()
    deficit = elements["deficit"][elements["deficit"] > 0]
    rows = []
    for ore, dist in ores.groupby("ore_type", sort=False):
        share = dist.set_index("element")["share"].reindex(elements.index, fill_value=0.0)
        shares = {str(el): float(v) for el, v in share.items()}
        per = {
            str(el): (float(d) / shares[str(el)] if shares[str(el)] > 0 else float("inf"))
            for el, d in deficit.items()
        }
        targets = [(el, per[el], el) for el in per]
        if len(deficit) > 1:
            worst = max(per, key=per.__getitem__)
            targets.append(("all", per[worst], worst))
        for target, extra, binding in targets:
            rec: dict[str, Any] = {
                "ore_type": ore,
                "name": names.get(ore),
                "element": target,
                "extra_reo": extra,
                "binding": binding,
                "lacks": ", ".join(el for el in per if shares[el] <= 0)
                if target == "all"
                else ("" if shares[target] > 0 else target),
            }
            for el, v in shares.items():
                rec[el] = v * extra if np.isfinite(extra) else float("nan")
            rows.append(rec)
    return pd.DataFrame(rows)
