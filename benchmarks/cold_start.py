"""Cold start: ``mineralcalc report`` against importing its dependencies.

Two references, each a fresh process that only imports (the most natural "how long does
Python take before it can start working" a competent user would time):

* ``pandas+pint``: ``import pandas, pint; pint.UnitRegistry()`` (the reference since issue 6);
* ``dependencies``: every third-party package ``report`` itself imports, as it imports them
  (numpy, pandas, pint with a registry, rich's console, table and tree, rich_argparse, attrs,
  scipy): the "bare imports of its dependencies" of issue 24.

The commands run alternately (so machine load hits all alike), each N times; medians are
compared. Python writes each module's bytecode on first import and reads it afterwards: the
runs do so too (``PYTHONDONTWRITEBYTECODE`` is removed from their environment; a sandbox
that sets it would otherwise compile this package's ~115 modules on every run, ~0.15 s that
no user pays). Goals: report <= 1.2 x the dependencies (issue 24); ``mineralcalc --help``
under 0.3 s.

Run: ``python benchmarks/cold_start.py [N]``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

PANDAS_PINT = [sys.executable, "-c", "import pandas, pint; pint.UnitRegistry()"]
DEPENDENCIES = [
    sys.executable,
    "-c",
    "import numpy, pandas, pint, attrs, scipy, rich_argparse; pint.UnitRegistry(); "
    "import rich.console, rich.table, rich.tree",
]
REPORT = [sys.executable, "-m", "mineralcalc", "report"]
HELP = [sys.executable, "-m", "mineralcalc", "--help"]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def once(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
    return time.perf_counter() - t


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    commands = {"pandas+pint": PANDAS_PINT, "dependencies": DEPENDENCIES, "report": REPORT,
                "help": HELP}  # fmt: skip
    for cmd in commands.values():
        once(cmd)  # warm the file cache, the bytecode and pint's definition cache
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(n):
        for k, cmd in commands.items():
            times[k].append(once(cmd))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"runs: {n} each, alternating; medians (min)")
    for k in commands:
        print(f"  {k:13} {med[k]:6.3f} s  ({min(times[k]):.3f} s)")
    print(f"report / dependencies = {med['report'] / med['dependencies']:.2f}  (goal <= 1.2)")
    print(f"report / pandas+pint  = {med['report'] / med['pandas+pint']:.2f}")
    print(f"--help = {med['help']:.3f} s  (goal < 0.3 s)")


if __name__ == "__main__":
    main()
