"""Validation: a scenario's results (the shipped 2024 baseline by default) next to published
figures, by kind, and a check that the base year's balance agrees with how prices moved.

``tables/validation.csv`` holds published figures, each naming a metric
(:mod:`mineralcalc.lenses.metrics`) with a tolerance and the basis of that tolerance, and a
kind (:mod:`mineralcalc.data.validation_tables`): products and stocks (``validation``), the
ore model (``composition``), what the market did (``outcome``), and, shown but never counted,
figures used to build a table (``calibration``) and figures of another year or scope
(``context``). ``tables/price_moves.csv`` holds each element's price change over the year: a
base year that shows a deficit of more than 10 % in a year whose price fell more than 15 %, or
a surplus of more than 10 % in a year whose price rose more than 15 %, contradicts the market
and fails.

:func:`validate` returns every row, none dropped; a counted row outside its tolerance is a
failure whatever reason is recorded (the reason is shown), and ``strict=True`` raises
:class:`~mineralcalc.errors.ValidationFailure` naming them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data.validation_tables import COUNTED
from ..errors import ValidationFailure
from .metrics import METRICS, Context

if TYPE_CHECKING:
    from ..model.catalog import Catalog

__all__ = ["DEFICIT", "PRICE_MOVE", "failures", "validate"]

DEFICIT = 0.10
"""A base-year share of supply more than this far from 1 (a deficit above 10 %, or a surplus
above 10 %) is checked against the year's price."""

PRICE_MOVE = 0.15
"""A price change larger than this (a fall or a rise of 15 %) contradicts a deficit or a
surplus of more than :data:`DEFICIT`."""

_COLUMNS = [
    "id",
    "kind",
    "quantity",
    "ours",
    "published",
    "unit",
    "ratio",
    "tolerance",
    "tolerance_basis",
    "within",
    "counted",
    "status",
    "year",
    "source",
    "note",
]


def validate(
    scenario: str = "baseline-2024",
    figures: pd.DataFrame | None = None,
    *,
    prices: pd.DataFrame | None = None,
    strict: bool = False,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """This library's results for ``scenario`` next to the published figures.

    Parameters
    ----------
    scenario : str
        A shipped scenario or a scenario file (default: the 2024 baseline).
    figures : DataFrame, optional
        Published figures in the columns of
        :func:`mineralcalc.data.validation_tables.read_validation` (default: the shipped
        ``validation.csv``).
    prices : DataFrame, optional
        Price moves in the columns of :func:`mineralcalc.data.validation_tables.read_price_moves`
        (default: the shipped ``price_moves.csv``).
    strict : bool, default False
        Raise :class:`~mineralcalc.errors.ValidationFailure` when a counted row (kinds
        ``validation``, ``composition``, ``outcome`` and the price checks) lies outside its
        tolerance, whatever reason is recorded.
    catalog : Catalog, optional
        The catalog to compute with (default: the shipped one); its tables
        (:attr:`~mineralcalc.model.catalog.Catalog.tables`) give the supply, the published
        figures and the price moves unless ``figures`` and ``prices`` are given.

    Returns
    -------
    DataFrame
        One row per figure: ``id``, ``kind``, ``quantity``, ``ours``, ``published`` (tonnes,
        or fractions for ``%``), ``unit``, ``ratio`` (ours / published), ``tolerance``,
        ``tolerance_basis``, ``within`` (bool), ``counted`` (bool), ``status`` (``ok``;
        ``outside: <reason>``; ``OUTSIDE`` with no reason; ``inside, but a reason is
        recorded``), ``year``, ``source``, ``note``. Then one row per price move (kind
        ``price``): ``ours`` is the base year's share of supply of the element, ``published``
        the price change.

    Examples
    --------
    >>> table = validate()  # doctest: +SKIP
    >>> table.loc[table["counted"], ["id", "ratio", "status"]]  # doctest: +SKIP
    """
    ctx = Context(scenario, catalog)
    tables = ctx.demand.catalog.tables
    refs = tables.validation(set(METRICS)) if figures is None else figures
    moves = tables.price_moves if prices is None else prices
    rows = [
        _figure_row({str(k): v for k, v in ref.items()}, ctx) for ref in refs.to_dict("records")
    ]
    rows += _price_rows(moves, ctx)
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    frame.attrs["scenario"] = scenario
    frame.attrs["year"] = ctx.year
    if strict:
        failed = failures(frame)
        if not failed.empty:
            names = "; ".join(f"{r['id']} ({r['status']})" for r in failed.to_dict("records"))
            raise ValidationFailure(
                f"{len(failed)} counted figure(s) outside their tolerance: {names}", frame
            )
    return frame


def failures(frame: pd.DataFrame) -> pd.DataFrame:
    """The counted rows of a :func:`validate` table that lie outside their tolerance."""
    return frame[frame["counted"] & ~frame["within"].astype(bool)]


def _figure_row(ref: dict[str, Any], ctx: Context) -> dict[str, Any]:
    metric = METRICS[str(ref["metric"])]
    ours = float(metric.compute(ctx.other(metric.scenario) if metric.scenario else ctx))
    # a projection of a later year counts when its own scenario is validated
    own = metric.scenario is None or metric.scenario == ctx.scenario.name
    value, tolerance, reason = float(ref["value"]), float(ref["tolerance"]), str(ref["reason"])
    ratio = ours / value if value else float("nan")
    within = bool(np.isfinite(ratio) and abs(ratio - 1) <= tolerance)
    if within:
        status = "ok" if not reason else "inside, but a reason is recorded"
    else:
        status = f"outside: {reason}" if reason else "OUTSIDE"
    return {
        "id": ref["id"],
        "kind": ref.get("kind", "validation"),
        "quantity": ref["quantity"],
        "ours": ours,
        "published": value,
        "unit": ref["unit"],
        "ratio": ratio,
        "tolerance": tolerance,
        "tolerance_basis": ref.get("tolerance_basis", ""),
        "within": within,
        "counted": own and ref.get("kind", "validation") in COUNTED,
        "status": status if own else f"{status} (counted when {metric.scenario} is validated)",
        "year": ref["year"],
        "source": ref["source"],
        "note": ref["note"],
    }


def _price_rows(moves: pd.DataFrame, ctx: Context) -> list[dict[str, Any]]:
    """The price-direction check: the base year's share of each element against its price."""
    if moves.empty:
        return []
    frame = ctx.frame(ctx.demand.basis)
    rows = []
    for m in moves[moves["year"] == ctx.year].to_dict("records"):
        el, change = str(m["element"]), float(m["change"])
        share = float(frame["share"].astype(float).get(el, float("nan")))
        gap = share - 1.0
        contradicted = (gap > DEFICIT and change < -PRICE_MOVE) or (
            gap < -DEFICIT and change > PRICE_MOVE
        )
        if share != share:
            status, within = "no share to check", False
        elif contradicted:
            what = "a deficit" if gap > 0 else "a surplus"
            moved = "fell" if change < 0 else "rose"
            status = f"{what} of {abs(gap):.0%} in a year whose price {moved} {abs(change):.0%}"
            within = False
        else:
            status, within = "ok", True
        rows.append(
            {
                "id": f"price-{el.lower()}-{m['source']}",
                "kind": "price",
                "quantity": f"{el}: {m['product']}, {m['measure']}",
                "ours": share,
                "published": change,
                "unit": "price",
                "ratio": float("nan"),
                "tolerance": DEFICIT,
                "tolerance_basis": (
                    f"a gap of {DEFICIT:.0%} against a price move of {PRICE_MOVE:.0%}"
                ),
                "within": within,
                "counted": True,
                "status": status,
                "year": m["year"],
                "source": m["source"],
                "note": m["note"],
            }
        )
    return rows
