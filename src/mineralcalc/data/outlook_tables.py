"""``outlook.csv``: a published outlook of output by commodity, stage, country and year (the
IEA's base case), read into a frame whose ratios carry recorded supply into later years
(:mod:`mineralcalc.lenses.projection`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .country_tables import Places, place
from .csvtable import check_source, read_table
from .stages import STAGES, tonnes

__all__ = ["OUTLOOK_COLUMNS", "REST", "read_outlook"]

OUTLOOK_COLUMNS = ["commodity", "stage", "country", "year", "amount", "measure", "source", "note"]
REST = "Rest of world"
"""The outlook's row for every country it does not name."""


def read_outlook(
    path: Path, sources: Mapping[str, Any], places: Places | None = None
) -> pd.DataFrame:
    """``outlook.csv``: a published outlook of output by commodity, stage, country and year.

    Only its ratios are used: a country's output in a later year is its recorded output times
    the outlook's figure for that year over the figure for the year of the record (see
    :mod:`mineralcalc.lenses.projection`). So ``measure`` may differ from what ``supply.csv``
    counts (the IEA's outlook of rare earths counts the magnet rare earths in them), and says
    what the figures are. ``Rest of world`` stands for every country the outlook does not name;
    ``World`` is the total.

    Returns
    -------
    DataFrame
        Columns ``commodity``, ``stage``, ``country``, ``year``, ``amount`` [t], ``measure``,
        ``source``, ``note``. A missing file gives an empty frame.
    """
    if not path.exists():
        return pd.DataFrame(columns=OUTLOOK_COLUMNS)
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in read_table(path, "outlook.csv"):
        commodity = row.ident("commodity")
        stage = row.choice("stage", STAGES)
        country = place(row, "country", places, allow=("World", "Rest of world"))
        year = row.year()
        key = (commodity, stage, country, year)
        if key in seen:
            raise row.error(
                "country", f"{country} {stage} {year} is given twice (first at row {seen[key]})"
            )
        seen[key] = row.line
        amount = row.number("amount", required=True)
        assert amount is not None
        if amount < 0:
            raise row.error("amount", f"{amount:g} is negative")
        rows.append(
            {
                "commodity": commodity,
                "stage": stage,
                "country": country,
                "year": year,
                "amount": amount * tonnes(row),
                "measure": row.text("measure") or "",
                "source": check_source(row, "source", sources, required=True),
                "note": row.text("note"),
            }
        )
    return pd.DataFrame(rows, columns=OUTLOOK_COLUMNS)
