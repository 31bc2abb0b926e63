"""Estimates and the amount forms of design.md."""

import math

import pytest

import mineralcalc as mc
from mineralcalc import Estimate, parse_amount
from mineralcalc.errors import AmountError, UnitError


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("3 g", "g", (3, 3, 3)),
        ("1.24 billion", "unit", (1.24e9, 1.24e9, 1.24e9)),
        ("650 kg/MW", "kg/MW", (650, 650, 650)),
        ("23 %", "", (0.23, 0.23, 0.23)),
        ("80%", "", (0.8, 0.8, 0.8)),
        ("1.2 to 3.5 kg", "kg", (1.2, 2.35, 3.5)),
        ("1.2-3.5 kg", "kg", (1.2, 2.35, 3.5)),
        ("1.2–3.5 kg", "kg", (1.2, 2.35, 3.5)),
        ("3 ± 0.5 g", "g", (2.5, 3, 3.5)),
        ("2 (1.2 to 3.5) kg", "kg", (1.2, 2, 3.5)),
        ("390,000 t", "t", (390000, 390000, 390000)),
        ("1e-3 kg", "g", (1, 1, 1)),
    ],
)
def test_amount_strings(text, unit, expected):
    assert parse_amount(text).values(unit) == pytest.approx(expected)


def test_plain_numbers_are_counts():
    est = parse_amount(5)
    assert est.values("unit") == (5.0, 5.0, 5.0)
    assert est.unit.dimensionless


def test_quantity_sequence_mapping_and_estimate():
    assert parse_amount(mc.Q_(3, "g")).values("kg") == pytest.approx((0.003,) * 3)
    assert parse_amount((1, 3)).values() == (1, 2, 3)
    assert parse_amount((1, 1.5, 3)).values() == (1, 1.5, 3)
    assert parse_amount({"low": "1 g", "high": "2 g"}).values("g") == (1, 1.5, 2)
    e = Estimate(central="3 g")
    assert parse_amount(e) is e


def test_range_without_central_is_uniform_with_midpoint():
    e = parse_amount("1.2 to 3.5 kg")
    assert e.dist == "uniform"
    assert e.central.to("kg").magnitude == pytest.approx(2.35)
    assert parse_amount("2 (1 to 3) kg").dist == "triangular"
    assert parse_amount("3 g").dist == "fixed"


def test_mixed_units_convert_to_first():
    e = Estimate(low="1 kg", central="1500 g", high="2 kg")
    assert e.values("kg") == pytest.approx((1, 1.5, 2))


def test_str_reads_back():
    for text in ["2 (1.2 to 3.5) kg", "3 g", "1.5 (1 to 2) kg/MW"]:
        e = parse_amount(text)
        again = parse_amount(str(e))
        assert again.values() == pytest.approx(e.values())
        assert again.unit == e.unit


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"low": 3, "central": 2, "high": 4}, "out of order"),
        ({"central": math.nan}, "central is nan"),
        ({"central": math.inf}, "finite"),
        ({"high": "1 t"}, "no low"),
        ({"low": 1, "high": "2 kg"}, "mixes plain numbers"),
        ({"central": 1, "dist": "gaussian"}, "unknown distribution"),
        ({"low": 1, "high": 2, "dist": "fixed"}, "fixed"),
        ({"low": 0, "high": 2, "dist": "lognormal"}, "lognormal"),
    ],
)
def test_bad_estimates(kwargs, match):
    with pytest.raises(AmountError, match=match):
        Estimate(**kwargs)


@pytest.mark.parametrize("text", ["abc", "up to 1 t", "", "kg 3"])
def test_unreadable_amounts(text):
    with pytest.raises(AmountError, match="cannot read"):
        parse_amount(text)


def test_unknown_unit_in_amount():
    with pytest.raises(UnitError, match="'gg'"):
        parse_amount("3 gg")


def test_bool_is_not_a_number():
    with pytest.raises(AmountError):
        parse_amount(True)
