"""Country names across the tables: one spelling each, checked wherever a table names one.

Sources spell countries differently ("Republic of Korea", "Korea, Republic of", "South
Korea"), and a group or a regional share that spells a country otherwise than the supply table
silently misses it. ``countries.csv`` lists every country the tables may name, in the
spelling of USGS's Mineral Commodity Summaries (the supply table's), with its ISO 3166 code
and other spellings. :class:`Places` reads a name in a table row: an alias becomes the
canonical spelling, and a name that is neither is an error naming the file, row and closest
names, so a misspelt country can never drop out of an answer. ``country_groups.csv`` names
groups of them (:func:`read_country_groups`), which may name other groups but never one that
contains them (:func:`resolve_groups`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import TableError, suggest
from .csvtable import Row, check_source, read_table

__all__ = [
    "RESERVED",
    "Places",
    "place",
    "read_countries",
    "read_country_groups",
    "resolve_groups",
]

RESERVED = ("World", "Other", "Rest of world")
"""Names that are no country: a source's world total, its residual of small producers, and
every country an outlook or a regional split does not name."""


class Places:
    """The countries the tables may name, and their other spellings.

    Parameters
    ----------
    names : mapping of str to tuple of str
        Each country's canonical spelling and its aliases.
    """

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        self.countries: tuple[str, ...] = tuple(names)
        self._by_key: dict[str, str] = {}
        for country, aliases in names.items():
            for spelling in (country, *aliases):
                self._by_key[spelling.casefold()] = country

    @property
    def aliases(self) -> dict[str, str]:
        """Every other spelling -> the country's canonical spelling."""
        return {k: c for k, c in self._by_key.items() if k != c.casefold()}

    def canonical(self, name: str) -> str | None:
        """The canonical spelling of a country or alias (case aside), else None."""
        return self._by_key.get(name.strip().casefold())

    def name(
        self, row: Row, column: str, *, allow: Iterable[str] = (), required: bool = True
    ) -> str | None:
        """The country in ``row[column]`` in its canonical spelling; a name in ``allow``
        (``World``, a group ...) as it is.

        Raises
        ------
        TableError
            ``file:row: column: 'X' is not a country of countries.csv (did you mean ...)``.
        """
        raw = row.text(column, required=required)
        if raw is None:
            return None
        allowed = set(allow)
        if raw in allowed:
            return raw
        found = self.canonical(raw)
        if found is None:
            choices = [*self.countries, *allowed]
            raise row.error(
                column,
                f"{raw!r} is not a country of countries.csv ({suggest(raw, choices)}); use its "
                "spelling there, or add the country (or this spelling as an alias) to it",
            )
        return found


def place(
    row: Row,
    column: str,
    places: Places | None,
    *,
    allow: Iterable[str] = (),
    required: bool = True,
) -> str | None:
    """The country of ``row[column]``, checked against ``places`` (unchecked without)."""
    if places is None:
        return row.text(column, required=required)
    return places.name(row, column, allow=allow, required=required)


def read_countries(path: Path, sources: Mapping[str, Any]) -> Places:
    """``countries.csv``: every country the tables may name, its ISO 3166 alpha-3 code and
    other spellings (``aliases``, ``;``-separated).

    Raises
    ------
    TableError
        A country, code or spelling given twice, or a code that is not three capital letters.
    """
    names: dict[str, tuple[str, ...]] = {}
    seen: dict[str, tuple[str, int]] = {}
    codes: dict[str, int] = {}
    for row in read_table(path, "countries.csv"):
        country = row.text("country", required=True)
        assert country is not None
        code = row.ident("iso3")
        assert code is not None
        if len(code) != 3 or not code.isalpha() or not code.isupper():
            raise row.error("iso3", f"{code!r} is not an ISO 3166 alpha-3 code (e.g. 'KOR')")
        if code in codes:
            raise row.error("iso3", f"{code} is given twice (first at row {codes[code]})")
        codes[code] = row.line
        check_source(row, "source", sources, required=True)
        aliases = tuple(a.strip() for a in (row.text("aliases") or "").split(";") if a.strip())
        for spelling in (country, *aliases):
            key = spelling.casefold()
            if key in seen or spelling in RESERVED:
                first = seen.get(key, (spelling, 0))
                raise row.error(
                    "aliases" if spelling != country else "country",
                    f"{spelling!r} already names {first[0]!r} (row {first[1]})"
                    if key in seen
                    else f"{spelling!r} is reserved for {', '.join(RESERVED)}",
                )
            seen[key] = (country, row.line)
        names[country] = aliases
    return Places(names)


def resolve_groups(
    groups: Mapping[str, tuple[str, ...]], origin: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Each group's countries, with the groups it names expanded (the Minerals Security
    Partnership names the European Union).

    Parameters
    ----------
    groups : mapping
        Group -> its members (countries or groups), as read.
    origin : mapping
        Group -> ``file:row`` of its first row, for the error.

    Raises
    ------
    TableError
        A group that names itself, directly or through other groups (naming the circle).
    """
    out: dict[str, tuple[str, ...]] = {}

    def expand(group: str, path: tuple[str, ...]) -> tuple[str, ...]:
        if group in path:
            circle = " -> ".join((*path[path.index(group) :], group))
            raise TableError(
                f"{origin[group]}: group: {group!r} names itself ({circle}); a group may name "
                "other groups, never one that contains it"
            )
        if group in out:
            return out[group]
        members: list[str] = []
        for m in groups[group]:
            for c in expand(m, (*path, group)) if m in groups else (m,):
                if c not in members:
                    members.append(c)
        out[group] = tuple(members)
        return out[group]

    for g in groups:
        expand(g, ())
    return out


def read_country_groups(
    path: Path, sources: Mapping[str, Any], places: Places | None = None
) -> dict[str, tuple[str, ...]]:
    """``country_groups.csv``: named groups of countries (e.g. Minerals Security Partnership).

    A member is a country (checked against ``places``, aliases taken to their canonical
    spelling) or another group of the file (kept by name; :func:`resolve_groups` expands it).

    Raises
    ------
    TableError
        A member listed twice, a country not in ``countries.csv``, or a group that names
        itself, directly or through others.
    """
    groups: dict[str, list[str]] = {}
    origin: dict[str, str] = {}
    pending: list[tuple[Row, str, str]] = []
    for row in read_table(path, "country_groups.csv"):
        group, member = row.ident("group"), row.text("country", required=True)
        assert group is not None and member is not None
        check_source(row, "source", sources, required=True)
        origin.setdefault(group, f"{row.file}:{row.line}")
        pending.append((row, group, member))
        groups.setdefault(group, [])
    for row, group, member in pending:  # members may name groups defined further down
        name = member if member in groups else place(row, "country", places)
        assert name is not None
        if name in groups[group]:
            raise row.error("country", f"{member!r} is listed twice in {group!r}")
        groups[group].append(name)
    frozen = {g: tuple(c) for g, c in groups.items()}
    resolve_groups(frozen, origin)  # refuses a group that names itself
    return frozen
