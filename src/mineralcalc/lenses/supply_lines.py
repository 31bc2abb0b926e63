"""Supply beyond recorded mine output, line by line: unrecorded output and recycling.

Mixed into :class:`~mineralcalc.lenses.supply.Supply` above the element-level mine output of
:mod:`mineralcalc.lenses.supply_elements`. **Unrecorded output** (``unrecorded.csv``) is what the
recorded statistics leave out, a row per country with a range: rare earths split by the ore
type the row names, else by the country's mix; a share is of the country's recorded output
(it grows with it in a projected year), an amount is held. **Secondary supply**
(``secondary.csv``) is recycled process scrap (``new scrap``) and end-of-life products, as a
mass or a share of the element's recorded output.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..data.supply_tables import stage_name
from ..elements import OXIDES
from .ores import element_output
from .supply_elements import ELEMENT_OF, STAGE_OF, ElementSupply, commodity_of

__all__ = ["SupplyLines"]

_LCH = ("low", "amount", "high")
_SHARES = ("share_low", "share", "share_high")


class SupplyLines(ElementSupply):
    """Unrecorded and secondary supply (mixed into :class:`~mineralcalc.lenses.supply.Supply`)."""

    def unrecorded_output(self, *, removed: bool = True) -> pd.DataFrame:
        """Unrecorded rare-earth output by country and element (``unrecorded.csv``).

        A row's oxide is split by the ore type it names, else by the country's mix; a share
        is of the country's recorded output (so it grows with it in a projected year), an
        amount is held. Empty when the supply is :meth:`recorded` only.

        Returns
        -------
        DataFrame
            Columns ``country``, ``element``, ``low``, ``amount``, ``high`` [t of the
            element's oxide], ``source``.
        """
        return self._unrecorded_rows("REE", removed)

    def _unrecorded_rows(self, commodity: str, removed: bool) -> pd.DataFrame:
        key = ("unrecorded rows", commodity, removed)
        if key not in self._cache:
            self._cache[key] = self._split_unrecorded(commodity, removed)
        value: pd.DataFrame = self._cache[key]
        return value

    def _split_unrecorded(self, commodity: str, removed: bool) -> pd.DataFrame:
        cols = ["country", "element", "low", "amount", "high", "source"]
        table = self.tables.unrecorded
        if not self.unrecorded or commodity not in set(table["commodity"]):
            return pd.DataFrame(columns=cols)
        rows = table[table["commodity"] == commodity]
        year = self.data_year or self.year
        rows = rows[rows["year"] <= year]
        if removed:
            rows = rows[~rows["country"].isin(self.gone("mining"))]
        if rows.empty:
            return pd.DataFrame(columns=cols)
        rows = rows[rows["year"] == rows.groupby("country")["year"].transform("max")]
        recorded = {}
        if rows["share"].notna().any():
            sel = self._commodity(commodity, "mining")
            recorded = dict(zip(sel["country"], sel["amount"].fillna(0.0), strict=True))
        out = []
        for r in rows.to_dict("records"):
            if r["share"] == r["share"]:  # a share of the country's recorded output, carried
                f = self.carried.factor(commodity, str(r["country"]))
                base = float(recorded.get(r["country"], 0.0)) * f
                lo, c, hi = (float(r[k]) * base for k in ("share_low", "share", "share_high"))
            else:  # an amount: held in later years (no outlook says how it grows)
                lo, c, hi = (float(r[k]) for k in ("low", "amount", "high"))
            out.append(
                {
                    "country": r["country"],
                    "ore_type": r["ore_type"],
                    "amount": c,
                    "low": lo,
                    "high": hi,
                    "source": r["source"],
                }
            )
        frame = pd.DataFrame(out)
        if commodity != "REE":
            return frame.assign(element=ELEMENT_OF.get(commodity, commodity))[cols]
        split = element_output(
            frame[["country", "ore_type", "amount", "low", "high"]],
            self.tables.country_ores,
            self.tables.ore_types,
            year,
        )
        sources = frame.groupby("country")["source"].agg(lambda v: ";".join(sorted(set(v))))
        return split.assign(source=split["country"].map(sources))[cols]

    def unrecorded_by_element(self) -> dict[str, tuple[float, float, float]]:
        """Unrecorded oxide output of each rare earth [t]: {element: (low, central, high)}."""
        key = ("unrecorded by element",)
        if key not in self._cache:
            sums = (
                self.unrecorded_output()
                .groupby("element", sort=False)[["low", "amount", "high"]]
                .sum()
            )
            self._cache[key] = {
                str(el): (float(r["low"]), float(r["amount"]), float(r["high"]))
                for el, r in sums.iterrows()
            }
        value: dict[str, tuple[float, float, float]] = self._cache[key]
        return value

    def unrecorded_element(self, symbol: str, stage: str = "mining") -> tuple[float, float, float]:
        """Unrecorded primary supply of one element [t metal]: (low, central, high).

        Rare earths from :meth:`unrecorded_output` (times the element's share of a later stage
        left, :meth:`stage_factor`);
        other elements from their commodity's rows of ``unrecorded.csv`` (mine output only:
        a refinery's recorded output already holds whatever ore it was fed). Zeros when there
        is none or the supply is :meth:`recorded` only.
        """
        stage = stage_name(stage)
        key = ("unrecorded", symbol, stage)
        if key in self._cache:
            value: tuple[float, float, float] = self._cache[key]
            return value
        commodity = commodity_of(symbol)
        out = (0.0, 0.0, 0.0)
        if commodity == "REE":
            whole = self.unremoved() if stage != "mining" else self
            f = OXIDES[symbol].metal_fraction * (
                self.stage_factor(symbol, stage) if stage != "mining" else 1.0
            )
            out = tuple(v * f for v in whole.unrecorded_by_element().get(symbol, out))  # type: ignore[assignment]
        elif commodity is not None and stage == "mining" and symbol not in STAGE_OF:
            frame = self._unrecorded_rows(commodity, True)
            out = tuple(float(frame[c].sum()) for c in ("low", "amount", "high"))  # type: ignore[assignment]
        self._cache[key] = out
        return out

    def group_unrecorded(
        self, symbols: Iterable[str], stage: str = "mining"
    ) -> tuple[float, float, float]:
        """Unrecorded REO of a group of rare earths [t]: (low, central, high); at a later
        stage, each member's times its share of the stage left (:meth:`stage_factor`)."""
        members = set(symbols)
        stage = stage_name(stage)
        whole = self.unremoved() if stage != "mining" else self
        frame = whole.unrecorded_output()
        rows = frame[frame["element"].isin(members)]
        factors = {el: self.stage_factor(el, stage) for el in set(rows["element"])}
        f = rows["element"].map(factors).to_numpy(dtype=float)  # each element's own share left
        lo, c, hi = (
            float((rows[k].to_numpy(dtype=float) * f).sum()) for k in ("low", "amount", "high")
        )
        return lo, c, hi

    # ---------------------------------------------------------------- secondary
    def secondary(self, symbol: str, kind: str | None = None) -> tuple[float, float, float]:
        """Recycled supply of one element this year [t metal]: (low, central, high).

        Parameters
        ----------
        symbol : str
            An element.
        kind : {'new scrap', 'end of life'}, optional
            Default: both. ``new scrap`` is process scrap (magnet swarf) recycled within the
            year; ``end of life`` is recycled from discarded products.

        Rows of ``secondary.csv`` give a mass (converted from oxide with the element's metal
        fraction) or a share of the element's primary output. The year's rows are used, else
        the latest earlier year's (projections carry them unchanged). Removed countries'
        rows are left out.
        """
        key = ("secondary", symbol, kind)
        if key not in self._cache:
            self._cache[key] = self._secondary(symbol, kind)
        value: tuple[float, float, float] = self._cache[key]
        return value

    def _secondary(self, symbol: str, kind: str | None) -> tuple[float, float, float]:
        out, shares = self.secondary_parts(symbol, kind)
        if shares is not None:
            primary, _, _ = self.element(symbol)
            primary = 0.0 if primary != primary else primary
            for k in range(3):
                out[k] += shares[k] * primary
        return (out[0], out[1], out[2])

    def secondary_parts(
        self, symbol: str, kind: str | None = None
    ) -> tuple[list[float], list[float] | None]:
        """:meth:`secondary` in two parts: the masses (low, central, high) [t metal], and the
        shares of the element's primary output (low, central, high) [fraction], ``None``
        without any; :meth:`secondary` is the masses plus the shares times
        :meth:`element`'s mine output of this year (its figures carried as it carries them).
        """
        key = ("secondary parts", kind)
        if key not in self._cache:  # one pass over the table for every element
            self._cache[key] = self._secondary_table(kind)
        masses, shares = self._cache[key].get(symbol, ((0.0, 0.0, 0.0), None))
        return list(masses), None if shares is None else list(shares)

    def _secondary_table(self, kind: str | None) -> dict[str, tuple[Any, Any]]:
        """:meth:`secondary_parts` of every element of ``secondary.csv``: each element's rows
        of the latest year up to this year's figures, removed countries left out."""
        table = self.tables.secondary
        if table.empty:
            return {}
        rows = table[~table["country"].isin(self.removed)]
        if kind is not None:
            rows = rows[rows["kind"] == kind]
        rows = rows[rows["year"] <= (self.data_year or self.year)]
        years = rows["year"].to_numpy()
        cols = {c: rows[c].to_numpy(dtype=float) for c in (*_LCH, *_SHARES)}
        basis = rows["basis"].to_numpy()
        at: dict[str, list[int]] = {}
        for k, el in enumerate(rows["element"]):
            at.setdefault(str(el), []).append(k)
        out: dict[str, tuple[Any, Any]] = {}
        for symbol, idx in at.items():
            latest = max(years[k] for k in idx)
            sel = np.array([k for k in idx if years[k] == latest])
            metal = OXIDES[symbol].metal_fraction if symbol in OXIDES else 1.0
            per = {"oxide": metal, "metal": 1.0}
            factor = np.array([per.get(b, np.nan) for b in basis[sel]], dtype=float)
            masses = tuple(
                float((np.where(np.isnan(cols[c][sel]), 0.0, cols[c][sel]) * factor).sum())
                for c in _LCH
            )
            given = sel[~np.isnan(cols["share"][sel])]
            shares = None
            if len(given):
                shares = tuple(
                    float(np.where(np.isnan(cols[c][given]), 0.0, cols[c][given]).sum())
                    for c in _SHARES
                )
            out[symbol] = (masses, shares)
        return out
