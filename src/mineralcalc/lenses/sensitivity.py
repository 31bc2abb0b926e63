"""Sensitivity: which uncertain inputs drive the spread of an element's demand.

The question users ask right after a spread. Every drawn parameter (a part line's amount,
yield or recycled fraction, a product's volume) is measured against the sampled demand
``Y``, from the same samples (given-data estimators, no extra model runs):

Rank correlation
    Spearman's rho between the input and ``Y``: the input's exact grade ``F(X)`` (its
    uniform number, which the sampler keeps; a PERT's beta variate through the beta CDF)
    against the ranks of ``Y``. Signed: a yield's rho is negative (more yield, less ore).
First-order index
    ``S1 = Var(E[Y | X]) / Var(Y)``: the share of the variance the input explains on its own
    (Sobol' 1993). Estimated by the correlation ratio over ``M`` classes of equal
    probability of the input (its grade cut into ``M`` equal steps), with the within-class
    noise taken out (``(M - 1)`` times the pooled within variance; Plischke, Borgonovo and
    Smith 2013). For a model linear in independent inputs the indices add up to 1; the
    sum's shortfall is the share of interactions (products of uncertain lines on one path).
Standard errors
    Of both, from ten interleaved batches of the samples (batch means).
Tornado bars
    ``demand_low`` and ``demand_high``: the mean demand when the input is in its lowest and
    highest tenth: how far that input alone moves the answer, in tonnes.

Everything streams over chunks of the samples: memory is the demand's samples plus one
chunk of inputs.

References
----------
Sobol', I. M. (1993) Sensitivity estimates for nonlinear mathematical models. *Math. Model.
Comput. Exp.* 1(4), 407-414.

Plischke, E., Borgonovo, E., Smith, C. L. (2013) Global sensitivity measures from given data.
*Eur. J. Oper. Res.* 226(3), 536-550. https://doi.org/10.1016/j.ejor.2012.11.047
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..engine.distributions import CODES
from ..errors import SpreadError, VolumeError
from ..units import show_unit

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["MIN_SAMPLES", "sensitivity"]

MIN_SAMPLES = 1000
"""Fewest samples a sensitivity analysis is computed from."""

_BATCHES = 10
_CHUNK = 16_384
_NAMES = {k: name for name, k in CODES.items()}
_FLAT = 1e-6
"""A standard deviation at most this share of the mean is rounding, not a spread."""


def default_bins(n: int) -> int:
    """Classes for the first-order index: ``n // 500`` between 20 and 200 (at least 50
    samples a class; a linear effect keeps ``1 - 1/M^2`` of its variance, 99.75 % at 20)."""
    return int(min(200, max(20, n // 500)))


def sensitivity(
    demand: Demand,
    element: str,
    *,
    year: int | None = None,
    product: str | Iterable[str] | None = None,
    bins: int | None = None,
) -> pd.DataFrame:
    """Each uncertain input's share of the spread of ``element``'s demand.

    For every drawn parameter (a line's amount, yield or recycled fraction, a product's
    volume), from the same samples: the Spearman rank correlation with the demand, and the
    first-order variance index ``S1 = Var(E[demand | input]) / Var(demand)``, the share of the
    variance the input explains alone (see the module notes for the measures).

    Parameters
    ----------
    demand : Demand
        A demand with samples (``d.sensitivity(...)`` passes itself).
    element : str
        An element or group (``'Dy'``, ``'magnet REE'``).
    year : int, optional
        One year (default: the sum over the demand's years).
    product : str or iterable of str, optional
        The demand of some products only (default: all).
    bins : int, optional
        Classes of equal probability for the first-order index (default from the sample
        count; see the module notes).

    Returns
    -------
    DataFrame
        One row per parameter, largest first index first: ``parameter``, ``kind``,
        ``item``, ``part``, ``low``, ``central``, ``high``, ``unit``, ``dist``,
        ``rank_correlation``, ``first_order`` (with ``first_order_se``), ``demand_low`` and
        ``demand_high`` (mean demand [t] when the input is in its lowest or highest tenth:
        the tornado's bars).

    Raises
    ------
    VolumeError
        A demand without samples, or with fewer than :data:`MIN_SAMPLES`; a ``bins`` that is
        not a whole number from 2 to one class per 20 samples.
    SpreadError
        An element without modelled demand (in ``year``, of ``product``), or whose demand does
        not vary across the samples: no input drives a spread, and every index would be 0/0.
    UnknownItemError
        A name that is no element or group, a product not in the demand.
    """
    if demand.samples is None:
        raise VolumeError(
            "sensitivity needs samples: compute the demand with samples=N (10,000 or more)"
        )
    n = demand.samples
    if n < MIN_SAMPLES:
        raise VolumeError(
            f"sensitivity from {n:,} samples would be noise: draw at least {MIN_SAMPLES:,}"
        )
    m = default_bins(n) if bins is None else bins
    if isinstance(m, bool) or not isinstance(m, int | np.integer) or not 2 <= m <= n // 20:
        raise VolumeError(f"bins must be a whole number from 2 to {n // 20:,}, got {bins!r}")
    y = demand.sample_values(element, "t", year=year, product=product)
    _check_spread(demand, element, y, year, product)
    # every year group draws the same inputs; the bounds of volumes are the year's
    at = demand.years.index(year) if year is not None else 0
    sampler, ys = next((sm, ys) for sm, ys in demand.samplers if at in ys)
    lo, c, hi, code = sampler.parameter_bounds(ys.index(at))
    names = sampler.parameters(demand.products)
    k = len(names)
    from scipy import stats  # here, not at import: scipy.stats costs a report ~0.4 s

    ry = (stats.rankdata(y) - 0.5) / n  # ranks of Y as grades
    batch = np.arange(n) % _BATCHES
    # streamed sums, per batch: grade moments and cross moments; class sums of Y
    s_g = np.zeros((_BATCHES, k))
    s_gg = np.zeros((_BATCHES, k))
    s_gr = np.zeros((_BATCHES, k))
    cls_n = np.zeros((_BATCHES, k, m))
    cls_y = np.zeros((_BATCHES, k, m))
    tails = np.zeros((2, k))  # sum of Y in the lowest and highest tenth of each input
    tail_n = np.zeros((2, k))
    seed = demand.seed if demand.seed is not None else 0
    for start in range(0, n, _CHUNK):
        s = min(_CHUNK, n - start)
        g = sampler.grades(sampler.uniforms(seed, start, s))  # (k, s)
        yy, rr, bb = y[start : start + s], ry[start : start + s], batch[start : start + s]
        cl = np.minimum((g * m).astype(np.int64), m - 1)
        for b in range(_BATCHES):
            sel = bb == b
            gb = g[:, sel]
            s_g[b] += gb.sum(axis=1)
            s_gg[b] += (gb * gb).sum(axis=1)
            s_gr[b] += gb @ rr[sel]
            flat = cl[:, sel] + (np.arange(k) * m)[:, None]
            cls_n[b] += np.bincount(flat.ravel(), minlength=k * m).reshape(k, m)
            w = np.broadcast_to(yy[sel], flat.shape).ravel()
            cls_y[b] += np.bincount(flat.ravel(), weights=w, minlength=k * m).reshape(k, m)
        low, high = g < 0.1, g >= 0.9
        tails[0] += low @ yy
        tails[1] += high @ yy
        tail_n[0] += low.sum(axis=1)
        tail_n[1] += high.sum(axis=1)
    y_b = np.array([y[batch == b] for b in range(_BATCHES)], dtype=object)
    n_b = np.array([v.size for v in y_b], dtype=float)
    sy_b = np.array([v.sum() for v in y_b])
    syy_b = np.array([(v * v).sum() for v in y_b])
    sr_b = np.array([ry[batch == b].sum() for b in range(_BATCHES)])
    srr_b = np.array([(ry[batch == b] ** 2).sum() for b in range(_BATCHES)])

    def rho(
        sg: np.ndarray, sgg: np.ndarray, sgr: np.ndarray, nn: float, sr: float, srr: float
    ) -> np.ndarray:
        cov = sgr / nn - (sg / nn) * (sr / nn)
        var_g = sgg / nn - (sg / nn) ** 2
        var_r = srr / nn - (sr / nn) ** 2
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(cov / np.sqrt(var_g * var_r))

    def first_order(cn: np.ndarray, cy: np.ndarray, nn: float, sy: float, syy: float) -> np.ndarray:
        ss_total = syy - sy * sy / nn
        with np.errstate(invalid="ignore", divide="ignore"):
            between = np.where(cn > 0, cy * cy / np.where(cn > 0, cn, 1), 0).sum(axis=-1)
            between = between - sy * sy / nn
            within = ss_total - between
            s1 = (between - (m - 1) * within / (nn - m)) / ss_total
        return np.asarray(np.where(ss_total > 0, s1, np.nan))

    rho_all = rho(s_g.sum(0), s_gg.sum(0), s_gr.sum(0), n, sr_b.sum(), srr_b.sum())
    rho_batches = np.array(
        [rho(s_g[b], s_gg[b], s_gr[b], n_b[b], sr_b[b], srr_b[b]) for b in range(_BATCHES)]
    )
    s1_all = first_order(cls_n.sum(0), cls_y.sum(0), n, sy_b.sum(), syy_b.sum())
    s1_batches = np.array(
        [first_order(cls_n[b], cls_y[b], n_b[b], sy_b[b], syy_b[b]) for b in range(_BATCHES)]
    )
    se = np.sqrt(_BATCHES / (_BATCHES - 1))  # batch means: sd of the batch means / sqrt(B)
    units = _units(demand, names)
    frame = pd.DataFrame(
        {
            "parameter": [_label(kind, item, part) for kind, item, part in names],
            "kind": [kind for kind, _, _ in names],
            "item": [item for _, item, _ in names],
            "part": [part for _, _, part in names],
            "low": lo,
            "central": c,
            "high": hi,
            "unit": units,
            "dist": [_NAMES[int(x)] for x in code],
            "rank_correlation": rho_all,
            "rank_correlation_se": rho_batches.std(axis=0) * se / np.sqrt(_BATCHES),
            "first_order": np.clip(s1_all, 0.0, None),
            "first_order_se": s1_batches.std(axis=0) * se / np.sqrt(_BATCHES),
            "demand_low": tails[0] / np.maximum(tail_n[0], 1),
            "demand_high": tails[1] / np.maximum(tail_n[1], 1),
        }
    )
    # parameters drawn but fixed in this demand's catalogs (lo == hi) tell nothing
    frame = frame[frame["high"] > frame["low"]]
    frame = frame.sort_values(
        ["first_order", "rank_correlation"], ascending=False, key=np.abs, kind="stable"
    ).reset_index(drop=True)
    frame.attrs.update(
        element=element,
        year=year,
        samples=n,
        bins=m,
        unit="t",
        demand_mean=float(y.mean()),
        demand_sd=float(y.std()),
        first_order_sum=float(np.nansum(frame["first_order"])),
    )
    return frame


def _check_spread(
    demand: Demand,
    element: str,
    y: np.ndarray,
    year: int | None,
    product: str | Iterable[str] | None,
) -> None:
    """Refuse a demand of ``element`` that is zero or does not vary (see :func:`sensitivity`)."""
    where = f" in {year}" if year is not None else ""
    if product is not None:
        names = [product] if isinstance(product, str) else list(product)
        where += f" from {', '.join(names)}"
    if not np.any(y):
        used = ", ".join(demand.elements) or "none"
        raise SpreadError(
            f"no sensitivity for {element!r}{where}: no product of the demand needs {element} "
            "(modelled demand 0 t; other uses are not sampled), so no input drives a spread; "
            f"ask for an element the products use ({used})"
        )
    mean = float(np.mean(y))
    if float(np.std(y)) <= _FLAT * abs(mean):
        raise SpreadError(
            f"no sensitivity for {element!r}{where}: its modelled demand ({mean:,.6g} t) does not "
            f"vary across the {y.size:,} samples: every input behind it is a fixed figure, so "
            "nothing drives a spread; give its lines or volumes a range to analyse it"
        )


def _label(kind: str, item: str, part: str) -> str:
    if kind == "volume":
        return f"volume of {item}"
    if kind == "amount":
        return f"{part} in {item}"
    return f"{kind} of {part} in {item}"


def _units(demand: Demand, names: list[tuple[str, str, str]]) -> list[str]:
    cat = demand.catalog
    out = []
    for kind, item, part in names:
        if kind == "volume":
            out.append(cat[item].basis_text)
        elif kind == "amount" and item in cat and part in cat:
            ratio = cat[part].basis / cat[item].basis
            dimensionless = not ratio.dimensionality
            # kg/kg and unit/unit say more than a bare 1
            out.append(
                f"{cat[part].basis_text}/{cat[item].basis_text}"
                if dimensionless
                else show_unit(ratio)
            )
        else:
            out.append("fraction")
    return out
