"""Peak memory of Monte Carlo sampling on the 2024 baseline (issue 6).

Each case runs in a fresh process and reports its peak resident memory (``ru_maxrss``); the
difference to the same run without sampling is what sampling adds. Samples are processed in
chunks, so the added memory should follow the output (samples x elements x years, plus the
per-product samples kept within their budget), not samples x products x elements x items.

Run: ``python benchmarks/memory.py``
"""

from __future__ import annotations

import subprocess
import sys

CODE = """
import resource, mineralcalc as mc
d = mc.demand(mc.load_scenario("{scenario}"), samples={samples}, seed=1)
d.compare()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def peak(samples: str, scenario: str = "baseline-2024") -> float:
    out = subprocess.run(
        [sys.executable, "-c", CODE.format(samples=samples, scenario=scenario)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(out.stdout.strip())


def main() -> None:
    base = peak("None")
    print(f"baseline-2024, no sampling:      {base:7.0f} MiB peak")
    for n in (10_000, 100_000, 1_000_000):
        p = peak(str(n))
        # output: totals (n x 13 elements x 1 year x 8 B) + per-product samples (n x 9 x 13 x 4 B)
        expected = n * 13 * 8 / 2**20 + (
            n * 9 * 13 * 4 / 2**20 if n * 9 * 13 * 4 <= 256 * 2**20 else 0
        )
        print(
            f"  {n:>9,} samples:  {p:7.0f} MiB peak, +{p - base:5.0f} MiB (output arrays ~{expected:4.0f} MiB)"
        )
    p = peak("100000", "pledges-2040")
    print(f"pledges-2040 (17 years), 100,000 samples: {p:7.0f} MiB peak")


if __name__ == "__main__":
    main()
