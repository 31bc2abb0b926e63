"""Scenarios: production volumes (and optional extra items) in a TOML file.

A scenario file is data, read with :mod:`tomllib` only::

    name = "my-case"
    description = "what it is"
    year = 2024                       # plain volumes below are for this year (optional)
    use = ["smartphone_press"]        # disputed alternatives to use (optional)

    [volumes]
    smartphone = { amount = "1.24 billion", source = "idc-2025" }
    offshore_wind = "8 GW"            # a bare amount is fine too

    [volumes.onshore_wind]            # or one value per year
    2024 = "109 GW"
    2030 = { amount = "150 GW", source = "my-guess" }

    [items.my_gadget]                 # items of your own, added to the catalog
    basis = "unit"
    kind = "product"
    parts = { Nd = "2 g", ndfeb_magnet = { amount = "1 kg", yield = 0.8 } }

Every problem is a :class:`~mineralcalc.errors.ScenarioError` (or the fitting subclass of
:class:`~mineralcalc.errors.MineralcalcError`) whose message starts with ``file: key.path``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .errors import MineralcalcError, ScenarioError, suggest
from .items import KINDS, Item, Part

__all__ = ["Scenario", "load_scenario", "shipped_scenarios"]

_TOP_KEYS = ("name", "title", "description", "year", "use", "volumes", "items", "sources")
_AMOUNT_KEYS = ("amount", "low", "central", "high", "unit", "dist", "source", "note")


def shipped_scenarios() -> dict[str, Path]:
    """The scenarios shipped in ``tables/scenarios``, by name."""
    from .tables import shipped_tables

    folder = shipped_tables() / "scenarios"
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}


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
    """

    name: str
    path: Path | None
    description: str
    year: int | None
    volumes: dict[str, Any]
    sources: dict[tuple[str, int | None], str]
    items: tuple[Item, ...] = ()
    use: tuple[str, ...] = ()
    base: Catalog | None = field(default=None, repr=False)

    @cached_property
    def catalog(self) -> Catalog:
        """The catalog the scenario runs on: the base (default: shipped) plus its items."""
        cat = self.base if self.base is not None else Catalog.default()
        if self.items:
            cat = cat.add(*self.items, replace=True)
        if self.use:
            cat = cat.use(*self.use)
        return cat


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
    label = path.name
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise ScenarioError(f"{label}: byte {e.start}: not UTF-8; save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{label}: malformed TOML: {e}") from None
    except OSError as e:
        raise ScenarioError(f"{label}: cannot read ({e.strerror})") from None
    return parse_scenario(data, label=label, path=path, catalog=catalog)


def parse_scenario(
    data: Mapping[str, Any],
    *,
    label: str = "<scenario>",
    path: Path | None = None,
    catalog: Catalog | None = None,
) -> Scenario:
    """Build a :class:`Scenario` from already-parsed TOML data (see :func:`load_scenario`)."""
    for key in data:
        if key not in _TOP_KEYS:
            raise ScenarioError(f"{label}: {key}: unknown key ({suggest(key, _TOP_KEYS)})")
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise ScenarioError(f"{label}: year: {year!r} is not a year such as 2024")
    use = data.get("use", [])
    if not isinstance(use, list) or not all(isinstance(u, str) for u in use):
        raise ScenarioError(f'{label}: use: expected a list of item ids, e.g. ["smartphone_press"]')
    items = tuple(_items(data.get("items", {}), label))
    raw = data.get("volumes")
    if not isinstance(raw, Mapping) or not raw:
        raise ScenarioError(f"{label}: volumes: missing or empty; add a [volumes] table")
    volumes: dict[str, Any] = {}
    sources: dict[tuple[str, int | None], str] = {}
    for pid, spec in raw.items():
        where = f"{label}: volumes.{pid}"
        if isinstance(spec, Mapping) and spec and all(_is_year(k) for k in spec):
            per_year = {}
            for y, amount in spec.items():
                per_year[int(y)] = _amount(amount, f"{where}.{y}", sources, (pid, int(y)))
            volumes[pid] = per_year
        else:
            amount = _amount(spec, where, sources, (pid, year))
            volumes[pid] = {year: amount} if year is not None else amount
    name = data.get("name", path.stem if path else "scenario")
    scenario = Scenario(
        name=str(name), path=path, description=str(data.get("description", "")), year=year,
        volumes=volumes, sources=sources, items=items, use=tuple(use), base=catalog,
    )  # fmt: skip
    _check(scenario, label)
    return scenario


def _locate(path_or_name: str | Path) -> Path:
    path = Path(path_or_name)
    if path.suffix.lower() == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioError(f"{path}: no such scenario file")
        return path
    shipped = shipped_scenarios()
    found = shipped.get(str(path_or_name))
    if found is None:
        raise ScenarioError(
            f"{path_or_name!r} is neither a .toml file nor a shipped scenario "
            f"({suggest(str(path_or_name), shipped)})"
        )
    return found


def _is_year(key: Any) -> bool:
    return isinstance(key, str) and key.strip().isdigit()


def _amount(spec: Any, where: str, sources: dict[tuple[str, int | None], str], key: Any) -> Any:
    if isinstance(spec, Mapping):
        unknown = [k for k in spec if k not in _AMOUNT_KEYS]
        if unknown:
            raise ScenarioError(
                f"{where}: {unknown[0]}: unknown key ({suggest(unknown[0], _AMOUNT_KEYS)})"
            )
        if "source" in spec:
            sources[key] = str(spec["source"])
        if "amount" in spec:
            return spec["amount"]
        rest = {k: v for k, v in spec.items() if k in ("low", "central", "high", "unit", "dist")}
        if not rest:
            raise ScenarioError(f'{where}: no amount (give amount = "...", or low and high)')
        return rest
    if isinstance(spec, bool) or not isinstance(spec, str | int | float | list):
        raise ScenarioError(f'{where}: {spec!r} is not an amount (e.g. "1.24 billion")')
    return spec


def _items(raw: Any, label: str) -> list[Item]:
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"{label}: items: expected tables such as [items.my_gadget]")
    out = []
    allowed = ("basis", "kind", "name", "parts", "sources", "note", "alternative_of")
    for item_id, spec in raw.items():
        where = f"{label}: items.{item_id}"
        if not isinstance(spec, Mapping):
            raise ScenarioError(f"{where}: expected a table with basis, kind and parts")
        for k in spec:
            if k not in allowed:
                raise ScenarioError(f"{where}: {k}: unknown key ({suggest(k, allowed)})")
        if "kind" in spec and spec["kind"] not in KINDS:
            raise ScenarioError(f"{where}: kind: {spec['kind']!r} is not one of {', '.join(KINDS)}")
        parts = {}
        for child, pspec in (spec.get("parts") or {}).items():
            if isinstance(pspec, Mapping):
                extra = [k for k in pspec if k not in ("amount", "yield", "source", "note")]
                if extra:
                    raise ScenarioError(
                        f"{where}.parts.{child}: {extra[0]}: unknown key "
                        "(use amount, yield, source, note)"
                    )
                try:
                    parts[child] = Part(
                        pspec.get("amount"), pspec.get("yield", 1.0), source=pspec.get("source"),
                        note=pspec.get("note"), origin=f"{where}.parts.{child}",
                    )  # fmt: skip
                except MineralcalcError as e:
                    raise type(e)(f"{where}.parts.{child}: {e}") from None
            else:
                try:
                    parts[child] = Part(pspec, origin=f"{where}.parts.{child}")
                except MineralcalcError as e:
                    raise type(e)(f"{where}.parts.{child}: {e}") from None
        try:
            out.append(
                Item(
                    item_id,
                    spec.get("basis", "unit"),
                    parts,
                    spec.get("name"),
                    spec.get("kind"),
                    sources=spec.get("sources", ()),
                    note=spec.get("note"),
                    alternative_of=spec.get("alternative_of"),
                    origin=where,
                )
            )
        except MineralcalcError as e:
            raise type(e)(f"{label}: {e}") from None
    return out


def _check(scenario: Scenario, label: str) -> None:
    """Check items, alternatives and volumes now, so errors name the file."""
    from .demand import parse_volumes

    try:
        cat = scenario.catalog
    except MineralcalcError as e:
        msg = str(e)
        raise type(e)(msg if msg.startswith(label) else f"{label}: {msg}") from None
    try:
        parse_volumes(scenario.volumes, cat)
    except MineralcalcError as e:
        raise type(e)(f"{label}: {e}") from None
    known = cat.source_table
    for (pid, year), key in scenario.sources.items():
        if known and key not in known:
            at = f"volumes.{pid}" + (
                f".{year}" if year is not None and year != scenario.year else ""
            )
            raise ScenarioError(
                f"{label}: {at}.source: unknown source {key!r} ({suggest(key, known)})"
            )
