"""Demand: volumes times intensities, totals, ranges, frames, years, groups."""

import pandas as pd
import pytest

import mineralcalc as mc
from mineralcalc import Catalog, Item, Part
from mineralcalc.errors import UnknownItemError, VolumeError


@pytest.fixture(scope="module")
def cat():
    return Catalog(
        [
            Item("phone", parts={"Nd": "0.16 g", "Pr": "0.03 g"}, kind="product"),
            Item("phone_press", parts={"La": "3 g"}, kind="product"),
            Item(
                "ndfeb", "kg", {"Nd": "28 to 32 %", "Dy": "0 to 4 %", "B": "1 %", "Fe": "balance"}
            ),
            Item("motor", parts={"ndfeb": Part("1.2 to 3.5 kg", yield_="0.7 to 0.8")}),
            Item("ev", parts={"motor": 1}, kind="product"),
            Item("wind", "MW", {"Nd": "150 to 210 kg/MW", "Dy": "17 kg/MW"}, kind="product"),
        ]
    )


def test_seed_phone_figure(cat):
    # design.md: 1.24 billion smartphones at ~3 g is ~3,720 t
    d = mc.demand({"phone_press": "1.24 billion"}, cat)
    assert d.total("La").to("t").magnitude == pytest.approx(3720)
    assert d.total("La", "kt").magnitude == pytest.approx(3.72)


def test_total_range_and_groups(cat):
    d = mc.demand({"phone": "1.24 billion", "wind": "117 GW"}, cat)
    # Nd: 1.24e9 * 0.16 g = 198.4 t ; wind 117,000 MW * 150/180/210 kg = 17,550/21,060/24,570 t
    lo, c, hi = (q.to("t").magnitude for q in d.range("Nd"))
    assert (lo, c, hi) == pytest.approx((198.4 + 17550, 198.4 + 21060, 198.4 + 24570))
    # magnet REE = Nd + Pr + Dy (+Tb): central 198.4 + 21060 + 37.2 (Pr) + 1989 (Dy)
    assert d.total("magnet REE", "t").magnitude == pytest.approx(198.4 + 21060 + 37.2 + 1989)
    assert d.total("REE").magnitude == pytest.approx(d.total("magnet REE").magnitude)
    assert d.total("Nd", product="phone").to("t").magnitude == pytest.approx(198.4)


def test_volume_ranges_multiply_bounds(cat):
    d = mc.demand({"wind": "100 to 120 GW"}, cat)
    lo, c, hi = (q.to("t").magnitude for q in d.range("Nd"))
    assert (lo, c, hi) == pytest.approx((100_000 * 0.150, 110_000 * 0.180, 120_000 * 0.210))


def test_to_frame_is_tidy_in_tonnes(cat):
    d = mc.demand({"phone": "1.24 billion", "ev": "17 million"}, cat)
    f = d.to_frame()
    assert list(f.columns) == ["product", "element", "year", "low", "central", "high"]
    assert f.attrs["unit"] == "t"
    row = f[(f["product"] == "ev") & (f["element"] == "Fe")].iloc[0]
    # Fe in NdFeB: 1 - 0.30 - 0.02 - 0.01 = 0.67 central; motor 2.35 kg / 0.75
    assert row["central"] == pytest.approx(17e6 * 2.35 / 0.75 * 0.67 / 1000)
    assert row["low"] == pytest.approx(17e6 * 1.2 / 0.8 * 0.63 / 1000)
    assert row["high"] == pytest.approx(17e6 * 3.5 / 0.7 * 0.71 / 1000)
    assert f["year"].isna().all()
    assert (f["low"] <= f["central"]).all() and (f["central"] <= f["high"]).all()


def test_by_element_and_by_product(cat):
    d = mc.demand({"phone": "1.24 billion", "wind": "117 GW"}, cat)
    be = d.by_element()
    assert be.loc["Nd", "central"] == pytest.approx(198.4 + 21060)
    assert list(be.index) == ["Pr", "Nd", "Dy"]  # atomic-number order
    bp = d.by_product()
    assert bp.loc["wind", "Dy"] == pytest.approx(117_000 * 0.017)
    assert bp.loc["phone", "Dy"] == 0
    bpn = d.by_product("Nd")
    assert bpn.loc["phone", "central"] == pytest.approx(198.4)


def test_years(cat):
    d = mc.demand({"wind": {2024: "117 GW", "2030": "200 GW"}, "phone": "1.24 billion"}, cat)
    assert d.years == [2024, 2030]
    assert d.total("Nd", year=2030).to("t").magnitude == pytest.approx(200_000 * 0.18 + 198.4)
    # without year: cumulative over the years given
    assert d.total("Nd").to("t").magnitude == pytest.approx(317_000 * 0.18 + 2 * 198.4)
    f = d.to_frame()
    assert set(f["year"].dropna()) == {2024, 2030}
    be = d.by_element()
    assert be.loc[(2030, "Nd"), "central"] == pytest.approx(200_000 * 0.18 + 198.4)
    only = mc.demand({"wind": {2024: "117 GW", 2030: "200 GW"}}, cat, years=[2030])
    assert only.years == [2030]
    with pytest.raises(VolumeError, match=r"'wind'.*2027"):
        mc.demand({"wind": {2024: "117 GW"}}, cat, years=[2027])


def test_volume_errors_name_product_and_units(cat):
    with pytest.raises(VolumeError) as e:
        mc.demand({"phone": "8 GW"}, cat)
    msg = str(e.value)
    assert "'phone'" in msg and "'GW'" in msg and "'unit'" in msg
    with pytest.raises(VolumeError, match="negative"):
        mc.demand({"phone": -5}, cat)
    with pytest.raises(VolumeError, match="out of range"):
        mc.demand({"phone": {1066: 5}}, cat)
    with pytest.raises(VolumeError, match="whole year"):
        mc.demand({"phone": {"next year": 5}}, cat)
    with pytest.raises(VolumeError, match="empty"):
        mc.demand({}, cat)
    with pytest.raises(UnknownItemError, match="did you mean 'phone'"):
        mc.demand({"phonee": 5}, cat)
    with pytest.raises(VolumeError, match="not a mass unit"):
        mc.demand({"phone": 5}, cat).total("Nd", unit="MW")


def test_element_volume_counts_for_itself(cat):
    d = mc.demand({"Nd": "5 t", "Sm": "2 t"}, cat)
    assert d.total("Nd").to("t").magnitude == pytest.approx(5)
    assert d.total("Sm").to("t").magnitude == pytest.approx(2)  # no line reaches Sm


def test_a_scenario_brings_its_volumes_and_catalog_and_look_alikes_are_refused(cat):
    from mineralcalc.model.scenario import parse_scenario

    scenario = parse_scenario({"volumes": {"phone": "1 million"}}, catalog=cat)
    assert mc.demand(scenario).total("Nd", "kg").magnitude == pytest.approx(160)  # 0.16 g each

    class LookAlike:  # duck typing is gone: a scenario is a Scenario
        volumes = {"phone": "1 million"}  # noqa: RUF012
        catalog = cat

    with pytest.raises(mc.VolumeError, match=r"volumes must be a mapping .* or a Scenario"):
        mc.demand(LookAlike())


def test_repr_and_frames_types(cat):
    d = mc.demand({"phone": "1.24 billion"}, cat)
    assert "1 products" in repr(d)
    assert isinstance(d.to_frame(), pd.DataFrame)
