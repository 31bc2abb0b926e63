"""The arithmetic of a market balance's rows, on whole arrays.

:func:`~mineralcalc.lenses.market_rows.balance_columns` gathers each cell's inputs (an element
or a group in a year) as :class:`Cells`; :func:`finish` computes what a row holds from them:
demand = modelled + other uses, supply line by line (recorded, unrecorded, recycled scrap, end
of life), shares, the balance and, in a projected year, the shortfall against the outlook.
Only the notes, which are text, are made cell by cell (:func:`row_note`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .supply import Supply, commodity_of

__all__ = ["COLUMNS", "Cells", "finish", "lch", "rate_note", "row_note"]

COLUMNS = (
    "element",
    "year",
    "basis",
    "demand_basis",
    "modelled",
    "modelled_low",
    "modelled_high",
    "other_uses",
    "other_low",
    "other_high",
    "demand",
    "demand_low",
    "demand_high",
    "recorded",
    "unrecorded",
    "unrecorded_low",
    "unrecorded_high",
    "primary",
    "new_scrap",
    "new_scrap_low",
    "new_scrap_high",
    "end_of_life",
    "end_of_life_low",
    "end_of_life_high",
    "secondary",
    "secondary_low",
    "secondary_high",
    "supply",
    "supply_low",
    "supply_high",
    "share",
    "share_low",
    "share_high",
    "modelled_share",
    "balance",
    "headroom",
    "shortfall",
    "modelled_part",
    "supply_year",
    "outlook",
    "note",
)
"""The columns of a market balance, in order (before the spread of a sampled demand)."""

_LCH = ((1, ""), (0, "_low"), (2, "_high"))  # central, low, high: the order of the columns


@dataclass
class Cells:
    """Inputs of the balance for a grid of cells, one per year and element (or group).

    Attributes
    ----------
    modelled, other : ndarray, shape (3, years, n)
        Modelled demand and other uses: low, central, high [t].
    recorded : ndarray, shape (years, n)
        Recorded primary supply [t]; NaN or 0 where there is none.
    unrecorded, scrap, end : ndarray, shape (3, years, n)
        Unrecorded output, recycled new scrap and end-of-life supply: low, central, high [t].
    outlook : ndarray of str, shape (years, n)
        What a projected year's supply follows (``''`` for recorded figures).
    basis : ndarray of str, shape (years, n)
        The basis of the supply figures (``'metal'``, ``'oxide (REO)'`` ...).
    notes : list of list of list of str
        Per year and cell, the notes before the row's own verdict.
    """

    modelled: np.ndarray
    other: np.ndarray
    recorded: np.ndarray
    unrecorded: np.ndarray
    scrap: np.ndarray
    end: np.ndarray
    outlook: np.ndarray
    basis: np.ndarray
    notes: list[list[list[str]]]  # (years, n) lists of notes before the row's own


def lch(done: dict[str, np.ndarray], name: str) -> np.ndarray:
    """A quantity of :func:`finish`'s columns as one array, shape (3, ...): low, central,
    high [t]."""
    return np.stack([done[f"{name}_low"], done[name], done[f"{name}_high"]])


def finish(c: Cells) -> dict[str, np.ndarray]:
    """The numbers of every cell's row, on whole arrays.

    A cell without a recorded figure has no supply (NaN); a recorded 0 is supply (none of a
    rare earth is separated once China's separation is removed), and its share of demand
    is NaN where the whole supply is 0 (demand over nothing); a balance within 1e-9 of
    either side is zero, with no shortfall and no verdict (a market that clears, not a
    rounding error: the other uses of a clearing element are its supply less its modelled
    demand, summed in another order); a shortfall only in a projected year.

    Returns
    -------
    dict of str to ndarray
        The numeric columns of :data:`COLUMNS` [t, shares as fractions], each shape
        (years, n), and ``ok`` (the cell has supply) and ``above`` (demand above supply).
    """
    ok = np.isfinite(c.recorded) & (c.recorded >= 0)
    d = c.modelled + c.other
    unrec, scrap, end = (np.where(ok, v, np.nan) for v in (c.unrecorded, c.scrap, c.end))
    secondary = scrap + end
    supply = np.where(ok, c.recorded + unrec + secondary, np.nan)
    projected = c.outlook.astype(bool)
    gap = d[1] - supply[1]
    balance = np.where(ok, supply[1] - d[1], np.nan)
    larger = np.where(d[1] > supply[1], d[1], supply[1])
    # a market that clears, not a rounding error: no balance, shortfall or verdict
    clears = ok & (np.abs(balance) <= 1e-9 * larger)
    balance = np.where(clears, 0.0, balance)
    short = np.where(ok, np.where((gap > 0) & ~clears, gap, 0.0), np.nan)
    out: dict[str, np.ndarray] = {}
    for name, v in (("modelled", c.modelled), ("other", c.other), ("demand", d)):
        for k, suffix in _LCH:
            key = "other_uses" if name == "other" and not suffix else name + suffix
            out[key] = v[k]
    out["recorded"] = np.where(ok, c.recorded, np.nan)
    for k, suffix in _LCH:
        out["unrecorded" + suffix] = unrec[k]
    out["primary"] = np.where(ok, c.recorded + unrec[1], np.nan)
    for name, v in (
        ("new_scrap", scrap),
        ("end_of_life", end),
        ("secondary", secondary),
        ("supply", supply),
    ):
        for k, suffix in _LCH:
            out[name + suffix] = v[k]
    some = ok & (supply > 0)  # (3, years, n): a share of nothing is no number
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(some[1], d[1] / supply[1], np.nan)
        out["share_low"] = np.where(some[2], d[0] / supply[2], np.nan)
        out["share_high"] = np.where(some[0], d[2] / supply[0], np.nan)
        out["modelled_share"] = np.where(some[1], c.modelled[1] / supply[1], np.nan)
        out["modelled_part"] = np.where(d[1] > 0, c.modelled[1] / d[1], np.nan)
    out["balance"] = balance
    out["headroom"] = balance
    out["shortfall"] = np.where(projected, short, np.nan)
    out["ok"] = ok
    out["above"] = ok & (d[1] > supply[1]) & ~clears
    return out


def row_note(parts: list[str], done: dict[str, np.ndarray], outlook: str, y: int, c: int) -> str:
    """A row's note: what its supply is and follows (``parts``), the other uses, and the
    verdict (no supply data, demand above supply, or the shortfall against ``outlook`` [t/yr]),
    for the cell ``(y, c)`` of :func:`finish`'s columns ``done``."""
    text = [n for n in parts if n]
    if not done["ok"][y, c] and not any("no supply" in n for n in text):
        text.insert(0, "no supply data")
    if done["above"][y, c]:
        short = done["shortfall"][y, c]
        text.append(
            f"supply ({outlook}) falls short by {short:,.0f} t/yr"
            if outlook
            else "demand above supply"
        )
    return "; ".join(text)


def rate_note(how: str, sup: Supply, element_or_commodity: str) -> str:
    """The projection note of a year's supply ``sup`` obtained as ``how``: what the
    commodity behind an element follows, and at what rate (``how`` itself for recorded
    figures)."""
    if not how.startswith("supply projected"):
        return how
    commodity = commodity_of(element_or_commodity)
    if commodity is None:
        return ""
    base = sup.data_year or sup.year
    if sup.carried.outlooks.get(commodity) or "*" in sup.carried.rates:
        return f"{how} along {sup.outlook_of(commodity)}"
    return f"supply held at {base} (no outlook for {commodity})"
