"""What a year's supply figures hold country by country, before any growth.

Mixed into :class:`~mineralcalc.lenses.supply.Supply` (through
:class:`~mineralcalc.lenses.supply_arrays.SupplyArrays`). A projected year's supply grows each
country's output by a factor; what the figures give per country does not change with the
year. So each country's contribution is read once from the figures, with the pandas work of
the ore split (:mod:`mineralcalc.lenses.ores`): its rare-earth oxide output element by element,
and the unrecorded output held as an amount or carried as a share of its recorded output.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .growth import WORLD
from .ores import element_output
from .supply_lines import SupplyLines

__all__ = ["FigureParts"]

_LOW_C_HIGH = ("low", "amount", "high")
_HELD_PARTS = ("held_low", "held", "held_high")
_SHARE_PARTS = ("carried_low", "carried", "carried_high")
_PARTS = (*_HELD_PARTS, *_SHARE_PARTS)


class FigureParts(SupplyLines):
    """Each country's contributions to supply in the figures, before any growth (mixed into
    :class:`~mineralcalc.lenses.supply.Supply`); cached per supply."""

    def _ree_parts(self, removed: bool) -> tuple[list[str], list[str], np.ndarray, float, Any]:
        """Each country's oxide output of each rare earth in the figures (before any factor):
        countries, elements, the (countries, elements) matrix, the world row's rest beyond
        the countries when the year is given in part (else 0), and its element split."""
        key = ("ree parts", removed)
        if key not in self._cache:
            sel = self._commodity("REE", "mining")
            named_rows = sel[sel["country"] != WORLD]
            rows = named_rows[named_rows["amount"].notna()]
            world = sel.loc[sel["country"] == WORLD, "amount"].dropna()
            named = float(named_rows["amount"].sum())
            rest = float(world.iloc[0]) - named if len(world) else 0.0
            if removed:
                rows = rows[~rows["country"].isin(self.gone("mining"))]
            year = self.data_year or self.year
            mix, ores = self.tables.country_ores, self.tables.ore_types
            partial = rest > 0.005 * named  # more than the world row's rounding
            if self.carried.base is None and not partial:  # the figures: share the frame
                frame = self.element_output(removed=removed)
            else:
                frame = element_output(rows[["country", "amount"]], mix, ores, year)
            countries, elements, matrix = _pivot(frame, ["amount"])
            split = None
            if partial:  # a year given in part: the rest in the mix of the countries given
                whole = element_output(named_rows[["country", "amount"]].dropna(), mix, ores, year)
                split = whole.groupby("element", sort=False)["amount"].sum() / named
            else:
                rest = 0.0
            self._cache[key] = (countries, elements, matrix[:, 0], rest, split)
        parts: tuple[list[str], list[str], np.ndarray, float, Any] = self._cache[key]
        return parts

    def _unrecorded_parts(
        self, commodity: str, removed: bool
    ) -> tuple[np.ndarray, list[str], np.ndarray, list[str]]:
        """The rows of ``unrecorded.csv`` that apply (as :meth:`unrecorded_output` takes
        them) in two parts: the amounts held, shape (3, elements), and the shares of a
        country's recorded output, shape (3, countries, elements) [t], to be grown with the
        country; the countries and the elements (the rare earths of the ore split, else the
        commodity's one)."""
        key = ("unrecorded parts", commodity, removed)
        if key in self._cache:
            hit: tuple[np.ndarray, list[str], np.ndarray, list[str]] = self._cache[key]
            return hit
        table = self.tables.unrecorded
        parts: list[dict[str, Any]] = []
        if self.unrecorded and commodity in set(table["commodity"]):
            rows = table[table["commodity"] == commodity]
            rows = rows[rows["year"] <= (self.data_year or self.year)]
            if removed:
                rows = rows[~rows["country"].isin(self.gone("mining"))]
            if not rows.empty:
                rows = rows[rows["year"] == rows.groupby("country")["year"].transform("max")]
            recorded = {}
            if not rows.empty and rows["share"].notna().any():
                sel = self._commodity(commodity, "mining")
                recorded = dict(zip(sel["country"], sel["amount"].fillna(0.0), strict=True))
            for r in rows.to_dict("records"):
                row = dict.fromkeys(_PARTS, 0.0)
                if r["share"] == r["share"]:  # a share of the country's recorded output
                    base = float(recorded.get(r["country"], 0.0))
                    for k, c in zip(
                        _SHARE_PARTS, ("share_low", "share", "share_high"), strict=True
                    ):
                        row[k] = float(r[c]) * base
                else:  # an amount: held in later years
                    row.update(
                        {k: float(r[c]) for k, c in zip(_HELD_PARTS, _LOW_C_HIGH, strict=True)}
                    )
                parts.append({"country": r["country"], "ore_type": r["ore_type"], **row})
        frame = pd.DataFrame(parts, columns=["country", "ore_type", *_PARTS])
        if commodity == "REE" and parts:  # held and carried split alike, in one pass
            year = self.data_year or self.year
            frame = element_output(frame, self.tables.country_ores, self.tables.ore_types, year)
        else:
            frame = frame.drop(columns="ore_type").assign(element=commodity)
        countries, elements, values = _pivot(frame, list(_PARTS))
        held = values[:, :3].sum(axis=0)  # (3, elements)
        scaled = values[:, 3:].transpose(1, 0, 2)  # (3, countries, elements)
        self._cache[key] = (held, countries, scaled, elements)
        return held, countries, scaled, elements


def _pivot(frame: pd.DataFrame, values: list[str]) -> tuple[list[str], list[str], np.ndarray]:
    """Rows of (country, element, values...) as countries, elements and an array of shape
    (countries, len(values), elements), rows of the same country and element added up."""
    countries = [str(c) for c in dict.fromkeys(frame["country"])]
    elements = [str(e) for e in dict.fromkeys(frame["element"])]
    out = np.zeros((len(countries), len(values), len(elements)))
    ci = [countries.index(str(c)) for c in frame["country"]]
    ei = [elements.index(str(e)) for e in frame["element"]]
    for k, v in enumerate(values):
        np.add.at(out[:, k, :], (ci, ei), frame[v].to_numpy(dtype=float))
    return countries, elements, out
