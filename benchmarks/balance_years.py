"""The market balance over the years (issue 24): ``compare()`` over 50 years against one year.

The scenario holds two shipped products, battery-electric cars (``bev``, 17 million in 2025,
+5 %/yr) and offshore wind (``offshore_wind``, 8 GW in 2025, +8 %/yr), given year by year from
2025 to 2074; every year is projected from the latest recorded supply (2024) along the outlook
of ``outlook.csv``. Three timings, each the median of ``N`` runs in one process after a warm-up
run (the shipped tables, the catalog and the recorded supply are loaded once a process):

* **end to end**: ``mc.demand(volumes, years=..., samples=1000)`` and ``d.compare()``, Monte Carlo
  included, for the first year alone and for all 50 years, alternately. The reference of the
  50-year run is the natural plain computation, the same question asked of one year: the goal
  is that 50 years cost at most 3 times one year;
* **balance alone**: ``d.compare()`` on a demand already sampled (a new demand each run, so
  nothing it caches is reused), 1 and 50 years; goal: the 50-year balance under 0.3 s.

Run: ``python benchmarks/balance_years.py [N]``
"""

from __future__ import annotations

import statistics
import sys
import time

import mineralcalc as mc

SAMPLES = 1000
FIRST = 2025


def volumes(n_years: int) -> tuple[dict[str, dict[int, object]], list[int]]:
    """Volumes of the two products per year, ``n_years`` from 2025, with their growth."""
    years = list(range(FIRST, FIRST + n_years))
    vols: dict[str, dict[int, object]] = {
        "bev": {y: 17e6 * 1.05 ** (y - FIRST) for y in years},
        "offshore_wind": {y: f"{8 * 1.08 ** (y - FIRST)} GW" for y in years},
    }
    return vols, years


def end_to_end(n_years: int) -> tuple[float, int]:
    """Seconds for the Monte Carlo and the balance of ``n_years``, and the balance's rows."""
    vols, years = volumes(n_years)
    t = time.perf_counter()
    d = mc.demand(vols, years=years, samples=SAMPLES, seed=1)
    frame = d.compare()
    return time.perf_counter() - t, len(frame)


def balance_alone(n_years: int) -> float:
    """Seconds for ``compare()`` of a demand sampled beforehand (not timed)."""
    vols, years = volumes(n_years)
    d = mc.demand(vols, years=years, samples=SAMPLES, seed=1)
    t = time.perf_counter()
    d.compare()
    return time.perf_counter() - t


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    end_to_end(1)  # warm-up: tables, catalog, recorded supply, lazy imports
    end_to_end(50)
    one: list[float] = []
    fifty: list[float] = []
    rows = 0
    for _ in range(n):
        one.append(end_to_end(1)[0])
        t, rows = end_to_end(50)
        fifty.append(t)
    bal1 = [balance_alone(1) for _ in range(n)]
    bal50 = [balance_alone(50) for _ in range(n)]
    m1, m50 = statistics.median(one), statistics.median(fifty)
    b1, b50 = statistics.median(bal1), statistics.median(bal50)
    print(f"runs: {n} each; medians (min); samples={SAMPLES}; bev + offshore_wind")
    print(f"end to end, 1 year     {m1:7.3f} s  ({min(one):.3f} s)")
    print(f"end to end, 50 years   {m50:7.3f} s  ({min(fifty):.3f} s)  {rows} rows")
    print(f"50 years / 1 year = {m50 / m1:.2f}  (goal <= 3; reference: the 1-year run)")
    print(f"balance alone, 1 year  {b1:7.3f} s  ({min(bal1):.3f} s)")
    print(f"balance alone, 50 years {b50:6.3f} s  ({min(bal50):.3f} s)  (goal < 0.3 s)")


if __name__ == "__main__":
    main()
