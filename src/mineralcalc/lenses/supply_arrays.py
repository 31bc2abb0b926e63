"""Supply of many elements in many years at once: the arrays of a market balance.

Mixed into :class:`~mineralcalc.lenses.supply.Supply`. A projected year's supply is the figures
of a recorded year (with the same removals) with each country's output grown by a factor
(:class:`~mineralcalc.lenses.growth.Growth`), and every line of supply is linear in those
factors: a rare earth's mine output is the sum over countries of their oxide output times
their ore mix, unrecorded output is held or a share of a country's output, recycled supply a
mass or a share of primary output. So each country's contribution is computed once from the
figures (the pandas work), and each year is a product of its factors with those contributions.

The methods take ``over``: supplies of other years that share this supply's figures (the
projections of one recorded year, each with its ``year`` and ``carried``), and give one row
per supply of ``over``; they equal
:meth:`~mineralcalc.lenses.supply_elements.ElementSupply.element`,
:meth:`~mineralcalc.lenses.supply_lines.SupplyLines.unrecorded_element`,
:meth:`~mineralcalc.lenses.supply_lines.SupplyLines.secondary`,
:meth:`~mineralcalc.lenses.supply_elements.ElementSupply.group_oxide` and
:meth:`~mineralcalc.lenses.supply_lines.SupplyLines.group_unrecorded` of each supply, up to
the rounding of the sums' order (``tests/test_supply_arrays.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..data.supply_tables import stage_name
from ..elements import GROUPS, OXIDES
from ..errors import UnknownItemError, VolumeError
from .supply_elements import MINE_NOTES, STAGE_NOTES, STAGE_OF, commodity_of
from .supply_years import Carry, YearTotals

__all__ = ["ElementArrays", "GroupArrays", "SupplyArrays"]


@dataclass(frozen=True)
class ElementArrays:
    """Primary supply of elements at one stage in one or more years
    (:meth:`SupplyArrays.element_arrays`).

    Attributes
    ----------
    symbols : tuple of str
        The elements, one column each.
    years : tuple of int
        The year of each row.
    primary : ndarray, shape (years, elements)
        Recorded primary supply [t metal]; NaN where the tables hold no figure.
    basis : ndarray of str, shape (years, elements)
        The basis of the figures (``'metal'``, ``'content'`` ...).
    notes : ndarray of str, shape (years, elements)
        What the figure is (``'REO x ore types'``, ``'no supply data'`` ...).
    unrecorded : ndarray, shape (3, years, elements)
        Unrecorded primary supply [t metal]: low, central, high.
    """

    symbols: tuple[str, ...]
    years: tuple[int, ...]
    primary: np.ndarray
    basis: np.ndarray
    notes: np.ndarray
    unrecorded: np.ndarray


@dataclass(frozen=True)
class GroupArrays:
    """Supply of a group of rare earths at one stage in one or more years
    (:meth:`SupplyArrays.group_arrays`).

    Attributes
    ----------
    oxide : ndarray, shape (years,)
        Recorded output [t REO].
    notes : ndarray of str, shape (years,)
    unrecorded : ndarray, shape (3, years)
        Unrecorded output [t REO]: low, central, high.
    """

    oxide: np.ndarray
    notes: np.ndarray
    unrecorded: np.ndarray


class SupplyArrays(YearTotals):
    """Element and group supply as arrays over years (mixed into
    :class:`~mineralcalc.lenses.supply.Supply`)."""

    # ---------------------------------------------------------------- public arrays
    def element_arrays(
        self,
        symbols: Sequence[str],
        stage: str = "mining",
        *,
        over: Sequence[SupplyArrays] | None = None,
    ) -> ElementArrays:
        """Primary supply of every element of ``symbols`` at ``stage``, in each supply's year.

        Parameters
        ----------
        symbols : sequence of str
            Elements.
        stage : {'mining', 'refining', 'metal', 'magnet'}
        over : sequence of Supply, optional
            Supplies that carry this supply's figures to their years (its projections:
            the same recorded year, removals and unrecorded output); default: this supply.

        Returns
        -------
        ElementArrays
            One row per supply of ``over``: what :meth:`element` and
            :meth:`unrecorded_element` give for each element, in t metal.

        Raises
        ------
        VolumeError
            For a supply of ``over`` that does not carry this supply's figures.
        """
        stage = stage_name(stage)
        carry = self._carry(over)
        shape = (len(carry.years), len(symbols))
        primary = np.full(shape, np.nan)
        basis = np.full(shape, "metal", dtype=object)
        notes = np.full(shape, "", dtype=object)
        unrecorded = np.zeros((3, *shape))
        for e, symbol in enumerate(symbols):
            primary[:, e], basis[:, e], notes[:, e] = self._element_over(carry, symbol, stage)
            unrecorded[:, :, e] = self._unrecorded_over(carry, symbol, stage)
        return ElementArrays(tuple(symbols), tuple(carry.years), primary, basis, notes, unrecorded)

    def secondary_arrays(
        self,
        symbols: Sequence[str],
        kind: str | None = None,
        *,
        over: Sequence[SupplyArrays] | None = None,
    ) -> np.ndarray:
        """Recycled supply of every element of ``symbols`` in each supply's year
        (:meth:`secondary`; ``over`` as :meth:`element_arrays`'s).

        Returns
        -------
        ndarray, shape (3, len(over), len(symbols))
            Low, central and high [t metal].
        """
        carry = self._carry(over)
        out = np.zeros((3, len(carry.years), len(symbols)))
        for e, symbol in enumerate(symbols):
            masses, shares = self.secondary_parts(symbol, kind)
            primary = np.zeros(len(carry.years))
            if shares is not None:
                primary = np.nan_to_num(self._element_over(carry, symbol, "mining")[0], nan=0.0)
            for k in range(3):
                out[k, :, e] = masses[k] + (shares[k] * primary if shares is not None else 0.0)
        return out

    def group_arrays(
        self,
        members: Sequence[str],
        stage: str = "mining",
        *,
        over: Sequence[SupplyArrays] | None = None,
    ) -> GroupArrays:
        """Recorded and unrecorded output of a group of rare earths in each supply's year
        (:meth:`group_oxide` and :meth:`group_unrecorded`; ``over`` as
        :meth:`element_arrays`'s), in t REO."""
        members = tuple(members)
        stage = stage_name(stage)
        carry = self._carry(over)
        if stage != "mining":
            factor = self._stage_factor_over(carry, "REE", stage)
            oxide, notes = self._group_oxide_over(carry, members, removed=False)
            oxide = oxide * factor
            left = [f"{n}; x {f:.0%} of {stage} left" for n, f in zip(notes, factor, strict=True)]
            own = [m for m in members if self.own_rows(m, stage) is not None]
            if own:  # those members at their own share instead (group_oxide)
                els, mined, _ = self._ree_oxide_over(carry, removed=False)
                for m in (m for m in own if m in els):
                    mine = self._stage_factor_over(carry, m, stage)
                    oxide = oxide + mined[:, els.index(m)] * (mine - factor)
                left = [f"{n} ({', '.join(own)} at their own shares)" for n in left]
            notes = np.array(left, dtype=object)
        else:
            oxide, notes = self._group_oxide_over(carry, members, removed=True)
        elements, values = self._unrecorded_ree_over(carry, removed=stage == "mining")
        cols = [k for k, el in enumerate(elements) if el in set(members)]
        f = np.array([self._stage_factor_over(carry, elements[k], stage) for k in cols])
        unrecorded = (values[:, :, cols] * f.T.reshape(1, len(carry.years), len(cols))).sum(axis=2)
        return GroupArrays(oxide, notes, unrecorded)

    # ---------------------------------------------------------------- rare earths
    def _ree_oxide_over(
        self, carry: Carry, removed: bool
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Oxide output of each rare earth in each year [t]: elements, values (years,
        elements), and whether any producer gives the element (a row of
        :meth:`element_output`)."""
        key = ("ree oxide", removed)
        if key not in carry.memo:
            countries, elements, matrix, rest, split = self._ree_parts(removed)
            f = carry.factors("REE", countries, "mining")
            oxide = f @ matrix
            given = ((f > 0).astype(float) @ (matrix > 0).astype(float)) > 0
            if split is not None:
                elements = elements + [str(e) for e in split.index if e not in elements]
                oxide = np.pad(oxide, ((0, 0), (0, len(elements) - oxide.shape[1])))
                given = np.pad(given, ((0, 0), (0, len(elements) - given.shape[1])))
                cols = [elements.index(str(e)) for e in split.index]
                rest_y = rest * carry.world("REE", "mining")
                oxide[:, cols] += rest_y[:, None] * split.to_numpy()[None, :]
                given[:, cols] = True
            carry.memo[key] = (elements, oxide, given)
        found: tuple[list[str], np.ndarray, np.ndarray] = carry.memo[key]
        return found

    def _ree_element_over(
        self, carry: Carry, symbol: str, removed: bool
    ) -> tuple[np.ndarray, str, np.ndarray]:
        elements, oxide, _ = self._ree_oxide_over(carry, removed)
        col = oxide[:, elements.index(symbol)] if symbol in elements else np.zeros(len(oxide))
        ok = col > 0
        amount = np.where(ok, col * OXIDES[symbol].metal_fraction, np.nan)
        notes = np.where(
            ok, "REO x ore types", "no supply data (no ore type of the producers gives it)"
        ).astype(object)
        return amount, "metal", notes

    def _group_oxide_over(
        self, carry: Carry, members: tuple[str, ...], removed: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`group_oxide` at mine output in each year: values [t REO] and notes."""
        reo = self._world_over(carry, "REE", "mining", removed)
        if set(members) >= set(GROUPS["REE"]):
            return reo, np.full(len(reo), "REO total", dtype=object)
        elements, oxide, given = self._ree_oxide_over(carry, removed)
        cols = [k for k, el in enumerate(elements) if el in set(members)]
        total = oxide[:, cols].sum(axis=1)
        notes = np.empty(len(total), dtype=object)
        for y in range(len(total)):
            missing = [
                m
                for m in members
                if m != "Pm" and not (m in elements and given[y, elements.index(m)])
            ]
            notes[y] = "REO x ore types" + (
                f"; no share for {', '.join(missing)}" if missing else ""
            )
        return total, notes

    # ---------------------------------------------------------------- elements
    def _element_over(self, carry: Carry, symbol: str, stage: str) -> tuple[np.ndarray, str, Any]:
        """:meth:`element` in each year: amounts [t metal], basis, notes (one or per year)."""
        n = len(carry.years)
        nan = np.full(n, np.nan)
        commodity = commodity_of(symbol)
        if symbol in STAGE_OF and stage != STAGE_OF[symbol]:
            amount, basis, _ = self._element_over(carry, symbol, STAGE_OF[symbol])
            return amount, basis, STAGE_NOTES[symbol]
        if commodity is not None and commodity != "REE":
            try:
                amount = self._world_over(carry, commodity, stage, removed=True)
            except (VolumeError, UnknownItemError):
                return nan, "metal", [f"no {commodity} {stage} data for {y}" for y in carry.years]
            note = MINE_NOTES.get(symbol, "") if stage == "mining" else f"{stage} output"
            return amount, self.basis(commodity), note
        if commodity == "REE" and stage != "mining":
            try:
                factor = self._stage_factor_over(carry, symbol, stage)
            except VolumeError:
                return nan, "metal", [f"no REE {stage} data for {y}" for y in carry.years]
            amount, basis, _ = self._ree_element_over(carry, symbol, removed=False)
            of = f"{symbol}'s {stage}" if self.own_rows(symbol, stage) is not None else stage
            return amount * factor, basis, [f"mine output x {f:.0%} of {of} left" for f in factor]
        if commodity == "REE":
            return self._ree_element_over(carry, symbol, removed=True)
        return nan, "metal", "no supply data"

    def _unrecorded_over(self, carry: Carry, symbol: str, stage: str) -> np.ndarray:
        """:meth:`unrecorded_element` in each year, shape (3, years) [t metal]."""
        commodity = commodity_of(symbol)
        if commodity == "REE":
            f: Any = OXIDES[symbol].metal_fraction * (
                self._stage_factor_over(carry, symbol, stage) if stage != "mining" else 1.0
            )
            elements, values = self._unrecorded_ree_over(carry, removed=stage == "mining")
            if symbol not in elements:
                return np.zeros((3, len(carry.years)))
            column: np.ndarray = values[:, :, elements.index(symbol)] * f
            return column
        if commodity is not None and stage == "mining" and symbol not in STAGE_OF:
            held, countries, scaled, elements = self._unrecorded_parts(commodity, removed=True)
            if not elements:
                return np.zeros((3, len(carry.years)))
            f = carry.factors(commodity, countries, "mining")
            carried: np.ndarray = held[:, 0, None] + np.einsum("yc,kc->ky", f, scaled[:, :, 0])
            return carried
        return np.zeros((3, len(carry.years)))

    def _unrecorded_ree_over(self, carry: Carry, removed: bool) -> tuple[list[str], np.ndarray]:
        """Unrecorded oxide output of each rare earth in each year: elements and values,
        shape (3, years, elements) [t]."""
        key = ("unrecorded ree", removed)
        if key not in carry.memo and all(g.base is None for g in carry.growths):
            # the recorded figures alone: the frame the other lenses of a report read too
            whole = self if removed else self.unremoved()
            by_element = whole.unrecorded_by_element()
            values = np.array([by_element[el] for el in by_element]).T.reshape(3, 1, -1)
            carry.memo[key] = (list(by_element), np.repeat(values, len(carry.years), axis=1))
        if key not in carry.memo:
            held, countries, scaled, elements = self._unrecorded_parts("REE", removed)
            f = carry.factors("REE", countries, "mining")
            values = held[:, None, :] + np.einsum("yc,kce->kye", f, scaled)
            carry.memo[key] = (elements, values)
        out: tuple[list[str], np.ndarray] = carry.memo[key]
        return out
