"""Scenarios: production volumes (and optional extra items) in a TOML file.

A scenario file is data, read with :mod:`tomllib` only::

    name = "my-case"
    description = "what it is"
    # year = 2024                     # plain volumes below: this year only (else every year)
    years = "2024..2030"              # the years to compute, or [2024, 2030] (optional)
    use = ["smartphone_press"]        # disputed alternatives to use (optional)

    [volumes]
    smartphone = { amount = "1.24 billion", source = "idc-2025" }
    offshore_wind = "8 GW"            # a bare amount is fine too
    my_gadget = { amount = "10 million", within = "other uses" }  # part of a published
                                      # end use (end_uses.csv), not new demand on top of it

    [volumes.onshore_wind]            # or one value per year, linear in between,
    2024 = "109 GW"                   # and a growth rate beyond the last given year
    2030 = { amount = "150 GW", source = "my-guess" }   # a source of the file's own (below)
    growth = "2 %/yr"

    [items.my_gadget]                 # items of your own, added to the catalog
    basis = "unit"
    kind = "product"
    parts = { Nd = "2 g", ndfeb_magnet = { amount = "1 kg", yield = 0.8 } }

    [[changes]]                       # intensities changing over time (mineralcalc.model.changes)
    item = "*"                        # every line into dy_metal ...
    part = "dy_metal"
    rate = "-3 %/yr"                  # ... falls 3 % a year from `since`
    since = 2024

    [[changes]]
    item = "offshore_wind"
    part = "wind_dd_pmsg"
    values = { 2024 = 0.568, 2040 = 0.75 }   # technology shares shifting

    [supply]                          # world output beyond the last figures
    growth = { REE = "5 %/yr", Li = "10 %/yr" }   # or one rate for all

    [sources.my-guess]                # sources of the file's own, cited like sources.csv's
    citation = "who published what, where"
    year = 2026
    quality = "estimate"              # official statistics, peer-reviewed, industry, press

A file may start from another with ``extends = "baseline-2024"`` (a shipped name, or a path
relative to the file) and add or replace volumes, items, changes and sources: one new
product on top of the 2024 baseline is the ``[volumes]`` line and the ``[items]`` table
above under ``extends`` (:mod:`mineralcalc.model.scenario_extends` says what is merged how).

Every problem is a :class:`~mineralcalc.errors.ScenarioError` (or the fitting subclass of
:class:`~mineralcalc.errors.MineralcalcError`) whose message starts with ``file: key.path``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..data.scenario_file import locate as _locate
from ..data.scenario_file import read_toml, shipped_scenarios
from ..errors import MineralcalcError, ScenarioError, suggest
from .catalog import Catalog
from .changes import Change, catalogs_by_year
from .items import Item
from .recycling import Recycling, parse_recycling
from .scenario_extends import extended
from .scenario_fields import (
    is_year,
    known_keys,
    read_amount,
    read_changes,
    read_items,
    read_sources,
    read_supply,
    read_years,
)
from .volumes import Volumes, parse_volumes

__all__ = ["Scenario", "load_scenario", "shipped_scenarios"]

_TOP_KEYS = (
    "extends",
    "name",
    "title",
    "description",
    "year",
    "years",
    "use",
    "volumes",
    "items",
    "changes",
    "supply",
    "sources",
    "recycling",
)


@dataclass(frozen=True, eq=False)
class Scenario:
    """Volumes and extra items read from a scenario file.

    Attributes
    ----------
    name : str
    path : Path or None
    description : str
    year : int or None
        The year of plain (year-less) volumes.
    volumes : dict
        ``{product_id: amount}`` or ``{product_id: {year: amount}}``: what
        :func:`mineralcalc.demand` takes.
    sources : dict
        The source key of each volume, by ``(product_id, year)``.
    items : tuple of Item
        Items the scenario adds (replacing shipped ones with the same id).
    use : tuple of str
        Disputed alternatives the scenario selects.
    years : tuple of int or None
        The years to compute (``years = [2024, 2030]`` or ``"2024..2030"``).
    changes : tuple of Change
        Part lines whose amounts change over the years.
    supply_growth : rate or mapping, optional
        Growth of world output for years after the last figures.
    """

    name: str
    path: Path | None
    description: str
    year: int | None
    volumes: dict[str, Any]
    sources: dict[tuple[str, int | None], str]
    items: tuple[Item, ...] = ()
    use: tuple[str, ...] = ()
    years: tuple[int, ...] | None = None
    changes: tuple[Change, ...] = ()
    supply_growth: Any = None
    supply_source: str | None = None
    recycling: Recycling | None = None
    """End-of-life rates over time (``[recycling]``, :mod:`mineralcalc.model.recycling`)."""
    base: Catalog | None = field(default=None, repr=False)
    own_sources: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    """Source records the file defines (``[sources.KEY]``), cited like ``sources.csv``'s."""

    @cached_property
    def catalog(self) -> Catalog:
        """The catalog the scenario runs on: the base (default: shipped) plus its items."""
        cat = self.base if self.base is not None else Catalog.default()
        if self.own_sources:
            cat = cat.with_sources(self.own_sources)
        if self.items:
            cat = cat.add(*self.items, replace=True)
        if self.use:
            cat = cat.use(*self.use)
        return cat

    @cached_property
    def parsed_volumes(self) -> Volumes:
        """The volumes checked against the products of :attr:`catalog` and laid out over
        :attr:`years` (:func:`mineralcalc.model.volumes.parse_volumes`): read once, when the
        scenario is loaded, and used by :func:`mineralcalc.demand`."""
        return parse_volumes(self.volumes, self.catalog, years=self.years)


def load_scenario(path_or_name: str | Path, catalog: Catalog | None = None) -> Scenario:
    """Read a scenario file, or a shipped scenario by name (``"baseline-2024"``).

    Parameters
    ----------
    path_or_name : str or Path
        A ``.toml`` file, or the name of a shipped scenario.
    catalog : Catalog, optional
        The catalog to run on (default: the shipped one).

    Raises
    ------
    ScenarioError
        An unknown name or missing file, bytes that are not UTF-8, malformed TOML, unknown or
        misplaced keys; the message names the file and key.
    MineralcalcError
        A bad item, amount, product or unit in the file (its subclass), prefixed the same way.
    """
    path = _locate(path_or_name)
    data = read_toml(path)
    return parse_scenario(data, label=path.name, path=path, catalog=catalog)


def parse_scenario(
    data: Mapping[str, Any],
    *,
    label: str = "<scenario>",
    path: Path | None = None,
    catalog: Catalog | None = None,
) -> Scenario:
    """Build a :class:`Scenario` from already-parsed TOML data (see :func:`load_scenario`).

    ``extends = "baseline-2024"`` (or a path) reads another scenario under this one
    (:mod:`mineralcalc.model.scenario_extends`); the scenario it extends is checked on its
    own first, so its errors name its file.
    """
    known_keys(data, _TOP_KEYS, label)
    if "extends" in data:
        data, parents = extended(data, label, path)
        for parent in reversed(parents):  # the furthest first: each is whole on its own
            parse_scenario(parent.data, label=parent.label, path=parent.path, catalog=catalog)
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise ScenarioError(f"{label}: year: {year!r} is not a year such as 2024")
    use = data.get("use", [])
    if not isinstance(use, list) or not all(isinstance(u, str) for u in use):
        raise ScenarioError(f'{label}: use: expected a list of item ids, e.g. ["smartphone_press"]')
    items = tuple(read_items(data.get("items", {}), label))
    years = read_years(data.get("years"), label)
    changes = tuple(read_changes(data.get("changes", []), label))
    supply_growth = read_supply(data.get("supply"), label)
    raw = data.get("volumes")
    if not isinstance(raw, Mapping) or not raw:
        raise ScenarioError(f"{label}: volumes: missing or empty; add a [volumes] table")
    volumes: dict[str, Any] = {}
    sources: dict[tuple[str, int | None], str] = {}
    for pid, spec in raw.items():
        where = f"{label}: volumes.{pid}"
        within = spec.get("within") if isinstance(spec, Mapping) else None
        if isinstance(spec, Mapping) and any(is_year(k) for k in spec):
            per_year: dict[Any, Any] = {}
            for y, amount in spec.items():
                if y in ("growth", "within"):
                    per_year[y] = amount
                elif not is_year(y):
                    raise ScenarioError(
                        f"{where}: {y}: not a year (a table of years takes only years, growth "
                        "and within)"
                    )
                else:
                    per_year[int(y)] = read_amount(amount, f"{where}.{y}", sources, (pid, int(y)))
            volumes[pid] = per_year
        else:
            rest = {k: v for k, v in spec.items() if k != "within"} if within else spec
            amount = read_amount(rest, where, sources, (pid, year))
            volumes[pid] = {year: amount} if year is not None else amount
            if within is not None:
                volumes[pid] = (
                    {year: amount, "within": within}
                    if year is not None
                    else {"amount": amount, "within": within}
                )
    name = data.get("name", path.stem if path else "scenario")
    scenario = Scenario(
        name=str(name),
        path=path,
        description=str(data.get("description", "")),
        year=year,
        volumes=volumes,
        sources=sources,
        items=items,
        use=tuple(use),
        years=years,
        changes=changes,
        supply_growth=supply_growth,
        base=catalog,
        supply_source=(data.get("supply") or {}).get("source"),
        recycling=parse_recycling(data.get("recycling"), label),
        own_sources=read_sources(data.get("sources"), label),
    )
    _check(scenario, label)
    return scenario


def _check(scenario: Scenario, label: str) -> None:
    """Check items, alternatives and volumes now, so errors name the file."""
    try:
        cat = scenario.catalog
    except MineralcalcError as e:
        msg = str(e)
        raise type(e)(msg if msg.startswith(label) else f"{label}: {msg}") from None
    try:
        years = scenario.parsed_volumes.years
        catalogs_by_year(cat, scenario.changes, years)
    except MineralcalcError as e:
        raise type(e)(f"{label}: {e}") from None
    known = cat.source_table
    cited = [("changes.source", ch.source) for ch in scenario.changes if ch.source]
    if isinstance(data_source := scenario.supply_source, str):
        cited.append(("supply.source", data_source))
    if scenario.recycling is not None and scenario.recycling.source:
        cited.append(("recycling.source", scenario.recycling.source))
    for item in scenario.items:  # the file's own items cite sources like its volumes
        cited += [(f"items.{item.id}.sources", key) for key in item.sources]
        cited += [
            (f"items.{item.id}.parts.{child}.source", part.source)
            for child, part in item.parts.items()
            if part.source
        ]
    for at, key in cited:
        if known and key not in known:
            raise ScenarioError(f"{label}: {at}: unknown source {key!r} ({suggest(key, known)})")
    for (pid, year), key in scenario.sources.items():
        if known and key not in known:
            at = f"volumes.{pid}" + (
                f".{year}" if year is not None and year != scenario.year else ""
            )
            raise ScenarioError(
                f"{label}: {at}.source: unknown source {key!r} ({suggest(key, known)})"
            )
