"""Money and supply security (issue 14): the arithmetic by hand, unit errors located, blocs
and stages."""

import math

import pytest

import mineralcalc as mc
from mineralcalc.errors import DimensionError, MineralcalcError
from mineralcalc.lenses.money import price_of, stockpile, value
from mineralcalc.lenses.price_floor import price_floor
from mineralcalc.lenses.security import bloc_demand, members, self_sufficiency

DY_OXIDE = 260.0  # USD/kg Dy2O3, USGS MCS 2025, 2024 average (prices.csv)
DY_METAL = 2 * 162.5 / (2 * 162.5 + 3 * 15.999)  # Dy in Dy2O3


def test_price_per_kg_of_the_element_from_the_oxide_price():
    p = price_of("Dy", 2024)
    assert p["price"] == pytest.approx(DY_OXIDE / DY_METAL, rel=1e-4)
    assert p["source"] == "usgs-mcs2025-rare-earths" and p["form"] == "oxide"
    # LME cobalt 12 USD/lb: per kg 12 / 0.45359237
    assert price_of("Co", 2024)["price"] == pytest.approx(12 / 0.45359237)
    # lithium carbonate 14,000 USD/t, 18.79 % Li: 14 / 0.1879 USD per kg of Li
    assert price_of("Li", 2024)["price"] == pytest.approx(14 / 0.1879)


def test_budget_over_price_is_tonnes_and_tonnes_over_daily_demand_is_days():
    out = stockpile({"Dy": 1.0}, budget="260 million USD", year=2024)
    price = DY_OXIDE / DY_METAL  # USD/kg of Dy
    tonnes = 260e6 / price / 1000
    assert out.loc[0, "tonnes"] == pytest.approx(tonnes, rel=1e-4)
    assert out.attrs["days"][1] == pytest.approx(tonnes / 1.0, rel=1e-4)  # 1 t a day
    assert out.attrs["months"][1] == pytest.approx(tonnes / (365 / 12), rel=1e-4)
    # two elements bought for the same days: days = budget / sum(daily x price)
    two = stockpile({"Dy": 1.0, "Nd": 10.0}, budget="1 billion USD", year=2024)
    nd = 56 / (2 * 144.242 / (2 * 144.242 + 3 * 15.999))
    days = 1e9 / (1000 * (1.0 * price + 10.0 * nd))
    assert two.attrs["days"][1] == pytest.approx(days, rel=1e-4)
    assert two.set_index("element").loc["Nd", "tonnes"] == pytest.approx(10 * days, rel=1e-4)


def test_the_budget_for_n_days():
    out = stockpile({"Dy": 2.0}, days=30, year=2024)
    assert out.attrs["budget"] == pytest.approx(30 * 2.0 * 1000 * DY_OXIDE / DY_METAL, rel=1e-4)


def test_floor_cost_is_the_gap_times_the_volume_clipped_at_zero():
    # 110 USD/kg against Nd oxide at 56 (USGS 2024) on 1,294 t: (110 - 56) x 1,294,000 kg
    f = price_floor("Nd", "110 USD/kg", "1294 t", year=2024)
    assert f["cost"] == pytest.approx(54 * 1_294_000)
    assert price_floor("Nd", "40 USD/kg", "1 t", year=2024)["cost"] == 0.0
    # Pr oxide 53-55 (Fastmarkets): a floor of 54 costs 0 at 55 and 1 USD/kg at 53
    pr = price_floor("Pr", "54 USD/kg", "1 t", year=2024)
    assert (pr["cost_low"], pr["cost_high"]) == (0.0, pytest.approx(1000.0))
    # the same floor per tonne is the same floor
    assert price_floor("Nd", "110000 USD/t", "1294 t/yr", year=2024)["cost"] == pytest.approx(
        f["cost"]
    )


def test_unit_errors_are_located():
    with pytest.raises(DimensionError, match=r"budget.*EUR.*rates=\{'EUR'"):
        stockpile({"Dy": 1.0}, budget="10 billion EUR")
    out = stockpile({"Dy": 1.0}, budget="10 billion EUR", rates={"EUR": "1.08 USD"})
    assert out.attrs["budget"] == pytest.approx(10.8e9)
    with pytest.raises(MineralcalcError, match=r"budget: 11\.67 has no unit"):
        stockpile({"Dy": 1.0}, budget=11.67)
    with pytest.raises(DimensionError, match=r"floor '110 USD': USD is not USD/kg"):
        price_floor("Nd", "110 USD", "1294 t")
    with pytest.raises(MineralcalcError, match=r"floor: 110 has no unit"):
        price_floor("Nd", 110, "1294 t")
    with pytest.raises(DimensionError, match="volume '1294 USD' is not a mass"):
        price_floor("Nd", "110 USD/kg", "1294 USD")
    with pytest.raises(DimensionError, match=r"CNY.*exchange rate"):
        price_of("Nd", 2025, market="China domestic, ex-works")


def test_value_of_demand():
    d = mc.demand(mc.load_scenario("baseline-2024"))
    v = value(d).set_index("element")
    f = d.compare().set_index("element")
    nd = 56 / (2 * 144.242 / (2 * 144.242 + 3 * 15.999))
    assert v.loc["Nd", "value"] == pytest.approx(f.loc["Nd", "demand"] * 1000 * nd, rel=1e-4)
    assert "Zr" in v.attrs["no_price"]


def test_blocs_nest_and_regions_count_whole():
    s = mc.supply(2024)
    msp = members(s, "Minerals Security Partnership")
    assert {"Germany", "Austria", "Japan", "United States"} <= msp  # Austria: via the EU
    assert "European Union" not in msp
    with pytest.raises(MineralcalcError, match="did you mean"):
        members(s, "Minerals Security Partnershp")
    # electric cars only: of 2024's 11 million battery-electric cars the EU27 bought 1.5
    # million, the United States 1.2 million, Japan 60,000 and Mexico 20,000 (IEA)
    d = mc.demand({"bev": "1 million"}, years=None)
    share = bloc_demand(d, "US price-floor talks", year=None, elements=["Nd"]).loc[0, "share"]
    assert share == pytest.approx((1.5e6 + 1.2e6 + 60_000 + 20_000) / 11e6, abs=1e-4)


def test_hybrids_split_by_region():
    # full hybrids only: of 2024's 6.54 million (nengpower-2025) Japan sold 2,057,228 (JADA and
    # the mini-vehicle association, fiscal 2024) and the United States 1.9 million hybrids less
    # the IEA's 320,000 plug-ins; no EU figure was read, so the EU counts none and is named
    d = mc.demand({"hev": "1 million"}, years=None)
    japan = bloc_demand(d, "Japan", year=None, elements=["Nd"])
    assert japan.loc[0, "share"] == pytest.approx(2_057_228 / 6.54e6, abs=1e-4)
    talks = bloc_demand(d, "US price-floor talks", year=None, elements=["Nd"])
    assert talks.loc[0, "share"] == pytest.approx((2_057_228 + 1_580_000) / 6.54e6, abs=1e-4)
    assert talks.attrs["missing"]["Germany"] == ["hev"]  # an EU member: counted as none
    assert "Japan" not in talks.attrs["missing"]


def test_wind_rows_for_the_blocs_members():
    # wind only, so a bloc's share is its members' 2024 additions over GWEC's world 109 GW
    # onshore and 8 GW offshore (gwec-2025). Onshore: Australia 3.3 GW (wwea-2024); Korea
    # 2,007.395 - 1,811.865 MW (kweia-2024); Japan 703.3 - 99.9 MW (jwpa-2024-offshore); the
    # EU-27 11.5 GW, the United Kingdom 739 MW (windeurope-2024); India 3.4 GW; the United
    # States 4.1 GW less 1.6 % of 8 GW offshore
    d = mc.demand({"onshore_wind": "109 GW"}, years=None)
    korea = bloc_demand(d, "Korea, Republic of", year=None, elements=["Nd"])
    assert korea.loc[0, "share"] == pytest.approx((2007.395 - 1811.865) / 109_000, abs=1e-5)
    msp = bloc_demand(d, "Minerals Security Partnership", year=None, elements=["Nd"])
    gw = 3.3 + 0.195_53 + 0.6034 + 11.5 + 0.739 + 3.4 + (4.1 - 0.016 * 8)
    assert msp.loc[0, "share"] == pytest.approx(gw / 109, abs=1e-4)
    # Canada and Norway: no 2024 onshore figure read, so still named, not counted as 0
    assert msp.attrs["missing"] == {"Canada": ["onshore_wind"], "Norway": ["onshore_wind"]}
    # offshore: Korea 260.830 - 158.5 MW; Australia, Canada and India none; Japan 99.9 MW;
    # Mexico none (statista-latam-wind), the EU-27 1.4 GW, the United States 1.6 % of 8 GW
    d = mc.demand({"offshore_wind": "8 GW"}, years=None)
    msp = bloc_demand(d, "Minerals Security Partnership", year=None, elements=["Nd"])
    assert set(msp.attrs["missing"]) == {"Norway"}
    talks = bloc_demand(d, "US price-floor talks", year=None, elements=["Nd"])
    assert talks.attrs["uncounted"] == [] and talks.loc[0, "complete"] == 1.0
    assert talks.loc[0, "share"] == pytest.approx((1.4 + 0.0999 + 0 + 0.128) / 8, abs=1e-4)
    korea = bloc_demand(d, "Korea, Republic of", year=None, elements=["Nd"])
    assert korea.loc[0, "share"] == pytest.approx((260.830 - 158.5) / 8000, abs=1e-5)


def test_self_sufficiency_by_stage():
    d = mc.demand(mc.load_scenario("baseline-2024"))
    f = self_sufficiency(d, "China", elements=["Nd"]).set_index("stage")
    s = mc.supply(2024)
    need = bloc_demand(d, "China", elements=["Nd"]).loc[0, "bloc"]
    refined = s.element("Nd", "refining")[0] * 0.913
    assert f.loc["refining", "supply"] == pytest.approx(refined)
    assert f.loc["refining", "self_sufficiency"] == pytest.approx(refined / need)
    assert f.loc["refining", "import_gap"] == pytest.approx(max(need - refined, 0.0))
    # the United States is named at no magnet row: no data, not 0 (test_magnet_making.py)
    us = self_sufficiency(d, "United States", elements=["Nd"]).set_index("stage")
    assert math.isnan(us.loc["magnet", "supply"])
    assert math.isnan(us.loc["magnet", "self_sufficiency"])
    assert "none of the bloc's members is named" in us.loc["magnet", "note"]


def test_cli_security(capsys, tmp_path):
    from mineralcalc.cli import main

    assert main(["security"]) == 0
    out = capsys.readouterr().out
    assert "11.67 billion USD" in out and "own supply by stage" in out and "69.9 M" in out
    assert main(["security", "--budget", "5 billion EUR"]) == 2
    assert "exchange rate" in capsys.readouterr().err
    assert main(["security", "--bloc", "Atlantis"]) == 2
    plot = tmp_path / "s.png"
    assert main(["security", "-f", "json", "--plot", str(plot)]) == 0
    assert plot.stat().st_size > 0 and '"months"' in capsys.readouterr().out


def test_value_spreads_with_sampled_demand_and_prices():
    d = mc.demand(mc.load_scenario("baseline-2024"), samples=2000, seed=3)
    v = value(d).set_index("element")
    pr = v.loc["Pr"]  # Pr oxide 53-55 USD/kg: the price range widens the demand's spread
    assert pr["value_p5"] < pr["value"] < pr["value_p95"]
    other = d.compare().set_index(["element", "year"]).loc[("Pr", 2024), "other_uses"]
    draws = (d.sample_values("Pr", year=2024) + other) * 1000
    assert pr["value_p95"] > float(__import__("numpy").quantile(draws, 0.95)) * pr["price"]
