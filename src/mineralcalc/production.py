"""Global output of critical commodities by country, year and stage.

:func:`supply` reads the shipped tables (``supply.csv``, ``element_split.csv``,
``country_groups.csv``) once and gives a :class:`Supply` for one year: totals, country
shares, concentration (HHI) and what-ifs without a country or group.

Rare earths are reported as rare-earth oxide (REO); other commodities as metal or content.
:meth:`Supply.basis` says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import pandas as pd
import pint

from .errors import UnknownItemError, VolumeError, suggest
from .units import Q_, conversion_factor, is_mass, parse_unit

__all__ = ["Supply", "supply"]

WORLD = "World"
_T = parse_unit("t")

ELEMENT_COMMODITY = {"Li": "Li", "Co": "Co", "Ni": "Ni", "Ga": "Ga", "C": "graphite"}
"""Commodities that supply an element directly (rare earths come from ``REE`` and its split)."""

_NOTES = {"C": "natural graphite only (synthetic graphite not counted)"}


def commodity_of(name: str) -> str | None:
    """The commodity whose output supplies an element or REE group (``'Nd'`` -> ``'REE'``)."""
    from .elements import GROUPS

    if name in GROUPS or name in GROUPS["REE"]:
        return "REE"
    return ELEMENT_COMMODITY.get(name)


@cache
def _shipped() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, tuple[str, ...]]]:
    from .tables import (
        read_country_groups,
        read_element_split,
        read_supply,
        shipped_sources,
        shipped_tables,
    )

    root, src = shipped_tables(), shipped_sources()
    return (
        read_supply(root / "supply.csv", src),
        read_element_split(root / "element_split.csv", src),
        read_country_groups(root / "country_groups.csv", src),
    )


def supply(year: int = 2024) -> Supply:
    """Global output in ``year`` from the shipped tables.

    Raises
    ------
    VolumeError
        If the tables hold no figure for ``year`` (the message lists the years they hold).
    """
    return _supply_of(int(year))


@cache
def _supply_of(year: int) -> Supply:
    frame, split, groups = _shipped()
    years = sorted(set(frame["year"]))
    if year not in years:
        raise VolumeError(f"no supply figures for {year} (the tables hold {years})")
    return Supply(year, frame, split, groups)


@dataclass(frozen=True, eq=False)
class Supply:
    """Output of one year, by commodity, country and stage (mining, refining).

    Not built directly: use :func:`supply`.
    """

    year: int
    frame: pd.DataFrame = field(repr=False)
    split: pd.DataFrame = field(repr=False)
    groups: Mapping[str, tuple[str, ...]] = field(repr=False)
    removed: tuple[str, ...] = ()
    data_year: int | None = None
    """Year of the figures (differs from ``year`` for a projection)."""
    scale: Mapping[str, float] = field(default_factory=dict, repr=False)
    """Factor on each commodity's amounts (growth of a projection)."""
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def _scale(self, commodity: str) -> float:
        return float(self.scale.get(commodity, self.scale.get("*", 1.0)))

    # ---------------------------------------------------------------- selection
    @property
    def commodities(self) -> tuple[str, ...]:
        """Commodities with figures this year."""
        rows = self._rows()
        return tuple(dict.fromkeys(rows["commodity"]))

    def _rows(self, year: int | None = None) -> pd.DataFrame:
        f = self.frame
        return f[(f["year"] == (year or self.data_year or self.year)) & ~f["alternative"]]

    def _commodity(self, commodity: str, stage: str, year: int | None = None) -> pd.DataFrame:
        key = ("rows", commodity, stage, year)
        if key not in self._cache:
            self._cache[key] = self._select_rows(commodity, stage, year)
        return self._cache[key]

    def _select_rows(self, commodity: str, stage: str, year: int | None) -> pd.DataFrame:
        rows = self._rows(year)
        known = set(self.frame["commodity"])
        match = {c.lower(): c for c in known}.get(commodity.lower())
        if match is None:
            raise UnknownItemError(
                f"no supply data for {commodity!r} ({suggest(commodity, known)})"
            )
        sel = rows[(rows["commodity"] == match) & (rows["stage"] == stage)]
        if sel.empty:
            stages = sorted(set(rows[rows["commodity"] == match]["stage"]))
            raise VolumeError(
                f"no {stage} figures for {match} in {year or self.year} "
                f"(stages with figures: {stages or 'none'})"
            )
        return sel

    def countries_of(self, name: str | Iterable[str]) -> tuple[str, ...]:
        """The countries a country or group name stands for (groups from country_groups.csv)."""
        if not isinstance(name, str):
            out: list[str] = []
            for n in name:
                out.extend(self.countries_of(n))
            return tuple(dict.fromkeys(out))
        return self.groups.get(name, (name,))

    # ---------------------------------------------------------------- totals
    def basis(self, commodity: str) -> str:
        """``'oxide'`` (REO), ``'metal'`` or ``'content'``."""
        return str(self._commodity(commodity, "mining")["basis"].iloc[0])

    def _world(self, sel: pd.DataFrame) -> float:
        world = sel[sel["country"] == WORLD]["amount"].dropna()
        countries = sel[sel["country"] != WORLD]
        if not world.empty:
            total = float(world.iloc[0])
            gone = countries[countries["country"].isin(self.removed)]["amount"].sum()
            return total - float(gone)
        return float(countries[~countries["country"].isin(self.removed)]["amount"].sum())

    def total(self, commodity: str, unit: str = "t", *, stage: str = "mining") -> pint.Quantity:
        """World output of ``commodity`` (less any removed countries), a Quantity.

        The world row of the source is used where there is one (USGS rounds it); else the sum
        of the country rows.
        """
        u = parse_unit(unit)
        if not is_mass(u):
            raise VolumeError(f"unit {unit!r} is not a mass unit")
        sel = self._commodity(commodity, stage)
        amount = self._world(sel) * self._scale(str(sel["commodity"].iloc[0]))
        return Q_(amount * conversion_factor(_T, u), u)

    def by_country(self, commodity: str, *, stage: str = "mining") -> pd.DataFrame:
        """Output by country: columns ``country``, ``amount`` [t], ``share``; largest first.

        Shares are of the world total (:meth:`total`). Rows that give only a share (e.g.
        refining) have no amount. ``Other`` is the source's residual group of countries.
        """
        sel = self._commodity(commodity, stage)
        rows = sel[(sel["country"] != WORLD) & ~sel["country"].isin(self.removed)]
        world = self._world(sel) if sel["amount"].notna().any() else float("nan")
        factor = self._scale(str(sel["commodity"].iloc[0]))
        out = pd.DataFrame(
            {
                "country": rows["country"].to_numpy(),
                "amount": rows["amount"].to_numpy() * factor,
                "share": rows["amount"].to_numpy() / world,
            }
        )
        given = rows["share"].to_numpy()
        out["share"] = out["share"].where(pd.isna(given), given)
        return out.sort_values(["share", "amount"], ascending=False, kind="stable").reset_index(
            drop=True
        )

    def share(
        self, commodity: str, country_or_group: str | Iterable[str], *, stage: str = "mining"
    ) -> float:
        """Share of world output held by a country or group (0-1)."""
        members = set(self.countries_of(country_or_group))
        table = self.by_country(commodity, stage=stage)
        return float(table[table["country"].isin(members)]["share"].sum())

    def hhi(self, commodity: str, *, stage: str = "mining") -> float:
        """Herfindahl-Hirschman index of country shares, 0-10,000.

        Sum of squared percentage shares of world output. The source's ``Other`` residual (many
        small producers) is left out, as its members' individual shares are unknown.
        """
        table = self.by_country(commodity, stage=stage)
        table = table[table["country"] != "Other"]
        return float(((table["share"].fillna(0) * 100) ** 2).sum())

    def growth(self, commodity: str, since: int, *, stage: str = "mining") -> tuple[float, float]:
        """Growth of world output from ``since`` to this year: (total ratio - 1, CAGR)."""
        now = self._world(self._commodity(commodity, stage))
        then = self._world(self._commodity(commodity, stage, since))
        ratio = now / then
        years = self.year - since
        return ratio - 1.0, ratio ** (1.0 / years) - 1.0 if years else 0.0

    def without(self, *countries_or_groups: str) -> Supply:
        """The same supply with countries or groups removed (an export stop, a what-if)."""
        gone = tuple(dict.fromkeys([*self.removed, *self.countries_of(countries_or_groups)]))
        return replace(self, removed=gone, _cache={})

    def project(self, year: int, growth: Any) -> Supply:
        """This supply carried to ``year`` at a growth rate per year.

        Parameters
        ----------
        year : int
        growth : rate or mapping of commodity to rate
            ``"3 %/yr"`` for every commodity, or ``{"REE": "5 %/yr", "Li": "10 %/yr"}``
            (commodities not named stay flat). The central rate is used; country shares stay
            those of the year of the figures.
        """
        from .estimate import parse_rate

        base = self.data_year or self.year
        n = year - base
        rates = growth if isinstance(growth, Mapping) else {"*": growth}
        scale = {}
        for commodity, rate in rates.items():
            scale[commodity] = (
                1 + parse_rate(rate, what=f"supply growth of {commodity}").values()[1]
            ) ** n
        return replace(self, year=year, data_year=base, scale=scale, _cache={})

    # ---------------------------------------------------------------- elements
    def element(self, symbol: str) -> tuple[float, str, str]:
        """World supply of one element as metal [t], its basis, and a note.

        Rare earths: REO output x the element's estimated share (``element_split.csv``) x the
        metal fraction of its oxide. Li, Co, Ni, Ga and C (natural graphite): their commodity's
        output. NaN with a note where the tables hold nothing for the element.
        """
        from .elements import OXIDES

        commodity = commodity_of(symbol)
        if commodity is not None and commodity != "REE":
            try:
                amount = self.total(commodity).to("t").magnitude
            except (VolumeError, UnknownItemError):
                return float("nan"), "metal", f"no {commodity} supply data for {self.year}"
            return float(amount), self.basis(commodity), _NOTES.get(symbol, "")
        if commodity == "REE":
            share = self._split_share(symbol)
            if share is None:
                return float("nan"), "metal", "no supply data (not in the REE element split)"
            reo = self.total("REE").to("t").magnitude
            return (
                float(reo * share * OXIDES[symbol].metal_fraction),
                "metal",
                "REO x estimated split",
            )
        return float("nan"), "metal", "no supply data"

    def _split_share(self, symbol: str) -> float | None:
        key = ("shares", "REE")
        if key not in self._cache:
            try:
                self._cache[key] = {str(k): float(v) for k, v in self.element_split("REE").items()}
            except UnknownItemError:
                self._cache[key] = {}
        return self._cache[key].get(symbol)

    def group_oxide(self, symbols: Iterable[str]) -> tuple[float, str]:
        """REO supply of a group of rare earths [t] and a note.

        The whole REE group is the REO total; a subgroup is the total times the estimated
        shares of its members (members without a share count as zero, said in the note).
        """
        from .elements import GROUPS

        members = tuple(symbols)
        reo = float(self.total("REE").to("t").magnitude)
        if set(members) >= set(GROUPS["REE"]):
            return reo, "REO total"
        shares = {s: self._split_share(s) for s in members}
        missing = [s for s, v in shares.items() if v is None]
        total = sum(v for v in shares.values() if v is not None)
        note = "REO x estimated split" + (f"; no share for {', '.join(missing)}" if missing else "")
        return reo * total, note

    def sources(self) -> set[str]:
        """Source keys of the figures of this supply's year and of the element split."""
        rows = self._rows()
        return set(rows["source"]) | set(self.split["source"])

    def element_split(self, commodity: str = "REE") -> pd.Series:
        """Estimated share of each element in ``commodity`` output (fractions of oxide mass)."""
        key = ("split", commodity)
        if key not in self._cache:
            self._cache[key] = self._select_split(commodity)
        return self._cache[key]

    def _select_split(self, commodity: str) -> pd.Series:
        s = self.split[self.split["commodity"] == commodity]
        if s.empty:
            raise UnknownItemError(f"no element split for {commodity!r}")
        latest = s[s["year"] == s["year"].max()]
        return latest.set_index("element")["share"]

    def __repr__(self) -> str:
        less = f" without {', '.join(self.removed)}" if self.removed else ""
        proj = (
            f" (projected from {self.data_year})" if self.data_year not in (None, self.year) else ""
        )
        return f"<Supply {self.year}{proj}{less}: {', '.join(self.commodities)}>"
