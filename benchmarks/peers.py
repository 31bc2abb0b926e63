"""mineralcalc against its peers where they install here: bw2calc (Brightway) and flodym.

Run with an environment that has them (not the project's: they are not dependencies)::

    python -m venv /tmp/peers && /tmp/peers/bin/pip install bw2calc flodym pypardiso -e .
    /tmp/peers/bin/python benchmarks/peers.py

1. **bw2calc**, inventory of the same graph: the generated 20,000-item, 60,000-line graph as a
   Brightway technosphere (one activity per item, inputs on the off-diagonal) and biosphere
   (one flow per element). bw2calc solves one functional unit per factorisation and solve;
   mineralcalc's level solver gives every item's element contents at once. Both timed after
   their data are built (datapackage / catalog), and both checked to agree.
2. **flodym**, the same volume-times-intensity computation: demand[element, year] =
   sum over products of volume[product, year] x intensity[product, element], for 200 products,
   30 elements and 30 years, with flodym's named-dimension arrays against mineralcalc's
   ``Demand`` (whose arrays keep low, central and high).

Goal (issue 6): faster than each.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphs import best, generate

import mineralcalc as mc
from mineralcalc.engine.explode import central


def bw2calc_case(n_items: int = 20_000, n_lines: int = 60_000, n_fu: int = 10) -> None:
    import bw2calc
    import bw_processing as bwp

    cat = mc.Catalog(generate(n_items, n_lines))
    g = cat.graph
    coef = g.amounts_at(g.amount[1]) * g.inv_yield[1]
    n = g.n_items
    # technosphere: production 1 on the diagonal; item p consumes coef of item c
    rows = np.concatenate([np.arange(n), g.child])
    cols = np.concatenate([np.arange(n), g.parent])
    data = np.concatenate([np.ones(n), coef])
    flip = np.concatenate([np.zeros(n, dtype=bool), np.ones(g.parent.size, dtype=bool)])
    tech_idx = np.array(list(zip(rows, cols, strict=True)), dtype=bwp.INDICES_DTYPE)
    # biosphere: element item e releases 1 kg of flow n + k per unit produced
    leaves = g.leaves
    bio_idx = np.array(
        list(zip(n + np.arange(leaves.size), leaves, strict=True)), dtype=bwp.INDICES_DTYPE
    )
    dp = bwp.create_datapackage()
    dp.add_persistent_vector(
        matrix="technosphere_matrix", indices_array=tech_idx, data_array=data, flip_array=flip
    )
    dp.add_persistent_vector(
        matrix="biosphere_matrix", indices_array=bio_idx, data_array=np.ones(leaves.size)
    )
    products = [int(i) for i in np.flatnonzero(g.height == g.height.max())][:1]
    products += [int(i) for i in np.argsort(-g.height)[1:n_fu]]

    def bw_all() -> np.ndarray:
        out = []
        lca = bw2calc.LCA({products[0]: 1}, data_objs=[dp])
        lca.lci()
        out.append(np.asarray(lca.inventory.sum(axis=1)).ravel())
        for p in products[1:]:
            lca.lci(demand={p: 1})
            out.append(np.asarray(lca.inventory.sum(axis=1)).ravel())
        return np.array(out)

    def bw_one() -> np.ndarray:
        lca = bw2calc.LCA({products[0]: 1}, data_objs=[dp])
        lca.lci()
        return np.asarray(lca.inventory.sum(axis=1)).ravel()

    rhs = np.eye(leaves.size)
    t_ours, x = best(lambda: central(g, rhs))
    t_one, _ = best(bw_one)
    t_all, inv = best(bw_all, repeat=1)
    # bw's flows are ordered by their ids n + k; ours by element column k
    agree = np.allclose(inv, x[products], rtol=1e-6, atol=1e-9)
    print(f"bw2calc {bw2calc.__version__}: {n_items:,} items, {g.parent.size:,} lines")
    print(f"  mineralcalc, every item's inventory      {t_ours:7.3f} s")
    print(
        f"  bw2calc, 1 functional unit (LCA + lci)   {t_one:7.3f} s   mineralcalc is {t_one / t_ours:5.1f}x faster"
    )
    print(
        f"  bw2calc, {n_fu} functional units           {t_all:7.3f} s   mineralcalc is {t_all / t_ours:5.1f}x faster"
    )
    print(f"  inventories agree: {agree}")


def flodym_case(n_products: int = 200, n_elements: int = 30, n_years: int = 30) -> None:
    import flodym as fd

    rng = np.random.default_rng(0)
    symbols = [s for s in mc.ELEMENTS][:n_elements]
    years = list(range(2024, 2024 + n_years))
    intensity = rng.uniform(0, 1, (n_products, n_elements)) * (
        rng.random((n_products, n_elements)) < 0.3
    )
    volume = rng.uniform(1e3, 1e6, (n_products, n_years))
    items = [
        mc.Item(
            f"p{p}",
            parts={symbols[e]: f"{intensity[p, e]:.6g} kg" for e in np.flatnonzero(intensity[p])},
            kind="product",
        )
        for p in range(n_products)
    ]
    cat = mc.Catalog(items)
    vols = {
        f"p{p}": {y: float(volume[p, k]) for k, y in enumerate(years)} for p in range(n_products)
    }

    dims = fd.DimensionSet(dim_list=[
        fd.Dimension(name="product", letter="p", items=[f"p{p}" for p in range(n_products)]),
        fd.Dimension(name="element", letter="e", items=symbols),
        fd.Dimension(name="time", letter="t", items=years),
    ])  # fmt: skip

    def flodym_run() -> np.ndarray:
        i_arr = fd.FlodymArray(dims=dims["p", "e"], values=intensity)
        v_arr = fd.FlodymArray(dims=dims["p", "t"], values=volume)
        return (i_arr * v_arr).sum_over("p").values  # (e, t)

    d = mc.demand(vols, cat)

    def ours_run() -> np.ndarray:
        # demand of every element in every year, with its exact low/high (a fresh Demand,
        # so that nothing is cached from an earlier run)
        fresh = mc.Demand(cat, d.products, d.years, d.volume_array)
        _, arr = fresh.element_array()
        return arr[1].T  # (elements, years), central

    t_fd, a = best(flodym_run, repeat=5)
    t_mc, b = best(ours_run, repeat=5)
    t_end, _ = best(lambda: mc.demand(vols, cat).by_element(), repeat=3)
    present = [symbols.index(s) for s in d.elements]
    agree = np.allclose(a[present], b)
    print(f"flodym: {n_products} products x {n_elements} elements x {n_years} years")
    print(f"  flodym FlodymArray product and sum       {t_fd:7.4f} s")
    print(
        f"  mineralcalc element_array (low/central/high) {t_mc:7.4f} s   ratio {t_mc / t_fd:5.2f}"
    )
    print(f"  mineralcalc end to end (volumes parsed, by_element frame) {t_end:7.3f} s")
    print(f"  results agree: {agree}")


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    bw2calc_case()
    flodym_case()
