"""Stocks and recycling over time (issue 13): cohorts computed by hand, flodym on the same
inputs, the mass balance as a property, the end-of-life chain and the published stocks."""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mineralcalc as mc
from mineralcalc.engine.cohorts import cohort_matrix, stock_and_outflow, survival
from mineralcalc.errors import MineralcalcError
from mineralcalc.model.recycling import parse_recycling
from mineralcalc.model.scenario import load_scenario, parse_scenario


# ----------------------------------------------------------------------------- by hand
def test_a_fixed_lifetime_retires_each_cohort_that_many_years_later():
    # 3-year life: 10 t a year in use for 2000-2005 -> stock 10, 20, 30, 30, 30, 30;
    # the 2000 cohort leaves in 2003, and so on
    s = survival("fixed", 6, mean=3.0)
    stock, out = stock_and_outflow(np.full((1, 1, 6), 10.0), s[None])
    assert stock[0, 0].tolist() == [10, 20, 30, 30, 30, 30]
    assert out[0, 0].tolist() == [0, 0, 0, 10, 10, 10]


def test_weibull_survival_by_hand():
    # S(a + 0.5) = exp(-((a + 0.5) / 10) ** 2): a cohort of 100 t at ages 0, 1, 2
    s = survival("weibull", 3, shape=2.0, scale=10.0)
    expected = [math.exp(-(((a + 0.5) / 10) ** 2)) for a in range(3)]
    assert s.tolist() == pytest.approx(expected)
    stock, out = stock_and_outflow(np.array([[[100.0, 0.0, 0.0]]]), s[None])
    assert stock[0, 0] == pytest.approx([100 * e for e in expected])
    assert out[0, 0] == pytest.approx([100 * (1 - expected[0]), 100 * (expected[0] - expected[1]),
                                       100 * (expected[1] - expected[2])])  # fmt: skip


def test_lognormal_has_the_mean_and_sd_it_is_given():
    # pdf[a] = S(a - 0.5) - S(a + 0.5): the probability the lifetime ends within half a year
    # of age a, so the mean and sd come back from the ages a weighted by it
    s = survival("lognormal", 400, mean=12.0, sd=5.0)
    ages = np.arange(400)
    pdf = -np.diff(np.concatenate([[1.0], s]))
    mean = (pdf * ages).sum()
    assert mean == pytest.approx(12.0, rel=0.02)
    assert math.sqrt((pdf * (ages - mean) ** 2).sum()) == pytest.approx(5.0, rel=0.05)


def test_cohort_matrix_is_lower_triangular_toeplitz():
    m = cohort_matrix(np.array([1.0, 0.5, 0.25]))
    assert m.tolist() == [[1, 0, 0], [0.5, 1, 0], [0.25, 0.5, 1]]


# ----------------------------------------------------------------------------- flodym
import flodym  # noqa: E402  (the test extra installs it; the cross-check is never skipped)


@pytest.mark.parametrize(
    "kind, ours, theirs",
    [
        ("weibull", dict(shape=2.5, scale=12.0), dict(cls="WeibullLifetime", weibull_shape=2.5, weibull_scale=12.0)),
        ("lognormal", dict(mean=10.0, sd=4.0), dict(cls="LogNormalLifetime", mean=10.0, std=4.0)),
        ("normal", dict(mean=10.0, sd=3.0), dict(cls="NormalLifetime", mean=10.0, std=3.0)),
        ("fixed", dict(mean=7.0), dict(cls="FixedLifetime", mean=7.0)),
    ],
)  # fmt: skip
def test_stock_and_outflow_equal_flodyms(kind, ours, theirs):
    n = 30
    dims = flodym.DimensionSet(
        dim_list=[flodym.Dimension(name="time", letter="t", items=list(range(2000, 2000 + n)))]
    )
    inflow = np.random.default_rng(3).uniform(0, 10, n)
    args = dict(theirs)
    model = getattr(flodym, args.pop("cls"))(dims=dims, **args)
    dsm = flodym.InflowDrivenDSM(dims=dims, lifetime_model=model, name="s")
    dsm.inflow[...] = inflow
    dsm.compute()
    stock, out = stock_and_outflow(inflow[None, None], survival(kind, n, **ours)[None])
    np.testing.assert_allclose(stock[0, 0], dsm.stock.values, atol=1e-12)
    np.testing.assert_allclose(out[0, 0], dsm.outflow.values, atol=1e-12)


# ----------------------------------------------------------------------------- mass balance
@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 40),
    kind=st.sampled_from(["fixed", "normal", "weibull", "lognormal"]),
    a=st.floats(0.5, 40),
    b=st.floats(0.1, 10),
    seed=st.integers(0, 2**32 - 1),
)
def test_mass_balance_holds_for_random_inflows_and_lifetimes(n, kind, a, b, seed):
    rng = np.random.default_rng(seed)
    inflow = rng.uniform(0, 1e3, (3, 4, n)) * (rng.random((3, 4, n)) > 0.3)
    if kind == "weibull":
        s = survival(kind, n, shape=np.full(3, b), scale=np.full(3, a))
    else:
        s = survival(kind, n, mean=np.full(3, a), sd=np.full(3, b))
    stock, out = stock_and_outflow(inflow, s)
    change = np.diff(np.concatenate([np.zeros((3, 4, 1)), stock], axis=-1), axis=-1)
    np.testing.assert_allclose(inflow - out, change, atol=1e-9 * max(1.0, inflow.max()))
    # the same outflow cohort by cohort: sum_c i[c] (s[t-c-1] - s[t-c])
    ext = np.concatenate([np.ones((3, 1)), s], axis=-1)
    direct = np.zeros_like(out)
    for t in range(n):
        for c in range(t + 1):
            direct[..., t] += inflow[..., c] * (ext[:, None, t - c] - ext[:, None, t - c + 1])
    np.testing.assert_allclose(out, direct, atol=1e-9 * max(1.0, inflow.max()))
    assert (stock >= -1e-9).all() and (out >= -1e-9 * max(1.0, inflow.max())).all()


# ----------------------------------------------------------------------------- the model
@pytest.fixture(scope="module")
def base():
    return mc.demand(load_scenario("baseline-2024")).stock_model()


def test_published_stocks_are_reproduced(base):
    y = base.years.index(2023)
    units = dict(zip(base.products, base.units_stock[:, y], strict=True))
    # IEA Global EV Data 2024: 28 million battery-electric and 12 million plug-in cars in use
    assert units["bev"] == pytest.approx(28e6, rel=0.05)
    assert units["phev"] == pytest.approx(12e6, rel=0.06)
    # GWEC: 1,021 GW of wind at the end of 2023, 75.2 GW of it offshore (gwec-gwr-2024,
    # gwec-gowr-2024): history.csv splits the world's installations onshore and offshore
    assert units["onshore_wind"] + units["offshore_wind"] == pytest.approx(1_021_000, rel=0.05)
    assert units["offshore_wind"] == pytest.approx(75_200, rel=0.05)


def test_history_and_left_out_are_said(base):
    # the world's NdFeB output from 1987 (use_history.csv) puts the other uses in use
    assert base.years[0] == 1987 and base.first == 2024
    assert "world total 1987-2010" in base.notes["NdFeB magnets, other uses"]
    assert base.left_out == ["f35"]
    assert "history 2011-2023" in base.notes["bev"]
    assert "history 1997-2023 (gaps interpolated)" in base.notes["hev"]
    assert "history 1990-2023 (history.csv)" in base.notes["offshore_wind"]
    assert "no inflow before 2024" in base.notes["e_bus"]


# offshore_wind in history.csv [GW a year]: EWEA's farms 1990-2001, an even split of Europe's
# 1,471 MW by 2008 over 2002-2007 (estimate-offshore-history), then EWEA and GWEC
OFFSHORE_GW = {
    1990: 0.00022,
    1991: 0.00495,
    1994: 0.002,
    1995: 0.005,
    1996: 0.0168,
    1997: 0.00275,
    2000: 0.0143,
    2001: 0.04,
    **dict.fromkeys(range(2002, 2008), 0.16866),
    2008: 0.373,
    2009: 0.577,
    2010: 0.883,
    2011: 1.0,
    2012: 1.293,
    2013: 1.646,
    2014: 1.713,
    2015: 3.443,
    2016: 2.219,
    2017: 4.334,
    2018: 4.49,
    2019: 6.1,
    2020: 6.067,
    2021: 21.1,
    2022: 8.8,
    2023: 10.8,
}


def test_offshore_stock_by_hand(base):
    # lifetimes.csv: offshore_wind Weibull, shape 4.07, scale 27.55 yr; a cohort of year c
    # is in use at the end of year t with S(t - c + 0.5) = exp(-((t - c + 0.5) / 27.55) ** 4.07)
    def alive(age):
        return math.exp(-(((age + 0.5) / 27.55) ** 4.07))

    mw = sum(gw * 1000 * alive(2023 - c) for c, gw in OFFSHORE_GW.items())
    k, t23 = base.products.index("offshore_wind"), base.years.index(2023)
    assert base.units_stock[k, t23] == pytest.approx(mw, rel=1e-9)
    assert mw == pytest.approx(75_200, rel=0.005)  # GWEC: 75.2 GW at the end of 2023
    # the 2024 Nd stock: each MW holds the 2024 contents (the first year's, 8 GW sold)
    d = mc.demand(load_scenario("baseline-2024"))
    f = d.stock_flow(other_uses=False).set_index(["product", "element", "year"])
    per_mw = f.loc[("offshore_wind", "Nd", 2024), "inflow"] / 8000
    hand = per_mw * (
        8000 * alive(0) + sum(gw * 1000 * alive(2024 - c) for c, gw in OFFSHORE_GW.items())
    )
    assert f.loc[("offshore_wind", "Nd", 2024), "stock"] == pytest.approx(hand, rel=1e-9)


def test_onshore_and_offshore_history_add_up_to_the_world_installations():
    # GWEC's world installations (the table's wind rows before the split) [GW]; before 2009
    # one cohort: 158.7 GW at the end of 2009 less 38.6 GW installed in 2009
    world = {
        2008: 120.1,
        2009: 38.6,
        2010: 35.8,
        2011: 41.0,
        2012: 45.0,
        2013: 35.0,
        2014: 51.473,
        2015: 63.013,
        2016: 54.6,
        2017: 52.573,
        2018: 51.3,
        2019: 60.4,
        2020: 93.0,
        2021: 93.6,
        2022: 77.6,
        2023: 117.0,
    }
    h = pd.read_csv(mc.data.csvtable.shipped_tables() / "history.csv")
    on = h[h["product"] == "onshore_wind"].set_index("year")["amount"]
    off = h[h["product"] == "offshore_wind"].set_index("year")["amount"]
    assert sorted(on.index) == sorted(world)
    assert off.to_dict() == pytest.approx({y: OFFSHORE_GW.get(y, 0) for y in range(1990, 2024)})
    for y in range(2009, 2024):
        assert on[y] + off[y] == pytest.approx(world[y], abs=1e-9)
    assert on[2008] + off[off.index <= 2008].sum() == pytest.approx(world[2008], abs=1e-9)


def test_hybrids_are_in_use_before_2024(base):
    # history.csv: world hybrid sales from Toyota's milestones (estimate-hev-history),
    # 1,651,000 in 2016 and 4,147,000 in 2022: 2019 interpolated halfway
    k, t19 = base.products.index("hev"), base.years.index(2019)
    t24 = base.years.index(2024)
    assert base.years.index(1997) >= 0
    nd = base.elements.index("Nd")
    per_unit = base.inflow[k, nd, t24] / 6.54e6  # the 2024 contents of a hybrid
    assert base.inflow[k, nd, t19] == pytest.approx(per_unit * (1_651_000 + 4_147_000) / 2)
    # no longer empty in 2024: the cars of 1997-2023 still in use outnumber 2024's sales
    assert base.units_stock[k, t24] > 5 * 6.54e6
    assert base.stock[k, nd, t24] > 5 * base.inflow[k, nd, t24]


def test_default_chain_recovers_one_percent_of_rare_earths(base):
    # collection 22.3 % x liberation 4.8 % x recovery 93 % (recycling.csv)
    k = base.elements.index("Nd")
    out, rec = base.outflow[:, k].sum(), base.recovered[:, k].sum()
    assert rec / out == pytest.approx(0.223 * 0.048 * 0.93)
    c = base.elements.index("Co")  # Co of hybrids' NiMH: UNEP's over 50 %, as collection
    hev, bev = base.products.index("hev"), base.products.index("bev")
    assert base.recovered[hev, c].sum() / base.outflow[hev, c].sum() == pytest.approx(0.5)
    # Co of an EV battery: collection 50 % x liberation 100 % x the EU's 90 % (2027, held before)
    assert base.recovered[bev, c].sum() / base.outflow[bev, c].sum() == pytest.approx(0.45)


def test_scenario_rates_over_time_and_the_market_balance():
    sc = load_scenario("pledges-2040")
    rec = parse_recycling({"collection": {"2024": "10 %", "2040": "50 %"},
                           "liberation": "100 %", "recovery": "95 %"}, "test")  # fmt: skip
    d = mc.demand(dataclasses.replace(sc, recycling=rec))
    model = d.stock_model()
    k, t = model.elements.index("Nd"), model.years.index(2032)
    # 2032: collection 10 % + (50 - 10) % x 8/16 = 30 %, times 100 % x 95 %
    assert model.recovered[:, k, t].sum() == pytest.approx(
        model.outflow[:, k, t].sum() * 0.3 * 0.95
    )
    # end-of-life supply: the base year's published figure (0.5 % of recorded output,
    # secondary.csv) plus what the model recovers beyond its own 2024 level
    f = d.compare().set_index(["element", "year"])
    t24 = model.years.index(2024)
    grown = model.recovered[:, k, -1].sum() - model.recovered[:, k, t24].sum()
    nd40 = f.loc[("Nd", 2040)]
    assert nd40["end_of_life"] == pytest.approx(0.005 * nd40["recorded"] + grown)
    assert nd40["secondary"] == nd40["end_of_life"]  # no swarf on the mined basis
    assert f.loc[("Nd", 2024), "end_of_life"] == pytest.approx(
        0.005 * f.loc[("Nd", 2024), "recorded"]
    )
    assert "stock-flow model" in nd40["note"]


def test_battery_lithium_is_recycled_in_later_years():
    # recycling.csv's lithium chain in 2040: collection 50 % (61 % for two-wheelers, the EU's
    # 2031 target for LMT batteries) x liberation 100 % x recovery 80 % (the EU's 2031 target)
    d = mc.demand(load_scenario("pledges-2040"))
    model = d.stock_model()
    k = model.elements.index("Li")
    t24, t40 = model.years.index(2024), model.years.index(2040)
    out, rec = model.outflow[:, k, t40], model.recovered[:, k, t40].sum()
    assert out.sum() > 0
    collection = [0.61 if p == "e_two_wheeler" else 0.5 for p in model.products]
    assert rec == pytest.approx(float(out @ collection) * 1.0 * 0.8)
    # no published 2024 figure for lithium (secondary.csv): 2040 end of life is the model's
    # growth over its own 2024 level, and it is in the supply
    f = d.compare().set_index(["element", "year"])
    li = f.loc[("Li", 2040)]
    assert li["end_of_life"] == pytest.approx(rec - model.recovered[:, k, t24].sum())
    assert li["supply"] == pytest.approx(li["primary"] + li["end_of_life"])
    assert f.loc[("Li", 2024), "end_of_life"] == 0


def test_monte_carlo_spreads_lifetimes_and_rates(base):
    d = mc.demand(load_scenario("baseline-2024"))
    sampled = d.stock_model(samples=300, seed=1)
    f = sampled.by_element().set_index(["element", "year"])
    row = f.loc[("Nd", 2024)]
    assert row["stock_p5"] < row["stock_p95"] and row["stock"] <= row["stock_p95"]
    assert row["recovered_p5"] < row["recovered_p95"]
    # liberation drawn in 0-4.8 %: the p95 of recovered below the central chain's upper end
    assert row["recovered_p95"] <= row["outflow_p95"] * 0.428 * 0.048 * 0.981 * 1.0001


def test_bad_recycling_tables_are_named():
    with pytest.raises(MineralcalcError, match=r"recycling\.colection: unknown stage"):
        parse_scenario({"volumes": {"smartphone": "1 billion"},
                        "recycling": {"colection": "50 %"}})  # fmt: skip
    with pytest.raises(MineralcalcError, match=r"recycling\.collection\.2030.*share"):
        parse_scenario({"volumes": {"smartphone": "1 billion"},
                        "recycling": {"collection": {"2030": "150 %"}}})  # fmt: skip
    with pytest.raises(MineralcalcError, match="consecutive years"):
        mc.demand(parse_scenario({"years": [2024, 2030], "volumes": {"smartphone": {
            "2024": "1 billion", "2030": "1 billion"}}})).stock_model()  # fmt: skip
    with pytest.raises(MineralcalcError, match="needs volumes by year"):
        mc.demand({"smartphone": "1 billion"}).stock_model()
    with pytest.raises(MineralcalcError, match="no lifetime for f35"):
        mc.demand(load_scenario("baseline-2024")).stock_model(strict=True)


def test_cli_report_stocks_table_csv_and_plot(tmp_path, capsys):
    from mineralcalc.cli import main

    assert main(["report", "pledges-2040", "--stocks"]) == 0
    out = capsys.readouterr().out
    assert "stocks and recycling" in out and "left out (no lifetime" in out and "f35" in out
    target = tmp_path / "stocks.csv"
    plot = tmp_path / "stocks.png"
    assert main(["report", "pledges-2040", "--stocks", "--elements", "Nd,Dy", "-f", "csv",
                 "-o", str(target), "--plot", str(plot)]) == 0  # fmt: skip
    text = target.read_text()
    assert text.startswith("element,year,inflow,stock,outflow,recovered")
    assert {line.split(",")[0] for line in text.splitlines()[1:] if line and "," in line} >= {
        "Nd", "Dy"}  # fmt: skip
    assert plot.stat().st_size > 0
    # the export carries every column the table shows: "Of demand" was dropped from csv and
    # json; it is recovered over the year's demand, empty before the scenario's first year
    rows = pd.read_csv(target)
    assert {"demand", "of_demand", "new_scrap"} <= set(rows.columns)
    before, after = rows[rows["year"] < 2024], rows[rows["year"] >= 2024]
    assert before["of_demand"].isna().all() and after["of_demand"].notna().all()
    assert (after["of_demand"] == after["recovered"] / after["demand"]).all()
