"""The one unit registry of mineralcalc, and unit parsing helpers used at the edge.

``ureg`` is a :class:`pint.UnitRegistry` with the field's fixes from ``units.txt``:

* ``kt`` is a kilotonne (pint's default is a knot);
* ``unit``, ``units``, ``pcs``, ``piece`` count products (pint's defaults are micro-nit and
  parsec), and counts are dimensionless, so ``3 g`` and ``3 g/unit`` mean the same;
* ``thousand``, ``million``, ``billion`` are multipliers (``"1.24 billion"``);
* ``t`` / ``tonne`` is 1000 kg (pint's default, pinned by a test).

Units are parsed and converted once, when items, volumes and tables enter; the helpers here
are cached so that a catalog of many lines parses each distinct unit once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pint

from .errors import DimensionError, UnitError, suggest

__all__ = [
    "Q_",
    "conversion_factor",
    "is_mass",
    "parse_unit",
    "show_unit",
    "unit_cache_folder",
    "ureg",
]


def unit_cache_folder() -> Path:
    """Where pint's parsed definitions are cached for this environment.

    Keyed by the installed pint (its file and version) and the interpreter's prefix, so two
    environments never share a cache and a deleted environment's cache is never read.
    """
    key = f"{pint.__file__}|{getattr(pint, '__version__', '')}|{sys.prefix}|{sys.version}"
    tag = hashlib.sha256(key.encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "mineralcalc" / f"pint-{tag}"


def _make_registry() -> pint.UnitRegistry:
    # pint caches its parsed default definitions (flexcache): the registry then builds in
    # ~15 ms instead of ~200 ms. The cache is this environment's own; a cache that cannot be
    # read is removed and rebuilt; only if that fails too is the registry built without one,
    # and then with a warning, never silently.
    options: dict[str, Any] = {"on_redefinition": "ignore", "autoconvert_offset_to_baseunit": True}
    reg: pint.UnitRegistry
    if os.environ.get("MINERALCALC_NO_UNIT_CACHE"):
        reg = pint.UnitRegistry(**options)
    else:
        folder = unit_cache_folder()
        try:
            reg = pint.UnitRegistry(cache_folder=folder, **options)
        except Exception:  # stale or broken: start it afresh, once
            try:
                if folder.is_dir():
                    shutil.rmtree(folder)
                elif folder.exists():
                    folder.unlink()
                reg = pint.UnitRegistry(cache_folder=folder, **options)
            except Exception as e:
                warnings.warn(
                    f"mineralcalc: the unit cache at {folder} cannot be used ({e}); building "
                    "the unit registry without it (each start takes ~0.2 s longer). Set "
                    "MINERALCALC_NO_UNIT_CACHE=1 to silence this.",
                    RuntimeWarning,
                    stacklevel=2,
                )
                reg = pint.UnitRegistry(**options)
    with resources.as_file(resources.files(__package__) / "units.txt") as path:
        reg.load_definitions(str(path))
    reg.formatter.default_format = "~P"
    return reg


ureg: pint.UnitRegistry = _make_registry()
Q_ = ureg.Quantity
pint.set_application_registry(ureg)

_KG = ureg.Unit("kg")


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Unit:
    """The pint unit for ``text`` (``"kg/MW"``, ``"%"``, ``"billion"``), cached.

    Raises
    ------
    UnitError
        If pint cannot read ``text``; the message suggests the closest known unit.
    """
    text = text.strip()
    if text in ("", "1"):
        return ureg.Unit("dimensionless")
    if text.startswith("/"):  # "1/kg" splits into the number 1 and the unit "/kg"
        text = "1" + text
    try:
        return ureg.parse_units(text)
    except (pint.UndefinedUnitError, pint.DefinitionSyntaxError, AttributeError, TypeError) as e:
        bad = getattr(e, "unit_names", None) or text
        bad = bad[0] if isinstance(bad, tuple | list) else bad
        hint = suggest(str(bad), _unit_names())
        raise UnitError(f"unknown unit {text!r} ({hint})") from None
    except Exception as e:  # pint raises assorted errors on malformed expressions
        raise UnitError(f"cannot read unit {text!r}: {e}") from None


@lru_cache(maxsize=1)
def _unit_names() -> tuple[str, ...]:
    common = (
        "g",
        "kg",
        "t",
        "kt",
        "Mt",
        "mg",
        "lb",
        "unit",
        "pcs",
        "MW",
        "GW",
        "kW",
        "kWh",
        "MWh",
        "GWh",
        "%",
        "ppm",
        "million",
        "billion",
        "thousand",
        "year",
    )
    return common + tuple(ureg)  # iterating a registry gives its unit names


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: pint.Unit, to_unit: pint.Unit) -> float:
    """The number that turns a magnitude in ``from_unit`` into one in ``to_unit``.

    Raises
    ------
    DimensionError
        If the two units have different dimensions.
    """
    try:
        return float(ureg.Quantity(1.0, from_unit).to(to_unit).magnitude)
    except pint.DimensionalityError:
        raise DimensionError(
            f"{_show(from_unit)} cannot be converted to {_show(to_unit)} "
            f"({_dim(from_unit)} vs {_dim(to_unit)})"
        ) from None


@lru_cache(maxsize=4096)
def is_mass(unit: pint.Unit) -> bool:
    """Whether ``unit`` measures mass (cached per unit)."""
    return bool(unit.dimensionality == _KG.dimensionality)


def _show(unit: pint.Unit) -> str:
    s = f"{unit:~P}"
    return repr(s) if s else "'dimensionless'"


def _dim(unit: pint.Unit) -> str:
    d = str(unit.dimensionality)
    return "a count or fraction" if d == "dimensionless" else d


def show_unit(unit: pint.Unit) -> str:
    """Short text for a unit, ``'kg/MW'``; an empty unit shows as ``'1'``."""
    s = f"{unit:~C}"
    return s if s else "1"
