"""Hypothesis properties of the engine on random acyclic BOMs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mineralcalc as mc
from mineralcalc import Catalog

from . import reference as ref
from .strategies import ELEMENTS, bom_graphs


@given(bom_graphs())
def test_engine_matches_naive_reference(items):
    cat = Catalog(items)
    table = {it.id: it for it in items}
    top = items[-1].id
    for el in ELEMENTS:
        assert cat.intensity(top, el).values()[1] == pytest.approx(
            ref.content(table, top, el), rel=1e-9, abs=1e-12
        )


@given(bom_graphs(max_items=4))
def test_bounds_are_the_exact_vertex_extremes(items):
    table = {it.id: it for it in items}
    if len(ref.params(table)) > 10:  # keep the brute force small
        return
    cat = Catalog(items)
    top = items[-1].id
    for el in ELEMENTS:
        lo, c, hi = cat.intensity(top, el).values()
        exp_lo, exp_hi = ref.exact_bounds(table, top, el)
        assert lo == pytest.approx(exp_lo, rel=1e-9, abs=1e-12)
        assert hi == pytest.approx(exp_hi, rel=1e-9, abs=1e-12)
        assert lo <= c * (1 + 1e-12) + 1e-15 and c <= hi * (1 + 1e-12) + 1e-15


@given(bom_graphs(), st.floats(0.001, 1e9), st.floats(0.001, 1000))
def test_linear_in_volume(items, volume, k):
    cat = Catalog(items)
    top = items[-1].id
    basis = items[-1].basis
    base = mc.demand({top: mc.Q_(volume, basis)}, cat)
    scaled = mc.demand({top: mc.Q_(volume * k, basis)}, cat)
    for el in base.elements:
        for a, b in zip(base.range(el), scaled.range(el), strict=True):
            assert b.magnitude == pytest.approx(k * a.magnitude, rel=1e-9)


@given(bom_graphs(), st.floats(1, 1e6), st.floats(1, 1e6))
def test_additive_in_volume(items, v1, v2):
    cat = Catalog(items)
    top = items[-1].id
    b = items[-1].basis
    both = mc.demand({top: mc.Q_(v1 + v2, b)}, cat)
    one, two = mc.demand({top: mc.Q_(v1, b)}, cat), mc.demand({top: mc.Q_(v2, b)}, cat)
    for el in both.elements:
        assert both.total(el).magnitude == pytest.approx(
            one.total(el).magnitude + two.total(el).magnitude, rel=1e-9
        )


@given(st.floats(0.1, 500), st.sampled_from(["kW", "MW", "GW", "W"]))
def test_invariant_under_volume_unit(gw, unit):
    cat = Catalog([mc.Item("wind", "MW", {"Nd": "150 to 210 kg/MW"}, kind="product")])
    factor = {"W": 1e9, "kW": 1e6, "MW": 1e3, "GW": 1.0}[unit]
    a = mc.demand({"wind": f"{gw} GW"}, cat)
    b = mc.demand({"wind": mc.Q_(gw * factor, unit)}, cat)
    for qa, qb in zip(a.range("Nd"), b.range("Nd"), strict=True):
        assert qb.to("t").magnitude == pytest.approx(qa.to("t").magnitude, rel=1e-9)


@given(st.floats(0.01, 100), st.sampled_from(["g", "kg", "t", "lb", "mg"]))
def test_invariant_under_part_unit(kg, unit):
    q = mc.Q_(kg, "kg").to(unit)
    a = Catalog([mc.Item("p", parts={"Nd": f"{kg} kg"})]).intensity("p", "Nd").values()
    b = Catalog([mc.Item("p", parts={"Nd": q})]).intensity("p", "Nd").values()
    assert b == pytest.approx(a, rel=1e-9)
