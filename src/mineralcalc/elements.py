"""Chemical elements, rare-earth groups and rare-earth oxides.

Symbols, names and standard atomic masses come from the maintained `periodictable`
package (IUPAC values); nothing here is typed by hand but the group memberships and the
oxide formulas.

Groups
------
``REE``
    The 17 rare-earth elements: Sc, Y and the lanthanides La-Lu (IUPAC, *Nomenclature of
    Inorganic Chemistry*, 2005, IR-3.5).
``LREE``, ``HREE``
    Light La-Eu and heavy Gd-Lu plus Y, following the USGS convention (Van Gosen, B. S. et al.
    2017, *Rare-earth elements*, USGS Professional Paper 1802-O, https://doi.org/10.3133/pp1802O).
    Sc belongs to neither. Other authors move Gd, Sm or Eu across the line: build your own
    group with :func:`resolve` on a list of symbols where that matters.
``magnet REE``
    Nd, Pr, Dy, Tb: the rare earths of sintered NdFeB permanent magnets.

Oxides
------
Rare-earth output is reported as rare-earth oxide (REO). Each element's usual oxide (the one
its REO figures are stated in: Pr6O11, Tb4O7 and CeO2 besides the sesquioxides) is in
:data:`OXIDES`, with the metal's mass fraction computed from atomic masses
(Nd2O3 -> 2 x 144.242 / 336.48 = 0.8574).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import UnknownItemError, suggest

__all__ = [
    "ELEMENTS",
    "FAMILIES",
    "GROUPS",
    "OXIDES",
    "OXIDE_SUFFIX",
    "Element",
    "Oxide",
    "family_of",
    "metal_fraction",
    "oxide_name",
    "resolve",
    "resolve_target",
]

OXIDE_SUFFIX = " (REO)"
"""Appended to an element or group name, it asks for the mass as oxide (``'magnet REE (REO)'``):
one name never holds two bases."""


@dataclass(frozen=True, slots=True)
class Element:
    """A chemical element.

    Attributes
    ----------
    symbol : str
        ``'Nd'``.
    name : str
        ``'neodymium'``.
    number : int
        Atomic number.
    mass : float
        Standard atomic mass [g/mol], from `periodictable`.
    """

    symbol: str
    name: str
    number: int
    mass: float


def _from_periodictable() -> dict[str, Any]:
    """Element records and oxide metal fractions, computed from periodictable."""
    import periodictable as pt

    elements = [
        [el.symbol, el.name, int(el.number), float(el.mass)]
        for el in pt.elements
        if el.number > 0 and el.mass > 0
    ]
    oxides = {
        s: float(pt.formula(f).mass_fraction[getattr(pt, s)]) for s, f in _OXIDE_FORMULAS.items()
    }
    return {"elements": elements, "oxides": oxides}


def _load() -> dict[str, Any]:
    """The periodictable data, from a cache in the user's cache folder when it matches.

    Importing periodictable (and the pyparsing behind its formula parser) costs ~40 ms at
    every start; like pint, mineralcalc caches what it derives from it, keyed by the installed
    periodictable (its file's path, size and time), mineralcalc's version and the oxide
    formulas. ``MINERALCALC_NO_CACHE``
    turns the cache off; tests check the cache equals a fresh computation.
    """
    if os.environ.get("MINERALCALC_NO_CACHE"):
        return _from_periodictable()
    try:
        from importlib.util import find_spec

        from ._version import __version__

        spec = find_spec("periodictable")  # locates the package without importing it
        if spec is None or spec.origin is None:
            return _from_periodictable()
        stat = os.stat(spec.origin)
        installed = f"{spec.origin}-{stat.st_size}-{stat.st_mtime_ns}"
        key = f"{installed}-{__version__}-{sorted(_OXIDE_FORMULAS.items())}"
        tag = hashlib.sha256(key.encode()).hexdigest()[:16]
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mineralcalc"
        path = folder / f"elements-{tag}.json"
        if path.is_file():
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return data
        data = _from_periodictable()
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
        return data
    except (OSError, ValueError, KeyError):
        return _from_periodictable()


_OXIDE_FORMULAS = {
    "Sc": "Sc2O3",
    "Y": "Y2O3",
    "La": "La2O3",
    "Ce": "CeO2",
    "Pr": "Pr6O11",
    "Nd": "Nd2O3",
    "Pm": "Pm2O3",
    "Sm": "Sm2O3",
    "Eu": "Eu2O3",
    "Gd": "Gd2O3",
    "Tb": "Tb4O7",
    "Dy": "Dy2O3",
    "Ho": "Ho2O3",
    "Er": "Er2O3",
    "Tm": "Tm2O3",
    "Yb": "Yb2O3",
    "Lu": "Lu2O3",
}

_DATA = _load()

ELEMENTS: dict[str, Element] = {
    s: Element(s, name, int(number), float(mass)) for s, name, number, mass in _DATA["elements"]
}
"""Every element with a standard atomic mass, by symbol, in order of atomic number."""

_LANTHANIDES = (
    "La",
    "Ce",
    "Pr",
    "Nd",
    "Pm",
    "Sm",
    "Eu",
    "Gd",
    "Tb",
    "Dy",
    "Ho",
    "Er",
    "Tm",
    "Yb",
    "Lu",
)

GROUPS: dict[str, tuple[str, ...]] = {
    "REE": ("Sc", "Y", *_LANTHANIDES),
    "LREE": ("La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu"),
    "HREE": ("Y", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"),
    "magnet REE": ("Nd", "Pr", "Dy", "Tb"),
}
"""Named groups of elements, usable wherever an element symbol is."""

FAMILIES: dict[str, tuple[str, ...]] = {
    "rare earths": GROUPS["REE"],
    "battery minerals": ("Li", "Ni", "Co", "Mn", "C"),
}
"""How a report groups its rows: rare earths (with their REO groups), battery minerals (C is
graphite), and everything else under ``other``."""


def family_of(name: str) -> str:
    """The family of an element or a group row (``'magnet REE (REO)'`` -> ``'rare earths'``)."""
    base = name[: -len(OXIDE_SUFFIX)] if name.endswith(OXIDE_SUFFIX) else name
    if base in GROUPS:
        return "rare earths"
    for family, members in FAMILIES.items():
        if base in members:
            return family
    return "other"


@dataclass(frozen=True, slots=True)
class Oxide:
    """An element's usual oxide and the metal's mass fraction in it.

    Attributes
    ----------
    element : str
        ``'Nd'``.
    formula : str
        ``'Nd2O3'``.
    metal_fraction : float
        Mass of metal per mass of oxide [kg/kg], from atomic masses.
    """

    element: str
    formula: str
    metal_fraction: float


OXIDES: dict[str, Oxide] = {
    s: Oxide(s, f, float(_DATA["oxides"][s])) for s, f in _OXIDE_FORMULAS.items()
}
"""Each rare earth's usual oxide (REO basis), by element symbol."""


def metal_fraction(symbol: str) -> float:
    """Mass of ``symbol`` metal per mass of its usual oxide [kg/kg].

    Examples
    --------
    >>> round(metal_fraction("Nd"), 4)
    0.8574
    """
    try:
        return OXIDES[symbol].metal_fraction
    except KeyError:
        raise UnknownItemError(
            f"no oxide is defined for {symbol!r} ({suggest(symbol, OXIDES)})"
        ) from None


@cache
def _lookup() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for name, members in GROUPS.items():
        table[name.lower()] = members
    for el in ELEMENTS.values():
        table[el.name.lower()] = (el.symbol,)
        table[el.symbol.lower()] = (el.symbol,)
    table["magnet_ree"] = GROUPS["magnet REE"]
    table["rare earths"] = GROUPS["REE"]
    return table


def resolve(name: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The element symbols that an element, a group or a list of them stands for.

    Symbols, element names and group names are matched without regard to case
    (``'Nd'``, ``'neodymium'``, ``'magnet REE'``).

    Raises
    ------
    UnknownItemError
        If a name is neither an element nor a group; the message suggests the closest.
    """
    if isinstance(name, tuple | list):
        out: list[str] = []
        for n in name:
            out.extend(s for s in resolve(n) if s not in out)
        return tuple(out)
    if not isinstance(name, str):
        raise UnknownItemError(f"an element or group name is a string, got {name!r}")
    exact = ELEMENTS.get(name)
    if exact is not None:
        return (exact.symbol,)
    found = _lookup().get(name.strip().lower())
    if found is None:
        hint = suggest(name, [*ELEMENTS, *GROUPS])
        raise UnknownItemError(f"{name!r} is not an element or group ({hint})")
    return found


def oxide_name(name: str) -> str:
    """The name of ``name``'s oxide-equivalent mass: ``'magnet REE'`` -> ``'magnet REE (REO)'``."""
    return name + OXIDE_SUFFIX


def resolve_target(name: str) -> tuple[tuple[str, ...], tuple[float, ...] | None]:
    """Element symbols and weights for a name that may ask for oxide (``'REE (REO)'``).

    Returns the symbols of :func:`resolve` and, for an oxide name, each member's weight
    1 / metal fraction (its oxide-equivalent mass per kg of metal); ``None`` for metal.

    Raises
    ------
    UnknownItemError
        An unknown name, or an oxide name for elements without a defined oxide.
    """
    if isinstance(name, str) and name.endswith(OXIDE_SUFFIX):
        symbols = resolve(name[: -len(OXIDE_SUFFIX)])
        missing = [s for s in symbols if s not in OXIDES]
        if missing:
            raise UnknownItemError(
                f"{name!r}: no oxide is defined for {', '.join(missing)} (oxide masses are for "
                "the rare earths)"
            )
        return symbols, tuple(1.0 / OXIDES[s].metal_fraction for s in symbols)
    return resolve(name), None
