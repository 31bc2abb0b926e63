"""The plot shows what the table shows (issue 23).

Each chart is checked on its matplotlib Figure, against the table of the same run: the CSV the
report writes next to the figure. The bars of one year are demand as a share of supply, so a
bar's top times the row's supply over 100 must give the table's demand (or its modelled demand
for ``--products-only``), and its modelled segments the table's modelled demand.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

import mineralcalc as mc
from mineralcalc.cli import main, report_kinds
from mineralcalc.cli import report as report_module
from mineralcalc.present.figure import OTHER_USES

BarContainer = pytest.importorskip("matplotlib.container").BarContainer

MAGNET = {"Nd", "Pr", "Dy", "Tb"}


@pytest.fixture
def drawn(monkeypatch):
    """The figures the report saves, kept for inspection (and still written)."""
    figures: list = []
    for module in (report_module, report_kinds):
        original = module.save_figure

        def keep(fig, path, inputs, _original=original):
            figures.append(fig)
            _original(fig, path, inputs)

        monkeypatch.setattr(module, "save_figure", keep)
    return figures


def report(capsys, drawn, tmp_path, *argv: str):
    """Run ``report ARGV --plot tmp -f csv``: the table's rows by element, and the figure."""
    png = tmp_path / "chart.png"
    assert main(["report", *argv, "--plot", str(png), "-f", "csv"]) == 0
    rows = {r["element"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(drawn) == 1
    return rows, drawn[0]


def labels(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.get_xticklabels() if t.get_text()]


def bars(ax) -> dict[str, dict[str, float]]:
    """Per tick label: the height of each labelled bar segment drawn at it."""
    names = [t.get_text() for t in ax.get_xticklabels()]
    out: dict[str, dict[str, float]] = {n: {} for n in names}
    for c in ax.containers:
        if isinstance(c, BarContainer):
            for patch in c.patches:
                x = round(patch.get_x() + patch.get_width() / 2)
                out[names[x]][c.get_label()] = patch.get_height()
    return out


def title(fig) -> str:
    return fig.get_suptitle()


def test_elements_asked_for_are_exactly_the_elements_drawn(capsys, drawn, tmp_path):
    rows, fig = report(capsys, drawn, tmp_path, "--elements", "Nd,Dy")
    assert set(rows) == {"Nd", "Dy"}
    assert sorted(labels(fig)) == ["Dy", "Nd"]


@pytest.mark.parametrize("argv", [(), ("--without", "China")], ids=["default", "without-china"])
def test_default_plot_draws_every_row_of_the_table_at_its_share_of_supply(
    capsys, drawn, tmp_path, argv
):
    rows, fig = report(capsys, drawn, tmp_path, *argv)
    assert sorted(labels(fig)) == sorted(rows)  # the table's rows, no more, no fewer
    assert set(labels(fig)) >= MAGNET  # the rare earths are not crowded out by iron and copper
    checked = set()
    for ax in fig.axes:
        if not ax.get_xticklabels():
            continue
        share = ax.get_ylabel() == "% of world supply"
        for el, segments in bars(ax).items():
            r = rows[el]
            unit = float(r["supply"]) / 100 if share else 1.0
            modelled = sum(h for k, h in segments.items() if k != OTHER_USES) * unit
            assert modelled == pytest.approx(float(r["modelled"]), rel=1e-6, abs=1e-9)
            other = segments.get(OTHER_USES, 0.0) * unit
            assert other == pytest.approx(float(r["other_uses"]), rel=1e-6, abs=1e-9)
            assert sum(segments.values()) * unit == pytest.approx(float(r["demand"]), rel=1e-6)
            if share:
                assert sum(segments.values()) / 100 == pytest.approx(float(r["share"]), rel=1e-6)
            checked.add(el)
    assert checked == set(rows)
    assert "demand: products + other uses" in title(fig) and "net mined basis" in title(fig)
    assert "2024" in title(fig)
    if argv:
        assert "without the mine output of China" in title(fig)


def test_products_only_draws_the_modelled_products_alone(capsys, drawn, tmp_path):
    rows, fig = report(capsys, drawn, tmp_path, "--products-only", "--group", "magnet REE")
    assert set(labels(fig)) == set(rows) == MAGNET | {"magnet REE (REO)"}
    for ax in fig.axes:
        for el, segments in bars(ax).items():
            assert OTHER_USES not in segments
            top = sum(segments.values()) * float(rows[el]["supply"]) / 100
            assert top == pytest.approx(float(rows[el]["modelled"]), rel=1e-6)
    assert "modelled products only" in title(fig)
    assert "products + other uses" not in title(fig)


def test_years_plot_draws_the_rows_asked_for_over_the_years_in_scope(capsys, drawn, tmp_path):
    rows, fig = report(capsys, drawn, tmp_path, "buildout-2030", "--group", "magnet REE")
    panels = {ax.get_title(): ax for ax in fig.axes}
    assert set(panels) == set(rows) == MAGNET | {"magnet REE (REO)"}
    assert "demand: products + other uses" in title(fig) and "2024-2030" in title(fig)
    for el, ax in panels.items():
        lines = {line.get_label(): line for line in ax.get_lines()}
        demand = lines["demand (products + other uses)"]
        assert list(demand.get_xdata()) == list(range(2024, 2031))
        assert demand.get_ydata()[-1] == pytest.approx(float(rows[el]["demand"]), rel=1e-6)
        assert lines["supply"].get_ydata()[-1] == pytest.approx(float(rows[el]["supply"]))


def test_years_plot_of_the_products_alone(capsys, drawn, tmp_path):
    rows, fig = report(
        capsys, drawn, tmp_path, "pledges-2040", "--products-only", "--elements", "Dy,Tb"
    )
    assert {ax.get_title() for ax in fig.axes} == set(rows) == {"Dy", "Tb"}
    assert "modelled products only" in title(fig)
    for ax in fig.axes:
        lines = {line.get_label(): line for line in ax.get_lines()}
        assert "demand (products + other uses)" not in lines
        modelled = lines["modelled products"].get_ydata()[-1]
        assert modelled == pytest.approx(float(rows[ax.get_title()]["modelled"]), rel=1e-6)


def test_contained_plot_draws_the_elements_of_its_table(capsys, drawn, tmp_path):
    rows, fig = report(capsys, drawn, tmp_path, "--basis", "contained", "--elements", "Nd,Dy")
    assert set(rows) == {"Nd", "Dy"} and sorted(labels(fig)) == ["Dy", "Nd"]
    for ax in fig.axes:
        for el, segments in bars(ax).items():
            assert sum(segments.values()) == pytest.approx(float(rows[el]["central"]), rel=1e-6)
    assert "contained" in title(fig)


def test_contained_table_keeps_to_the_elements_asked_for(capsys):
    assert main(["report", "--basis", "contained", "--group", "magnet REE"]) == 0
    out = capsys.readouterr().out.split("Contained:")[0]
    shown = {line.split()[0] for line in out.splitlines() if re.match(r"\s+[A-Z][a-z]?\s+\d", line)}
    assert shown == MAGNET  # not La, Ce, Fe ... which the products also contain


@pytest.fixture(scope="module")
def baseline():
    return mc.demand(mc.load_scenario("baseline-2024"))


def test_demand_plot_takes_elements_and_other_uses(baseline):
    table = baseline.compare(other_uses=False).set_index("element")
    fig = baseline.plot(elements=["Nd", "Dy"], other_uses=False)
    assert sorted(labels(fig)) == ["Dy", "Nd"]
    assert "modelled products only" in title(fig)
    (ax,) = fig.axes
    for el, segments in bars(ax).items():
        top = sum(segments.values()) * table.loc[el, "supply"] / 100
        assert top == pytest.approx(table.loc[el, "modelled"], rel=1e-6)
    # a group stands for its members and its REO row; the default draws every row
    assert set(labels(baseline.plot(elements="magnet REE"))) == MAGNET | {"magnet REE (REO)"}
    assert sorted(labels(baseline.plot())) == sorted(baseline.compare()["element"])


def test_demand_plot_refuses_names_without_a_row(baseline):
    with pytest.raises(mc.UnknownItemError, match="'Sc' has no row"):
        baseline.plot(elements="Sc")
    with pytest.raises(mc.UnknownItemError, match="'Xq' is not an element"):
        baseline.plot(elements=["Nd", "Xq"])
    with pytest.raises(mc.UnknownItemError, match="'pie'"):
        baseline.plot(kind="pie")


@pytest.mark.parametrize(("chosen", "expected"), [(None, "agg"), ("svg", "svg")])
def test_charts_draw_on_agg_unless_a_backend_was_chosen(chosen, expected):
    # Jupyter's kernels choose their inline backend in MPLBACKEND: a chart switching to Agg
    # there was never shown under its cell, nor was any chart of the session after it
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    if chosen is not None:
        env["MPLBACKEND"] = chosen
    script = (
        "import matplotlib\n"
        "from mineralcalc.present.figure import pyplot\n"
        "plt = pyplot()\n"
        "plt.figure()\n"
        "print(matplotlib.get_backend().lower())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == expected
