"""A scenario that extends another (design.md; issue 25): the parent's volumes, items and
changes, with the file's added or replacing them."""

from __future__ import annotations

import re

import pytest

import mineralcalc as mc

DRONES = """
name = "baseline-with-drones"
extends = "baseline-2024"

[volumes]
my_drone = { amount = "10 million", source = "estimate-market-clears" }
bev = "20 million"

[items.my_drone]
basis = "unit"
kind = "product"
parts = { Nd = "2 g" }
"""


@pytest.fixture(scope="module")
def baseline():
    return mc.demand(mc.load_scenario("baseline-2024"))


def test_one_new_product_on_top_of_the_baseline(tmp_path, baseline):
    (tmp_path / "drones.toml").write_text(DRONES)
    sc = mc.load_scenario(tmp_path / "drones.toml")
    d = mc.demand(sc)
    assert sc.name == "baseline-with-drones" and sc.year == 2024  # the year is the parent's
    assert set(d.products) == {*baseline.products, "my_drone"}
    # 2 g of Nd x 10 million drones = 20 t
    assert d.total("Nd", product="my_drone").magnitude == pytest.approx(20.0)
    # the file's bev replaces the parent's 10.5 million: demand scales with the volume
    bev = baseline.total("Nd", product="bev").magnitude
    assert d.total("Nd", product="bev").magnitude == pytest.approx(bev * 20 / 10.5)
    # every other product is the parent's
    for p in ("smartphone", "offshore_wind", "hdd"):
        assert d.total("Nd", product=p) == baseline.total("Nd", product=p)


def test_a_chain_of_files_relative_paths_and_changes_add_up(tmp_path, baseline):
    (tmp_path / "a.toml").write_text(
        'years = [2024, 2030]\n[volumes.bev]\n2024 = "10.5 million"\n2030 = "21 million"\n'
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.toml").write_text(
        'extends = "../a.toml"\n[volumes]\nhdd = "120 million"\n[[changes]]\nitem = "*"\n'
        'part = "dy_metal"\nrate = "-10 %/yr"\nsince = 2024\n'
    )
    d = mc.demand(mc.load_scenario(tmp_path / "sub" / "b.toml"))
    assert d.years == [2024, 2030]  # a's years; b adds hard disks and a change
    assert set(d.products) == {"bev", "hdd"}
    assert d.total("Nd", product="hdd", year=2030) == d.total("Nd", product="hdd", year=2024)
    assert d.total("Nd", product="bev", year=2030).magnitude == pytest.approx(
        2 * baseline.total("Nd", product="bev").magnitude, rel=1e-9
    )
    # b's change thins Dy 10 % a year: 0.9^6 of the 2024 intensity by 2030
    ratio = (d.total("Dy", product="bev", year=2030) / d.total("Dy", product="bev", year=2024)).m
    assert ratio < 2 * 0.9**6 * 1.0001


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"x.toml": 'extends = "baseline-2025"\n'}, r"x\.toml: extends: .*baseline-2024"),
        ({"x.toml": "extends = 3\n"}, r"x\.toml: extends: 3: give a shipped scenario's name"),
        (
            {"x.toml": 'extends = "y.toml"\n', "y.toml": 'extends = "x.toml"\n'},
            r"y\.toml: extends: the chain comes back to a file: x\.toml -> y\.toml -> x\.toml",
        ),
        (
            {"x.toml": 'extends = "y.toml"\n', "y.toml": '[volumes]\nbev = "8 GW"\n'},
            r"^y\.toml: volume of 'bev'",
        ),  # the parent's error names the parent's file
    ],
)
def test_bad_extends_name_the_file_and_the_fix(tmp_path, files, message):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(mc.MineralcalcError, match=message):
        mc.load_scenario(tmp_path / "x.toml")


def test_the_format_example_of_the_scenario_module_loads(tmp_path):
    # the documented example is a scenario that runs, sources of its own included
    import re

    from mineralcalc.model import scenario

    doc = scenario.__doc__ or ""
    block = doc.split("::\n\n", 1)[1].split("\nA file may start")[0]
    toml = re.sub(r"#.*", "", "\n".join(line[4:] for line in block.splitlines()))
    (tmp_path / "example.toml").write_text(toml)
    sc = mc.load_scenario(tmp_path / "example.toml")
    d = mc.demand(sc)
    assert d.years == list(range(2024, 2031)) and "my_gadget" in d.products
    assert sc.catalog.source_table["my-guess"]["quality"] == "estimate"
    # 2 g of Nd in each gadget (and a 1 kg magnet at 80 % yield, of its own Nd)
    assert d.total("Nd", product="my_gadget", year=2024).magnitude > 10e6 * 2e-6


def test_the_readme_scenario_adds_its_one_product_to_the_baseline(tmp_path, baseline):
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    (tmp_path / "my-drones.toml").write_text(readme.split("```toml\n", 1)[1].split("```", 1)[0])
    d = mc.demand(mc.load_scenario(tmp_path / "my-drones.toml"))
    added = d.total("Nd").magnitude - baseline.total("Nd").magnitude
    assert added == pytest.approx(20.0)  # 2 g x 10 million, as the README says


@pytest.mark.parametrize(
    "items, at",
    [
        ('sources = ["nope-item"]\nparts = { Nd = "8 g" }', "items.my_drone.sources"),
        (
            'parts = { Nd = { amount = "8 g", source = "nope-part" } }',
            "items.my_drone.parts.Nd.source",
        ),
    ],
)
def test_a_scenario_items_unknown_source_is_refused(tmp_path, items, at):
    # found writing the scenarios guide: volumes' sources were checked, the items' were not
    path = tmp_path / "drone.toml"
    path.write_text(
        f'extends = "baseline-2024"\n\n[items.my_drone]\nkind = "product"\n{items}\n\n'
        '[volumes]\nmy_drone = "10 million"\n'
    )
    with pytest.raises(
        mc.ScenarioError, match=rf"drone.toml: {re.escape(at)}: unknown source 'nope-"
    ):
        mc.load_scenario(path)
