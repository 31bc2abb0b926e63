"""Plain-numpy reference Monte Carlo computations for the benchmark, written from the question.

These are the computations a competent numpy user would write to get the sampled element demand
of a catalog, independently of mineralcalc's own sampler. They read only the public data model
(:class:`mineralcalc.Item`, :class:`mineralcalc.Part`, :class:`mineralcalc.Estimate`, the catalog's
mapping face, :func:`mineralcalc.units.conversion_factor` and, for the volumes only,
:func:`mineralcalc.model.volumes.parse_volumes`); they never touch the compiled graph or the engine.

* :func:`issue_synthetic` builds the case of the issue: 200 products, 30 components, 6 uncertain
  materials and 10 elements, with fixed volumes.
* :func:`reference_issue` is what a user writes for that case: fixed kg of each material per
  year, sampled element fractions of the 6 materials, one ``einsum``.
* :func:`reference_general` is the natural plain-numpy Monte Carlo of a general multi-level
  bill of materials (uncertain amounts, yields, recycled fractions, balance parts and volumes
  at every level), e.g. the shipped ``baseline-2024`` scenario.

Run ``python benchmarks/references.py [samples]`` for the self-check against ``mc.demand`` (means
and quantiles within sampling noise, central values exact) and timings at 100,000 samples.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

import mineralcalc as mc
from mineralcalc.model.volumes import parse_volumes
from mineralcalc.units import conversion_factor, is_mass, parse_unit

__all__ = [
    "ISSUE_ELEMENTS",
    "BomArrays",
    "IssueArrays",
    "bom_arrays",
    "issue_arrays",
    "issue_synthetic",
    "mixed_case",
    "reference_general",
    "reference_issue",
    "sample_bom",
    "sample_issue",
]

Array = NDArray[np.float64]

Z95 = 1.6448536269514722
"""The standard normal 95th percentile: a lognormal's low/high are its 5th/95th percentiles."""

CHUNK = 10_000
"""Samples drawn and evaluated at once (bounds the working memory)."""

BASES = ("mined", "gross", "contained")

ISSUE_ELEMENTS = ("Cr", "Ni", "Mo", "Mn", "Co", "V", "W", "Nb", "Cu", "Fe")
"""The 10 elements of the issue case: nine alloying elements and Fe, each material's balance."""

_DIMENSIONLESS = parse_unit("")


# --------------------------------------------------------------------------- shared helpers
def _draw(rng: np.random.Generator, dist: str, lo: Array, c: Array, hi: Array, s: int) -> Array:
    """``s`` draws of each of ``k`` parameters of one distribution, shape ``(k, s)``.

    ``lo < hi`` must hold for every parameter (fixed ones are never drawn).
    """
    lo, c, hi = lo[:, None], c[:, None], hi[:, None]
    size = (lo.shape[0], s)
    if dist == "uniform":
        return rng.uniform(lo, hi, size)
    if dist == "triangular":
        return rng.triangular(lo, c, hi, size)
    if dist == "pert":
        w = hi - lo
        return lo + w * rng.beta(1 + 4 * (c - lo) / w, 1 + 4 * (hi - c) / w, size)
    if dist == "lognormal":
        return rng.lognormal(np.log(c), np.log(hi / lo) / (2 * Z95), size)
    raise ValueError(f"unknown distribution {dist!r}")


def _loss(y: Array | float, r: Array | float, basis: str) -> Array | float:
    """Child needed per unit of line amount: ``1/y - r (1/y - 1)`` (mined), ``1/y`` or 1."""
    if basis == "contained":
        return 1.0
    inv = 1.0 / y
    return inv if basis == "gross" else inv - r * (inv - 1.0)


def _line_unit(child: mc.Item, parent: mc.Item) -> Any:
    return child.basis / parent.basis


# --------------------------------------------------------------------------- the issue's case
def issue_synthetic(seed: int = 0) -> tuple[mc.Catalog, dict[str, float]]:
    """The issue's catalog: 200 products built from 6 uncertain materials and 10 elements.

    * 6 alloys (``mat0`` .. ``mat5``, basis kg), each with 3 to 6 of the nine alloying elements
      of :data:`ISSUE_ELEMENTS` as uncertain mass fractions in % (triangular, uniform or PERT,
      at most ~9 % each) and ``"Fe": "balance"``. Fe is one of the 10 elements.
    * 30 components (``comp0`` .. ``comp29``, basis unit), each with 1 to 3 alloys in fixed kg
      per unit; about a third of those lines have a fixed process yield (0.75 to 0.95) and a
      few of those recycle a fixed half of their loss.
    * 200 products (``prod0`` .. ``prod199``, basis unit, ``kind="product"``), each with 2 to 4
      components in fixed counts (1 to 4).

    Parameters
    ----------
    seed : int, default 0
        Seed of the generator of the catalog (not of the sampling).

    Returns
    -------
    catalog : mc.Catalog
    volumes : dict of str to float
        A fixed volume for every product, log-uniform between 1e5 and 1e7 units.
    """
    rng = np.random.default_rng(seed)
    alloying = ISSUE_ELEMENTS[:-1]
    dists = ("triangular", "uniform", "pert")
    items: list[mc.Item] = []
    for m in range(6):
        k = int(rng.integers(3, 7))
        parts: dict[str, Any] = {}
        for el in rng.choice(alloying, size=k, replace=False):
            lo = round(float(rng.uniform(0.2, 3.0)), 2)
            hi = round(lo * float(rng.uniform(1.5, 3.0)), 2)
            dist = str(rng.choice(dists))
            if dist == "uniform":
                est = mc.Estimate(low=lo, high=hi, dist=dist, unit="%")
            else:
                c = round(lo + (hi - lo) * float(rng.uniform(0.2, 0.8)), 3)
                est = mc.Estimate(low=lo, central=c, high=hi, dist=dist, unit="%")
            parts[str(el)] = est
        parts["Fe"] = "balance"
        items.append(mc.Item(f"mat{m}", basis="kg", parts=parts, kind="material"))
    for j in range(30):
        parts = {}
        for m in rng.choice(6, size=int(rng.integers(1, 4)), replace=False):
            kg = f"{float(rng.uniform(0.05, 5.0)):.3f} kg"
            u = rng.uniform()
            if u < 0.1:
                y = round(float(rng.uniform(0.75, 0.95)), 2)
                parts[f"mat{m}"] = mc.Part(kg, yield_=y, recycled=0.5)
            elif u < 0.35:
                parts[f"mat{m}"] = mc.Part(kg, yield_=round(float(rng.uniform(0.75, 0.95)), 2))
            else:
                parts[f"mat{m}"] = kg
        items.append(mc.Item(f"comp{j}", parts=parts, kind="component"))
    volumes: dict[str, float] = {}
    for p in range(200):
        comps = rng.choice(30, size=int(rng.integers(2, 5)), replace=False)
        parts = {f"comp{j}": int(rng.integers(1, 5)) for j in comps}
        items.append(mc.Item(f"prod{p}", parts=parts, kind="product"))
        volumes[f"prod{p}"] = float(round(10 ** rng.uniform(5, 7)))
    return mc.Catalog(items), volumes


class IssueArrays(NamedTuple):
    """The numbers :func:`sample_issue` needs, read once from the catalog."""

    materials: tuple[str, ...]
    elements: tuple[str, ...]
    mass: Array
    """Fixed kg of each material per year (with the fixed process losses), shape (M,)."""
    central: Array
    """Central element fraction [kg/kg], the balance 1 - the others, shape (M, E)."""
    groups: dict[str, tuple[NDArray[np.intp], Array, Array, Array]]
    """Per distribution: flat indices into (M, E) and their low, central, high fractions."""
    balance: NDArray[np.intp]
    """Index of each material's balance element, -1 for none, shape (M,)."""
    loss: Array
    """Fixed loss factor of each material-element line, shape (M, E)."""


def issue_arrays(
    catalog: mc.Catalog, volumes: Mapping[str, Any], *, basis: str = "mined"
) -> IssueArrays:
    """Read the issue's case from the catalog: deterministic material masses and fractions.

    The materials are the items whose parts are all elements; every line above them must be
    fixed (amount, yield and recycled fraction), as must the volumes, and the element lines
    must have fixed yields.

    Parameters
    ----------
    catalog : mc.Catalog
    volumes : mapping of str to amount
        Fixed volumes of the products, in their basis.
    basis : {'mined', 'gross', 'contained'}, default 'mined'

    Returns
    -------
    IssueArrays

    Raises
    ------
    ValueError
        An uncertain volume, or an uncertain line above the materials.
    """
    vols = parse_volumes(volumes, catalog)
    if np.any(vols.values[0] != vols.values[2]):
        raise ValueError("the issue's case has fixed volumes")
    items = catalog.items

    def is_material(i: str) -> bool:
        return bool(items[i].parts) and all(catalog.kind(c) == "element" for c in items[i].parts)

    mass: dict[str, float] = {}

    def flow(item_id: str, qty: float) -> None:
        if is_material(item_id):
            mass[item_id] = mass.get(item_id, 0.0) + qty
            return
        parent = items[item_id]
        for child_id, part in parent.parts.items():
            child = items[child_id]
            if part.amount is None or not (
                part.amount.is_fixed and part.yield_.is_fixed and part.recycled.is_fixed
            ):
                raise ValueError(f"{item_id} -> {child_id}: only fixed lines above the materials")
            a = part.amount.values()[1] * conversion_factor(
                part.amount.unit, _line_unit(child, parent)
            )
            f = _loss(part.yield_.values()[1], part.recycled.values()[1], basis)
            flow(child_id, qty * a * float(f))

    for p, pid in enumerate(vols.products):
        flow(pid, float(vols.values[1, p].sum()))
    materials = tuple(sorted(mass, key=lambda i: (len(i), i)))
    found = {c for m in materials for c in items[m].parts}
    elements = tuple(e for e in items if e in found)
    col = {e: k for k, e in enumerate(elements)}
    shape = (len(materials), len(elements))
    central, lo, hi, loss = np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape)
    dist = np.full(shape, "fixed", dtype=object)
    balance = np.full(len(materials), -1, dtype=np.intp)
    for m, mid in enumerate(materials):
        for el, part in items[mid].parts.items():
            e = col[el]
            if not (part.yield_.is_fixed and part.recycled.is_fixed):
                raise ValueError(f"{mid} -> {el}: the issue's case has fixed yields")
            loss[m, e] = _loss(part.yield_.values()[1], part.recycled.values()[1], basis)
            if part.amount is None:
                balance[m] = e
                continue
            f = conversion_factor(part.amount.unit, _line_unit(items[el], items[mid]))
            lo[m, e], central[m, e], hi[m, e] = (v * f for v in part.amount.values())
            dist[m, e] = part.amount.dist if lo[m, e] < hi[m, e] else "fixed"
    for m, e in enumerate(balance):
        if e >= 0:
            central[m, e] = 1.0 - central[m].sum()
    groups = {}
    for d in ("uniform", "triangular", "pert", "lognormal"):
        idx = np.flatnonzero(dist.ravel() == d)
        if idx.size:
            groups[d] = (idx, lo.ravel()[idx], central.ravel()[idx], hi.ravel()[idx])
    return IssueArrays(
        materials,
        elements,
        np.array([mass[m] for m in materials]),
        central,
        groups,
        balance,
        loss,
    )


def sample_issue(
    arrays: IssueArrays, n: int, seed: int | None, *, central: bool = False, chunk: int = CHUNK
) -> Array:
    """The numerical part of :func:`reference_issue`: element totals of ``n`` samples.

    Per chunk: draw the uncertain fractions of all materials with one numpy call per
    distribution into an (s, M, E) array, set each material's balance element to 1 minus its
    other fractions, apply the fixed loss factors and contract with the fixed material masses,
    ``np.einsum("m,sme->se", mass, F)``.

    Parameters
    ----------
    arrays : IssueArrays
        From :func:`issue_arrays`.
    n : int
        Number of samples.
    seed : int or None
        Seed of ``np.random.default_rng``.
    central : bool, default False
        Nothing drawn: every fraction at its central value.
    chunk : int, default :data:`CHUNK`
        Samples per chunk.

    Returns
    -------
    ndarray, shape (n, E)
        Element demand of each sample, kg.
    """
    rng = np.random.default_rng(seed)
    n_m, n_e = arrays.central.shape
    out = np.empty((n, n_e))
    has_bal = np.flatnonzero(arrays.balance >= 0)
    bal_el = arrays.balance[has_bal]
    for start in range(0, n, chunk):
        s = min(chunk, n - start)
        frac = np.empty((s, n_m * n_e))
        frac[:] = arrays.central.ravel()
        if not central:
            for d, (idx, lo, c, hi) in arrays.groups.items():
                frac[:, idx] = _draw(rng, d, lo, c, hi, s).T
        frac3 = frac.reshape(s, n_m, n_e)
        if has_bal.size:
            frac3[:, has_bal, bal_el] = 0.0
            frac3[:, has_bal, bal_el] = 1.0 - frac3[:, has_bal, :].sum(axis=2)
        frac3 *= arrays.loss
        out[start : start + s] = np.einsum("m,sme->se", arrays.mass, frac3)
    return out


def reference_issue(
    catalog: mc.Catalog,
    volumes: Mapping[str, Any],
    n: int,
    seed: int | None,
    *,
    basis: str = "mined",
    central: bool = False,
) -> tuple[tuple[str, ...], Array]:
    """What a user writes for the issue's case: fixed material masses, sampled fractions.

    1. Setup (:func:`issue_arrays`, plain Python over the public items): walk every product's
       fixed bill of materials down to the materials (items whose parts are all elements),
       multiplying volume x count x kg per unit x the line's fixed loss factor, to get the kg
       of each material per year; read each material's element fractions (low, central,
       high, distribution) into (M, E) arrays.
    2. Sampling (:func:`sample_issue`): in chunks of 10,000 samples, draw the uncertain
       fractions with numpy's generators (``uniform``, ``triangular``, ``beta`` for PERT,
       ``lognormal``), resolve the Fe balance per sample, and ``einsum("m,sme->se")``.

    Timed end to end (setup + sampling); the setup is a few ms, see ``__main__``.

    Parameters
    ----------
    catalog, volumes
        As from :func:`issue_synthetic` (fixed volumes, fixed lines above the materials).
    n : int
        Number of samples.
    seed : int or None
        Seed of ``np.random.default_rng``.
    basis : {'mined', 'gross', 'contained'}, default 'mined'
        Loss factor of a line: ``1/y - r (1/y - 1)``, ``1/y`` or 1.
    central : bool, default False
        Every fraction at its central value (every row the deterministic answer).

    Returns
    -------
    elements : tuple of str
    totals : ndarray, shape (n, E)
        Element demand of each sample, kg.
    """
    arrays = issue_arrays(catalog, volumes, basis=basis)
    return arrays.elements, sample_issue(arrays, n, seed, central=central)


# --------------------------------------------------------------------------- general BOMs
class BomArrays(NamedTuple):
    """The reachable bill of materials as flat arrays, read once (see :func:`bom_arrays`)."""

    items: tuple[str, ...]
    """Reachable items, parents before children (topological order)."""
    elements: tuple[str, ...]
    element_rows: NDArray[np.intp]
    """Row of each element in ``items``."""
    parent: NDArray[np.intp]
    child: NDArray[np.intp]
    """Item rows of each part line, lines ordered by their parent's topological position."""
    coef: Array
    """Central coefficient of each line (child basis-units per parent basis-unit, with loss)."""
    line_row: NDArray[np.intp]
    """Row of each line in the sampled coefficient block, -1 for lines with nothing uncertain."""
    unc_lines: NDArray[np.intp]
    """The lines with an uncertain amount, yield, recycled fraction or balance, shape (U,)."""
    unc_amount: tuple[NDArray[np.intp], Array]
    unc_yield: tuple[NDArray[np.intp], Array]
    unc_recycled: tuple[NDArray[np.intp], Array]
    """For each uncertain line: its parameter row in the draws (-1: fixed), and central value."""
    balances: list[tuple[int, float, NDArray[np.intp], Array, float]]
    """Per uncertain balance line: (its index in ``unc_lines``, 1 - fixed sibling fractions,
    parameter rows of the uncertain siblings, their kg/kg factors, kg/kg -> line unit)."""
    params: dict[str, tuple[NDArray[np.intp], Array, Array, Array]]
    """Per distribution: parameter rows and their low, central, high."""
    n_params: int
    volume_rows: NDArray[np.intp]
    volume_param: NDArray[np.intp]
    volume_central: Array
    """Per (product, year) volume: item row, parameter row (-1: fixed), central value."""
    basis: str


def _topological(catalog: mc.Catalog, roots: Sequence[str]) -> list[str]:
    """Items reachable from ``roots``, every parent before its children (iterative DFS)."""
    items = catalog.items
    post: list[str] = []
    seen: set[str] = set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(items[root].parts))]
        while stack:
            node, children = stack[-1]
            for c in children:
                if c not in seen:
                    seen.add(c)
                    stack.append((c, iter(items[c].parts)))
                    break
            else:
                stack.pop()
                post.append(node)
    return post[::-1]


def bom_arrays(
    catalog: mc.Catalog,
    volumes: Mapping[str, Any],
    *,
    basis: str = "mined",
    central: bool = False,
) -> BomArrays:
    """Build the line and parameter arrays of :func:`reference_general` from the public items.

    Parameters
    ----------
    catalog : mc.Catalog
    volumes : mapping
        As ``mc.demand`` reads them (read with ``parse_volumes``).
    basis : {'mined', 'gross', 'contained'}, default 'mined'
    central : bool, default False
        Every parameter fixed at its central value (nothing is drawn).

    Returns
    -------
    BomArrays
    """
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, got {basis!r}")
    vols = parse_volumes(volumes, catalog)
    items = catalog.items
    order = _topological(catalog, vols.products)
    row = {i: k for k, i in enumerate(order)}
    elements = tuple(e for e in items if e in row and catalog.kind(e) == "element")

    lo_p: list[float] = []
    c_p: list[float] = []
    hi_p: list[float] = []
    dist_p: list[str] = []

    def param(lo: float, c: float, hi: float, dist: str) -> int:
        """Parameter row of an uncertain value, -1 for a fixed one."""
        if central or lo == hi or dist == "fixed":
            return -1
        lo_p.append(lo)
        c_p.append(c)
        hi_p.append(hi)
        dist_p.append(dist)
        return len(lo_p) - 1

    parent, child, coef = [], [], []
    a_row, a_c, y_row, y_c, r_row, r_c = [], [], [], [], [], []
    bal_specs: list[tuple[int, float, list[int], list[float], float]] = []
    for pid in order:
        pit = items[pid]
        first = len(parent)
        for cid, part in pit.parts.items():
            cit = items[cid]
            parent.append(row[pid])
            child.append(row[cid])
            if part.amount is None:
                a_row.append(-1)
                a_c.append(np.nan)  # filled below from the siblings
            else:
                f = conversion_factor(part.amount.unit, _line_unit(cit, pit))
                lo, c, hi = (v * f for v in part.amount.values())
                a_row.append(param(lo, c, hi, part.amount.dist))
                a_c.append(c)
            y_row.append(param(*part.yield_.values(), part.yield_.dist))
            y_c.append(part.yield_.values()[1])
            r_row.append(param(*part.recycled.values(), part.recycled.dist))
            r_c.append(part.recycled.values()[1])
        for k in range(first, len(parent)):
            if not np.isnan(a_c[k]):
                continue
            fixed, rows, facs = 1.0, [], []
            for j in range(first, len(parent)):
                cj = items[order[child[j]]]
                if j == k or not is_mass(cj.basis):
                    continue
                w = conversion_factor(_line_unit(cj, pit), _DIMENSIONLESS)
                if a_row[j] >= 0:
                    rows.append(a_row[j])
                    facs.append(w)
                else:
                    fixed -= w * a_c[j]
            to_line = conversion_factor(_DIMENSIONLESS, _line_unit(items[order[child[k]]], pit))
            a_c[k] = fixed * to_line
            if rows:  # the central balance is 1 - central siblings
                a_c[k] -= to_line * sum(w * c_p[r] for r, w in zip(rows, facs, strict=True))
                bal_specs.append((k, fixed, rows, facs, to_line))
    for k in range(len(parent)):
        coef.append(a_c[k] * float(_loss(y_c[k], r_c[k], basis)))

    uncertain = [
        k for k in range(len(parent)) if a_row[k] >= 0 or y_row[k] >= 0 or r_row[k] >= 0
    ] + [b[0] for b in bal_specs]
    unc_lines = np.array(sorted(set(uncertain)), dtype=np.intp)
    line_row = np.full(len(parent), -1, dtype=np.intp)
    line_row[unc_lines] = np.arange(unc_lines.size)

    def pick(rows: list[int], cs: list[float]) -> tuple[NDArray[np.intp], Array]:
        return np.array(rows, dtype=np.intp)[unc_lines], np.array(cs, dtype=float)[unc_lines]

    balances = [
        (int(line_row[k]), fixed, np.array(rows, dtype=np.intp), np.array(facs), to_line)
        for k, fixed, rows, facs, to_line in bal_specs
    ]

    vol_rows, vol_param, vol_c = [], [], []
    for p, pid in enumerate(vols.products):
        for y in range(len(vols.years)):
            lo, c, hi = vols.values[:, p, y]
            vol_rows.append(row[pid])
            vol_param.append(param(lo, c, hi, vols.dists[p]))
            vol_c.append(c)

    lo_a, c_a, hi_a = np.array(lo_p), np.array(c_p), np.array(hi_p)
    dists = np.array(dist_p, dtype=object)
    params = {}
    for d in ("uniform", "triangular", "pert", "lognormal"):
        idx = np.flatnonzero(dists == d)
        if idx.size:
            params[d] = (idx, lo_a[idx], c_a[idx], hi_a[idx])
    return BomArrays(
        items=tuple(order),
        elements=elements,
        element_rows=np.array([row[e] for e in elements], dtype=np.intp),
        parent=np.array(parent, dtype=np.intp),
        child=np.array(child, dtype=np.intp),
        coef=np.array(coef),
        line_row=line_row,
        unc_lines=unc_lines,
        unc_amount=pick(a_row, a_c),
        unc_yield=pick(y_row, y_c),
        unc_recycled=pick(r_row, r_c),
        balances=balances,
        params=params,
        n_params=len(lo_p),
        volume_rows=np.array(vol_rows, dtype=np.intp),
        volume_param=np.array(vol_param, dtype=np.intp),
        volume_central=np.array(vol_c),
        basis=basis,
    )


def _gather(theta: Array, rows: NDArray[np.intp], const: Array) -> Array:
    """(k, s): the drawn parameter where ``rows >= 0``, else the constant."""
    out = np.empty((rows.size, theta.shape[1]))
    out[:] = const[:, None]
    drawn = rows >= 0
    out[drawn] = theta[rows[drawn]]
    return out


def sample_bom(arrays: BomArrays, n: int, seed: int | None, *, chunk: int = CHUNK) -> Array:
    """The numerical part of :func:`reference_general`: element totals of ``n`` samples.

    Parameters
    ----------
    arrays : BomArrays
        From :func:`bom_arrays`.
    n : int
        Number of samples.
    seed : int or None
        Seed of ``np.random.default_rng``.
    chunk : int, default :data:`CHUNK`
        Samples per chunk.

    Returns
    -------
    ndarray, shape (n, E)
        Element demand of each sample, kg.
    """
    rng = np.random.default_rng(seed)
    a = arrays
    n_el = len(a.elements)
    out = np.empty((n, n_el))
    parent, child = a.parent.tolist(), a.child.tolist()
    line_row, coef = a.line_row.tolist(), a.coef.tolist()
    for start in range(0, n, chunk):
        s = min(chunk, n - start)
        # 1. every uncertain parameter of the chunk, one numpy call per distribution
        theta = np.empty((a.n_params, s))
        for d, (idx, lo, c, hi) in a.params.items():
            theta[idx] = _draw(rng, d, lo, c, hi, s)
        # 2. per-sample coefficients of the lines with anything uncertain, (U, s)
        amount = _gather(theta, *a.unc_amount)
        for k, fixed, rows, facs, to_line in a.balances:
            amount[k] = to_line * (fixed - facs @ theta[rows])
        y = _gather(theta, *a.unc_yield)
        r = _gather(theta, *a.unc_recycled)
        sampled = amount * _loss(y, r, a.basis)
        # 3. top-down flow: each item's demand, parents before children, (items, s)
        flow = np.zeros((len(a.items), s))
        for item_row, prow, c in zip(a.volume_rows, a.volume_param, a.volume_central, strict=True):
            flow[item_row] += theta[prow] if prow >= 0 else c
        for p, ch, k, c in zip(parent, child, line_row, coef, strict=True):
            flow[ch] += (sampled[k] if k >= 0 else c) * flow[p]
        out[start : start + s] = flow[a.element_rows].T
    return out


def reference_general(
    catalog: mc.Catalog,
    volumes: Mapping[str, Any],
    n: int,
    seed: int | None,
    basis: str = "mined",
    *,
    central: bool = False,
    chunk: int = CHUNK,
) -> tuple[tuple[str, ...], Array]:
    """Plain-numpy Monte Carlo of a general multi-level bill of materials.

    1. Setup (:func:`bom_arrays`, plain Python over the public items, once):

       * the items reachable from the volumes' products, in topological order (parents
         first, iterative depth-first search);
       * one entry per part line: parent row, child row, amount converted to child basis per
         parent basis (``conversion_factor(amount.unit, child.basis / parent.basis)``), yield,
         recycled fraction, each (low, central, high, dist); the central coefficient
         ``amount * loss``;
       * a table of the uncertain parameters (line amounts, yields, recycled fractions and
         product volumes with low < high; volumes read with ``parse_volumes``), grouped by
         distribution;
       * for each balance line: ``1 - fixed sibling fractions`` and the rows and kg/kg factors
         of its uncertain siblings (siblings whose child basis is not a mass are left out).

    2. Sampling (:func:`sample_bom`), in chunks of 10,000 samples:

       * draw all uncertain parameters at once, one numpy call per distribution
         (``uniform``; ``triangular``; PERT ``a + (b - a) beta(1 + 4 (c - a)/(b - a),
         1 + 4 (b - c)/(b - a))``; ``lognormal`` with median c and sigma ``ln(b/a) / 3.29``),
         into a (parameters, samples) array: each line's parameters are drawn once per sample
         and shared by every product that reaches the line;
       * per-sample coefficients of the lines with anything uncertain: the balance amount is
         ``1 - sum(sibling fractions of the same draw)`` (not clipped), then every amount times
         its loss factor ``1/y - r (1/y - 1)`` (mined), ``1/y`` (gross) or 1 (contained);
       * top-down flow over a (items, samples) array: each product's row starts at its drawn
         volume (summed over the volume's years), then for each line in topological order
         ``flow[child] += coef * flow[parent]``; the element rows are the totals.

    Volumes of several years are drawn independently per year and summed (one catalog for all
    years: timeline changes are not modelled); the self-check uses one-year volumes.

    Parameters
    ----------
    catalog : mc.Catalog
    volumes : mapping
        ``{product_id: amount}`` or ``{product_id: {year: amount}}``, as ``mc.demand`` reads.
    n : int
        Number of samples.
    seed : int or None
        Seed of ``np.random.default_rng``.
    basis : {'mined', 'gross', 'contained'}, default 'mined'
    central : bool, default False
        Every parameter at its central value (every row the deterministic answer).

    Returns
    -------
    elements : tuple of str
        The elements the products reach, in catalog order.
    totals : ndarray, shape (n, E)
        Element demand of each sample, kg.
    """
    arrays = bom_arrays(catalog, volumes, basis=basis, central=central)
    return arrays.elements, sample_bom(arrays, n, seed, chunk=chunk)


# --------------------------------------------------------------------------- self-check
def mixed_case() -> tuple[mc.Catalog, dict[str, Any]]:
    """A small catalog with every distribution, uncertain yields, recycling, balance, volumes."""
    est = mc.Estimate
    alloy = mc.Item(
        "alloy",
        basis="kg",
        parts={
            "Nd": est(low=20, central=25, high=31, dist="lognormal", unit="%"),
            "Dy": est(low=1, central=2, high=5, dist="pert", unit="%"),
            "Co": "1 (0.5 to 3) %",
            "B": "1 %",
            "Fe": mc.Part("balance", yield_=est(0.85, 0.9, 0.97, "pert"), recycled="0.3 to 0.7"),
        },
    )
    magnet = mc.Item(
        "magnet",
        basis="kg",
        parts={
            "alloy": mc.Part(1, yield_="0.75 (0.6 to 0.9)", recycled=est(0.5, 0.8, 0.95, "pert")),
        },
    )
    motor = mc.Item(
        "motor",
        parts={
            "magnet": "1 to 3 kg",
            "Cu": est(low="3 kg", central="5 kg", high="8 kg", dist="lognormal"),
        },
    )
    car = mc.Item("car", parts={"motor": "1.2 (1 to 2)", "Li": "8 to 12 kg"}, kind="product")
    bus = mc.Item("bus", parts={"motor": 2, "alloy": "40 g"}, kind="product")
    wind = mc.Item(
        "wind",
        basis="MW",
        parts={"magnet": est(500, 600, 700, "pert", unit="kg/MW")},
        kind="product",
    )
    catalog = mc.Catalog([alloy, magnet, motor, car, bus, wind])
    volumes = {"car": "80 to 90 million", "bus": "1 (0.5 to 2) million", "wind": "100 GW"}
    return catalog, volumes


def _timed(f: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = f(*args, **kwargs)
    return time.perf_counter() - t0, out


def _check_central(
    name: str,
    ref: Callable[..., tuple[tuple[str, ...], Array]],
    catalog: mc.Catalog,
    volumes: Mapping[str, Any],
    basis: str = "mined",
) -> float:
    """Largest relative difference of the central answer from ``mc.demand(...).total``."""
    els, tot = ref(catalog, volumes, 1, 0, basis=basis, central=True)
    det = mc.demand(volumes, catalog, basis=basis)
    worst, where = 0.0, ""
    for k, el in enumerate(els):
        lib = float(det.total(el, "kg").magnitude)
        rel = abs(tot[0, k] - lib) / max(abs(lib), 1e-300)
        if rel > worst:
            worst, where = rel, el
    missing = [e for e in det.elements if e not in els and det.total(e, "kg").magnitude != 0]
    print(
        f"  central {name} ({basis}): {len(els)} elements, max rel diff {worst:.2e} {where}"
        + (f"; library has nonzero {missing} the reference does not" if missing else "")
    )
    return worst


def _check_samples(
    name: str,
    els: tuple[str, ...],
    tot: Array,
    d: Any,
    show: Sequence[str] | None = None,
    seeds: tuple[int, int] = (12345, 1),
) -> None:
    """Means (with z-score) and 5/50/95 % quantiles of reference vs library samples."""
    n = tot.shape[0]
    print(
        f"  sampled {name}: {n:,} samples each, "
        f"reference seed {seeds[0]}, mc.demand seed {seeds[1]}"
    )
    print(
        f"    {'el':>3} {'mean ref':>11} {'mean lib':>11} {'rel':>8} {'z':>6}"
        f" {'p5 rel':>8} {'p50 rel':>8} {'p95 rel':>8}"
    )
    worst_z, worst_q = 0.0, 0.0
    for k, el in enumerate(els):
        x = tot[:, k]
        lib = d.sample_values(el, "kg")
        if x.mean() == 0 and lib.mean() == 0:
            continue
        se = np.sqrt(x.var() / n + lib.var() / lib.size)
        z = (x.mean() - lib.mean()) / se if se > 0 else 0.0
        qx, ql = np.quantile(x, [0.05, 0.5, 0.95]), np.quantile(lib, [0.05, 0.5, 0.95])
        rq = (qx - ql) / ql
        worst_z, worst_q = max(worst_z, abs(z)), max(worst_q, float(np.abs(rq).max()))
        if show is None or el in show or abs(z) > 4:
            rel = (x.mean() - lib.mean()) / lib.mean()
            print(
                f"    {el:>3} {x.mean():11.4g} {lib.mean():11.4g} {rel:8.2%} {z:6.2f}"
                f" {rq[0]:8.2%} {rq[1]:8.2%} {rq[2]:8.2%}"
            )
    print(
        f"    all {len(els)} elements: max |z| of means {worst_z:.2f}, "
        f"max quantile rel diff {worst_q:.2%}"
    )


def main(n_check: int = 20_000, n_time: int = 100_000) -> None:
    """Self-check against ``mc.demand`` and timings (see the module docstring)."""
    issue_cat, issue_vol = issue_synthetic()
    base = mc.load_scenario("baseline-2024")
    mixed_cat, mixed_vol = mixed_case()
    ranged = {p: f"{v:g} to {1.4 * v:g}" for p, v in issue_vol.items()}
    cases = [
        ("issue", issue_cat, issue_vol),
        ("baseline-2024", base.catalog, base.volumes),
        ("mixed", mixed_cat, mixed_vol),
        ("issue, ranged volumes", issue_cat, ranged),
    ]
    print("Central values (every parameter at its central value) vs mc.demand(...).total:")
    _check_central("issue / reference_issue", reference_issue, issue_cat, issue_vol)
    for name, cat, vol in cases:
        for basis in BASES:
            _check_central(f"{name} / reference_general", reference_general, cat, vol, basis)

    print(f"\nSamples vs mc.demand(volumes, catalog, samples={n_check:,}, seed=1):")
    show = {
        "baseline-2024": ("Nd", "Pr", "Dy", "Tb", "La", "Ce", "Co", "Ni", "Fe", "Sm", "C"),
    }
    libs = {}
    for name, cat, vol in cases:
        libs[name] = mc.demand(vol, cat, samples=n_check, seed=1)
    els, tot = reference_issue(issue_cat, issue_vol, n_check, 12345)
    _check_samples("issue / reference_issue", els, tot, libs["issue"], ("Cr", "Ni", "Fe"))
    for name, cat, vol in cases:
        els, tot = reference_general(cat, vol, n_check, 12345)
        _check_samples(f"{name} / reference_general", els, tot, libs[name], show.get(name))

    print(f"\nTimings at {n_time:,} samples (best of 3, seconds):")

    def best(f: Callable[..., Any], *args: Any, **kwargs: Any) -> float:
        return min(_timed(f, *args, **kwargs)[0] for _ in range(3))

    t_setup = best(issue_arrays, issue_cat, issue_vol)
    arrays = issue_arrays(issue_cat, issue_vol)
    t_num = best(sample_issue, arrays, n_time, 1)
    t_all = best(reference_issue, issue_cat, issue_vol, n_time, 1)
    print(
        f"  reference_issue    issue:         end to end {t_all:6.3f}"
        f"  (setup {t_setup:.3f}, sampling {t_num:.3f})"
    )
    for name, cat, vol in cases[:3]:
        t_setup = best(bom_arrays, cat, vol)
        arrays_g = bom_arrays(cat, vol)
        t_num = best(sample_bom, arrays_g, n_time, 1)
        t_all = best(reference_general, cat, vol, n_time, 1)
        t_lib = best(mc.demand, vol, cat, samples=n_time, seed=1)
        print(
            f"  reference_general  {name + ':':14} end to end {t_all:6.3f}"
            f"  (setup {t_setup:.3f}, sampling {t_num:.3f});"
            f"  mc.demand {t_lib:6.3f}"
        )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
