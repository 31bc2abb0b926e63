"""A catalogue of bad inputs: each raises the right MineralcalcError subclass with its location,
and, for files, the command line exits 2 with one line naming that location.

Grouped by where the input comes from: the Python API, user tables (CSV), scenario files (TOML);
then, from issue 16, by what went wrong before: answers that were silently wrong, escapes (a
traceback or a non-library exception), destructive writes, and bad inputs of our own that the
issue does not name. A property closes: whatever output path a run is given, no input of the
run changes.
"""

from __future__ import annotations

import hashlib
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
    CycleError,
    DimensionError,
    ItemError,
    OutputError,
    ScenarioError,
    TableError,
    UnitError,
    UnknownItemError,
    VolumeError,
)
from mineralcalc.present.export import write_atomic

PHONE = Catalog([Item("phone", parts={"Nd": "0.16 g"}, kind="product")])

# (id, call, error class, text the message must contain)
API_CASES = [
    (
        "wrong dimension",
        lambda: Catalog([Item("x", parts={"Nd": "3 m"})]),
        DimensionError,
        "item 'x', part 'Nd'",
    ),
    ("unknown unit", lambda: Item("x", parts={"Nd": "3 gg"}), UnitError, "did you mean 'g'"),
    (
        "unknown child",
        lambda: Catalog([Item("x", parts={"Ndd": "1 g"})]),
        UnknownItemError,
        "did you mean 'Nd'",
    ),
    (
        "unknown product",
        lambda: mc.demand({"phon": 1}, PHONE),
        UnknownItemError,
        "did you mean 'phone'",
    ),
    (
        "negative amount",
        lambda: Item("x", parts={"Nd": "-1 g"}),
        AmountError,
        "item 'x', part 'Nd'",
    ),
    ("NaN amount", lambda: Item("x", parts={"Nd": math.nan}), AmountError, "item 'x', part 'Nd'"),
    (
        "infinite amount",
        lambda: Item("x", parts={"Nd": math.inf}),
        AmountError,
        "item 'x', part 'Nd'",
    ),
    ("absurd amount", lambda: Item("x", parts={"Nd": "1e20 t"}), AmountError, "absurdly large"),
    (
        "fractions over 100 %",
        lambda: Catalog([Item("a", "kg", {"Nd": "70 %", "Fe": "40 %"})]),
        ItemError,
        "item 'a'",
    ),
    (
        "cycle",
        lambda: Catalog([Item("a", parts={"b": 1}), Item("b", parts={"a": 1})]),
        CycleError,
        "'a' -> 'b' -> 'a'",
    ),
    (
        "duplicate ids",
        lambda: Catalog([Item("a"), Item("a")]),
        ItemError,
        "item 'a' is defined twice",
    ),
    ("element id reused", lambda: Catalog([Item("Nd", "kg")]), ItemError, "item 'Nd'"),
    ("stray whitespace in id", lambda: Item("phone "), ItemError, "'phone '"),
    ("year out of range", lambda: mc.demand({"phone": {1800: 1}}, PHONE), VolumeError, "1800"),
    ("year not a year", lambda: mc.demand({"phone": {"20x4": 1}}, PHONE), VolumeError, "'20x4'"),
    ("volume wrong dimension", lambda: mc.demand({"phone": "8 GW"}, PHONE), VolumeError, "'phone'"),
    ("negative volume", lambda: mc.demand({"phone": -1}, PHONE), VolumeError, "'phone'"),
    ("absurd volume", lambda: mc.demand({"phone": "1e30"}, PHONE), VolumeError, "absurdly large"),
    ("yield above 1", lambda: Part("1 kg", yield_=1.5), AmountError, "yield"),
    ("yield zero", lambda: Part("1 kg", yield_=0), AmountError, "yield"),
    (
        "balance on a count basis",
        lambda: Item("m", "unit", {"Fe": "balance"}),
        ItemError,
        "item 'm'",
    ),
    (
        "two balance parts",
        lambda: Item("m", "kg", {"Fe": "balance", "Co": "balance"}),
        ItemError,
        "item 'm'",
    ),
    (
        "unordered estimate",
        lambda: mc.Estimate(low=3, central=2, high=4),
        AmountError,
        "out of order",
    ),
    (
        "unknown distribution",
        lambda: mc.Estimate(central=1, dist="normal"),
        AmountError,
        "'normal'",
    ),
    (
        "unknown element or group",
        lambda: mc.demand({"phone": 1}, PHONE).total("magnet REEs"),
        UnknownItemError,
        "'magnet REEs'",
    ),
    (
        "non-mass result unit",
        lambda: mc.demand({"phone": 1}, PHONE).total("Nd", unit="kWh"),
        VolumeError,
        "'kWh'",
    ),
    ("unknown kind", lambda: Item("x", kind="gizmo"), ItemError, "'gizmo'"),
    ("bool as amount", lambda: mc.parse_amount(True), AmountError, "True"),
    ("zero samples", lambda: mc.demand({"phone": 1}, PHONE, samples=0), VolumeError, "samples"),
    ("change without rate or values", lambda: mc.Change("phone", "Nd"), AmountError, "'phone'"),
    (
        "stockpile not a mass",
        lambda: mc.demand({"phone": 1}, PHONE).stockpile_days("5 GW Nd"),
        VolumeError,
        "5 GW",
    ),
    (
        "intensity in a wrong unit",
        lambda: PHONE.intensity("phone", unit="kg/MW"),
        DimensionError,
        "'phone'",
    ),
    ("unreadable amount", lambda: mc.parse_amount("up to 1 t"), AmountError, "'up to 1 t'"),
    ("supply year without data", lambda: mc.supply(1950), VolumeError, "1950"),
]


@pytest.mark.parametrize(
    ("case", "call", "error", "where"), API_CASES, ids=[c[0] for c in API_CASES]
)
def test_api(case, call, error, where):
    with pytest.raises(error) as e:
        call()
    assert where in str(e.value), str(e.value)
    assert isinstance(e.value, mc.MineralcalcError)


ITEMS = "id,basis,kind\ngadget,unit,product\n"
PARTS = "parent,child,central,unit,source\n"
GOOD_PARTS = PARTS + "gadget,Nd,3,g,afp-2026\n"

# (id, files, error class, location in the message)
TABLE_CASES = [
    (
        "missing column",
        {"parts.csv": "parent,child,central,source\ngadget,Nd,3,afp-2026\n"},
        TableError,
        "parts.csv:1: unit",
    ),
    (
        "unknown unit",
        {"parts.csv": PARTS + "gadget,Nd,3,gram5,afp-2026\n"},
        TableError,
        "parts.csv:2: unit",
    ),
    (
        "unknown item",
        {"parts.csv": PARTS + "gadget,Ndd,3,g,afp-2026\n"},
        UnknownItemError,
        "parts.csv:2",
    ),
    (
        "unknown source",
        {"parts.csv": PARTS + "gadget,Nd,3,g,afp2026\n"},
        TableError,
        "parts.csv:2: source",
    ),
    (
        "duplicate row",
        {"parts.csv": GOOD_PARTS + "gadget,Nd,4,g,afp-2026\n"},
        TableError,
        "parts.csv:3: child",
    ),
    ("duplicate id", {"items.csv": ITEMS + "gadget,unit,product\n"}, TableError, "items.csv:3: id"),
    ("empty file", {"parts.csv": ""}, TableError, "parts.csv:1"),
    ("header only", {"parts.csv": PARTS}, TableError, "parts.csv:2"),
    (
        "not UTF-8",
        {"items.csv": "id,basis,name\ngadget,unit,caf\xe9\n".encode("latin-1")},
        TableError,
        "items.csv:2",
    ),
    (
        "stray whitespace",
        {"parts.csv": PARTS + "gadget ,Nd,3,g,afp-2026\n"},
        TableError,
        "parts.csv:2: parent",
    ),
    (
        "non-numeric cell",
        {"parts.csv": PARTS + "gadget,Nd,lots,g,afp-2026\n"},
        TableError,
        "parts.csv:2: central",
    ),
    (
        "thousands separator",
        {"parts.csv": 'parent,child,central,unit,source\ngadget,Nd,"1,000",g,afp-2026\n'},
        TableError,
        "parts.csv:2: central",
    ),
    (
        "unquoted comma",
        {"parts.csv": GOOD_PARTS + "gadget,Pr,3,g,afp-2026,oops\n"},
        TableError,
        "parts.csv:3",
    ),
    (
        "unknown column",
        {"items.csv": "id,basis,knd\ngadget,unit,product\n"},
        TableError,
        "items.csv:1: knd",
    ),
    (
        "wrong dimension",
        {"parts.csv": PARTS + "gadget,Nd,3,m,afp-2026\n"},
        DimensionError,
        "parts.csv:2",
    ),
    (
        "negative number",
        {"parts.csv": PARTS + "gadget,Nd,-3,g,afp-2026\n"},
        TableError,
        "parts.csv:2",
    ),
    (
        "NaN cell",
        {"parts.csv": PARTS + "gadget,Nd,nan,g,afp-2026\n"},
        TableError,
        "parts.csv:2: central",
    ),
    (
        "fractions over 100 %",
        {
            "items.csv": "id,basis\nalloy,kg\n",
            "parts.csv": PARTS + "alloy,Nd,60,%,afp-2026\nalloy,Fe,50,%,afp-2026\n",
        },
        ItemError,
        "items.csv:2",
    ),
    (
        "yield outside (0, 1]",
        {"parts.csv": "parent,child,central,unit,yield,source\ngadget,Nd,3,g,1.2,afp-2026\n"},
        TableError,
        "parts.csv:2: yield",
    ),
    (
        "bad quality",
        {"sources.csv": "key,citation,quality\nx,Someone,hearsay\n"},
        TableError,
        "sources.csv:2: quality",
    ),
    (
        "cycle",
        {
            "items.csv": "id,basis\na,unit\nb,unit\n",
            "parts.csv": PARTS + "a,b,1,unit,afp-2026\nb,a,1,unit,afp-2026\n",
        },
        CycleError,
        "'a'",
    ),
]


def _tables(folder: Path, files: dict[str, str | bytes]) -> Path:
    data: dict[str, str | bytes] = {"items.csv": ITEMS, "parts.csv": GOOD_PARTS, **files}
    for name, text in data.items():
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def _cli_one_line(capsys, argv, where):
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2 and not out, (out, err)
    assert (
        err.count("\n") == 1 and err.startswith("mineralcalc: error: ") and "Traceback" not in err
    )
    assert where in err, err


@pytest.mark.parametrize(
    ("case", "files", "error", "where"), TABLE_CASES, ids=[c[0] for c in TABLE_CASES]
)
def test_tables(tmp_path, capsys, case, files, error, where):
    folder = _tables(tmp_path, files)
    with pytest.raises(error) as e:
        Catalog.from_tables(folder)
    assert where in str(e.value), str(e.value)
    _cli_one_line(capsys, ["products", "--tables", str(folder)], where)


def test_byte_order_mark_and_stray_blank_lines_just_work(tmp_path):
    folder = _tables(tmp_path, {"parts.csv": "\ufeff" + GOOD_PARTS + "\n\n"})
    assert Catalog.from_tables(folder).intensity("gadget", "Nd").values("g/unit")[1] == 3


# (id, TOML text, error class, location in the message)
SCENARIO_CASES = [
    ("malformed TOML", "[volumes\nsmartphone = 1", ScenarioError, "case.toml: malformed TOML"),
    ("unknown key", "[volume]\nsmartphone = 1", ScenarioError, "case.toml: volume"),
    ("no volumes", "name = 'x'", ScenarioError, "case.toml: volumes"),
    ("unknown product", "[volumes]\nsmartphones = 1", UnknownItemError, "case.toml: volumes"),
    (
        "wrong dimension",
        "[volumes]\nsmartphone = '3 kWh'",
        VolumeError,
        "case.toml: volume of 'smartphone'",
    ),
    ("year out of range", "[volumes.smartphone]\n3024 = 1", VolumeError, "3024"),
    (
        "unknown source",
        "[volumes]\nsmartphone = { amount = 1, source = 'idc' }",
        ScenarioError,
        "case.toml: volumes.smartphone.source",
    ),
    ("growth not a rate", "[volumes.smartphone]\n2024 = 1\ngrowth = '5 kg'", VolumeError, "growth"),
    (
        "years backwards",
        "years = '2030..2024'\n[volumes]\nsmartphone = 1",
        ScenarioError,
        "case.toml: years",
    ),
    (
        "change of a missing part",
        "[volumes]\nsmartphone = 1\n[[changes]]\nitem = 'smartphone'\npart = 'Dy'\nrate = '1 %/yr'",
        UnknownItemError,
        "case.toml",
    ),
    (
        "bad item in scenario",
        "[volumes]\ng = 1\n[items.g]\nparts = { Nd = '-1 g' }",
        AmountError,
        "case.toml: items.g.parts.Nd",
    ),
    ("absurd magnitude", "[volumes]\nsmartphone = '1e30'", VolumeError, "absurdly large"),
    ("not UTF-8", b"name = 'caf\xe9'\n[volumes]\nsmartphone = 1\n", ScenarioError, "case.toml"),
    (
        "a value of the wrong type",
        "[volumes]\nsmartphone = true",
        ScenarioError,
        "case.toml: volumes.smartphone",
    ),
]


@pytest.mark.parametrize(
    ("case", "text", "error", "where"), SCENARIO_CASES, ids=[c[0] for c in SCENARIO_CASES]
)
def test_scenarios(tmp_path, capsys, case, text, error, where):
    path = tmp_path / "case.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as e:
        mc.load_scenario(path)
    assert where in str(e.value), str(e.value)
    _cli_one_line(capsys, ["report", str(path)], where)


def test_the_catalogue_holds_at_least_40_distinct_bad_inputs():
    names = [c[0] for c in API_CASES] + [c[0] for c in TABLE_CASES] + [c[0] for c in SCENARIO_CASES]
    assert len(names) >= 40
    assert len(API_CASES) + len(TABLE_CASES) + len(SCENARIO_CASES) == len(names)


def test_data_files_are_never_code():
    # scenario and table files are read with tomllib and csv only: no eval, exec, pickle or yaml
    src = Path(mc.__file__).parent
    for py in src.glob("*.py"):
        text = py.read_text()
        for banned in ("eval(", "exec(", "pickle", "yaml.load", "__import__("):
            assert banned not in text, f"{py.name} uses {banned}"


# ============================================================================= issue 16
def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str, where: str) -> None:
    assert err.count("\n") == 1 and err.startswith("mineralcalc: error: "), err
    assert "Traceback" not in err and where in err, err


SCENARIO = "[volumes]\nsmartphone = '1.24 billion'\n"


# ----------------------------------------------------------------------------- silent answers
@pytest.mark.parametrize("name", ["Atlantis", "Chna", "", "   ", "Switzerland"])
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
    # 10 million samples no longer need their totals held (streamed summaries), so only a
    # budget below what the run needs at all is refused, before anything is drawn
    scenario = mc.load_scenario("buildout-2030")
    with pytest.raises(
        VolumeError,
        match=r"would take about [\d.]+ GiB of memory \(summaries.*over the budget of 0\.2 GiB",
    ):
        mc.demand(scenario, samples=10_000_000, seed=1, max_memory="200 MiB")
    with pytest.raises(VolumeError, match=r"draws kept.*over the budget of 0\.3 GiB"):
        mc.demand(scenario, samples=100_000, seed=1, max_memory="300 MiB")
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
    (
        "commodity not a name",
        lambda: mc.supply(2024).by_country(None),
        UnknownItemError,
        "a commodity is a name",
    ),
    (
        "unknown group",
        lambda: mc.demand({"smartphone": 1}).compare(groups=["REEs"]),
        UnknownItemError,
        "did you mean 'REE'",
    ),
    (
        "supply not a Supply",
        lambda: mc.demand({"smartphone": 1}).balance(supply=5),
        UnknownItemError,
        "supply must be a Supply",
    ),
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
    from mineralcalc.data.csvtable import shipped_sources
    from mineralcalc.data.supply_tables import read_ore_types, read_secondary

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
