"""Monte Carlo sampling: shared parameters, reproducibility, bounds, balance, convergence."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mineralcalc as mc
from mineralcalc import Catalog, Item, Part
from mineralcalc.engine import draws as mcarlo
from mineralcalc.engine.distributions import draw
from mineralcalc.model.graph import BASES

from . import reference
from .strategies import bom_graphs

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


def test_per_product_samples_are_redrawn_on_request_never_kept(magnet_cat, monkeypatch):
    monkeypatch.setattr(mcarlo, "KEEP_BYTES", 0)
    monkeypatch.setattr(mcarlo, "CHUNK_BYTES", 1)  # one block per chunk: still correct
    vols = {"motor_a": 1000, "motor_b": "500 to 1500", "motor_c": 700}
    d = mc.demand(vols, magnet_cat, samples=5000, seed=3)
    assert d._mc is not None and not hasattr(d._mc, "per_product")
    assert d._mc.totals is None and d._mc.summaries is not None  # streamed, not kept
    # a product's samples come from the very draws of the full run: they add up to it
    parts = [d.sample_values("Nd", "kg", product=p) for p in vols]
    np.testing.assert_allclose(sum(parts), d.sample_values("Nd", "kg"), rtol=1e-5)
    both = d.sample_values("Nd", "kg", product=["motor_a", "motor_b"])
    np.testing.assert_allclose(both, parts[0] + parts[1], rtol=1e-5)
    # motor_a and motor_c share the magnet's Nd draw X ~ U(0.28, 0.32); motor_c adds its own
    # yield Y ~ U(0.7, 0.9): corr(X, X/Y) = E[1/Y] sd(X) / sd(X/Y), by hand
    ex, vx = 0.30, 0.04**2 / 12
    e1, e2 = np.log(0.9 / 0.7) / 0.2, (1 / 0.7 - 1 / 0.9) / 0.2  # E[1/Y], E[1/Y^2]
    expected = e1 * np.sqrt(vx) / np.sqrt((vx + ex**2) * e2 - (ex * e1) ** 2)
    corr = np.corrcoef(parts[0], parts[2])[0, 1]
    assert corr == pytest.approx(expected, abs=0.04)  # 0.46; four standard errors at n=5000
    frame = d.to_frame()
    assert frame["mean"].notna().all() and frame["p50"].isna().all()  # over KEEP_BYTES


def test_means_per_product_are_exact(magnet_cat):
    # motor_c: 2 kg of magnet at a uniform yield 0.7-0.9: E[Nd] = E[Nd fraction] x 2 x E[1/y]
    d = mc.demand({"motor_c": 1000, "motor_b": "500 to 800"}, magnet_cat, samples=2000, seed=1)
    frame = d.to_frame("kg").set_index(["product", "element"])
    e_inv_y = np.log(0.9 / 0.7) / (0.9 - 0.7)
    assert frame.loc[("motor_c", "Nd"), "mean"] == pytest.approx(
        1000 * 2 * 0.30 * e_inv_y, rel=1e-12
    )
    # Dy "0 (0 to 4) %" is triangular with its mode at 0: mean 4/3 %; volume uniform: 650
    assert frame.loc[("motor_b", "Dy"), "mean"] == pytest.approx(650 * 2 * 0.04 / 3, rel=1e-12)
    # Fe is the balance: 1 - E[Nd] - E[Dy] - B
    fe = 650 * 2 * (1 - 0.30 - 0.04 / 3 - 0.01)
    assert frame.loc[("motor_b", "Fe"), "mean"] == pytest.approx(fe, rel=1e-12)
    # and a large sample agrees within its standard error
    big = mc.demand({"motor_c": 1000}, magnet_cat, samples=200_000, seed=2)
    v = big.sample_values("Nd", "kg")
    assert v.mean() == pytest.approx(600 * e_inv_y, abs=4 * v.std() / np.sqrt(v.size))


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

    from mineralcalc.cli import output as cli

    clock = itertools.chain([0.0, 0.5, 2.0], itertools.repeat(3.0))
    monkeypatch.setattr(time, "perf_counter", lambda: next(clock))
    with cli.progress() as step:
        step(1, 10)  # at 0.5 s: no bar yet
        step(5, 10)  # at 2.0 s: the bar starts
        step(9, 10)
    # a quick run never starts one
    monkeypatch.setattr(time, "perf_counter", lambda: 0.0)
    with cli.progress() as step:
        step(10, 10)


def test_years_with_changing_intensities_share_one_set_of_draws(magnet_cat):
    # 3 years with intensities changing each year: three catalogs (the changed magnet moves
    # to the end of each), sampled one by one from one layout of parameters
    n, years = 4000, [2024, 2025, 2026]
    d = mc.demand(
        {"motor_a": {y: 1000 for y in years}, "motor_d": {y: 1000 for y in years}},
        magnet_cat, samples=n, seed=1,
        changes=[mc.Change("magnet", "Dy", rate="-10 %/yr", since=2024)],
    )  # fmt: skip
    assert len(d._by_catalog) == 3
    assert d._mc is not None and d._mc.totals.shape == (len(d._mc.columns), 3, n)
    # the same Dy draw every year, thrifted 10 % a year
    dy = [d.sample_values("Dy", "kg", year=y) for y in years]
    np.testing.assert_allclose(dy[1], 0.9 * dy[0], rtol=1e-5)
    np.testing.assert_allclose(dy[2], 0.81 * dy[0], rtol=1e-5)
    # and the same Nd draws of both magnets (the balance Fe moves against Dy)
    nd = [d.sample_values("Nd", "kg", year=y) for y in years]
    np.testing.assert_allclose(nd[2], nd[0], rtol=1e-5)
    fe = [d.sample_values("Fe", "kg", year=y, product="motor_a") for y in years]
    np.testing.assert_allclose(fe[1] - fe[0], 0.1 * dy[0], rtol=1e-4, atol=1e-3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=bom_graphs(max_items=7), basis=st.sampled_from(BASES), seed=st.integers(0, 99))
def test_each_sample_equals_the_naive_walk_at_its_draws(items, basis, seed):
    # The sampler collapses the deterministic lines and solves flows over the uncertain ones;
    # the naive walker of reference.py evaluates every path with pint, at the same uniform
    # numbers. They must agree sample by sample.
    cat = Catalog(items)
    products = list(cat.products)
    vols = {p: f"{1000 + 10 * k} {cat[p].basis_text}" for k, p in enumerate(products)}
    n = 6
    d = mc.demand(vols, cat, samples=n, seed=seed, basis=basis)
    sampler = d.samplers[0][0]
    names = sampler.parameters(products)
    u = sampler.uniforms(d._mc.seed, 0, n)
    by_item = {it.id: it for it in items}
    for k in range(n):
        table = {(item, part, kind): float(u[j, k]) for j, (kind, item, part) in enumerate(names)}

        def choose(p, c, w, table=table):
            return table.get((p, c, w), "central")

        for el in d._mc.columns:
            expected = sum(
                (1000 + 10 * j) * reference.content(by_item, p, el, choose, basis)
                for j, p in enumerate(products)
            )
            got = d.sample_values(el, "kg")[k]
            assert got == pytest.approx(expected, rel=2e-6, abs=1e-9), (el, k)


def test_the_numbers_do_not_depend_on_the_chunk_size(magnet_cat, monkeypatch):
    # uniform numbers come in seeded blocks: the memory budget changes chunks, not results
    vols = {"motor_a": "900 to 1100", "motor_c": 500}
    a = mc.demand(vols, magnet_cat, samples=3 * mcarlo.BLOCK + 17, seed=4).sample_values("Nd")
    monkeypatch.setattr(mcarlo, "CHUNK_BYTES", 1)
    b = mc.demand(vols, magnet_cat, samples=3 * mcarlo.BLOCK + 17, seed=4).sample_values("Nd")
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("n_products", [2, 4])
def test_flows_per_product_and_per_year_agree(magnet_cat, n_products):
    # Few products over many years: flows are carried per product and weighted by each
    # year's volumes at the end (lines that change over the years turn them into per-year
    # flows there); many products over few years: per year from the start. Same numbers.
    products = ["motor_a", "motor_b", "motor_c", "motor_d"][:n_products]
    years = list(range(2024, 2031))
    vols = {p: {2024: f"{900 + 100 * k} to {1100 + 100 * k}", "growth": "5 %/yr"}
            for k, p in enumerate(products)}  # fmt: skip
    changes = [mc.Change("magnet", "Dy", rate="-10 %/yr", since=2024),
               mc.Change("motor_c", "magnet", values={2024: "2 kg", 2030: "2.6 kg"})]  # fmt: skip
    d = mc.demand(vols, magnet_cat, years=years, samples=2000, seed=3,
                  changes=[c for c in changes if c.item in ("magnet", *products)])  # fmt: skip
    sampler = d.samplers[0][0]  # both solves, whichever the demand chose (by_product())
    streams = sampler._streams(d._mc.seed, 0, 1024)
    v = sampler.volumes[1][:, None, :, None] * np.ones((1, 1, 1, 1024))
    u_v = sampler._rows(streams, sampler._v_rows.size)
    for y in range(len(years)):
        lo, c, hi = (sampler.volumes[k][sampler._v_rows, y] for k in range(3))
        v[sampler._v_rows, 0, y] = draw(u_v, lo, c, hi, sampler._v_code)
    a = sampler._solve_products(streams, v, 1024)
    again = sampler._streams(d._mc.seed, 0, 1024)
    sampler._rows(again, sampler._v_rows.size)  # the volumes' numbers come first
    b = sampler._solve_years(again, v, 1024)
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-9)
    # and the totals the demand holds are these
    dy = list(d._mc.columns).index("Dy")
    np.testing.assert_allclose(
        d._mc.totals[dy, :, :1024], b.reshape(len(d._mc.columns), len(years), 1024)[dy], rtol=1e-6
    )
