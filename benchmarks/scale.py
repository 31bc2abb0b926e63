"""How the cost grows with the work (issue 18): catalog size, years and samples.

Synthetic catalogs are ``k`` renamed copies of the shipped tables (every item but the elements
and oxides gets a ``_c<i>`` suffix, its part lines follow), with the baseline volumes repeated
per copy. Each measurement runs in a fresh process, three times, and reports the median:

* catalog axis (1x to 1000x): loading the tables, the deterministic explosion, a Monte Carlo of
  10,000 samples, ``mineralcalc report --tables``, and a chunked plain-numpy reference of the
  Monte Carlo (``references.reference_general``);
* years axis (1 to 50): the baseline with every product growing and a thrifting change
  (``Change("*", "dy_metal", rate="-3 %/yr")``), 10,000 samples;
* samples axis (1e3 to 1e7) of ``pledges-2040``: time and peak memory.

Each axis ends with the growth law: the exponent ``b`` of ``time ~ size^b`` between the
smallest and largest sizes it names (1 is linear). ``load`` is ``Catalog.from_tables`` alone
(the package imported first); ``gc`` is a full garbage collection right after it, the cost of
holding the catalog's objects that a later allocation would pay. The Monte Carlo is timed after
the sampler's module (and scipy.sparse) is imported, once a process (about 0.1 s); the peak
memory (MiB) is read after the Monte Carlo and again after the reference.

Run: ``python benchmarks/scale.py [catalog|years|samples ...] [--max-k K]``
"""

from __future__ import annotations

import csv
import math
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLES = HERE.parent / "tables"


def copies(k: int, folder: Path) -> Path:
    """Write ``k`` renamed copies of the shipped tables into ``folder``; returns a scenario."""
    import mineralcalc as mc

    builtin = set(mc.Catalog([]).items)
    with (TABLES / "items.csv").open(encoding="utf-8") as f:
        items = list(csv.DictReader(f))
    with (TABLES / "parts.csv").open(encoding="utf-8") as f:
        parts = list(csv.DictReader(f))
    own = {r["id"] for r in items}

    def rename(x: str, i: int) -> str:
        return f"{x}_c{i}" if x in own and x not in builtin else x

    folder.mkdir(parents=True, exist_ok=True)
    for name, rows, keys in (("items.csv", items, ("id", "alternative_of")),
                             ("parts.csv", parts, ("parent", "child"))):  # fmt: skip
        with (folder / name).open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            for i in range(k):
                for r in rows:
                    w.writerow({c: (rename(v, i) if c in keys and v else v) for c, v in r.items()})
    (folder / "sources.csv").write_bytes((TABLES / "sources.csv").read_bytes())
    base = mc.load_scenario("baseline-2024")
    lines = ['name = "copies"', "year = 2024", "", "[volumes]"]
    for i in range(k):
        for pid, amount in base.volumes.items():
            value = amount[2024] if isinstance(amount, dict) else amount
            lines.append(
                f'{pid}_c{i} = "{value}"' if isinstance(value, str) else f"{pid}_c{i} = {value}"
            )
    scenario = folder / "copies.toml"
    scenario.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return scenario


def run(code: str) -> dict[str, float]:
    """Run ``code`` in a fresh process; it prints ``name value`` lines."""
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return {line.split()[0]: float(line.split()[1]) for line in out.splitlines() if line.strip()}


def median_of(code: str, runs: int = 3) -> dict[str, float]:
    results = [run(code) for _ in range(runs)]
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


CATALOG = """
import gc, sys, time, resource
sys.path.insert(0, {here!r})
t = time.perf_counter()
import mineralcalc as mc
mc.Catalog  # the package's own modules are imported lazily: not the table load
print("import", time.perf_counter() - t)
t = time.perf_counter()
cat = mc.Catalog.from_tables({folder!r}, merge=False)
print("load", time.perf_counter() - t)
t = time.perf_counter(); gc.collect(); print("collect", time.perf_counter() - t)
s = mc.load_scenario({scenario!r}, catalog=cat)
t = time.perf_counter(); cat.element_matrices(); print("explode", time.perf_counter() - t)
t = time.perf_counter(); import mineralcalc.engine.montecarlo  # scipy.sparse, once a process
print("sampler_import", time.perf_counter() - t)
t = time.perf_counter(); d = mc.demand(s, samples={n}, seed=1); d.quantiles("Nd")
print("mc", time.perf_counter() - t)
print("peak_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
import references as ref
t = time.perf_counter(); ref.reference_general(cat, s.volumes, {n}, 1, chunk=1000)
print("numpy", time.perf_counter() - t)
print("peak_numpy_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

REPORT = """
import time, subprocess, sys
t = time.perf_counter()
subprocess.run([sys.executable, "-m", "mineralcalc", "report", {scenario!r}, "--tables", {folder!r},
                "-f", "csv", "-o", {out!r}], check=True, capture_output=True)
print("report", time.perf_counter() - t)
"""


def catalog_axis(max_k: int) -> None:
    print("catalog axis: k copies of the shipped tables, 10,000 samples (median of 3 processes)")
    print(f"{'k':>6} {'products':>9} {'load':>8} {'gc':>6} {'explode':>8} {'MC 1e4':>8} "
          f"{'numpy':>8} {'ratio':>6} {'report':>8} {'peak MC':>8} {'numpy':>8}")  # fmt: skip
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in (1, 10, 100, 1000):
            if k > max_k:
                break
            folder = Path(tmp) / f"k{k}"
            scenario = copies(k, folder)
            r = median_of(CATALOG.format(here=str(HERE), folder=str(folder),
                                         scenario=str(scenario), n=10_000))  # fmt: skip
            r |= median_of(REPORT.format(scenario=str(scenario), folder=str(folder),
                                         out=str(Path(tmp) / "out.csv")))  # fmt: skip
            rows.append((k, r))
            print(f"{k:>6} {9 * k:>9,} {r['load']:8.3f} {r['collect']:6.3f} {r['explode']:8.3f} "
                  f"{r['mc']:8.3f} {r['numpy']:8.3f} {r['mc'] / r['numpy']:6.2f} "
                  f"{r['report']:8.3f} {r['peak_mib']:8.0f} {r['peak_numpy_mib']:8.0f}")  # fmt: skip
    _law([row for row in rows if row[0] >= 10], ("load", "explode", "mc", "numpy", "report"))


YEARS = """
import time
import mineralcalc as mc
base = mc.load_scenario("baseline-2024")
years = list(range(2024, 2024 + {y}))
vols = {{p: {{**v, "growth": "3 %/yr"}} for p, v in base.volumes.items()}}
t = time.perf_counter()
d = mc.demand(vols, base.catalog, years=years, samples=10_000, seed=1,
              changes=[mc.Change("*", "dy_metal", rate="-3 %/yr", since=2024)])
d.quantiles("Dy", year=years[-1])
print("mc", time.perf_counter() - t)
"""


def years_axis() -> None:
    print("\nyears axis: the baseline growing 3 %/yr with Dy thrifting 3 %/yr, 10,000 samples")
    rows = []
    for y in (1, 10, 50):
        r = median_of(YEARS.format(y=y))
        rows.append((y, r))
        print(f"  {y:>3} years: {r['mc']:7.3f} s")
    print(f"  50 years / 1 year: {rows[-1][1]['mc'] / rows[0][1]['mc']:.1f}x (goal <= 3)")


SAMPLES = """
import time, resource
import mineralcalc as mc
t = time.perf_counter()
d = mc.demand(mc.load_scenario("pledges-2040"), samples={n}, seed=1, max_memory="64 GiB")
d.quantiles("Dy", year=2040)
print("mc", time.perf_counter() - t)
print("peak_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def samples_axis() -> None:
    print("\nsamples axis: pledges-2040 (17 years), time and peak memory (one process each)")
    rows = []
    for n in (1_000, 10_000, 100_000, 1_000_000, 10_000_000):
        r = run(SAMPLES.format(n=n))
        rows.append((n, r))
        print(f"  {n:>11,} samples: {r['mc']:8.2f} s, peak {r['peak_mib']:7.0f} MiB")
    _law(rows[-2:], ("mc", "peak_mib"))


def _law(rows: list[tuple[int, dict[str, float]]], keys: tuple[str, ...]) -> None:
    if len(rows) < 2:
        return
    (a, ra), (b, rb) = rows[0], rows[-1]
    laws = ", ".join(
        f"{k} ~ size^{math.log(rb[k] / ra[k]) / math.log(b / a):.2f}"
        for k in keys if ra[k] > 0 and rb[k] > 0
    )  # fmt: skip
    print(f"  growth from {a:,} to {b:,}: {laws}")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    max_k = 1000
    if "--max-k" in sys.argv:
        max_k = int(sys.argv[sys.argv.index("--max-k") + 1])
        args = [a for a in args if a != str(max_k)]
    axes = args or ["catalog", "years", "samples"]
    if "catalog" in axes:
        catalog_axis(max_k)
    if "years" in axes:
        years_axis()
    if "samples" in axes:
        samples_axis()


if __name__ == "__main__":
    main()
