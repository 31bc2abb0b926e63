"""Demand against supply, scenarios over years, and the supply-risk lens (issue: compare).

Every expectation is computed by hand from the shipped tables' rows. Nd supply 2024 is each
country's REO (USGS MCS 2025) times its ore mix (country_ores.csv) times the ore's Nd share
(ore_types.csv, each type scaled to 100 % as the loader does), times Nd2O3 -> Nd = 0.8574
(atomic masses); plus the unrecorded output (unrecorded.csv: 6,000 t REO of Laos's clay and
5,000 t of China's, both of the medium-heavy clay type); plus end-of-life recycling at 0.5 %
of the recorded output (estimate-eol-recycling) for the mined basis.
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

import mineralcalc as mc
from mineralcalc.data.csvtable import shipped_tables
from mineralcalc.elements import OXIDES


def _nd(ore: str) -> float:
    """The Nd2O3 share of an ore type (ore_types.csv), its row scaled to 100 %."""
    with open(shipped_tables() / "ore_types.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["ore_type"] == ore]
    return next(float(r["share"]) for r in rows if r["element"] == "Nd") / sum(
        float(r["share"]) for r in rows
    )


REO_2024 = 390_000.0
UNRECORDED_REO = 11_000.0  # Laos 6,000 t + China 5,000 t (Myanmar: 0 % more than USGS)
ND_FRAC = OXIDES["Nd"].metal_fraction
BO, MP, CLAY, LONGNAN, MONAZITE = (_nd(o) for o in ("bayan_obo", "mountain_pass",
                                                    "ionic_clay_medium", "ionic_clay_high_y",
                                                    "monazite"))  # fmt: skip
# Nd2O3 mined in 2024 [t]: China 270,000 x (70.06 % Bayan Obo + 22.43 % Sichuan bastnaesite,
# taken as Mountain Pass's + 6.909 % medium clay + 0.601 % Longnan clay); the US 45,000 and
# Vietnam 300 at Mountain Pass's share; Myanmar 31,000 and Brazil 20 of medium clay;
# Australia's Mount Weld 13,000 and Russia's loparite 2,500, both taken as Bayan Obo's; the
# monazite of Nigeria, Thailand 13,000 each, India 2,900, Madagascar 2,000, Malaysia 130 and
# USGS's Other 1,100
ND_OXIDE_CHINA = 270_000 * (0.7006 * BO + 0.2243 * MP + 0.06909 * CLAY + 0.00601 * LONGNAN)
ND_OXIDE_REST = ((45_000 + 300) * MP + (31_000 + 20) * CLAY + (13_000 + 2_500) * BO
                 + (13_000 + 13_000 + 2_900 + 2_000 + 130 + 1_100) * MONAZITE)  # fmt: skip
ND_RECORDED = (ND_OXIDE_CHINA + ND_OXIDE_REST) * ND_FRAC  # t Nd metal
ND_UNRECORDED = UNRECORDED_REO * CLAY * ND_FRAC
ND_PRIMARY = ND_RECORDED + ND_UNRECORDED
ND_SUPPLY = ND_PRIMARY + 0.005 * ND_RECORDED  # end-of-life recycling at 0.5 % of recorded


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
    # 1.24 billion x 3 g = 3,720 t Nd against the ore model's Nd, recorded and unrecorded,
    # + 0.5 % recycled
    d = mc.demand({"phone_nd": {2024: "1.24 billion"}}, cat)
    row = _row(d.compare(other_uses=False), "Nd", 2024)
    assert row["basis"] == "metal" and row["demand_basis"] == "mined"
    assert row["demand"] == row["modelled"] == pytest.approx(3720)
    assert row["recorded"] == pytest.approx(ND_RECORDED)
    assert row["unrecorded"] == pytest.approx(ND_UNRECORDED)
    assert row["primary"] == pytest.approx(ND_PRIMARY)
    assert row["supply"] == pytest.approx(ND_SUPPLY)
    assert row["share"] == pytest.approx(3720 / ND_SUPPLY)
    assert row["headroom"] == row["balance"] == pytest.approx(ND_SUPPLY - 3720)
    assert row["supply_year"] == 2024
    # with the rest of the market (end_uses.csv, IEA 2024 magnet rare earths): EVs
    # (8.359 kt x 78.547 %), wind (10.496 kt x 76.231 %) and other uses (72.07 kt x
    # 72.7529 % Nd) are not modelled and are added; phone_nd, which no end use lists, is new
    # demand on top of them
    market = _row(d.compare(), "Nd", 2024)
    assert market["modelled"] == pytest.approx(3720)
    ev, wind, other = 8_359.28 * 0.78547, 10_495.757 * 0.76231, 72_066.69 * 0.727529
    assert market["other_uses"] == pytest.approx(ev + wind + other, rel=1e-5)
    assert market["demand"] == pytest.approx(ev + wind + other + 3720, rel=1e-5)
    # declared part of the IEA's 'other uses', the phones come out of it
    d = mc.demand({"phone_nd": {2024: "1.24 billion", "within": "other uses"}}, cat)
    market = _row(d.compare(), "Nd", 2024)
    assert market["other_uses"] == pytest.approx(ev + wind + other - 3720, rel=1e-5)
    assert market["demand"] == pytest.approx(ev + wind + other, rel=1e-5)
    assert market["modelled_share"] == pytest.approx(3720 / ND_SUPPLY)
    assert market["modelled_part"] == pytest.approx(3720 / (ev + wind + other), rel=1e-5)


def test_ree_group_share_in_reo(cat):
    # 1,000 units of 1 kg Nd + 1 kg Ce: REO = 1000 x (1/0.8574 + 1/0.8141) kg against 390,000 t
    # (the USGS world total) plus 11,000 t unrecorded, plus recycled oxide
    d = mc.demand({"ndce": {2024: 1000}}, cat)
    frame = d.compare(other_uses=False)
    row = _row(frame, "REE (REO)", 2024)
    assert row["basis"] == "oxide (REO)"
    reo_t = 1000 * (1 / OXIDES["Nd"].metal_fraction + 1 / OXIDES["Ce"].metal_fraction) / 1000
    assert row["demand"] == pytest.approx(reo_t)
    assert row["recorded"] == pytest.approx(REO_2024)
    assert row["unrecorded"] == pytest.approx(UNRECORDED_REO)
    assert row["primary"] == pytest.approx(REO_2024 + UNRECORDED_REO)
    nd_eol = _row(frame, "Nd", 2024)["secondary"] / OXIDES["Nd"].metal_fraction
    assert row["secondary"] == pytest.approx(nd_eol)  # Ce has no recycling row
    assert row["share"] == pytest.approx(reo_t / (REO_2024 + UNRECORDED_REO + nd_eol))
    # magnet REE holds only Nd here; its primary supply is the oxide of Nd, Pr, Dy, Tb mined
    mag = _row(frame, "magnet REE (REO)", 2024)
    s = mc.supply(2024)
    out, unrec = s.element_output(), s.unrecorded_output()
    magnet = ["Nd", "Pr", "Dy", "Tb"]
    assert mag["recorded"] == pytest.approx(out[out.element.isin(magnet)]["amount"].sum())
    assert mag["unrecorded"] == pytest.approx(unrec[unrec.element.isin(magnet)]["amount"].sum())


def test_rows_without_supply_say_so(cat):
    d = mc.demand({"motor": {2024: 1000}}, cat)
    fe = _row(d.compare(), "Fe", 2024)
    assert math.isnan(fe["share"]) and "no supply data" in fe["note"]


def test_coverage_without_china(cat):
    # without China, Nd is what the other countries' ores hold, Laos's unrecorded clay (China's
    # unrecorded output goes with China), and 0.5 % end-of-life recycling of the recorded,
    # against the phones' 3,720 t
    d = mc.demand({"phone_nd": {2024: "1.24 billion"}}, cat)
    rest = ND_OXIDE_REST * ND_FRAC * 1.005 + 6_000 * CLAY * ND_FRAC
    row = _row(d.coverage("China", other_uses=False), "Nd", 2024)
    assert row["supply"] == pytest.approx(rest)
    assert row["coverage"] == pytest.approx(rest / 3720)
    # a trading bloc removed: MSP members among producers are the US, Australia and India
    msp = (45_000 * MP + 13_000 * BO + 2_900 * MONAZITE) * ND_FRAC * 1.005
    bloc = _row(d.coverage("Minerals Security Partnership", other_uses=False), "Nd", 2024)
    assert bloc["supply"] == pytest.approx(ND_SUPPLY - msp)
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
    # Nd demand 10,000 t in 2024 growing 20 %/yr; recorded Nd supply (with its 0.5 % recycled)
    # growing 5 %/yr, the unrecorded amounts held: the first year n with
    # 10,000 x 1.2^n >= recorded x 1.005 x 1.05^n + unrecorded
    volume = 10_000e3 / 0.003  # phones holding 10,000 t of Nd at 3 g each
    d = mc.demand(
        {"phone_nd": {2024: volume, "growth": "20 %/yr"}}, cat,
        years=range(2024, 2046), supply_growth="5 %/yr",
    )  # fmt: skip

    def supply(n: int, g: float) -> float:
        return ND_RECORDED * 1.005 * (1 + g) ** n + ND_UNRECORDED

    n = next(n for n in range(30) if 10_000 * 1.2**n >= supply(n, 0.05))
    assert d.crossover("Nd", other_uses=False) == 2024 + n == 2038
    share_2036 = _row(d.compare(other_uses=False), "Nd", 2036)["share"]
    assert share_2036 == pytest.approx(10_000 * 1.2**12 / supply(12, 0.05))
    # at 0 %/yr the supply of 2024 is held flat
    flat = mc.demand(
        {"phone_nd": {2024: volume, "growth": "20 %/yr"}}, cat, years=range(2024, 2046),
        supply_growth="0 %/yr",
    )  # fmt: skip
    n_flat = next(n for n in range(30) if 10_000 * 1.2**n >= supply(n, 0.0))
    assert flat.crossover("Nd", other_uses=False) == 2024 + n_flat
    assert "the scenario's +0.0%/yr" in _row(flat.compare(), "Nd", 2030)["note"]
    # without a rate the supply follows the outlook (the IEA base case, country by country)
    outlook = mc.demand({"phone_nd": {2024: volume, "growth": "20 %/yr"}}, cat,
                        years=range(2024, 2031))  # fmt: skip
    assert "IEA base case" in _row(outlook.compare(), "Nd", 2030)["note"]


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
    # a rising Dy share pushes the magnet over 100 % in a later year: an error naming that
    # year, not a negative Fe balance (Dy 4 % x 1.5^8 = 103 % in 2032; 68 % + 30 % Nd in 2031)
    with pytest.raises(mc.ItemError, match=r"in 2032.*'magnet', part 'Dy'.*over 100 %"):
        mc.demand(
            {"motor": {2024: 1, "growth": "0 %/yr"}}, cat, years=range(2024, 2035),
            changes=[mc.Change("magnet", "Dy", rate="50 %/yr", since=2024)],
        )  # fmt: skip


def test_years_with_changes_are_computed_on_one_catalog_and_one_set_of_draws(cat):
    # 50 years of thrifting: no catalog per year, one sampler with a year axis
    years = range(2024, 2074)
    d = mc.demand(
        {"motor": {2024: 1000, "growth": "2 %/yr"}}, cat, years=years, samples=2000, seed=1,
        changes=[mc.Change("magnet", "Dy", rate="-3 %/yr", since=2024)],
    )  # fmt: skip
    assert len(d.samplers) == 1 and d.catalog is cat
    for year in (2024, 2050, 2073):
        n = year - 2024
        expected = 1000 * 1.02**n * 2 * 0.04 * 0.97**n  # motor x 2 kg x Dy share
        assert d.total("Dy", "kg", year=year).magnitude == pytest.approx(expected, rel=1e-12)
    a, b = d.sample_values("Dy", year=2024), d.sample_values("Dy", year=2073)
    np.testing.assert_allclose(b, a * (1.02 * 0.97) ** 49, rtol=1e-5)  # the same draws


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
    assert set(frame["demand_basis"]) == {"mined"}
    for _, row in frame.iterrows():
        if math.isnan(row["share"]):
            assert "no supply data" in row["note"]
        else:
            assert row["share"] >= 0 and row["share_low"] <= row["share"] <= row["share_high"]
            assert ("demand above supply" in row["note"]) == (row["share"] > 1)
            assert row["demand"] == pytest.approx(row["modelled"] + row["other_uses"])
            assert row["supply"] == pytest.approx(row["primary"] + row["secondary"])
    # the whole REE group takes well under all of 2024 output
    ree = _row(frame, "REE (REO)", 2024)
    assert 0 < ree["share"] < 1
    assert np.isfinite(frame["demand"]).all()


def test_a_comparison_is_computed_once_and_handed_out_as_a_copy():
    d = mc.demand(mc.load_scenario("baseline-2024"))
    first = d.compare()
    first.loc[:, "share"] = -1.0  # the caller's copy, not the demand's
    again = d.compare()
    assert (again["share"].dropna() > 0).all()
    assert again.equals(d.compare()) and again.attrs == first.attrs
    # other questions are other answers: without China, or against a given supply
    assert not d.compare(without="China")["supply"].equals(again["supply"])
    given = d.compare(mc.supply(2024).without("China"))
    assert given["supply"].equals(d.compare(without="China")["supply"])
    # the balance problem reads the same comparison
    bal = d.balance()
    nd = again[(again["element"] == "Nd")].iloc[0]
    assert bal.elements.loc["Nd", "need"] == pytest.approx(
        (nd["demand"] - nd["secondary"]) / mc.OXIDES["Nd"].metal_fraction
    )
