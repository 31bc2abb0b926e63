"""More hypothesis properties: units, mass balance, ordering, Monte Carlo, round trips."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mineralcalc as mc
from mineralcalc import Catalog, Item
from mineralcalc.elements import OXIDES

from .strategies import ELEMENTS, MASS_UNITS, balanced_materials, bom_graphs, in_unit

EPS = np.finfo(float).eps


@given(bom_graphs(), st.randoms(use_true_random=False))
def test_invariant_under_the_unit_each_amount_is_written_in(items, rnd):
    units = list(MASS_UNITS)
    rewritten = in_unit(items, lambda p, c: rnd.choice(units))
    a, b = Catalog(items), Catalog(rewritten)
    top = items[-1].id
    for el in ELEMENTS:
        assert b.intensity(top, el).values() == pytest.approx(
            a.intensity(top, el).values(), rel=1e-9, abs=1e-15
        )


@given(balanced_materials(), st.lists(st.floats(0.01, 100), min_size=1, max_size=3))
def test_mass_balance(materials, kgs):
    # a product holding materials whose fractions add up to 1 holds exactly their mass
    parts = {m.id: f"{kg} kg" for m, kg in zip(materials, kgs, strict=False)}
    cat = Catalog([*materials, Item("product", parts=parts, kind="product")])
    total = sum(kg for _, kg in zip(materials, kgs, strict=False))
    frame = cat.intensity("product")
    assert frame["central"].sum() == pytest.approx(total, rel=0, abs=100 * EPS * total)
    for m in materials:  # each material alone: exactly 1 kg per kg
        assert cat.intensity(m.id)["central"].sum() == pytest.approx(1.0, rel=0, abs=100 * EPS)


@given(bom_graphs(), st.floats(0.1, 1e6))
def test_low_central_high_everywhere(items, volume):
    cat = Catalog(items)
    top = items[-1]
    d = mc.demand({top.id: mc.Q_(volume, top.basis)}, cat)
    frame = d.to_frame("kg")
    tol = 1e-9 * frame["high"].abs().max() if len(frame) else 0
    assert (frame["low"] <= frame["central"] + tol).all()
    assert (frame["central"] <= frame["high"] + tol).all()
    _, arr = d.element_array("kg")
    assert (arr[0] <= arr[1] + tol).all() and (arr[1] <= arr[2] + tol).all()


@settings(max_examples=25)
@given(bom_graphs(max_items=5), st.integers(0, 2**31 - 1))
def test_interval_bounds_contain_every_monte_carlo_draw(items, seed):
    cat = Catalog(items)
    top = items[-1]
    d = mc.demand({top.id: mc.Q_(10.0, top.basis)}, cat, samples=300, seed=seed)
    for el in d.elements:
        lo, _, hi = (q.to("kg").magnitude for q in d.range(el))
        v = d.sample_values(el, "kg")
        # sampled totals are kept as float32: a relative precision of 6e-8
        slack = 4 * float(np.finfo(np.float32).eps) * max(abs(hi), 1e-300)
        assert v.min() >= lo - slack and v.max() <= hi + slack, el


@given(st.sampled_from(sorted(OXIDES)), st.floats(1e-6, 1e9))
def test_oxide_metal_round_trip(el, kg):
    ox = OXIDES[el]
    cat = Catalog([Item("lot", "kg", {ox.formula: "1 kg/kg"}, kind="product")])
    metal = mc.demand({"lot": f"{kg!r} kg"}, cat).total(el, "kg").magnitude
    assert metal == pytest.approx(kg * ox.metal_fraction, rel=1e-12)
    assert metal / mc.metal_fraction(el) == pytest.approx(kg, rel=1e-12)


@given(bom_graphs(), st.floats(1, 1e6))
def test_results_round_trip_through_csv(items, volume):
    from mineralcalc.present.export import to_csv

    top = items[-1]
    frame = mc.demand({top.id: mc.Q_(volume, top.basis)}, Catalog(items)).to_frame("kg")
    text = to_csv(list(frame.columns), frame.itertuples(index=False, name=None))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(frame)
    for row, (_, ref) in zip(rows, frame.iterrows(), strict=True):
        assert row["product"] == ref["product"] and row["element"] == ref["element"]
        for col in ("low", "central", "high"):
            assert float(row[col]) == ref[col]  # exact: floats are written at full precision


@settings(max_examples=30)
@given(bom_graphs())
def test_user_tables_round_trip(tmp_path_factory, items):
    folder = tmp_path_factory.mktemp("tables")
    cat = Catalog(items)
    cat.to_tables(folder)
    back = Catalog.from_tables(folder, merge=False)
    for it in items:
        a, b = cat.intensity(it.id), back.intensity(it.id)
        assert list(a.index) == list(b.index)
        np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12)
    with pytest.raises(mc.TableError, match="exists"):
        cat.to_tables(folder)
