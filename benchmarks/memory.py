"""Peak memory of Monte Carlo sampling (issues 6, 12 and 18).

Each case runs in a fresh process and reports its peak resident memory (``ru_maxrss``) and
what a sampled demand keeps: the element totals per sample and year (float32) while they fit
``KEEP_BYTES`` (256 MiB), else the streamed summaries (histograms). The difference to the same
run without sampling is what sampling adds. Samples are processed in chunks of ~16 MiB of
working memory and per-product samples are never held (they are redrawn on request), so the
added memory should follow the kept array up to 256 MiB and then stop growing.

Run: ``python benchmarks/memory.py``
"""

from __future__ import annotations

import subprocess
import sys

CODE = """
import resource, mineralcalc as mc
d = mc.demand(mc.load_scenario("{scenario}"), samples={samples}, seed=1)
d.compare()
mc_ = d._mc
kept = 0 if mc_ is None else (mc_.totals.nbytes if mc_.totals is not None
                              else mc_.summaries.nbytes)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, kept / 2**20)
"""


def peak(samples: str, scenario: str = "baseline-2024") -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", CODE.format(samples=samples, scenario=scenario)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    p, kept = out.stdout.split()
    return float(p), float(kept)


def main() -> None:
    for scenario, counts in (("baseline-2024", (10_000, 100_000, 1_000_000, 10_000_000)),
                             ("pledges-2040", (100_000, 1_000_000))):  # fmt: skip
        base, _ = peak("None", scenario)
        print(f"{scenario}, no sampling: {base:7.0f} MiB peak")
        for n in counts:
            p, kept = peak(str(n), scenario)
            print(
                f"  {n:>10,} samples: {p:7.0f} MiB peak, +{p - base:5.0f} MiB "
                f"(kept: {kept:5.0f} MiB)"
            )


if __name__ == "__main__":
    main()
