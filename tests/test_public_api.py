"""Every answer within reach of ``mc`` (issue 25, first steps): the public names of the
design, listed by ``help(mc)``; a bloc's stockpile by budget or by days of cover."""

from __future__ import annotations

import json
import pydoc
import re

import pytest

import mineralcalc as mc
from mineralcalc.cli import main


def test_help_lists_every_public_name():
    text = pydoc.render_doc(mc, renderer=pydoc.plaintext)
    names = [n for n in mc.__all__ if n != "__version__"]
    missing = [n for n in names if not re.search(rf"\b{re.escape(n)}\b", text)]
    assert f"VERSION\n    {mc.__version__}" in text
    assert not missing, missing
    assert all(hasattr(mc, n) for n in mc.__all__)


# every ``mc.<name>`` of the design's public API (design.md, "Public API"), copied here so
# the check runs on any checkout
DESIGN_NAMES = [
    "ureg",
    "Q_",
    "Estimate",
    "Item",
    "Part",
    "Catalog",
    "load_scenario",
    "demand",
    "supply",
    "validate",
    "stockpile",
    "price_floor",
    "value",
    "bloc_demand",
    "self_sufficiency",
    "Recycling",
    "MineralcalcError",
]


def test_every_mc_name_the_design_names_exists():
    assert sorted(n for n in DESIGN_NAMES if not hasattr(mc, n)) == []
    assert set(DESIGN_NAMES) <= set(mc.__all__)


def test_a_stockpile_by_days_costs_days_times_daily_demand_times_price():
    frame = mc.stockpile(days=90, bloc="United States")
    for r in frame.to_dict("records"):  # t/day x 1000 kg/t x USD/kg x 90 days
        assert r["cost"] == pytest.approx(r["daily"] * 1000 * r["price"] * 90)
        assert r["tonnes"] == pytest.approx(r["daily"] * 90)
    cost = frame["cost"].sum()
    assert frame.attrs["costs"][1] == pytest.approx(cost) and frame.attrs["asked"] == "days"
    # and the budget of those 90 days buys 90 days at the central prices
    back = mc.stockpile(budget=f"{cost} USD", bloc="United States")
    assert back.attrs["days"][1] == pytest.approx(90)
    # the method is the function: the demand given, the same answer
    d = mc.demand(mc.load_scenario("baseline-2024"))
    assert d.stockpile(days=90, bloc="United States")["cost"].sum() == pytest.approx(cost)


def test_a_stockpile_needs_a_budget_or_days_not_both():
    with pytest.raises(mc.MineralcalcError, match="either budget"):
        mc.stockpile(budget="1 billion USD", days=90)


def test_security_days_on_the_command_line(capsys):
    assert main(["security", "--days", "90", "--bloc", "United States", "-f", "json"]) == 0
    out = capsys.readouterr().out
    assert '"days": [\n    90.0,' in out or '"days": [90.0' in out.replace("\n", "").replace(
        " ", ""
    )
    assert main(["security", "--days", "90", "--budget", "1 billion USD"]) == 2
    assert "give one of them" in capsys.readouterr().err


def test_the_neodymium_in_one_15_mw_direct_drive_turbine(capsys):
    # JRC (2024): 180 kg Nd per MW of direct-drive PMSG (150-210): 15 MW hold 2.7 t (2.25-3.15)
    d = mc.demand({"wind_dd_pmsg": "15 MW"}, basis="contained")
    lo, c, hi = (q.magnitude for q in d.range("Nd"))
    assert (lo, c, hi) == pytest.approx((15 * 0.150, 15 * 0.180, 15 * 0.210))
    assert main(["explain", "wind_dd_pmsg", "--amount", "15 MW", "-f", "json"]) == 0
    rows = {r["element"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["Nd"]["central [t]"] == pytest.approx(2.7)
    assert main(["explain", "wind_dd_pmsg", "--amount", "15 t"]) == 2
    assert "does not fit the product's basis" in capsys.readouterr().err


def test_explain_shows_an_item_a_scenario_defines(tmp_path, capsys):
    (tmp_path / "s.toml").write_text(
        'extends = "baseline-2024"\n[volumes]\nmy_drone = "1 million"\n'
        '[items.my_drone]\nkind = "product"\nparts = { Nd = "2 g" }\n'
    )
    assert main(["explain", "my_drone"]) == 2  # the shipped catalog has no such item
    capsys.readouterr()
    assert main(["explain", "my_drone", "--scenario", str(tmp_path / "s.toml"), "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert rows == [{"element": "Nd", "low [kg/unit]": 0.002, "central [kg/unit]": 0.002,
                     "high [kg/unit]": 0.002}]  # fmt: skip


def test_a_written_file_is_reported_on_stderr(tmp_path, capsys):
    target = tmp_path / "demand.csv"
    assert main(["report", "-f", "csv", "-o", str(target)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and f"wrote {target}" in captured.err


def test_the_stock_in_use_per_product_on_the_command_line(capsys):
    # the Nd in use in wind turbines in 2040: per product, and the products add up to the
    # element's stock in use
    assert main(["report", "pledges-2040", "--stocks", "--by-product", "--elements", "Nd",
                 "-f", "json"]) == 0  # fmt: skip
    rows = json.loads(capsys.readouterr().out)["rows"]
    at_2040 = [r for r in rows if r["year"] == 2040 and r["element"] == "Nd"]
    wind = {r["product"]: r["stock"] for r in at_2040 if r["product"].endswith("wind")}
    assert set(wind) == {"onshore_wind", "offshore_wind"} and all(v > 0 for v in wind.values())
    d = mc.demand(mc.load_scenario("pledges-2040"))
    whole = d.stocks().set_index(["element", "year"]).loc[("Nd", 2040), "stock"]
    assert sum(r["stock"] for r in at_2040) == pytest.approx(whole)
    assert main(["report", "--by-product"]) == 2
    assert "--by-product applies to --stocks only" in capsys.readouterr().err
