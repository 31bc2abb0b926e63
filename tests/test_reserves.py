"""Demand against reserves (issue 24: a lens added as a lens module, its table reader, a view
and a facade line).

Expectations are computed by hand from ``reserves.csv``'s rows (USGS MCS 2025): rare-earth
reserves by country in t REO, adding up to 90,884,500 t (1,900,000 + 5,700,000 + 21,000,000 +
830,000 + 44,000,000 + 1,500,000 + 6,900,000 + 3,800,000 + 860,000 + 890,000 + 4,500 +
3,500,000) against a World row of 90,000,000 t ("more than 90 Mt"); lithium 30,000,000 t Li
content, world only.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

import mineralcalc as mc
from mineralcalc.data.tableset import TableSet, shipped_table_set
from mineralcalc.errors import MineralcalcError, TableError, UnknownItemError
from mineralcalc.facade import demand as facade_demand
from mineralcalc.lenses import reserves as reserves_lens
from mineralcalc.lenses.reserves import reserves
from mineralcalc.model.items import Item
from mineralcalc.present.reserves_view import reserves_table

REE_COUNTRIES = 90_884_500.0
HEADER = "commodity,country,year,basis,reserves,unit,source,note\n"
LI = "usgs-mcs2025-lithium"
REE = "usgs-mcs2025-ree"


@pytest.fixture(scope="module")
def li_demand() -> mc.Demand:
    """2 kg of Li a gadget: 1,000 gadgets in 2024 (2 t), 3,000 in 2026 (6 t); 2025 lies
    between: 2,000 gadgets, 4 t."""
    cat = mc.Catalog([Item("gadget", parts={"Li": "2 kg"}, kind="product")])
    return mc.demand({"gadget": {2024: "1000", 2026: "3000"}}, catalog=cat)


@pytest.fixture(scope="module")
def reo_demand() -> mc.Demand:
    """1 kg of Nd2O3 a magnet, 1,000 magnets in 2024: 1 t of REO."""
    cat = mc.Catalog([Item("magnet", parts={"Nd2O3": "1 kg"}, kind="product")])
    return mc.demand({"magnet": {2024: "1000"}}, catalog=cat)


def _row(frame: pd.DataFrame, commodity: str) -> pd.Series:
    rows = frame[frame["commodity"] == commodity]
    assert len(rows) == 1, frame
    return rows.iloc[0]


# ----------------------------------------------------------------------------- the table
def test_the_shipped_table_holds_the_usgs_figures():
    t = shipped_table_set().reserves
    ree = t[t["commodity"] == "REE"]
    assert ree.loc[ree["country"] == "World", "reserves"].item() == 90_000_000
    assert ree.loc[ree["country"] != "World", "reserves"].sum() == REE_COUNTRIES
    assert ree.loc[ree["country"] == "China", "reserves"].item() == 44_000_000
    assert "3.3 Mt" in ree.loc[ree["country"] == "Australia", "note"].item()
    assert "more than 90,000,000" in ree.loc[ree["country"] == "World", "note"].item()
    li = t[t["commodity"] == "Li"]
    assert li[["country", "reserves", "basis", "source"]].values.tolist() == [
        ["World", 30_000_000, "content", LI]
    ]
    assert set(ree["basis"]) == {"oxide"} and set(ree["source"]) == {REE}


# ----------------------------------------------------------------------------- the lens
def test_lithium_cumulative_demand_against_world_reserves(li_demand):
    f = reserves(li_demand, other_uses=False)
    li = _row(f, "Li")
    assert li["element"] == "Li" and li["basis"] == "content"
    assert (li["first_year"], li["last_year"], li["years"]) == (2024, 2026, 3)
    assert li["demand_last"] == pytest.approx(6.0)
    assert li["cumulative"] == pytest.approx(2 + 4 + 6)
    assert li["reserves"] == 30_000_000
    assert li["share"] == pytest.approx(12 / 30_000_000)
    assert li["rp_years"] == pytest.approx(30_000_000 / 6)
    assert "interpolated" in li["note"]
    # no rare-earth demand without other uses: said, not a row
    assert "REE" not in set(f["commodity"]) and f.attrs["left_out"] == {"REE": "no demand"}
    assert f.attrs["sources"] == [LI]


def test_a_world_figure_alone_gives_no_figure_without_countries(li_demand):
    li = _row(reserves(li_demand, without="Chile", other_uses=False), "Li")
    assert math.isnan(li["reserves_without"]) and math.isnan(li["share_without"])
    assert math.isnan(li["rp_years_without"])
    assert "no country split" in li["note"]
    assert li["share"] == pytest.approx(12 / 30_000_000)  # the world figure is still there


def test_ree_without_china_sums_the_other_countries(reo_demand):
    f = reserves(reo_demand, without="China", other_uses=False)
    ree = _row(f, "REE")
    assert ree["element"] == "REE (REO)"
    assert ree["cumulative"] == pytest.approx(1.0) and ree["demand_last"] == pytest.approx(1.0)
    assert ree["reserves"] == 90_000_000
    assert ree["reserves_without"] == pytest.approx(REE_COUNTRIES - 44_000_000)  # 46,884,500
    assert ree["share"] == pytest.approx(1 / 90_000_000)
    assert ree["share_without"] == pytest.approx(1 / 46_884_500)
    assert ree["rp_years"] == pytest.approx(90_000_000)
    assert ree["rp_years_without"] == pytest.approx(46_884_500)
    assert ree["removed"] == "China" and f.attrs["removed"] == ("China",)
    # an alias of countries.csv is the same country
    alias = reserves(reo_demand, without="People's Republic of China", other_uses=False)
    assert _row(alias, "REE")["reserves_without"] == ree["reserves_without"]


def test_groups_resolve_as_the_supply_lens_resolves_them(reo_demand):
    # G7: Canada 830,000 + United States 1,900,000 have reserves; the EU it names has none
    g7 = _row(reserves(reo_demand, without="G7", other_uses=False), "REE")
    assert g7["reserves_without"] == pytest.approx(REE_COUNTRIES - 2_730_000)
    msp = "Minerals Security Partnership"
    members = set(mc.supply(2024).countries_of(msp))
    t = shipped_table_set().reserves
    countries = t[(t["commodity"] == "REE") & (t["country"] != "World")]
    left = countries.loc[~countries["country"].isin(members), "reserves"].sum()
    assert _row(reserves(reo_demand, without=msp, other_uses=False), "REE")[
        "reserves_without"
    ] == pytest.approx(left)


def test_nothing_removed_sums_every_country(reo_demand):
    ree = _row(reserves(reo_demand, other_uses=False), "REE")
    assert ree["reserves_without"] == pytest.approx(REE_COUNTRIES)
    assert ree["removed"] == ""


def test_demand_is_the_market_balance_row(li_demand):
    # with other uses the lens's demand is compare's REE (REO) and Li rows, year by year
    f = reserves(li_demand)
    balance = li_demand.compare(groups=("REE",)).set_index(["element", "year"])["demand"]
    for commodity, element in (("REE", "REE (REO)"), ("Li", "Li")):
        r = _row(f, commodity)
        d24, d26 = balance[(element, 2024)], balance[(element, 2026)]
        assert r["demand_last"] == pytest.approx(d26)
        assert r["cumulative"] == pytest.approx(d24 + (d24 + d26) / 2 + d26)


def test_volumes_without_years_are_one_year():
    cat = mc.Catalog([Item("gadget", parts={"Li": "2 kg"}, kind="product")])
    d = mc.demand({"gadget": "1000"}, catalog=cat)
    li = _row(reserves(d, other_uses=False), "Li")
    assert li["years"] == 1 and pd.isna(li["first_year"])
    assert li["cumulative"] == pytest.approx(2.0) and li["rp_years"] == pytest.approx(15_000_000)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"without": "Chna"}, ["without", "'Chna'", "China"]),
        ({"without": ""}, ["without", "empty"]),
        ({"without": 5}, ["without", "5"]),
        ({"without": ["China", 3]}, ["without"]),
        ({"other_uses": "yes"}, ["other_uses"]),
        ({"tables": "my/folder"}, ["tables", "TableSet"]),
    ],
)
def test_bad_arguments_name_the_argument(li_demand, kwargs, words):
    with pytest.raises(UnknownItemError) as e:
        reserves(li_demand, **kwargs)
    assert all(w in str(e.value) for w in words), str(e.value)


def test_a_demand_that_is_none():
    with pytest.raises(MineralcalcError, match="demand must be a Demand"):
        reserves({"gadget": 1})  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- your tables
def _folder(tmp_path: Path, text: str) -> Path:
    (tmp_path / "reserves.csv").write_text(HEADER + text, encoding="utf-8")
    return tmp_path


def test_a_folder_of_your_tables_changes_the_answer(li_demand, tmp_path):
    folder = _folder(tmp_path, f"Li,World,2025,content,60,Mt,{LI},doubled\n")
    tables = TableSet(folder)
    assert tables.own == ("reserves.csv",)
    li = _row(reserves(li_demand, other_uses=False, tables=tables), "Li")
    assert li["reserves"] == pytest.approx(60_000_000)
    assert li["share"] == pytest.approx(12 / 60_000_000)
    assert li["rp_years"] == pytest.approx(60_000_000 / 6)
    # the folder's table replaces the shipped one whole: no rare-earth reserves left
    assert set(reserves(li_demand, tables=tables)["commodity"]) == {"Li"}


def test_a_catalog_from_your_folder_brings_its_reserves(tmp_path):
    folder = _folder(
        tmp_path,
        f"Li,Chile,2025,content,9300000,t,{LI},\nLi,World,2020,content,10,Mt,{LI},older\n"
        f"Li,World,2025,content,30,Mt,{LI},\n",
    )
    (folder / "items.csv").write_text("id,basis,kind\ngadget,unit,product\n", encoding="utf-8")
    (folder / "parts.csv").write_text(
        f"parent,child,central,unit,source\ngadget,Li,2,kg,{LI}\n", encoding="utf-8"
    )
    d = mc.demand({"gadget": {2024: "1000"}}, catalog=mc.Catalog.from_tables(folder))
    li = _row(d.reserves(without="Chile", other_uses=False), "Li")
    assert li["reserves_year"] == 2025 and li["reserves"] == pytest.approx(30_000_000)
    # Chile is the only country row: nothing is left once it is removed
    assert li["reserves_without"] == 0 and li["rp_years_without"] == 0
    assert li["share_without"] == math.inf


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        (
            f'Li,World,2025,content,"30,000,000",t,{LI},\n',
            "reserves.csv:2: reserves: '30,000,000' is not a number",
        ),
        (f"Li,World,2025,content,-5,t,{LI},\n", "reserves.csv:2: reserves: -5 is negative"),
        (f"Li,World,2025,content,30,GW,{LI},\n", "reserves.csv:2: unit:"),
        (
            f"Li,Chinaa,2025,content,30,t,{LI},\nLi,World,2025,content,30,t,{LI},\n",
            "reserves.csv:2: country: 'Chinaa' is not a country of countries.csv",
        ),
        (
            f"Lithium,World,2025,content,30,t,{LI},\n",
            "reserves.csv:2: commodity: 'Lithium' is no commodity of supply.csv",
        ),
        (
            f"REE,World,2025,metal,30,t,{REE},\n",
            "reserves.csv:2: basis: supply.csv gives the mine output of REE as oxide",
        ),
        (
            "Li,World,2025,content,30,t,nowhere,\n",
            "reserves.csv:2: source: unknown source 'nowhere'",
        ),
        (
            f"Li,World,2025,content,30,t,{LI},\nLi,World,2025,content,31,t,{LI},\n",
            "reserves.csv:3: country: 'World' has reserves of Li in 2025 twice (first at row 2)",
        ),
        (
            f"Li,Chile,2025,content,30,t,{LI},\n",
            "reserves.csv:2: country: Li has no World row in 2025",
        ),
        (
            f"Li,Chile,2025,content,32,t,{LI},\nLi,World,2025,content,30,t,{LI},\n",
            "reserves.csv:3: reserves: the countries of Li in 2025 add up to 32 t",
        ),
        (f"Li,World,2025,content,30,t,{LI}\n", "reserves.csv:2: 7 cells but 8 columns"),
    ],
)
def test_a_bad_row_of_yours_names_file_row_and_column(li_demand, tmp_path, rows, where):
    tables = TableSet(_folder(tmp_path, rows))
    with pytest.raises(TableError) as e:
        reserves(li_demand, tables=tables)
    assert where in str(e.value), str(e.value)


def test_within_the_rounding_of_the_world_row_is_accepted(tmp_path):
    # the shipped rare earths: countries 0.98 % above the World row; 3 % is allowed
    folder = _folder(
        tmp_path, f"Li,Chile,2025,content,30.9,t,{LI},\nLi,World,2025,content,30,t,{LI},\n"
    )
    assert TableSet(folder).reserves["reserves"].tolist() == [30.9, 30.0]


# ----------------------------------------------------------------------------- facade, view
def test_the_method_is_the_lens(reo_demand):
    assert facade_demand.Demand.__dict__["reserves"] is reserves_lens.reserves
    a = reo_demand.reserves(without="China")
    b = reserves(reo_demand, without="China")
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs


def test_the_view_shows_the_lens_figures(reo_demand):
    frame = reserves(reo_demand, without="China", other_uses=False)
    console = Console(record=True, width=120)
    console.print(reserves_table(frame))
    text = console.export_text()
    for part in ("Reserves", "[t]", "[t/yr]", "[years]", "Share of", "without China"):
        assert part in text, part
    # 90 M reserves, 46.9 M without China; 90,000,000 and 46,884,500 years at 1 t/yr
    for cell in ("90 M", "46.9 M", "90,000,000", "46,884,500", "1.1e-06%", "2.1e-06%"):
        assert cell in text, cell
    assert "static" in text and "usgs-mcs2025-ree" in text and "2024 [t]" in text
