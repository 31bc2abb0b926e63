"""Explosion of a generated 100,000-item, 300,000-line graph against scipy's triangular solve.

The Leontief inventory ``X = (I - A)^-1 S`` that LCA tools compute: mineralcalc's level-by-level
solver (``Graph.central``) against ``scipy.sparse.linalg.spsolve_triangular`` on the same
matrix, permuted into topological order so that it is lower triangular. Both produce every
item's content of every element. Goal (issue 6): <= 2 x scipy, and under 2 s.

Run: ``python benchmarks/leontief.py [n_items] [n_lines]``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve_triangular

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphs import best, generate

import mineralcalc as mc
from mineralcalc.engine.explode import bounds, central


def main() -> None:
    n_items = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_lines = int(sys.argv[2]) if len(sys.argv) > 2 else 3 * n_items
    t = time.perf_counter()
    cat = mc.Catalog(generate(n_items, n_lines))
    build = time.perf_counter() - t
    g = cat.graph
    rhs = np.eye(len(cat.element_columns))
    coef = g.amounts_at(g.amount[1]) * g.inv_yield[1]

    t_ours, x_ours = best(lambda: central(g, rhs))
    t_bounds, _ = best(lambda: bounds(g, rhs, x_ours), repeat=1)

    # the same system for scipy: (I - A) X = S in topological order (children first)
    order = np.argsort(g.height, kind="stable")
    pos = np.empty_like(order)
    pos[order] = np.arange(order.size)
    a = sp.csr_matrix((coef, (pos[g.parent], pos[g.child])), shape=(g.n_items, g.n_items))
    m = (sp.identity(g.n_items, format="csr") - a).tocsr()
    s = np.zeros((g.n_items, rhs.shape[1]))
    s[pos[g.leaves]] = rhs
    t_scipy, x_perm = best(lambda: spsolve_triangular(m, s, lower=True))
    x_scipy = np.empty_like(x_perm)
    x_scipy[order] = x_perm
    ok = np.allclose(x_ours, x_scipy, rtol=1e-9, atol=1e-12)

    print(f"graph: {n_items:,} items, {g.parent.size:,} lines, {len(g.levels)} levels, "
          f"{rhs.shape[1]} elements; catalog built in {build:.2f} s")  # fmt: skip
    print(f"  mineralcalc level solver      {t_ours:6.3f} s")
    print(f"  scipy {scipy.__version__} spsolve_triangular {t_scipy:6.3f} s")
    print(f"  ratio                         {t_ours / t_scipy:6.2f}   (goal <= 2, and < 2 s)")
    print(f"  exact bounds (low and high)   {t_bounds:6.3f} s  (extra, no scipy counterpart)")
    print(f"  results agree: {ok}")


if __name__ == "__main__":
    main()
