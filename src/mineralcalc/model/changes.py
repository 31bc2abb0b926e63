"""Intensities that change over time: thrifting, and technology shares shifting.

A :class:`Change` alters one part line of one item from year to year, either by a compound
rate (``Change("ndfeb_sintered", "dy_metal", rate="-3 %/yr", since=2024)``: Dy per kg of magnet
falling 3 % a year) or by values given for some years and interpolated linearly between them
(``Change("offshore_wind", "wind_dd_pmsg", values={2024: 0.568, 2040: 0.75})``); outside the
given years the nearest value holds. A balance part follows its siblings, so changing Dy in a
magnet moves its Fe the other way.

:func:`year_amounts` gives the changed lines' amounts in every year as arrays, in the engine's
units: :func:`mineralcalc.demand` computes every year on one catalog with those amounts (one
set of draws for all years), never a catalog per year. :func:`catalog_at` gives the catalog of
one year as items, for inspection; both apply the changes the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

import attrs
import numpy as np

from ..errors import AmountError, ItemError, MineralcalcError, UnknownItemError, suggest
from ..estimate import Estimate, parse_amount, parse_rate
from ..units import conversion_factor, is_mass
from .catalog import Catalog
from .compile import check_fractions, line_factor
from .graph import CENTRAL, HIGH, LOW, YearAmounts
from .items import Part

__all__ = ["Change", "YearAmounts", "catalog_at", "catalogs_by_year", "year_amounts"]


@attrs.frozen(init=False)
class Change:
    """A part line whose amount changes over the years.

    Parameters
    ----------
    item, part : str
        The parent item and the child id of the line; ``item="*"`` changes every line to
        ``part`` (e.g. all Dy going into magnets, whatever the product).
    rate : str, number or Estimate, optional
        Compound change per year (``"-3 %/yr"``) from ``since``.
    values : mapping of year to amount, optional
        Amounts (in any unit the line accepts) for some years; linear in between.
    since : int, optional
        The year ``rate`` starts from (default: the first year of the demand).
    source : str, optional
        Key of the source (or estimate) behind the change.
    """

    item: str
    part: str
    rate: Estimate | None
    values: tuple[tuple[int, Estimate], ...] | None
    since: int | None
    source: str | None = None

    def __init__(
        self,
        item: str,
        part: str,
        *,
        rate: Any = None,
        values: Mapping[Any, Any] | None = None,
        since: int | None = None,
        source: str | None = None,
    ) -> None:
        where = f"change of {item!r}, part {part!r}"
        if (rate is None) == (values is None):
            raise AmountError(f"{where}: give either rate or values")
        try:
            r = None if rate is None else parse_rate(rate)
            vals = None
            if values is not None:
                if not values:
                    raise AmountError("values are empty")
                vals = tuple(sorted((int(str(y)), parse_amount(a)) for y, a in values.items()))
        except (MineralcalcError, ValueError) as e:
            raise AmountError(f"{where}: {e}") from None
        self.__attrs_init__(item, part, r, vals, since, source)

    def for_item(self, item: str) -> Change:
        """The same change applied to another item's line."""
        new = object.__new__(Change)
        new.__attrs_init__(item, self.part, self.rate, self.values, self.since, self.source)
        return new

    def factor_or_value(self, line: Part, year: int, first_year: int) -> Estimate:
        """The line's amount in ``year`` (in the line's own unit)."""
        assert line.amount is not None
        base = line.amount
        if self.rate is not None:
            n = year - (self.since if self.since is not None else first_year)
            f = [(1 + r) ** n for r in self.rate.values()]
            lo_f, hi_f = min(f), max(f)
            a_lo, a_c, a_hi = base.values()
            return Estimate.from_checked(a_lo * lo_f, a_c * f[1], a_hi * hi_f, base.unit, base.dist)
        assert self.values is not None
        pts = self.values
        if year <= pts[0][0]:
            est = pts[0][1]
        elif year >= pts[-1][0]:
            est = pts[-1][1]
        else:
            for (y0, e0), (y1, e1) in itertools.pairwise(pts):
                if y0 <= year <= y1:
                    t = (year - y0) / (y1 - y0)
                    v0, v1 = e0.values(base.unit), e1.values(base.unit)
                    mix = [a + t * (b - a) for a, b in zip(v0, v1, strict=True)]
                    return Estimate.from_checked(mix[0], mix[1], mix[2], base.unit, base.dist)
            raise AssertionError("unreachable")  # pragma: no cover
        lo, c, hi = est.values(base.unit)
        return Estimate.from_checked(lo, c, hi, base.unit, base.dist)


def _expand(changes: Iterable[Change], catalog: Catalog) -> list[Change]:
    """Wildcard changes (``item="*"``) as one change per parent of ``part``."""
    out: list[Change] = []
    for ch in changes:
        if ch.item != "*":
            out.append(ch)
            continue
        parents = [i for i, it in catalog.items.items() if ch.part in it.parts]
        if not parents:
            raise UnknownItemError(
                f"change of every line to {ch.part!r}: no item has that part "
                f"({suggest(ch.part, catalog.items)})"
            )
        out.extend(ch.for_item(p) for p in parents)
    return out


def _check(changes: Iterable[Change], catalog: Catalog) -> None:
    for ch in changes:
        where = f"change of {ch.item!r}, part {ch.part!r}"
        if ch.item not in catalog:
            raise catalog.unknown_item_error(ch.item, where)
        line = catalog[ch.item].parts.get(ch.part)
        if line is None:
            raise UnknownItemError(
                f"{where}: {ch.item!r} has no part {ch.part!r} "
                f"({suggest(ch.part, catalog[ch.item].parts)})"
            )
        if line.amount is None:
            raise ItemError(f"{where}: a 'balance' part follows its siblings; change those")
        if ch.values is not None:
            for _, est in ch.values:
                try:
                    conversion_factor(est.unit, line.amount.unit)
                except MineralcalcError as e:
                    raise type(e)(f"{where}: {e}") from None


def catalog_at(
    catalog: Catalog, changes: Iterable[Change], year: int | None, first_year: int
) -> Catalog:
    """The catalog of ``year``: ``catalog`` with every change applied."""
    changes = list(changes)
    if not changes or year is None:
        return catalog
    by_item: dict[str, dict[str, Part]] = {}
    for ch in changes:
        parts = by_item.setdefault(ch.item, dict(catalog[ch.item].parts))
        line = parts[ch.part]
        parts[ch.part] = Part(
            ch.factor_or_value(line, year, first_year),
            line.yield_,
            recycled=line.recycled,
            source=line.source,
            note=line.note,
            origin=line.origin,
        )
    new = [catalog[item_id].with_parts(parts) for item_id, parts in by_item.items()]
    return catalog.add(*new, replace=True)


def catalogs_by_year(
    catalog: Catalog, changes: Iterable[Change], years: list[int | None]
) -> list[Catalog]:
    """One catalog per year (the same object where nothing changes)."""
    changes = _expand(changes, catalog)
    if not changes:
        return [catalog] * len(years)
    _check(changes, catalog)
    first = min((y for y in years if y is not None), default=0)
    return [catalog_at(catalog, changes, y, first) for y in years]


def year_amounts(
    catalog: Catalog, changes: Iterable[Change], years: list[int | None]
) -> YearAmounts | None:
    """The changed lines' amounts in every year (``None`` when nothing changes).

    The same arithmetic as :func:`catalog_at` (changes applied in order, a later change of a
    line building on the earlier), converted once per line to the engine's units.

    Raises
    ------
    UnknownItemError, ItemError
        A change naming an item or part the catalog lacks, or a balance part.
    """
    changes = _expand(changes, catalog)
    if not changes or all(y is None for y in years):
        return None
    _check(changes, catalog)
    first = min((y for y in years if y is not None), default=0)
    g, ids = catalog.graph, catalog.compiled.ids
    index = {
        (ids[p], ids[c]): k
        for k, (p, c) in enumerate(zip(g.parent.tolist(), g.child.tolist(), strict=True))
    }
    keys = list(dict.fromkeys((ch.item, ch.part) for ch in changes))
    lines = np.array([index[k] for k in keys], dtype=np.int64)
    amount = np.repeat(g.amount[:, lines, None], len(years), axis=2)  # the base where no year
    factors: dict[tuple[str, str], float] = {}
    for y, year in enumerate(years):
        if year is None:
            continue
        current: dict[tuple[str, str], Any] = {}
        for ch in changes:
            key = (ch.item, ch.part)
            line = current.get(key) or catalog[ch.item].parts[ch.part]
            current[key] = SimpleNamespace(amount=ch.factor_or_value(line, year, first))
        for k, key in enumerate(keys):
            est = current[key].amount
            if key not in factors:
                parent, child = catalog[key[0]], catalog[key[1]]
                factors[key] = line_factor(
                    est, child, parent, f"change of {key[0]!r}, part {key[1]!r}"
                )
            lo, c, hi = est.values()
            f = factors[key]
            amount[LOW, k, y], amount[CENTRAL, k, y], amount[HIGH, k, y] = lo * f, c * f, hi * f
    out = YearAmounts(lines, amount)
    _check_years(catalog, out, years)
    return out


def _check_years(catalog: Catalog, changed: YearAmounts, years: list[int | None]) -> None:
    """Mass fractions stay within 100 % in every year (a rising Dy share could push a magnet
    over): the catalog's own checks, on each year's amounts."""
    g = catalog.graph
    c = catalog.compiled
    kg = [is_mass(catalog[i].basis) for i in c.ids]
    mass = np.array(kg, dtype=bool)
    mf = mass[g.parent] & mass[g.child]
    if not mf[changed.lines].any():
        return
    for y, year in enumerate(years):
        if year is None:
            continue
        try:
            check_fractions(
                catalog.items,
                c.ids,
                c.child_of_line,
                g.parent,
                changed.at(g.amount, y),
                g.balance,
                mf,
            )
        except MineralcalcError as e:
            raise type(e)(f"in {year}, after the changes: {e}") from None
