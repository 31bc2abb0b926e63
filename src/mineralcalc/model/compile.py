"""Compiling a catalog: the checks that need the whole graph, and the engine's arrays.

Every part line is converted once, here, to child basis-units per parent basis-unit (pint
only per distinct unit triple), with its yield and recycled fraction, into the float64 arrays
of a :class:`~mineralcalc.model.graph.Graph`. What needs the whole graph is checked on the
way: unknown children, the dimension of every line against ``child basis / parent basis``,
balance parts, mass fractions over 100 %, cycles.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pint

from .. import elements as _el
from ..data.columns import no_gc
from ..errors import DimensionError, ItemError, MineralcalcError, UnknownItemError
from ..estimate import Estimate
from ..units import conversion_factor, is_mass, show_unit
from .graph import CENTRAL, HIGH, LOW, Graph, build_graph
from .items import Item
from .table_parts import TableParts

__all__ = ["Compiled", "check_fractions", "compile_items", "line_factor"]

_TOL = 1e-9  # tolerance on mass fractions adding to 1


@dataclass(frozen=True, eq=False)
class Compiled:
    """A catalog's items as arrays.

    Attributes
    ----------
    ids : list of str
        Item id of each graph row.
    index : dict
        Row of each id.
    graph : Graph
    dists : (amount, yield, recycled) distribution names of every line
    symbols : tuple of str
        The elements some part line reaches: the graph's leaf columns.
    col : dict
        Column of each of those symbols.
    child_of_line : ndarray of int
    """

    ids: list[str]
    index: dict[str, int]
    graph: Graph
    dists: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    symbols: tuple[str, ...]
    col: dict[str, int]
    child_of_line: np.ndarray


@no_gc()  # a large catalog makes millions of small objects: see data.columns.no_gc
def compile_items(
    items: Mapping[str, Item], unknown: Callable[[str, str], UnknownItemError]
) -> Compiled:
    """Check the graph of ``items`` and convert every part line once to float64 arrays.

    Parameters
    ----------
    items : mapping of id to Item
        Every item, the built-in elements and oxides included, in catalog order.
    unknown : callable(item_id, where) -> UnknownItemError
        The error for a part naming an id the catalog does not hold (with suggestions).

    Raises
    ------
    UnknownItemError, DimensionError, ItemError, CycleError
        Each naming the item, part line and, for tables, the file and row.
    """
    ids = list(items)
    index = {i: n for n, i in enumerate(ids)}
    parent: list[int] = []
    child: list[int] = []
    amount: list[tuple[float, float, float]] = []
    inv_yield: list[tuple[float, float, float]] = []
    balance: list[bool] = []
    mass_frac: list[bool] = []
    amount_dist: list[str] = []
    yield_dist: list[str] = []
    recycled: list[tuple[float, float, float]] = []
    recycled_dist: list[str] = []
    factors: dict[tuple[pint.Unit, pint.Unit, pint.Unit], float] = {}
    tables: dict[int, tuple[Any, list[tuple[int, Sequence[int]]]]] = {}
    for pid, it in items.items():
        pn = index[pid]
        if isinstance(it.parts, TableParts):  # compiled from the table's arrays, below
            tables.setdefault(id(it.parts.table), (it.parts.table, []))[1].append(
                (pn, it.parts.rows)
            )
            continue
        for cid, part in it.parts.items():
            cn = index.get(cid)
            where = f"item {pid!r}, part {cid!r}"
            if part.origin:
                where = f"{part.origin}: {where}"
            if cn is None:
                raise unknown(cid, where)
            ch = items[cid]
            if part.amount is None:  # balance
                if not is_mass(ch.basis):
                    raise ItemError(
                        f"{where}: a 'balance' part must be a mass (its basis is "
                        f"{show_unit(ch.basis)!r})"
                    )
                vals = (0.0, 0.0, 0.0)
            else:
                key = (part.amount.unit, ch.basis, it.basis)
                f = factors.get(key)
                if f is None:
                    f = factors[key] = line_factor(part.amount, ch, it, where)
                lo, c, hi = part.amount.values()
                vals = (lo * f, c * f, hi * f)
            ylo, yc, yhi = part.yield_.values()
            parent.append(pn)
            child.append(cn)
            amount.append(vals)
            inv_yield.append((1.0 / yhi, 1.0 / yc, 1.0 / ylo))
            balance.append(part.amount is None)
            mass_frac.append(is_mass(ch.basis) and is_mass(it.basis))
            amount_dist.append("fixed" if part.amount is None else part.amount.dist)
            yield_dist.append(part.yield_.dist)
            recycled.append(part.recycled.values() if part.has_loss else (0.0, 0.0, 0.0))
            recycled_dist.append(part.recycled.dist if part.has_loss else "fixed")
    for it in items.values():
        if it.alternative_of is not None:
            target = items.get(it.alternative_of)
            where = f"{it.origin}: item {it.id!r}" if it.origin else f"item {it.id!r}"
            if target is None:
                raise unknown(it.alternative_of, f"{where}: alternative_of")
            if target.basis != it.basis:
                raise ItemError(
                    f"{where}: an alternative must have the basis of {target.id!r} "
                    f"({show_unit(target.basis)!r}), not {show_unit(it.basis)!r}"
                )
    segments = [
        (
            np.asarray(parent, dtype=np.int64),
            np.asarray(child, dtype=np.int64),
            np.asarray(amount, dtype=np.float64).reshape(-1, 3).T,
            np.asarray(inv_yield, dtype=np.float64).reshape(-1, 3).T,
            np.asarray(balance, dtype=bool),
            np.asarray(mass_frac, dtype=bool),
            amount_dist,
            yield_dist,
            np.asarray(recycled, dtype=np.float64).reshape(-1, 3).T,
            recycled_dist,
        )
    ]
    segments += [
        _table_lines(table, owners, items, ids, index, unknown) for table, owners in tables.values()
    ]
    par, child_of_line, amt, inv, bal, mf = (
        np.concatenate([seg[k] for seg in segments], axis=-1) for k in range(6)
    )
    rec = np.concatenate([seg[8] for seg in segments], axis=-1)
    dists = tuple(tuple(d for seg in segments for d in seg[k]) for k in (6, 7, 9))
    # lines in catalog order of their parent, each parent's in its own order, however read:
    # the random streams of a Monte Carlo follow the line order
    order = np.argsort(par, kind="stable")
    if (order != np.arange(order.size)).any():
        par, child_of_line, amt, inv, bal, mf, rec = (
            a[..., order] for a in (par, child_of_line, amt, inv, bal, mf, rec)
        )
        dists = tuple(tuple(d[k] for k in order.tolist()) for d in dists)
    check_fractions(items, ids, child_of_line, par, amt, bal, mf)
    is_element = np.array([i in _el.ELEMENTS for i in ids], dtype=bool)
    leaves = np.unique(child_of_line[is_element[child_of_line]]) if par.size else child_of_line
    symbols = tuple(ids[n] for n in leaves.tolist())
    graph = build_graph(
        len(ids),
        par,
        child_of_line,
        amt,
        inv,
        bal,
        leaves.astype(np.int64),
        names=ids,
        recycled=rec,
    )
    return Compiled(
        ids,
        index,
        graph,
        dists,  # type: ignore[arg-type]
        symbols,
        {s: k for k, s in enumerate(symbols)},
        child_of_line,
    )


def check_fractions(
    items: Mapping[str, Item],
    ids: list[str],
    child_of_line: np.ndarray,
    par: np.ndarray,
    amt: np.ndarray,
    bal: np.ndarray,
    mf: np.ndarray,
) -> None:
    n = len(ids)
    if not par.size:
        return
    has_bal = np.zeros(n, dtype=bool)
    has_bal[par[bal]] = True
    bad_sib = np.flatnonzero(has_bal[par] & ~bal & ~mf)
    if bad_sib.size:
        p = ids[par[bad_sib[0]]]
        raise ItemError(
            f"{_where(items, p)}: has a 'balance' part, so every other part must be a mass "
            "fraction of a mass-basis child"
        )
    line_over = np.flatnonzero(mf & ~bal & (amt[HIGH] > 1 + _TOL))
    if line_over.size:
        k = int(line_over[0])
        p, c = ids[par[k]], ids[int(child_of_line[k])]
        raise ItemError(
            f"{_where(items, p)}, part {c!r}: its high value {amt[HIGH][k]:.2%} is over 100 %: "
            "a kilogram cannot hold more than a kilogram (check the range and its unit)"
        )
    sums = [np.bincount(par[mf], weights=amt[k][mf], minlength=n) for k in (LOW, CENTRAL, HIGH)]
    over = np.flatnonzero(sums[CENTRAL] > 1 + _TOL)
    if over.size:
        p = int(over[0])
        raise ItemError(
            f"{_where(items, ids[p])}: its mass fractions add up to {sums[CENTRAL][p]:.2%} "
            "(central values): a kilogram cannot hold more than a kilogram (check the "
            "units, or put the process loss in a yield)"
        )
    over = np.flatnonzero(has_bal & (sums[HIGH] > 1 + _TOL))
    if over.size:
        p = int(over[0])
        raise ItemError(
            f"{_where(items, ids[p])}: the high values of its parts add up to "
            f"{sums[HIGH][p]:.2%}, leaving no room for the 'balance' part: lower those highs "
            "or give the balance part as an amount"
        )


def _where(items: Mapping[str, Item], item_id: str) -> str:
    origin = items[item_id].origin
    return f"{origin}: item {item_id!r}" if origin else f"item {item_id!r}"


def line_factor(amount: Estimate, child: Item, parent: Item, where: str) -> float:
    """Factor from ``amount``'s unit to ``child basis / parent basis`` (a clear error if the
    dimensions differ, naming ``where``)."""
    expected = child.basis / parent.basis
    try:
        return conversion_factor(amount.unit, expected)
    except MineralcalcError:
        cb, pb = show_unit(child.basis), show_unit(parent.basis)
        given = show_unit(amount.unit)
        dim = str(expected.dimensionality)
        dim = "a count or fraction" if dim == "dimensionless" else dim
        raise DimensionError(
            f"{where}: amount {amount} has the wrong dimension: it must be {cb} per {pb} "
            f"({dim}), because {child.id!r} is counted in {cb} and {parent.id!r} in {pb}; "
            f"{given!r} is {_dim_text(amount.unit)}"
        ) from None


def _dim_text(unit: pint.Unit) -> str:
    d = str(unit.dimensionality)
    return "a count or fraction" if d == "dimensionless" else d


def _table_lines(
    table: Any,
    owners: list[tuple[int, Sequence[int]]],
    items: Mapping[str, Item],
    ids: list[str],
    index: dict[str, int],
    unknown: Callable[[str, str], UnknownItemError],
) -> tuple[Any, ...]:
    """The compiled columns of the lines of items read from one table (see
    :mod:`mineralcalc.model.table_parts`): the checks and conversions of the loop over
    :class:`~mineralcalc.model.items.Part` objects, on arrays (a line at a time only for the
    lookups of ids and units)."""
    t = table
    rows = np.fromiter(itertools.chain.from_iterable(rs for _, rs in owners), dtype=np.int64)
    parents = np.repeat(
        np.array([pn for pn, _ in owners], dtype=np.int64), [len(rs) for _, rs in owners]
    )
    names = [t.child[k] for k in rows.tolist()]
    children = np.fromiter((index.get(c, -1) for c in names), dtype=np.int64, count=len(names))
    if (children < 0).any():
        j = int(np.flatnonzero(children < 0)[0])
        k = int(rows[j])
        raise unknown(names[j], f"{t.origin(k)}: item {ids[parents[j]]!r}, part {names[j]!r}")
    basis = [items[i].basis for i in ids]
    bases = {id(u): u for u in basis}  # the distinct unit objects: a handful
    base_code = {b: k for k, b in enumerate(bases)}
    item_code = np.array([base_code[id(u)] for u in basis], dtype=np.int64)
    is_kg = np.array([is_mass(u) for u in bases.values()], dtype=bool)[item_code]
    balance = t.balance[rows]
    bad = np.flatnonzero(balance & ~is_kg[children])
    if bad.size:
        j, k = int(bad[0]), int(rows[bad[0]])
        raise ItemError(
            f"{t.origin(k)}: item {ids[parents[j]]!r}, part {names[j]!r}: a 'balance' part must "
            f"be a mass (its basis is {show_unit(basis[children[j]])!r})"
        )
    # one conversion per distinct (unit, child basis, parent basis), then by array
    nb = len(bases)
    key = (t.unit_code[rows] * nb + item_code[children]) * nb + item_code[parents]
    factor = np.zeros(rows.size)
    live = ~balance
    uniq, first, inverse = np.unique(key[live], return_index=True, return_inverse=True)
    per_key = np.empty(uniq.size)
    for j, at in enumerate(np.flatnonzero(live)[first].tolist()):
        k, pn, cn = int(rows[at]), int(parents[at]), int(children[at])
        part = items[ids[pn]].parts[ids[cn]]
        assert part.amount is not None
        where = f"{t.origin(k)}: item {ids[pn]!r}, part {ids[cn]!r}"
        per_key[j] = line_factor(part.amount, items[ids[cn]], items[ids[pn]], where)
    factor[live] = per_key[inverse.ravel()]
    ys = t.yields[:, rows]
    lossless = (ys[0] == 1.0) & (ys[2] == 1.0)
    dist = [t.dist[k] for k in rows.tolist()]
    return (
        parents,
        children,
        t.amount[:, rows] * factor,
        1.0 / ys[[2, 1, 0]],
        balance,
        is_kg[parents] & is_kg[children],
        [("fixed" if b else d) for d, b in zip(dist, balance.tolist(), strict=True)],
        [t.yield_dist[k] for k in rows.tolist()],
        np.where(lossless, 0.0, t.recycled[:, rows]),
        [
            ("fixed" if lo else t.recycled_dist[k])
            for k, lo in zip(rows.tolist(), lossless.tolist(), strict=True)
        ],
    )
