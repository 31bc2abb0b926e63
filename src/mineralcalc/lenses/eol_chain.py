"""The end-of-life chain of a stock-flow model: which rows of ``recycling.csv`` (or which of
a scenario's ``[recycling]`` rates) set each stage
(:data:`~mineralcalc.data.stock_tables.EOL_STAGES`) for each product, element and year, and
the product of the stages.

A row names a product and an element, or ``*`` for all; the most specific row wins (the
product's row for the element, the product's for every element, every product's for the
element, then every product's for every element). A stage given by year (a regulation's
targets) is linear between its years and held before the first and after the last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

from ..data.stock_tables import EOL_STAGES, StockTables

__all__ = ["Chain", "RatePath", "chain_rates", "end_of_life_chain"]


def _match(rows: dict[tuple[str, str, str], list[int]], stage: str, pid: str, el: str) -> list[int]:
    """Positions of the most specific rows of ``recycling.csv`` for a stage, product and
    element (a rate of every year, or a path's rows by year; empty for none); ``rows`` maps
    (stage, product, element) to its positions."""
    for p, e in ((pid, el), (pid, "*"), ("*", el), ("*", "*")):
        if (stage, p, e) in rows:
            return rows[(stage, p, e)]
    return []


@dataclass(frozen=True)
class RatePath:
    """A stage's rates from ``recycling.csv`` by product, element and year: the rate of year
    ``t`` is ``(1 - w) x row lo + w x row hi`` (positions in the table, -1 for no row: a rate
    of 0). Shapes (P, E, T)."""

    lo: np.ndarray
    hi: np.ndarray
    w: np.ndarray


def _path(
    positions: list[int], years_of_rows: np.ndarray, years: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lo, hi, w) over ``years`` for one product and element: linear between the years of a
    path's rows, held before the first and after the last; one row of every year is itself."""
    n_t = len(years)
    if not positions:
        return np.full(n_t, -1), np.full(n_t, -1), np.zeros(n_t)
    if len(positions) == 1 and np.isnan(years_of_rows[positions[0]]):
        return np.full(n_t, positions[0]), np.full(n_t, positions[0]), np.zeros(n_t)
    order = sorted(positions, key=lambda i: years_of_rows[i])
    at = years_of_rows[order]
    k = np.clip(np.searchsorted(at, years, side="right") - 1, 0, len(order) - 1)
    k1 = np.minimum(k + 1, len(order) - 1)
    span = at[k1] - at[k]
    w = np.where(span > 0, np.clip((years - at[k]) / np.where(span > 0, span, 1.0), 0, 1), 0.0)
    idx = np.asarray(order)
    return idx[k], idx[k1], w


def end_of_life_chain(
    tables: StockTables,
    recycling: Any,
    products: list[str],
    elements: list[str],
    years: list[int],
) -> tuple[Chain, set[str]]:
    """The end-of-life chain stage by stage, and the sources of its rates.

    A stage is the scenario's rate in each year (floats, shape (T,)), or a :class:`RatePath` of
    the rows of ``recycling.csv`` that set it for each product, element and year (a stage
    with no row and no scenario rate counts as 0, nothing recycled).
    """
    table = tables.recycling
    by_key: dict[tuple[str, str, str], list[int]] = {}
    for k, key in enumerate(zip(table["stage"], table["product"], table["element"], strict=True)):
        by_key.setdefault(key, []).append(k)  # a rate of every year, or a path's years
    row_years = table["year"].to_numpy(dtype=float)
    t = np.asarray(years, dtype=float)
    stages: Chain = []
    sources: set[str] = set()
    for stage in EOL_STAGES:
        set_by_scenario = recycling.at(stage, years) if recycling is not None else None
        if set_by_scenario is not None:
            stages.append(np.asarray(set_by_scenario, dtype=float))
            if recycling.source:
                sources.add(recycling.source)
            continue
        shape = (len(products), len(elements), len(years))
        lo, hi = np.full(shape, -1, dtype=np.int64), np.full(shape, -1, dtype=np.int64)
        w = np.zeros(shape)
        used: set[int] = set()
        for i, p in enumerate(products):
            for j, e in enumerate(elements):
                rows = _match(by_key, stage, p, e)
                used.update(rows)
                lo[i, j], hi[i, j], w[i, j] = _path(rows, row_years, t)
        sources |= {str(table["source"].iloc[i]) for i in used}
        stages.append(RatePath(lo, hi, w))
    return stages, sources


def chain_rates(chain: Chain, values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """collection x liberation x recovery by product, element and year, ``shape`` (P, E, T).

    ``values``: the rate of each row of ``recycling.csv``, shape (R,), or drawn, (S, R).
    Returns shape (P, E, T), or (S, P, E, T) for drawn values.
    """
    lead = values.shape[:-1]
    out = np.ones((*lead, *shape))
    padded = np.concatenate([values, np.zeros((*lead, 1))], axis=-1)  # -1: no row, rate 0
    for stage in chain:
        if isinstance(stage, RatePath):
            out *= padded[..., stage.lo] * (1 - stage.w) + padded[..., stage.hi] * stage.w
        else:
            out *= stage
    return out


Chain: TypeAlias = "list[np.ndarray | RatePath]"
"""The stages of :func:`end_of_life_chain`, in the order of
:data:`~mineralcalc.data.stock_tables.EOL_STAGES`."""
