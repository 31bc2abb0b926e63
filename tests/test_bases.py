"""Demand bases: contained in products, gross through the processes, net mined (issue 11).

Magnet swarf is recycled to oxide within months: it passes through magnet making again
(gross) but is not mined again (net). Expectations are computed by hand in the comments and
checked against the naive walker in ``reference.py``.
"""

import numpy as np
import pytest

import mineralcalc as mc
from mineralcalc import Catalog, Item, Part

from . import reference as ref


def _items(recycled="90 %"):
    # alloy 30 % Nd; metal from oxide at yield 0.8 (nothing recycled);
    # magnet = alloy at yield 0.75 with 90 % of the swarf recycled; motor holds 2 kg magnet
    return {
        it.id: it
        for it in [
            Item("nd_metal", "kg", {"Nd": Part("1 kg/kg", yield_=0.8)}),
            Item("alloy", "kg", {"nd_metal": "30 %", "Fe": "balance"}),
            Item("magnet", "kg", {"alloy": Part("1 kg/kg", yield_=0.75, recycled=recycled)}),
            Item("motor", parts={"magnet": "2 kg"}, kind="product"),
        ]
    }


def test_three_bases_by_hand():
    cat = Catalog(_items().values())
    # contained: 2 kg x 30 % = 0.6 kg Nd in the motor
    assert cat.intensity("motor", "Nd", basis="contained").values()[1] == pytest.approx(0.6)
    # gross: 2 / 0.75 kg of alloy through magnet making, 0.3 of it Nd metal, / 0.8 from oxide
    assert cat.intensity("motor", "Nd", basis="gross").values()[1] == pytest.approx(1.0)
    # mined: of the 2/0.75 - 2 = 0.667 kg swarf, 90 % comes back: 2.0667 kg alloy is new
    # -> 2.0667 x 0.3 / 0.8 = 0.775 kg Nd
    mined = (2 / 0.75 - 0.9 * (2 / 0.75 - 2)) * 0.3 / 0.8
    assert cat.intensity("motor", "Nd").values()[1] == pytest.approx(mined)
    assert mined == pytest.approx(0.775)


def test_nothing_recycled_means_mined_equals_gross():
    cat = Catalog(_items(recycled=0).values())
    assert cat.intensity("motor", "Nd").values() == pytest.approx(
        cat.intensity("motor", "Nd", basis="gross").values()
    )


@pytest.mark.parametrize("basis", ["contained", "gross", "mined"])
def test_bases_match_the_naive_walker_with_exact_bounds(basis):
    items = _items(recycled="80 to 95 %")
    items["alloy"] = Item("alloy", "kg", {"nd_metal": "28 to 32 %", "Fe": "balance"})
    items["magnet"] = Item(
        "magnet", "kg", {"alloy": Part("1 kg/kg", yield_="0.7 to 0.8", recycled="80 to 95 %")}
    )
    cat = Catalog(items.values())
    lo, c, hi = cat.intensity("motor", "Nd", basis=basis).values()
    assert c == pytest.approx(ref.content(items, "motor", "Nd", basis=basis))
    assert (lo, hi) == pytest.approx(ref.exact_bounds(items, "motor", "Nd", basis))


def test_demand_basis_default_and_per_query():
    cat = Catalog(_items().values())
    d = mc.demand({"motor": 1000}, cat)
    assert d.basis == "mined"
    assert d.total("Nd", "kg").magnitude == pytest.approx(775)
    assert d.total("Nd", "kg", basis="contained").magnitude == pytest.approx(600)
    assert d.by_element("kg", basis="gross").loc["Nd", "central"] == pytest.approx(1000)
    assert d.by_element().attrs["basis"] == "mined"
    assert d.to_frame(basis="contained").attrs["basis"] == "contained"
    contained = mc.demand({"motor": 1000}, cat, basis="contained")
    assert contained.total("Nd", "kg").magnitude == pytest.approx(600)
    with pytest.raises(mc.MineralcalcError, match="basis 'netto' is not one of"):
        d.total("Nd", basis="netto")


def test_sampled_mined_basis_uses_one_draw_of_yield_and_recycling():
    items = _items()
    items["magnet"] = Item(
        "magnet", "kg", {"alloy": Part("1 kg/kg", yield_="0.7 to 0.8", recycled="80 to 95 %")}
    )
    cat = Catalog(items.values())
    d = mc.demand({"motor": 1000}, cat, samples=20_000, seed=3)
    values = d.sample_values("Nd", "kg")
    lo, _, hi = (q.to("kg").magnitude for q in d.range("Nd"))
    assert lo - 1e-9 <= values.min() and values.max() <= hi + 1e-9
    # the mean of the net factor u - r (u - 1) with independent uniform y and r:
    # E[1/y] over U(0.7, 0.8) = ln(0.8/0.7)/0.1; E[r] = 0.875
    mean_u = np.log(0.8 / 0.7) / 0.1
    expected = 1000 * 2 * (mean_u - 0.875 * (mean_u - 1)) * 0.3 / 0.8
    assert values.mean() == pytest.approx(expected, rel=2e-3)
    gross = mc.demand({"motor": 1000}, cat, samples=5000, seed=3, basis="gross")
    assert gross.sample_values("Nd", "kg").mean() == pytest.approx(
        1000 * 2 * mean_u * 0.3 / 0.8, rel=3e-3
    )


def test_recycled_fraction_is_checked():
    with pytest.raises(mc.AmountError, match=r"recycled 1.2 is outside \[0, 1\]"):
        Part("1 kg/kg", yield_=0.8, recycled=1.2)
    with pytest.raises(mc.AmountError, match="recycled"):
        Part("1 kg/kg", yield_=0.8, recycled="5 kg")
    assert "0.9 of the loss recycled" in str(Part("1 kg/kg", yield_=0.8, recycled=0.9))


def test_a_change_over_the_years_keeps_the_line_recycling():
    # Regression: a Change rebuilt the changed line without its recycled fraction, so from the
    # first changed year the swarf loop vanished and mined demand jumped by the whole loss.
    cat = mc.Catalog(
        [
            mc.Item("magnet", "kg", {"Nd": "30 %", "Fe": "balance"}),
            mc.Item(
                "motor",
                parts={"magnet": mc.Part("2 kg", yield_=0.8, recycled=0.9)},
                kind="product",
            ),
        ]
    )
    d = mc.demand(
        {"motor": {2024: 1000, 2026: 1000}},
        cat,
        years=[2024, 2025, 2026],
        changes=[mc.Change("motor", "magnet", rate="-10 %/yr", since=2024)],
    )
    # by hand: 2 kg x 30 % x (1/0.8 - 0.9 x (1/0.8 - 1)) = 0.6 x 1.025 kg Nd per motor
    per_motor = 0.6 * (1 / 0.8 - 0.9 * (1 / 0.8 - 1))
    for year, factor in ((2024, 1.0), (2025, 0.9), (2026, 0.81)):
        got = d.total("Nd", "kg", year=year).magnitude
        assert got == pytest.approx(1000 * per_motor * factor, rel=1e-12), year
