"""Monte Carlo against a plain numpy implementation of the same sampling and contraction.

Two cases at 100,000 samples (issue 6, goal: mineralcalc <= 1.5 x plain numpy):

* the shipped ``baseline-2024`` scenario;
* a synthetic catalog of 200 products (components, materials with a balance, yields, ranges).

The plain-numpy reference takes the already compiled graph arrays (so it skips parsing and
validation), draws every parameter for all samples at once with numpy's own generators
(``triangular``, ``uniform``, ``beta`` for PERT), resolves balance parts, propagates level by
level with ``np.add.at`` and contracts with the volumes in one ``einsum``: the code one would
write by hand. mineralcalc is timed end to end through ``mc.demand(..., samples=...)``.

Run: ``python benchmarks/montecarlo.py [samples]``
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np

import mineralcalc as mc
from mineralcalc.engine import CENTRAL, HIGH, LOW


def synthetic_catalog(n_products: int = 200, seed: int = 0) -> tuple[mc.Catalog, dict[str, str]]:
    rng = np.random.default_rng(seed)
    els = ["Nd", "Pr", "Dy", "Tb", "Co", "Ni", "Li", "Mn", "La", "Ce", "Cu", "B"]
    items = []
    for m in range(12):
        chosen = rng.choice(els, size=3, replace=False)
        parts = {str(e): f"{rng.uniform(2, 6):.2f} to {rng.uniform(6, 10):.2f} %" for e in chosen}
        parts["Fe"] = "balance"
        items.append(mc.Item(f"mat{m}", "kg", parts))
    for c in range(60):
        parts = {}
        for m in rng.choice(12, size=int(rng.integers(1, 4)), replace=False):
            lo = rng.uniform(0.1, 2)
            parts[f"mat{m}"] = mc.Part(f"{lo:.3f} to {lo * 1.5:.3f} kg", yield_="0.7 to 0.9")
        items.append(mc.Item(f"comp{c}", parts=parts))
    volumes = {}
    for p in range(n_products):
        parts = {f"comp{c}": int(rng.integers(1, 4)) for c in rng.choice(60, size=3, replace=False)}
        items.append(mc.Item(f"prod{p}", parts=parts, kind="product"))
        v = rng.uniform(1e5, 1e7)
        volumes[f"prod{p}"] = f"{v:.0f} to {v * 1.3:.0f}"
    return mc.Catalog(items), volumes


def plain_numpy(
    cat: mc.Catalog, products: list[str], volumes: np.ndarray, n: int, seed: int, lean: bool = True
) -> np.ndarray:
    """The same computation written directly in numpy: (samples, elements) totals [kg].

    Chunks of 10,000 samples. ``lean``: each level is summed with ``np.add.reduceat`` (what a
    careful numpy programmer writes); otherwise with ``np.add.at`` (the first thing one writes).
    """
    rng = np.random.default_rng(seed)
    g = cat.graph
    amount_dist, yield_dist = cat._dists
    lo, c, hi = g.amount[LOW], g.amount[CENTRAL], g.amount[HIGH]
    yl, yc, yh = 1 / g.inv_yield[HIGH], 1 / g.inv_yield[CENTRAL], 1 / g.inv_yield[LOW]
    a_unc = np.flatnonzero((lo < hi) & ~g.balance)
    y_unc = np.flatnonzero(yl < yh)
    bal = np.flatnonzero(g.balance)
    sibs = {int(b): np.flatnonzero((g.parent == g.parent[b]) & ~g.balance) for b in bal}
    rows = cat.rows(products)
    out = np.empty((n, len(g.leaves)))
    done = 0
    while done < n:
        s = min(10_000, n - done)
        a = np.repeat(c[:, None], s, axis=1)
        for k in a_unc:
            if amount_dist[k] == "uniform":
                a[k] = rng.uniform(lo[k], hi[k], s)
            elif amount_dist[k] == "triangular":
                a[k] = rng.triangular(lo[k], c[k], hi[k], s)
            elif amount_dist[k] == "pert":
                w = hi[k] - lo[k]
                a[k] = lo[k] + w * rng.beta(
                    1 + 4 * (c[k] - lo[k]) / w, 1 + 4 * (hi[k] - c[k]) / w, s
                )
        y = np.repeat(yc[:, None], s, axis=1)
        for k in y_unc:
            y[k] = (
                rng.uniform(yl[k], yh[k], s)
                if yield_dist[k] == "uniform"
                else rng.triangular(yl[k], yc[k], yh[k], s)
            )
        for b, sib in sibs.items():
            a[b] = 1 - a[sib].sum(axis=0)
        coef = a / y
        x = np.zeros((g.n_items, len(g.leaves), s))
        x[g.leaves, np.arange(len(g.leaves))] = 1.0
        for lv in g.levels:
            contrib = coef[lv.lines][:, None, :] * x[lv.indices]
            if lean:
                x[lv.rows] = np.add.reduceat(contrib, lv.indptr[:-1], axis=0)
            else:
                np.add.at(x, np.repeat(lv.rows, np.diff(lv.indptr)), contrib)
        vols = rng.uniform(volumes[0], volumes[2], size=(s, volumes.shape[1])).T  # (P, s)
        out[done : done + s] = np.einsum("ps,pts->st", vols, x[rows])
        done += s
    return out


def timed(f, *args, **kwargs):
    t = time.perf_counter()
    out = f(*args, **kwargs)
    return time.perf_counter() - t, out


def case(name: str, scenario_or_volumes: object, cat: mc.Catalog, n: int) -> None:
    from mineralcalc.volumes import parse_volumes

    vols_map = getattr(scenario_or_volumes, "volumes", scenario_or_volumes)
    t_mc, d = timed(mc.demand, scenario_or_volumes, cat, samples=n, seed=1)
    parsed = parse_volumes(vols_map, cat)
    t_np, ref = timed(plain_numpy, cat, parsed.products, parsed.values[:, :, 0], n, 1)
    t_naive, _ = timed(plain_numpy, cat, parsed.products, parsed.values[:, :, 0], n, 1, lean=False)
    # the same distribution: compare the mean of a common element
    el = "Nd"
    ours = d.sample_values(el, "kg").mean()
    col = list(cat.element_columns).index(el)
    theirs = ref[:, col].mean()
    print(f"{name}: {len(parsed.products)} products, {cat.graph.parent.size} lines, {n:,} samples")
    print(f"  mineralcalc (end to end)  {t_mc:7.2f} s")
    print(f"  plain numpy, reduceat     {t_np:7.2f} s   ratio {t_mc / t_np:5.2f}   (goal <= 1.5)")
    print(f"  plain numpy, np.add.at    {t_naive:7.2f} s   ratio {t_mc / t_naive:5.2f}")
    print(
        f"  mean {el}: {ours:,.0f} kg vs {theirs:,.0f} kg ({ours / theirs - 1:+.2%}, sampling noise)"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    base = mc.load_scenario("baseline-2024")
    case("baseline-2024", base, base.catalog, n)
    cat, vols = synthetic_catalog()
    case("synthetic 200 products", vols, cat, n)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
