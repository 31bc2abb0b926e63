"""Errors raised by mineralcalc on bad input.

Every error the library raises because of what a user gave it derives from
:class:`MineralcalcError`; each subclass also inherits the fitting built-in
exception (``ValueError``, ``KeyError`` ...), so callers may catch either, as
pint does with ``UndefinedUnitError(AttributeError, PintError)``.

Messages name the thing at fault (file and row, item and part line, or the
argument) and say how to fix it. The command line prints them as one line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "AmountError",
    "CycleError",
    "DimensionError",
    "ItemError",
    "MineralcalcError",
    "OutputError",
    "ScenarioError",
    "SpreadError",
    "TableError",
    "UnitError",
    "UnknownItemError",
    "ValidationFailure",
    "VolumeError",
    "suggest",
]


class MineralcalcError(Exception):
    """Base of every error mineralcalc raises on bad input."""

    def __str__(self) -> str:
        # KeyError would quote its message; every subclass reads as plain text.
        return str(self.args[0]) if self.args else ""

    def within(self, where: str) -> MineralcalcError:
        """The same error, its message prefixed with where it happened."""
        err = type(self)(f"{where}: {self}")
        err.__cause__ = self.__cause__
        return err


class AmountError(MineralcalcError, ValueError):
    """An amount, estimate or yield that cannot be read or is out of range."""


class UnitError(MineralcalcError, ValueError):
    """A unit that pint does not know."""


class DimensionError(UnitError):
    """A quantity whose dimension does not fit where it is used (``8 GW`` of phones)."""


class ItemError(MineralcalcError, ValueError):
    """An item or part line that is malformed (bad id, balance misuse, fractions over 100 %)."""


class CycleError(ItemError):
    """Items that contain themselves through a chain of parts."""


class UnknownItemError(MineralcalcError, KeyError):
    """An item, element or group id that the catalog does not hold."""


class VolumeError(MineralcalcError, ValueError):
    """A production volume that is malformed or does not fit its product."""


class SpreadError(MineralcalcError, ValueError):
    """An analysis of a spread asked of a demand that has none: an element the products do not
    demand, or whose demand does not vary across the samples (nothing drives a spread)."""


class TableError(MineralcalcError, ValueError):
    """A data table (CSV) that cannot be loaded: ``file:row: column: problem (hint)``."""


class ScenarioError(MineralcalcError, ValueError):
    """A scenario file that cannot be read."""


class OutputError(MineralcalcError, OSError):
    """An output that cannot or must not be written (an input of the run, a pipe, a folder)."""


class ValidationFailure(AssertionError):
    """A strict validation (``mc.validate(strict=True)``, ``mineralcalc validate --strict``)
    with counted figures outside their tolerance. Not bad input, so not a
    :class:`MineralcalcError`: the command line exits with code 1. ``table`` is the whole
    validation table."""

    def __init__(self, message: str, table: Any = None) -> None:
        super().__init__(message)
        self.table = table


def suggest(name: str, choices: Iterable[str], n: int = 3) -> str:
    """A hint naming the closest of ``choices`` to ``name``, or listing a few valid ones.

    Matching ignores case, so ``'ND'`` suggests ``'Nd'``.
    """
    pool = sorted(set(choices))
    lowered = {c.lower(): c for c in pool}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(lowered[c]) for c in close) + "?"
    if not pool:
        return "none are defined"
    shown = ", ".join(repr(c) for c in pool[:8])
    more = f" and {len(pool) - 8} more" if len(pool) > 8 else ""
    return f"valid ones include {shown}{more}"
