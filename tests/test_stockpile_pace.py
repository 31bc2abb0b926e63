"""A stockpile the market can fill (issue 26): purchases within a share of world output a year,
the buying time, the share absorbed, and the cost at each market of ``prices.csv``."""

from __future__ import annotations

import io
import json
import math

import pytest
from rich.console import Console

import mineralcalc as mc
from mineralcalc.cli import main
from mineralcalc.errors import MineralcalcError
from mineralcalc.lenses.stockpile_pace import DEFAULT_MAX_SHARE, check_max_share

# the metal fraction of Nd2O3 from standard atomic masses (Nd 144.242, O 15.999)
ND_IN_OXIDE = 2 * 144.242 / (2 * 144.242 + 3 * 15.999)


@pytest.fixture(scope="module")
def baseline():
    return mc.demand(mc.load_scenario("baseline-2024"))


@pytest.fixture(scope="module")
def us90(baseline):
    return baseline.stockpile(days=90, bloc="United States")


@pytest.fixture(scope="module")
def world(baseline):
    """World supply 2024 per element, as the market balance counts it (t/yr)."""
    f = baseline.compare()
    f = f[f["year"] == 2024]
    return dict(zip(f["element"], f["supply"], strict=True))


def test_ninety_days_of_the_united_states_by_hand(baseline, us90, world):
    need = mc.bloc_demand(baseline, "United States", elements=["Nd", "Pr", "Dy", "Tb"])
    daily = dict(zip(need["element"], need["daily"], strict=True))
    f = us90.set_index("element")
    years = {}
    for el in ("Nd", "Pr", "Dy", "Tb"):
        tonnes = daily[el] * 90  # t/day x days
        assert f.at[el, "tonnes"] == pytest.approx(tonnes, rel=1e-12)
        assert f.at[el, "supply"] == pytest.approx(world[el], rel=1e-12)
        years[el] = tonnes / (0.05 * world[el])  # t / (share x t/yr)
        assert f.at[el, "years"] == pytest.approx(years[el], rel=1e-12)
        assert f.at[el, "of_output"] == pytest.approx(tonnes / world[el], rel=1e-12)
        assert f.at[el, "days"] == 90
    total = max(years.values())
    assert us90.attrs["years"] == pytest.approx((total, total, total), rel=1e-12)
    assert us90.attrs["binding"] == max(years, key=years.__getitem__)
    for el in ("Nd", "Pr", "Dy", "Tb"):
        assert f.at[el, "absorbed"] == pytest.approx(f.at[el, "tonnes"] / (total * world[el]))
    assert us90.attrs["days_per_year"] == pytest.approx(90 / total)
    # at twice the share the buying takes half as long
    fast = baseline.stockpile(days=90, bloc="United States", max_share="10%")
    assert fast.attrs["years"][1] == pytest.approx(total / 2, rel=1e-12)


def test_cost_at_each_market_is_the_tonnes_at_that_markets_price(us90):
    nd = us90.set_index("element").at["Nd", "tonnes"]
    markets = {m["market"]: m for m in us90.attrs["markets"] if m["element"] == "Nd"}
    # prices.csv: USGS 2024 average USD 56/kg of Nd oxide; FOB China export (Argus, 2 Jan
    # 2025) USD 55.3-55.8/kg of oxide; CIF Rotterdam (Fastmarkets) 53-55 on 18 April and on
    # 20 June 2024, the two quotes of the year kept as one price of 54
    usgs = 56 / ND_IN_OXIDE
    assert markets["USGS MCS salient price"]["cost"] == pytest.approx(nd * 1000 * usgs, rel=1e-4)
    fob = markets["FOB China export"]
    assert fob["cost"] == pytest.approx(nd * 1000 * 55.55 / ND_IN_OXIDE, rel=1e-4)
    assert fob["cost_low"] == pytest.approx(nd * 1000 * 55.3 / ND_IN_OXIDE, rel=1e-4)
    cif = markets["CIF Rotterdam"]
    assert cif["quotes"] == 2 and cif["period"] == "2024-04-18; 2024-06-20"
    assert cif["cost"] == pytest.approx(nd * 1000 * 54 / ND_IN_OXIDE, rel=1e-4)
    # the default price is the USGS one, so the frame's cost is that market's
    assert us90.set_index("element").at["Nd", "cost"] == pytest.approx(
        markets["USGS MCS salient price"]["cost"], rel=1e-12
    )
    # a CNY market without a rate says which rate to give, never a silent 0 or a gap
    china = markets["China domestic, ex-works"]
    assert math.isnan(china["cost"]) and "CNY" in china["why"]


def test_a_cny_market_is_priced_with_the_rate_given(baseline):
    f = baseline.stockpile(days=90, bloc="United States", rates={"CNY": "0.139 USD"})
    nd = f.set_index("element").at["Nd", "tonnes"]
    china = next(
        m
        for m in f.attrs["markets"]
        if m["element"] == "Nd" and m["market"] == "China domestic, ex-works"
    )
    # Argus, 2 January 2025: Nd oxide 402-405 CNY/kg ex-works
    assert china["cost"] == pytest.approx(nd * 1000 * 403.5 * 0.139 / ND_IN_OXIDE, rel=1e-4)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"budget": "11.67 billion USD"},
        {"budget": "11.67 billion USD", "bloc": "United States"},
        {"days": 90, "bloc": "United States"},
        {"days": 3650, "max_share": 0.2},
    ],
)
def test_yearly_purchases_never_exceed_the_stated_share(baseline, world, kwargs):
    f = baseline.stockpile(**kwargs)
    share = kwargs.get("max_share", DEFAULT_MAX_SHARE)
    for lo_hi, years in zip(("tonnes_low", "tonnes", "tonnes_high"), f.attrs["years"], strict=True):
        per_year = f[lo_hi].to_numpy() / years  # t/yr, every element bought over the same time
        limit = share * f["element"].map(world).to_numpy()
        assert (per_year <= limit * (1 + 1e-12)).all()
        # and the element that sets the time is bought at the limit
        assert (per_year / limit).max() == pytest.approx(1, rel=1e-9)
    assert (f["absorbed"] <= share * (1 + 1e-12)).all()


def test_the_default_bloc_budget_takes_decades_at_five_percent(baseline, world):
    # Project Vault's USD 11.67 bn at 2024 prices buys more Nd than the world supplies in a
    # year (64 kt): at 5 % a year that is decades of buying, which the answer now says
    f = baseline.stockpile(budget="11.67 billion USD")
    nd = f.set_index("element").loc["Nd"]
    assert nd["tonnes"] > world["Nd"] and nd["of_output"] > 1
    assert f.attrs["years"][1] == pytest.approx(nd["of_output"] / 0.05, rel=0.1)
    assert f.attrs["years"][1] > 20


@pytest.mark.parametrize("bad", [0, -0.1, 1.5, "150%", "0%", "-5%", "abc", float("nan"), True])
def test_the_pace_limit_out_of_range_is_refused(baseline, bad):
    with pytest.raises(MineralcalcError, match="max_share"):
        baseline.stockpile(days=90, bloc="United States", max_share=bad)


def test_the_pace_limit_reads_fractions_and_percentages():
    assert check_max_share(0.05) == check_max_share("5%") == check_max_share(" 5 % ") == 0.05
    assert check_max_share(1) == check_max_share("100%") == 1.0


@pytest.mark.parametrize("bad", ["0", "-1%", "101%", "ten", "nan"])
def test_the_flag_out_of_range_is_refused(bad, capsys):
    assert main(["security", f"--max-share={bad}"]) == 2
    err = capsys.readouterr().err
    assert "--max-share" in err and "at most 100 %" in err


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_the_flag_that_changes_nothing_is_refused(fmt, capsys):
    # csv and markdown write the self-sufficiency table, which the pace does not change
    assert main(["security", "--max-share", "10%", "-f", fmt]) == 2
    err = capsys.readouterr().err
    assert "--max-share" in err and "changes nothing" in err


def test_json_carries_the_pace_and_the_markets(capsys):
    assert main(["security", "--bloc", "United States", "--max-share", "10%", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["pace"]["max_share"] == 0.1
    assert doc["pace"]["binding"] in ("Nd", "Pr", "Dy", "Tb")
    assert {"years", "absorbed", "supply"} <= set(doc["stockpile"][0])
    assert any(m["cost"] is None and "CNY" in m["why"] for m in doc["markets"])


@pytest.mark.parametrize("argv", [[], ["--bloc", "United States"], ["--days", "90"]])
def test_the_terminal_shows_the_time_and_the_share_at_80_columns(argv, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["security", *argv]) == 0
    text = capsys.readouterr().out
    flat = " ".join(text.split())
    assert "…" not in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    assert "Absorbed" in flat and "Bought together, the stockpile takes" in flat
    assert "Prices are taken as given" in flat and "The price range changes" in flat
    assert "estimate-stockpile-pace" in flat  # the default's source, named and listed
    assert "The same tonnes at each market's price" in flat


def test_the_pace_table_renders_whole_numbers(us90):
    from mineralcalc.present.stockpile_view import pace_table
    from mineralcalc.present.text import fmt

    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(pace_table(us90))
    text = out.getvalue()
    for value in us90["supply"]:
        assert f" {fmt(value)} " in text
