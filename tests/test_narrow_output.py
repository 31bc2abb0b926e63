"""Output that reads at 80 columns (issue 25): no column that says what a row is or how it
fared vanishes, ids are never cut, and a stage given as shares shows no tonnage."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

import mineralcalc as mc
from mineralcalc.cli import main
from mineralcalc.lenses.validation import validate
from mineralcalc.present.validation_view import validation_table


def _render(renderable, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(renderable)
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 140])
def test_validate_keeps_the_figure_and_its_status(width):
    frame = validate()
    text = _render(validation_table(frame, mc.Catalog.default().source_table), width)
    head = next(line for line in text.splitlines() if "Published" in line)
    assert "Figure" in head and "Status" in head
    assert ("Source" in head) == (width >= 120)  # the sources are listed under it anyway
    assert "magnet rare earths" in text and text.count(" ok") >= 30


def test_products_show_every_id_whole_at_80_columns():
    cat = mc.Catalog.default()
    text = _render(cat, 80)
    for pid in cat.products:
        assert any(line.lstrip().startswith(pid + " ") for line in text.splitlines()), pid


def test_a_stage_given_as_shares_shows_no_tonnage(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["supply", "REE"]) == 0
    out = capsys.readouterr().out
    magnet = out[out.index("REE magnet output") :]
    assert "390,000" not in magnet and "shares only" in magnet
    mining = out[out.index("REE mining output") : out.index("REE refining output")]
    assert "390,000" in mining  # mine output is tonnage: USGS's 390,000 t REO


def test_the_notebook_display_writes_every_number_one_way():
    # it mixed 9.986e+04 with 1,540; now every cell is fmt's: thousands separated, no exponent
    # for tonnes
    import re

    d = mc.demand(mc.load_scenario("baseline-2024"))
    cells = re.findall(r"<td>([^<]*)</td>", d._repr_html_())
    assert cells and not any("e+" in c for c in cells)
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", c) for c in cells)
