"""World output as frames (lenses/world_output.py): expectations by hand from tables/supply.csv
(USGS MCS 2025 mine output, the IEA's separation shares)."""

import math

import pytest

from mineralcalc.errors import UnknownItemError, VolumeError
from mineralcalc.lenses.supply import supply
from mineralcalc.lenses.world_output import (
    commodity_named,
    country_output,
    latest_year,
    supply_year,
    world_output,
)

# supply.csv, REE mining 2024 [t REO], every named country but "Other" (1,100 t); world 390,000
REE_2024 = {
    "United States": 45_000,
    "Australia": 13_000,
    "Brazil": 20,
    "Burma (Myanmar)": 31_000,
    "China": 270_000,
    "India": 2_900,
    "Madagascar": 2_000,
    "Malaysia": 130,
    "Nigeria": 13_000,
    "Russia": 2_500,
    "Thailand": 13_000,
    "Vietnam": 300,
}


def _hhi(amounts, world):
    return sum((a / world * 100) ** 2 for a in amounts)


def test_the_years_read():
    assert latest_year() == 2024
    assert supply_year(2023) == 2023
    assert supply_year(2030) == 2024  # a projected year reads the latest figures
    assert supply_year(None) == 2024


def test_every_commodity_on_one_line():
    frame = world_output()
    assert frame.attrs["year"] == 2024
    assert list(frame["commodity"]) == ["REE", "Li", "Co", "Ni", "Mn", "Cu", "Ga", "graphite"]
    by = frame.set_index("commodity")
    ree = by.loc["REE"]
    assert ree["output_t"] == 390_000 and ree["basis"] == "oxide"
    assert ree["top_producer"] == "China" and ree["top_share"] == pytest.approx(270 / 390)
    assert ree["hhi"] == pytest.approx(_hhi(REE_2024.values(), 390_000))
    assert ree["top_refiner"] == "China" and ree["top_refiner_share"] == pytest.approx(0.913)
    ga = by.loc["Ga"]  # China 750, Russia 6, Japan 3, Korea 3 of 760 t; refining: a world row
    assert ga["basis"] == "metal" and ga["top_share"] == pytest.approx(750 / 760)
    assert ga["hhi"] == pytest.approx(_hhi([750, 6, 3, 3], 760))
    assert ga["top_refiner"] == "" and math.isnan(ga["top_refiner_share"])
    # lithium refining: China 169,678 of 241,612 t
    assert by.loc["Li", "top_refiner_share"] == pytest.approx(169_678 / 241_612)


def test_without_china_and_a_year_with_world_rows_only():
    rest = world_output(without=["china"]).set_index("commodity")
    assert rest.loc["REE", "output_t"] == pytest.approx(120_000)
    assert rest.loc["REE", "top_producer"] == "United States"
    assert rest.loc["REE", "top_share"] == pytest.approx(45 / 120)
    assert rest.loc["REE", "top_refiner"] == "Malaysia"  # 4.5 % of separation
    old = world_output(2023).set_index("commodity")
    assert "Co" not in old.index  # no cobalt figures for 2023
    assert old.loc["Mn", "output_t"] == 19_600_000  # a world row, no country named
    assert old.loc["Mn", "top_producer"] == "" and math.isnan(old.loc["Mn", "hhi"])


def test_one_commodity_by_country_at_every_stage():
    frame = country_output("REE")
    a = frame.attrs
    assert a["commodity"] == "REE" and a["year"] == 2024 and a["unit"] == "REO"
    assert a["stages"] == ["mining", "refining", "magnet"]
    assert list(frame.columns) == ["stage", "country", "amount_t", "share", "hhi"]
    # separation and magnets are given as shares: their world is mine output
    assert a["world_t"] == pytest.approx(
        {"mining": 390_000, "refining": 390_000, "magnet": 390_000}
    )
    assert a["hhi"] == pytest.approx(
        {
            "mining": _hhi(REE_2024.values(), 390_000),
            "refining": 91.3**2 + 4.5**2 + 1.2**2,
            # China 94 (IEA), Japan 4.0, Vietnam 1.0, Germany 0.4; 'Other' 0.6 left out
            "magnet": 94.0**2 + 4.0**2 + 1.0**2 + 0.4**2,
        }
    )
    mined = frame[frame["stage"] == "mining"].set_index("country")["amount_t"]
    assert mined.to_dict() == pytest.approx(
        {**REE_2024, "Other": 1_100, "Canada": 0, "Greenland": 0, "South Africa": 0, "Tanzania": 0}
    )


def test_without_china_every_stage_loses_its_share():
    frame = country_output("REE", without=["China"])
    a = frame.attrs
    assert a["without"] == ["China"] and a["removed"]["magnet"] == ["China"]
    assert a["world_t"] == pytest.approx(
        {"mining": 120_000, "refining": 390_000 * (1 - 0.913), "magnet": 390_000 * 0.06}
    )
    assert "China" not in set(frame["country"])


def test_one_stage_an_element_and_its_commodity():
    li = country_output("li", stage="refining")
    assert li.attrs["commodity"] == "Li" and li.attrs["stages"] == ["refining"]
    assert li.attrs["world_t"] == {"refining": 241_612}
    named = [169_678, 49_274, 13_177, 4_333]  # Other (5,150 t) is left out of the HHI
    assert li.attrs["hhi"]["refining"] == pytest.approx(_hhi(named, 241_612))
    assert country_output("C").attrs["commodity"] == "graphite"
    nd = country_output("Nd")
    assert nd.attrs["unit"] == "Nd2O3" and nd.attrs["stages"] == ["mining"]
    assert nd.attrs["world_t"]["mining"] == pytest.approx(nd["amount_t"].sum())


def test_names_and_stages_that_have_no_figures_are_refused():
    with pytest.raises(VolumeError, match=r"mining only.*supply REE --stage refining"):
        country_output("Nd", stage="refining")
    with pytest.raises(VolumeError, match=r"stages with figures: \['mining'\]"):
        country_output("Mn", stage="refining")
    with pytest.raises(UnknownItemError, match="did you mean 'REE'"):
        commodity_named(supply(2024), "REEs")
    with pytest.raises(VolumeError, match="no supply figures for 1999"):
        world_output(1999)
