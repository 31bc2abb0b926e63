"""Issue 23, the stocks and recycling surfaces: no silent wrong answer and no stray exception.

The stock model's Monte Carlo keeps to the memory budget of ``mc.demand`` (``--max-memory``);
``recycling=`` takes a Recycling or a mapping of stages and refuses anything else; ``samples``
and ``seed`` are checked where they enter; every bound of a rate is a share from 0 to 100 %;
the user's ``lifetimes.csv``, ``recycling.csv`` and ``history.csv`` name products of the
catalog, once each; titles and headers keep their square brackets.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import mineralcalc as mc
from mineralcalc.cli import main
from mineralcalc.data.stock_tables import read_stock_tables, shipped_stock_tables
from mineralcalc.engine import draws
from mineralcalc.errors import MineralcalcError, ScenarioError, TableError, VolumeError
from mineralcalc.lenses.stocks import stock_flow
from mineralcalc.model.scenario import load_scenario, parse_scenario

from .strategies import hostile_cells, hostile_counts, hostile_rates

SRC = str(Path(mc.__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def pledges():
    """pledges-2040 over 2024-2040: 12 products with lifetimes, 16 elements, 2008-2040."""
    return mc.demand(load_scenario("pledges-2040"))


def _one_line(capsys, argv, where):
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (code, out, err)
    assert err.count("\n") == 1 and err.startswith("mineralcalc: error: "), err
    assert "Traceback" not in err and where in err, err
    return err


# ----------------------------------------------------------------------------- 1. memory
def test_the_stock_model_is_refused_up_front_over_the_demands_budget(pledges):
    # kept: 5,000 samples x (3 sums + 1 copy) x 16 elements x 54 years x 8 B = 138 MB (the
    # years from 1987, the first of the world's NdFeB output in use_history.csv), the
    # draws 5,000 x 24 x 8 B = 1 MB; chunks of 16 MiB twice and the process (256 MiB): about
    # 0.4 GiB, over a budget of 350 MiB (0.34 GiB) and under one of 1 GiB
    d = mc.demand(load_scenario("pledges-2040"), max_memory="350 MiB")
    with pytest.raises(
        VolumeError,
        match=r"the stock-flow model with samples=5,000 would take about 0\.4 GiB of memory "
        r"\(16 elements x 54 years x 5,000 draws kept.*over the budget of 0\.3 GiB: draw fewer "
        r"samples, or raise max_memory \(--max-memory",
    ):
        d.stock_model(samples=5000, seed=1)
    # the call's own budget overrides the demand's
    model = d.stock_model(samples=5000, seed=1, max_memory="1 GiB")
    assert model.spread["stock"].shape == (3, 16, 54)


def test_cli_max_memory_reaches_the_stock_model(capsys):
    # the demand's own 5,000 samples fit in 350 MiB; the stock model's (above) do not
    err = _one_line(
        capsys,
        ["report", "pledges-2040", "--stocks", "--samples", "5000", "--max-memory", "350 MiB"],
        "the stock-flow model with samples=5,000",
    )
    assert "--max-memory" in err


def test_stock_model_memory_grows_with_samples_not_with_years_squared(pledges):
    # before, one array of samples x products x years x years: 4,000 x 12 x 33 x 33 x 8 B =
    # 418 MB. Now the sums kept, 3 x 4,000 x 16 x 33 x 8 B = 50.7 MB, one copy of them for
    # the quantiles (16.9 MB), the draws (0.8 MB), a chunk of about 16 MiB and the inflow by
    # age (12 x 16 x 33 x 33 x 8 B = 1.7 MB, twice): about 90 MB
    pledges.stock_model()  # the central model's caches first
    tracemalloc.start()
    try:
        pledges.stock_model(samples=4000, seed=3)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 130e6, f"{peak / 1e6:.0f} MB"


def test_the_same_seed_gives_the_same_numbers_whatever_the_budget_and_chunks(pledges, monkeypatch):
    a = pledges.stock_model(samples=300, seed=7, max_memory="1 GiB")
    b = pledges.stock_model(samples=300, seed=7, max_memory="8 GiB")
    for name in ("stock", "outflow", "recovered"):
        np.testing.assert_array_equal(a.spread[name], b.spread[name])
    # another seed draws other numbers
    other = pledges.stock_model(samples=300, seed=8)
    assert not np.allclose(other.spread["stock"], a.spread["stock"])
    monkeypatch.setattr(draws, "CHUNK_BYTES", 1)  # one sample a chunk
    c = pledges.stock_model(samples=300, seed=7)
    monkeypatch.setattr(draws, "CHUNK_BYTES", 2**34)  # every sample at once
    e = pledges.stock_model(samples=300, seed=7, max_memory="64 GiB")  # (estimated: 2 x 16 GiB)
    for name in ("stock", "outflow", "recovered"):
        np.testing.assert_allclose(c.spread[name], a.spread[name], rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(e.spread[name], a.spread[name], rtol=1e-12, atol=1e-9)


def test_sampled_quantiles_bracket_a_hand_computed_fixed_lifetime():
    # one product, fixed lifetime 2.5 yr drawn uniform in 2-3 yr: inflow of 1 unit a year of
    # 0.16 g Nd from 2024; the stock at the end of 2030 holds the cohorts of age < L - 0.5,
    # so 2 (L < 2.5) or 3 (L >= 2.5) cohorts: p5 = 2 x 0.16 g, p95 = 3 x 0.16 g
    cat = mc.Catalog([mc.Item("smartphone", parts={"Nd": "0.16 g"}, kind="product")])
    d = mc.demand({"smartphone": "1 million"}, cat, years=range(2024, 2031))
    model = d.stock_model(samples=400, seed=2, other_uses=False)  # the product alone
    k, t = model.elements.index("Nd"), model.years.index(2030)
    p5, p50, p95 = model.spread["stock"][:, k, t]
    assert p5 == pytest.approx(2 * 0.16e-6 * 1e6)
    assert p95 == pytest.approx(3 * 0.16e-6 * 1e6)
    assert p5 <= p50 <= p95


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is POSIX")
def test_report_stocks_with_20000_samples_runs_in_3_gib_of_address_space(tmp_path):
    resource = pytest.importorskip("resource")
    limit = 3 * 2**30

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "PYTHONPATH": SRC, "COLUMNS": "120"}
    # BLAS threads reserve address space per core: one thread, so the cap measures our arrays
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = tmp_path / "stocks.csv"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mineralcalc",
            "report",
            "pledges-2040",
            "--stocks",
            "--samples",
            "20000",
            "--seed",
            "1",
            "-f",
            "csv",
            "-o",
            str(out),
        ],
        env=env,
        preexec_fn=cap,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    head = out.read_text().splitlines()[0].split(",")
    assert head[:2] == ["element", "year"]
    assert {"stock", "stock_p5", "stock_p95", "recovered", "recovered_p95"} <= set(head)


# ----------------------------------------------------------------------------- 2. recycling=
def test_recycling_as_a_mapping_is_read_as_a_scenario_table(pledges):
    sc = load_scenario("pledges-2040")
    by_dict = mc.demand(sc, recycling={"collection": "50 %"}).stock_model()
    by_of = mc.demand(sc, recycling=mc.Recycling.of(collection="50 %")).stock_model()
    np.testing.assert_array_equal(by_dict.recovered, by_of.recovered)
    # Nd: collection 50 % (set) x liberation 4.8 % x recovery 93 % (recycling.csv, '*')
    k = by_dict.elements.index("Nd")
    assert by_dict.recovered[:, k].sum() == pytest.approx(
        by_dict.outflow[:, k].sum() * 0.5 * 0.048 * 0.93
    )
    # years as numbers, as Python writes them: 2032 is halfway from 10 % to 50 %
    years = pledges.stock_model(recycling={"collection": {2024: "10 %", 2040: "50 %"}})
    t = years.years.index(2032)
    assert years.recovered[:, k, t].sum() == pytest.approx(
        years.outflow[:, k, t].sum() * 0.3 * 0.048 * 0.93
    )


@pytest.mark.parametrize("bad", ["50 %", 0.5, 50, ["collection", "50 %"], True])
def test_recycling_of_another_type_is_named(pledges, bad):
    what = r"argument recycling: expected mc\.Recycling\.of\(collection=\.\.\..*mapping of stages"
    with pytest.raises(ScenarioError, match=what):
        mc.demand(load_scenario("pledges-2040"), recycling=bad)
    with pytest.raises(ScenarioError, match=what):
        pledges.stock_model(recycling=bad)


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        ({"colection": "50 %"}, "recycling.colection: unknown stage (did you mean 'collection'"),
        ({"collection": {"2030x": "50 %"}}, "'2030x' is not a year"),
        ({"collection": "50 kg"}, "recycling.collection: 'kg' cannot be converted"),
        ({1: "50 %"}, "recycling.1: unknown stage"),
        ({"collection": {}}, "recycling.collection: give at least one year"),
    ],
)
def test_a_bad_recycling_mapping_names_the_stage(bad, where):
    with pytest.raises(ScenarioError) as e:
        mc.demand(load_scenario("pledges-2040"), recycling=bad)
    assert where in str(e.value), str(e.value)


# ----------------------------------------------------------------------------- 3. samples, seed
@pytest.mark.parametrize("samples", [0, -5, 2.5, "100", True, 10**8])
def test_stock_samples_are_whole_numbers_from_one(pledges, samples):
    with pytest.raises(VolumeError, match=r"samples"):
        pledges.stock_model(samples=samples)


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_stock_seeds_are_whole_numbers_from_zero(pledges, seed):
    with pytest.raises(VolumeError, match=rf"seed must be a whole number >= 0.*{seed!r}"):
        pledges.stock_model(samples=10, seed=seed)


@pytest.mark.parametrize("budget", ["lots", 0, -1, "0 GiB", "3 m"])
def test_stock_max_memory_is_an_amount_of_memory(pledges, budget):
    with pytest.raises(VolumeError, match="max_memory"):
        pledges.stock_model(samples=10, max_memory=budget)


# ----------------------------------------------------------------------------- 4. bounds
@pytest.mark.parametrize(
    ("rate", "where"),
    [
        ("50 (10 to 150) %", "the high 150 % is not a share from 0 to 100 %"),
        ("50 (-10 to 90) %", "the low -10 % is not a share"),
        ("50 ± 60 %", "the low -10 % is not a share"),
        ("150 %", "the value 150 % is not a share"),
        ("-5 %", "the value -5 % is not a share"),
        (1.5, "the value 150 % is not a share from 0 to 100 % (a plain number is a fraction"),
        ("0.5 to 2", "the central value 125 % is not a share"),
    ],
)
def test_every_bound_of_a_rate_is_a_share(rate, where):
    with pytest.raises(ScenarioError) as e:
        mc.Recycling.of(collection=rate)
    assert f"Recycling: recycling.collection: {rate!r}: {where}" in str(e.value)
    with pytest.raises(ScenarioError) as e:
        parse_scenario(
            {"volumes": {"smartphone": "1 billion"}, "recycling": {"recovery": {"2030": rate}}},
            label="case.toml",
        )
    assert f"case.toml: recycling.recovery.2030: {rate!r}: {where}" in str(e.value)
    with pytest.raises(ScenarioError) as e:
        mc.demand({"smartphone": "1 billion"}, recycling={"liberation": rate})
    assert f"recycling.liberation: {rate!r}: {where}" in str(e.value)


def test_a_range_of_a_scenarios_rate_is_refused_not_silently_its_middle():
    # the Monte Carlo draws recycling.csv's low and high, never a scenario's: a range there
    # would be reduced to its central value without a word
    with pytest.raises(
        MineralcalcError,
        match=r"collection: '50 \(10 to 90\) %': a scenario's rate "
        "is one value a year",
    ):
        mc.Recycling.of(collection="50 (10 to 90) %")
    assert mc.Recycling.of(collection="50 %").at("collection", [2030]).tolist() == [0.5]


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


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "recycling",
            RECYCLING_HEAD + "*,*,collection,50,,,gem-2024,\nsmartfone,*,recovery,90,,,gem-2024,\n",
            "recycling.csv:3: product: 'smartfone' is not in the catalog (did you mean 'smartphone'",
        ),
        (
            "lifetimes",
            "product,distribution,mean,sd,shape,scale,low,high,source,note\n"
            "bevv,fixed,15,,,,,,gem-2024,\n",
            "lifetimes.csv:2: product: 'bevv' is not in the catalog (did you mean 'bev'",
        ),
        (
            "history",
            "product,year,amount,unit,source,note\nphevv,2020,1,,gem-2024,\n",
            "history.csv:2: product: 'phevv' is not in the catalog (did you mean 'phev'",
        ),
    ],
)
def test_a_stock_table_row_for_a_product_the_catalog_lacks_is_named(
    tmp_path, capsys, name, text, where
):
    folder = _stock_folder(tmp_path, **{name: text})
    cat = mc.Catalog.from_tables(folder)
    d = mc.demand(load_scenario("pledges-2040"), cat)
    with pytest.raises(TableError) as e:
        d.stock_model()
    assert where in str(e.value), str(e.value)
    with pytest.raises(TableError):  # the market balance does not fall back without a word
        d.compare()
    _one_line(capsys, ["report", "pledges-2040", "--stocks", "--tables", str(folder)], where)


def test_only_the_users_own_stock_tables_must_match_the_users_catalog(tmp_path):
    # a catalog of one gadget, the user's own lifetimes.csv; the shipped recycling.csv and
    # history.csv name bev, phev, smartphone ... that this catalog does not hold: not an error
    (tmp_path / "items.csv").write_text("id,basis,kind\ngadget,unit,product\n")
    (tmp_path / "parts.csv").write_text(
        "parent,child,central,unit,source\ngadget,Nd,3,g,afp-2026\n"
    )
    (tmp_path / "sources.csv").write_text(
        (Path(mc.__file__).resolve().parents[2] / "tables" / "sources.csv").read_text()
    )
    (tmp_path / "lifetimes.csv").write_text(
        "product,distribution,mean,sd,shape,scale,low,high,source,note\ngadget,fixed,2,,,,,,gem-2024,\n"
    )
    cat = mc.Catalog.from_tables(tmp_path, merge=False)
    assert "bev" not in cat and cat.tables.stock.own == ("lifetimes.csv",)
    model = mc.demand({"gadget": 1000}, cat, years=range(2024, 2028)).stock_model(other_uses=False)
    # 1,000 gadgets a year of 3 g Nd, in use 2 years: 3 kg, 6 kg, then 6 kg in use
    k = model.elements.index("Nd")
    assert model.stock[0, k].tolist() == pytest.approx([0.003, 0.006, 0.006, 0.006])


def test_every_product_of_the_shipped_stock_tables_is_in_the_shipped_catalog():
    cat = mc.Catalog.default()
    tables = shipped_stock_tables()
    assert tables.own == ()
    for name in ("lifetimes", "recycling", "history"):
        frame = getattr(tables, name)
        unknown = {p for p in frame["product"] if p != "*" and p not in cat.products}
        assert not unknown, f"{name}.csv names {sorted(unknown)}"


def test_history_in_another_basis_names_history_csv(tmp_path, capsys):
    rows = (
        "product,year,amount,unit,source,note\nbev,2020,5,GW,gem-2024,\nbev,2021,6,GW,gem-2024,\n"
    )
    folder = _stock_folder(tmp_path, history=rows)
    d = mc.demand(load_scenario("pledges-2040"), mc.Catalog.from_tables(folder))
    with pytest.raises(TableError, match=r"history\.csv:2, 3: bev: "):
        d.stock_model()


def test_history_from_the_first_year_on_is_the_scenarios_and_left_alone(tmp_path):
    # smartphone's only history row is 2026, a scenario year: no inflow before 2024 (this was
    # min() of nothing); bev's 2020 row is its inflow then, 1,000 cars x 2024's contents
    rows = "product,year,amount,unit,source,note\nbev,2020,1000,,gem-2024,\nsmartphone,2026,5,,gem-2024,\n"
    folder = _stock_folder(tmp_path, history=rows)
    d = mc.demand(
        {"smartphone": "1 billion", "bev": "10 million"},
        mc.Catalog.from_tables(folder),
        years=range(2024, 2031),
    )
    model = d.stock_model(other_uses=False)  # the products' history alone
    assert model.years[0] == 2020
    assert model.notes["smartphone"].endswith("no inflow before 2024")
    assert "history 2020-2020 (history.csv)" in model.notes["bev"]
    p, t20, t24 = model.products.index("bev"), model.years.index(2020), model.years.index(2024)
    np.testing.assert_allclose(model.inflow[p, :, t20], model.inflow[p, :, t24] * 1000 / 10e6)
    s = model.products.index("smartphone")
    assert not model.inflow[s, :, :t24].any()


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
    # the headers wrap their unit to a second line, so the table (New scrap beside
    # Recovered) reads at 80 columns: every unit is kept, none eaten as markup
    head = out[: out.index("Nd ")]
    for header in ("In use", "End of life", "Recovered", "New", "scrap"):
        assert header in head
    assert head.count("[t]") == 4


def test_the_market_balance_headers_keep_their_units(capsys):
    assert main(["report", "baseline-2024", "--elements", "Nd"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    # headed 'Demand [t]', 'Supply [t]' and 'Balance' over '[t]'
    assert "Demand [t]" in out and "Supply [t]" in out and out.count("[t]") == 3, out[:600]


# ----------------------------------------------------------------------------- 7. properties
SMALL = {"smartphone": "1.24 billion", "bev": "10.5 million", "onshore_wind": "109 GW"}


@pytest.fixture(scope="module")
def small():
    """Three products with lifetimes and history (bev from 2011, wind from 2008), 2024-2030."""
    return mc.demand(SMALL, years=range(2024, 2031))


def _valid(model) -> None:
    """A stock-flow answer: finite, not negative, recovered within the outflow, and the mass
    balance inflow - outflow = change of stock for every product, element and year."""
    arrays = (model.inflow, model.stock, model.outflow, model.recovered)
    assert all(np.isfinite(a).all() for a in arrays)
    tol = (
        100
        * np.finfo(float).eps
        * max(
            1.0,
            float(np.abs(model.inflow).max(initial=0)),
            float(np.abs(model.stock).max(initial=0)),
        )
    )
    assert (model.stock >= -tol).all() and (model.outflow >= -tol).all()
    assert (model.recovered >= -tol).all() and (model.recovered <= model.outflow + tol).all()
    before = np.concatenate([np.zeros_like(model.stock[..., :1]), model.stock[..., :-1]], -1)
    np.testing.assert_allclose(model.inflow - model.outflow, model.stock - before, atol=tol)
    for q in model.spread.values():
        assert np.isfinite(q).all() and (q[0] <= q[1] + tol).all() and (q[1] <= q[2] + tol).all()


def _answer_or_ours(call):
    """The model, or None for a MineralcalcError; any other exception fails the property."""
    try:
        return call()
    except MineralcalcError as e:
        assert str(e) and "\n" not in str(e), repr(e)
        return None


@settings(max_examples=50, deadline=None)
@given(
    stage=st.sampled_from(["collection", "liberation", "recovery", "colection"]),
    rate=hostile_rates(),
    by_year=st.booleans(),
    how=st.sampled_from(["mapping", "Recycling.of", "scenario"]),
)
def test_any_recycling_rate_gives_an_answer_or_a_library_error(small, stage, rate, by_year, how):
    value = {"2024": rate, "2030": "50 %"} if by_year else rate
    if how == "mapping":
        model = _answer_or_ours(lambda: small.stock_model(recycling={stage: value}))
    elif how == "Recycling.of":
        model = _answer_or_ours(
            lambda: small.stock_model(recycling=mc.Recycling.of(**{stage: value}))
        )
    else:
        data = {"years": "2024..2030", "volumes": SMALL, "recycling": {stage: value}}
        model = _answer_or_ours(lambda: mc.demand(parse_scenario(data)).stock_model())
    if model is not None:
        _valid(model)


@settings(max_examples=50, deadline=None)
@given(
    samples=hostile_counts(),
    seed=hostile_counts(),
    budget=st.sampled_from([None, "1 GiB", 0, "x", 10**4]),
)
def test_any_samples_and_seed_give_an_answer_or_a_library_error(small, samples, seed, budget):
    model = _answer_or_ours(
        lambda: small.stock_model(samples=samples, seed=seed, max_memory=budget)
    )
    if model is not None:
        _valid(model)
        assert (samples is None) == (not model.spread)


SHIPPED_STOCK = {
    n: (Path(mc.__file__).resolve().parents[2] / "tables" / f"{n}.csv").read_text()
    for n in ("lifetimes", "recycling", "history")
}


@settings(max_examples=50, deadline=None)
@given(
    name=st.sampled_from(sorted(SHIPPED_STOCK)),
    edits=st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), hostile_cells()),
        min_size=1,
        max_size=3,
    ),
    route=st.sampled_from(["read_stock_tables", "Catalog.from_tables"]),
)
def test_any_bad_cell_in_a_stock_table_gives_an_answer_or_a_library_error(
    small, name, edits, route
):
    rows = list(csv.reader(io.StringIO(SHIPPED_STOCK[name])))
    for r, c, cell in edits:  # a data row's cell, header kept
        row = rows[1 + r % (len(rows) - 1)]
        row[c % len(row)] = cell
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / f"{name}.csv").write_text(text.getvalue(), encoding="utf-8")
        if route == "read_stock_tables":
            sources = dict(mc.Catalog.default().source_table)
            model = _answer_or_ours(
                lambda: stock_flow(
                    small,
                    tables=read_stock_tables(_with_shipped(Path(folder)), sources),
                    samples=20,
                    seed=1,
                )
            )
        else:
            model = _answer_or_ours(
                lambda: mc.demand(
                    SMALL, mc.Catalog.from_tables(folder), years=range(2024, 2031)
                ).stock_model(samples=20)
            )
    if model is not None:
        _valid(model)


def _with_shipped(folder: Path):
    """The folder's tables where it has them, else the shipped ones (a Locate)."""
    shipped = Path(mc.__file__).resolve().parents[2] / "tables"
    return lambda name: folder / name if (folder / name).exists() else shipped / name
