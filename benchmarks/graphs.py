"""Generated bill-of-materials graphs for benchmarks (and the large-graph test)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from mineralcalc import Item, Part

ELEMENTS = ("Nd", "Pr", "Dy", "Tb", "Fe", "B", "Co", "Ni", "Li", "Mn", "La", "Ce", "Cu", "Al")
_MASS_UNITS = ("g", "kg", "t")


def generate(n_items: int, n_lines: int, seed: int = 0, balance_every: int = 50) -> list[Item]:
    """A random acyclic graph of ``n_items`` items with about ``n_lines`` part lines.

    Every item is a count-basis component whose children are earlier items (chosen near it,
    so the graph is deep as well as wide) or elements, with amounts in g, kg or t, some as
    ranges and some with yields. Every ``balance_every``-th item is a mass-basis material
    with element fractions and an Fe balance.
    """
    rng = np.random.default_rng(seed)
    per_item = max(1, round(n_lines / n_items))
    items: list[Item] = []
    for i in range(n_items):
        if i % balance_every == 0:
            els = rng.choice([e for e in ELEMENTS if e != "Fe"], size=3, replace=False)
            parts: dict[str, object] = {
                str(e): f"{rng.uniform(1, 5):.3f} to {rng.uniform(5, 9):.3f} %" for e in els
            }
            parts["Fe"] = "balance"
            items.append(Item(f"m{i}", "kg", parts))
            continue
        parts = {}
        for _ in range(per_item):
            if i > 0 and rng.random() < 0.8:
                j = int(rng.integers(max(0, i - 200), i))
                child = items[j].id
                if items[j].basis.dimensionality:  # a mass-basis material
                    amount: object = f"{rng.uniform(0.1, 10):.4g} {rng.choice(_MASS_UNITS)}"
                else:
                    amount = round(float(rng.uniform(0.05, 0.6)), 3)  # keeps contents physical
            else:
                child = str(rng.choice(ELEMENTS))
                amount = f"{rng.uniform(0.1, 10):.4g} {rng.choice(_MASS_UNITS)}"
            if child in parts:
                continue
            if rng.random() < 0.2:
                parts[child] = Part(amount, yield_="0.7 to 0.9")
            else:
                parts[child] = amount
        items.append(Item(f"c{i}", "unit", parts))
    return items


def best(f: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs of ``f`` [s], and its result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out
