"""The draws of a Monte Carlo: what is drawn, in which blocks, the exact means, the memory it
takes, and the checks of ``samples``, ``seed`` and ``max_memory``.

What is drawn
-------------
* Each uncertain part line's amount, yield and recycled fraction is one parameter, drawn
  **once per sample** and used by every product that reaches the line (one magnet
  composition moves all the products that contain that magnet together).
* A balance part is 1 minus its siblings **of the same draw**, so fractions never pass 100 %.
* A product's volume is one parameter for all its years, so a sampled trajectory stays high
  (or low) throughout.
* Draws map uniform numbers through each parameter's inverse CDF
  (:mod:`mineralcalc.distributions`). The uniform numbers come in blocks of
  :data:`BLOCK` samples, block ``k`` from ``SeedSequence(seed, spawn_key=(k,))``: the same
  seed gives the same numbers whatever the chunk size or memory budget.

The numbers are computed by :class:`~mineralcalc.engine.montecarlo.Sampler`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import MineralcalcError, VolumeError
from ..estimate import parse_amount
from ..model.graph import CENTRAL, HIGH, LOW, Graph
from .distributions import CODES, mean, reciprocal_mean

__all__ = [
    "BLOCK",
    "CHUNK_BYTES",
    "KEEP_BYTES",
    "MAX_MEMORY",
    "MAX_SAMPLES",
    "SampledDemand",
    "mean_coefficients",
    "memory_budget",
    "memory_estimate",
    "reachable",
    "reachable_columns",
    "sample_count",
    "sample_seed",
]

BLOCK = 1024
"""Samples per block of uniform numbers (each block has its own seed); a chunk is one or more
blocks, so never fewer samples than this are computed at once (but the last)."""
CHUNK_BYTES = 16 * 2**20
"""Working memory per chunk [bytes]; a chunk holds at least one block."""
KEEP_BYTES = 256 * 2**20
"""Sampled totals are kept up to this size (beyond it, streamed summaries: see
:mod:`mineralcalc.results.summaries`); per-product samples (``Demand.to_frame``'s p5/p50/p95)
are drawn again only up to it."""
MAX_MEMORY = 2 * 2**30
"""Default budget for a sampled run [bytes]: a request estimated above it is refused up front."""
MAX_SAMPLES = 10_000_000
"""The most Monte Carlo samples a run may ask for."""
_BASE_BYTES = 256 * 2**20  # the interpreter, numpy, pandas and the catalog, measured ~200 MB


def memory_estimate(kept: int, working: int = CHUNK_BYTES) -> int:
    """Peak memory of a sampled run [bytes], an upper estimate.

    What the demand keeps (``kept``: the totals, float32 samples x elements x years, up to
    :data:`KEEP_BYTES`, else its streamed summaries), twice the working memory of a chunk
    (``working``: :meth:`Plan.chunk_bytes <mineralcalc.engine.plan.Plan.chunk_bytes>`, one
    block at least, so more than :data:`CHUNK_BYTES` for a catalog with tens of thousands of
    uncertain lines), and the process itself.
    """
    return kept + 2 * max(working, CHUNK_BYTES) + _BASE_BYTES


# --------------------------------------------------------------------------- arguments
def memory_budget(value: int | str | None) -> int:
    """A memory budget [bytes] from ``max_memory``: a number of bytes, or ``"2 GiB"``,
    ``"500 MB"``; None is :data:`MAX_MEMORY`.

    Raises
    ------
    VolumeError
        Not an amount of memory, or not above zero (naming ``max_memory`` and the value).
    """
    if value is None:
        return MAX_MEMORY
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        amount = float(value)
    else:
        try:
            amount = parse_amount(value).values("byte")[1]
        except MineralcalcError as e:
            raise VolumeError(
                f"max_memory {value!r} is not an amount of memory (e.g. '2 GiB', '500 MB'): {e}"
            ) from None
    if not amount > 0:
        raise VolumeError(f"max_memory must be above zero, got {value!r}")
    return int(amount)


def sample_count(samples: Any) -> int:
    """A number of Monte Carlo draws: a whole number from 1 to :data:`MAX_SAMPLES`.

    Raises
    ------
    VolumeError
        Naming ``samples`` and the value.
    """
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise VolumeError(f"samples must be a whole number of draws >= 1, got {samples!r}")
    if samples > MAX_SAMPLES:
        raise VolumeError(f"samples={samples:,} is more than {MAX_SAMPLES:,}; use fewer")
    return int(samples)


def sample_seed(seed: Any) -> int | None:
    """A random seed: a whole number >= 0, or None (fresh entropy).

    Raises
    ------
    VolumeError
        Naming ``seed`` and the value.
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise VolumeError(f"seed must be a whole number >= 0 (or None), got {seed!r}")
    return int(seed)


@dataclass
class SampledDemand:
    """Monte Carlo results kept by a :class:`~mineralcalc.results.demand.Demand`.

    Attributes
    ----------
    n : int
        Number of samples.
    totals : ndarray, shape (elements, years, n), float32, or None
        Demand of each element [kg] summed over products, per sample (float32: a relative
        precision of 6e-8, and half the memory); kept up to :data:`KEEP_BYTES`.
    columns : tuple of str
        Element symbol of each column.
    mean_per_product : ndarray, shape (products, elements, years)
        Exact mean demand per product [kg] (:func:`mean_coefficients`).
    seed : int
    summaries : Summaries or None
        Streamed histograms and moments, when the totals are not kept
        (:class:`mineralcalc.results.summaries.Summaries`).
    """

    n: int
    totals: np.ndarray | None
    columns: tuple[str, ...]
    mean_per_product: np.ndarray
    seed: int
    summaries: Any = None


# --------------------------------------------------------------------------- reachability
def reachable(graph: Graph, rows: np.ndarray) -> np.ndarray:
    """Boolean mask of the items reachable from ``rows`` (themselves included)."""
    seen = np.zeros(graph.n_items, dtype=bool)
    seen[rows] = True
    frontier = np.unique(rows)
    by_parent = np.argsort(graph.parent, kind="stable")
    ptr = np.searchsorted(graph.parent[by_parent], np.arange(graph.n_items + 1))
    while frontier.size:
        counts = ptr[frontier + 1] - ptr[frontier]
        if not counts.sum():
            break
        starts = np.repeat(ptr[frontier] - np.cumsum(counts) + counts, counts)
        kids = graph.child[by_parent[starts + np.arange(int(counts.sum()))]]
        new = np.unique(kids[~seen[kids]])
        seen[new] = True
        frontier = new
    return seen


def reachable_columns(graph: Graph, rows: np.ndarray, columns: Sequence[str]) -> tuple[str, ...]:
    """The element columns (of ``columns``, one per leaf) that the items ``rows`` reach."""
    keep = reachable(graph, rows)
    return tuple(c for c, leaf in zip(columns, graph.leaves, strict=True) if keep[leaf])


# --------------------------------------------------------------------------- parameters
def codes(dists: Sequence[str], lines: np.ndarray) -> np.ndarray:
    return np.array([CODES[dists[int(i)]] if i >= 0 else 0 for i in lines], dtype=np.int64)


def mean_coefficients(
    graph: Graph, dists: Sequence[Sequence[str]], basis: str = "mined"
) -> np.ndarray:
    """Exact mean coefficient of every line (amount x loss factor), shape (L,).

    ``E[amount]`` (a balance line: 1 minus its siblings' means) times ``E[f]``, with
    ``f = 1 / yield`` (``gross``), ``1 / yield - recycled (1 / yield - 1)`` (``mined``,
    linear in the two independent draws) or 1 (``contained``).
    """
    amount_d, yield_d, recycled_d = dists
    n = graph.parent.size
    every = np.arange(n)
    a = mean(graph.amount[LOW], graph.amount[CENTRAL], graph.amount[HIGH], codes(amount_d, every))
    a = graph.amounts_at(a)
    if basis == "contained":
        return a
    y_lo, y_c, y_hi = (1.0 / graph.inv_yield[k] for k in (HIGH, CENTRAL, LOW))
    inv_y = reciprocal_mean(y_lo, y_c, y_hi, codes(yield_d, every))
    if basis == "gross":
        return np.asarray(a * inv_y)
    r = graph.recycled
    r_mean = mean(r[LOW], r[CENTRAL], r[HIGH], codes(recycled_d, every))
    return a * (inv_y - r_mean * (inv_y - 1.0))
