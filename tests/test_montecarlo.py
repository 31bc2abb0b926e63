"""Monte Carlo sampling: shared parameters, reproducibility, bounds, balance, convergence."""

from __future__ import annotations

import numpy as np
import pytest

import mineralcalc as mc
from mineralcalc import Catalog, Item, Part
from mineralcalc import montecarlo as mcarlo
from mineralcalc.montecarlo import draw

N = 20_000


@pytest.fixture(scope="module")
def magnet_cat() -> Catalog:
    return Catalog(
        [
            Item(
                "magnet",
                "kg",
                {"Nd": "28 to 32 %", "Dy": "0 (0 to 4) %", "B": "1 %", "Fe": "balance"},
            ),
            Item("motor_a", parts={"magnet": "1 kg"}, kind="product"),
            Item("motor_b", parts={"magnet": "2 kg"}, kind="product"),
            Item("motor_c", parts={"magnet": mc.Part("2 kg", yield_="0.7 to 0.9")}, kind="product"),
            Item("other_magnet", "kg", {"Nd": "28 to 32 %", "Fe": "balance"}),
            Item("motor_d", parts={"other_magnet": "1 kg"}, kind="product"),
        ]
    )


def test_a_shared_magnet_moves_both_products_together(magnet_cat):
    # bw2calc #105: parameters shared by several products must be drawn once per sample
    vols = {"motor_a": 1000, "motor_b": 1000, "motor_c": 1000, "motor_d": 1000}
    d = mc.demand(vols, magnet_cat, samples=N, seed=1)
    a = d.sample_values("Nd", "kg", product="motor_a")
    b = d.sample_values("Nd", "kg", product="motor_b")
    c = d.sample_values("Nd", "kg", product="motor_c")
    other = d.sample_values("Nd", "kg", product="motor_d")
    dy_a = d.sample_values("Dy", "kg", product="motor_a")
    np.testing.assert_allclose(b, 2 * a, rtol=1e-6)  # one composition draw for both motors
    ratio = c / a  # motor_c adds its own yield draw: 2 / yield, inside [2/0.9, 2/0.7]
    assert ratio.min() >= 2 / 0.9 - 1e-5 and ratio.max() <= 2 / 0.7 + 1e-5
    assert abs(np.corrcoef(a, other)[0, 1]) < 0.05  # a different magnet is drawn apart
    # and the draws are not all the same value (no repeated identical draws)
    assert np.unique(a).size > 0.99 * N and np.unique(dy_a).size > 0.99 * N


def test_same_seed_same_numbers_other_seed_other_numbers(magnet_cat):
    vols = {"motor_a": "900 to 1100"}
    a = mc.demand(vols, magnet_cat, samples=5000, seed=7).sample_values("Nd")
    b = mc.demand(vols, magnet_cat, samples=5000, seed=7).sample_values("Nd")
    c = mc.demand(vols, magnet_cat, samples=5000, seed=8).sample_values("Nd")
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_draws_stay_inside_the_exact_bounds(magnet_cat):
    d = mc.demand({"motor_a": 1000, "motor_b": "500 to 800"}, magnet_cat, samples=N, seed=3)
    for el in ("Nd", "Dy", "B", "Fe", "magnet REE"):
        lo, _, hi = (q.to("kg").magnitude for q in d.range(el))
        v = d.sample_values(el, "kg")
        assert v.min() >= lo * (1 - 1e-12) and v.max() <= hi * (1 + 1e-12), el


def test_triangular_draws_never_go_negative():
    # NREL celavi #181: a triangular from 0 must not produce negative draws
    u = np.random.default_rng(0).random((1, 200_000))
    x = draw(u, np.array([0.0]), np.array([0.0]), np.array([4.0]), np.array([2]))
    assert x.min() >= 0 and x.max() <= 4
    cat = Catalog([Item("p", parts={"Dy": "0 (0 to 4) g"}, kind="product")])
    assert mc.demand({"p": 1}, cat, samples=N, seed=0).sample_values("Dy", "g").min() >= 0


def test_balance_is_consistent_per_draw(magnet_cat):
    d = mc.demand({"motor_a": 1}, magnet_cat, samples=N, seed=5)
    parts = {el: d.sample_values(el, "kg") for el in ("Nd", "Dy", "B", "Fe")}
    total = sum(parts.values())
    # 1 kg of magnet in every draw, to the float32 precision the sampled totals are kept in
    assert np.allclose(total, 1.0, rtol=0, atol=8 * np.finfo(np.float32).eps)
    assert parts["Fe"].min() >= 1 - 0.32 - 0.04 - 0.01 - 1e-12


def test_uniform_quantiles_converge_on_the_exact_interval():
    cat = Catalog([Item("motor", parts={"Nd": "1.2 to 3.5 kg"}, kind="product")])
    n = 200_000
    d = mc.demand({"motor": 1}, cat, samples=n, seed=11)
    lo, hi = 1.2, 3.5
    tol = 4 * np.sqrt(0.25 / n) * (hi - lo)  # four standard errors of a quantile estimate
    for q in (0.001, 0.05, 0.5, 0.95, 0.999):
        (value,) = d.quantiles("Nd", q=(q,), unit="kg")
        assert value.magnitude == pytest.approx(lo + q * (hi - lo), abs=tol)
    v = d.sample_values("Nd", "kg")
    assert v.min() == pytest.approx(lo, abs=1e-3) and v.max() == pytest.approx(hi, abs=1e-3)


@pytest.mark.parametrize(
    ("dist", "mean"),
    [
        ("uniform", (1 + 5) / 2),
        ("triangular", (1 + 2 + 5) / 3),
        ("pert", (1 + 4 * 2 + 5) / 6),
    ],
)
def test_distribution_means(dist, mean):
    cat = Catalog([Item("p", parts={"Nd": mc.Estimate(1, 2, 5, dist, unit="kg")}, kind="product")])
    v = mc.demand({"p": 1}, cat, samples=100_000, seed=2).sample_values("Nd", "kg")
    assert v.mean() == pytest.approx(mean, rel=0.01)
    assert v.min() >= 1 and v.max() <= 5


def test_lognormal_median_and_percentiles():
    cat = Catalog(
        [Item("p", parts={"Nd": mc.Estimate(1, 2, 4, "lognormal", unit="kg")}, kind="product")]
    )
    d = mc.demand({"p": 1}, cat, samples=200_000, seed=4)
    p5, p50, p95 = (q.to("kg").magnitude for q in d.quantiles("Nd", q=(0.05, 0.5, 0.95)))
    assert p50 == pytest.approx(2, rel=0.01)
    assert p5 == pytest.approx(1, rel=0.02) and p95 == pytest.approx(4, rel=0.02)


def test_frames_carry_the_spread(magnet_cat):
    d = mc.demand({"motor_a": {2024: 1000}}, magnet_cat, samples=4000, seed=9)
    frame = d.to_frame("kg")
    assert {"mean", "p5", "p50", "p95"} <= set(frame.columns)
    nd = frame[frame.element == "Nd"].iloc[0]
    assert nd["low"] <= nd["p5"] <= nd["p50"] <= nd["p95"] <= nd["high"]
    assert nd["mean"] == pytest.approx(300, rel=0.01)  # 1000 x 1 kg x 30 %
    comp = d.compare()
    row = comp[comp.element == "Nd"].iloc[0]
    assert (
        row["share_low"]
        <= row["share_p5"]
        <= row["share_p50"]
        <= row["share_p95"]
        <= row["share_high"]
    )
    assert d.samples == 4000


def test_memory_stays_bounded_by_dropping_per_product_samples(magnet_cat, monkeypatch):
    monkeypatch.setattr(mcarlo, "KEEP_BYTES", 0)
    monkeypatch.setattr(mcarlo, "CHUNK_BYTES", 1)  # one sample per chunk: still correct
    d = mc.demand({"motor_a": 1000, "motor_b": 1000}, magnet_cat, samples=500, seed=3)
    assert d._mc is not None and d._mc.per_product is None
    assert d._mc.totals.shape == (500, len(d._mc.columns), 1)
    with pytest.raises(mc.VolumeError, match="per-product samples were not kept"):
        d.sample_values("Nd", product="motor_a")
    assert d.quantiles("Nd")[1].magnitude > 0
    frame = d.to_frame()
    assert frame["mean"].notna().all() and frame["p50"].isna().all()


def test_scenarios_over_years_sample_coherently():
    d = mc.demand(mc.load_scenario("pledges-2040"), samples=2000, seed=1)
    v2024 = d.sample_values("Dy", year=2024)
    v2040 = d.sample_values("Dy", year=2040)
    assert np.corrcoef(v2024, v2040)[0, 1] > 0.5  # the same draws drive both years
    lo, _, hi = (q.to("t").magnitude for q in d.range("Dy", year=2040))
    assert v2040.min() >= lo * (1 - 1e-9) and v2040.max() <= hi * (1 + 1e-9)


def test_bad_sample_counts_and_no_samples(magnet_cat):
    for bad in (0, -5, 2.5, True, "many"):
        with pytest.raises(mc.VolumeError, match="samples"):
            mc.demand({"motor_a": 1}, magnet_cat, samples=bad)
    with pytest.raises(mc.VolumeError, match="no samples"):
        mc.demand({"motor_a": 1}, magnet_cat).quantiles("Nd")


def test_cli_samples_and_progress(capsys):
    from mineralcalc.cli import main

    code = main(["report", "--samples", "2000", "--seed", "1", "-f", "csv"])
    out, _ = capsys.readouterr()
    assert code == 0 and "share_p95" in out.splitlines()[0]
    code = main(["report", "--samples", "0"])
    assert code == 2 and "samples" in capsys.readouterr().err


def test_part_yield_draws_invert_correctly():
    # a yield from 0.5 to 1: the parent needs 1/yield, between 1 and 2 kg per kg
    cat = Catalog([Item("p", "kg", {"Nd": Part("1 kg/kg", yield_="0.5 to 1")}, kind="product")])
    v = mc.demand({"p": "1 kg"}, cat, samples=50_000, seed=6).sample_values("Nd", "kg")
    assert v.min() >= 1 - 1e-12 and v.max() <= 2 + 1e-12
    assert np.median(v) == pytest.approx(1 / 0.75, rel=0.01)


def test_progress_bar_only_after_a_second(monkeypatch):
    import itertools
    import time

    from mineralcalc import cli

    clock = itertools.chain([0.0, 0.5, 2.0], itertools.repeat(3.0))
    monkeypatch.setattr(time, "perf_counter", lambda: next(clock))
    with cli._progress() as step:
        step(1, 10)  # at 0.5 s: no bar yet
        step(5, 10)  # at 2.0 s: the bar starts
        step(9, 10)
    # a quick run never starts one
    monkeypatch.setattr(time, "perf_counter", lambda: 0.0)
    with cli._progress() as step:
        step(10, 10)


def test_the_per_product_budget_is_decided_for_all_years_at_once(magnet_cat, monkeypatch):
    # 3 years with intensities changing each year: three catalogs sampled one by one. Each
    # year's per-product samples fit the budget alone, but not together: none may be kept.
    n, years = 1000, [2024, 2025, 2026]
    d0 = mc.demand({"motor_a": {y: 1 for y in years}}, magnet_cat, years=years)
    one_year = n * 1 * len(d0.elements) * 4  # samples are kept for the elements reached: 4
    monkeypatch.setattr(mcarlo, "KEEP_BYTES", 2 * one_year)
    d = mc.demand(
        {"motor_a": {y: 1000 for y in years}}, magnet_cat, samples=n, seed=1,
        changes=[mc.Change("magnet", "Dy", rate="-10 %/yr", since=2024)],
    )  # fmt: skip
    assert len(d._by_catalog) == 3
    assert d._mc is not None and d._mc.per_product is None
    assert d._mc.totals.shape[2] == 3
