"""What users hold is the facade (issue 24): every way of getting a catalog or a demand gives
the class with the conveniences, and each convenience gives what its function gives."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from rich.console import Console

import mineralcalc as mc
from mineralcalc.engine.intensity import intensity
from mineralcalc.facade.comparison import Comparison
from mineralcalc.lenses.market import compare
from mineralcalc.model import catalog as model_catalog


@pytest.fixture(scope="module")
def phone_catalog():
    return mc.Catalog([mc.Item("phone", parts={"Nd": "0.16 g"}, kind="product")])


def test_every_way_to_a_catalog_gives_the_facade(tmp_path, phone_catalog):
    assert isinstance(mc.Catalog.default(), mc.Catalog)
    grown = phone_catalog.add(mc.Item("tablet", parts={"Nd": "0.5 g"}, kind="product"))
    assert type(grown) is mc.Catalog
    assert type(mc.Catalog.default().use("smartphone_press")) is mc.Catalog
    phone_catalog.to_tables(tmp_path / "t")
    assert type(mc.Catalog.from_tables(tmp_path / "t")) is mc.Catalog
    assert type(mc.load_scenario("baseline-2024").catalog) is mc.Catalog
    # the model's own catalog is the plain data, shared by the layers below the facade
    assert not hasattr(model_catalog.Catalog.default(), "intensity")


def test_every_way_to_a_demand_gives_the_facade(phone_catalog):
    d = mc.demand({"phone": "1.24 billion"}, phone_catalog)
    assert type(d) is mc.Demand and d.catalog is phone_catalog
    scenario = mc.load_scenario("baseline-2024")
    assert type(mc.demand(scenario)) is mc.Demand
    assert mc.demand is not None and mc.Demand.build.__self__ is mc.Demand


def test_the_methods_give_what_their_functions_give(phone_catalog):
    d = mc.demand({"phone": "1.24 billion"}, phone_catalog, years=None)
    # 0.16 g x 1.24 billion = 198.4 t of Nd, as the docstring says
    assert d.total("Nd").magnitude == pytest.approx(198.4)
    est = phone_catalog.intensity("phone", "Nd", unit="g/unit")
    assert est.values() == intensity(phone_catalog, "phone", "Nd", unit="g/unit").values()
    assert est.values()[1] == pytest.approx(0.16)
    frame = d.compare(groups=())
    plain = compare(d, groups=())
    assert isinstance(frame, Comparison)
    assert frame.equals(plain) and frame.attrs == plain.attrs


def test_a_comparison_renders_itself_and_stays_one_through_pandas(phone_catalog):
    d = mc.demand({"phone": "1.24 billion"}, phone_catalog)
    frame = d.compare(groups=())
    assert isinstance(frame[frame["element"] == "Nd"], Comparison)
    out = io.StringIO()
    Console(file=out, width=160).print(frame)
    assert "Nd" in out.getvalue()
    assert "<table" in frame._repr_html_()


def test_a_frame_made_from_a_comparison_shows_in_jupyter_as_pandas_does(phone_catalog):
    # d.compare().set_index("element")[["share"]] in a notebook: still a Comparison (pandas
    # keeps the class), but no market balance to draw; its HTML is pandas' own, not a KeyError
    d = mc.demand({"phone": "1.24 billion"}, phone_catalog)
    frame = d.compare(groups=())
    part = frame.set_index("element")[["share"]]
    assert isinstance(part, Comparison)
    html = part._repr_html_()
    assert html == pd.DataFrame(part)._repr_html_()
    assert ">Nd<" in html and ">share<" in html
    assert "low–high [t]" in frame._repr_html_()  # the whole balance keeps its own table


def test_a_scenarios_volumes_are_parsed_once(monkeypatch):
    # loading checks them (errors name the file) and the demand uses that very parse
    from mineralcalc.model import scenario as scenario_module
    from mineralcalc.results import build

    calls = []
    real = scenario_module.parse_volumes

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(scenario_module, "parse_volumes", counting)
    monkeypatch.setattr(build, "parse_volumes", counting)
    sc = mc.load_scenario("baseline-2024")
    d = mc.demand(sc)
    assert len(calls) == 1 and d.products == sc.parsed_volumes.products
    mc.demand(sc, years=[2024])  # other years: another parse, of the same volumes
    assert len(calls) == 2 and calls[1] is sc.volumes


def test_coverage_by_stage_answers_what_the_rest_of_the_world_could_refine():
    # supply.csv, Li refining 2024 (IEA): Chile 49,274 + Argentina 13,177 + Australia 4,333 +
    # other 5,150 = 71,934 t of the world's 241,612 t once China's 169,678 t is gone; refined
    # output holds its recycled feed, so nothing is added to it
    d = mc.demand(mc.load_scenario("baseline-2024"))
    li = d.coverage("China", stage="refining").set_index("element").loc["Li"]
    assert li["supply"] == pytest.approx(49_274 + 13_177 + 4_333 + 5_150)
    assert li["coverage"] == pytest.approx(71_934 / li["demand"])
    mined = d.coverage("China").set_index("element").loc["Li"]
    assert mined["coverage"] > 2 * li["coverage"]  # China refines far more than it mines
    assert "coverage" not in d.compare().columns  # one meaning: modelled_part is the other


def test_a_selection_of_a_few_columns_still_displays(phone_catalog):
    """Found writing the how-to pages: ``frame[["element", "share"]]`` in a notebook raised
    KeyError: 'year', because the slice stayed a Comparison whose table reads every column."""
    frame = mc.demand({"phone": "1.24 billion"}, phone_catalog).compare(groups=())
    few = frame[["element", "share"]]
    assert isinstance(few, Comparison)
    html = few._repr_html_()
    assert "<table" in html and "share" in html and "modelled" not in html
    out = io.StringIO()
    Console(file=out, width=80).print(few)
    assert "element" in out.getvalue() and "Supply" not in out.getvalue()
    # the whole frame still renders as the market-balance table
    out = io.StringIO()
    Console(file=out, width=120).print(frame)
    assert "Supply [t]" in out.getvalue()


def test_a_frame_derived_from_a_comparison_shows_as_pandas_shows_it(phone_catalog):
    # picking columns or setting an index keeps the class (pandas) but not the columns the
    # balance's own views read: Jupyter and rich then show the frame as pandas does
    d = mc.demand({"phone": "1.24 billion"}, phone_catalog)
    derived = d.compare(groups=()).set_index("element")[["demand", "supply"]]
    assert isinstance(derived, Comparison)
    html = derived._repr_html_()
    assert "<table" in html and "demand" in html and "198.4" in html  # 1.24e9 x 0.16 g
    out = io.StringIO()
    Console(file=out, width=160).print(derived)
    assert "Nd" in out.getvalue() and "198.4" in out.getvalue()
    whole = d.compare(groups=())
    assert "low–high [t]" in whole._repr_html_()  # the balance's own table


def test_coverage_shows_its_coverage_in_a_notebook():
    # found writing the notebooks: d.coverage() showed as the balance without the column
    # its question is about
    d = mc.demand(mc.load_scenario("baseline-2024"))
    frame = d.coverage("China", stage="refining")
    li = frame.set_index("element").loc["Li"]
    html = frame._repr_html_()
    assert ">coverage<" in html and f"{li['coverage']:.1%}" in html
    assert ">coverage<" not in d.compare()._repr_html_()
