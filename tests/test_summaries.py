"""Streamed summaries (issue 18): memory that does not grow with the sample count.

When the totals are not kept, quantiles come from histograms over the exact interval bounds;
they must lie within one bin width of the quantiles of the very same samples (which the
library can still draw again, exactly, from the seed).
"""

from __future__ import annotations

import numpy as np
import pytest

import mineralcalc as mc
from mineralcalc import Catalog, Item, Part
from mineralcalc.engine import draws
from mineralcalc.results.summaries import BINS, Summaries

Q = (0.0, 0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1.0)


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog(
        [
            Item(
                "magnet",
                "kg",
                {
                    "Nd": mc.Estimate(28, 30, 32, "pert", unit="%"),
                    "Dy": "0 (0 to 4) %",
                    "Tb": "0.2 to 0.8 %",
                    "Fe": "balance",
                },
            ),
            Item(
                "motor",
                parts={"magnet": Part("1.2 to 3.5 kg", yield_="0.7 to 0.9")},
                kind="product",
            ),
            Item("turbine", "MW", {"magnet": "550 (500 to 650) kg/MW"}, kind="product"),
        ]
    )


def _streamed(monkeypatch, *args, **kwargs):
    monkeypatch.setattr(draws, "KEEP_BYTES", 0)
    d = mc.demand(*args, **kwargs)
    assert d._mc.totals is None and d._mc.summaries is not None
    return d


def test_streamed_quantiles_are_within_one_bin_of_the_exact_ones(cat, monkeypatch):
    years = [2024, 2027, 2030]
    vols = {"motor": {2024: "1 to 1.3 million", 2030: "3 to 4 million"},
            "turbine": {2024: "100 GW", 2030: "150 GW"}}  # fmt: skip
    d = _streamed(monkeypatch, vols, cat, years=years, samples=30_000, seed=4,
                  changes=[mc.Change("magnet", "Dy", rate="-5 %/yr", since=2024)])  # fmt: skip
    s = d._mc.summaries
    for name in ("Nd", "Dy", "Tb", "Fe", "magnet REE", "magnet REE (REO)", "REE (REO)"):
        for year in (*years, None):
            exact = np.quantile(d.sample_values(name, "kg", year=year), Q)  # drawn again
            got = np.array([q.magnitude for q in d.quantiles(name, Q, "kg", year=year)])
            y = -1 if year is None else years.index(year)
            width = s.width[s.index[name], y]
            assert np.abs(got - exact).max() <= width * (1 + 1e-9), (name, year)
            lo, _, hi = (q.to("kg").magnitude for q in d.range(name, year=year))
            assert width == pytest.approx((hi - lo) / BINS)  # the exact bounds, in BINS bins
            values = d.sample_values(name, "kg", year=year)
            assert s.mean(name, y) == pytest.approx(values.mean(), rel=1e-9)
            assert s.std(name, y) == pytest.approx(values.std(), rel=1e-6)


def test_kept_and_streamed_runs_agree_on_the_comparison(cat, monkeypatch):
    vols = {"motor": "1 to 1.3 million", "turbine": "100 GW"}
    kept = mc.demand(vols, cat, samples=20_000, seed=2).compare()
    streamed = _streamed(monkeypatch, vols, cat, samples=20_000, seed=2).compare()
    for col in ("demand_p5", "demand_p50", "demand_p95"):
        diff = (kept[col] - streamed[col]).abs()
        span = (kept["modelled_high"] - kept["modelled_low"]).abs()  # exact bounds [t]
        assert (diff <= span / BINS + 1e-9).all(), col


def test_summaries_merge_as_one(cat):
    rng = np.random.default_rng(0)
    chunk = rng.uniform(1, 2, size=(2, 3, 5000))  # 2 columns, 3 years
    weights = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 2.0]])
    low = np.full((3, 4), 0.0)
    high = np.array([[2, 2, 2, 6], [2, 2, 2, 6], [6, 6, 6, 18]], dtype=float)
    whole = Summaries(["a", "b", "a+2b"], weights, low, high)
    whole.update(chunk)
    parts = [Summaries(["a", "b", "a+2b"], weights, low, high) for _ in range(2)]
    parts[0].update(chunk[:, :, :1234])
    parts[1].update(chunk[:, :, 1234:])
    parts[0].merge(parts[1])
    assert np.array_equal(parts[0].counts, whole.counts)
    assert parts[0].quantiles("a+2b", -1, Q) == pytest.approx(whole.quantiles("a+2b", -1, Q))
    exact = np.quantile((chunk[0] + 2 * chunk[1]).sum(axis=0), Q)
    assert np.abs(whole.quantiles("a+2b", -1, Q) - exact).max() <= 18 / BINS


def test_lognormal_tails_beyond_the_bounds_stay_inside_the_samples(monkeypatch):
    # a lognormal's low and high are its 5th and 95th percentiles: a tenth of the draws leave
    # the exact bounds; their quantiles come from the minimum and maximum, approximately
    cat = Catalog([Item("p", parts={"Nd": mc.Estimate(1, 2, 4, "lognormal", unit="kg")},
                        kind="product")])  # fmt: skip
    d = _streamed(monkeypatch, {"p": 1}, cat, samples=50_000, seed=5)
    exact = np.quantile(d.sample_values("Nd", "kg"), Q)
    got = np.array([q.magnitude for q in d.quantiles("Nd", Q, "kg")])
    assert got[0] == pytest.approx(exact[0]) and got[-1] == pytest.approx(exact[-1])
    inside = (Q.index(0.25), Q.index(0.5), Q.index(0.75))
    for k in inside:  # within the bounds: one bin of (4 - 1) kg
        assert abs(got[k] - exact[k]) <= 3 / BINS
    for k in (Q.index(0.001), Q.index(0.999)):  # in the tails: right to a few per cent
        assert got[k] == pytest.approx(exact[k], rel=0.1)


def test_values_drawn_again_equal_the_kept_ones_in_memory_of_one_value_per_sample(cat, monkeypatch):
    import tracemalloc

    years = list(range(2024, 2036))
    vols = {"motor": {2024: "1 to 1.3 million", 2035: "3 to 4 million"},
            "turbine": {2024: "100 GW", 2035: "150 GW"}}  # fmt: skip
    kw = dict(years=years, samples=40_000, seed=8,
              changes=[mc.Change("magnet", "Dy", rate="-5 %/yr", since=2024)])  # fmt: skip
    kept = mc.demand(vols, cat, **kw)
    assert kept._mc.totals is not None
    streamed = _streamed(monkeypatch, vols, cat, **kw)
    for name, year in (("Nd", None), ("Dy", 2030), ("magnet REE (REO)", None)):
        a = kept.sample_values(name, "t", year=year)
        b = streamed.sample_values(name, "t", year=year)
        assert np.array_equal(a, b), name  # the same draws, summed the same way
    one = streamed.sample_values("Nd", "t", product="motor")
    assert np.array_equal(one, kept.sample_values("Nd", "t", product="motor"))
    # memory: drawing one element again needs its values (8 B a sample) and a chunk's working
    # memory, not the totals of every element and year a kept run holds
    big = _streamed(monkeypatch, vols, cat, **{**kw, "samples": 400_000})
    totals_bytes = 4 * 12 * 400_000 * 4  # elements x years x samples x float32: 77 MB
    bound = 400_000 * 8 * 2 + 2 * big.samplers[0][0].chunk_bytes()
    assert bound < totals_bytes / 1.5
    tracemalloc.start()
    big.sample_values("Nd", "t")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < bound, (peak, bound)
