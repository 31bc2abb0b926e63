"""The explosion engine: element intensities of every item, on float64 arrays.

The bill of materials is a directed acyclic graph with a coefficient on every part line
(child basis-units per parent basis-unit, already converted and divided by the line's
yield). The total element content of every item is the Leontief inverse applied to the
element leaves, ``X = (I - A)^-1 S``; for an acyclic graph it is solved exactly, level by
level: items whose children are all solved form the next level, and one vectorised segment
sum per level gives all of them (``X[level] = A[level, :] @ X``, with each parent's lines
contiguous, via ``numpy.add.reduceat``). No Python recursion over items, no pint in the loop.

Bases
-----
A line with a yield below 1 loses ``amount / yield - amount`` per parent unit; a fraction
``recycled`` of that loss returns to the feed in a closed loop (magnet swarf recycled to oxide
within months). Each line's coefficient is ``amount x f``, where the loss factor ``f`` depends
on what the result is to mean (:data:`BASES`):

``contained``
    ``f = 1``: the mass in the products themselves.
``gross``
    ``f = 1 / yield``: what passes through each process, scrap included.
``mined``
    ``f = 1 / yield - recycled x (1 / yield - 1)``: what has to come from new supply, the loop
    netted out. With nothing recycled it equals ``gross``.

``f`` rises with ``1 / yield`` and falls with ``recycled``, so the bounds below hold for
every basis (low: high yield and high recycling).

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

from dataclasses import dataclass, field

import numpy as np

from ..errors import CycleError

__all__ = ["BASES", "Graph", "build_graph"]

LOW, CENTRAL, HIGH = 0, 1, 2

BASES = ("mined", "gross", "contained")
"""What a demand figure means: net of closed loops (``mined``, the default), through the
processes (``gross``), or in the products (``contained``); see the module notes."""


@dataclass(frozen=True, eq=False)
class _Level:
    rows: np.ndarray  # parent item indices solved at this level
    indptr: np.ndarray
    indices: np.ndarray  # child item index of each entry
    lines: np.ndarray  # line index of each entry (to gather coefficients)


@dataclass(frozen=True, eq=False)
class Graph:
    """A compiled bill-of-materials graph.

    Attributes
    ----------
    n_items : int
        Number of items.
    parent, child : ndarray of int, shape (L,)
        Item index of each part line's parent and child.
    amount : ndarray, shape (3, L)
        Low, central, high amount of each line in child basis per parent basis. Balance
        lines hold 0 here; their amount follows from their siblings.
    inv_yield : ndarray, shape (3, L)
        Low, central, high of 1 / yield (the low comes from the high yield).
    recycled : ndarray, shape (3, L)
        Low, central, high fraction of each line's loss recycled in a closed loop.
    balance : ndarray of bool, shape (L,)
        Whether a line is a balance part.
    leaves : ndarray of int, shape (T,)
        Item index of each target leaf (element) column.
    """

    n_items: int
    parent: np.ndarray
    child: np.ndarray
    amount: np.ndarray
    inv_yield: np.ndarray
    balance: np.ndarray
    leaves: np.ndarray
    levels: tuple[_Level, ...]
    height: np.ndarray
    # For balance handling: non-balance lines of parents that have a balance line, and the
    # balance line of each of them.
    _sib: np.ndarray = field(repr=False)
    _sib_balance: np.ndarray = field(repr=False)
    recycled: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((3, 0)))

    def factors(self, basis: str = "mined") -> np.ndarray:
        """Low, central, high loss factor of every line for ``basis``, shape (3, L).

        Raises
        ------
        ValueError
            For a basis that is not one of :data:`BASES` (callers check names first).
        """
        u = self.inv_yield
        if basis == "gross" or (basis == "mined" and not self.recycled.any()):
            return u
        if basis == "contained":
            return np.ones_like(u)
        if basis != "mined":
            raise ValueError(f"basis {basis!r} is not one of {BASES}")
        r = self.recycled
        return np.stack(
            [
                u[LOW] - r[HIGH] * (u[LOW] - 1.0),
                u[CENTRAL] - r[CENTRAL] * (u[CENTRAL] - 1.0),
                u[HIGH] - r[LOW] * (u[HIGH] - 1.0),
            ]
        )

    def amounts_at(self, a: np.ndarray) -> np.ndarray:
        """Line amounts with each balance line set to 1 - the sum of its siblings.

        Parameters
        ----------
        a : ndarray, shape (L,)
            Amounts of the non-balance lines (balance entries are ignored).
        """
        if not self.balance.any():
            return a
        a = a.copy()
        sums = np.bincount(self.parent[self._sib], weights=a[self._sib], minlength=self.n_items)
        bal = np.flatnonzero(self.balance)
        a[bal] = 1.0 - sums[self.parent[bal]]
        return a

    def explode(self, coef: np.ndarray, rhs: np.ndarray) -> np.ndarray:
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
        x = np.zeros((self.n_items, rhs.shape[1]))
        x[self.leaves] = rhs
        for lv in self.levels:
            # each parent's lines are contiguous: segment sums of coefficient x child content
            contrib = coef[lv.lines][:, None] * x[lv.indices]
            x[lv.rows] = np.add.reduceat(contrib, lv.indptr[:-1], axis=0)
        return x

    def central(self, rhs: np.ndarray, basis: str = "mined") -> np.ndarray:
        """Central target contents of every item, shape (n_items, K)."""
        a = self.amounts_at(self.amount[CENTRAL])
        return self.explode(a * self.factors(basis)[CENTRAL], rhs)

    def bounds(
        self, rhs: np.ndarray, central: np.ndarray, basis: str = "mined"
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
        f = self.factors(basis)
        low = np.empty((self.n_items, k))
        high = np.empty((self.n_items, k))
        if self._sib.size == 0:
            groups = [(np.arange(k), np.zeros(0, dtype=bool))]
        else:
            u = f[CENTRAL]
            j, b = self._sib, self._sib_balance
            d = central[self.child[j]] * u[j, None] - central[self.child[b]] * u[b, None]
            falls = d < 0  # (J, K): raising sibling j lowers the target
            sig, inverse = np.unique(falls.T, axis=0, return_inverse=True)
            groups = [(np.flatnonzero(inverse.ravel() == g), sig[g]) for g in range(len(sig))]
        for cols, falls_g in groups:
            a_lo, a_hi = self.amount[LOW].copy(), self.amount[HIGH].copy()
            if falls_g.size:
                flip = self._sib[falls_g]
                a_lo[flip], a_hi[flip] = self.amount[HIGH][flip], self.amount[LOW][flip]
            sub = rhs[:, cols]
            low[:, cols] = self.explode(self.amounts_at(a_lo) * f[LOW], sub)
            high[:, cols] = self.explode(self.amounts_at(a_hi) * f[HIGH], sub)
        return low, high


def build_graph(
    n_items: int,
    parent: np.ndarray,
    child: np.ndarray,
    amount: np.ndarray,
    inv_yield: np.ndarray,
    balance: np.ndarray,
    leaves: np.ndarray,
    names: list[str] | tuple[str, ...] | None = None,
    recycled: np.ndarray | None = None,
) -> Graph:
    """Order the graph into solve levels and compile it.

    Parameters
    ----------
    n_items : int
    parent, child : array of int, shape (L,)
    amount, inv_yield : array, shape (3, L)
    balance : array of bool, shape (L,)
    leaves : array of int
        Items that are target columns (elements).
    names : sequence of str, optional
        Item ids, to name a cycle in the error.
    recycled : array, shape (3, L), optional
        Fraction of each line's loss recycled in a closed loop (default none).

    Raises
    ------
    CycleError
        If some items contain themselves through a chain of parts; the message names one
        such cycle.
    """
    parent = np.asarray(parent, dtype=np.int64)
    child = np.asarray(child, dtype=np.int64)
    height = _heights(n_items, parent, child, names)
    order = np.lexsort((child, parent, height[parent]))
    p_sorted, h_sorted = parent[order], height[parent[order]]
    levels = []
    if order.size:
        cuts = np.flatnonzero(np.diff(h_sorted)) + 1
        for seg in np.split(np.arange(order.size), cuts):
            lines = order[seg]
            ps = p_sorted[seg]
            rows, starts = np.unique(ps, return_index=True)
            indptr = np.append(starts, ps.size).astype(np.int64)
            levels.append(_Level(rows, indptr, child[lines], lines))
    # balance bookkeeping
    bal_lines = np.flatnonzero(balance)
    bal_of_parent = np.full(n_items, -1, dtype=np.int64)
    bal_of_parent[parent[bal_lines]] = bal_lines
    sib = np.flatnonzero((bal_of_parent[parent] >= 0) & ~balance)
    return Graph(
        n_items=n_items,
        parent=parent,
        child=child,
        amount=np.asarray(amount, dtype=np.float64),
        inv_yield=np.asarray(inv_yield, dtype=np.float64),
        balance=np.asarray(balance, dtype=bool),
        leaves=np.asarray(leaves, dtype=np.int64),
        levels=tuple(levels),
        height=height,
        _sib=sib,
        _sib_balance=bal_of_parent[parent[sib]],
        recycled=(
            np.zeros((3, parent.size))
            if recycled is None
            else np.asarray(recycled, dtype=np.float64).reshape(3, parent.size)
        ),
    )


def _heights(
    n: int, parent: np.ndarray, child: np.ndarray, names: list[str] | tuple[str, ...] | None
) -> np.ndarray:
    """Longest path from each item down to a leaf, by frontier sweeps (Kahn from the leaves)."""
    remaining = np.bincount(parent, minlength=n)  # unsolved children lines per item
    height = np.zeros(n, dtype=np.int64)
    by_child = np.argsort(child, kind="stable")
    ptr = np.searchsorted(child[by_child], np.arange(n + 1))
    frontier = np.flatnonzero(remaining == 0)
    solved = frontier.size
    while frontier.size:
        counts = ptr[frontier + 1] - ptr[frontier]
        total = int(counts.sum())
        if total == 0:
            break
        starts = np.repeat(ptr[frontier] - np.cumsum(counts) + counts, counts)
        lines = by_child[starts + np.arange(total)]
        ps = parent[lines]
        np.maximum.at(height, ps, height[child[lines]] + 1)
        remaining -= np.bincount(ps, minlength=n)
        touched = np.unique(ps)
        frontier = touched[remaining[touched] == 0]
        solved += frontier.size
    if solved < n:
        raise CycleError(_describe_cycle(remaining, parent, child, names))
    return height


def _describe_cycle(
    remaining: np.ndarray,
    parent: np.ndarray,
    child: np.ndarray,
    names: list[str] | tuple[str, ...] | None,
) -> str:
    stuck = remaining > 0
    # every stuck item has a stuck child; walking stuck children must close a loop
    next_of: dict[int, int] = {}
    for p, c in zip(parent.tolist(), child.tolist(), strict=True):
        if stuck[p] and stuck[c] and p not in next_of:
            next_of[p] = c
    start = int(np.flatnonzero(stuck)[0])
    seen: dict[int, int] = {}
    path: list[int] = []
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next_of[node]
    loop = [*path[seen[node] :], node]
    label = (lambda i: repr(names[i])) if names is not None else str
    return (
        "cycle in the bill of materials: "
        + " -> ".join(label(i) for i in loop)
        + " (an item cannot contain itself; remove one of these part lines)"
    )
