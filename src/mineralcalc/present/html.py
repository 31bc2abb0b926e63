"""HTML for Jupyter: a catalog's products, a market balance with shares drawn as bars."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from .text import fmt, short_note

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["COMPARISON_COLUMNS", "catalog_html", "comparison_html", "demand_html"]


def _share(x: float) -> str:
    if x != x:
        return "–"
    width = min(max(x, 0.0), 1.0) * 100
    colour = "#e06666" if x > 1 else "#8fd19e"
    return (
        f'<div style="background:linear-gradient(90deg,{colour} {width:.0f}%,'
        f'transparent {width:.0f}%)">{x:.1%}</div>'
    )


#: The columns :func:`comparison_html` and :func:`~mineralcalc.present.tables.compare_table`
#: read: a frame without them (a selection of a few columns) shows as a plain DataFrame.
COMPARISON_COLUMNS = (
    "element",
    "year",
    "basis",
    "modelled",
    "other_uses",
    "demand",
    "demand_low",
    "demand_high",
    "recorded",
    "unrecorded",
    "secondary",
    "supply",
    "share",
    "share_low",
    "share_high",
    "balance",
    "note",
)


def comparison_html(frame: pd.DataFrame) -> str:
    """The comparison table as HTML: tonnes in short form, shares as bars, short notes."""
    shown = pd.DataFrame(
        {
            "element": frame["element"],
            "year": frame["year"],
            "basis": frame["basis"],
            "modelled [t]": [fmt(v) for v in frame["modelled"]],
            "other uses [t]": [fmt(v) for v in frame["other_uses"]],
            "demand [t]": [fmt(v) for v in frame["demand"]],
            "low–high [t]": [
                f"{fmt(a)}–{fmt(b)}"
                for a, b in zip(frame["demand_low"], frame["demand_high"], strict=True)
            ],
            "recorded [t]": [fmt(v) for v in frame["recorded"]],
            "unrecorded [t]": [fmt(v) for v in frame["unrecorded"]],
            "recycled [t]": [fmt(v) for v in frame["secondary"]],
            "supply [t]": [fmt(v) for v in frame["supply"]],
            "share": [_share(v) for v in frame["share"]],
            "balance [t]": [fmt(v) for v in frame["balance"]],
            "note": [escape(short_note(n)) for n in frame["note"]],
        }
    )
    if "coverage" in frame.columns:  # d.coverage(): the share of demand the rest covers
        at = list(shown.columns).index("balance [t]")
        shown.insert(at, "coverage", [_share(v) for v in frame["coverage"]])
    return str(shown.to_html(index=False, escape=False, na_rep="–"))


def catalog_html(catalog: Any) -> str:
    """The products of a :class:`~mineralcalc.model.catalog.Catalog` as an HTML table."""
    rows = "".join(
        f"<tr><td><b>{escape(pid)}</b></td><td>{escape(it.basis_text)}</td>"
        f"<td>{escape(it.name or '')}</td>"
        f"<td>{escape(', '.join(catalog.alternatives(pid)))}</td></tr>"
        for pid, it in sorted(catalog.products.items())
    )
    head = "<tr><th>product</th><th>per</th><th>name</th><th>alternatives</th></tr>"
    return f"<table><caption>{escape(repr(catalog)[1:-1])}</caption>{head}{rows}</table>"


def demand_html(demand: Demand) -> str:
    """A demand by element (low, central, high [t]) as HTML, every number in one format
    (:func:`~mineralcalc.present.text.fmt`: ``99,860``, ``1,540``, ``12.3``, ``0.00123``)."""
    frame = demand.by_element()
    caption = escape(f"{demand!r} [t]")
    table = frame.to_html(float_format=fmt)
    return f"<div><b>{caption}</b>{table}</div>"
