"""Cold start: ``mineralcalc report`` against importing pandas and building a pint registry.

The two commands run alternately (so machine load hits both alike), each N times in a fresh
process; medians are compared. Goals: report <= 1.2 x the baseline (issue 24; 1.3 x since
issue 6); ``mineralcalc --help`` under 0.3 s.

Run: ``python benchmarks/cold_start.py [N]``
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

BASELINE = [sys.executable, "-c", "import pandas, pint; pint.UnitRegistry()"]
REPORT = [sys.executable, "-m", "mineralcalc", "report"]
HELP = [sys.executable, "-m", "mineralcalc", "--help"]


def once(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    once(REPORT)  # warm the file cache and pint's definition cache
    times: dict[str, list[float]] = {"baseline": [], "report": [], "help": []}
    for _ in range(n):
        times["baseline"].append(once(BASELINE))
        times["report"].append(once(REPORT))
        times["help"].append(once(HELP))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"runs: {n} each, alternating; medians (min)")
    for k in ("baseline", "report", "help"):
        print(f"  {k:9} {med[k]:6.3f} s  ({min(times[k]):.3f} s)")
    print(f"report / baseline = {med['report'] / med['baseline']:.2f}  (goal <= 1.2)")
    print(f"--help = {med['help']:.3f} s  (goal < 0.3 s)")


if __name__ == "__main__":
    main()
