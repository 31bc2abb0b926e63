"""The explosion: multi-level BOMs, units on every level, yields, balance, exact bounds.

Expectations are computed by hand in the comments, or by the naive reference walker in
``reference.py``, which shares no code with the engine.
"""

import pytest

import mineralcalc as mc
from mineralcalc import Catalog, Item, Part

from . import reference as ref


def _three_level():
    # alloy: 30 % Nd, Fe the balance (70 %)
    # rotor (unit): 2 kg alloy + 500 g Cu       -> Nd 0.6, Fe 1.4, Cu 0.5 kg
    # stator (unit): 0.001 t alloy + 2 rotors   -> Nd 0.3+1.2=1.5, Fe 0.7+2.8=3.5, Cu 1.0 kg
    # machine (unit): 1 rotor + 3 stators + 0.002 t Cu
    #   -> Nd 0.6+4.5=5.1, Fe 1.4+10.5=11.9, Cu 0.5+3.0+2.0=5.5 kg
    # (the rotor is shared: 7 rotors per machine over two paths)
    return [
        Item("alloy", "kg", {"Nd": "30 %", "Fe": "balance"}),
        Item("rotor", parts={"alloy": "2 kg", "Cu": "500 g"}),
        Item("stator", parts={"alloy": "0.001 t", "rotor": 2}),
        Item("machine", parts={"rotor": 1, "stator": 3, "Cu": "0.002 t"}, kind="product"),
    ]


def test_three_levels_g_kg_t_with_shared_subassembly():
    cat = Catalog(_three_level())
    frame = cat.intensity("machine")
    assert frame.loc["Nd", "central"] == pytest.approx(5.1)
    assert frame.loc["Fe", "central"] == pytest.approx(11.9)
    assert frame.loc["Cu", "central"] == pytest.approx(5.5)
    assert frame.attrs["unit"] == "kg/unit"
    # mass balance: every kg is accounted for
    assert frame["central"].sum() == pytest.approx(1 * 2.5 + 3 * 1 + 3 * 2 * 2.5 + 2)


def test_matches_naive_reference():
    items = {it.id: it for it in _three_level()}
    cat = Catalog(items.values())
    for el in ("Nd", "Fe", "Cu"):
        assert cat.intensity("machine", el).values()[1] == pytest.approx(
            ref.content(items, "machine", el)
        )


def test_yields_on_two_levels_carry_up():
    # ERPNext #49287: process loss in a sub-assembly must reach the top of the BOM.
    # magnet: 1 kg/kg alloy at yield 0.8 (20 % scrap); motor: 2 kg magnet at yield 0.9
    # Nd per motor = 2 / 0.9 / 0.8 * 0.30 = 0.8333 kg
    cat = Catalog(
        [
            Item("alloy", "kg", {"Nd": "30 %", "Fe": "balance"}),
            Item("magnet", "kg", {"alloy": Part("1 kg/kg", yield_=0.8)}),
            Item("motor", parts={"magnet": Part("2 kg", yield_="90 %")}, kind="product"),
        ]
    )
    assert cat.intensity("motor", "Nd").values("kg/unit")[1] == pytest.approx(2 / 0.9 / 0.8 * 0.3)


def test_unit_factors_survive_every_level():
    # Odoo #258651 / ERPNext #31170: a 1000x loss of a unit factor across levels.
    # A grams-per-unit part inside a tonnes-per-unit part inside a count: 1 * 2 t * 5 g/kg
    cat = Catalog(
        [
            Item("ore", "kg", {"Nd": "5 g/kg"}),
            Item("block", parts={"ore": "2 t"}),
            Item("plant", parts={"block": "1 thousand"}, kind="product"),
        ]
    )
    # per plant: 1000 blocks * 2000 kg ore * 0.005 kg/kg = 10,000 kg Nd
    assert cat.intensity("plant", "Nd").values("kg/unit")[1] == pytest.approx(10_000)
    assert cat.intensity("plant", "Nd").values("t/unit")[1] == pytest.approx(10)


def test_per_mw_product_with_gw_volume():
    # design.md: offshore wind at ~180 kg Nd per MW times 8 GW is 1,440 t of neodymium
    cat = Catalog([Item("offshore_wind", "MW", {"Nd": "180 kg/MW"}, kind="product")])
    d = mc.demand({"offshore_wind": "8 GW"}, cat)
    assert d.total("Nd").to("t").magnitude == pytest.approx(1440)
    # an annual rate is accepted too
    assert mc.demand({"offshore_wind": "8 GW/yr"}, cat).total("Nd", "t").magnitude == pytest.approx(
        1440
    )


def test_technology_mix_by_market_share():
    # offshore per MW: 0.7 MW direct-drive (180 kg Nd/MW) + 0.3 MW geared (12 kg/MW)
    # = 126 + 3.6 = 129.6 kg Nd per MW
    cat = Catalog(
        [
            Item("dd", "MW", {"Nd": "180 kg/MW"}, kind="technology"),
            Item("geared", "MW", {"Nd": "12 kg/MW"}, kind="technology"),
            Item("offshore", "MW", {"dd": 0.7, "geared": "0.3 MW/MW"}, kind="product"),
        ]
    )
    assert cat.intensity("offshore", "Nd").values("kg/MW")[1] == pytest.approx(129.6)


def test_ranges_give_exact_bounds_without_balance():
    # EV motor 1.2-3.5 kg magnet, magnet Nd 28-32 %, yield 0.7-0.8
    # low = 1.2 * 0.28 / 0.8 = 0.42 ; high = 3.5 * 0.32 / 0.7 = 1.6
    cat = Catalog(
        [
            Item("magnet", "kg", {"Nd": "28 to 32 %"}),
            Item("motor", parts={"magnet": Part("1.2 to 3.5 kg", yield_="0.7 to 0.8")}),
        ]
    )
    lo, _, hi = cat.intensity("motor", "Nd").values("kg/unit")
    assert (lo, hi) == pytest.approx((0.42, 1.6))


def test_balance_moves_the_other_way_exactly():
    # NdFeB: Nd 28-32 %, Dy 0-4 %, B 1 %, Fe balance
    # Fe low = 1 - 0.32 - 0.04 - 0.01 = 0.63; Fe high = 1 - 0.28 - 0 - 0.01 = 0.71
    items = [
        Item("ndfeb", "kg", {"Nd": "28 to 32 %", "Dy": "0 to 4 %", "B": "1 %", "Fe": "balance"}),
        Item("motor", parts={"ndfeb": Part("1.2 to 3.5 kg", yield_="0.7 to 0.8")}),
    ]
    cat = Catalog(items)
    fe = cat.intensity("ndfeb", "Fe").values()
    assert fe == pytest.approx((0.63, 0.67, 0.71))
    lo, _, hi = cat.intensity("motor", "Fe").values()
    assert (lo, hi) == pytest.approx((1.2 * 0.63 / 0.8, 3.5 * 0.71 / 0.7))
    # and the brute-force vertex enumeration agrees for every element and the groups
    table = {it.id: it for it in items}
    for el in ("Nd", "Dy", "B", "Fe"):
        got = cat.intensity("motor", el).values()
        assert (got[0], got[2]) == pytest.approx(ref.exact_bounds(table, "motor", el))


def test_group_bounds_are_exact_not_sums_of_element_bounds():
    # A group mixing a balance part and its sibling: Nd + Fe in NdFeB is 1 - Dy - B,
    # whose bounds are [0.95, 0.99], tighter than Nd's plus Fe's element bounds.
    cat = Catalog(
        [Item("ndfeb", "kg", {"Nd": "28 to 32 %", "Dy": "0 to 4 %", "B": "1 %", "Fe": "balance"})]
    )
    d = mc.demand({"ndfeb": "1 t"}, cat)
    # group given as a list of symbols
    lo, c, hi = (q.to("kg").magnitude for q in d.range(["Nd", "Fe"]))  # type: ignore[arg-type]
    assert (lo, c, hi) == pytest.approx((950, 970, 990))


def test_oxides_are_built_in_items():
    # 251 kg Nd2O3 per MW holds 251 * 0.8574 = 215.2 kg Nd (Wilburn 2011 check)
    cat = Catalog([Item("wind", "MW", {"Nd2O3": "251 kg/MW"}, kind="product")])
    assert cat.intensity("wind", "Nd").values()[1] == pytest.approx(251 * mc.metal_fraction("Nd"))
    assert cat.intensity("Nd2O3").loc[["Nd", "O"], "central"].sum() == pytest.approx(1.0)


def test_intensity_unit_and_errors():
    cat = Catalog([Item("phone", parts={"Nd": "0.16 g"}, kind="product")])
    assert cat.intensity("phone", unit="g/unit").loc["Nd", "central"] == pytest.approx(0.16)
    with pytest.raises(mc.DimensionError, match="mass per unit"):
        cat.intensity("phone", unit="kg/MW")
    with pytest.raises(mc.UnknownItemError, match="did you mean 'phone'"):
        cat.intensity("phones")
