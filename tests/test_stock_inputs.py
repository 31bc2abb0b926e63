"""Issue 23, the stocks and recycling surfaces: no silent wrong answer and no stray exception.

The stock model's Monte Carlo keeps to the memory budget of ``mc.demand`` (``--max-memory``);
``recycling=`` takes a Recycling or a mapping of stages and refuses anything else; ``samples``
and ``seed`` are checked where they enter; every bound of a rate is a share from 0 to 100 %;
the user's ``lifetimes.csv``, ``recycling.csv`` and ``history.csv`` name products of the
catalog, once each; titles and headers keep their square brackets.
"""

from __future__ import annotations

import io

from rich.console import Console

from mineralcalc.cli import main


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
