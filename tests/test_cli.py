"""The command line: every subcommand and format, errors as exit 2 and one line, atomic output."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

import mineralcalc as mc
from mineralcalc import Item, Part
from mineralcalc.cli import main
from mineralcalc.errors import UnknownItemError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def baseline() -> mc.Comparison:
    frame = mc.demand(mc.load_scenario("baseline-2024")).compare()
    return frame[frame["year"] == 2024].set_index("element")


def test_report_csv_parses_back_to_the_library_numbers(capsys, baseline):
    code, out, err = run(capsys, "report", "-f", "csv")
    assert code == 0 and not err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["element"] for r in rows} == set(baseline.index)
    for r in rows:
        lib = baseline.loc[r["element"]]
        assert float(r["demand"]) == pytest.approx(lib["demand"], rel=1e-12)
        assert float(r["demand_low"]) == pytest.approx(lib["demand_low"], rel=1e-12)
        if r["supply"]:
            assert float(r["supply"]) == pytest.approx(lib["supply"], rel=1e-12)
            assert float(r["share"]) == pytest.approx(lib["share"], rel=1e-12)
        else:
            assert "no supply data" in r["note"]


def test_report_json_is_valid_with_sources(capsys, baseline):
    code, out, _ = run(capsys, "report", "baseline-2024", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["scenario"] == "baseline-2024" and doc["unit"] == "t"
    nd = next(r for r in doc["rows"] if r["element"] == "Nd")
    assert nd["demand"] == pytest.approx(baseline.loc["Nd", "demand"])
    assert "idc-2025" in doc["sources"] and doc["sources"]["idc-2025"]["quality"] == "industry"
    fe = next(r for r in doc["rows"] if r["element"] == "Fe")
    assert fe["supply"] is None  # NaN becomes null, not an invalid token


def test_report_markdown_and_table(capsys):
    code, out, _ = run(capsys, "report", "-f", "markdown")
    assert code == 0 and out.startswith("| element | year |") and "\nSources:\n" in out
    assert "| ---: |" in out
    code, out, _ = run(capsys, "report")
    assert code == 0 and "Supply" in out and "Nd" in out and "Sources (" in out
    assert "meets every rare earth" in out and "The tightest is" in out  # the balance problem
    assert "of demand; the rest is other uses" in " ".join(out.split())  # coverage, stated
    assert "…" not in out  # at 80 columns every number and header stays whole
    from rich.console import Console

    from mineralcalc.present.tables import compare_table

    frame = mc.demand(mc.load_scenario("baseline-2024")).compare()
    for width in (80, 120, 160, 220):
        console = Console(record=True, width=width, file=io.StringIO())
        console.print(compare_table(frame))
        text = console.export_text()
        assert "…" not in text.split("Note")[0], width  # only the note column may fold
        assert "Balance" in text and ("Other uses" in text or "modelled + other" in text)


def test_report_years_and_without(capsys):
    code, out, _ = run(capsys, "report", "buildout-2030", "--year", "2027", "-f", "json")
    assert code == 0 and {r["year"] for r in json.loads(out)["rows"]} == {2027}
    code, out, _ = run(capsys, "report", "--without", "China", "-f", "json")
    ree = next(r for r in json.loads(out)["rows"] if r["element"] == "REE (REO)")
    assert ree["recorded"] == pytest.approx(120_000)  # 390,000 t less China's 270,000 t
    # unrecorded: Laos's 6,000 t stay, China's 5,000 t out of quota go with China
    assert ree["unrecorded"] == pytest.approx(6_000)
    assert ree["primary"] == pytest.approx(126_000)
    code, out, _ = run(capsys, "report", "--recorded-only", "-f", "json")
    ree = next(r for r in json.loads(out)["rows"] if r["element"] == "REE (REO)")
    assert ree["unrecorded"] == 0 and ree["primary"] == pytest.approx(390_000)
    code, out, _ = run(capsys, "report", "--recorded-only")
    assert "recorded output only" in " ".join(out.split())
    # the unrecorded rare-earth line is said only where rare earths are shown
    code, out, _ = run(capsys, "report")
    assert "Unrecorded rare-earth output" in " ".join(out.split())
    code, out, _ = run(capsys, "report", "--elements", "Li,Co")
    assert code == 0 and "Unrecorded rare-earth" not in " ".join(out.split())


def test_products_explain_supply(capsys):
    code, out, _ = run(capsys, "products", "-f", "csv")
    ids = {r["product"] for r in csv.DictReader(io.StringIO(out))}
    assert code == 0 and ids == set(mc.Catalog.default().products)
    # explain: how much is in the item (contained) by default, what has to be mined on request
    code, out, _ = run(capsys, "explain", "offshore_wind", "-f", "csv")
    rows = {r["element"]: r for r in csv.DictReader(io.StringIO(out))}
    expected = mc.Catalog.default().intensity("offshore_wind", basis="contained")
    assert float(rows["Nd"]["central [kg/MW]"]) == pytest.approx(expected.loc["Nd", "central"])
    code, out, _ = run(capsys, "explain", "offshore_wind", "--basis", "mined", "-f", "csv")
    mined = {r["element"]: r for r in csv.DictReader(io.StringIO(out))}
    assert float(mined["Nd"]["central [kg/MW]"]) == pytest.approx(
        mc.Catalog.default().intensity("offshore_wind").loc["Nd", "central"]
    )
    code, out, _ = run(capsys, "explain", "offshore_wind")
    assert code == 0 and "wind_dd_pmsg" in out and "kg/MW" in out and "yield" in out
    code, out, _ = run(capsys, "supply", "REE", "-f", "json")
    doc = json.loads(out)
    assert doc["hhi"] == pytest.approx(mc.supply(2024).hhi("REE"))
    assert doc["rows"][0]["country"] == "China"
    code, out, _ = run(capsys, "supply", "-f", "markdown")
    assert code == 0 and "| REE |" in out
    code, out, _ = run(capsys, "supply", "REE", "--stage", "refining", "--year", "2023")
    assert code == 0 and "92.0%" in out


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["report", "baseline-2042"], "did you mean 'baseline-2024'"),
        (["report", "--year", "2031"], "--year 2031"),
        (["explain", "offshore_wnd"], "did you mean 'offshore_wind'"),
        (["supply", "REEs"], "did you mean 'REE'"),
        (["supply", "--year", "1999"], "no supply figures for 1999"),
        (["report", "--use", "smartphone"], "not an alternative"),
        (["report", "--plot", "chart.gif"], "use a .png, .svg or .pdf"),
        (["report", "-o", "/nonexistent/dir/out.csv", "-f", "csv"], "/nonexistent/dir"),
        (["report", "--tables", "/nonexistent/tables"], "not a folder of tables"),
    ],
)
def test_bad_input_is_exit_2_and_one_line(capsys, argv, match):
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out
    assert err.count("\n") == 1 and err.startswith("mineralcalc: error: ")
    assert match in err and "Traceback" not in err


def test_bad_scenario_file_names_file_and_key(capsys, tmp_path):
    path = tmp_path / "case.toml"
    path.write_text("[volumes]\nsmartphonee = '1 billion'\n")
    code, _, err = run(capsys, "report", str(path))
    assert code == 2 and "case.toml: volumes: unknown product 'smartphonee'" in err


def test_output_is_atomic_and_kept_on_failure(capsys, tmp_path):
    target = tmp_path / "report.csv"
    code, out, _ = run(capsys, "report", "-f", "csv", "-o", str(target))
    assert code == 0 and not out
    written = target.read_text()
    assert written.startswith("element,year,basis")
    code, _, _ = run(capsys, "report", "no-such-scenario", "-f", "csv", "-o", str(target))
    assert code == 2
    assert target.read_text() == written  # untouched
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    code, _, _ = run(capsys, "report", "-o", str(tmp_path / "table.txt"))
    text = (tmp_path / "table.txt").read_text()
    assert code == 0 and "Other uses" in text and "Recycled" in text and "Balance" in text
    assert "Unrecorded" in text


def test_plot_writes_png_and_svg(capsys, tmp_path):
    code, _, _ = run(capsys, "report", "--plot", str(tmp_path / "c.png"), "-f", "csv")
    assert code == 0 and (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, _ = run(
        capsys, "report", "buildout-2030", "--plot", str(tmp_path / "c.svg"), "-f", "csv"
    )
    assert code == 0 and b"<svg" in (tmp_path / "c.svg").read_bytes()[:400]


def test_installed_command_from_another_folder(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "mineralcalc", "report", "-f", "json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["scenario"] == "baseline-2024"
    bad = subprocess.run(
        [sys.executable, "-m", "mineralcalc", "explain", "nothing"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.startswith("mineralcalc: error: ")
    assert len(bad.stderr.strip().splitlines()) == 1


def test_help_is_light():
    code = (
        "import sys\n"
        "from mineralcalc.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules, 'pint' in sys.modules, file=sys.stderr)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "report" in res.stdout and "explain" in res.stdout
    assert res.stderr.split() == ["False", "False"]


def test_csv_export_neutralises_formulas():
    from mineralcalc.present.export import to_csv

    text = to_csv(["a", "b"], [["=HYPERLINK(1)", 3.5], ["-cmd", "+1"], ["@x", "ok"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["'=HYPERLINK(1)", "3.5"]
    assert rows[2] == ["'-cmd", "'+1"]
    assert rows[3] == ["'@x", "ok"]


def test_rich_and_html_renderings():
    from rich.console import Console

    d = mc.demand(mc.load_scenario("baseline-2024"))
    console = Console(record=True, width=120, file=io.StringIO())
    console.print(d)
    console.print(d.compare())
    console.print(mc.Catalog.default())
    text = console.export_text()
    assert "Element demand in 2024" in text and "Supply" in text and "Products" in text
    assert "<table" in d._repr_html_() and "<table" in d.compare()._repr_html_()
    assert "<table" in mc.Catalog.default()._repr_html_()


def test_report_bases_and_products_only(capsys):
    code, out, _ = run(capsys, "report", "-f", "json")
    rows = {r["element"]: r for r in json.loads(out)["rows"]}
    assert code == 0 and json.loads(out)["basis"] == "mined"
    assert rows["Nd"]["demand"] == pytest.approx(rows["Nd"]["modelled"] + rows["Nd"]["other_uses"])
    code, out, _ = run(capsys, "report", "--basis", "gross", "-f", "json")
    gross = {r["element"]: r for r in json.loads(out)["rows"]}
    assert gross["Nd"]["demand_basis"] == "gross"
    assert gross["Nd"]["secondary"] > rows["Nd"]["secondary"]  # recycled swarf counts as supply
    code, out, _ = run(capsys, "report", "--products-only", "-f", "json")
    alone = {r["element"]: r for r in json.loads(out)["rows"]}
    assert alone["Nd"]["other_uses"] == 0 and alone["Nd"]["demand"] == alone["Nd"]["modelled"]
    # contained: what the products hold, without a supply comparison
    code, out, _ = run(capsys, "report", "--basis", "contained", "-f", "json")
    held = {r["element"]: r for r in json.loads(out)["rows"]}
    assert code == 0 and json.loads(out)["basis"] == "contained" and "supply" not in held["Nd"]
    d = mc.demand(mc.load_scenario("baseline-2024"))
    assert held["Nd"]["central"] == pytest.approx(d.total("Nd", basis="contained").magnitude)
    with pytest.raises(SystemExit) as exit_:  # argparse: usage error, exit code 2
        main(["report", "--basis", "netto"])
    assert exit_.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_validate_command(capsys):
    code, out, _ = run(capsys, "validate")
    assert code == 0 and "against published figures" in out and "within tolerance" in out
    code, out, _ = run(capsys, "validate", "-f", "json")
    doc = json.loads(out)
    assert code == 0 and len(doc["rows"]) >= 8
    # a row another scenario counts says so after its status ("ok (counted when ...)")
    assert all(
        r["status"] in ("ok", "ok (counted when pledges-2040 is validated)")
        or r["status"].startswith("outside: ")
        for r in doc["rows"]
    )
    assert "iea-gcmo-2025-data" in doc["sources"]


# ============================================================================= issue 16
def one_line(err: str, where: str) -> None:
    assert err.count("\n") == 1 and err.startswith("mineralcalc: error: "), err
    assert "Traceback" not in err and where in err, err


SCENARIO = "[volumes]\nsmartphone = '1.24 billion'\n"


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
    assert "0.0%" not in tb and "7.58e-05" in tb and "1.8e-05%" in tb  # 76 g of 418 t, kept


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


def test_report_groups_families_and_narrows(capsys):
    code, out, _ = run(capsys, "report", "-f", "csv", "--group", "battery")
    rows = list(csv.DictReader(io.StringIO(out.split("\n\n")[0])))
    assert code == 0 and rows and {r["family"] for r in rows} == {"battery minerals"}
    code, out, _ = run(capsys, "report", "-f", "csv", "--elements", "Nd, magnet REE")
    names = {r["element"] for r in csv.DictReader(io.StringIO(out.split("\n\n")[0]))}
    assert names == {"Nd", "Pr", "Dy", "Tb", "magnet REE (REO)"}
    code, _, err = run(capsys, "report", "--group", "batery")
    assert code == 2 and "did you mean 'battery'" in err
    code, _, err = run(capsys, "report", "--elements", "Xx")
    assert code == 2 and "--elements 'Xx'" in err


def test_report_at_the_refining_stage_says_so(capsys):
    code, out, _ = run(capsys, "report", "--stage", "refining", "--without", "China",
                       "--group", "magnet REE")  # fmt: skip
    assert code == 0 and "refined output" in out and "without the refining of China" in out


def test_supply_lists_every_stage_with_its_hhi(capsys):
    code, out, _ = run(capsys, "supply", "REE", "-f", "json", "--without", "Myanmar")
    doc = json.loads(out)
    assert code == 0 and doc["stages"] == ["mining", "refining", "magnet"]
    assert set(doc["hhi_by_stage"]) == {"mining", "refining", "magnet"}
    assert doc["without"] == ["Burma (Myanmar)"]
    refining = {r["country"]: r["share"] for r in doc["rows"] if r["stage"] == "refining"}
    # the IEA data explorer, 2024: 73.76, 3.63, 0.96 and 2.46 of 80.81 kt
    assert refining == pytest.approx(
        {"China": 0.913, "Malaysia": 0.045, "United States": 0.012, "Other": 0.03}
    )
    mined = [r for r in doc["rows"] if r["stage"] == "mining"]
    assert "Burma (Myanmar)" not in {r["country"] for r in mined}
    # shares are of USGS's rounded world total (390,000 t) less Myanmar's 31,000 t
    total = sum(r["amount_t"] for r in mined)
    assert sum(r["share"] for r in mined) == pytest.approx(total / (390_000 - 31_000))


def test_report_without_says_which_stage_binds(capsys):
    code, out, _ = run(capsys, "report", "--without", "China")
    text = " ".join(out.split())
    # REE: magnets 100 - 94 = 6 % left (IEA), mining (390 - 270) / 390 = 31 %, separation
    # 100 - 91.3 = 9 %, but Dy's and Tb's separation was all China's (0 % left, which binds
    # them); lithium: refining (241.6 - 169.7) / 241.6 = 30 %, mining (240 - 41) / 240
    assert (
        code == 0
        and (
            "the stage that binds: REE magnet (6% left; mining 31%, refining 9%; "
            "Tb and Dy: refining 0% left, which binds them)"
        )
        in text
    )
    assert "Li refining (30% left; mining 83%)" in text


def test_explain_refuses_a_depth_it_would_ignore(capsys):
    # found writing the guide: --depth 0 drew the whole first level, as --depth 1 does
    code, out, err = run(capsys, "explain", "bev", "--depth", "0")
    assert code == 2 and not out
    one_line(err, "--depth 0: give the levels to show, 1 or more")
    code, one, _ = run(capsys, "explain", "bev", "--depth", "1")
    code2, two, _ = run(capsys, "explain", "bev", "--depth", "2")
    assert code == code2 == 0 and one.count("\n") < two.count("\n")


@pytest.mark.parametrize("command", ["report", "security"])
def test_help_lists_the_shipped_scenarios(capsys, monkeypatch, command):
    # found writing the scenarios guide: nothing on the command line listed them but the
    # error for an unknown name
    from mineralcalc.data.scenario_file import shipped_scenarios

    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    names = list(shipped_scenarios())
    assert {"baseline-2024", "buildout-2030", "pledges-2040"} <= set(names)
    assert f"a shipped name: {', '.join(names)} (default: baseline-2024)" in text
