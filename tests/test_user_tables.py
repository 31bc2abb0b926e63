"""``--tables FOLDER`` reads every table the package ships (issue 23): each one edited in a
folder of the user's moves the answer that reads it, by the amount the edit implies where that
is a line of arithmetic; the output says which tables were the user's; a file that is no table
and a folder that does not exist are errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mineralcalc.cli import main
from mineralcalc.data.csvtable import SCHEMAS, shipped_tables
from mineralcalc.data.tableset import TABLES

SHIPPED = shipped_tables()


def _json(capsys, *argv) -> dict:
    code = main([*argv, "-f", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def _row(data: dict, key: str, value) -> dict:
    return next(r for r in data["rows"] if r[key] == value)


def _edit(folder: Path, name: str, old: str | list[tuple[str, str]], new: str = "") -> None:
    """The shipped table with ``old`` replaced by ``new`` (or each pair of a list)."""
    text = (SHIPPED / name).read_text(encoding="utf-8")
    for a, b in old if isinstance(old, list) else [(old, new)]:
        assert text.count(a) >= 1, (name, a)
        text = text.replace(a, b, 1)
    (folder / name).write_text(text, encoding="utf-8")


def _report(capsys, *extra):
    return _json(capsys, "report", *extra)


def _nd(data):
    return _row(data, "element", "Nd")


# each case: table, (old, new) text, the command, and how the answer must move
CASES = {
    "parts.csv": ("smartphone,nd_in_magnets,,0.16,", "smartphone,nd_in_magnets,,1.16,",
                  ["report"], lambda a, b: _nd(b)["modelled"] > _nd(a)["modelled"] + 1000),
    "items.csv": ("smartphone (measured Nd and Pr)", "smartphone (edited)", ["products"],
                  lambda a, b: _row(b, "product", "smartphone")["name"] == "smartphone (edited)"),
    "sources.csv": ("University of Plymouth (2019) press release", "University of Plymouth (2019) "
                    "press release (edited)", ["report"],
                    lambda a, b: "edited" in json.dumps(b["sources"])),
    # China's output and the world total (a source's table moves both)
    "supply.csv": ([("REE,China,2024,mining,oxide,270000,", "REE,China,2024,mining,oxide,300000,"),
                    ("REE,World,2024,mining,oxide,390000,", "REE,World,2024,mining,oxide,420000,")],
                   "", ["report"], lambda a, b: _row(b, "element", "REE (REO)")["recorded"]
                   == pytest.approx(_row(a, "element", "REE (REO)")["recorded"] + 30000)),
    "country_groups.csv": ("G7,Japan,g7-wiki,\n", "", ["supply", "Cu", "--stage", "refining",
                           "--without", "G7"],
                           lambda a, b: "Japan" in {r["country"] for r in b["rows"]}
                           and "Japan" not in {r["country"] for r in a["rows"]}),
    "countries.csv": ("Japan,JPN,,", "Japan,JPN,Nippon,", ["supply", "Cu", "--stage", "refining",
                      "--without", "Nippon"], None),  # shipped: an error; yours: an answer
    "ore_types.csv": ("bayan_obo,Pr,6,", "bayan_obo,Pr,7,", ["report"],
                      lambda a, b: _row(b, "element", "Pr")["recorded"]
                      > _row(a, "element", "Pr")["recorded"]),
    "country_ores.csv": ("China,2024,bayan_obo,70.06,", "China,2024,bayan_obo,60.06,", ["report"],
                         None),  # no longer whole: refused, naming the row
    "unrecorded.csv": ("REE,Laos,2024,ionic_clay_medium,6000,", "REE,Laos,2024,ionic_clay_medium,9000,",
                       ["report"], lambda a, b: _row(b, "element", "REE (REO)")["unrecorded"]
                       == pytest.approx(_row(a, "element", "REE (REO)")["unrecorded"] + 3000)),
    # Chile's and the world's 2030 copper (Chile alone would shrink the rest of the world)
    "outlook.csv": ([("Cu,mining,Chile,2030,5505,", "Cu,mining,Chile,2030,6505,"),
                     ("Cu,mining,World,2030,24271,", "Cu,mining,World,2030,25271,")], "",
                    ["report", "buildout-2030"], lambda a, b: _row(b, "element", "Cu")["recorded"]
                    > _row(a, "element", "Cu")["recorded"]),
    "secondary.csv": ("Cu,Cu,2024,end of life,,metal,4700000,", "Cu,Cu,2024,end of life,,metal,5000000,",
                      ["report"], lambda a, b: _row(b, "element", "Cu")["supply"]
                      == pytest.approx(_row(a, "element", "Cu")["supply"] + 300000)),
    "end_uses.csv": ("Cu,other uses,Cu,2024,metal,kt,26144.3,", "Cu,other uses,Cu,2024,metal,kt,27144.3,",
                     ["report"], lambda a, b: _row(b, "element", "Cu")["other_uses"]
                     == pytest.approx(_row(a, "element", "Cu")["other_uses"] + 1_000_000)),
    "end_use_elements.csv": ("other uses,magnet REE,Nd,72.7529,", "other uses,magnet REE,Nd,62.7529,",
                             ["report"], None),  # no longer adds to 100 %: refused
    "validation.csv": ("wind_magnet_ree,10.495757,", "wind_magnet_ree,11.495757,", ["validate"],
                       lambda a, b: _row(b, "id", "iea-wind")["published"]
                       == pytest.approx(_row(a, "id", "iea-wind")["published"] + 1000)),
    "price_moves.csv": ("Nd,2024,-26,", "Nd,2024,+26,", ["validate"],
                        lambda a, b: any(r["published"] == pytest.approx(0.26)
                                         for r in b["rows"] if r["kind"] == "price")),
    "clearing.csv": ("REE,La,0.9 (0.1 to 5.3) %/yr", "REE,La,2 (0.1 to 5.3) %/yr",
                     ["report", "buildout-2030"], lambda a, b: _row(b, "element", "La")["other_uses"]
                     > _row(a, "element", "La")["other_uses"]),
    "lifetimes.csv": ("bev,normal,17,4,,,17,20,", "bev,normal,8,4,,,8,10,", ["report", "pledges-2040", "--stocks"],
                      lambda a, b: _last(b, "Nd")["outflow"] > _last(a, "Nd")["outflow"]),
    "recycling.csv": ("*,*,collection,,22.3,", "*,*,collection,,30,", ["report", "pledges-2040", "--stocks"],
                      lambda a, b: _last(b, "Nd")["recovered"]
                      == pytest.approx(_last(a, "Nd")["recovered"] * 30 / 22.3)),
    "history.csv": ("bev,2017,760000,", "bev,2017,7600000,", ["report", "pledges-2040", "--stocks"],
                    lambda a, b: _last(b, "Nd")["outflow"] > _last(a, "Nd")["outflow"]),
    # the other uses' magnets live 5 years, not 11: more Nd leaves use in 2040
    "use_lifetimes.csv": ('"NdFeB magnets, other uses",Nd;Pr;Dy;Tb,100,normal,11,5,,,6,15,',
                          '"NdFeB magnets, other uses",Nd;Pr;Dy;Tb,100,normal,5,3,,,3,8,',
                          ["report", "pledges-2040", "--stocks"],
                          lambda a, b: _last(b, "Nd")["outflow"] > _last(a, "Nd")["outflow"]),
    # twice the world's magnet output of 2010: more Nd in use in 2024
    "use_history.csv": ('"NdFeB magnets, other uses",2010,98200,t,', '"NdFeB magnets, other uses",2010,196400,t,',
                        ["report", "pledges-2040", "--stocks"],
                        lambda a, b: _year(b, "Nd", 2024)["stock"] > _year(a, "Nd", 2024)["stock"]),
    "prices.csv": ("min,Nd,oxide,,2024,2024 annual average (estimated),USGS MCS salient price "
                   "(source: Argus Non-Ferrous Markets; delivery basis not stated),56,",
                   "min,Nd,oxide,,2024,2024 annual average (estimated),USGS MCS salient price "
                   "(source: Argus Non-Ferrous Markets; delivery basis not stated),112,",
                   ["security"], lambda a, b: json.dumps(a) != json.dumps(b)),
    "regional.csv": ([("bev,United States,2024,10.909,", "bev,United States,2024,15.909,"),
                      ("bev,Rest of world,2024,6.678,", "bev,Rest of world,2024,1.678,")], "",
                     ["security"],
                     lambda a, b: json.dumps(a) != json.dumps(b)),
    # lithium's world reserves doubled: the share of them a year's demand takes halves
    "reserves.csv": ("Li,World,2025,content,30000000,t", "Li,World,2025,content,60000000,t",
                     ["report", "--reserves"], lambda a, b: _row(b, "commodity", "Li")["share"]
                     == pytest.approx(_row(a, "commodity", "Li")["share"] / 2)),
}  # fmt: skip


def _last(data: dict, el: str) -> dict:
    rows = [r for r in data["rows"] if r["element"] == el]
    return max(rows, key=lambda r: r["year"])


def _year(data: dict, el: str, year: int) -> dict:
    return next(r for r in data["rows"] if r["element"] == el and r["year"] == year)


def test_every_shipped_table_has_a_case():
    assert set(CASES) == set(TABLES)
    assert set(TABLES) == set(SCHEMAS)
    assert {p.name for p in SHIPPED.glob("*.csv")} == set(TABLES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_table_in_a_folder_moves_the_answer(capsys, tmp_path, name):
    old, new, argv, moved = CASES[name]
    _edit(tmp_path, name, old, new)
    if moved is None:  # an edit that breaks the table or the shipped run: refused, or answered
        shipped = main([*argv, "-f", "json"])
        capsys.readouterr()
        code = main([*argv, "--tables", str(tmp_path), "-f", "json"])
        _, err = capsys.readouterr()
        assert code != shipped or code == 2, name
        if code == 2:
            assert name in err and err.count("\n") == 1, err
        return
    before = _json(capsys, *argv)
    after = _json(capsys, *argv, "--tables", str(tmp_path))
    assert moved(before, after), name
    assert after["tables"] == {"folder": str(tmp_path), "yours": [name]}


def test_countries_alias_in_a_folder_is_an_answer(capsys, tmp_path):
    argv = ["supply", "Cu", "--stage", "refining", "--without", "Nippon"]
    assert main(argv) == 2
    capsys.readouterr()
    _edit(tmp_path, "countries.csv", "Japan,JPN,,", "Japan,JPN,Nippon,")
    data = _json(capsys, *argv, "--tables", str(tmp_path))
    assert "Japan" in data["without"]


def test_the_output_says_which_tables_were_yours(capsys, tmp_path):
    _edit(tmp_path, "supply.csv", "Li,Chile,2024,mining,content,", "Li,Chile,2024,mining,content,")
    code = main(["report", "--tables", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert f"Your tables ({tmp_path}): supply.csv; the rest are the shipped ones." in " ".join(
        out.split()
    )


def test_a_country_edited_without_its_world_row_is_refused(capsys, tmp_path):
    # China 270,000 -> 300,000 t: the countries add up to 423,950 t against the World row's
    # 390,000 t, 8.7 % more; the world total would otherwise ignore the edit
    _edit(tmp_path, "supply.csv", "REE,China,2024,mining,oxide,270000,",
          "REE,China,2024,mining,oxide,300000,")  # fmt: skip
    code = main(["report", "--tables", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 2
    assert "supply.csv:37: amount: REE mining 2024: the countries add up to 423,950 t, 8.7%" in err


def test_a_file_that_is_no_table_and_a_missing_folder_are_errors(capsys, tmp_path):
    shutil.copy(SHIPPED / "prices.csv", tmp_path / "price.csv")
    code = main(["security", "--tables", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 2 and "price.csv: not a table of mineralcalc (did you mean 'prices.csv'" in err
    code = main(["report", "--tables", str(tmp_path / "nowhere")])
    _, err = capsys.readouterr()
    assert code == 2 and "nowhere" in err and "not a folder" in err


BAD_CELLS = st.sampled_from(["", "nan", "inf", "-1", "1e400", "abc", "150", "0", '"', "Chinaa"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    name=st.sampled_from(["supply.csv", "unrecorded.csv", "country_ores.csv", "ore_types.csv",
                          "secondary.csv", "outlook.csv", "clearing.csv", "end_uses.csv",
                          "prices.csv", "regional.csv", "country_groups.csv", "countries.csv"]),
    row=st.integers(1, 6),
    column=st.integers(0, 8),
    cell=BAD_CELLS,
)  # fmt: skip
def test_a_bad_cell_in_any_table_is_an_error_or_an_answer(capsys, tmp_path_factory, name, row,
                                                         column, cell):  # fmt: skip
    folder = tmp_path_factory.mktemp("tables")
    lines = (SHIPPED / name).read_text(encoding="utf-8").splitlines()
    cells = lines[row % (len(lines) - 1) + 1].split(",")
    cells[column % len(cells)] = cell
    lines[row % (len(lines) - 1) + 1] = ",".join(cells)
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = ["security"] if name in ("prices.csv", "regional.csv") else ["report"]
    code = main([*command, "--tables", str(folder), "-f", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 2), err
    if code == 2:
        assert err.startswith("mineralcalc: error: ") and err.count("\n") == 1
    else:
        json.loads(out)
