"""The deterministic explosion: element contents of every item, with exact interval bounds.

The total element content of every item is the Leontief inverse applied to the element
leaves, ``X = (I - A)^-1 S``; for an acyclic graph it is solved exactly, level by level: one
vectorised segment sum per level gives all of its items (``X[level] = A[level, :] @ X``, each
parent's lines contiguous, via ``numpy.add.reduceat``). No Python recursion over items, no
pint in the loop.

Interval bounds
---------------
Every amount and every inverse yield enters the intensity multilinearly with a
non-negative coefficient, so without balance parts the low bound is the all-low corner (low
amounts, high yields) and the high bound the all-high corner; both are exact. A balance
part ``b = 1 - sum(siblings)`` moves against its siblings: for a target (an element or a
weighted group), raising a sibling ``j`` of a balance part changes the target by
``x_j / y_j - x_b / y_b`` per unit of ``j``, where ``x`` are the children's target
contents. That sign does not depend on the product, so one corner per target and sign
pattern serves every product. The sign is taken at the central values; the bounds are
exact whenever it does not change inside the box (always so when a balance part's element
is not also inside its siblings in uncertain amounts, as for Fe in NdFeB).

References
----------
Leontief, W. (1970) Environmental repercussions and the economic structure.
*Rev. Econ. Stat.* 52(3), 262-271. https://doi.org/10.2307/1926294

Heijungs, R., Suh, S. (2002) *The Computational Structure of Life Cycle Assessment*,
Kluwer, ch. 2. https://doi.org/10.1007/978-94-015-9900-9
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp

from ..model.graph import CENTRAL, HIGH, LOW, Graph

__all__ = ["bounds", "central", "closure_to", "explode"]


def explode(graph: Graph, coef: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve ``X = A X + S`` for the target contents of every item.

    Parameters
    ----------
    coef : ndarray, shape (L,)
        Coefficient of each line (amount x inverse yield, balance already resolved).
    rhs : ndarray, shape (T, K)
        Content of each leaf column in each of K targets (identity for elements).

    Returns
    -------
    ndarray, shape (n_items, K)
        Target contents per basis-unit of every item.
    """
    x = np.zeros((graph.n_items, rhs.shape[1]))
    x[graph.leaves] = rhs
    for lv in graph.levels:
        # each parent's lines are contiguous: segment sums of coefficient x child content
        contrib = coef[lv.lines][:, None] * x[lv.indices]
        x[lv.rows] = np.add.reduceat(contrib, lv.indptr[:-1], axis=0)
    return x


def central(graph: Graph, rhs: np.ndarray, basis: str = "mined") -> np.ndarray:
    """Central target contents of every item, shape (n_items, K)."""
    a = graph.amounts_at(graph.amount[CENTRAL])
    return explode(graph, a * graph.factors(basis)[CENTRAL], rhs)


def bounds(
    graph: Graph, rhs: np.ndarray, central: np.ndarray, basis: str = "mined"
) -> tuple[np.ndarray, np.ndarray]:
    """Exact low and high target contents of every item (see the module notes).

    Parameters
    ----------
    rhs : ndarray, shape (T, K)
        Leaf contents of each target.
    central : ndarray, shape (n_items, K)
        :meth:`central` for the same ``rhs`` and ``basis``, which decides the balance
        directions.
    basis : str
        One of :data:`BASES`.

    Returns
    -------
    low, high : ndarray, shape (n_items, K)
    """
    k = rhs.shape[1]
    f = graph.factors(basis)
    low = np.empty((graph.n_items, k))
    high = np.empty((graph.n_items, k))
    if graph.balance_siblings.size == 0:
        groups = [(np.arange(k), np.zeros(0, dtype=bool))]
    else:
        u = f[CENTRAL]
        j, b = graph.balance_siblings, graph.balance_of_sibling
        d = central[graph.child[j]] * u[j, None] - central[graph.child[b]] * u[b, None]
        falls = d < 0  # (J, K): raising sibling j lowers the target
        sig, inverse = np.unique(falls.T, axis=0, return_inverse=True)
        groups = [(np.flatnonzero(inverse.ravel() == g), sig[g]) for g in range(len(sig))]
    for cols, falls_g in groups:
        a_lo, a_hi = graph.amount[LOW].copy(), graph.amount[HIGH].copy()
        if falls_g.size:
            flip = graph.balance_siblings[falls_g]
            a_lo[flip], a_hi[flip] = graph.amount[HIGH][flip], graph.amount[LOW][flip]
        sub = rhs[:, cols]
        low[:, cols] = explode(graph, graph.amounts_at(a_lo) * f[LOW], sub)
        high[:, cols] = explode(graph, graph.amounts_at(a_hi) * f[HIGH], sub)
    return low, high


def closure_to(graph: Graph, coef: np.ndarray, keys: np.ndarray) -> sp.csr_matrix:
    """Sparse ``G[:, keys]``: each item's deterministic content of the items ``keys``.

    ``X = R + A X`` level by level (each level's rows depend only on lower ones), with ``R``
    the unit injection at the keys; the cost is the levels times the entries of ``X``.
    """
    import scipy.sparse as sp  # here, not at import: the cold start of a report avoids it

    n, k = graph.n_items, keys.size
    x = sp.csr_matrix((np.ones(k), (keys, np.arange(k))), shape=(n, k))
    live = coef != 0
    for lv in graph.levels:
        sel = live[lv.lines]
        if not sel.any():
            continue
        owner = np.repeat(lv.rows, np.diff(lv.indptr))[sel]
        a = sp.csr_matrix((coef[lv.lines][sel], (owner, lv.indices[sel])), shape=(n, n))
        x = x + a @ x
    return x.tocsr()
