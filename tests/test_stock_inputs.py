"""Issue 23, the stocks and recycling surfaces: no silent wrong answer and no stray exception.

The stock model's Monte Carlo keeps to the memory budget of ``mc.demand`` (``--max-memory``);
``recycling=`` takes a Recycling or a mapping of stages and refuses anything else; ``samples``
and ``seed`` are checked where they enter; every bound of a rate is a share from 0 to 100 %;
the user's ``lifetimes.csv``, ``recycling.csv`` and ``history.csv`` name products of the
catalog, once each; titles and headers keep their square brackets.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

import mineralcalc as mc
from mineralcalc.cli import main
from mineralcalc.data.stock_tables import read_stock_tables, shipped_stock_tables
from mineralcalc.errors import TableError

RECYCLING_HEAD = "product,element,stage,value,low,high,source,note\n"


def _stock_folder(tmp_path: Path, **files: str) -> Path:
    """A folder with the shipped stock tables, and ``files`` (name without .csv) instead."""
    shipped = Path(mc.__file__).resolve().parents[2] / "tables"
    for name in ("lifetimes", "recycling", "history"):
        text = files.get(name, (shipped / f"{name}.csv").read_text(encoding="utf-8"))
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("row", "where"),
    [
        (
            "*,*,collection,50,10,150,gem-2024,",
            "recycling.csv:2: high: the collection rate's high 150 is not a percentage from 0 to 100",
        ),
        ("*,*,recovery,-1,,,gem-2024,", "recycling.csv:2: value: the recovery rate's value -1"),
        ("*,*,liberation,50,-5,60,gem-2024,", "recycling.csv:2: low: the liberation rate's low -5"),
        (
            "*,*,collection,50,60,70,gem-2024,",
            "recycling.csv:2: low: low 60 <= value 50 <= high 70 does not hold for the collection",
        ),
        (
            "*,*,collection,,10,20,gem-2024,",
            "recycling.csv:2: value: empty: give the collection rate",
        ),
        ("*,*,collection,nan,,,gem-2024,", "recycling.csv:2: value: 'nan' is not a finite number"),
        ("*,*,collection,50 %,,,gem-2024,", "recycling.csv:2: value: '50 %' is not a number"),
    ],
)
def test_recycling_csv_bounds_are_named(tmp_path, row, where):
    folder = _stock_folder(tmp_path, recycling=RECYCLING_HEAD + row + "\n")
    with pytest.raises(TableError) as e:
        read_stock_tables(folder, dict(mc.Catalog.default().source_table))
    assert where in str(e.value), str(e.value)


# ----------------------------------------------------------------------------- 5. rows
def test_a_recycling_row_given_twice_names_both_rows(tmp_path):
    rows = "*,Nd,collection,30,,,gem-2024,\n*,Co,collection,50,,,gem-2024,\n*,Nd,collection,40,,,gem-2024,\n"
    folder = _stock_folder(tmp_path, recycling=RECYCLING_HEAD + rows)
    with pytest.raises(
        TableError,
        match=r"recycling\.csv:4: stage: the collection of Nd in \* "
        r"is given twice \(first at row 2\)",
    ):
        read_stock_tables(folder, dict(mc.Catalog.default().source_table))


def test_a_history_year_given_twice_names_both_rows(tmp_path):
    rows = "product,year,amount,unit,source,note\nbev,2015,1,,gem-2024,\nbev,2016,1,,gem-2024,\nbev,2015,2,,gem-2024,\n"
    folder = _stock_folder(tmp_path, history=rows)
    with pytest.raises(
        TableError,
        match=r"history\.csv:4: year: bev 2015 is given twice "
        r"\(first at row 2\)",
    ):
        read_stock_tables(folder, dict(mc.Catalog.default().source_table))


def test_every_product_of_the_shipped_stock_tables_is_in_the_shipped_catalog():
    cat = mc.Catalog.default()
    tables = shipped_stock_tables()
    assert tables.own == ()
    for name in ("lifetimes", "recycling", "history"):
        frame = getattr(tables, name)
        unknown = {p for p in frame["product"] if p != "*" and p not in cat.products}
        assert not unknown, f"{name}.csv names {sorted(unknown)}"


# ----------------------------------------------------------------------------- 6. brackets
def _text(renderable) -> str:
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


def test_plain_tables_keep_square_brackets():
    from mineralcalc.present.text import PlainTable

    table = PlainTable(title="case [recycling] rates [t]", caption="see [1]")
    table.add_column("In use [t]")
    table.add_row("Burma [Myanmar]")
    out = " ".join(_text(table).split())  # a title wraps at the table's width
    for text in ("case [recycling] rates [t]", "see [1]", "In use [t]", "Burma [Myanmar]"):
        assert text in out, out


def test_report_stocks_keeps_the_scenarios_recycling_in_its_title(tmp_path, capsys):
    scenario = tmp_path / "case.toml"
    scenario.write_text(
        'name = "case [a]"\nyears = "2024..2030"\n[volumes]\nbev = "10 million"\n'
        '[recycling]\ncollection = "50 %"\n'
    )
    assert main(["report", str(scenario), "--stocks", "--elements", "Nd"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the title may wrap
    assert "case [a]: stocks and recycling (the scenario's [recycling] rates)" in out
    for header in ("In use [t]", "End of life [t]", "Recovered [t]"):
        assert header in out


def test_the_market_balance_headers_keep_their_units(capsys):
    assert main(["report", "baseline-2024", "--elements", "Nd"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    # headed 'Demand [t]', 'Supply [t]' and 'Balance' over '[t]'
    assert "Demand [t]" in out and "Supply [t]" in out and out.count("[t]") == 3, out[:600]
