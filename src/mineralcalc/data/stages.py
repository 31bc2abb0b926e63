"""The words of the supply tables: the stages of a chain, the bases of output, the kinds of
secondary supply, and amounts in tonnes (every supply amount is a mass)."""

from __future__ import annotations

from functools import cache

from ..errors import MineralcalcError, UnknownItemError
from ..estimate import Estimate
from ..units import parse_unit
from .csvtable import Row

__all__ = [
    "BASES",
    "SECONDARY_KINDS",
    "STAGES",
    "STAGE_ALIASES",
    "stage_name",
    "to_tonnes",
    "tonnes",
]

STAGES = ("mining", "refining", "metal", "magnet")
"""Stages of a supply chain, in order: mine output, refining (for rare earths: separation into
oxides), metal and alloy, and (rare earths) magnets."""

STAGE_ALIASES = {"separation": "refining", "mine": "mining", "magnets": "magnet"}
"""Other names users give the stages."""


def stage_name(stage: str) -> str:
    """The canonical name of a stage (``'separation'`` -> ``'refining'``).

    Raises
    ------
    UnknownItemError
        For a name that is no stage, naming the stages there are.
    """
    name = STAGE_ALIASES.get(str(stage).strip().lower(), str(stage).strip().lower())
    if name not in STAGES:
        raise UnknownItemError(
            f"stage {stage!r} is not a stage of the supply tables (one of "
            f"{', '.join(STAGES)}; 'separation' is refining)"
        )
    return name


BASES = ("oxide", "metal", "content")
"""What an amount of output counts: oxide (REO), metal, or the element's content."""
SECONDARY_KINDS = ("new scrap", "end of life")
"""Secondary supply: process scrap recycled within the year, and recycled end-of-life products."""


def tonnes(
    row: Row, column: str = "unit", *, hint: str = "amounts here are masses, e.g. 't'"
) -> float:
    """The factor from the row's unit to tonnes (supply amounts are masses); a unit that is
    no mass is an error naming the row, with ``hint``."""
    try:
        return to_tonnes(row.get(column))
    except MineralcalcError as e:
        raise row.error(column, f"{e} ({hint})") from None


@cache
def to_tonnes(unit: str) -> float:
    """One unit's factor to tonnes, parsed once per distinct unit (a table repeats a few)."""
    return Estimate(central=1.0, unit=parse_unit(unit)).values("t")[1]
