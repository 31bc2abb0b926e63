"""The distributions of uncertain amounts: inverse CDFs for sampling, and exact moments.

Every uncertain parameter is a low ``a``, central ``c`` and high ``b`` with one of
:data:`~mineralcalc.estimate.DISTRIBUTIONS`:

``fixed``
    always ``c``.
``uniform``
    on ``[a, b]`` (``c`` is only reported).
``triangular``
    on ``[a, b]`` with mode ``c``.
``pert``
    ``a + (b - a) B`` with ``B ~ Beta(1 + 4 (c - a) / (b - a), 1 + 4 (b - c) / (b - a))``
    (Vose 2008): mode ``c``, mean ``(a + 4 c + b) / 6``.
``lognormal``
    median ``c``, with ``a`` and ``b`` its 5th and 95th percentiles (it may leave them):
    ``sigma = ln(b / a) / (2 z95)``.

Sampling maps one uniform number per parameter and sample through the inverse CDF
(:func:`draw`), so the same numbers drive a parameter wherever it recurs (every year of a
scenario, every re-run for a product's spread). A PERT line amount, yield or recycled fraction
is the exception: its inverse CDF (the inverse regularised incomplete beta function) costs
~0.6 us a value, so it is drawn as a beta variate by numpy's generator instead (same
distribution, from the same seeded stream). Either way each parameter has one *standard
input* per sample in [0, 1], monotone in its value: what rank-based sensitivity measures use.

The means are exact (closed forms, and Gauss-Jacobi quadrature of ``1 / x`` for a PERT's
reciprocal, exact to rounding for yields above a few per cent): a demand's mean per product
follows from them without sampling (see :mod:`mineralcalc.engine.montecarlo`).

References
----------
Vose, D. (2008) *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley, ch. 9.
Johnson, N. L., Kotz, S., Balakrishnan, N. (1995) *Continuous Univariate Distributions*,
vol. 2, 2nd ed., Wiley, ch. 25 (beta).
"""

from __future__ import annotations

import numpy as np

from ..estimate import DISTRIBUTIONS

__all__ = ["CODES", "Z95", "draw", "mean", "pert_shape", "reciprocal_mean", "widen"]

Z95 = 1.6448536269514722
"""The standard normal 95th percentile."""

CODES = {name: n for n, name in enumerate(DISTRIBUTIONS)}
"""Index of each distribution name, the ``code`` arrays below."""

_QUAD_NODES = 64
_SLICE = 2**18  # values per slice of rows in draw()


def _sigma(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Lognormal sigma from the 5th and 95th percentiles."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((a > 0) & (b > a), np.log(b / np.where(a > 0, a, 1.0)), 0.0) / (2 * Z95)


def pert_shape(lo: np.ndarray, c: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The beta shapes ``(alpha, beta)`` of PERT distributions (1, 1 where ``lo == hi``)."""
    w = hi - lo
    safe = np.where(w > 0, w, 1.0)
    return 1.0 + 4.0 * (c - lo) / safe, 1.0 + 4.0 * (hi - c) / safe


def draw(
    u: np.ndarray,
    lo: np.ndarray,
    c: np.ndarray,
    hi: np.ndarray,
    code: np.ndarray,
    *,
    beta_given: bool = False,
) -> np.ndarray:
    """Values for uniform numbers ``u`` (params x samples) by each parameter's inverse CDF.

    Parameters
    ----------
    u : ndarray, shape (n, S)
        Uniform numbers in [0, 1).
    lo, c, hi : ndarray, shape (n,)
        Low, central, high of each parameter.
    code : ndarray of int, shape (n,)
        Index of each parameter's distribution in :data:`CODES`.
    beta_given : bool, default False
        The rows of PERT parameters already hold their standard beta variates (drawn with
        :meth:`numpy.random.Generator.beta`, ~15 times faster than the inverse beta CDF): they
        are only scaled to ``[lo, hi]``.

    Returns
    -------
    ndarray, shape (n, S)
        Inside ``[lo, hi]`` for every distribution but ``lognormal``.
    """
    out = np.empty_like(u)
    # rows in slices of ~256k values: the temporaries stay in cache (a 30 MB block is twice
    # as slow per value as a 2 MB one)
    step = max(1, _SLICE // max(1, u.shape[1]))
    for name, k in CODES.items():
        rows = np.flatnonzero(code == k)
        for start in range(0, rows.size, step):
            r = rows[start : start + step]
            whole = r.size == code.size
            uu = u if whole else u[r]
            out[r] = _inverse(name, uu, lo[r, None], c[r, None], hi[r, None], beta_given)
    return out


def _inverse(
    name: str, uu: np.ndarray, a: np.ndarray, m: np.ndarray, b: np.ndarray, beta_given: bool
) -> np.ndarray:
    """The inverse CDF of one distribution for a slice of rows."""
    w = b - a
    if name == "fixed":
        return np.broadcast_to(m, uu.shape)
    if name == "uniform":
        return np.asarray(a + uu * w)
    if name == "triangular":
        # F(c) = (c - a) / w; left branch a + sqrt(u w (c - a)), right b - sqrt((1 - u) w (b - c))
        f = (m - a) / np.where(w > 0, w, 1.0)
        left = uu < f
        t = np.where(left, uu * (w * (m - a)), (1.0 - uu) * (w * (b - m)))
        np.sqrt(t, out=t)
        return np.asarray(np.where(left, a + t, b - t))
    if name == "pert":
        if beta_given:
            return np.asarray(a + w * uu)
        alpha, beta = pert_shape(a, m, b)
        from scipy import special  # scipy loads only when a draw needs it

        return np.asarray(a + w * special.betaincinv(alpha, beta, uu))
    sigma = _sigma(a[:, 0], b[:, 0])[:, None]  # lognormal
    from scipy import special

    return np.asarray(m * np.exp(sigma * special.ndtri(np.clip(uu, 1e-300, None))))


def mean(lo: np.ndarray, c: np.ndarray, hi: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Exact mean of each parameter's distribution.

    ``uniform`` ``(a + b) / 2``; ``triangular`` ``(a + c + b) / 3``; ``pert``
    ``(a + 4 c + b) / 6``; ``lognormal`` ``c exp(sigma^2 / 2)``; ``fixed`` ``c``.
    """
    lo, c, hi = (np.asarray(x, dtype=np.float64) for x in (lo, c, hi))
    out = c.copy()
    k = np.asarray(code)
    sel = k == CODES["uniform"]
    out[sel] = (lo[sel] + hi[sel]) / 2
    sel = k == CODES["triangular"]
    out[sel] = (lo[sel] + c[sel] + hi[sel]) / 3
    sel = k == CODES["pert"]
    out[sel] = (lo[sel] + 4 * c[sel] + hi[sel]) / 6
    sel = k == CODES["lognormal"]
    out[sel] = c[sel] * np.exp(_sigma(lo[sel], hi[sel]) ** 2 / 2)
    return out


def reciprocal_mean(lo: np.ndarray, c: np.ndarray, hi: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Exact ``E[1 / X]`` of each parameter's distribution (all values above zero).

    What a yield contributes on average: a line needs ``amount / yield``, and with the yield
    drawn independently its mean is ``E[amount] E[1 / yield]``, not ``E[amount] / E[yield]``.

    ``uniform`` ``ln(b / a) / (b - a)``; ``triangular``
    ``2 / (b - a) [b ln(b / c) / (b - c) - a ln(c / a) / (c - a)]`` (each ratio 1 in its
    limit); ``lognormal`` ``exp(sigma^2 / 2) / c``; ``pert`` by 64-point Gauss-Jacobi
    quadrature with the beta density as weight; ``fixed`` ``1 / c``.
    """
    lo, c, hi = (np.asarray(x, dtype=np.float64) for x in (lo, c, hi))
    out = 1.0 / c
    k = np.asarray(code)
    ranged = hi > lo
    sel = (k == CODES["uniform"]) & ranged
    out[sel] = np.log(hi[sel] / lo[sel]) / (hi[sel] - lo[sel])
    sel = np.flatnonzero((k == CODES["triangular"]) & ranged)
    if sel.size:
        a, m, b = lo[sel], c[sel], hi[sel]
        out[sel] = 2 / (b - a) * (_log_ratio(b, m) - _log_ratio(a, m))
    sel = k == CODES["lognormal"]
    out[sel] = np.exp(_sigma(lo[sel], hi[sel]) ** 2 / 2) / c[sel]
    for i in np.flatnonzero((k == CODES["pert"]) & ranged):
        a, m, b = lo[i], c[i], hi[i]
        alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)
        # t in [0, 1] as (1 + x) / 2, weight (1 - x)^(beta - 1) (1 + x)^(alpha - 1)
        from scipy import special

        x, w = special.roots_jacobi(_QUAD_NODES, beta - 1, alpha - 1)
        out[i] = float(np.sum(w / (a + (b - a) * (1 + x) / 2)) / np.sum(w))
    return out


def _log_ratio(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``x ln(x / m) / (x - m)`` up to sign conventions: the triangular reciprocal's terms.

    For ``x = b``: ``b ln(b / c) / (b - c)``; for ``x = a``: ``a ln(c / a) / (c - a)``, the
    same expression. Its limit as ``m -> x`` is 1.
    """
    d = x - m
    near = np.abs(d) <= 1e-9 * np.maximum(np.abs(x), 1e-300)
    safe = np.where(near, 1.0, d)
    return np.where(near, 1.0, x * np.log(x / m) / safe)


def widen(
    lo: np.ndarray, c: np.ndarray, hi: np.ndarray, code: np.ndarray, z: float = 6.0
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds that hold every draw but one in ~10^9: ``lo`` and ``hi`` themselves for the
    bounded distributions, ``c exp(-+ z sigma)`` for a lognormal (whose ``lo`` and ``hi`` are
    only its 5th and 95th percentiles)."""
    lo, c, hi = (np.asarray(x, dtype=np.float64) for x in (lo, c, hi))
    out_lo, out_hi = lo.copy(), hi.copy()
    sel = np.asarray(code) == CODES["lognormal"]
    if sel.any():
        sigma = _sigma(lo[sel], hi[sel])
        out_lo[sel] = c[sel] * np.exp(-z * sigma)
        out_hi[sel] = c[sel] * np.exp(z * sigma)
    return out_lo, out_hi
