"""No silent wrong answer, escape or destroyed file (issue 16).

Four classes, each as a careless or hostile user meets it: answers that are silently wrong,
escapes (a traceback or a non-library exception), destructive writes, and output that
misleads. The first part holds the cases the issue names; ``OWN_CASES`` adds bad inputs the
issue does not name. A property closes: whatever output path a run is given, no input of the
run changes.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mineralcalc as mc
from mineralcalc import Catalog, Item, Part
from mineralcalc.cli import main
from mineralcalc.errors import (
    AmountError,
    ItemError,
    OutputError,
    ScenarioError,
    TableError,
    UnknownItemError,
    VolumeError,
)
from mineralcalc.export import write_atomic


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str, where: str) -> None:
    assert err.count("\n") == 1 and err.startswith("mineralcalc: error: "), err
    assert "Traceback" not in err and where in err, err


SCENARIO = "[volumes]\nsmartphone = '1.24 billion'\n"


# ----------------------------------------------------------------------------- silent answers
@pytest.mark.parametrize("name", ["Atlantis", "Chna", "", "   ", "Germany"])
def test_without_a_country_that_matches_nothing_is_an_error(capsys, name):
    with pytest.raises(UnknownItemError):
        mc.supply(2024).without(name)
    code, _, err = run(capsys, "report", "--without", name)
    assert code == 2 and "error" in err and "Traceback" not in err


def test_without_matches_case_and_the_bracketed_name():
    s = mc.supply(2024)
    assert s.without("china").removed == ("China",)
    assert s.without("MYANMAR").removed == ("Burma (Myanmar)",)
    with pytest.raises(UnknownItemError, match="did you mean 'China'"):
        s.without("Chna")


def test_a_high_bound_over_100_percent_is_an_error():
    with pytest.raises(
        ItemError, match=r"item 'a', part 'Nd': its high value 120.00% is over 100 %"
    ):
        Catalog([Item("a", "kg", {"Nd": "50 to 120 %", "Fe": "10 %"})])


def test_an_unclosed_quote_does_not_swallow_rows(tmp_path):
    (tmp_path / "items.csv").write_text(
        'id,basis,kind,name\ngadget,unit,product,"a gadget\nwidget,unit,product,w\n'
    )
    (tmp_path / "parts.csv").write_text(
        "parent,child,central,unit,source\ngadget,Nd,3,g,afp-2026\nwidget,Nd,1,g,afp-2026\n"
    )
    with pytest.raises(TableError, match=r"items.csv:2: .*quote left open"):
        Catalog.from_tables(tmp_path)


def test_a_nan_supply_growth_fails_where_it_is_given():
    with pytest.raises(VolumeError, match=r"supply_growth\['REE'\]"):
        mc.demand({"smartphone": {2024: 1}}, supply_growth={"REE": math.nan})
    with pytest.raises(VolumeError, match=r"supply_growth\['REE'\]: cannot read 'fast'"):
        mc.demand({"smartphone": {2024: 1}}, supply_growth={"REE": "fast"})


# ----------------------------------------------------------------------------- escapes
def test_a_deeply_nested_scenario_is_a_scenario_error(tmp_path, capsys):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n" + SCENARIO)
    with pytest.raises(ScenarioError, match="nested too deeply"):
        mc.load_scenario(path)
    code, _, err = run(capsys, "report", str(path))
    assert code == 2
    one_line(err, "deep.toml")


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_seeds_are_whole_numbers_from_zero(seed):
    with pytest.raises(VolumeError, match="seed must be a whole number >= 0"):
        mc.demand({"smartphone": 1}, samples=10, seed=seed)


def test_a_multi_megabyte_cell_is_a_table_error(tmp_path):
    (tmp_path / "parts.csv").write_text(
        "parent,child,central,unit,source,note\nsmartphone,Nd,3,g,afp-2026,"
        + "x" * 3_000_000
        + "\n"
    )
    with pytest.raises(TableError, match=r"parts.csv:2: a cell longer than 131,072 characters"):
        Catalog.from_tables(tmp_path)


def test_a_sample_count_over_the_memory_budget_is_refused_up_front(capsys):
    scenario = mc.load_scenario("buildout-2030")
    with pytest.raises(
        VolumeError, match=r"would take about [\d.]+ GiB.*over the budget of 2.0 GiB"
    ):
        mc.demand(scenario, samples=10_000_000, seed=1)
    with pytest.raises(VolumeError, match=r"over the budget of 0\.5 GiB"):
        mc.demand(scenario, samples=1_000_000, seed=1, max_memory="512 MiB")
    code, _, err = run(capsys, "report", "--samples", "1000", "--max-memory", "1 MB")
    assert code == 2
    one_line(err, "--max-memory")


# ----------------------------------------------------------------------------- destructive writes
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_output_onto_the_scenario_read_is_refused(tmp_path, capsys):
    scenario = tmp_path / "case.toml"
    scenario.write_text(SCENARIO)
    before = _digest(scenario)
    code, _, err = run(capsys, "report", str(scenario), "-f", "csv", "-o", str(scenario))
    assert code == 2 and _digest(scenario) == before
    one_line(err, "is an input of this run")


def test_output_onto_a_table_read_is_refused(tmp_path, capsys):
    (tmp_path / "parts.csv").write_text(
        "parent,child,central,unit,source\nsmartphone,Nd,0.2,g,afp-2026\n"
    )
    before = _digest(tmp_path / "parts.csv")
    out = tmp_path / "parts.csv"
    code, _, err = run(capsys, "report", "--tables", str(tmp_path), "-f", "csv", "-o", str(out))
    assert code == 2 and _digest(out) == before
    one_line(err, "is an input of this run")


def test_only_regular_files_are_replaced(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "report", "-f", "csv", "-o", str(fifo))
    assert code == 2 and stat.S_ISFIFO(fifo.lstat().st_mode)
    one_line(err, "not a regular file")
    code, _, err = run(capsys, "report", "-f", "csv", "-o", str(tmp_path))
    assert code == 2
    one_line(err, "is a folder")


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path, capsys):
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    code, _, _ = run(capsys, "report", "-f", "csv", "-o", str(link))
    assert code == 0 and link.is_symlink() and target.read_text().startswith("element,")


def test_modes_follow_the_umask_and_existing_files_keep_theirs(tmp_path, capsys):
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.csv"
        assert run(capsys, "report", "-f", "csv", "-o", str(new))[0] == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text("x")
        kept.chmod(0o600)
        assert run(capsys, "report", "-f", "csv", "-o", str(kept))[0] == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_dash_writes_to_standard_output(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "report", "-f", "csv", "-o", "-")
    assert code == 0 and out.startswith("element,") and not (tmp_path / "-").exists()


def test_errors_name_the_path_given_not_a_temporary_file(tmp_path, capsys):
    missing = tmp_path / "no" / "such" / "folder" / "out.csv"
    code, _, err = run(capsys, "report", "-f", "csv", "-o", str(missing))
    assert code == 2 and str(missing) in err and ".tmp" not in err
    one_line(err, "its folder does not exist")


def test_output_and_plot_on_one_file_is_refused(tmp_path, capsys):
    both = tmp_path / "same.svg"
    code, _, err = run(capsys, "report", "-f", "csv", "-o", str(both), "--plot", str(both))
    assert code == 2 and not both.exists()
    one_line(err, "given to both --output and --plot")


# ----------------------------------------------------------------------------- misleading output
def test_a_sampled_run_shows_its_spread_in_the_table(capsys):
    code, plain, _ = run(capsys, "report")
    code2, sampled, _ = run(capsys, "report", "--samples", "2000", "--seed", "1")
    assert code == code2 == 0 and "p5–p95" in sampled and "p5–p95" not in plain
    assert plain != sampled


def test_every_figure_names_its_basis(capsys):
    code, out, _ = run(capsys, "report", "-f", "json")
    doc = json.loads(out)
    assert doc["basis"] == "mined"
    for row in doc["rows"]:
        assert (
            row["basis"] in ("metal", "content", "oxide (REO)") and row["demand_basis"] == "mined"
        )
        if row["basis"] == "oxide (REO)":
            assert row["element"].endswith(" (REO)")  # one name never holds two bases
    code, out, _ = run(capsys, "report")
    assert code == 0 and "net mined" in out
    d = mc.demand(mc.load_scenario("baseline-2024"))
    group = d.compare().set_index("element").loc["magnet REE (REO)"]
    assert d.total("magnet REE (REO)", basis="mined").magnitude == pytest.approx(group["modelled"])
    assert d.total("magnet REE").magnitude < group["modelled"]  # metal is lighter than oxide


def test_markdown_years_and_small_amounts(capsys, tmp_path):
    code, out, _ = run(capsys, "report", "-f", "markdown")
    assert code == 0 and "2,024" not in out and "| 2024 |" in out
    scenario = tmp_path / "one.toml"
    scenario.write_text("[volumes]\nf35 = 1\n")
    code, out, _ = run(capsys, "report", str(scenario), "--products-only")
    tb = next(line for line in out.splitlines() if line.strip().startswith("Tb"))
    assert "0.0%" not in tb and "9.15e-05" in tb and "2.1e-05%" in tb  # 91 g of 438 t, kept


def test_help_texts_survive_rich_markup(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "mineralcalc[plot]" in text and ".png, .svg or .pdf" in text


@pytest.mark.parametrize("name", ["chart.gif", "chart", "chart.png.txt"])
def test_plot_formats_are_checked_before_any_work(capsys, tmp_path, name):
    code, _, err = run(capsys, "report", "--plot", str(tmp_path / name), "-f", "csv")
    assert code == 2 and not (tmp_path / name).exists()
    one_line(err, "use a .png, .svg or .pdf file name")


def test_product_ids_are_never_truncated(capsys):
    code, out, _ = run(capsys, "products")  # captured: 80 columns
    assert code == 0
    for pid in mc.Catalog.default().products:
        assert pid in out, pid


def test_an_unknown_product_suggests_products():
    with pytest.raises(UnknownItemError) as e:
        mc.demand({"zzqq": 1})
    assert "products include 'ac_compressor'" in str(e.value) and "'Ag'" not in str(e.value)


def test_a_title_never_says_none(tmp_path, capsys):
    scenario = tmp_path / "plain.toml"
    scenario.write_text(SCENARIO)  # no year: volumes without years
    code, out, _ = run(capsys, "report", str(scenario))
    assert code == 0 and "None" not in out


def test_the_contents_of_a_product_can_be_asked_for(capsys):
    code, out, _ = run(capsys, "explain", "offshore_turbine", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    nd = next(r for r in doc["rows"] if r["element"] == "Nd")
    # 9.815 MW x (0.568 x 180 + 0.182 x 51 + 0.197 x 12) kg/MW of Nd in the turbine
    assert doc["basis"] == "contained"
    assert nd["central [kg/unit]"] == pytest.approx(
        9.815 * (0.568 * 180 + 0.182 * 51 + 0.1974 * 12), rel=1e-3
    )


def test_to_tables_keeps_the_sources_note(tmp_path):
    cat = mc.Catalog.default()
    cat.add(
        Item("gadget", parts={"Nd": Part("1 g", source="jrc-rmis-dy")}, kind="product")
    ).to_tables(tmp_path)
    text = (tmp_path / "sources.csv").read_text()
    assert "read via a social-media post" in text  # the note of jrc-rmis-dy


# ----------------------------------------------------------------------------- own bad inputs
# (id, call, error class, text the message must contain): bad inputs the issue does not name
OWN_CASES = [
    (
        "country as a number",
        lambda: mc.supply(2024).without(5),
        UnknownItemError,
        "a country or group is a name",
    ),
    (
        "share of an unknown bloc",
        lambda: mc.supply(2024).share("REE", "Atlantis"),
        UnknownItemError,
        "'Atlantis'",
    ),
    (
        "samples zero",
        lambda: mc.demand({"smartphone": 1}, samples=0),
        VolumeError,
        "samples must be",
    ),
    (
        "samples true",
        lambda: mc.demand({"smartphone": 1}, samples=True),
        VolumeError,
        "samples must be",
    ),
    (
        "samples fractional",
        lambda: mc.demand({"smartphone": 1}, samples=2.5),
        VolumeError,
        "samples must be",
    ),
    (
        "memory not a size",
        lambda: mc.demand({"smartphone": 1}, samples=10, max_memory="lots"),
        VolumeError,
        "max_memory 'lots'",
    ),
    (
        "memory negative",
        lambda: mc.demand({"smartphone": 1}, samples=10, max_memory=-5),
        VolumeError,
        "above zero",
    ),
    (
        "memory in metres",
        lambda: mc.demand({"smartphone": 1}, samples=10, max_memory="5 m"),
        VolumeError,
        "max_memory '5 m'",
    ),
    (
        "unknown basis",
        lambda: mc.demand({"smartphone": 1}, basis="netto"),
        UnknownItemError,
        "basis 'netto'",
    ),
    (
        "contained against supply",
        lambda: mc.demand({"smartphone": 1}).compare(basis="contained"),
        UnknownItemError,
        "cannot be compared",
    ),
    (
        "balance of a missing year",
        lambda: mc.demand({"smartphone": {2024: 1}}).balance(1999),
        VolumeError,
        "year 1999",
    ),
    (
        "oxide of iron",
        lambda: mc.demand({"bev": 1}).total("Fe (REO)"),
        UnknownItemError,
        "no oxide is defined for Fe",
    ),
    (
        "recycled over 100 %",
        lambda: Part("1 kg/kg", yield_=0.8, recycled="110 %"),
        AmountError,
        "recycled",
    ),
    (
        "recycled NaN",
        lambda: Part("1 kg/kg", yield_=0.8, recycled=math.nan),
        AmountError,
        "recycled",
    ),
    (
        "recycled without a loss",
        lambda: Part("1 kg/kg", recycled=0.5),
        AmountError,
        "needs a yield below 1",
    ),
    ("yield NaN names the yield", lambda: Part("1 g", yield_=math.nan), AmountError, "yield: "),
    (
        "yield NaN in an item",
        lambda: Item("x", parts={"Nd": {"amount": "1 g", "dist": "fixed", "low": math.nan}}),
        AmountError,
        "item 'x', part 'Nd'",
    ),
    (
        "volume NaN",
        lambda: mc.demand({"smartphone": math.nan}),
        VolumeError,
        "volume of 'smartphone'",
    ),
    (
        "growth of -150 %",
        lambda: mc.demand({"smartphone": {2024: 1, "growth": "-150 %/yr"}}),
        VolumeError,
        "-100 %/yr or less",
    ),
    (
        "change rate NaN",
        lambda: mc.Change("ndfeb_sintered", "dy_metal", rate=math.nan),
        AmountError,
        "change of 'ndfeb_sintered'",
    ),
    ("estimate out of order", lambda: mc.Estimate(low=3, high=1), AmountError, "out of order"),
    (
        "quantiles without samples",
        lambda: mc.demand({"smartphone": 1}).quantiles("Nd"),
        VolumeError,
        "no samples",
    ),
    ("empty output path", lambda: write_atomic("", "x"), OutputError, "an empty output path"),
]


@pytest.mark.parametrize(
    ("case", "call", "error", "where"), OWN_CASES, ids=[c[0] for c in OWN_CASES]
)
def test_own_bad_inputs(case, call, error, where):
    with pytest.raises(error) as e:
        call()
    assert where in str(e.value), str(e.value)
    assert isinstance(e.value, mc.MineralcalcError)


# (id, file name, text, where in the message): bad tables the issue does not name
OWN_TABLES = [
    (
        "ore share over 100",
        "ore_types.csv",
        "ore_type,element,share,source\nA,La,160,afp-2026\n",
        "ore_types.csv:2: share",
    ),
    (
        "ore element not a rare earth",
        "ore_types.csv",
        "ore_type,element,share,source\nA,Fe,10,afp-2026\n",
        "not a rare-earth element",
    ),
    (
        "secondary amount and share",
        "secondary.csv",
        "commodity,element,year,kind,basis,amount,share,unit,source\nREE,Nd,2024,new scrap,oxide,5,1,t,afp-2026\n",
        "either amount",
    ),
    (
        "secondary negative",
        "secondary.csv",
        "commodity,element,year,kind,basis,amount,unit,source\nREE,Nd,2024,new scrap,oxide,-5,t,afp-2026\n",
        "is negative",
    ),
    (
        "secondary unknown kind",
        "secondary.csv",
        "commodity,element,year,kind,basis,amount,unit,source\nREE,Nd,2024,old scrap,oxide,5,t,afp-2026\n",
        "kind",
    ),
    (
        "too few cells",
        "secondary.csv",
        "commodity,element,year,kind,basis,amount,unit,source\nREE,Nd,2024\n",
        "3 cells but 8 columns",
    ),
]


@pytest.mark.parametrize(
    ("case", "name", "text", "where"), OWN_TABLES, ids=[c[0] for c in OWN_TABLES]
)
def test_own_bad_tables(tmp_path, case, name, text, where):
    from mineralcalc.csvtable import shipped_sources
    from mineralcalc.supply_tables import read_ore_types, read_secondary

    (tmp_path / name).write_text(text)
    reader = read_ore_types if name == "ore_types.csv" else read_secondary
    with pytest.raises(TableError, match=None) as e:
        reader(tmp_path / name, shipped_sources())
    assert where in str(e.value), str(e.value)


# (id, argv, where in the one-line message): bad command lines the issue does not name
OWN_CLI = [
    ("empty output", ["report", "-o", ""], "an empty output path"),
    ("negative samples", ["report", "--samples", "-5"], "samples must be"),
    ("negative seed", ["report", "--samples", "10", "--seed", "-1"], "seed must be"),
    ("unknown item to explain", ["explain", "offshore_wnd"], "did you mean 'offshore_wind'"),
    ("tables folder missing", ["report", "--tables", "/no/such/folder"], "not a folder of tables"),
    ("supply without a typo", ["supply", "REE", "--without", "Chna"], "did you mean 'China'"),
    (
        "memory in the wrong unit",
        ["report", "--samples", "10", "--max-memory", "2 GW"],
        "max_memory",
    ),
]


@pytest.mark.parametrize(("case", "argv", "where"), OWN_CLI, ids=[c[0] for c in OWN_CLI])
def test_own_bad_command_lines(capsys, case, argv, where):
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out
    one_line(err, where)


def test_the_hostile_catalogue_holds_30_own_bad_inputs():
    assert len(OWN_CASES) + len(OWN_TABLES) + len(OWN_CLI) >= 30


# ----------------------------------------------------------------------------- the property
def _inputs(folder: Path) -> dict[str, Path]:
    tables = folder / "tables"
    tables.mkdir(exist_ok=True)
    (tables / "parts.csv").write_text(
        "parent,child,central,unit,source\nsmartphone,nd_in_magnets,0.2,g,afp-2026\n"
    )
    (tables / "sources.csv").write_text("key,citation,quality\nmine,my note,estimate\n")
    scenario = folder / "case.toml"
    scenario.write_text(SCENARIO)
    return {"scenario": scenario, "parts": tables / "parts.csv", "sources": tables / "sources.csv"}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    target=st.sampled_from(
        ["scenario", "parts", "sources", "link-to-scenario", "new", "tables-dir"]
    ),
    fmt=st.sampled_from(["csv", "json", "markdown", "table"]),
)
def test_no_input_changes_whatever_the_output_path(tmp_path_factory, capsys, target, fmt):
    folder = tmp_path_factory.mktemp("run")
    inputs = _inputs(folder)
    if target == "link-to-scenario":
        out = folder / "link.toml"
        out.symlink_to(inputs["scenario"])
    elif target == "new":
        out = folder / "out.txt"
    elif target == "tables-dir":
        out = folder / "tables"
    else:
        out = inputs[target]
    before = {k: _digest(p) for k, p in inputs.items()}
    code, _, err = run(
        capsys, "report", str(inputs["scenario"]), "--tables", str(folder / "tables"),
        "-f", fmt, "-o", str(out),
    )  # fmt: skip
    assert {k: _digest(p) for k, p in inputs.items()} == before
    if target == "new":
        assert code == 0 and out.read_text()
    else:
        assert code == 2 and "Traceback" not in err
