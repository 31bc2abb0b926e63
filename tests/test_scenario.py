"""Scenario files: the shipped baseline, user files with items and years, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import mineralcalc as mc
from mineralcalc.engine.intensity import intensity
from mineralcalc.errors import (
    AmountError,
    DimensionError,
    ScenarioError,
    UnknownItemError,
    VolumeError,
)
from mineralcalc.model.scenario import shipped_scenarios


def test_shipped_baseline_has_a_source_for_every_volume():
    sc = mc.load_scenario("baseline-2024")
    assert sc.year == 2024
    assert set(sc.sources) == {(pid, 2024) for pid in sc.volumes}
    known = mc.Catalog.default().source_table
    assert all(key in known for key in sc.sources.values())
    assert "baseline-2024" in shipped_scenarios()


def test_baseline_volumes_match_their_sources():
    sc = mc.load_scenario("baseline-2024")
    d = mc.demand({"smartphone": sc.volumes["smartphone"]})
    assert d.years == [2024]
    # IDC: 1.24 billion; GWEC: 109 + 8 GW; Inovev 10.5 + 6.6 = 17.1 million plug-ins (IEA: >17 M)
    assert mc.parse_amount(sc.volumes["smartphone"][2024]).values("unit")[1] == 1.24e9
    wind = sum(
        mc.parse_amount(sc.volumes[k][2024]).values("GW")[1]
        for k in ("onshore_wind", "offshore_wind")
    )
    assert wind == pytest.approx(117)
    plug_ins = sum(mc.parse_amount(sc.volumes[k][2024]).values("unit")[1] for k in ("bev", "phev"))
    assert plug_ins > 17e6


def _toml(tmp_path: Path, text: str, name: str = "case.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_scenario_with_items_years_and_alternatives(tmp_path):
    path = _toml(
        tmp_path,
        """
name = "my-case"
use = ["smartphone_press"]

[volumes]
smartphone = "1 billion"

[volumes.gadget]
2024 = "1 million"
2030 = { amount = "3 million", source = "afp-2026" }

[items.gadget]
basis = "unit"
kind = "product"
parts = { Nd = "2 g", ndfeb_magnet = { amount = "1 kg", source = "afp-2026" } }
""",
    )
    sc = mc.load_scenario(path)
    assert sc.name == "my-case" and sc.use == ("smartphone_press",)
    d = mc.demand(sc)
    assert d.years == [2024, 2030]
    # gadget: 2 g Nd + 1 kg generic magnet at 0.2177 Nd: fabrication keeps 0.725 of the alloy
    # with 95 % of the swarf recycled, oxide to metal keeps 0.97; 3 million in 2030
    nd_per_gadget = 0.002 + 1.0 * (1 / 0.725 - 0.95 * (1 / 0.725 - 1)) * 0.2177 / 0.97
    gadget = d.total("Nd", "kg", year=2030, product="gadget").magnitude
    assert gadget == pytest.approx(3e6 * nd_per_gadget, rel=1e-3)
    # the press alternative in use: 3 g of REE per phone, every year
    assert d.total("REE", "t", year=2024, product="smartphone").magnitude == pytest.approx(3000)


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("[volumes\nsmartphone = 1", ScenarioError, r"case.toml: malformed TOML"),
        ("volumes = {}", ScenarioError, r"case.toml: volumes: missing or empty"),
        ("[volumes]\nsmartphone = '1 billion'\n[volume]\n", ScenarioError,
         r"case.toml: volume: unknown key \(did you mean 'volumes'"),
        ("[volumes]\nsmartphonee = '1 billion'", UnknownItemError,
         r"case.toml: volumes: unknown product 'smartphonee' \(did you mean 'smartphone'"),
        ("[volumes]\nsmartphone = '8 GW'", VolumeError,
         r"case.toml: volume of 'smartphone'.*counted in 'unit'.*in 'GW'"),
        ("[volumes]\nsmartphone = 'lots'", VolumeError, r"case.toml: volume of 'smartphone'.*cannot read"),
        ("[volumes.smartphone]\n1066 = '1 billion'", VolumeError, r"case.toml: .*1066 is out of range"),
        ("[volumes]\nsmartphone = { amount = '1 billion', sauce = 'x' }", ScenarioError,
         r"case.toml: volumes.smartphone: sauce: unknown key"),
        ("[volumes]\nsmartphone = { amount = '1 billion', source = 'idc2025' }", ScenarioError,
         r"case.toml: volumes.smartphone.source: unknown source 'idc2025' \(did you mean 'idc-2025'"),
        ("year = 'soon'\n[volumes]\nsmartphone = 1", ScenarioError, r"case.toml: year: 'soon'"),
        ("use = ['smartphone']\n[volumes]\nsmartphone = 1", mc.ItemError, r"not an alternative"),
        ("[volumes]\ng = 1\n[items.g]\nbasis = 'unit'\nparts = { Nd = '3 m' }", DimensionError,
         r"case.toml: items.g.*'Nd'.*wrong dimension"),
        ("[volumes]\ng = 1\n[items.g]\nbasis = 'unit'\nparts = { Nd = { amount = '-3 g' } }",
         AmountError, r"case.toml: items.g.parts.Nd: .*negative"),
        ("[volumes]\ng = 1\n[items.g]\nbasis = 'unit'\ncolour = 'red'", ScenarioError,
         r"case.toml: items.g: colour: unknown key"),
    ],
)  # fmt: skip
def test_bad_scenarios_name_file_and_key(tmp_path, text, error, match):
    with pytest.raises(error, match=match):
        mc.load_scenario(_toml(tmp_path, text))


def test_unknown_shipped_name_and_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match=r"did you mean 'baseline-2024'"):
        mc.load_scenario("baseline-2042")
    with pytest.raises(ScenarioError, match="no such scenario file"):
        mc.load_scenario(tmp_path / "missing.toml")


def test_not_utf8_scenario(tmp_path):
    path = tmp_path / "case.toml"
    path.write_bytes(b"name = 'caf\xe9'\n")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        mc.load_scenario(path)


# ---------------------------------------------------------------------------- scenarios over years
@pytest.mark.parametrize("name", sorted(shipped_scenarios()))
def test_every_shipped_scenario_runs_and_cites_known_sources(name):
    sc = mc.load_scenario(name)
    known = mc.Catalog.default().source_table
    assert sc.sources and all(k in known for k in sc.sources.values())
    assert all(ch.source in known for ch in sc.changes)
    if sc.supply_growth is not None:
        assert sc.supply_source in known
    frame = mc.demand(sc).compare()
    assert frame["demand"].notna().all()


def test_buildout_2030_interpolates_the_iea_path():
    sc = mc.load_scenario("buildout-2030")
    d = mc.demand(sc)
    assert d.years == list(range(2024, 2031))
    # BEV sales: 10.5 million (2024, Inovev) to 33 million (2030, IEA STEPS): 2027 is halfway
    nd_per_bev = mc.Catalog.default().intensity("bev", "Nd").values("kg/unit")[1]
    assert d.total("Nd", "kg", year=2027, product="bev").magnitude == pytest.approx(
        (10.5e6 + 33e6) / 2 * nd_per_bev
    )
    # phones grow 1.5 %/yr from 1.24 billion (IDC)
    nd_per_phone = mc.Catalog.default().intensity("smartphone", "Nd").values("kg/unit")[1]
    assert d.total("Nd", "kg", year=2030, product="smartphone").magnitude == pytest.approx(
        1.24e9 * 1.015**6 * nd_per_phone
    )
    # REE supply in 2030 along the IEA base case (outlook.csv, magnet rare earths mined, kt):
    # each country's 2024 REO times its outlook 2030 / 2024; the countries it does not name
    # as its rest of the world (the world less the four it names); the world row's rounding
    # (390,000 - 393,950 t) as the world; the unrecorded amounts (11,000 t) held
    iea = {("China", 2024): 45.7874, ("China", 2030): 51.2246,
           ("Burma (Myanmar)", 2024): 12.072, ("Burma (Myanmar)", 2030): 10.7657,
           ("Australia", 2024): 3.23459, ("Australia", 2030): 12.7151,
           ("United States", 2024): 6.85982, ("United States", 2030): 9.14643,
           ("World", 2024): 75.0988, ("World", 2030): 100.303}  # fmt: skip
    named = ("China", "Burma (Myanmar)", "Australia", "United States")
    rest = (iea["World", 2030] - sum(iea[c, 2030] for c in named)) / (
        iea["World", 2024] - sum(iea[c, 2024] for c in named)
    )
    recorded = {"China": 270_000, "Burma (Myanmar)": 31_000, "Australia": 13_000,
                "United States": 45_000}  # fmt: skip
    others = 393_950 - sum(recorded.values())
    reo_2030 = (sum(v * iea[c, 2030] / iea[c, 2024] for c, v in recorded.items())
                + others * rest + (390_000 - 393_950) * iea["World", 2030] / iea["World", 2024])  # fmt: skip
    ree = d.compare().query("element == 'REE (REO)' and year == 2030").iloc[0]
    assert ree["recorded"] == pytest.approx(reo_2030, rel=1e-5)
    assert ree["unrecorded"] == pytest.approx(11_000)
    assert "along IEA base case" in ree["note"]
    assert ree["outlook"].startswith("IEA base case")


def test_pledges_2040_thrifts_dysprosium_everywhere():
    from mineralcalc.model.changes import catalogs_by_year

    sc = mc.load_scenario("pledges-2040")
    d = mc.demand(sc)
    cat_2040 = catalogs_by_year(sc.catalog, sc.changes, d.years)[d.years.index(2040)]
    dy = cat_2040["ndfeb_sintered"].parts["dy_metal"].amount
    assert dy.values("%")[1] == pytest.approx(4 * 0.97**16)
    wind = cat_2040["wind_dd_pmsg"].parts["dy_in_magnets"].amount
    assert wind.values("kg/MW")[1] == pytest.approx(17 * 0.97**16)
    # Fe in the magnet takes the Dy given up: 1 - 0.2177 - 0.0423 - Dy - 0.01
    fe = cat_2040.intensity("ndfeb_sintered", "Fe").values()[1]
    assert fe == pytest.approx(1 - 0.2177 - 0.0423 - 0.04 * 0.97**16 - 0.01, abs=1e-4)
    # offshore direct drive 56.8 % (2020) -> 59.0 % (2050): 2040 is two thirds of the way
    dd = cat_2040["offshore_wind"].parts["wind_dd_pmsg"].amount
    assert dd.values("")[1] == pytest.approx(0.568 + (0.590 - 0.568) * 20 / 30)
    # the demand computes 2040 on those amounts without building that catalog: the same
    # intensities, bounds included, and the same demand
    year_2040 = next(v for v, _, ys in d._by_catalog if d.years.index(2040) in ys)
    for item, el in (("ndfeb_sintered", "Fe"), ("wind_dd_pmsg", "Dy"), ("offshore_wind", "Nd"),
                     ("bev", "Dy"), ("hdd", "magnet REE")):  # fmt: skip
        assert intensity(year_2040, item, el).values() == pytest.approx(
            cat_2040.intensity(item, el).values(), rel=1e-12
        ), (item, el)
    alone = mc.demand(sc.volumes, cat_2040, years=[2040])
    for el in ("Dy", "Tb", "Nd", "magnet REE"):
        ours = [q.magnitude for q in d.range(el, year=2040)]
        assert ours == pytest.approx([q.magnitude for q in alone.range(el)], rel=1e-12), el


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("years = '2030..2024'\n[volumes]\nsmartphone = 1", ScenarioError, r"years: '2030..2024' runs backwards"),
        ("years = 'soon'\n[volumes]\nsmartphone = 1", ScenarioError, r"years: expected a list"),
        ("years = [2024, 2030]\n[volumes.smartphone]\n2024 = 1", VolumeError, r"no value for 2030.*growth rate"),
        ("[volumes.smartphone]\n2024 = 1\ngrowth = 'fast'", VolumeError, r"growth: cannot read 'fast'"),
        ("[volumes.smartphone]\n2024 = 1\nnext = 2", ScenarioError, r"volumes.smartphone: next: not a year"),
        ("[volumes]\nsmartphone = 1\n[[changes]]\nitem = 'smartphone'\npart = 'nd_in_magnets'", AmountError, r"changes\[1\]: .*either rate or values"),
        ("[volumes]\nsmartphone = 1\n[[changes]]\nitem = 'smartphone'\npart = 'Nd'\nrate = '1 %/yr'", UnknownItemError, r"has no part 'Nd'"),
        ("[volumes]\nsmartphone = 1\n[[changes]]\nitem = '*'\npart = 'unobtainium'\nrate = '1 %/yr'", UnknownItemError, r"no item has that part"),
        ("[volumes]\nsmartphone = 1\n[[changes]]\nitem = 'x'\npart = 'y'\nrate = '1 %/yr'\nwhen = 2030", ScenarioError, r"changes\[1\]: when: unknown key"),
        ("[volumes]\nsmartphone = 1\n[supply]\ngrowth = 'lots'", AmountError, r"supply.growth.\*: .*cannot read 'lots'"),
        ("[volumes]\nsmartphone = 1\n[supply]\ngrowth = '2 %/yr'\nsource = 'nope'", ScenarioError, r"supply.source: unknown source 'nope'"),
    ],
)  # fmt: skip
def test_bad_timeline_scenarios(tmp_path, text, error, match):
    with pytest.raises(error, match=match):
        mc.load_scenario(_toml(tmp_path, text))
