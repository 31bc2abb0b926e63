"""Global output of critical commodities by country, year and stage.

:func:`supply` reads the shipped tables (``supply.csv``, ``country_groups.csv``,
``ore_types.csv``, ``country_ores.csv``, ``secondary.csv``) once and gives a :class:`Supply`
for one year: totals, country shares, concentration (HHI), what-ifs without a country or
group, each rare earth's output by country from the ore types the countries mine
(:mod:`mineralcalc.lenses.ores`), and secondary (recycled) supply.

Rare earths are reported as rare-earth oxide (REO); other commodities as metal or content.
:meth:`Supply.basis` says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import pandas as pd
import pint

from ..data.supply_tables import STAGES, SupplyTables, stage_name
from ..data.tableset import TableSet, shipped_table_set
from ..elements import GROUPS
from ..errors import UnknownItemError, VolumeError, suggest
from ..estimate import GrowthLike, parse_rate
from ..units import Q_, conversion_factor, is_mass, parse_unit
from .countries import CountryNames
from .growth import WORLD, Growth
from .supply_arrays import SupplyArrays
from .supply_elements import ELEMENT_COMMODITY, commodity_of

__all__ = ["ELEMENT_COMMODITY", "Supply", "commodity_of", "shipped_years", "supply"]

_T = parse_unit("t")


def supply(year: int = 2024, tables: TableSet | None = None) -> Supply:
    """Global output in ``year``.

    Parameters
    ----------
    year : int, default 2024
    tables : TableSet, optional
        The tables to read (a user's folder over the shipped ones: ``catalog.tables`` of a
        :meth:`~mineralcalc.model.catalog.Catalog.from_tables` catalog); default shipped.

    Raises
    ------
    VolumeError
        If the tables hold no figure for ``year`` (the message lists the years they hold).
    """
    return _supply_of(int(year), shipped_table_set() if tables is None else tables)


@lru_cache(maxsize=64)
def _supply_of(year: int, tables: TableSet) -> Supply:
    years = shipped_years(tables)
    if year not in years:
        raise VolumeError(f"no supply figures for {year} (the tables hold {years})")
    return Supply(year, tables.supply)


@dataclass(frozen=True, eq=False)
class Supply(SupplyArrays):
    """Output of one year, by commodity, country and stage (mining, refining).

    Not built directly: use :func:`supply`. Each element's share (ore types) is
    :class:`~mineralcalc.lenses.supply_elements.ElementSupply`'s, unrecorded and secondary
    supply :class:`~mineralcalc.lenses.supply_lines.SupplyLines`'s, every element of a stage
    over many years at once :class:`~mineralcalc.lenses.supply_arrays.SupplyArrays`'s.
    """

    year: int
    tables: SupplyTables = field(repr=False)
    removed: tuple[str, ...] = ()
    """Countries removed at every stage (:meth:`without`)."""
    removed_at: tuple[tuple[str, str], ...] = ()
    """``(stage, country)`` pairs removed at one stage only (``without(..., stage=)``)."""
    data_year: int | None = None
    """Year of the figures (differs from ``year`` for a projection)."""
    carried: Growth = field(default_factory=Growth, repr=False)
    """How the figures of ``data_year`` are carried to ``year``
    (:class:`~mineralcalc.lenses.growth.Growth`)."""
    unrecorded: bool = True
    """Whether output the recorded statistics leave out (``unrecorded.csv``) is supplied."""
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def frame(self) -> pd.DataFrame:
        """Every row of ``supply.csv`` (all years), amounts in tonnes."""
        return self.tables.supply

    @property
    def groups(self) -> Mapping[str, tuple[str, ...]]:
        """Named groups of countries (``country_groups.csv``)."""
        return self.tables.groups

    def outlook_of(self, commodity: str) -> str:
        """What ``commodity``'s supply follows in this year: the outlook or rate of a
        projection, ``'held at <year>'`` for one with neither, ``''`` for recorded figures."""
        return self.carried.outlook_of(commodity)

    def recorded(self) -> Supply:
        """The same supply without the output that recorded statistics leave out
        (``unrecorded.csv``): recorded mine output and recycling only."""
        return replace(self, unrecorded=False, _cache={})

    # ---------------------------------------------------------------- selection
    @property
    def commodities(self) -> tuple[str, ...]:
        """Commodities with figures this year."""
        rows = self._rows()
        return tuple(dict.fromkeys(rows["commodity"]))

    def _rows(self, year: int | None = None) -> pd.DataFrame:
        year = year or self.data_year or self.year
        key = ("year rows", year)
        if key not in self._cache:
            f = self.frame
            self._cache[key] = f[(f["year"] == year) & ~f["alternative"]]
        value: pd.DataFrame = self._cache[key]
        return value

    def _commodity(self, commodity: str, stage: str, year: int | None = None) -> pd.DataFrame:
        stage = stage_name(stage)
        key = ("rows", commodity, stage, year)
        if key not in self._cache:
            self._cache[key] = self._select_rows(commodity, stage, year)
        value: pd.DataFrame = self._cache[key]
        return value

    def _commodity_name(self, commodity: str) -> str:
        """The tables' spelling of a commodity (``'li'`` -> ``'Li'``), or an error with the
        closest names."""
        if not isinstance(commodity, str):
            raise UnknownItemError(f"a commodity is a name such as 'REE', got {commodity!r}")
        known = set(self.frame["commodity"])
        match = {c.lower(): c for c in known}.get(commodity.lower())
        if match is None:
            raise UnknownItemError(
                f"no supply data for {commodity!r} ({suggest(commodity, known)})"
            )
        return str(match)

    def _select_rows(self, commodity: str, stage: str, year: int | None) -> pd.DataFrame:
        match = self._commodity_name(commodity)
        rows = self._rows(year)
        sel = rows[(rows["commodity"] == match) & (rows["stage"] == stage)]
        sel = sel[sel["elements"] == ""]  # an element's own rows: own_rows
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
        country's name in brackets matches too (``'myanmar'`` -> ``'Burma (Myanmar)'``). A group
        that names another group stands for that group's countries.

        Raises
        ------
        UnknownItemError
            For a name that is neither (a typo, an empty string, a country with no output in
            the tables): a filter that matches nothing would silently change nothing.
        """
        return self.names().resolve(name)

    def names(self) -> CountryNames:
        """The countries and groups of the tables, to match names against
        (:class:`~mineralcalc.lenses.countries.CountryNames`)."""
        key = ("country names",)
        if key not in self._cache:
            named = set(self.frame["country"]) | set(self.tables.unrecorded["country"])
            countries = tuple(sorted(named - {WORLD}))
            places = self.tables.places
            aliases = places.aliases if places is not None else {}
            self._cache[key] = CountryNames(countries, self.groups, aliases)
        value: CountryNames = self._cache[key]
        return value

    # ---------------------------------------------------------------- totals
    def basis(self, commodity: str) -> str:
        """``'oxide'`` (REO), ``'metal'`` or ``'content'``; one rare earth is its ``'oxide'``."""
        if commodity in GROUPS["REE"]:
            return "oxide"
        return str(self._commodity(commodity, "mining")["basis"].iloc[0])

    def gone(self, stage: str) -> tuple[str, ...]:
        """The countries removed at ``stage``: at every stage, or at this one."""
        stage = stage_name(stage)
        return (*self.removed, *(c for s, c in self.removed_at if s == stage))

    def stages(self, commodity: str) -> tuple[str, ...]:
        """The stages with figures for ``commodity`` this year, in chain order."""
        match = self._commodity_name(commodity)
        rows = self._rows()
        have = set(rows.loc[rows["commodity"] == match, "stage"])
        return tuple(s for s in STAGES if s in have)

    def _world(self, sel: pd.DataFrame) -> float:
        """World output of the rows of one commodity and stage, less the removed countries.

        Where the stage's rows give shares only (refining of rare earths), the world output
        is taken as the commodity's mine output before any removal (everything mined is
        refined somewhere), and the removed refiners' shares are taken off it. A projection
        scales each country by its factor (:class:`~mineralcalc.lenses.growth.Growth`).
        """
        stage = str(sel["stage"].iloc[0])
        gone = self.gone(stage)
        world = sel[sel["country"] == WORLD]["amount"].dropna()
        countries = sel[sel["country"] != WORLD]
        if world.empty and countries["amount"].isna().all() and countries["share"].notna().any():
            commodity = str(sel["commodity"].iloc[0])
            world_mined = self.unremoved().total(commodity, "t", stage="mining").magnitude
            shares = self.carried.shares(countries)
            value: float = world_mined * (
                1.0 - float(shares[countries["country"].isin(gone)].sum())
            )
            return value
        f = self.carried.factors(countries).to_numpy()
        amounts = countries["amount"].fillna(0.0).to_numpy() * f
        kept = float(amounts[~countries["country"].isin(gone).to_numpy()].sum())
        if world.empty:
            return kept
        # the world row's rounding and unnamed producers, grown as the world
        residual = float(world.iloc[0]) - float(countries["amount"].fillna(0.0).sum())
        commodity = str(sel["commodity"].iloc[0])
        return kept + residual * self.carried.factor(commodity, WORLD, stage)

    def unremoved(self) -> Supply:
        """This supply with nothing removed (itself when nothing is), built once."""
        if not self.removed and not self.removed_at:
            return self
        if "unremoved" not in self._cache:
            self._cache["unremoved"] = replace(self, removed=(), removed_at=(), _cache={})
        value: Supply = self._cache["unremoved"]
        return value

    def total(self, commodity: str, unit: str = "t", *, stage: str = "mining") -> pint.Quantity:
        """World output of ``commodity`` (less any removed countries), a Quantity.

        The world row of the source is used where there is one (USGS rounds it); else the sum
        of the country rows.
        """
        u = parse_unit(unit)
        if not is_mass(u):
            raise VolumeError(f"unit {unit!r} is not a mass unit")
        key = ("total", commodity, stage_name(stage))
        if key not in self._cache:
            self._cache[key] = self._world(self._commodity(commodity, stage))
        return Q_(self._cache[key] * conversion_factor(_T, u), u)

    def by_country(self, commodity: str, *, stage: str = "mining") -> pd.DataFrame:
        """Output by country: columns ``country``, ``amount`` [t], ``share``; largest first.

        Shares are of the world total (:meth:`total`). Rows that give only a share (e.g.
        refining) have no amount. ``Other`` is the source's residual group of countries.
        A rare-earth element (``'Dy'``) gives that element's mine output in t of its oxide
        (:meth:`element_by_country`); at a later stage, its own shares where ``supply.csv``
        gives them (:meth:`own_rows`), else those of ``REE``.
        """
        stage = stage_name(stage)
        if commodity in GROUPS["REE"] and stage == "mining":
            return self.element_by_country(commodity)
        sel = self.stage_rows(commodity, stage)
        rows = sel[(sel["country"] != WORLD) & ~sel["country"].isin(self.gone(stage))]
        world = self._world(sel) if sel["amount"].notna().any() else float("nan")
        amount = rows["amount"].to_numpy() * self.carried.factors(rows).to_numpy()
        out = pd.DataFrame(
            {"country": rows["country"].to_numpy(), "amount": amount, "share": amount / world}
        )
        given = self.carried.shares(rows).to_numpy()
        out["share"] = out["share"].where(rows["share"].isna().to_numpy(), given)
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
        small producers) is left out, as its members' individual shares are unknown. With
        countries removed (:meth:`without`), of the output left: a stage given as shares only
        (rare-earth separation) has its shares taken of what the remaining countries hold.
        """
        table = self.by_country(commodity, stage=stage)
        shares = table["share"].fillna(0)
        if self.gone(stage) and table["amount"].isna().all() and shares.sum() > 0:
            shares = shares / shares.sum()  # shares of the world's: of what is left instead
        shares = shares[(table["country"] != "Other").to_numpy()]
        return float(((shares * 100) ** 2).sum())

    def growth(self, commodity: str, since: int, *, stage: str = "mining") -> tuple[float, float]:
        """Growth of world output from ``since`` to this year: (total ratio - 1, CAGR)."""
        now = self.total(commodity, "t", stage=stage).magnitude
        recorded = replace(self, year=since, data_year=since, carried=Growth(), _cache={})
        ratio = now / recorded.total(commodity, "t", stage=stage).magnitude
        years = self.year - since
        return ratio - 1.0, ratio ** (1.0 / years) - 1.0 if years else 0.0

    def without(self, *countries_or_groups: str, stage: str | None = None) -> Supply:
        """The same supply with countries or groups removed (an export stop, a what-if).

        Parameters
        ----------
        *countries_or_groups : str
            Countries or groups (``country_groups.csv``), matched as :meth:`countries_of`.
        stage : {'mining', 'refining'}, optional
            Remove them at this stage only (``without("China", stage="refining")``: China
            still mines, but refines nothing). Default: at every stage.
        """
        names = self.countries_of(countries_or_groups)
        if stage is None:
            return replace(self, removed=tuple(dict.fromkeys([*self.removed, *names])), _cache={})
        stage = stage_name(stage)
        pairs = tuple(dict.fromkeys([*self.removed_at, *((stage, c) for c in names)]))
        return replace(self, removed_at=pairs, _cache={})

    def project(self, year: int, growth: GrowthLike) -> Supply:
        """This supply carried to ``year`` at a growth rate per year.

        Parameters
        ----------
        year : int
        growth : rate or mapping of commodity to rate
            ``"3 %/yr"`` for every commodity, or ``{"REE": "5 %/yr", "Li": "10 %/yr"}``
            (commodities not named stay flat). The central rate is used; country shares stay
            those of the year of the figures.
        """
        base = self.data_year or self.year
        n = year - base
        rates = growth if isinstance(growth, Mapping) else {"*": growth}
        factors, how = {}, {}
        for commodity, rate in rates.items():
            r = parse_rate(rate, what=f"supply growth of {commodity}").values()[1]
            factors[str(commodity)], how[str(commodity)] = (1 + r) ** n, f"{r:+.1%}/yr"
        carried = Growth(base=base, rates=factors, outlooks=how)
        return replace(self, year=year, data_year=base, carried=carried, _cache={})

    def sources(self) -> set[str]:
        """Source keys of this year's figures, the ore types, the secondary and unrecorded
        supply, and the outlook a projection follows."""
        rows = self._rows()
        t = self.tables
        keys = set(rows["source"]) | set(t.ore_types["source"]) | set(t.country_ores["source"])
        keys |= set(t.secondary["source"]) if not t.secondary.empty else set()
        if self.unrecorded and not t.unrecorded.empty:
            keys |= set(t.unrecorded["source"])
        if self.carried.base is not None and not t.outlook.empty:
            followed = {c for c, _ in self.carried.countries}
            keys |= set(t.outlook.loc[t.outlook["commodity"].isin(followed), "source"])
        return keys

    def __repr__(self) -> str:
        less = f" without {', '.join(self.removed)}" if self.removed else ""
        less += "".join(f" without {c} at {s}" for s, c in self.removed_at)
        proj = (
            f" (projected from {self.data_year})" if self.data_year not in (None, self.year) else ""
        )
        return f"<Supply {self.year}{proj}{less}: {', '.join(self.commodities)}>"


def shipped_years(tables: TableSet | None = None) -> list[int]:
    """The years the supply tables (default: the shipped ones) hold figures for."""
    frame = (shipped_table_set() if tables is None else tables).supply.supply
    return sorted({int(y) for y in frame["year"]})
