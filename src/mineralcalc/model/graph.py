"""The compiled bill of materials: a directed acyclic graph with its lines as arrays.

The bill of materials is a directed acyclic graph with a coefficient on every part line
(child basis-units per parent basis-unit, already converted and divided by the line's
yield). :func:`build_graph` orders it into solve levels: items whose children are all solved
form the next level, each parent's lines contiguous, so the engine
(:mod:`mineralcalc.engine.explode`) sums a whole level in one vectorised call. Cycles are
found here, by frontier sweeps, and named.

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

"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import CycleError, UnknownItemError, suggest

__all__ = [
    "BASES",
    "CENTRAL",
    "HIGH",
    "LOW",
    "Graph",
    "YearAmounts",
    "build_graph",
    "check_basis",
]

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
    balance_siblings : ndarray of int, shape (J,)
        Line index of every non-balance line whose parent has a balance line: the lines
        whose amounts the balance line's amount (1 - their sum) depends on.
    balance_of_sibling : ndarray of int, shape (J,)
        Line index of the balance line of each of :attr:`balance_siblings`' parents
        (raising sibling ``j`` by a fraction lowers line ``balance_of_sibling[j]`` by it).
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
    balance_siblings: np.ndarray = field(repr=False)
    balance_of_sibling: np.ndarray = field(repr=False)
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
        sib = self.balance_siblings
        sums = np.bincount(self.parent[sib], weights=a[sib], minlength=self.n_items)
        bal = np.flatnonzero(self.balance)
        a[bal] = 1.0 - sums[self.parent[bal]]
        return a


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
        balance_siblings=sib,
        balance_of_sibling=bal_of_parent[parent[sib]],
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


def check_basis(basis: str) -> str:
    """``basis`` if it is one of :data:`BASES`, else a clear error."""
    if basis not in BASES:
        raise UnknownItemError(
            f"basis {basis!r} is not one of {', '.join(BASES)} ({suggest(str(basis), BASES)}): "
            "'mined' nets out closed recycling loops, 'gross' counts what passes through "
            "the processes, 'contained' what is in the products"
        )
    return basis


@dataclass(frozen=True, eq=False)
class YearAmounts:
    """The amounts of the changed part lines in every year, in the engine's units.

    Attributes
    ----------
    lines : ndarray of int, shape (C,)
        Line index of each changed line in the catalog's graph.
    amount : ndarray, shape (3, C, Y)
        Low, central, high amount of each changed line in each year (child basis-units per
        parent basis-unit).
    """

    lines: np.ndarray
    amount: np.ndarray

    def at(self, base: np.ndarray, year: int) -> np.ndarray:
        """The graph's (3, L) amounts with year index ``year``'s changes applied."""
        out = base.copy()
        out[:, self.lines] = self.amount[:, :, year]
        return out
