"""Cohort stock-flow model (issue 13): mineralcalc's vectorised cohorts against a plain numpy
convolution of the same survival curves.

The case: 30 years x 20 products x 15 elements, each product with its own lifetime
distribution (Weibull, normal, lognormal, fixed). mineralcalc: ``engine.cohorts.survival`` for
every product at once and ``stock_and_outflow`` (one einsum over cohorts, products, elements
and years). Reference, written from the question: a numpy user with the same survival curves
takes the discrete lifetime distribution of each product (``pdf[a] = s[a-1] - s[a]``, with
``s[-1] = 1``), convolves each product's and element's inflow with it (``np.convolve``, the
end-of-life flow), and the stock is the running sum of inflow less outflow. Both results are
checked equal. The survival curves are computed once for both (they are the same input).

Run: ``python benchmarks/stocks.py [repeats]``
"""

from __future__ import annotations

import sys
import time

import numpy as np

from mineralcalc.engine.cohorts import stock_and_outflow, survival

T, P, E = 30, 20, 15


def curves() -> np.ndarray:
    kinds = ["weibull", "normal", "lognormal", "fixed"]
    s = np.empty((P, T))
    rng = np.random.default_rng(0)
    for p in range(P):
        kind = kinds[p % 4]
        mean = rng.uniform(3, 25)
        s[p] = survival(kind, T, mean=mean, sd=mean / 3, shape=2.5, scale=mean * 1.1)
    return s


def reference(inflow: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plain numpy: outflow = inflow convolved with the lifetime pdf; stock = cumsum(in - out)."""
    pdf = -np.diff(np.concatenate([np.ones((P, 1)), s], axis=1), axis=1)
    out = np.empty_like(inflow)
    for p in range(P):
        for e in range(E):
            out[p, e] = np.convolve(inflow[p, e], pdf[p])[:T]
    return np.cumsum(inflow - out, axis=-1), out


def best(fn, *args, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t)
    return min(times)


def main(repeats: int = 200) -> None:
    inflow = np.random.default_rng(1).uniform(0, 100, (P, E, T))
    s = curves()
    ours, ref = stock_and_outflow(inflow, s), reference(inflow, s)
    np.testing.assert_allclose(ours[0], ref[0], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ours[1], ref[1], rtol=1e-9, atol=1e-9)
    a = best(stock_and_outflow, inflow, s, repeats=repeats)
    b = best(reference, inflow, s, repeats=repeats)
    print(f"{T} years x {P} products x {E} elements, best of {repeats}")
    print(f"  mineralcalc stock_and_outflow   {a * 1e3:8.3f} ms")
    print(f"  numpy convolution reference     {b * 1e3:8.3f} ms   ratio {a / b:.2f}  (goal <= 1.5)")
    t = time.perf_counter()
    for _ in range(repeats):
        curves()
    print(f"  survival curves of {P} products {(time.perf_counter() - t) / repeats * 1e3:8.3f} ms"
          " (same input for both)")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
