"""The fields of a scenario file, each read and checked on its own: years, changes, supply
growth, volume amounts and items (:func:`mineralcalc.model.scenario.parse_scenario` puts them
together). Every error names the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..data.csvtable import QUALITIES
from ..errors import MineralcalcError, ScenarioError, suggest
from ..estimate import parse_rate
from .changes import Change
from .items import KINDS, Item, Part

__all__ = [
    "AMOUNT_KEYS",
    "is_year",
    "known_keys",
    "read_amount",
    "read_changes",
    "read_items",
    "read_sources",
    "read_supply",
    "read_years",
]

AMOUNT_KEYS = ("amount", "low", "central", "high", "unit", "dist", "source", "note")
"""The keys of a volume given as a table (``{central = "17 million", source = "iea"}``)."""


def read_years(raw: Any, label: str) -> tuple[int, ...] | None:
    if raw is None:
        return None
    if isinstance(raw, str) and ".." in raw:
        a, _, b = raw.partition("..")
        try:
            lo, hi = int(a), int(b)
        except ValueError:
            raise ScenarioError(
                f"{label}: years: {raw!r} is not a range such as '2024..2030'"
            ) from None
        if hi < lo:
            raise ScenarioError(f"{label}: years: {raw!r} runs backwards")
        return tuple(range(lo, hi + 1))
    if (
        isinstance(raw, list)
        and raw
        and all(isinstance(y, int) and not isinstance(y, bool) for y in raw)
    ):
        return tuple(sorted(set(raw)))
    raise ScenarioError(f"{label}: years: expected a list such as [2024, 2030] or '2024..2030'")


def read_changes(raw: Any, label: str) -> list[Change]:
    if not isinstance(raw, list):
        raise ScenarioError(f"{label}: changes: expected [[changes]] tables")
    out = []
    allowed = ("item", "part", "rate", "values", "since", "source", "note")
    for n, spec in enumerate(raw, start=1):
        where = f"{label}: changes[{n}]"
        if not isinstance(spec, Mapping):
            raise ScenarioError(f"{where}: expected a table with item, part and rate or values")
        known_keys(spec, allowed, where)
        if "item" not in spec or "part" not in spec:
            raise ScenarioError(f"{where}: needs item and part")
        try:
            out.append(
                Change(
                    spec["item"],
                    spec["part"],
                    rate=spec.get("rate"),
                    values=spec.get("values"),
                    since=spec.get("since"),
                    source=spec.get("source"),
                )
            )
        except MineralcalcError as e:
            raise type(e)(f"{where}: {e}") from None
    return out


def read_supply(raw: Any, label: str) -> Any:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) - {"growth", "source", "note"}:
        raise ScenarioError(f'{label}: supply: expected growth = "3 %/yr" or a table of rates')
    growth = raw.get("growth")
    rates = growth if isinstance(growth, Mapping) else {"*": growth}
    for commodity, rate in rates.items():
        try:
            parse_rate(rate)
        except MineralcalcError as e:
            raise type(e)(f"{label}: supply.growth.{commodity}: {e}") from None
    return growth


def known_keys(spec: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    """Raise for the first key of ``spec`` not in ``allowed``, suggesting the closest."""
    for key in spec:
        if key not in allowed:
            raise ScenarioError(f"{where}: {key}: unknown key ({suggest(str(key), allowed)})")


def is_year(key: Any) -> bool:
    return isinstance(key, str) and key.strip().isdigit()


def read_amount(spec: Any, where: str, sources: dict[tuple[str, int | None], str], key: Any) -> Any:
    if isinstance(spec, Mapping):
        known_keys(spec, AMOUNT_KEYS, where)
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


def read_items(raw: Any, label: str) -> list[Item]:
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"{label}: items: expected tables such as [items.my_gadget]")
    out = []
    allowed = ("basis", "kind", "name", "parts", "sources", "note", "alternative_of")
    for item_id, spec in raw.items():
        where = f"{label}: items.{item_id}"
        if not isinstance(spec, Mapping):
            raise ScenarioError(f"{where}: expected a table with basis, kind and parts")
        known_keys(spec, allowed, where)
        if "kind" in spec and spec["kind"] not in KINDS:
            raise ScenarioError(f"{where}: kind: {spec['kind']!r} is not one of {', '.join(KINDS)}")
        parts = {}
        for child, pspec in (spec.get("parts") or {}).items():
            if isinstance(pspec, Mapping):
                known_keys(
                    pspec,
                    ("amount", "yield", "recycled", "source", "note"),
                    f"{where}.parts.{child}",
                )
                try:
                    parts[child] = Part(
                        pspec.get("amount"),
                        pspec.get("yield", 1.0),
                        recycled=pspec.get("recycled", 0.0),
                        source=pspec.get("source"),
                        note=pspec.get("note"),
                        origin=f"{where}.parts.{child}",
                    )
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


def read_sources(raw: Any, label: str) -> dict[str, dict[str, Any]]:
    """``[sources.KEY]`` tables: the scenario's own source records (``citation`` required;
    ``year``, ``url``, ``quality`` (one of ``sources.csv``'s qualities), ``note``)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"{label}: sources: expected [sources.KEY] tables with a citation")
    out: dict[str, dict[str, Any]] = {}
    for key, spec in raw.items():
        where = f"{label}: sources.{key}"
        if not isinstance(spec, Mapping):
            raise ScenarioError(f'{where}: expected a table, e.g. {{ citation = "..." }}')
        known_keys(spec, ("citation", "year", "url", "quality", "note"), where)
        citation = spec.get("citation")
        if not isinstance(citation, str) or not citation.strip():
            raise ScenarioError(f"{where}: citation: give who published what, and where")
        quality = spec.get("quality", "estimate")
        if quality not in QUALITIES:
            raise ScenarioError(
                f"{where}: quality: {quality!r} is not one of {', '.join(QUALITIES)}"
            )
        year = spec.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise ScenarioError(f"{where}: year: {year!r} is not a year such as 2025")
        out[str(key)] = {
            "citation": citation.strip(),
            "year": year,
            "url": str(spec.get("url", "") or ""),
            "quality": quality,
            "note": str(spec.get("note", "") or ""),
        }
    return out
