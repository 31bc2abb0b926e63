"""Battery and other critical minerals (issue 17), checked against figures computed by hand
from the cited rows of tables/."""

import pytest

import mineralcalc as mc

# kg/kWh of the cathodes (estimate-cathode-metals, parts.csv) and the 2024 EV mix
# (estimate-ev-chemistry-2024): LFP 0.45, NMC811 0.229, NMC622 0.258, NCA 0.063
LI = {"lfp": 0.0879, "nmc811": 0.0926, "nmc622": 0.1049, "nca": 0.0997}
MIX = {"lfp": 0.45, "nmc811": 0.229, "nmc622": 0.258, "nca": 0.063}


@pytest.fixture(scope="module")
def base():
    return mc.demand(mc.load_scenario("baseline-2024"))


def test_a_bev_is_the_whole_vehicle():
    cat = mc.Catalog.default()
    li_per_kwh = sum(MIX[k] * LI[k] for k in MIX)
    bev = cat.intensity("bev")
    assert bev.loc["Li", "central"] == pytest.approx(63.2 * li_per_kwh)  # Adamas 63.2 kWh
    # copper: 22.3 kg outside the battery + 0.333 kg/kWh in it
    assert bev.loc["Cu", "central"] == pytest.approx(22.3 + 63.2 * 0.333)
    # the motors-only bill is kept, and its rare earths are the whole car's
    motors = cat.intensity("bev_motors")
    assert "Li" not in motors.index
    assert bev.loc["Nd", "central"] == pytest.approx(motors.loc["Nd", "central"])


def test_battery_capacity_of_the_baseline(base):
    figures = mc.validate().set_index("id")
    # 10.5 M BEV x 63.2 + 6.6 M PHEV x 23.0 + 9.2 M two-wheelers x 3.2 + (48,000 buses +
    # 90,000 trucks) x 221 kWh (the middle of 126-316) + 205 GWh of storage
    gwh = (10.5e6 * 63.2 + 6.6e6 * 23.0 + 9.2e6 * 3.2 + (48_000 + 90_000) * 221) / 1e6 + 205
    assert figures.loc["iea-battery-gwh", "ours"] == pytest.approx(gwh)
    assert figures.loc["adamas-car-gwh", "ours"] == pytest.approx(
        (10.5e6 * 63.2 + 6.6e6 * 23.0) / 1e6
    )
    assert figures.loc["iea-battery-gwh", "unit"] == "GWh"
    assert figures.loc[["iea-battery-gwh", "rho-battery-gwh", "bnef-battery-gwh"], "within"].all()


def test_lithium_demand_and_supply_in_2024(base):
    f = base.compare().set_index("element")
    li = f.loc["Li"]
    # other uses fill battery Li up to 2024's 190.4 kt and add 28 kt of other uses: the IEA's
    # 168 kt of 2023 grown by its "nearly 30 %" (estimate-li-demand-2024)
    assert li["demand"] == pytest.approx(168_000 * 1.30)
    assert li["supply"] == pytest.approx(240_000)  # USGS MCS 2025, excluding the US
    assert li["share"] == pytest.approx(218_400 / 240_000)
    assert li["modelled"] < 190_400  # so the battery row is filled, not exceeded
    assert f.loc["Ni", "demand"] == pytest.approx(370_000 + 2_734_000, rel=0.02)
    assert f.loc["Co", "supply"] == pytest.approx(290_000)
    assert f["share"].get("C") != f["share"].get("C")  # graphite: no share, said in the note
    assert "synthetic" in f.loc["C", "note"]


def test_battery_minerals_grow_with_the_buildout():
    d = mc.demand(mc.load_scenario("buildout-2030"))
    li = d.total("Li", year=2030).magnitude / d.total("Li", year=2024).magnitude
    # BEV 10.5 -> 33 M, PHEV 6.6 -> 7.7 M, storage 205 -> 400 GWh ...: more than double
    assert li > 2.0
    for el in ("Co", "Ni", "Mn"):
        assert d.total(el, year=2030).magnitude > 1.5 * d.total(el, year=2024).magnitude


def test_lithium_refining_without_china():
    s = mc.supply(2024)
    assert s.stages("Li") == ("mining", "refining")
    by = s.by_country("Li", stage="refining").set_index("country")
    assert by.loc["China", "share"] == pytest.approx(0.70)
    less = s.without("China", stage="refining")
    # share-only refining: the 240,000 t mined, less China's 70 %
    assert less.total("Li", stage="refining").to("t").magnitude == pytest.approx(72_000)
    assert less.total("Li").to("t").magnitude == pytest.approx(240_000)
    assert s.hhi("Li") == pytest.approx(
        sum(
            (a / 240_000 * 100) ** 2
            for a in (88_000, 49_000, 41_000, 22_000, 18_000, 10_000, 4_300, 2_700, 380)
        )
    )


def test_cli_supply_of_lithium_by_stage(capsys):
    from mineralcalc.cli import main

    assert main(["supply", "Li"]) == 0
    out = capsys.readouterr().out
    assert "Li mining output 2024" in out and "Li refining output 2024" in out
    assert out.count("HHI") == 2
    assert main(["supply", "Li", "--without", "China"]) == 0
    out = capsys.readouterr().out
    assert "72,000" in out  # refining: 240,000 t less China's 70 %


def test_copper_counts_its_scrap(base):
    cu = base.compare().set_index("element").loc["Cu"]
    # the IEA's 25,855 kt of demand (2023, held) against 23,000 kt mined (USGS) and
    # 4,700 kt of secondary refined copper (ICSG): without the scrap it would read 112 %
    assert cu["demand"] == pytest.approx(25_855_000)
    assert cu["secondary"] == pytest.approx(4_700_000)
    assert cu["share"] == pytest.approx(25_855_000 / 27_700_000)
