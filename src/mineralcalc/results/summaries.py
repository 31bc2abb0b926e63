"""Streamed summaries of sampled demand: memory that does not grow with the sample count.

When a sampled demand's totals would take more than
:data:`~mineralcalc.engine.draws.KEEP_BYTES` (1,000,000 samples of 26 elements over 17
years are 1.8 GB), they are not kept. Each chunk of samples updates, for every element, every
rare-earth group (as metal and as oxide) and every year (and the sum over the years):

* a histogram of :data:`BINS` equal bins over the demand's **exact interval bounds** for that
  target and year (every sample lies within them: the draws stay inside each parameter's
  range, and the bounds are the extremes of that box), with counts below and above for the
  lognormal draws that may leave them;
* the count, sum and sum of squares (mean and standard deviation, exact), minimum and maximum.

A quantile is read from the histogram: the bin holding its rank, linearly within the bin.
**Error bound**: it lies within one bin width, ``(high - low) / BINS``, of the quantile of the
same samples (``numpy.quantile``, linear interpolation), for any distribution; for the
baseline's Dy that is 0.04 t in 2,050 t, far below the sampling error of a quantile
(``tests/test_summaries.py`` checks the bound against exact quantiles). A quantile whose
rank falls below or above the bounds (lognormal tails only) is interpolated between the
bound and the minimum or maximum, and is approximate.

Summaries merge by adding (:meth:`Summaries.merge`), so chunks computed apart (an executor)
give the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["BINS", "Summaries"]

BINS = 4096
"""Bins of each histogram: a quantile is within (high - low) / 4096 of the exact one."""


class Summaries:
    """Histograms and moments of some targets, per year and summed over the years.

    Parameters
    ----------
    names : sequence of str
        The targets (``'Nd'``, ``'REE (REO)'`` ...).
    weights : ndarray, shape (targets, columns)
        Each target as a weighted sum of the sampled element columns.
    low, high : ndarray, shape (targets, years + 1)
        Exact bounds of each target per year; the last column is the sum over the years.
    """

    def __init__(
        self, names: Sequence[str], weights: np.ndarray, low: np.ndarray, high: np.ndarray
    ) -> None:
        self.names = tuple(names)
        self.index = {n: k for k, n in enumerate(self.names)}
        self.weights = np.asarray(weights, dtype=np.float64)
        self.low = np.asarray(low, dtype=np.float64)
        span = np.asarray(high, dtype=np.float64) - self.low
        self.width = np.where(span > 0, span, 1.0) / BINS  # a fixed target: one bin
        t, c = self.low.shape
        self.counts = np.zeros((t, c, BINS + 2), dtype=np.int64)  # [below, bins..., above]
        self.n = 0
        self.sum = np.zeros((t, c))
        self.sumsq = np.zeros((t, c))
        self.min = np.full((t, c), np.inf)
        self.max = np.full((t, c), -np.inf)

    def update(self, chunk: np.ndarray) -> None:
        """Add a chunk of samples: element totals [kg], shape (columns, years, s)."""
        n_c, n_y, s = chunk.shape
        values = np.empty((self.weights.shape[0], n_y + 1, s))
        values[:, :n_y] = (self.weights @ chunk.reshape(n_c, n_y * s)).reshape(-1, n_y, s)
        values[:, n_y] = values[:, :n_y].sum(axis=1)
        t, c, s = values.shape
        self.n += s
        self.sum += values.sum(axis=2)
        self.sumsq += (values * values).sum(axis=2)
        np.minimum(self.min, values.min(axis=2), out=self.min)
        np.maximum(self.max, values.max(axis=2), out=self.max)
        pos = (values - self.low[:, :, None]) / self.width[:, :, None]
        idx = np.floor(pos, out=pos)
        np.clip(idx, -1, BINS, out=idx)
        flat = idx.astype(np.int64) + 1 + (BINS + 2) * np.arange(t * c).reshape(t, c, 1)
        self.counts += np.bincount(flat.ravel(), minlength=t * c * (BINS + 2)).reshape(
            self.counts.shape
        )

    def merge(self, other: Summaries) -> None:
        """Add another set of summaries of the same targets (chunks computed apart)."""
        self.counts += other.counts
        self.n += other.n
        self.sum += other.sum
        self.sumsq += other.sumsq
        np.minimum(self.min, other.min, out=self.min)
        np.maximum(self.max, other.max, out=self.max)

    def quantiles(self, name: str, year: int, q: Sequence[float]) -> np.ndarray:
        """Quantiles ``q`` of target ``name`` in year index ``year`` (-1: the sum over years),
        in the units of the chunks, within one bin width of the exact sample quantiles."""
        k = self.index[name]
        counts = self.counts[k, year]
        lo, w = self.low[k, year], self.width[k, year]
        smallest, largest = self.min[k, year], self.max[k, year]
        cum = np.cumsum(counts)

        def order_statistic(j: int) -> float:
            """The j-th smallest sample (0-based), within one bin width."""
            b = int(np.searchsorted(cum, j, side="right"))
            before = cum[b - 1] if b > 0 else 0
            n_b = max(int(counts[b]), 1)
            if b == 0:  # below the bounds (lognormal tails): from the minimum to the bound
                return float(smallest + (j - before) / n_b * (lo - smallest))
            if b == BINS + 1:  # above: from the bound to the maximum
                top = lo + w * BINS
                return float(top + (j - before + 1) / n_b * (largest - top))
            return float(lo + w * (b - 1 + (j - before + 0.5) / n_b))  # spread in the bin

        out = []
        for p in q:
            rank = float(p) * (self.n - 1)  # as numpy.quantile: linear between neighbours
            j = int(np.floor(rank))
            a_, b_ = order_statistic(j), order_statistic(min(j + 1, self.n - 1))
            value = a_ + (rank - j) * (b_ - a_)
            out.append(min(max(value, smallest), largest))
        return np.asarray(out)

    def mean(self, name: str, year: int) -> float:
        """Mean of the samples of target ``name`` in year index ``year`` (-1: all years)."""
        return float(self.sum[self.index[name], year] / max(self.n, 1))

    def std(self, name: str, year: int) -> float:
        """Standard deviation of the samples (population)."""
        k = self.index[name]
        m = self.sum[k, year] / max(self.n, 1)
        return float(np.sqrt(max(self.sumsq[k, year] / max(self.n, 1) - m * m, 0.0)))

    @property
    def nbytes(self) -> int:
        return int(self.counts.nbytes + 6 * self.sum.nbytes)
