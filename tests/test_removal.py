"""What removing countries takes from supply, stage by stage (lenses/removal.py); expectations
by hand from tables/supply.csv."""

import pytest

from mineralcalc.errors import UnknownItemError
from mineralcalc.lenses.removal import canonical_names, removal


def test_names_are_spelled_as_the_tables_spell_them():
    assert canonical_names(["china", "myanmar", "Atlantis"]) == [
        "China",
        "Burma (Myanmar)",
        "Atlantis",  # unknown: kept as given, for the error that names it
    ]


def test_without_china_in_2024_each_commodity_has_its_binding_stage():
    r = removal(["china"], 2024)
    assert r.countries == ("China",) and r.year == 2024
    # IEA data explorer: China separates 91.3 % of the world's rare earths
    assert r.refining == pytest.approx({"China": 0.913})
    by = {s.commodity: s for s in r.stages}
    ree = by["REE"]
    # mining: (390,000 - 270,000) / 390,000; separation 100 - 91.3 %; magnets 100 - 94 %
    assert list(ree.left) == ["mining", "refining", "magnet"]
    assert ree.left == pytest.approx(
        {"mining": 120_000 / 390_000, "refining": 0.087, "magnet": 0.06}
    )
    assert ree.binding == "magnet"
    # but no Dy or Tb was separated outside China in 2024 (supply.csv's Dy;Tb rows: China
    # 100 %): their separation binds them, with nothing left
    assert ree.own == {"Tb": {"refining": 0.0}, "Dy": {"refining": 0.0}}
    # lithium: mining (240,000 - 41,000) / 240,000; refining (241,612 - 169,678) / 241,612
    assert by["Li"].left == pytest.approx(
        {"mining": 199_000 / 240_000, "refining": 71_934 / 241_612}
    )
    assert by["Li"].binding == "refining"
    # cobalt: China mines none; refining (250,150 - 196,143) / 250,150
    assert by["Co"].left == pytest.approx({"mining": 1.0, "refining": 54_007 / 250_150})
    # gallium: China mines 750 of 760 t; refining is a world row only (320 t), nothing named
    assert by["Ga"].left == pytest.approx({"mining": 10 / 760, "refining": 1.0})
    assert by["Ga"].binding == "mining"
    assert "Mn" not in by  # mining only: nothing to bind


def test_a_projected_year_reads_the_latest_figures_and_2023_its_own():
    assert removal(["China"], 2030).year == 2024
    r = removal(["China"], 2023)
    # 2023: China separates 92 % (IEA); mines 255,000 of 376,000 t REO
    assert r.year == 2023 and r.refining == pytest.approx({"China": 0.92})
    ree = next(s for s in r.stages if s.commodity == "REE")
    assert ree.left == pytest.approx({"mining": 121_000 / 376_000, "refining": 0.08})
    assert ree.binding == "refining"
    assert ree.own == {}  # 2023 has no element rows: every rare earth at the REE shares


def test_a_country_without_separation_has_no_refining_share():
    r = removal(["Australia"], 2024)
    assert r.refining == {}
    ree = next(s for s in r.stages if s.commodity == "REE")
    assert ree.left["mining"] == pytest.approx((390_000 - 13_000) / 390_000)
    assert ree.left["refining"] == pytest.approx(1.0)
    assert ree.own == {"Tb": {"refining": 1.0}, "Dy": {"refining": 1.0}}  # all in China


def test_an_unknown_country_is_refused_by_name():
    with pytest.raises(UnknownItemError, match="Atlantis"):
        removal(["Atlantis"])
