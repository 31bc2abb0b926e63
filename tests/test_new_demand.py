"""A product added to a scenario is new demand unless its volume says it is part of a
published end use (issue 23), and either way total demand never falls when demand is added;
an element without supply data is left out of its group instead of poisoning it."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mineralcalc as mc
from mineralcalc.data.csvtable import shipped_tables
from mineralcalc.errors import TableError, VolumeError
from mineralcalc.model.scenario import parse_scenario

BASE = mc.load_scenario("baseline-2024")
DRONE = mc.Item("drone", parts={"ndfeb_magnet_average": "0.05 kg"}, kind="product")
CATALOG = mc.Catalog.default().add(DRONE)
ELEMENTS = ("Nd", "Pr", "Dy", "Tb", "La", "Ce", "Li", "Co", "Ni", "Cu")


def _frame(volumes, catalog=CATALOG):
    d = mc.demand(volumes, catalog, years=[2024])
    return d, d.compare(groups=()).set_index("element")


@pytest.fixture(scope="module")
def base():
    return _frame(dict(BASE.volumes))[1]


def test_a_product_no_end_use_lists_is_new_demand(base):
    d, f = _frame({**BASE.volumes, "drone": {"amount": "10 million"}})
    drone = {el: d.total(el, year=2024, product="drone").to("t").magnitude for el in ("Nd", "Dy")}
    assert drone["Nd"] > 100  # 10 million x 50 g of magnet, about a quarter Nd
    for el, added in drone.items():
        assert f.loc[el, "modelled"] == pytest.approx(base.loc[el, "modelled"] + added)
        assert f.loc[el, "other_uses"] == pytest.approx(base.loc[el, "other_uses"])
        assert f.loc[el, "demand"] == pytest.approx(base.loc[el, "demand"] + added)
    assert "new demand beyond the published figures: drone" in f.loc["Nd", "note"]


def test_a_product_within_an_end_use_is_taken_out_of_it(base):
    d, f = _frame({**BASE.volumes, "drone": {"amount": "10 million", "within": "other uses"}})
    for el in ("Nd", "Dy"):
        added = d.total(el, year=2024, product="drone").to("t").magnitude
        assert f.loc[el, "modelled"] == pytest.approx(base.loc[el, "modelled"] + added)
        # the IEA's other uses hold it: they fall by exactly its demand, the total stays
        assert f.loc[el, "other_uses"] == pytest.approx(base.loc[el, "other_uses"] - added)
        assert f.loc[el, "demand"] == pytest.approx(base.loc[el, "demand"])
    assert "new demand" not in f.loc["Nd", "note"]


def test_within_in_a_scenario_file():
    data = {"year": 2024, "volumes": {**{k: v[2024] for k, v in BASE.volumes.items()},
            "drone": {"amount": "10 million", "within": "other uses"}}}  # fmt: skip
    sc = parse_scenario(data, label="t.toml", catalog=CATALOG)
    assert mc.demand(sc).within == {"drone": "other uses"}
    data["volumes"]["drone"] = {"2024": "10 million", "within": "other uses"}
    assert mc.demand(parse_scenario(data, label="t.toml", catalog=CATALOG)).within == {
        "drone": "other uses"
    }


@pytest.mark.parametrize(
    ("within", "message"),
    [
        (
            "other use",
            r"within 'other use' is not an end use of end_uses.csv \(did you mean 'other uses'",
        ),
        ("", r"within '': give the name of a published end use"),
        (3, r"within 3: give the name"),
    ],
)
def test_a_bad_within_is_refused(within, message):
    with pytest.raises(VolumeError, match=message):
        mc.demand({"drone": {"amount": "1 million", "within": within}}, CATALOG)


def test_within_for_a_product_the_table_lists_is_refused():
    with pytest.raises(VolumeError, match="already lists 'bev'"):
        mc.demand({"bev": {"amount": "1 million", "within": "other uses"}})


def test_a_catch_all_star_in_end_uses_is_refused(tmp_path):
    shutil.copy(shipped_tables() / "end_uses.csv", tmp_path / "end_uses.csv")
    text = (tmp_path / "end_uses.csv").read_text(encoding="utf-8")
    (tmp_path / "end_uses.csv").write_text(text.replace(
        "smartphone;laptop;hdd;hev;ebike;e_two_wheeler;e_bus;e_truck;industrial_pm_motor;"
        "ac_compressor;f35;catalytic_converter_car;fcc_catalyst", "*", 1), encoding="utf-8")  # fmt: skip
    cat = mc.Catalog.from_tables(tmp_path)
    with pytest.raises(TableError, match=r"end_uses.csv:\d+: covered_by: '\*' is not a product"):
        mc.demand(BASE.volumes, cat).compare()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    contents=st.dictionaries(
        st.sampled_from(ELEMENTS), st.floats(0.001, 500.0), min_size=1, max_size=4
    ),
    volume=st.floats(1.0, 1e8),
    within=st.sampled_from([None, "other uses"]),
)
def test_adding_demand_never_lowers_total_demand(base, contents, volume, within):
    item = mc.Item("gadget", parts={el: f"{g} g" for el, g in contents.items()}, kind="product")
    spec = {"amount": f"{volume}", **({"within": within} if within else {})}
    _, f = _frame({**BASE.volumes, "gadget": spec}, mc.Catalog.default().add(item))
    for el in ELEMENTS:
        if el in base.index:
            assert f.loc[el, "demand"] >= base.loc[el, "demand"] * (1 - 1e-12), el


def test_an_element_without_supply_stays_out_of_its_group(base):
    thing = mc.Item("sc_thing", parts={"Sc": "1 g", "Ho": "1 g"}, kind="product")
    d = mc.demand({**BASE.volumes, "sc_thing": "10 million"}, mc.Catalog.default().add(thing),
                  years=[2024])  # fmt: skip
    f = d.compare().set_index("element")
    full = mc.demand(BASE.volumes).compare().set_index("element")
    ree = f.loc["REE (REO)"]
    assert ree["supply"] == pytest.approx(full.loc["REE (REO)", "supply"])
    # 10 t of Ho (metal) is 10 / (2 x 164.93 / (2 x 164.93 + 3 x 16.00)) t of Ho2O3; Sc is out
    ho2o3 = 10 / (2 * 164.93 / (2 * 164.93 + 3 * 15.999))
    assert ree["demand"] == pytest.approx(full.loc["REE (REO)", "demand"] + ho2o3, rel=1e-6)
    assert "Sc left out (no supply data)" in ree["note"]
    b = d.balance(2024)
    assert b.not_mined == ("Sc",) and b.binding != "Sc"
    assert "Sc: no ore type of today's producers gives it" in b.summary()


def test_a_magnet_holding_gadolinium_keeps_the_groups_finite():
    # the case: a product whose magnet holds Gd made REE (REO) and HREE NaN and the
    # balance problem say "Gd binds ... inf t REO"; Gd has supply from the ores now
    gd = mc.Item("gd_magnet", parts={"Gd": "5 g", "Nd": "20 g"}, kind="product")
    d = mc.demand({**BASE.volumes, "gd_magnet": "10 million"}, mc.Catalog.default().add(gd),
                  years=[2024])  # fmt: skip
    f = d.compare().set_index("element")
    for group in ("REE (REO)", "HREE (REO)", "magnet REE (REO)"):
        for col in ("demand", "supply", "share"):
            assert f.loc[group, col] == f.loc[group, col] and f.loc[group, col] > 0, (group, col)
    b = d.balance(2024)
    assert b.reo_needed < float("inf") and "inf" not in b.summary()
