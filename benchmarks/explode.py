"""Explosion of a generated graph: item creation, catalog build, and the explosion itself.

Run: ``python benchmarks/explode.py [n_items] [n_lines]`` (default 20,000 items, 60,000 lines).
Goal (issue 2): the 20,000-item, 60,000-line graph explodes in under 2 s on a 2-core machine.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphs import generate

import mineralcalc as mc


def main() -> None:
    n_items = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    n_lines = int(sys.argv[2]) if len(sys.argv) > 2 else 3 * n_items
    mc.Catalog()  # load the modules first: imports are not part of the work timed here
    t0 = time.perf_counter()
    items = generate(n_items, n_lines)
    t1 = time.perf_counter()
    cat = mc.Catalog(items)
    t2 = time.perf_counter()
    lo, c, hi = cat.element_matrices()  # central + exact bounds for every element column
    t3 = time.perf_counter()
    g = cat.graph
    print(f"graph: {n_items:,} items, {g.parent.size:,} lines, {len(g.levels)} levels, "
          f"{len(cat.element_columns)} elements")  # fmt: skip
    print(f"items created (parse amounts, units)   {t1 - t0:7.3f} s")
    print(f"catalog built (validate, convert, sort) {t2 - t1:7.3f} s")
    print(f"explosion (central + exact bounds)      {t3 - t2:7.3f} s")
    print(f"build + explosion                       {t3 - t1:7.3f} s   (goal < 2 s)")
    assert (lo <= c + 1e-9 * abs(c)).all() and (c <= hi + 1e-9 * abs(hi)).all()


if __name__ == "__main__":
    main()
