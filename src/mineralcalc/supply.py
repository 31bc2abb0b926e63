"""Global output of critical commodities by country, year and stage.

:func:`supply` reads the shipped tables (``supply.csv``, ``element_split.csv``,
``country_groups.csv``) once and gives a :class:`Supply` for one year: totals, country
shares, concentration (HHI) and what-ifs without a country or group.

Rare earths are reported as rare-earth oxide (REO); other commodities as metal or content.
:meth:`Supply.basis` says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
import pint

from .errors import UnknownItemError, VolumeError, suggest
from .units import Q_, conversion_factor, is_mass, parse_unit

__all__ = ["Supply", "supply"]

WORLD = "World"
_T = parse_unit("t")


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

    # ---------------------------------------------------------------- selection
    @property
    def commodities(self) -> tuple[str, ...]:
        """Commodities with figures this year."""
        rows = self._rows()
        return tuple(dict.fromkeys(rows["commodity"]))

    def _rows(self, year: int | None = None) -> pd.DataFrame:
        f = self.frame
        return f[(f["year"] == (year or self.year)) & ~f["alternative"]]

    def _commodity(self, commodity: str, stage: str, year: int | None = None) -> pd.DataFrame:
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
        amount = self._world(self._commodity(commodity, stage))
        return Q_(amount * conversion_factor(_T, u), u)

    def by_country(self, commodity: str, *, stage: str = "mining") -> pd.DataFrame:
        """Output by country: columns ``country``, ``amount`` [t], ``share``; largest first.

        Shares are of the world total (:meth:`total`). Rows that give only a share (e.g.
        refining) have no amount. ``Other`` is the source's residual group of countries.
        """
        sel = self._commodity(commodity, stage)
        rows = sel[(sel["country"] != WORLD) & ~sel["country"].isin(self.removed)]
        world = self._world(sel) if sel["amount"].notna().any() else float("nan")
        out = pd.DataFrame(
            {
                "country": rows["country"].to_numpy(),
                "amount": rows["amount"].to_numpy(),
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
        gone = self.countries_of(countries_or_groups)
        return Supply(self.year, self.frame, self.split, self.groups, tuple({*self.removed, *gone}))

    def element_split(self, commodity: str = "REE") -> pd.Series:
        """Estimated share of each element in ``commodity`` output (fractions of oxide mass)."""
        s = self.split[self.split["commodity"] == commodity]
        if s.empty:
            raise UnknownItemError(f"no element split for {commodity!r}")
        latest = s[s["year"] == s["year"].max()]
        return latest.set_index("element")["share"]

    def __repr__(self) -> str:
        less = f" without {', '.join(self.removed)}" if self.removed else ""
        return f"<Supply {self.year}{less}: {', '.join(self.commodities)}>"
