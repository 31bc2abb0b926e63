"""Cohorts: how much of each year's inflow of products is still in use, and what leaves.

Products enter use in the middle of their year (the inflow of year ``c``) and are counted at the
end of each year: a cohort is still in use at the end of year ``t`` with probability
``s[t - c] = S(t - c + 0.5)``, where ``S`` is the survival function of the product's lifetime.
This is flodym's convention (``inflow_at="middle"``), so the two agree on the same inputs.

For an inflow ``i`` (any leading axes, years last) the stock at the end of year ``t`` is
``stock[t] = sum_c i[c] s[t - c]`` and the outflow (end of life) is what the stock does not
keep, ``outflow[t] = i[t] - (stock[t] - stock[t-1])``: the mass balance holds by construction,
to rounding, for every element, product and year. ``outflow[t] = sum_c i[c] (s[t-c-1] - s[t-c])``
with ``s[-1] = 1`` gives the same numbers cohort by cohort.

Everything here is vectorised: the survival curves of many products (and many Monte Carlo draws
of their lifetimes) at once, and one ``einsum`` over cohorts, products, elements and years. For
``S`` draws of the survival curves the same sum is taken over ages, ``stock[t] = sum_a
s[a] i[t - a]``, against the inflow laid out by age (:func:`inflow_by_age`, built once for every
draw): a matrix product per product, with no array of draws x years x years. A draw's numbers do
not depend on the other draws computed with it.

References
----------
.. [1] Lauinger, D. et al., flodym: flexible dynamic material flow models, survival functions
   (``flodym.lifetime_models``), https://github.com/pik-piam/flodym
.. [2] Pauliuk, S., Heeren, N. (2020) ODYM: an open software framework for studying dynamic
   material systems. Journal of Industrial Ecology 24, 446-458.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DISTRIBUTIONS", "cohort_matrix", "inflow_by_age", "stock_and_outflow", "survival"]

DISTRIBUTIONS = ("fixed", "normal", "weibull", "lognormal")
"""Lifetime distributions: ``fixed`` (``mean``), ``normal`` and ``lognormal`` (``mean`` and
``sd`` of the lifetime itself), ``weibull`` (``shape`` k and ``scale`` lambda)."""


def survival(
    kind: str,
    n_years: int,
    *,
    mean: np.ndarray | float = np.nan,
    sd: np.ndarray | float = np.nan,
    shape: np.ndarray | float = np.nan,
    scale: np.ndarray | float = np.nan,
) -> np.ndarray:
    """Share of a cohort still in use at the end of each year of age, ``s[a] = S(a + 0.5)``.

    Parameters
    ----------
    kind : {'fixed', 'normal', 'weibull', 'lognormal'}
    n_years : int
        Ages 0 .. n_years - 1.
    mean, sd : array_like [yr]
        Mean and standard deviation of the lifetime (fixed: mean only). Any shape: the ages
        are a new last axis.
    shape, scale : array_like
        Weibull shape (k, dimensionless) and scale (lambda, yr).

    Returns
    -------
    ndarray, shape ``param_shape + (n_years,)``
        Survival by age, in [0, 1], not increasing with age.
    """
    age = np.arange(n_years) + 0.5
    if kind == "fixed":
        m = np.asarray(mean, dtype=float)[..., None]
        return (age < m).astype(float)
    if kind == "weibull":
        k = np.asarray(shape, dtype=float)[..., None]
        lam = np.asarray(scale, dtype=float)[..., None]
        return np.asarray(np.exp(-((age / lam) ** k)))
    from scipy.special import ndtr

    m = np.asarray(mean, dtype=float)[..., None]
    s = np.asarray(sd, dtype=float)[..., None]
    if kind == "normal":  # not truncated at 0, as flodym's NormalLifetime
        return np.asarray(ndtr((m - age) / s))
    if kind == "lognormal":  # mean and sd of the lifetime, not of its logarithm
        sigma = np.sqrt(np.log1p((s / m) ** 2))
        mu = np.log(m) - sigma**2 / 2
        return np.asarray(ndtr((mu - np.log(age)) / sigma))
    raise ValueError(f"unknown lifetime distribution {kind!r} (one of {', '.join(DISTRIBUTIONS)})")


def cohort_matrix(s: np.ndarray) -> np.ndarray:
    """Survival by year and cohort, ``M[..., t, c] = s[..., t - c]`` for ``t >= c``, else 0.

    Parameters
    ----------
    s : ndarray, shape ``(..., T)``
        Survival by age (:func:`survival`).

    Returns
    -------
    ndarray, shape ``(..., T, T)``
    """
    n = s.shape[-1]
    lag = np.arange(n)[:, None] - np.arange(n)[None, :]
    return np.where(lag >= 0, s[..., np.clip(lag, 0, None)], 0.0)


def inflow_by_age(inflow: np.ndarray) -> np.ndarray:
    """Each year's inflow by the age its cohort has then: ``L[p, a, e, t] = i[p, e, t - a]``
    for ``a <= t``, else 0.

    Parameters
    ----------
    inflow : ndarray, shape ``(P, E, T)``
        Inflow of each element in each product, by year [any mass unit].

    Returns
    -------
    ndarray, shape ``(P, T, E, T)``
        Ages on the second axis, contiguous (:func:`stock_and_outflow` of many draws).
    """
    return np.ascontiguousarray(np.moveaxis(cohort_matrix(inflow), -1, 1))


def stock_and_outflow(
    inflow: np.ndarray, s: np.ndarray, *, by_age: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Stock at the end of each year and outflow (end of life) during it.

    Parameters
    ----------
    inflow : ndarray, shape ``(P, E, T)``
        Inflow of each element in each product, by year [any mass unit].
    s : ndarray, shape ``(P, T)`` or ``(S, P, T)``
        Survival by age of each product's cohorts (``S`` draws of it for a Monte Carlo).
    by_age : ndarray, shape ``(P, T, E, T)``, optional
        :func:`inflow_by_age` of ``inflow``, for draws computed chunk by chunk (default: built
        here).

    Returns
    -------
    stock, outflow : ndarray, shape ``(P, E, T)`` or ``(S, P, E, T)``
        In the unit of ``inflow``; ``inflow - outflow`` equals the change of stock.
    """
    if s.ndim == 2:
        stock = np.einsum("ptc,pec->pet", cohort_matrix(s), inflow, optimize=True)
    else:
        lagged = inflow_by_age(inflow) if by_age is None else by_age
        n_p, n_a = lagged.shape[:2]
        # per product: (S, ages) @ (ages, E x T)
        flat = np.matmul(s.transpose(1, 0, 2), lagged.reshape(n_p, n_a, -1))
        stock = flat.reshape(n_p, s.shape[0], *inflow.shape[1:]).transpose(1, 0, 2, 3)
    before = np.concatenate([np.zeros_like(stock[..., :1]), stock[..., :-1]], axis=-1)
    return stock, inflow - (stock - before)
