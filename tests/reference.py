"""An independent, deliberately naive reference for the engine.

It walks the bill of materials recursively over Item objects and converts units with pint on
every line: slow, obviously correct, and sharing no code with ``engine.py`` but the item model.
Tests compare the array engine against it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from mineralcalc import Q_, Item

Choice = Callable[
    [str, str, str], "str | float"
]  # (parent, child, "amount"|"yield"|"recycled") -> "low"/"central"/"high", or a uniform u


def central(parent: str, child: str, what: str) -> str:
    return "central"


def _val(est, which: str | float):
    if isinstance(which, str):
        return {"low": est.low, "central": est.central, "high": est.high}[which]
    # a uniform number u in [0, 1): the value at that quantile of a uniform range
    assert est.dist in ("uniform", "fixed"), est.dist
    return est.low + which * (est.high - est.low)


def content(
    items: dict[str, Item],
    item_id: str,
    element: str,
    choose: Choice = central,
    basis: str = "mined",
) -> float:
    """kg of ``element`` per basis-unit of ``item_id``.

    ``basis``: ``contained`` ignores yields; ``gross`` divides by them; ``mined`` takes back the
    recycled part of each line's loss: input - recycled x (input - amount).
    """
    it = items.get(item_id)
    if it is None or not it.parts:
        return 1.0 if item_id == element else 0.0
    total = 0.0
    # a balance part is 1 - the other parts (all mass fractions when a balance is present)
    others = sum(
        _val(p.amount, choose(item_id, c, "amount")).to("").magnitude
        for c, p in it.parts.items()
        if p.amount is not None and any(q.amount is None for q in it.parts.values())
    )
    for cid, part in it.parts.items():
        child_basis = items[cid].basis if cid in items else Q_(1, "kg").units
        y = _val(part.yield_, choose(item_id, cid, "yield")).to("").magnitude
        r = _val(part.recycled, choose(item_id, cid, "recycled")).to("").magnitude
        if part.amount is None:
            amt = Q_(1.0 - others, "")
        else:
            amt = _val(part.amount, choose(item_id, cid, "amount"))
        contained = amt.to(child_basis / it.basis).magnitude
        through = contained / y
        per_parent = {
            "contained": contained,
            "gross": through,
            "mined": through - r * (through - contained),
        }[basis]
        total += per_parent * content(items, cid, element, choose, basis)
    return total


def params(items: dict[str, Item]) -> list[tuple[str, str, str]]:
    """Every uncertain parameter (parent, child, 'amount'|'yield')."""
    out = []
    for pid, it in items.items():
        for cid, part in it.parts.items():
            if part.amount is not None and not part.amount.is_fixed:
                out.append((pid, cid, "amount"))
            if not part.yield_.is_fixed:
                out.append((pid, cid, "yield"))
            if not part.recycled.is_fixed:
                out.append((pid, cid, "recycled"))
    return out


def corners(items: dict[str, Item]) -> Iterator[Choice]:
    """Every vertex of the box of uncertain parameters."""
    ps = params(items)
    for combo in itertools.product(("low", "high"), repeat=len(ps)):
        table = dict(zip(ps, combo, strict=True))

        def choose(p: str, c: str, w: str, table=table) -> str:
            return table.get((p, c, w), "central")

        yield choose


def exact_bounds(
    items: dict[str, Item], item_id: str, element: str, basis: str = "mined"
) -> tuple[float, float]:
    """Min and max over all vertices (a multilinear function's extremes lie on vertices)."""
    vals = [content(items, item_id, element, ch, basis) for ch in corners(items)]
    return min(vals), max(vals)
