"""Country and group names as the supply tables spell them.

Users write ``china``, ``myanmar`` or ``G7``; the tables say ``China``, ``Burma (Myanmar)`` and
name groups in ``country_groups.csv`` (a group may name another group: the Minerals Security
Partnership names the European Union). :class:`CountryNames` matches a name without regard to
case, lets a bracketed name match too, and expands groups into their countries. A name that
matches nothing is an error: a filter that matches nothing would silently change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import UnknownItemError, suggest

__all__ = ["CountryNames"]


@dataclass(frozen=True)
class CountryNames:
    """The countries with a row in the supply tables and the named groups of countries."""

    countries: tuple[str, ...]
    groups: Mapping[str, tuple[str, ...]]
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Other spellings of the countries (``countries.csv``): ``'South Korea'`` ->
    ``'Korea, Republic of'``."""
    _names: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names: dict[str, str] = {}
        for c in [*self.countries, *self.groups]:
            names[c.casefold()] = c
            if "(" in c and c.endswith(")"):
                outer, _, inner = c[:-1].partition("(")
                names.setdefault(inner.strip().casefold(), c)
                names.setdefault(outer.strip().casefold(), c)
        for alias, country in self.aliases.items():
            if country in self.countries:
                names.setdefault(alias.casefold(), country)
        object.__setattr__(self, "_names", names)

    def canonical(self, name: str) -> str | None:
        """The tables' spelling of a country or group (``'myanmar'`` -> ``'Burma (Myanmar)'``),
        or ``None``."""
        return self._names.get(name.strip().casefold())

    def resolve(self, name: str | Iterable[str]) -> tuple[str, ...]:
        """The countries a country or group name (or several) stands for.

        Raises
        ------
        UnknownItemError
            For a name that is neither (a typo, an empty string, a country with no output in
            the tables), listing the closest names.
        """
        if not isinstance(name, str):
            if not isinstance(name, Iterable):
                raise UnknownItemError(
                    f"a country or group is a name such as 'China', got {name!r}"
                )
            out: list[str] = []
            for n in name:
                out.extend(self.resolve(n))
            return tuple(dict.fromkeys(out))
        canonical = self.canonical(name)
        if canonical is None:
            if not name.strip():
                raise UnknownItemError(
                    "an empty country name: give a country or group, e.g. 'China'"
                )
            known = sorted({*self.countries, *self.groups})
            raise UnknownItemError(
                f"{name!r} is not a country or group of the supply tables "
                f"({suggest(name, known)}; countries with output: {', '.join(self.countries)})"
            )
        countries: list[str] = []
        todo, seen = [canonical], set()
        while todo:
            member = todo.pop(0)
            if member in seen:
                continue
            seen.add(member)
            if member in self.groups:
                todo.extend(self.groups[member])
            else:
                countries.append(member)
        return tuple(countries)
