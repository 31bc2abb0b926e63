"""Validation of items and catalogs: each bad input names its culprit."""

import math

import pytest

import mineralcalc as mc
from mineralcalc import Catalog, Item, Part
from mineralcalc.errors import (
    AmountError,
    CycleError,
    DimensionError,
    ItemError,
    MineralcalcError,
    UnknownItemError,
)


def test_part_defaults_and_str():
    p = Part("3 g")
    assert p.yield_.values() == (1.0, 1.0, 1.0)
    assert str(Part("1 kg", yield_=0.8)) == "1 kg at yield 0.8"
    assert Part("balance").balance and Part("balance").amount is None


def test_bare_amounts_become_parts():
    it = Item("x", parts={"Nd": "3 g"})
    assert isinstance(it.parts["Nd"], Part)
    with pytest.raises(TypeError):
        it.parts["Pr"] = Part("1 g")  # frozen mapping


def test_items_are_frozen():
    it = Item("x", parts={"Nd": "3 g"})
    with pytest.raises(AttributeError):
        it.id = "y"


def test_wrong_dimension_names_item_part_and_units():
    with pytest.raises(DimensionError) as e:
        Catalog([Item("phone", parts={"Nd": "3 m"})])
    msg = str(e.value)
    assert "'phone'" in msg and "'Nd'" in msg and "kg per unit" in msg and "[length]" in msg


def test_unknown_child_suggests():
    with pytest.raises(UnknownItemError, match=r"item 'phone', part 'Ndd'.*did you mean 'Nd'"):
        Catalog([Item("phone", parts={"Ndd": "3 g"})])


def test_unknown_child_is_also_a_keyerror_with_plain_message():
    with pytest.raises(KeyError) as e:
        Catalog([Item("phone", parts={"Ndd": "3 g"})])
    assert str(e.value).startswith("item 'phone'")


def test_cycle_is_named():
    items = [
        Item("a", parts={"b": 1}),
        Item("b", parts={"c": 2}),
        Item("c", parts={"a": 1, "Nd": "1 g"}),
    ]
    with pytest.raises(CycleError) as e:
        Catalog(items)
    msg = str(e.value)
    for name in ("'a'", "'b'", "'c'"):
        assert name in msg
    assert "->" in msg


def test_self_reference_is_a_cycle_error():
    with pytest.raises(ItemError, match="contain itself"):
        Item("a", parts={"a": 1})


@pytest.mark.parametrize(
    ("amount", "match"),
    [("-3 g", "negative"), (math.nan, "nan"), (math.inf, "inf"), ("1e20 t", "absurd")],
)
def test_bad_amounts_name_item_and_line(amount, match):
    with pytest.raises(AmountError, match=match) as e:
        Item("phone", parts={"Nd": amount})
    assert "item 'phone', part 'Nd'" in str(e.value)


@pytest.mark.parametrize("y", [0, 1.5, -0.1, "120 %", "0 to 0.8", "3 kg"])
def test_yield_outside_unit_interval(y):
    with pytest.raises(AmountError, match=r"yield .* (outside|not a fraction)"):
        Part("1 kg/kg", yield_=y)


def test_yield_as_percentage_and_range():
    p = Part("1 kg", yield_="70 to 80 %")
    assert p.yield_.values() == pytest.approx((0.7, 0.75, 0.8))


def test_balance_needs_mass_basis():
    with pytest.raises(ItemError, match="mass basis"):
        Item("motor", "unit", parts={"Fe": "balance"})


def test_balance_child_must_be_mass():
    with pytest.raises(ItemError, match="must be a mass"):
        Catalog([Item("part", "unit"), Item("alloy", "kg", {"Nd": "30 %", "part": "balance"})])


def test_only_one_balance():
    with pytest.raises(ItemError, match="only one"):
        Item("alloy", "kg", parts={"Fe": "balance", "Co": "balance"})


def test_fractions_over_100_percent():
    with pytest.raises(ItemError, match=r"'alloy'.*105\.00%"):
        Catalog([Item("alloy", "kg", {"Nd": "60 %", "Fe": "45 %"})])


def test_balance_with_highs_over_100_percent():
    with pytest.raises(ItemError, match=r"'alloy'.*high values.*110\.00%"):
        Catalog([Item("alloy", "kg", {"Nd": "50 (40 to 60) %", "Co": "50 %", "Fe": "balance"})])


def test_balance_sibling_must_be_a_mass_fraction():
    with pytest.raises(ItemError, match="mass fraction"):
        Catalog([Item("gadget"), Item("alloy", "kg", {"gadget": "1/kg", "Fe": "balance"})])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"id": " phone"}, "stray whitespace"),
        ({"id": ""}, "non-empty"),
        ({"id": "x", "kind": "gizmo"}, "unknown kind"),
        ({"id": "x", "basis": "MWW"}, "basis"),
        ({"id": "x", "parts": {"Nd ": "3 g"}}, "stray whitespace"),
        ({"id": "x", "parts": 5}, "mapping"),
    ],
)
def test_bad_item_fields(kwargs, match):
    with pytest.raises(ItemError, match=match):
        Item(**kwargs)


def test_duplicate_and_element_ids():
    with pytest.raises(ItemError, match="defined twice"):
        Catalog([Item("x", parts={"Nd": "1 g"}), Item("x", parts={"Pr": "1 g"})])
    with pytest.raises(ItemError, match="element"):
        Catalog([Item("Nd", "kg")])


def test_every_error_is_a_mineralcalc_error():
    for exc in (AmountError, CycleError, DimensionError, ItemError, UnknownItemError):
        assert issubclass(exc, MineralcalcError)
    assert issubclass(mc.UnknownItemError, KeyError)
    assert issubclass(mc.DimensionError, ValueError)


def test_catalog_add_is_immutable():
    base = Catalog([Item("phone", parts={"Nd": "0.16 g"}, kind="product")])
    more = base.add(Item("laptop", parts={"Nd": "2 g"}, kind="product"))
    assert "laptop" in more and "laptop" not in base
    with pytest.raises(ItemError, match="replace=True"):
        more.add(Item("phone", parts={"Nd": "1 g"}))
    replaced = more.add(Item("phone", parts={"Nd": "1 g"}), replace=True)
    assert replaced.intensity("phone", "Nd").values("g/unit")[1] == pytest.approx(1.0)
    assert more.intensity("phone", "Nd").values("g/unit")[1] == pytest.approx(0.16)


def test_products_are_uncontained_or_declared():
    cat = Catalog(
        [
            Item("magnet", "kg", {"Nd": "30 %", "Fe": "balance"}),
            Item("motor", parts={"magnet": "2 kg"}),
            Item("ev", parts={"motor": 1}, kind="product"),
            Item("wind_mw", "MW", {"magnet": "600 kg/MW"}, kind="product"),
            Item("turbine", parts={"wind_mw": "15 MW"}, kind="product"),
        ]
    )
    assert set(cat.products) == {"ev", "wind_mw", "turbine"}
    assert cat.kind("magnet") == "material"
    assert cat.kind("motor") == "component"
    assert "Nd2O3" not in cat.products and "Nd" not in cat.products
