"""The uncertain lines of a Monte Carlo by height: their drawn parameters (:class:`Params`)
and one :class:`Level` per slice of a height, with the links the sampler multiplies
(:mod:`mineralcalc.engine.plan` builds them, :mod:`mineralcalc.engine.montecarlo` solves them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["SLICE_LINES", "Level", "Params", "dense_or_sparse", "params_of", "slices_of"]


def dense_or_sparse(m: sp.spmatrix) -> np.ndarray | sp.csr_matrix:
    """Small or dense-enough matrices multiply faster as dense arrays (BLAS)."""
    size = m.shape[0] * m.shape[1]
    if size <= 1_000_000 and (size <= 4096 or m.nnz >= 0.05 * size):
        return np.asarray(m.toarray())
    return sp.csr_matrix(m)


@dataclass(frozen=True, eq=False)
class Params:
    """The drawn parameters of one kind (amount, yield, recycled) of a height's lines."""

    pos: np.ndarray  # position of the line in the height's lines
    lo: np.ndarray
    c: np.ndarray
    hi: np.ndarray
    code: np.ndarray


@dataclass(frozen=True, eq=False)
class Level:
    """The uncertain lines whose heads share one height, and how to solve them."""

    lines: np.ndarray  # graph line index of each line
    heads: np.ndarray  # head (into H) of each line
    scatter: sp.csr_matrix  # (kids of the height, lines): the child each line feeds
    x_kids: np.ndarray  # (kids, E): deterministic element contents of the children
    below: np.ndarray  # heads the children reach
    g_kids: np.ndarray | sp.csr_matrix  # (below, kids): deterministic links into those heads
    first: int  # stream row of the height's first parameter
    amount: Params
    yields: Params
    recycled: Params
    amount0: np.ndarray  # central amount of each line (balance resolved)
    inv_y0: np.ndarray
    r0: np.ndarray
    yearly: np.ndarray  # positions of (non-balance) lines whose amount changes by year
    by_year: np.ndarray  # positions of every line whose coefficient changes by year
    static: np.ndarray  # the other positions
    scatter_by_year: sp.csr_matrix  # (their children, by_year): the child each line feeds
    x_by_year: np.ndarray  # (their children, E)
    g_by_year: np.ndarray | sp.csr_matrix  # (below, their children)
    scatter_static: sp.csr_matrix
    by_year_reaches: bool  # whether the children of by_year lines lead to heads below
    yearly_bounds: np.ndarray  # (3, yearly, Y) in the engine's units
    yearly_row: np.ndarray  # stream row (within the height) of each yearly line's draw, -1 none
    yearly_code: np.ndarray
    balance: np.ndarray  # positions of balance lines
    bal_sib: sp.csr_matrix  # (balance, lines): the siblings of each balance line
    bal_fixed: np.ndarray  # sum of each balance line's siblings that are not uncertain
    pert_rows: np.ndarray  # rows (within the height) drawn as beta variates
    pert_shape: tuple[np.ndarray, np.ndarray]

    @property
    def size(self) -> int:
        return self.amount.pos.size + self.yields.pos.size + self.recycled.pos.size


def params_of(
    lines: np.ndarray,
    mask: np.ndarray,
    bounds: np.ndarray,
    order: tuple[int, int, int],
    code_of: dict[int, int],
) -> Params:
    """The drawn parameters among ``lines``: where ``mask``, with bounds ``bounds[order]``."""
    sel = np.flatnonzero(mask[lines])
    ln = lines[sel]
    lo, c, hi = (bounds[k][ln] for k in order)
    return Params(sel, lo, c, hi, np.array([code_of[int(i)] for i in ln], dtype=np.int64))


SLICE_LINES = 1024
"""Most uncertain lines solved at once: the lines of a height come in slices of whole heads,
which bounds a chunk's working memory in catalogs of tens of thousands of lines."""


def slices_of(height: np.ndarray, head_of: np.ndarray) -> list[np.ndarray]:
    """Positions (in U) of the lines of each height, top down, in slices of whole heads of at
    most :data:`SLICE_LINES` lines (a head with more is a slice of its own). Heads of one height
    never feed each other, so the slices of a height may be solved one after another."""
    out = []
    for h in np.unique(height)[::-1]:
        at = np.flatnonzero(height[head_of] == h)
        at = at[np.argsort(head_of[at], kind="stable")]
        starts = np.flatnonzero(np.r_[True, head_of[at][1:] != head_of[at][:-1]])
        cut, size = [0], 0
        for a, b in zip(starts, [*starts[1:], at.size], strict=True):
            if size and size + (b - a) > SLICE_LINES:
                cut.append(int(a))
                size = 0
            size += b - a
        out += [np.sort(at[x:y]) for x, y in zip(cut, [*cut[1:], at.size], strict=True)]
    return out
