"""No silent wrong answer on the money and security surfaces (issue 23): every bad budget, day
count, daily demand, floor, volume, exchange rate, ``per``, element list and bloc is refused
with a message naming it and its value; ``mineralcalc security`` honours ``--tables``,
``--use`` and ``--rate``."""

from __future__ import annotations

import csv
import json
import math

import pytest

import mineralcalc as mc
from mineralcalc.cli import main
from mineralcalc.data.csvtable import shipped_tables
from mineralcalc.errors import DimensionError, MineralcalcError, UnknownItemError
from mineralcalc.lenses.money import price_of, stockpile, value
from mineralcalc.lenses.money_checks import CURRENCIES, EXAMPLE_RATES, check_rates
from mineralcalc.lenses.price_floor import price_floor
from mineralcalc.lenses.security import bloc_demand, members

ND_METAL = 2 * 144.242 / (2 * 144.242 + 3 * 15.999)  # Nd in Nd2O3
DY_METAL = 2 * 162.5 / (2 * 162.5 + 3 * 15.999)  # Dy in Dy2O3
ND_OXIDE = 56.0  # USD/kg Nd2O3, USGS MCS 2025, 2024 average (prices.csv)
DY_OXIDE = 260.0  # USD/kg Dy2O3, the same


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ stockpile (case 2)
@pytest.mark.parametrize("days", [-5, 0, math.nan, math.inf, -math.inf, "30", True])
def test_days_must_be_a_finite_number_above_zero(days):
    with pytest.raises(MineralcalcError, match=rf"days {days!r}: give a finite number of days"):
        stockpile({"Dy": 1.0}, days=days)


def test_days_too_many_for_a_float_are_refused_not_inf():
    # 1e308 days x 1 t/day x 1000 kg/t x 303 USD/kg overflows a float: refused, not 'inf USD'
    with pytest.raises(MineralcalcError, match=r"days 1e\+308 .*too large"):
        stockpile({"Dy": 1.0}, days=1e308)


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf, "3", None])
def test_daily_demand_of_an_element_must_be_a_number_at_least_zero(bad):
    with pytest.raises(MineralcalcError, match=rf"daily demand of 'Dy': {bad!r} is not a number"):
        stockpile({"Nd": 10.0, "Dy": bad}, days=30)


def test_zero_daily_demand_buys_nothing_of_that_element():
    # Dy 0 t/day, Nd 2 t/day for 10 days: Nd 20 t at 56 / 0.857 USD/kg; Dy 0 t
    out = stockpile({"Dy": 0.0, "Nd": 2.0}, days=10, year=2024).set_index("element")
    assert out.loc["Dy", "tonnes"] == 0.0 and out.loc["Nd", "tonnes"] == pytest.approx(20.0)
    assert out.attrs["budget"] == pytest.approx(20 * 1000 * ND_OXIDE / ND_METAL, rel=1e-4)
    with pytest.raises(MineralcalcError, match=r"daily demand of every element \(Dy\) is zero"):
        stockpile({"Dy": 0.0}, days=10)


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        (math.nan, r"budget: nan has no unit"),
        ("1e400 USD", r"budget '1e400 USD': .*finite"),
        ("-5 billion USD", r"budget '-5 billion USD' is below zero"),
        ("0 USD", r"budget '0 USD' is not above zero"),
        ("1 to 2 billion USD", r"budget '1 to 2 billion USD' is a range: give one amount"),
        ("5 USD/kg", r"budget '5 USD/kg': USD/kg is not USD"),
    ],
)
def test_a_bad_budget_is_named_with_its_value(budget, message):
    with pytest.raises(MineralcalcError, match=message):
        stockpile({"Dy": 1.0}, budget=budget)


# ------------------------------------------------------------------ price floor (case 3)
@pytest.mark.parametrize(
    ("floor", "volume", "message"),
    [
        ("110 USD/kg", "-5 t", r"volume '-5 t' is below zero"),
        ("110 USD/kg", "1e400 t", r"volume '1e400 t': .*finite"),
        ("110 USD/kg", math.nan, r"volume: nan has no unit"),
        ("1e400 USD/kg", "1294 t", r"floor '1e400 USD/kg': .*finite.*'110 USD/kg'"),
        ("-110 USD/kg", "1294 t", r"floor '-110 USD/kg' is below zero"),
        ("100 to 120 USD/kg", "1294 t", r"floor '100 to 120 USD/kg' is a range"),
        ("1e300 USD/kg", "1e300 t", r"floor '1e300 USD/kg' on volume '1e300 t' costs more"),
    ],
)
def test_a_bad_floor_or_volume_is_named_with_its_value(floor, volume, message):
    with pytest.raises(MineralcalcError, match=message):
        price_floor("Nd", floor, volume, year=2024)


def test_a_floor_or_volume_of_zero_costs_nothing():
    # max(110 - 56, 0) x 0 kg = 0; max(0 - 56, 0) x 1,294,000 kg = 0
    assert price_floor("Nd", "110 USD/kg", "0 t", year=2024)["cost_high"] == 0.0
    assert price_floor("Nd", "0 USD/kg", "1294 t", year=2024)["cost_high"] == 0.0


# ------------------------------------------------------------------ exchange rates (case 4)
def test_a_negative_rate_is_blamed_not_the_budget():
    with pytest.raises(MineralcalcError, match=r"rate for EUR \(rates\['EUR'\]\): '-1.08 USD' "):
        stockpile({"Dy": 1.0}, budget="10 billion EUR", rates={"EUR": "-1.08 USD"})


@pytest.mark.parametrize("rate", ["1.08", 1.08])
def test_a_rate_without_a_currency_says_which_and_how(rate):
    with pytest.raises(
        DimensionError, match=r"rate for EUR .*'?1.08'? has no currency.*'1.08 USD'"
    ):
        stockpile({"Dy": 1.0}, budget="10 billion EUR", rates={"EUR": rate})


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        ({"EUR": "1.08 kg"}, r"rate for EUR \(rates\['EUR'\]\): '1.08 kg' is not in USD"),
        ({"EUR": "1.08 CNY"}, r"rate for EUR .*'1.08 CNY' is not in USD"),
        ({"EUR": "nan USD"}, r"rate for EUR .*'nan USD'"),
        ({"EUR": "1 to 2 USD"}, r"rate for EUR .*is a range"),
        ({"GBP": "1.27 USD"}, r"'GBP': not a currency.*EUR, CNY"),
        ({"USD": "1 USD"}, r"rates\['USD'\]: answers are in USD"),
        ({"EUR": "1.08 USD", "eur": "1.1 USD"}, r"rate for EUR is given twice"),
        ("1.08 USD", r"rates '1.08 USD': give a mapping"),
    ],
)
def test_bad_rates_are_named(rates, message):
    with pytest.raises(MineralcalcError, match=message):
        stockpile({"Dy": 1.0}, budget="10 billion EUR", rates=rates)


def test_rates_in_every_spelling_of_usd_per_unit():
    # 10 billion EUR at 1.08 USD/EUR = 10.8 billion USD, however the rate is written
    for rate in ("1.08 USD", "1.08USD", "1.08 USD/EUR", "108 cent"):
        out = stockpile({"Dy": 1.0}, budget="10 billion EUR", rates={"EUR": rate})
        assert out.attrs["budget"] == pytest.approx(10.8e9)


def test_the_missing_rate_example_fits_the_currency():
    # CNY: about 7.2 CNY per USD in 2024, 1 / 7.2 = 0.139 USD per CNY; EUR about 1.08 USD
    with pytest.raises(DimensionError, match=r"in CNY .*rates=\{'CNY': '0.139 USD'\}"):
        price_of("Nd", 2025, market="China domestic, ex-works")
    with pytest.raises(DimensionError, match=r"in EUR .*rates=\{'EUR': '1.08 USD'\}"):
        stockpile({"Dy": 1.0}, budget="10 billion EUR")
    # every currency of the registry but USD has an example, and each reads as a currency
    assert set(EXAMPLE_RATES) == set(CURRENCIES) - {"USD"}
    assert check_rates({c: f"{EXAMPLE_RATES[c]} USD" for c in EXAMPLE_RATES}).usd_per == {
        "EUR": 1.08,
        "CNY": 0.139,
    }


def test_a_cny_price_with_its_rate():
    # Argus 2025-01-02 China domestic: Nd's own oxide (99.5-99.9 %) comes before NdPr oxide and
    # both metals: 402-405 CNY/kg, at 0.139 USD/CNY 55.878 to 56.295 USD/kg of the oxide
    p = price_of(
        "Nd", 2025, market="China domestic, ex-works", rates={"CNY": "0.139 USD"}, per="product"
    )
    assert p["product"] == "Neodymium oxide 99.5-99.9%"
    assert (p["low"], p["high"]) == (pytest.approx(402 * 0.139), pytest.approx(405 * 0.139))
    # NdPr oxide asked for by a second term: 397-399 CNY/kg
    p = price_of("Nd", 2025, market="China domestic, ex-works; NdPr oxide",
                 rates={"CNY": "0.139 USD"}, per="product")  # fmt: skip
    assert (p["low"], p["high"]) == (pytest.approx(397 * 0.139), pytest.approx(399 * 0.139))


def test_a_market_matching_rows_still_tied_is_an_error_listing_them():
    # Fastmarkets' FOB China NdPr oxide on 2024-04-18 and 2024-06-20: two periods, one product
    with pytest.raises(
        UnknownItemError,
        match=r"matches 2 prices of Nd in 2024: NdPr oxide 99% "
        r"\(75:25\) \(FOB China \(Fastmarkets weekly\), 2024-04-18\)",
    ):
        price_of("Nd", 2024, market="FOB China")
    p = price_of("Nd", 2024, market="FOB China; 2024-06-20", per="product")
    assert (p["low"], p["high"]) == (50, 52)


def test_value_does_not_hide_a_missing_rate_as_no_price():
    d = mc.demand(mc.load_scenario("baseline-2024"))
    with pytest.raises(DimensionError, match=r"exchange rate in USD per CNY"):
        value(d, market="China domestic")


# ------------------------------------------------------------------ price_of (case 5)
@pytest.mark.parametrize("per", ["oxide", "metal", "", None, "Element"])
def test_per_is_element_or_product(per):
    with pytest.raises(MineralcalcError, match=rf"per {per!r}: give 'element' .* or 'product'"):
        price_of("Nd", 2024, per=per)


def test_per_product_and_per_element_differ_by_the_content():
    # 56 USD/kg of Nd2O3 is 56 / 0.857 USD/kg of Nd
    assert price_of("Nd", 2024, per="product")["price"] == pytest.approx(ND_OXIDE)
    assert price_of("Nd", 2024)["price"] == pytest.approx(ND_OXIDE / ND_METAL)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"element": "Xx"}, r"no price for 'Xx' in prices.csv: give an element with a price"),
        ({"element": ["Nd"]}, r"no price for \['Nd'\]"),
        ({"market": ""}, r"market '': give part of a market's name"),
        ({"year": "2024"}, r"year '2024': give a whole year"),
        ({"year": math.nan}, r"year nan: give a whole year"),
    ],
)
def test_price_of_names_a_bad_argument(kwargs, message):
    with pytest.raises(MineralcalcError, match=message):
        price_of(**{"element": "Nd", **kwargs})


# ------------------------------------------------------------------ blocs (cases 7 and 8)
@pytest.fixture(scope="module")
def baseline():
    return mc.demand(mc.load_scenario("baseline-2024"))


def test_a_bloc_outside_every_region_is_refused_naming_the_regions(baseline):
    # regional.csv gives Argentina no row: it is in the rest of the world, which no bloc
    # holds, so its demand is unknown
    with pytest.raises(
        UnknownItemError,
        match=r"bloc 'Argentina': no product .* regional demand share for it in regional.csv "
        r"\(its regions: China, European Union, United States, United Kingdom",
    ):
        bloc_demand(baseline, "Argentina")
    # a part of the EU is not the EU
    with pytest.raises(UnknownItemError, match=r"bloc 'Germany': no product"):
        bloc_demand(baseline, "Germany")


def test_the_default_bloc_counts_japan_and_mexico(baseline):
    need = bloc_demand(baseline, "US price-floor talks", elements=["Nd"])
    assert need.attrs["regions"] == ["European Union", "Japan", "Mexico", "United States"]
    # both have electric-car rows (IEA 2024 sales) and wind rows (JWPA, AMDEE: Mexico's
    # offshore a row of 0). Hybrids have rows for Japan and the United States only, so Mexico
    # and each EU member miss them: named, product by product
    eu = sorted(members(mc.supply(2024), "European Union"))
    assert need.attrs["uncounted"] == sorted([*eu, "Mexico"])
    assert need.attrs["missing"] == {**{c: ["hev"] for c in eu}, "Mexico": ["hev"]}
    us = bloc_demand(baseline, "United States", elements=["Nd"])
    assert us.attrs["uncounted"] == [] and us.attrs["missing"] == {}
    assert us.loc[0, "complete"] == 1.0
    # China has no hybrid row (no 2024 full-hybrid count read): its hybrids count as none
    china = bloc_demand(baseline, "China", elements=["Nd"])
    assert china.attrs["missing"] == {"China": ["hev"]}


def test_a_members_share_by_hand_from_the_table_rows():
    # electric cars only, so the bloc's share is the rows' sales share alone: Japan sold
    # 60,000 of the world's 11 million battery-electric cars in 2024 (iea-gevo-2025-data),
    # Mexico 20,000, the EU27 1.5 million, the United States 1.2 million
    d = mc.demand({"bev": "1 million"}, years=None)
    need = bloc_demand(d, "Japan", year=None, elements=["Nd"])
    world_nd = need.loc[0, "world"]
    assert need.loc[0, "share"] == pytest.approx(60_000 / 11e6, abs=1e-5)
    assert need.loc[0, "bloc"] == pytest.approx(world_nd * 60_000 / 11e6, rel=1e-3)
    talks = bloc_demand(d, "US price-floor talks", year=None, elements=["Nd"])
    by_hand = (1_500_000 + 1_200_000 + 60_000 + 20_000) / 11e6
    assert talks.loc[0, "share"] == pytest.approx(by_hand, abs=1e-4)
    assert talks.loc[0, "complete"] == 1.0 and talks.attrs["uncounted"] == []


def test_the_part_of_split_demand_every_member_has_rows_for(baseline):
    # Mexico and the EU have no hybrid row: the Nd of electric cars and wind has a row for
    # every member, the hybrids' not
    need = bloc_demand(baseline, "US price-floor talks", elements=["Nd"])
    t = baseline.to_frame("t")
    nd = t[(t["element"] == "Nd") & (t["year"] == 2024)].groupby("product")["central"].sum()
    split = nd[["bev", "phev", "hev", "onshore_wind", "offshore_wind"]]
    assert need.loc[0, "complete"] == pytest.approx(1 - split["hev"] / split.sum())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"elements": ""}, r"elements '': give element symbols or groups"),
        ({"elements": []}, r"elements: none given"),
        ({"elements": ["Xx"]}, r"elements: 'Xx' is not an element or group"),
        ({"bloc": []}, r"bloc \[\] has no countries"),
        ({"bloc": ""}, r"bloc: an empty country name"),
        ({"year": 1990}, r"year 1990: the demand has years \[2024\]"),
    ],
)
def test_bloc_demand_names_a_bad_argument(baseline, kwargs, message):
    with pytest.raises(MineralcalcError, match=message):
        bloc_demand(baseline, **{"bloc": "China", **kwargs})


def test_a_group_of_elements_is_resolved(baseline):
    # 'magnet REE' is Nd, Pr, Dy, Tb; before, a string was read letter by letter ('M', 'a' ...)
    need = bloc_demand(baseline, "China", elements="magnet REE")
    assert list(need["element"]) == ["Nd", "Pr", "Dy", "Tb"]


def test_a_scenario_without_regionally_split_products_has_no_bloc_share():
    # smartphones are not in regional.csv: the share would be 0 / 0, once a silent NaN
    d = mc.demand({"smartphone": "1 billion"})
    with pytest.raises(UnknownItemError, match=r"no product of the scenario that holds Nd is"):
        bloc_demand(d, "China", elements=["Nd"])


# ------------------------------------------------------------------ the command line
def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run(capsys, "security", "-f", "json", *argv)
    assert code == 0, err
    return json.loads(out)


def _prices_folder(tmp_path, factor: float):
    """A --tables folder whose prices.csv has the default 2024 Nd price times ``factor``."""
    with (shipped_tables() / "prices.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["element"] == "Nd" and r["year"] == "2024" and not r["status"]:
            assert r["price"] == "56"
            r["price"] = str(56 * factor)
    with (tmp_path / "prices.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return tmp_path


def test_cli_security_reads_prices_from_tables(capsys, tmp_path):
    shipped = _json(capsys)
    # Nd oxide at 56 x 1.5 = 84 USD/kg: the floor of 110 costs (110 - 84) x 1,294,000 kg
    mine = _json(capsys, "--tables", str(_prices_folder(tmp_path, 1.5)))
    assert shipped["price_floor"]["cost"] == pytest.approx((110 - 56) * 1_294_000)
    assert mine["price_floor"]["cost"] == pytest.approx((110 - 84) * 1_294_000)
    assert mine["prices"]["Nd"]["price"] == pytest.approx(84 / ND_METAL)
    assert mine["months"][1] < shipped["months"][1]  # dearer Nd, fewer months


def test_cli_security_uses_an_alternative(capsys, baseline):
    # the IMAGE onshore wind mix holds more Nd a MW; wind is split by region, so the bloc's
    # demand moves with it, exactly as the library computes it with the alternative in use
    used = _json(capsys, "--use", "onshore_wind_image")
    shipped = _json(capsys)
    cat = mc.Catalog.default().use("onshore_wind_image")
    d = mc.demand(mc.load_scenario("baseline-2024", catalog=cat))
    need = bloc_demand(d, "US price-floor talks").set_index("element")
    nd = next(r for r in used["stockpile"] if r["element"] == "Nd")
    assert nd["daily"] == pytest.approx(need.loc["Nd", "daily"])
    assert nd["daily"] != pytest.approx(shipped["stockpile"][0]["daily"])


def test_cli_security_rate_flag(capsys):
    # 10 billion EUR at 1.08 USD/EUR = 10.8 billion USD
    doc = _json(capsys, "--budget", "10 billion EUR", "--rate", "EUR=1.08USD")
    assert doc["budget_usd"] == pytest.approx(10.8e9) and doc["rates_usd_per"] == {"EUR": 1.08}
    # Nd oxide 402-405 CNY/kg (Argus, China domestic, Nd's own before NdPr) at 0.139 USD/CNY
    doc = _json(capsys, "--market", "China domestic", "--rate", "CNY=0.139 USD")
    assert doc["price_floor"]["price_low"] == pytest.approx(402 * 0.139)
    assert doc["price_floor"]["price_high"] == pytest.approx(405 * 0.139)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--budget", "10 billion EUR"], r"USD per EUR, e.g. --rate EUR=1.08USD"),
        (["--market", "China domestic"], r"USD per CNY, e.g. --rate CNY=0.139USD"),
        (["--rate", "EUR"], r"--rate 'EUR': give CURRENCY=AMOUNT"),
        (["--rate", "=1.08USD"], r"--rate '=1.08USD': give CURRENCY=AMOUNT"),
        (["--rate", "GBP=1.27USD"], r"'GBP': not a currency .* --rate EUR=1.08USD"),
        (["--rate", "EUR=1.08"], r"rate for EUR \(--rate EUR\): '1.08' has no currency"),
        (["--rate=EUR=-1USD"], r"rate for EUR \(--rate EUR\): '-1USD' is not above zero"),
        (["--rate", "EUR=0USD"], r"'0USD' is not above zero"),
        (["--rate", "EUR=nanUSD"], r"rate for EUR \(--rate EUR\): 'nanUSD'"),
        (["--rate", "EUR=1USD", "--rate", "eur=2USD"], r"--rate EUR is given twice"),
        (["--elements", ""], r"--elements '': no element given"),
        (["--elements", " , "], r"--elements ' , ': no element given"),
        (["--elements", "Nd,Xx"], r"--elements 'Nd,Xx': 'Xx' is not an element"),
        (["--bloc", "Argentina"], r"bloc 'Argentina': no product of the scenario has a"),
        (["--budget=-5 USD"], r"--budget '-5 USD' is below zero"),
        (["--floor", "1e400 USD/kg"], r"--floor '1e400 USD/kg': .*finite"),
        (["--floor-volume=-1294 t"], r"--floor-volume '-1294 t' is below zero"),
        (["--market="], r"--market '': give part of a market's name"),
    ],
)
def test_cli_security_bad_flags_exit_2_with_one_line(capsys, argv, message):
    import re

    code, out, err = run(capsys, "security", *argv)
    assert code == 2 and not out
    assert err.count("\n") == 1 and err.startswith("mineralcalc: error: ")
    assert re.search(message, err), err


def test_cli_security_says_which_members_are_not_counted(capsys):
    doc = _json(capsys)
    assert {"Germany", "Mexico"} <= set(doc["uncounted"])
    # Japan and Mexico have wind rows (JWPA, AMDEE); neither Mexico nor an EU member a hybrid one
    assert "Japan" not in doc["uncounted"] and doc["missing"]["Mexico"] == ["hev"]
    note = "Malta, Mexico, Netherlands, Poland, Portugal, Romania, Slovakia, Slovenia, Spain, Sweden for hev"
    assert any(note in n for n in doc["notes"])
    code, out, _ = run(capsys, "security")
    assert code == 0 and note in " ".join(out.split())
    # every member counted for every product: no note, and the line says so
    doc = _json(capsys, "--bloc", "United States")
    assert doc["uncounted"] == [] and doc["notes"] == []
    code, out, _ = run(capsys, "security", "--bloc", "United States")
    assert "Every member has a regional row for each split product" in " ".join(out.split())


def test_value_in_a_market_that_prices_nothing_is_an_error_not_an_empty_frame():
    # found writing the money guide: mc.value(d, market="FOB China") returned a frame with
    # no rows and no columns; the reasons per element (no row, no match, rows tied) were lost
    d = mc.demand({"phone": "1 million"}, mc.Catalog([mc.Item("phone", parts={"Nd": "1 g"})]))
    with pytest.raises(
        mc.UnknownItemError,
        match=r"no element of the demand has a price in a market matching 'no such market' in None \(Nd: no price for Nd in a market matching",
    ):
        mc.value(d, market="no such market")
    # a demand without years is valued too (it came back empty): 1 million x 1 g = 1 t of Nd
    # at the latest default price
    v = mc.value(d)
    assert list(v["element"]) == ["Nd"] and v.attrs["no_price"] == []
    nd = price_of("Nd")
    assert v["value"].iloc[0] == pytest.approx(1000 * nd["price"])


@pytest.mark.parametrize(
    "option",
    [
        ["--days", "90"],
        ["--budget", "1 billion USD"],
        ["--max-share", "10%"],
        ["--market", "FOB China"],
        ["--rate", "EUR=1.08 USD"],
        ["--floor", "120 USD/kg"],
        ["--floor-element", "Pr"],
        ["--floor-volume", "2000 t"],
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_stockpile_and_floor_options_are_refused_where_they_change_nothing(capsys, option, fmt):
    # -f csv and -f markdown write the self-sufficiency table alone: --days 90 or a floor
    # there was read, checked and dropped (found reviewing the stockpile pace)
    code = main(["security", "-f", fmt, *option])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0
    assert f"{option[0]} " in err and f"changes nothing in -f {fmt}" in err
