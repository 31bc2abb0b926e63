"""Demand against supply, scenarios over years, and the supply-risk lens (issue: compare).

Every expectation is computed by hand from the shipped tables' figures:
REO 2024 = 390,000 t (USGS MCS 2025), Nd share of REO = 16.29 % (estimate-ree-split-2024),
Nd2O3 -> Nd = 0.8574 (atomic masses).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import mineralcalc as mc
from mineralcalc.elements import OXIDES

REO_2024 = 390_000.0
ND_SHARE = 0.1629
ND_FRAC = OXIDES["Nd"].metal_fraction
ND_SUPPLY = REO_2024 * ND_SHARE * ND_FRAC  # t Nd metal, 2024


@pytest.fixture(scope="module")
def cat() -> mc.Catalog:
    return mc.Catalog(
        [
            mc.Item("phone_nd", parts={"Nd": "3 g"}, kind="product"),
            mc.Item("ndce", parts={"Nd": "1 kg", "Ce": "1 kg"}, kind="product"),
            mc.Item("magnet", "kg", {"Nd": "30 %", "Dy": "4 %", "Fe": "balance"}),
            mc.Item("motor", parts={"magnet": "2 kg"}, kind="product"),
            mc.Item("dd", "MW", {"Nd": "200 kg/MW"}),
            mc.Item("geared", "MW", {"Nd": "20 kg/MW"}),
            mc.Item("wind", "MW", {"dd": 0.5, "geared": 0.5}, kind="product"),
        ]
    )


def _row(frame, element, year=None):
    rows = frame[frame["element"] == element]
    if year is not None:
        rows = rows[rows["year"] == year]
    assert len(rows) == 1
    return rows.iloc[0]


def test_nd_share_of_phones_at_3_g(cat):
    # 1.24 billion x 3 g = 3,720 t Nd against 390,000 t REO x 16.29 % x 0.8574 = 54,469 t Nd
    d = mc.demand({"phone_nd": {2024: "1.24 billion"}}, cat)
    row = _row(d.compare(), "Nd", 2024)
    assert row["basis"] == "metal"
    assert row["demand"] == pytest.approx(3720)
    assert row["supply"] == pytest.approx(ND_SUPPLY)
    assert row["share"] == pytest.approx(3720 / ND_SUPPLY)
    assert row["headroom"] == pytest.approx(ND_SUPPLY - 3720)
    assert row["supply_year"] == 2024


def test_ree_group_share_in_reo(cat):
    # 1,000 units of 1 kg Nd + 1 kg Ce: REO = 1000 x (1/0.8574 + 1/0.8141) kg against 390,000 t
    d = mc.demand({"ndce": {2024: 1000}}, cat)
    row = _row(d.compare(), "REE", 2024)
    assert row["basis"] == "oxide (REO)"
    reo_t = 1000 * (1 / OXIDES["Nd"].metal_fraction + 1 / OXIDES["Ce"].metal_fraction) / 1000
    assert row["demand"] == pytest.approx(reo_t)
    assert row["supply"] == pytest.approx(REO_2024)
    assert row["share"] == pytest.approx(reo_t / REO_2024)
    # magnet REE holds only Nd here; its supply is REO x (Nd+Pr+Dy shares)
    mag = _row(d.compare(), "magnet REE", 2024)
    assert mag["supply"] == pytest.approx(REO_2024 * (0.1629 + 0.0528 + 0.0053))
    assert "no share for Tb" in mag["note"]


def test_rows_without_supply_say_so(cat):
    d = mc.demand({"motor": {2024: 1000}}, cat)
    fe = _row(d.compare(), "Fe", 2024)
    assert math.isnan(fe["share"]) and "no supply data" in fe["note"]


def test_coverage_without_china(cat):
    # without China, REO = 120,000 t; Nd = 120,000 x 0.1629 x 0.8574 = 16,760 t vs 3,720 t
    d = mc.demand({"phone_nd": {2024: "1.24 billion"}}, cat)
    row = _row(d.coverage("China"), "Nd", 2024)
    assert row["supply"] == pytest.approx(120_000 * ND_SHARE * ND_FRAC)
    assert row["coverage"] == pytest.approx(120_000 * ND_SHARE * ND_FRAC / 3720)
    # a trading bloc removed: MSP members mined 60,900 t of the 390,000
    bloc = _row(d.coverage("Minerals Security Partnership"), "Nd", 2024)
    assert bloc["supply"] == pytest.approx((REO_2024 - 60_900) * ND_SHARE * ND_FRAC)
    assert mc.supply(2024).share("REE", "Minerals Security Partnership") == pytest.approx(
        60_900 / REO_2024
    )


def test_days_of_stockpile(cat):
    # 5,000 t Nd against 3,720 t a year: 5000 / 3720 x 365.25 = 490.9 days
    d = mc.demand({"phone_nd": {2024: "1.24 billion"}}, cat)
    lo, c, hi = d.stockpile_days("5,000 t Nd")
    assert c.to("day").magnitude == pytest.approx(5000 / 3720 * 365.25)
    assert lo == c == hi  # no uncertainty in this demand
    assert d.stockpile_days("5 kt", "Nd")[1].magnitude == pytest.approx(5000 / 3720 * 365.25)
    with pytest.raises(mc.VolumeError, match="not a mass"):
        d.stockpile_days("5 GW Nd")


def test_crossover_year_under_growth(cat):
    # Nd demand 10,000 t in 2024 growing 20 %/yr; Nd supply 54,469 t growing 5 %/yr.
    # (1.2 / 1.05)^n >= 54,469 / 10,000  ->  n >= 12.7  ->  2024 + 13 = 2037
    volume = 10_000e3 / 0.003  # phones holding 10,000 t of Nd at 3 g each
    d = mc.demand(
        {"phone_nd": {2024: volume, "growth": "20 %/yr"}}, cat,
        years=range(2024, 2046), supply_growth="5 %/yr",
    )  # fmt: skip
    n = math.ceil(math.log(ND_SUPPLY / 10_000) / math.log(1.2 / 1.05))
    assert d.crossover("Nd") == 2024 + n == 2037
    share_2037 = _row(d.compare(), "Nd", 2037)["share"]
    assert share_2037 == pytest.approx(10_000 * 1.2**13 / (ND_SUPPLY * 1.05**13))
    # without supply growth the supply of 2024 is held flat: crossover when 1.2^n >= 5.45
    flat = mc.demand(
        {"phone_nd": {2024: volume, "growth": "20 %/yr"}}, cat, years=range(2024, 2046)
    )
    assert flat.crossover("Nd") == 2024 + math.ceil(math.log(ND_SUPPLY / 10_000) / math.log(1.2))
    assert "held flat" in _row(flat.compare(), "Nd", 2030)["note"]


def test_volumes_interpolate_between_years_and_need_growth_beyond(cat):
    d = mc.demand({"wind": {2024: "100 GW", 2030: "160 GW"}}, cat, years=range(2024, 2031))
    # 2027: 130 GW x (0.5 x 200 + 0.5 x 20) kg/MW = 14,300 t
    assert d.total("Nd", "t", year=2027).magnitude == pytest.approx(130_000 * 0.110)
    with pytest.raises(mc.VolumeError, match=r"no value for 2031.*growth rate"):
        mc.demand({"wind": {2024: "100 GW", 2030: "160 GW"}}, cat, years=[2031])
    grown = mc.demand({"wind": {2030: "160 GW", "growth": "10 %/yr"}}, cat, years=[2032])
    assert grown.total("Nd", "t").magnitude == pytest.approx(160_000 * 1.1**2 * 0.110)


def test_thrifting_rate_and_balance_follows(cat):
    # Dy per kg of magnet falling 10 %/yr from 2024: 4 % -> 4 x 0.9^6 % in 2030; Fe takes the rest
    d = mc.demand(
        {"motor": {2024: 1000, 2030: 1000}}, cat,
        changes=[mc.Change("magnet", "Dy", rate="-10 %/yr", since=2024)],
    )  # fmt: skip
    dy_2030 = 0.04 * 0.9**6
    assert d.total("Dy", "kg", year=2030).magnitude == pytest.approx(1000 * 2 * dy_2030)
    # Fe = 1 - 30 % Nd - Dy
    assert d.total("Fe", "kg", year=2030).magnitude == pytest.approx(1000 * 2 * (0.70 - dy_2030))
    assert d.total("Dy", "kg", year=2024).magnitude == pytest.approx(1000 * 2 * 0.04)


def test_technology_share_shifting(cat):
    # direct drive from 50 % in 2024 to 80 % in 2040 (geared stays 50 % here): 2032 is halfway
    d = mc.demand(
        {"wind": "1 GW"}, cat, years=[2024, 2032, 2040],
        changes=[mc.Change("wind", "dd", values={2024: 0.5, 2040: "0.8 MW/MW"})],
    )  # fmt: skip
    assert d.total("Nd", "kg", year=2032).magnitude == pytest.approx(1000 * (0.65 * 200 + 0.5 * 20))
    assert d.total("Nd", "kg", year=2040).magnitude == pytest.approx(1000 * (0.8 * 200 + 0.5 * 20))


def test_change_errors(cat):
    with pytest.raises(mc.UnknownItemError, match="has no part 'Dyy'"):
        mc.demand({"motor": {2024: 1}}, cat, changes=[mc.Change("magnet", "Dyy", rate="-3 %/yr")])
    with pytest.raises(mc.ItemError, match="balance"):
        mc.demand({"motor": {2024: 1}}, cat, changes=[mc.Change("magnet", "Fe", rate="-3 %/yr")])
    with pytest.raises(mc.AmountError, match="either rate or values"):
        mc.Change("magnet", "Dy")
    with pytest.raises(mc.DimensionError):
        mc.demand(
            {"motor": {2024: 1}}, cat, changes=[mc.Change("magnet", "Dy", values={2030: "3 MW"})]
        )


def test_supply_projection():
    s = mc.supply(2024).project(2030, "5 %/yr")
    assert s.year == 2030 and s.data_year == 2024
    assert s.total("REE").to("t").magnitude == pytest.approx(REO_2024 * 1.05**6)
    per = mc.supply(2024).project(2030, {"Li": "10 %/yr"})
    assert per.total("Li").to("t").magnitude == pytest.approx(240_000 * 1.1**6)
    assert per.total("REE").to("t").magnitude == pytest.approx(REO_2024)  # not named: flat
    assert per.share("REE", "China") == pytest.approx(270 / 390)  # shares stay


def test_baseline_comparison_reads_sensibly():
    frame = mc.demand(mc.load_scenario("baseline-2024")).compare()
    assert set(frame["basis"]) <= {"metal", "content", "oxide (REO)"}
    for _, row in frame.iterrows():
        if math.isnan(row["share"]):
            assert "no supply data" in row["note"]
        else:
            assert row["share"] >= 0 and row["share_low"] <= row["share"] <= row["share_high"]
            assert ("demand above estimated output" in row["note"]) == (row["share"] > 1)
    # the whole REE group takes well under all of 2024 output
    ree = _row(frame, "REE", 2024)
    assert 0 < ree["share"] < 1
    assert np.isfinite(frame["demand"]).all()
