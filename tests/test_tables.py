"""The shipped tables: seed facts, published values, checksums, and the loader's errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mineralcalc as mc
from mineralcalc.data.catalog_tables import read_sources, shipped_sources, shipped_tables
from mineralcalc.data.supply_tables import read_supply
from mineralcalc.errors import DimensionError, ItemError, TableError, UnitError, UnknownItemError

TABLES = shipped_tables()

# Magnet contents to mined metal, by hand from parts.csv: fabrication keeps 0.725 of the alloy
# and 95 % of the swarf comes back (estimate-magnet-scrap, estimate-swarf-recycling); oxide to
# metal keeps 0.97 (estimate-oxide-metal-yield). Low bound: yields 0.75 and 0.99, all swarf
# back; high: yields 0.70 and 0.95, 90 % of the swarf back.
MAGNET_MINED = (1 / 0.725 - 0.95 * (1 / 0.725 - 1)) / 0.97
MAGNET_MINED_LOW = (1 / 0.75 - 1.0 * (1 / 0.75 - 1)) / 0.99
MAGNET_MINED_HIGH = (1 / 0.7 - 0.9 * (1 / 0.7 - 1)) / 0.95


@pytest.fixture(scope="module")
def cat() -> mc.Catalog:
    return mc.Catalog.default()


# ----------------------------------------------------------------------------- seed facts
def test_phones_at_3_g_is_about_3720_t(cat):
    # design.md / AFP 2026: 1.24 billion smartphones at ~3 g of rare earths is ~3,720 t
    d = mc.demand({"smartphone_press": "1.24 billion"}, cat)
    assert d.total("REE").to("t").magnitude == pytest.approx(3720)


def test_ree_output_grew_77_percent_2019_to_2024():
    # Cercle CyclOpe via AFP (2026): 220,000 t in 2019 to 390,000 t in 2024, +77 %
    # computed from the USGS rows: 390,000 / 220,000 - 1 = 0.7727
    growth, cagr = mc.supply(2024).growth("REE", since=2019)
    assert growth == pytest.approx(390 / 220 - 1)
    assert round(growth * 100) == 77
    assert cagr == pytest.approx((390 / 220) ** (1 / 5) - 1)


def test_refining_growth_takes_each_years_own_mine_output():
    # refining of rare earths is given as shares only, so each year's refined output is that
    # year's mine output (USGS: 376,000 t in 2023, 390,000 t in 2024) times the share left:
    # all of it with nothing removed, and without China's refiners (IEA: 92 % in 2023,
    # 91.3 % in 2024) 376,000 x 0.08 and 390,000 x 0.087
    s = mc.supply(2024)
    growth, _ = s.growth("REE", since=2023, stage="refining")
    assert growth == pytest.approx(390 / 376 - 1)
    growth, _ = s.without("China", stage="refining").growth("REE", since=2023, stage="refining")
    assert growth == pytest.approx((390 * 0.087) / (376 * 0.08) - 1)


def test_china_holds_60_to_70_percent_and_us_about_12():
    # USGS MCS 2025: China 270,000 of 390,000 t (69 %); US 45,000 t (11.5 %);
    # AFP 2026 says "some 60 %", AP 2026 "70 %" and "12 %" for the US
    s = mc.supply(2024)
    assert 0.60 <= s.share("REE", "China") <= 0.70
    assert s.share("REE", "China") == pytest.approx(270 / 390)
    assert s.share("REE", "United States") == pytest.approx(45 / 390)
    assert round(s.share("REE", "United States") * 100) in (11, 12)


@pytest.mark.parametrize(("year", "world", "digits"), [(2023, 376_000, -3), (2024, 390_000, -4)])
def test_country_rows_add_up_to_the_world_total(year, world, digits):
    # USGS rounds its world total (2023 to thousands, 2024 to ten thousands)
    frame = read_supply(TABLES / "supply.csv", shipped_sources())
    rows = frame[
        (frame.commodity == "REE") & (frame.year == year) & (frame.stage == "mining")
        & ~frame.alternative
    ]  # fmt: skip
    countries = rows[rows.country != "World"]["amount"].sum()
    assert rows[rows.country == "World"]["amount"].iloc[0] == world
    assert round(countries, digits) == world


def test_baseline_2024_gives_tonnes_per_element(cat):
    d = mc.demand(mc.load_scenario("baseline-2024"))
    assert d.years == [2024]
    for el in ("Nd", "Pr", "Dy", "Tb", "La", "Ce", "Fe", "B"):
        assert d.total(el).to("t").magnitude > 0
    # Tb of wind, by hand: onshore 109,000 MW x (0.1889 x 7 + 0.1476 x 1) + offshore
    # 8,000 MW x (0.5680 x 7 + 0.1820 x 1) kg in the generators, times the mined factor
    wind = ["onshore_wind", "offshore_wind"]
    content = 109_000 * (0.1889 * 7 + 0.1476 * 1) + 8_000 * (0.5680 * 7 + 0.1820 * 1)
    assert d.total("Tb", "kg", basis="contained", product=wind).magnitude == pytest.approx(content)
    assert d.total("Tb", "kg", product=wind).magnitude == pytest.approx(content * MAGNET_MINED)
    lo, _, hi = d.range("Tb", "kg", product=wind)
    assert lo.magnitude == pytest.approx(content * MAGNET_MINED_LOW)
    assert hi.magnitude == pytest.approx(content * MAGNET_MINED_HIGH)


# ----------------------------------------------------------------------------- published values
def test_wilburn_251_kg_nd2o3_per_mw_holds_216_kg_nd():
    # USGS SIR 2011-5036 (Wilburn 2011): 216 kg Nd per MW = 251 kg Nd2O3 per MW.
    cat = mc.Catalog([mc.Item("pm_turbine", "MW", {"Nd2O3": "251 kg/MW"}, kind="product")])
    nd = cat.intensity("pm_turbine", "Nd").values("kg/MW")[1]
    assert nd == pytest.approx(216, abs=1.0)  # the report rounds to whole kilograms


def test_jrc_dd_pmsg_times_capacity_gives_the_design_example(cat):
    # JRC 2024 DD-PMSG 180 kg Nd per MW in the turbine; 8 GW -> 1,440 t contained (design.md)
    line = cat["wind_dd_pmsg"].parts["nd_in_magnets"]
    assert line.amount is not None
    contained = mc.Q_(8, "GW") * line.amount.central
    assert contained.to("t").magnitude == pytest.approx(1440)
    # the demand on mines adds the unrecycled magnet scrap and the oxide-to-metal loss
    d = mc.demand({"wind_dd_pmsg": "8 GW"}, cat)
    assert d.total("Nd", "t").magnitude == pytest.approx(1440 * MAGNET_MINED)
    assert d.total("Nd", "t", basis="contained").magnitude == pytest.approx(1440)
    # gross: all the scrap passes through magnet making again: 1440 / 0.725 / 0.97
    assert d.total("Nd", "t", basis="gross").magnitude == pytest.approx(1440 / 0.725 / 0.97)


def test_usgs_hhi_of_2024_mining_is_about_5000():
    # squared percentage shares of the USGS MCS 2025 country table (Other left out)
    amounts = {
        "China": 270000, "United States": 45000, "Burma (Myanmar)": 31000, "Australia": 13000,
        "Nigeria": 13000, "Thailand": 13000, "India": 2900, "Russia": 2500, "Madagascar": 2000,
        "Vietnam": 300, "Malaysia": 130, "Brazil": 20,
    }  # fmt: skip
    expected = sum((a / 390000 * 100) ** 2 for a in amounts.values())
    assert mc.supply(2024).hhi("REE") == pytest.approx(expected)
    assert 4900 < expected < 5100


# ----------------------------------------------------------------------------- estimates
def test_ndfeb_generic_grade_follows_its_method(cat):
    # estimate-ndfeb-generic: Nd+Pr = 30 % - 4 % Dy, split 180 : 35 (JRC DD-PMSG)
    parts = cat["ndfeb_sintered"].parts
    nd = parts["nd_metal"].amount.values("")  # type: ignore[union-attr]
    pr = parts["pr_metal"].amount.values("")  # type: ignore[union-attr]
    assert nd[1] == pytest.approx(0.26 * 180 / 215, abs=5e-5)
    assert pr[1] == pytest.approx(0.26 * 35 / 215, abs=5e-5)
    assert nd[0] == pytest.approx((0.29 - 0.10) * 180 / 215, abs=5e-5)
    assert nd[2] == pytest.approx((0.325 - 0.006) * 180 / 215, abs=5e-5)
    # the composition holds: Fe balance = 1 - 0.2177 - 0.0423 - 0.04 - 0.01
    assert cat.intensity("ndfeb_sintered").loc["Fe", "central"] == pytest.approx(0.69, abs=1e-4)


# ----------------------------------------------------------------------------- checksums
CHECKSUMS = {
    # file: (rows, columns, {numeric column: sum})
    "sources.csv": (372, 6, {"year": 740090.0}),
    "regional.csv": (54, 6, {"year": 109296.0, "share": 500.0}),
    "items.csv": (87, 7, {}),
    "parts.csv": (205, 15, {"low": 1229.019, "high": 2039.702, "yield_low": 20.45, "yield": 21.38, "yield_high": 22.31, "recycled_low": 14.4, "recycled": 15.2, "recycled_high": 16.0}),
    "supply.csv": (234, 14, {"year": 473529.0, "amount": 245139170.0, "low": 26000.0, "high": 28000.0, "share": 545.0}),
    "country_groups.csv": (69, 4, {}),
    "countries.csv": (77, 5, {}),
    "ore_types.csv": (120, 6, {"share": 799.95205}),
    "country_ores.csv": (16, 6, {"year": 32384.0, "share": 1300.0}),
    "secondary.csv": (11, 13, {"year": 22264.0, "amount": 4728589.0, "low": 0.0, "high": 4.0, "share": 2.0}),
    "end_uses.csv": (52, 12, {"year": 105677.0, "amount": 164344.872712}),
    "end_use_elements.csv": (12, 6, {"share": 300.0}),
    "validation.csv": (51, 12, {"value": 44638.188111, "year": 103160.0, "tolerance": 1085.0}),
    "lifetimes.csv": (19, 10, {"mean": 176.5, "sd": 44.0, "shape": 12.21, "scale": 82.65}),
    "recycling.csv": (82, 9, {"value": 5939.3, "low": 683.6, "high": 2235.7, "year": 77107.0}),
    "use_lifetimes.csv": (1, 12, {"share": 100.0, "mean": 11.0, "sd": 5.0, "low": 6.0, "high": 15.0}),
    "use_history.csv": (4, 7, {"year": 8002.0, "amount": 154725.0}),
    "history.csv": (110, 6, {"year": 221298.0, "amount": 62657617.769}),
    "unrecorded.csv": (3, 11, {"amount": 11000.0, "low": 3000.0, "high": 64045.0, "share": 0.0}),
    "outlook.csv": (344, 9, {"amount": 627977.714924, "year": 699094.0}),
    "clearing.csv": (12, 5, {}),
    "price_moves.csv": (10, 7, {"change": -168.0}),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CHECKSUMS))
def test_table_checksums(name):
    rows, cols, sums = CHECKSUMS[name]
    frame = pd.read_csv(TABLES / name, encoding="utf-8-sig")
    assert frame.shape == (rows, cols)
    for col, total in sums.items():
        assert pd.to_numeric(frame[col], errors="coerce").sum() == pytest.approx(total)


def test_parts_central_checksum():
    frame = pd.read_csv(TABLES / "parts.csv")
    assert pd.to_numeric(frame["central"], errors="coerce").sum() == pytest.approx(2054.7835)
    assert (frame["central"] == "balance").sum() == 9


# ----------------------------------------------------------------------------- catalog content
def test_at_least_15_products_each_reaching_elements(cat):
    products = cat.products
    assert len(products) >= 15
    for pid in products:
        frame = cat.intensity(pid)
        assert not frame.empty, pid


def test_every_sourced_row_cites_a_known_source(cat):
    known = set(cat.source_table)
    for it in cat.items.values():
        for key in it.sources:
            assert key in known
        for child, part in it.parts.items():
            if part.amount is not None and it.origin:  # a number from a shipped table row
                assert part.source in known, (it.id, child)


def test_disputed_figures_keep_both_sources(cat):
    assert "smartphone_press" in cat.alternatives("smartphone")
    srcs = cat.sources("smartphone")
    assert {"plymouth-2019", "afp-2026"} <= set(srcs["source"])
    press = srcs[srcs["source"] == "afp-2026"]
    assert (press["alternative"] == "smartphone_press").all()
    assert set(press["quality"]) == {"press"}
    f35 = cat.sources("f35")
    assert {"adamas-2026", "crs-2013"} <= set(f35["source"])


def test_use_swaps_an_alternative_in_under_the_default_id(cat):
    press = cat.use("smartphone_press")
    d = mc.demand({"smartphone": "1.24 billion"}, press)
    assert d.total("REE").to("t").magnitude == pytest.approx(3720)
    base = mc.demand({"smartphone": "1.24 billion"}, cat)
    # default: 0.19 g Nd+Pr in magnets -> 0.19 g x the mined factor per phone
    assert base.total("REE").to("t").magnitude == pytest.approx(1.24e9 * 0.19 * MAGNET_MINED / 1e6)
    with pytest.raises(ItemError, match="not an alternative"):
        cat.use("smartphone")


def test_default_is_loaded_once():
    assert mc.Catalog.default() is mc.Catalog.default()


# ----------------------------------------------------------------------------- loader errors
def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


ITEMS = "id,basis,kind\ngadget,unit,product\n"
PARTS_HEAD = "parent,child,central,unit,source\n"


@pytest.mark.parametrize(
    ("items", "parts", "error", "match"),
    [
        (ITEMS, "parent,child,central,source\ngadget,Nd,3,afp-2026\n", TableError,
         r"parts.csv:1: unit: missing column"),
        (ITEMS, PARTS_HEAD + "gadget,Nd,3,gg,afp-2026\n", TableError,
         r"parts.csv:2: unit: unknown unit 'gg' \(did you mean 'g'"),
        (ITEMS, PARTS_HEAD + "gadget,Ndd,3,g,afp-2026\n", UnknownItemError,
         r"parts.csv:2: item 'gadget', part 'Ndd'.*did you mean 'Nd'"),
        (ITEMS, PARTS_HEAD + "gadget,Nd,3,g,afp2026\n", TableError,
         r"parts.csv:2: source: unknown source 'afp2026' \(did you mean 'afp-2026'"),
        (ITEMS, PARTS_HEAD + "gadget,Nd,3,g,afp-2026\ngadget,Nd,4,g,afp-2026\n", TableError,
         r"parts.csv:3: child: 'gadget' -> 'Nd' is listed twice \(first at row 2\)"),
        (ITEMS + "gadget,unit,product\n", PARTS_HEAD + "gadget,Nd,3,g,afp-2026\n", TableError,
         r"items.csv:3: id: 'gadget' is defined twice"),
        (ITEMS, "", TableError, r"parts.csv:1: empty file"),
        (ITEMS, PARTS_HEAD, TableError, r"parts.csv:2: no data rows"),
        (ITEMS, PARTS_HEAD + "gadget,Nd,three,g,afp-2026\n", TableError,
         r"parts.csv:2: central: 'three' is not a number"),
        (ITEMS, PARTS_HEAD + "gadget,Nd,3,g,\n", TableError,
         r"parts.csv:2: source: empty: a row that holds a number needs a source"),
        (ITEMS, PARTS_HEAD + "gadget, Nd,3,g,afp-2026\n", TableError,
         r"parts.csv:2: child: ' Nd' has stray whitespace"),
        (ITEMS, PARTS_HEAD + "gadget,Nd,3,m,afp-2026\n", DimensionError,
         r"parts.csv:2: item 'gadget', part 'Nd'.*wrong dimension"),
        (ITEMS, PARTS_HEAD + "gadget,Nd,-3,g,afp-2026\n", TableError,
         r"parts.csv:2: central: .*negative"),
        (ITEMS, "parent,child,central,unit,source,sorce\ngadget,Nd,3,g,afp-2026,x\n", TableError,
         r"parts.csv:1: sorce: unknown column \(did you mean 'source'"),
        (ITEMS, PARTS_HEAD + "gadget,Nd,3,g,afp-2026,extra\n", TableError,
         r"parts.csv:2: 6 cells but 5 columns"),
        ("id,basis,kind\ngadget,MWW,product\n", PARTS_HEAD + "gadget,Nd,3,g,afp-2026\n", TableError,
         r"items.csv:2: basis: unknown unit 'MWW'"),
        (ITEMS, PARTS_HEAD + "nothing,Nd,3,g,afp-2026\n", TableError,
         r"parts.csv:2: parent: unknown item 'nothing'"),
        ("id,basis,kind\ngadget,unit,gizmo\n", PARTS_HEAD + "gadget,Nd,3,g,afp-2026\n", TableError,
         r"items.csv:2: kind: 'gizmo' is not one of"),
        ("id,basis\nalloy,kg\n", PARTS_HEAD + "alloy,Nd,60,%,afp-2026\nalloy,Fe,45,%,afp-2026\n",
         ItemError, r"items.csv:2: item 'alloy': its mass fractions add up to 105.00%"),
    ],
)  # fmt: skip
def test_bad_user_tables(tmp_path, items, parts, error, match):
    _write(tmp_path, "items.csv", items)
    _write(tmp_path, "parts.csv", parts)
    with pytest.raises(error, match=match):
        mc.Catalog.from_tables(tmp_path)


def test_byte_order_mark_just_works(tmp_path):
    _write(tmp_path, "items.csv", "\ufeff" + ITEMS)
    _write(tmp_path, "parts.csv", "\ufeff" + PARTS_HEAD + "gadget,Nd,3,g,afp-2026\n")
    cat = mc.Catalog.from_tables(tmp_path)
    assert cat.intensity("gadget", "Nd").values("g/unit")[1] == pytest.approx(3)


def test_not_utf8_is_named(tmp_path):
    _write(tmp_path, "items.csv", "id,basis,name\ngadget,unit,caf\xe9\n".encode("latin-1"))
    with pytest.raises(TableError, match=r"items.csv:2: not UTF-8 \(byte 29"):
        mc.Catalog.from_tables(tmp_path)


def test_user_tables_extend_and_override(tmp_path):
    _write(
        tmp_path, "sources.csv",
        "key,citation,quality\nmy-lab,Our own teardown of one phone (2026),estimate\n",
    )  # fmt: skip
    _write(tmp_path, "items.csv", "id,basis,kind\ngadget,unit,product\nlaptop,unit,product\n")
    _write(
        tmp_path, "parts.csv",
        PARTS_HEAD
        + "gadget,ndfeb_magnet,10,g,my-lab\n"  # a new item using shipped materials
        + "laptop,nd_in_magnets,0.5,g,my-lab\n"  # replaces the shipped laptop
        + "smartphone,nd_in_magnets,0.2,g,my-lab\n",  # changes one line of a shipped item
    )  # fmt: skip
    cat = mc.Catalog.from_tables(tmp_path)
    assert cat.intensity("laptop", "Nd").values("g/unit")[1] == pytest.approx(0.5 * MAGNET_MINED)
    assert cat.intensity("smartphone", "Nd").values("g/unit")[1] == pytest.approx(
        0.2 * MAGNET_MINED
    )
    # the Pr line of the shipped smartphone stays
    assert cat.intensity("smartphone", "Pr").values("g/unit")[1] == pytest.approx(
        0.03 * MAGNET_MINED
    )
    assert "my-lab" in set(cat.sources("gadget")["source"])
    assert cat.intensity("gadget", "Nd").values("g/unit")[1] > 0
    # without merging, only the user's tables: shipped items are unknown
    with pytest.raises(TableError, match=r"parts.csv:4: parent: unknown item 'smartphone'"):
        mc.Catalog.from_tables(tmp_path, merge=False)


def test_missing_folder(tmp_path):
    with pytest.raises(TableError, match="not a folder"):
        mc.Catalog.from_tables(tmp_path / "nope")


def test_sources_quality_is_checked(tmp_path):
    _write(tmp_path, "sources.csv", "key,citation,quality\nx,Something,rumour\n")
    with pytest.raises(TableError, match=r"sources.csv:2: quality: 'rumour' is not one of"):
        read_sources(tmp_path / "sources.csv")


def test_unit_errors_are_also_unit_errors():
    assert issubclass(TableError, mc.MineralcalcError)
    assert issubclass(UnitError, ValueError)
