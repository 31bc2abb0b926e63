"""Magnet making by country (issue 26): the magnet stage's rows, self-sufficiency there by hand
for the EU and Japan, "no data" where the tables name none of a bloc's members or hold no
figures at a stage, and the sources listed."""

import csv
import math
from pathlib import Path

import pytest

import mineralcalc as mc
from mineralcalc.lenses.security import bloc_demand, chain_stages, self_sufficiency

TABLES = Path(__file__).resolve().parents[1] / "tables"
# tables/supply.csv, REE magnet 2024, percent of world output
MAGNET_2024 = {"China": 94.0, "Japan": 4.0, "Vietnam": 1.0, "Germany": 0.4, "Other": 0.6}


@pytest.fixture(scope="module")
def baseline():
    return mc.demand(mc.load_scenario("baseline-2024"))


def _nd_mined() -> float:
    """The world's Nd mine output in 2024 [t of metal]: the magnet stage, given as shares,
    takes the element's mine output as its world."""
    return mc.supply(2024).element("Nd")[0]


def test_the_magnet_rows_are_whole_and_sourced():
    with (TABLES / "supply.csv").open(encoding="utf-8") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if (r["commodity"], r["stage"], r["year"]) == ("REE", "magnet", "2024")
            and not r["status"]
        ]
    assert {r["country"]: float(r["share"]) for r in rows} == MAGNET_2024
    # the estimate's arithmetic: Japan is what China, Vietnam, Germany and the rest leave
    assert MAGNET_2024["Japan"] == pytest.approx(100 - 94 - 1 - 0.4 - 0.6)
    with (TABLES / "sources.csv").open(encoding="utf-8") as f:
        sources = {r["key"]: r for r in csv.DictReader(f)}
    for r in rows:
        assert sources[r["source"]]["citation"]
    assert "319,000 t" in sources["estimate-magnet-shares-2024"]["citation"]


def test_eu_magnet_self_sufficiency_by_hand(baseline):
    f = self_sufficiency(baseline, "European Union", elements=["Nd"]).set_index("stage")
    need = bloc_demand(baseline, "European Union", elements=["Nd"]).loc[0, "bloc"]
    own = 0.004 * _nd_mined()  # Germany's 0.4 % (VAC) of the world's magnet making
    assert f.loc["magnet", "bloc_share"] == pytest.approx(0.004)
    assert f.loc["magnet", "supply"] == pytest.approx(own)
    assert f.loc["magnet", "self_sufficiency"] == pytest.approx(own / need)
    assert f.loc["magnet", "import_gap"] == pytest.approx(need - own)
    # about 5 %: no EU hybrid row (regional.csv), so the EU's hybrids count as none
    assert 0.04 < own / need < 0.06


def test_japan_magnet_self_sufficiency_by_hand(tmp_path):
    # the shipped regional.csv has no Japan row (its demand sits in the rest of the world):
    # give Japan 2 % of electric car sales, so that its demand is 2 % of the world's
    (tmp_path / "regional.csv").write_text(
        "product,region,year,share,source,note\n"
        "bev,China,2023,60,iea-gevo-2024,\n"
        "bev,European Union,2023,17.1,estimate-regional-ev,\n"
        "bev,United States,2023,10,iea-gevo-2024,\n"
        "bev,Japan,2023,2,iea-gevo-2024,a test share\n"
        "bev,Rest of world,2023,10.9,estimate-regional-ev,\n",
        encoding="utf-8",
    )
    cat = mc.Catalog.from_tables(tmp_path)
    d = mc.demand({"bev": {2024: "1 million"}}, catalog=cat)
    world_nd = d.compare().set_index("element").loc["Nd", "demand"]  # modelled + other uses
    f = self_sufficiency(d, "Japan", elements=["Nd"]).set_index("stage")
    own = 0.04 * _nd_mined()
    assert f.loc["magnet", "demand"] == pytest.approx(0.02 * world_nd)
    assert f.loc["magnet", "supply"] == pytest.approx(own)
    assert f.loc["magnet", "self_sufficiency"] == pytest.approx(own / (0.02 * world_nd))
    # Japan mines and separates none: mining is 0 (USGS lists every producer), separation
    # names no Japanese refiner among the IEA's: no data, not 0
    assert f.loc["mining", "self_sufficiency"] == 0.0
    assert math.isnan(f.loc["refining", "self_sufficiency"])


def test_a_bloc_counts_every_member_named_and_says_the_rest_is_unnamed(baseline):
    f = self_sufficiency(baseline, "US price-floor talks", elements=["Nd"]).set_index("stage")
    assert f.loc["magnet", "bloc_share"] == pytest.approx(0.04 + 0.004)  # Japan + Germany
    assert f.loc["magnet", "supply"] == pytest.approx(0.044 * _nd_mined())
    assert "0.6% of world output" in f.loc["magnet", "note"] and "floor" in f.loc["magnet", "note"]


def test_stages_without_data_say_no_data_never_zero(baseline):
    f = self_sufficiency(baseline, "United States", elements=["Nd", "Dy"])
    # rare earths: mining, separation, metal and alloy, magnets; no metal rows are shipped
    assert list(dict.fromkeys(f["stage"])) == ["mining", "refining", "metal", "magnet"]
    by = f.set_index(["element", "stage"])
    for el in ("Nd", "Dy"):
        metal = by.loc[(el, "metal")]
        assert math.isnan(metal["self_sufficiency"]) and math.isnan(metal["supply"])
        assert metal["note"] == "no data: the tables hold no REE metal figures for 2024"
        # the United States is in no magnet row: its output, if any, is in 'Other'
        magnet = by.loc[(el, "magnet")]
        assert math.isnan(magnet["self_sufficiency"]) and math.isnan(magnet["import_gap"])
        assert "within the 0.6% of world output the tables leave unnamed" in magnet["note"]
    assert ("Nd", "metal") in f.attrs["no_data"] and ("Dy", "magnet") in f.attrs["no_data"]
    assert ("Nd", "refining") not in f.attrs["no_data"]  # MP Materials' 1.2 %
    # lithium's chain ends at refining: no metal or magnet stage to report
    assert chain_stages(mc.supply(2024), "Li") == ["mining", "refining"]


def test_the_sources_are_listed(baseline):
    f = self_sufficiency(baseline, "European Union", elements=["Nd"])
    used = f.attrs["supply_sources"]
    assert used["magnet"] == [
        "estimate-magnet-shares-2024",
        "iea-2025-commentary",
        "reuters-2023-vietnam-magnets",
    ]
    assert used["metal"] == [] and used["refining"] == ["iea-gcmo-2025-data"]
    assert used["mining"] == ["usgs-mcs2025-ree"]
    assert f.set_index("stage").loc["magnet", "sources"] == "; ".join(used["magnet"])


def test_cli_shows_no_data_and_lists_the_sources(capsys):
    from mineralcalc.cli import main

    assert main(["security", "--bloc", "United States", "--elements", "Nd"]) == 0
    out = capsys.readouterr().out
    assert "no data" in out and "No data at metal" in out and "No data at magnet" in out
    for key in ("estimate-magnet-shares-2024", "reuters-2023-vietnam-magnets", "usgs-mcs2025-ree"):
        assert key in out
    assert main(["security", "-f", "json", "--elements", "Nd"]) == 0
    doc = __import__("json").loads(capsys.readouterr().out)
    meta = doc.get("meta", doc)
    assert meta["self_sufficiency_sources"]["magnet"][0] == "estimate-magnet-shares-2024"
    assert ["Nd", "metal"] in meta["no_data"]
