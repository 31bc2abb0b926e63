"""Long fuzz run of the loaders: tables, scenarios, amounts, items.

Run: ``python tests/fuzz/fuzz_loaders.py [minutes]`` (default 10). Loops over the targets of
``tests/fuzzing.py`` with fresh hypothesis seeds until the time is up, counts every input,
and records each distinct crash (any exception that is not a MineralcalcError) with its
traceback. Exit code 1 if anything crashed.
"""

from __future__ import annotations

import collections
import random
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests import fuzzing as fz

COUNTS: collections.Counter[str] = collections.Counter()
OUTCOMES: collections.Counter[str] = collections.Counter()
CRASHES: dict[str, str] = {}


def guarded(target: str, fn, *args) -> None:
    COUNTS[target] += 1
    try:
        OUTCOMES[f"{target}: {fn(*args)}"] += 1
    except Exception as e:
        sig = f"{target}: {type(e).__name__}: {str(e)[:120]}"
        if sig not in CRASHES:
            CRASHES[sig] = f"input: {args!r:.600}\n{traceback.format_exc()}"


def round_of(n: int, rnd: int) -> None:
    opts = dict(
        max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )

    @seed(rnd)
    @settings(**opts)
    @given(fz.table_case())
    def tables(case):
        guarded("tables", fz.run_table, *case)

    @seed(rnd)
    @settings(**opts)
    @given(fz.scenario_case())
    def scenarios(data):
        guarded("scenarios", fz.run_scenario, data)

    @seed(rnd)
    @settings(**{**opts, "max_examples": 10 * n})
    @given(fz.amount_text)
    def amounts(text):
        guarded("amounts", fz.run_amount, text)

    @seed(rnd)
    @settings(**{**opts, "max_examples": 5 * n})
    @given(fz.item_case())
    def items(case):
        guarded("items", fz.run_item, *case)

    for target in (tables, scenarios, amounts, items):
        target()


def main() -> int:
    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    end = time.monotonic() + 60 * minutes
    start = time.monotonic()
    rounds = 0
    while time.monotonic() < end:
        round_of(200, random.randrange(2**32))
        rounds += 1
    total = sum(COUNTS.values())
    print(
        f"fuzzed for {(time.monotonic() - start) / 60:.1f} min, {rounds} rounds, {total:,} inputs"
    )
    for target, n in sorted(COUNTS.items()):
        print(f"  {target:10} {n:>8,} inputs")
    print("outcomes (ok or the MineralcalcError raised), most common:")
    for outcome, n in OUTCOMES.most_common(25):
        print(f"  {n:>8,}  {outcome}")
    print(f"crashes (not MineralcalcError): {len(CRASHES)}")
    for sig, detail in CRASHES.items():
        print("-" * 70, f"\n{sig}\n{detail}")
    return 1 if CRASHES else 0


if __name__ == "__main__":
    sys.exit(main())
