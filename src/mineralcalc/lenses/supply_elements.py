"""World supply element by element: rare earths from the ore types their producers mine,
other elements from their commodity, and secondary (recycled) supply.

Mixed into :class:`~mineralcalc.lenses.supply.Supply`. A country's rare-earth oxide output is
split by the ore types it mines (:mod:`mineralcalc.lenses.ores`), so an export stop removes
that country's own mix, not a world average; elements are reported as metal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Self

import pandas as pd
import pint

from ..data.supply_tables import stage_name
from ..elements import GROUPS, OXIDES
from ..errors import UnknownItemError, VolumeError
from .growth import REST, WORLD, Growth
from .ores import element_output

if TYPE_CHECKING:
    from ..data.supply_tables import SupplyTables

__all__ = [
    "ELEMENT_COMMODITY",
    "ELEMENT_OF",
    "MINE_NOTES",
    "STAGE_NOTES",
    "STAGE_OF",
    "ElementSupply",
    "commodity_of",
]

ELEMENT_COMMODITY = {
    "Li": "Li", "Co": "Co", "Ni": "Ni", "Mn": "Mn", "Cu": "Cu", "Ga": "Ga", "Ge": "Ge",
    "C": "graphite",
}  # fmt: skip
"""Commodities that supply an element directly (rare earths come from ``REE`` and its split)."""

ELEMENT_OF = {commodity: element for element, commodity in ELEMENT_COMMODITY.items()}

MINE_NOTES = {"C": "natural graphite only (synthetic graphite not counted)"}
"""What an element's mine output counts, where it is not the whole element."""

STAGE_OF = {"C": "refining"}
"""Elements whose demand is compared with one stage whatever the stage asked: graphite, whose
modelled and published demand here is battery demand, with battery-grade graphite (natural and
synthetic; the tables have no output of all synthetic graphite)."""

STAGE_NOTES = {
    "C": "battery-grade graphite (natural and synthetic) against battery demand; other uses "
    "of graphite have no supply figure"
}


def commodity_of(name: str) -> str | None:
    """The commodity whose output supplies an element or REE group (``'Nd'`` -> ``'REE'``)."""
    if name in GROUPS or name in GROUPS["REE"]:
        return "REE"
    return ELEMENT_COMMODITY.get(name)


class ElementSupply:
    """Element-level supply (mixed into :class:`~mineralcalc.lenses.supply.Supply`)."""

    year: int
    tables: SupplyTables
    removed: tuple[str, ...]
    removed_at: tuple[tuple[str, str], ...]
    data_year: int | None
    carried: Growth
    unrecorded: bool
    _cache: dict[Any, Any]

    def _commodity(self, commodity: str, stage: str, year: int | None = None) -> pd.DataFrame:
        raise NotImplementedError  # pragma: no cover - Supply's

    def total(self, commodity: str, unit: str = "t", *, stage: str = "mining") -> pint.Quantity:
        raise NotImplementedError  # pragma: no cover - Supply's

    def basis(self, commodity: str) -> str:
        raise NotImplementedError  # pragma: no cover - Supply's

    def gone(self, stage: str) -> tuple[str, ...]:
        raise NotImplementedError  # pragma: no cover - Supply's

    def _rows(self, year: int | None = None) -> pd.DataFrame:
        raise NotImplementedError  # pragma: no cover - Supply's

    def _world(self, sel: pd.DataFrame) -> float:
        raise NotImplementedError  # pragma: no cover - Supply's

    # ---------------------------------------------------------------- a stage's rows
    def own_rows(self, symbol: str, stage: str) -> pd.DataFrame | None:
        """A rare earth's own rows of ``supply.csv`` at a stage after mining this year (rows
        whose ``elements`` name it: its country shares there), or None where it has none and
        takes its commodity's (``REE``) rows.

        Parameters
        ----------
        symbol : str
            An element symbol (``'Dy'``); any other name has no own rows.
        stage : str
            A stage (``'refining'``, or ``'separation'``).
        """
        stage = stage_name(stage)
        if symbol not in GROUPS["REE"] or stage == "mining":
            return None
        key = ("own rows", symbol, stage)
        if key not in self._cache:
            rows = self._rows()
            rows = rows[(rows["commodity"] == "REE") & (rows["stage"] == stage)]
            mine = [symbol in str(e).split(";") for e in rows["elements"]]
            self._cache[key] = rows[mine] if any(mine) else None
        value: pd.DataFrame | None = self._cache[key]
        return value

    def stage_rows(self, name: str, stage: str) -> pd.DataFrame:
        """The rows of ``supply.csv`` behind the output of ``name`` (a commodity, or an
        element: ``'Dy'``, ``'Li'``) at ``stage`` this year: a rare earth's own rows
        (:meth:`own_rows`) where it has them, else its commodity's.

        Raises
        ------
        VolumeError
            If the commodity has no figures at the stage this year.
        UnknownItemError
            For a name with no supply figures.
        """
        own = self.own_rows(name, stage)
        if own is not None:
            return own
        return self._commodity(commodity_of(name) or name, stage)

    def stage_factor(self, commodity: str, stage: str) -> float:
        """Output at ``stage`` over mine output with nothing removed (1 for mining): how a
        stage's output scales an element's mine output.

        ``commodity`` may be a rare earth (``'Dy'``): its own rows at the stage
        (:meth:`own_rows`) where it has them, so the share of its separation left after
        :meth:`without` is its own (no dysprosium was separated outside China in 2024),
        else the ``REE`` rows'.
        """
        stage = stage_name(stage)
        if stage == "mining":
            return 1.0
        base = commodity_of(commodity) or commodity
        mined = self.unremoved().total(base, "t", stage="mining").magnitude
        own = self.own_rows(commodity, stage)
        if own is None:
            output = self.total(base, "t", stage=stage).magnitude
        else:
            key = ("own world", commodity, stage)
            if key not in self._cache:
                self._cache[key] = self._world(own)
            output = self._cache[key]
        return float(output / mined) if mined else float("nan")

    def element_output(self, *, removed: bool = True) -> pd.DataFrame:
        """Recorded mine output of every rare earth by country, from the countries' ore types.

        Returns
        -------
        DataFrame
            Columns ``country``, ``element``, ``amount`` [t of the element's oxide]; see
            :mod:`mineralcalc.lenses.ores`. Every recorded tonne is allocated; where the
            source's world total exceeds its countries (a year given only in part), the rest
            is ``Rest of world`` in the mix of the countries given. Countries removed with
            :meth:`without` are left out unless ``removed=False``.
        """
        key = ("element_output", removed)
        if key not in self._cache:
            sel = self._commodity("REE", "mining")
            rows = sel[(sel["country"] != WORLD) & sel["amount"].notna()]
            rows = rows.assign(amount=rows["amount"] * self.carried.factors(rows))
            world = sel.loc[sel["country"] == WORLD, "amount"].dropna()
            named = float(sel.loc[sel["country"] != WORLD, "amount"].sum())
            rest = float(world.iloc[0]) - named if len(world) else 0.0
            if removed:
                rows = rows[~rows["country"].isin(self.gone("mining"))]
            year = self.data_year or self.year
            mix = self.tables.country_ores
            frame = element_output(rows[["country", "amount"]], mix, self.tables.ore_types, year)
            if rest > 0.005 * named:  # more than the world row's rounding: a partial year
                whole = element_output(
                    sel.loc[sel["country"] != WORLD, ["country", "amount"]].dropna(),
                    mix,
                    self.tables.ore_types,
                    year,
                )
                split = whole.groupby("element", sort=False)["amount"].sum() / named
                rest *= self.carried.factor("REE", WORLD)
                frame = pd.concat(
                    [
                        frame,
                        pd.DataFrame(
                            {
                                "country": REST,
                                "element": split.index,
                                "amount": rest * split.to_numpy(),
                            }
                        ),
                    ],
                    ignore_index=True,
                )
            self._cache[key] = frame
        value: pd.DataFrame = self._cache[key]
        return value

    def _element_oxide(self, symbol: str) -> float:
        key = ("element oxide",)
        if key not in self._cache:  # one pass over the countries for every element
            frame = self.element_output()
            self._cache[key] = frame.groupby("element", sort=False)["amount"].sum().to_dict()
        return float(self._cache[key].get(symbol, 0.0))

    def element(self, symbol: str, stage: str = "mining") -> tuple[float, str, str]:
        """World primary supply of one element as metal [t], its basis, and a note.

        Rare earths: each country's REO output split by the ore types it mines
        (:meth:`element_output`), times the metal fraction of the element's oxide. Li, Co, Ni,
        Mn, Cu, Ga, Ge and C (natural graphite): their commodity's output. NaN with a note
        where the tables hold nothing for the element.

        ``stage='refining'``: the commodity's refined output (less the countries removed at
        refining). Rare earths, whose refining is given as shares only, are their mine output
        with nothing removed times the share of refining left (:meth:`stage_factor`; the
        element's own shares where ``supply.csv`` gives them, :meth:`own_rows`).
        """
        stage = stage_name(stage)
        commodity = commodity_of(symbol)
        if symbol in STAGE_OF and stage != STAGE_OF[symbol]:
            amount, basis, _ = self.element(symbol, STAGE_OF[symbol])
            return amount, basis, STAGE_NOTES[symbol]
        if commodity is not None and commodity != "REE":
            try:
                amount = self.total(commodity, stage=stage).to("t").magnitude
            except (VolumeError, UnknownItemError):
                return float("nan"), "metal", f"no {commodity} {stage} data for {self.year}"
            note = MINE_NOTES.get(symbol, "") if stage == "mining" else f"{stage} output"
            return float(amount), self.basis(commodity), note
        if commodity == "REE" and stage != "mining":
            try:
                factor = self.stage_factor(symbol, stage)
            except VolumeError:
                return float("nan"), "metal", f"no REE {stage} data for {self.year}"
            whole = self.unremoved()
            amount, basis, _ = whole.element(symbol)
            of = f"{symbol}'s {stage}" if self.own_rows(symbol, stage) is not None else stage
            return amount * factor, basis, f"mine output x {factor:.0%} of {of} left"
        if commodity == "REE":
            oxide = self._element_oxide(symbol)
            if oxide <= 0:
                return (
                    float("nan"),
                    "metal",
                    "no supply data (no ore type of the producers gives it)",
                )
            return oxide * OXIDES[symbol].metal_fraction, "metal", "REO x ore types"
        return float("nan"), "metal", "no supply data"

    def unremoved(self) -> Self:
        raise NotImplementedError  # pragma: no cover - Supply's

    def group_oxide(self, symbols: Iterable[str], stage: str = "mining") -> tuple[float, str]:
        """REO supply of a group of rare earths [t] and a note.

        The whole REE group is the REO total; a subgroup is the sum of its members' oxide
        output (:meth:`element_output`); members no ore type gives count as zero, said in the
        note. Another ``stage``: the mine output with nothing removed times the share of that
        stage left (:meth:`stage_factor`), each member with its own rows at the stage
        (:meth:`own_rows`) at its own share.
        """
        members = tuple(symbols)
        stage = stage_name(stage)
        if stage != "mining":
            factor = self.stage_factor("REE", stage)
            whole = self.unremoved()
            mined, note = whole.group_oxide(members)
            total, note = mined * factor, f"{note}; x {factor:.0%} of {stage} left"
            own = [m for m in members if self.own_rows(m, stage) is not None]
            if own:  # those members at their own share instead
                oxide = whole.element_output().groupby("element")["amount"].sum()
                for m in own:
                    total += float(oxide.get(m, 0.0)) * (self.stage_factor(m, stage) - factor)
                note += f" ({', '.join(own)} at their own shares)"
            return total, note
        reo = float(self.total("REE").to("t").magnitude)
        if set(members) >= set(GROUPS["REE"]):
            return reo, "REO total"
        out = self.element_output()
        given = set(out["element"].dropna())
        missing = [m for m in members if m not in given and m != "Pm"]
        total = float(out.loc[out["element"].isin(members), "amount"].sum())
        note = "REO x ore types" + (f"; no share for {', '.join(missing)}" if missing else "")
        return total, note

    def element_split(self, commodity: str = "REE") -> pd.Series:
        """Each rare earth's share of the world's mine output (fractions of REO), by element.

        Derived from the countries' ore types (:meth:`element_output`); what no source
        allocates is left out, so the shares add up to less than 1.
        """
        if commodity != "REE":
            raise UnknownItemError(f"no element split for {commodity!r} (only 'REE' has one)")
        key = ("split", commodity)
        if key not in self._cache:
            out = self.element_output()
            total = float(out["amount"].sum())
            by_el = out.dropna(subset=["element"]).groupby("element")["amount"].sum()
            self._cache[key] = (by_el / total).sort_values(ascending=False) if total else by_el
        value: pd.Series = self._cache[key]
        return value

    def element_by_country(self, symbol: str) -> pd.DataFrame:
        """One rare earth's mine output by country: ``country``, ``amount`` [t oxide], ``share``.

        Largest first; ``share`` is of the element's world output (the countries removed with
        :meth:`without` left out).
        """
        out = self.element_output()
        rows = out[out["element"] == symbol].groupby("country", sort=False)["amount"].sum()
        total = float(rows.sum())
        frame = pd.DataFrame(
            {
                "country": rows.index,
                "amount": rows.to_numpy(),
                "share": rows.to_numpy() / total if total else rows.to_numpy() * float("nan"),
            }
        )
        return frame.sort_values("amount", ascending=False, kind="stable").reset_index(drop=True)
