"""A catalogue of bad inputs: each raises the right MineralcalcError subclass with its location,
and, for files, the command line exits 2 with one line naming that location.

Grouped by where the input comes from: the Python API, user tables (CSV), scenario files (TOML).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import mineralcalc as mc
from mineralcalc import Catalog, Item, Part
from mineralcalc.cli import main
from mineralcalc.errors import (
    AmountError,
    CycleError,
    DimensionError,
    ItemError,
    ScenarioError,
    TableError,
    UnitError,
    UnknownItemError,
    VolumeError,
)

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
