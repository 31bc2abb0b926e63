"""Global output of critical commodities by country, year and stage.

:func:`supply` reads the shipped tables (``supply.csv``, ``country_groups.csv``,
``ore_types.csv``, ``country_ores.csv``, ``secondary.csv``) once and gives a :class:`Supply`
for one year: totals, country shares, concentration (HHI), what-ifs without a country or
group, each rare earth's output by country from the ore types the countries mine
(:mod:`mineralcalc.ores`), and secondary (recycled) supply.

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

from ..data.supply_tables import SupplyTables, shipped_supply_tables
from ..elements import GROUPS, OXIDES
from ..errors import UnknownItemError, VolumeError, suggest
from ..units import Q_, conversion_factor, is_mass, parse_unit
from .ores import element_output

__all__ = ["Supply", "supply"]

WORLD = "World"
_T = parse_unit("t")

ELEMENT_COMMODITY = {"Li": "Li", "Co": "Co", "Ni": "Ni", "Ga": "Ga", "C": "graphite"}
"""Commodities that supply an element directly (rare earths come from ``REE`` and its split)."""

_NOTES = {"C": "natural graphite only (synthetic graphite not counted)"}


def commodity_of(name: str) -> str | None:
    """The commodity whose output supplies an element or REE group (``'Nd'`` -> ``'REE'``)."""
    if name in GROUPS or name in GROUPS["REE"]:
        return "REE"
    return ELEMENT_COMMODITY.get(name)


def _shipped() -> tuple[pd.DataFrame, SupplyTables]:
    tables = shipped_supply_tables()
    return tables.supply, tables


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
    frame, tables = _shipped()
    years = sorted(set(frame["year"]))
    if year not in years:
        raise VolumeError(f"no supply figures for {year} (the tables hold {years})")
    return Supply(year, tables)


@dataclass(frozen=True, eq=False)
class Supply:
    """Output of one year, by commodity, country and stage (mining, refining).

    Not built directly: use :func:`supply`.
    """

    year: int
    tables: SupplyTables = field(repr=False)
    removed: tuple[str, ...] = ()
    data_year: int | None = None
    """Year of the figures (differs from ``year`` for a projection)."""
    scale: Mapping[str, float] = field(default_factory=dict, repr=False)
    """Factor on each commodity's amounts (growth of a projection)."""
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def frame(self) -> pd.DataFrame:
        """Every row of ``supply.csv`` (all years), amounts in tonnes."""
        return self.tables.supply

    @property
    def groups(self) -> Mapping[str, tuple[str, ...]]:
        """Named groups of countries (``country_groups.csv``)."""
        return self.tables.groups

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
        if not isinstance(commodity, str):
            raise UnknownItemError(f"a commodity is a name such as 'REE', got {commodity!r}")
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
        """The countries a country or group name stands for (groups from country_groups.csv).

        Names match the supply tables' countries and groups without regard to case, and a
        country's name in brackets matches too (``'myanmar'`` -> ``'Burma (Myanmar)'``).

        Raises
        ------
        UnknownItemError
            For a name that is neither (a typo, an empty string, a country with no output in
            the tables): a filter that matches nothing would silently change nothing.
        """
        if not isinstance(name, str):
            if not isinstance(name, Iterable):
                raise UnknownItemError(
                    f"a country or group is a name such as 'China', got {name!r}"
                )
            out: list[str] = []
            for n in name:
                out.extend(self.countries_of(n))
            return tuple(dict.fromkeys(out))
        canonical = self._country_names().get(name.strip().casefold())
        if canonical is None:
            if not name.strip():
                raise UnknownItemError(
                    "an empty country name: give a country or group, e.g. 'China'"
                )
            known = sorted({*self._countries(), *self.groups})
            raise UnknownItemError(
                f"{name!r} is not a country or group of the supply tables "
                f"({suggest(name, known)}; countries with output: {', '.join(self._countries())})"
            )
        return self.groups.get(canonical, (canonical,))

    def _countries(self) -> list[str]:
        """Countries with a row in the supply tables (the world total left out)."""
        return sorted(set(self.frame["country"]) - {WORLD})

    def _country_names(self) -> dict[str, str]:
        key = ("country names",)
        if key not in self._cache:
            names: dict[str, str] = {}
            for c in [*self._countries(), *self.groups]:
                names[c.casefold()] = c
                if "(" in c and c.endswith(")"):
                    outer, _, inner = c[:-1].partition("(")
                    names.setdefault(inner.strip().casefold(), c)
                    names.setdefault(outer.strip().casefold(), c)
            self._cache[key] = names
        return dict(self._cache[key])

    # ---------------------------------------------------------------- totals
    def basis(self, commodity: str) -> str:
        """``'oxide'`` (REO), ``'metal'`` or ``'content'``; one rare earth is its ``'oxide'``."""
        if commodity in GROUPS["REE"]:
            return "oxide"
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
        A rare-earth element (``'Dy'``) gives that element's mine output in t of its oxide
        (:meth:`element_by_country`).
        """
        if commodity in GROUPS["REE"] and stage == "mining":
            return self.element_by_country(commodity)
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
        from ..estimate import parse_rate

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
    def element_output(self, *, removed: bool = True) -> pd.DataFrame:
        """Mine output of every rare earth by country, from the countries' ore types.

        Returns
        -------
        DataFrame
            Columns ``country``, ``element`` (``None`` for output not allocated to any
            element), ``amount`` [t of the element's oxide]; see :mod:`mineralcalc.ores`.
            Countries removed with :meth:`without` are left out unless ``removed=False``.
        """
        key = ("element_output", removed)
        if key not in self._cache:
            rows = self._commodity("REE", "mining")
            rows = rows[(rows["country"] != WORLD) & rows["amount"].notna()]
            if removed:
                rows = rows[~rows["country"].isin(self.removed)]
            frame = element_output(
                rows, self.tables.country_ores, self.tables.ore_types, self.data_year or self.year
            )
            frame["amount"] *= self._scale("REE")
            self._cache[key] = frame
        return self._cache[key]

    def _element_oxide(self, symbol: str) -> float:
        frame = self.element_output()
        return float(frame.loc[frame["element"] == symbol, "amount"].sum())

    def element(self, symbol: str) -> tuple[float, str, str]:
        """World primary supply of one element as metal [t], its basis, and a note.

        Rare earths: each country's REO output split by the ore types it mines
        (:meth:`element_output`), times the metal fraction of the element's oxide. Li, Co, Ni,
        Ga and C (natural graphite): their commodity's output. NaN with a note where the
        tables hold nothing for the element.
        """
        commodity = commodity_of(symbol)
        if commodity is not None and commodity != "REE":
            try:
                amount = self.total(commodity).to("t").magnitude
            except (VolumeError, UnknownItemError):
                return float("nan"), "metal", f"no {commodity} supply data for {self.year}"
            return float(amount), self.basis(commodity), _NOTES.get(symbol, "")
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

    def _split_share(self, symbol: str) -> float | None:
        share = self.element_split().get(symbol)
        return None if share is None else float(share)

    def group_oxide(self, symbols: Iterable[str]) -> tuple[float, str]:
        """REO supply of a group of rare earths [t] and a note.

        The whole REE group is the REO total; a subgroup is the sum of its members' oxide
        output (:meth:`element_output`); members no ore type gives count as zero, said in the
        note.
        """
        members = tuple(symbols)
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
        return self._cache[key]

    def element_by_country(self, symbol: str) -> pd.DataFrame:
        """One rare earth's mine output by country: ``country``, ``amount`` [t oxide], ``share``.

        Largest first; ``share`` is of the element's world output (the countries removed with
        :meth:`without` left out).
        """
        out = self.element_output()
        rows = out[out["element"] == symbol].groupby("country", sort=False)["amount"].sum()
        total = float(rows.sum())
        frame = pd.DataFrame(
            {"country": rows.index, "amount": rows.to_numpy(),
             "share": rows.to_numpy() / total if total else rows.to_numpy() * float("nan")}
        )  # fmt: skip
        return frame.sort_values("amount", ascending=False, kind="stable").reset_index(drop=True)

    # ---------------------------------------------------------------- secondary
    def secondary(self, symbol: str, kind: str | None = None) -> tuple[float, float, float]:
        """Recycled supply of one element this year [t metal]: (low, central, high).

        Parameters
        ----------
        symbol : str
            An element.
        kind : {'new scrap', 'end of life'}, optional
            Default: both. ``new scrap`` is process scrap (magnet swarf) recycled within the
            year; ``end of life`` is recycled from discarded products.

        Rows of ``secondary.csv`` give a mass (converted from oxide with the element's metal
        fraction) or a share of the element's primary output. The year's rows are used, else
        the latest earlier year's (projections carry them unchanged). Removed countries'
        rows are left out.
        """
        table = self.tables.secondary
        if table.empty:
            return (0.0, 0.0, 0.0)
        rows = table[(table["element"] == symbol) & ~table["country"].isin(self.removed)]
        if kind is not None:
            rows = rows[rows["kind"] == kind]
        year = self.data_year or self.year
        earlier = rows[rows["year"] <= year]
        if earlier.empty:
            return (0.0, 0.0, 0.0)
        rows = earlier[earlier["year"] == earlier["year"].max()]
        metal = OXIDES[symbol].metal_fraction if symbol in OXIDES else 1.0
        factor = rows["basis"].map({"oxide": metal, "metal": 1.0}).to_numpy()
        out = [
            float((rows[c].fillna(0.0).to_numpy() * factor).sum())
            for c in ("low", "amount", "high")
        ]
        shares = rows[rows["share"].notna()]
        if not shares.empty:
            primary, _, _ = self.element(symbol)
            primary = 0.0 if primary != primary else primary
            for k, c in enumerate(("share_low", "share", "share_high")):
                out[k] += float(shares[c].sum()) * primary
        return (out[0], out[1], out[2])

    def sources(self) -> set[str]:
        """Source keys of this year's figures, the ore types and the secondary supply."""
        rows = self._rows()
        t = self.tables
        return (
            set(rows["source"]) | set(t.ore_types["source"]) | set(t.country_ores["source"])
            | set(t.secondary["source"] if not t.secondary.empty else ())
        )  # fmt: skip

    def __repr__(self) -> str:
        less = f" without {', '.join(self.removed)}" if self.removed else ""
        proj = (
            f" (projected from {self.data_year})" if self.data_year not in (None, self.year) else ""
        )
        return f"<Supply {self.year}{proj}{less}: {', '.join(self.commodities)}>"
