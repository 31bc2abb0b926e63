"""Beyond one machine (issue 18): chunks of samples on any concurrent.futures.Executor.

The chunks and their seeds are those of the run without an executor, so a fixed seed gives
identical numbers: tested with a local process pool, and with a local Dask cluster.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import mineralcalc as mc
from mineralcalc.engine import draws

N = 6 * draws.BLOCK + 123  # several tasks, a partial last block


def _both(executor):
    scenario = mc.load_scenario("pledges-2040")
    alone = mc.demand(scenario, samples=N, seed=11)
    spread = mc.demand(scenario, samples=N, seed=11, executor=executor)
    return alone, spread


def test_a_process_pool_gives_the_numbers_of_one_process():
    with ProcessPoolExecutor(2) as pool:
        alone, spread = _both(pool)
    assert np.array_equal(alone._mc.totals, spread._mc.totals)
    for el in ("Dy", "Nd", "magnet REE (REO)"):
        for year in (2024, 2040, None):
            assert alone.quantiles(el, year=year) == spread.quantiles(el, year=year)


def test_streamed_summaries_too(monkeypatch):
    monkeypatch.setattr(draws, "KEEP_BYTES", 0)
    with ProcessPoolExecutor(2) as pool:
        alone, spread = _both(pool)
    assert alone._mc.totals is None and spread._mc.totals is None
    assert np.array_equal(alone._mc.summaries.counts, spread._mc.summaries.counts)
    assert alone.quantiles("Tb", year=2035) == spread.quantiles("Tb", year=2035)


def test_a_local_dask_cluster_gives_the_same_numbers():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):  # fmt: skip
        alone, spread = _both(client.get_executor())
    assert np.array_equal(alone._mc.totals, spread._mc.totals)
    assert alone.quantiles("Dy", year=2040) == spread.quantiles("Dy", year=2040)


def test_an_executor_must_be_one():
    with pytest.raises(mc.VolumeError, match=r"concurrent\.futures\.Executor"):
        mc.demand({"smartphone": "1 billion"}, samples=100, executor="4 cores")


def test_cli_workers_give_the_same_report(capsys):
    from mineralcalc.cli import main

    assert main(["report", "--samples", "3000", "--seed", "5", "-f", "csv"]) == 0
    one = capsys.readouterr().out
    assert main(["report", "--samples", "3000", "--seed", "5", "--workers", "2", "-f", "csv"]) == 0
    assert capsys.readouterr().out == one
    assert main(["report", "--workers", "0"]) == 2
    assert "--workers 0" in capsys.readouterr().err
