"""Rare-earth separation country by country, element by element (issue 26): the IEA's 2024
separation shares (China 91.3 %, Malaysia 4.5 %, United States 1.2 %, Other 3.0 %) are of the
magnet rare earths separated, NdPr; no Dy or Tb was separated commercially outside China in
2024 (Lynas's first Dy in May 2025: ``lynas-2025-heavy-re``), which ``supply.csv``'s ``Dy;Tb``
rows say (China 100 %). Each expectation is computed here from the table rows; the loader's
checks of the ``elements`` column are tested on small tables."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import mineralcalc as mc
from mineralcalc.cli import main
from mineralcalc.data.supply_tables import read_supply
from mineralcalc.errors import TableError
from mineralcalc.lenses.stockpile_imports import bloc_imports

TABLES = Path(__file__).resolve().parents[1] / "tables"


def _separation(country: str, el: str) -> tuple[float, str]:
    """supply.csv: a country's 2024 separation share of a rare earth [fraction] and its source:
    the element's own row where one names it, else REE's (rows in force only)."""
    with (TABLES / "supply.csv").open(encoding="utf-8") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if (r["commodity"], r["country"], r["year"], r["stage"])
            == ("REE", country, "2024", "refining")
            and not r["status"]
        ]
    (row,) = [r for r in rows if el in r["elements"].split(";")] or [
        r for r in rows if not r["elements"]
    ]
    return float(row["share"]) / 100, row["source"]


@pytest.fixture(scope="module")
def baseline():
    return mc.demand(mc.load_scenario("baseline-2024"))


@pytest.fixture(scope="module")
def us(baseline):
    return mc.self_sufficiency(baseline, "United States", stages=["mining", "refining"])


# ----------------------------------------------------------------------------- the rows
def test_the_rows_say_china_alone_separated_dy_and_tb():
    for el in ("Dy", "Tb"):
        assert _separation("China", el) == (1.0, "lynas-2025-heavy-re")
        assert _separation("Malaysia", el) == (0.0, "lynas-2025-heavy-re")
        assert _separation("United States", el) == (0.0, "mp-2025-heavy-circuit")
    # Nd and Pr keep the IEA's split
    assert _separation("United States", "Nd") == (0.012, "iea-gcmo-2025-data")
    assert _separation("Malaysia", "Pr") == (0.045, "iea-gcmo-2025-data")
    s = mc.supply(2024)
    for el, country, share in (
        ("Dy", "Malaysia", 0.0),
        ("Tb", "Malaysia", 0.0),
        ("Nd", "Malaysia", 0.045),
        ("Dy", "China", 1.0),
        ("Nd", "China", 0.913),
    ):
        assert s.share(el, country, stage="refining") == pytest.approx(share, abs=1e-12)
    # the REE rows as a whole are untouched: the commodity keeps the IEA's shares
    assert s.share("REE", "China", stage="refining") == pytest.approx(0.913)


def test_a_rare_earth_without_own_rows_takes_the_commoditys():
    s = mc.supply(2024)
    assert s.own_rows("Nd", "refining") is None and s.own_rows("Dy", "mining") is None
    assert list(s.by_country("La", stage="separation")["share"]) == list(
        s.by_country("REE", stage="refining")["share"]
    )
    assert s.stage_factor("La", "refining") == s.stage_factor("REE", "refining") == 1.0


# ----------------------------------------------------------------------------- security
def test_us_self_sufficiency_at_separation_by_element(baseline, us):
    f = us.set_index(["element", "stage"])
    need = mc.bloc_demand(baseline, "United States").set_index("element")["bloc"]
    for el in ("Dy", "Tb"):
        row = f.loc[(el, "refining")]
        # a 0 with its sources, not "no data": the US separated none in 2024
        assert row["self_sufficiency"] == 0.0 and row["supply"] == 0.0
        assert row["import_gap"] == pytest.approx(need[el], rel=1e-12)
        assert row["sources"] == "lynas-2025-heavy-re; mp-2025-heavy-circuit"
        assert (el, "refining") not in us.attrs["no_data"]
    # Nd unchanged: 1.2 % of the world's separated Nd, which is its mine output (all of it
    # separated somewhere: the shares add up to 100 %), over the US demand for Nd
    share, _ = _separation("United States", "Nd")
    world = f.loc[("Nd", "mining"), "world_supply"]
    assert f.loc[("Nd", "refining"), "world_supply"] == pytest.approx(world, rel=1e-12)
    assert f.loc[("Nd", "refining"), "self_sufficiency"] == pytest.approx(
        share * world / need["Nd"], rel=1e-12
    )
    assert f.loc[("Nd", "refining"), "sources"] == "iea-gcmo-2025-data"


def test_a_bloc_not_named_among_the_heavy_separators_separates_none(baseline):
    # the Dy;Tb rows name every producer (China 100 %), so an EU member, named nowhere,
    # separated none; at REE's rows (3.0 % unnamed) the EU's Nd stays "no data"
    eu = mc.self_sufficiency(baseline, "European Union", stages=["refining"])
    f = eu.set_index("element")
    assert f.at["Dy", "self_sufficiency"] == 0.0 and f.at["Tb", "supply"] == 0.0
    assert "name every producer" in f.at["Dy", "note"]
    assert f[["self_sufficiency"]].loc[["Nd", "Pr"]].isna().all().all()
    assert eu.attrs["no_data"] == [("Nd", "refining"), ("Pr", "refining")]


def test_the_imports_pace_counts_the_whole_us_dy_demand(baseline):
    f = bloc_imports(baseline, "United States").set_index("element")
    need = mc.bloc_demand(baseline, "United States").set_index("element")["bloc"]
    for el in ("Dy", "Tb"):
        assert f.at[el, "own"] == 0.0
        assert f.at[el, "imports"] == pytest.approx(need[el], rel=1e-12)


def test_the_security_table_says_so(capsys):
    assert main(["security", "--bloc", "United States", "-f", "csv"]) == 0
    rows = {
        (r["element"], r["stage"]): r for r in csv.DictReader(capsys.readouterr().out.splitlines())
    }
    assert float(rows[("Dy", "refining")]["self_sufficiency"]) == 0.0
    assert float(rows[("Tb", "refining")]["supply"]) == 0.0
    assert float(rows[("Nd", "refining")]["bloc_share"]) == pytest.approx(0.012)


# ----------------------------------------------------------------------------- without China
def test_without_chinas_separation_no_dy_or_tb_is_left(baseline):
    s = mc.supply(2024)
    gone = s.without("China", stage="refining")
    left = 1 - _separation("China", "Nd")[0]  # 8.7 %
    assert left == pytest.approx(0.087)
    assert gone.stage_factor("Nd", "refining") == pytest.approx(left, rel=1e-12)
    assert gone.element("Nd", "refining")[0] == pytest.approx(s.element("Nd")[0] * left)
    for el in ("Dy", "Tb"):
        assert gone.stage_factor(el, "refining") == 0.0
        amount, _, note = gone.element(el, "refining")
        assert amount == 0.0 and f"{el}'s refining" in note
        assert gone.unrecorded_element(el, "refining") == (0.0, 0.0, 0.0)
        assert gone.by_country(el, stage="refining")["share"].sum() == 0.0
    # the magnet rare earths as a group: Nd and Pr at 8.7 %, Dy and Tb at none
    out = s.element_output().groupby("element")["amount"].sum()
    oxide, note = gone.group_oxide(["Nd", "Pr", "Dy", "Tb"], "refining")
    assert oxide == pytest.approx((out["Nd"] + out["Pr"]) * left, rel=1e-12)
    assert "Dy, Tb at their own shares" in note
    unrec = gone.group_unrecorded(["Nd", "Dy"], "refining")
    assert unrec[1] == pytest.approx(s.unrecorded_by_element()["Nd"][1] * left, rel=1e-12)


def test_report_without_chinas_separation_leaves_no_dy_or_tb(capsys):
    argv = ["report", "--without", "China", "--stage", "refining", "--elements", "Dy,Tb,Nd"]
    assert main([*argv, "-f", "csv"]) == 0
    rows = {r["element"]: r for r in csv.DictReader(capsys.readouterr().out.splitlines())}
    s = mc.supply(2024)
    for el in ("Dy", "Tb"):
        assert float(rows[el]["recorded"]) == 0.0 and float(rows[el]["unrecorded"]) == 0.0
        # what is left is end-of-life recycling outside China
        recycled = s.without("China").secondary(el, "end of life")[1]
        assert float(rows[el]["supply"]) == pytest.approx(recycled, rel=1e-9)
        assert "no supply data" not in rows[el]["note"]
    assert float(rows["Nd"]["recorded"]) == pytest.approx(s.element("Nd")[0] * 0.087, rel=1e-9)


def test_a_projection_keeps_the_heavies_own_shares():
    gone = mc.supply(2024).project(2030, "3 %/yr").without("China", stage="refining")
    assert gone.element("Dy", "refining")[0] == 0.0
    arrays = gone.element_arrays(["Dy", "Nd"], "refining")
    assert arrays.primary[0, 0] == 0.0
    assert arrays.primary[0, 1] == pytest.approx(gone.element("Nd", "refining")[0], rel=1e-12)


# ----------------------------------------------------------------------------- the loader's checks
HEADER = "commodity,country,year,stage,basis,amount,share,unit,source,elements\n"
BASE = (
    "REE,China,2024,mining,oxide,270000,,t,src,\n"
    "REE,China,2024,refining,oxide,,91.3,t,src,\n"
    "REE,Malaysia,2024,refining,oxide,,4.5,t,src,\n"
)


def _read(tmp_path: Path, rows: str):
    path = tmp_path / "supply.csv"
    path.write_text(HEADER + BASE + rows, encoding="utf-8")
    return read_supply(path, {"src": {}})


def test_element_rows_are_read_in_one_spelling(tmp_path):
    frame = _read(tmp_path, "REE,China,2024,refining,oxide,,100,t,src,Tb;Dy\n")
    assert list(frame["elements"]) == ["", "", "", "Dy;Tb"]
    # a table without the column (a user's older supply.csv) is every element's
    path = tmp_path / "old.csv"
    path.write_text(
        "commodity,country,year,stage,basis,share,unit,source\n"
        "REE,China,2024,refining,oxide,91,t,src\n",
        encoding="utf-8",
    )
    assert list(read_supply(path, {"src": {}})["elements"]) == [""]


@pytest.mark.parametrize(
    ("row", "match"),
    [
        (
            "REE,China,2024,refining,oxide,,100,t,src,Dx",
            r"supply.csv:5: elements: 'Dx' is not an element symbol",
        ),
        (
            "REE,China,2024,refining,oxide,,100,t,src,Dy;Fe",
            r":5: elements: Fe is not an element of REE",
        ),
        (
            "REE,China,2024,refining,oxide,,100,t,src,Dy;;Tb",
            r":5: elements: 'Dy;;Tb' has an empty entry",
        ),
        ("REE,China,2024,refining,oxide,,100,t,src,Dy;Dy", r":5: elements: Dy is given twice"),
        (
            "Li,China,2024,refining,metal,,70,t,src,Li",
            r":5: elements: Li supplies one element: leave elements empty",
        ),
        (
            "REE,China,2024,mining,oxide,,100,t,src,Dy",
            r":5: elements: element rows are for a stage after mining.*country_ores.csv",
        ),
        (
            "REE,China,2024,refining,oxide,900,,t,src,Dy",
            r":5: amount: a row with elements gives each country's share.*leave amount empty",
        ),
        (
            "REE,China,2023,refining,oxide,,100,t,src,Dy",
            r":5: elements: the row overrides REE's refining rows of 2023 for Dy, but there are none: add",
        ),
        (
            "REE,China,2024,refining,oxide,,100,t,src,Dy;Tb\nREE,Malaysia,2024,refining,oxide,,0,t,src,Dy",
            r":6: elements: Dy in 2024 \(refining\) is in 'Dy' here and in 'Dy;Tb' at supply.csv:5: give each element's countries in one set",
        ),
        (
            "REE,China,2024,refining,oxide,,100,t,src,Dy\nREE,China,2024,refining,oxide,,100,t,src,Dy",
            r":6: country: 'China' in 2024 \(refining\) for Dy is given twice \(first at row 5\)",
        ),
        (
            "REE,China,2024,refining,oxide,,95,t,src,Dy\nREE,Malaysia,2024,refining,oxide,,10,t,src,Dy",
            r":6: share: the shares of Dy at refining in 2024 add up to 105 %, over 100 %",
        ),
    ],
)
def test_bad_element_rows_are_refused_naming_the_row(tmp_path, row, match):
    with pytest.raises(TableError, match=match):
        _read(tmp_path, row + "\n")


def test_alternative_element_rows_are_kept_but_not_checked_against_the_rest(tmp_path):
    header = HEADER.replace("elements\n", "elements,status\n")
    path = tmp_path / "supply.csv"
    rows = "".join(r.rstrip("\n") + ",\n" for r in BASE.splitlines(keepends=True))
    path.write_text(
        header + rows + "REE,China,2024,refining,oxide,,100,t,src,Dy;Tb,\n"
        "REE,China,2024,refining,oxide,,99,t,src,Dy,alternative\n",
        encoding="utf-8",
    )
    frame = read_supply(path, {"src": {}})
    assert list(frame["alternative"]) == [False, False, False, False, True]
