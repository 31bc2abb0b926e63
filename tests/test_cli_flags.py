"""Every option the command line accepts is used or refused (issue 23): options that do not
apply to a command or to the other options given are errors naming both; the output says what
it was computed from; units in headers survive rich's markup."""

from __future__ import annotations

import csv
import io
import json

import pytest

import mineralcalc as mc
from mineralcalc.cli import main
from mineralcalc.cli.flags import MAX_WORKERS


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["report", "--stocks", "--without", "China"], ("--without", "--stocks")),
        (["report", "--stocks", "--sensitivity", "Dy"], ("--sensitivity", "--stocks")),
        (["report", "--stocks", "--year", "2030", "pledges-2040"], ("--year", "--stocks")),
        (["report", "--stocks", "--basis", "gross"], ("--basis", "--stocks")),
        (["report", "--reserves", "--stage", "refining"], ("--stage", "--reserves")),
        (["report", "--reserves", "--year", "2024"], ("--year", "--reserves")),
        (["report", "--reserves", "--samples", "100"], ("--samples", "--reserves")),
        (["report", "--reserves", "--elements", "Nd"], ("--elements", "--reserves")),
        (["report", "--sensitivity", "Dy", "--without", "China"], ("--without", "--sensitivity")),
        (["report", "--sensitivity", "Dy", "--stage", "refining"], ("--stage", "--sensitivity")),
        (["report", "--basis", "contained", "--products-only"], ("--products-only", "contained")),
        (["report", "--basis", "contained", "--recorded-only"], ("--recorded-only", "contained")),
        (["report", "--seed", "3"], ("--seed", "--samples")),
        (["report", "--workers", "2"], ("--workers", "--samples")),
        (["report", "--max-memory", "1 GiB"], ("--max-memory", "--samples")),
    ],
)
def test_an_option_that_changes_nothing_is_refused(capsys, argv, named):
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out
    assert err.count("\n") == 1
    for word in named:
        assert word in err, err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        # validate takes a scenario, which would read 1999: --year is named alone
        (["validate", "--year", "1999"], "validate: --year: not an option"),
        (["products", "--year", "2030"], "products: --year 2030"),
        (["explain", "bev", "--year", "2030"], "explain: --year 2030"),
        (["supply", "REE", "--use", "smartphone_press"], "supply: --use smartphone_press"),
    ],
)
def test_an_option_of_another_command_names_the_command(capsys, argv, named):
    code, _, err = run(capsys, *argv)
    assert code == 2 and named in err and "not an option of this command" in err


def test_workers_are_capped_at_the_cores(capsys):
    code, _, err = run(capsys, "report", "--samples", "10", "--workers", str(MAX_WORKERS + 1))
    assert code == 2 and f"give 1 to {MAX_WORKERS}" in err
    code, _, err = run(capsys, "report", "--samples", "10", "--workers", "0")
    assert code == 2 and "--workers 0" in err


def test_empty_or_absent_elements_are_errors(capsys):
    code, _, err = run(capsys, "report", "--elements", "")
    assert code == 2 and "--elements ''" in err
    code, _, err = run(capsys, "report", "--elements", " , ")
    assert code == 2
    # gallium has supply figures but no demand in the baseline: the report has no row for it
    code, _, err = run(capsys, "report", "--elements", "Ga")
    assert code == 2 and "no row for Ga" in err


def test_two_alternatives_of_one_item_are_refused(capsys):
    cat = mc.Catalog.default()
    item = next(i for i in cat.items if len(cat.alternatives(i)) >= 2)
    a, b = cat.alternatives(item)[:2]
    with pytest.raises(mc.MineralcalcError, match=f"both alternatives of '{item}'"):
        cat.use(a, b)
    code, _, err = run(capsys, "report", "--use", a, "--use", b)
    assert code == 2 and a in err and b in err
    # the same alternative twice is one choice, whatever the order of the flags
    assert cat.use(a, a).intensity(item).equals(cat.use(a).intensity(item))


def test_contained_basis_honours_elements_and_group(capsys):
    code, out, _ = run(capsys, "report", "--basis", "contained", "--elements", "Nd,Dy", "-f",
                       "csv")  # fmt: skip
    assert code == 0
    assert [r["element"] for r in csv.DictReader(io.StringIO(out))] == ["Nd", "Dy"]
    code, out, _ = run(capsys, "report", "--basis", "contained", "--group", "battery", "-f",
                       "csv")  # fmt: skip
    rows = {r["element"] for r in csv.DictReader(io.StringIO(out))}
    assert code == 0 and rows == {"Li", "C", "Mn", "Co", "Ni"}


def test_supply_of_one_rare_earth_or_an_element(capsys):
    code, out, _ = run(capsys, "supply", "Nd", "-f", "json")
    assert code == 0
    data = json.loads(out)
    nd = mc.supply(2024).element_by_country("Nd")
    by = {r["country"]: r["amount_t"] for r in data["rows"]}
    assert by["China"] == pytest.approx(float(nd.loc[nd["country"] == "China", "amount"].iloc[0]))
    assert sum(by.values()) == pytest.approx(float(nd["amount"].sum()))
    code, out, _ = run(capsys, "supply", "C", "-f", "json")  # natural graphite's element
    assert code == 0 and json.loads(out)["commodity"] == "graphite"
    code, _, err = run(capsys, "supply", "Nd", "--stage", "refining")
    assert code == 2 and "supply REE --stage refining" in err
    code, _, err = run(capsys, "supply", "Xx")
    assert code == 2 and "not a commodity or element" in err


def test_units_in_headers_and_titles_survive_markup(capsys, tmp_path):
    target = tmp_path / "report.txt"
    assert main(["report", "-o", str(target)]) == 0
    text = target.read_text()
    assert "Modelled" in text and "[t]" in text and "Demand [t]" in text
    target = tmp_path / "supply.txt"
    assert main(["supply", "Nd", "-o", str(target)]) == 0
    assert "[t Nd2O3]" in target.read_text()
