"""What the charts share: matplotlib behind one import, a colour per product, and bars of
each product's demand stacked with the other uses on top.

matplotlib is optional (``pip install 'mineralcalc[plot]'``); nothing here imports it before a
chart is asked for.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .text import fmt

__all__ = [
    "OTHER_USES",
    "SUPPLY_BAND",
    "figure_legend",
    "label_tops",
    "product_colours",
    "pyplot",
    "stacked_bars",
    "tick_labels",
    "tonnes_axis",
]

OTHER_USES = "other uses (not modelled)"
"""The label of the hatched segment on top of the products' bars."""

SUPPLY_BAND = "#e9a23b"
"""The colour of supply's low-high range."""

_OTHER_STYLE = {"color": "#e0e0e0", "hatch": "//", "edgecolor": "#7f7f7f", "linewidth": 0.5}


def pyplot() -> Any:
    """``matplotlib.pyplot`` on a file backend (Agg), or an ImportError saying how to install it.

    A backend chosen in ``MPLBACKEND`` is kept: Jupyter's kernels set it to their inline
    backend, which shows a chart under the cell that draws it (Agg would hide it, and every
    chart of the session after it)."""
    try:
        import matplotlib

        if not os.environ.get("MPLBACKEND"):
            matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - exercised without the extra
        raise ImportError("plots need matplotlib: pip install 'mineralcalc[plot]'") from e
    return plt


def stacked_bars(
    ax: Any,
    by_product: Mapping[str, np.ndarray],
    colours: Mapping[str, Any],
    other: np.ndarray | None = None,
    *,
    width: float = 0.7,
) -> np.ndarray:
    """Bars at 0, 1, ... of each product's values stacked in the order given, the other uses
    (hatched, labelled :data:`OTHER_USES`) on top; products with nothing to draw are left out.

    Parameters
    ----------
    ax : matplotlib Axes
    by_product : mapping of product to array
        One value per bar, already in the axis' unit.
    colours : mapping of product to colour
    other : array, optional
        The other uses per bar, in the same unit; ``None`` draws the products alone.
    width : float, default 0.7

    Returns
    -------
    ndarray
        The top of each bar.
    """
    first = next(iter(by_product.values()), other)
    n = 0 if first is None else len(first)
    x = np.arange(n)
    bottom = np.zeros(n)
    for product, vals in by_product.items():
        vals = np.nan_to_num(np.asarray(vals, dtype=float))
        if vals.any():
            ax.bar(x, vals, bottom=bottom, width=width, label=product, color=colours[product])
            bottom = bottom + vals
    if other is not None:
        vals = np.nan_to_num(np.asarray(other, dtype=float))
        if vals.any():
            ax.bar(x, vals, bottom=bottom, width=width, label=OTHER_USES, **_OTHER_STYLE)
            bottom = bottom + vals
    return bottom


def tick_labels(ax: Any, labels: Sequence[str]) -> None:
    """Element names under the bars, slanted when a group name (``'magnet REE (REO)'``) is
    among them."""
    slant = any(len(s) > 3 for s in labels)
    ax.set_xticks(
        np.arange(len(labels)),
        list(labels),
        rotation=55 if slant else 0,
        ha="right" if slant else "center",
        fontsize=8,
    )


def product_colours(products: Sequence[str]) -> dict[str, Any]:
    """A colour for each product, the same in every panel of a figure (tab20, in order)."""
    import matplotlib

    cmap = matplotlib.colormaps["tab20"]
    return {p: cmap(k % 20) for k, p in enumerate(products)}


def figure_legend(fig: Any, axes: Iterable[Any], first: Sequence[str] = ()) -> None:
    """One legend for the whole figure, right of the panels: each label once, the labels in
    ``first`` (the products, in catalog order) before the rest."""
    handles: dict[str, Any] = {}
    for ax in axes:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, h)
    rank = {label: k for k, label in enumerate(first)}
    labels = sorted(handles, key=lambda s: rank.get(s, len(rank)))
    fig.legend(
        [handles[s] for s in labels], labels, loc="outside right center", fontsize=8, frameon=False
    )


def tonnes_axis(ax: Any) -> None:
    """Tick labels as the tables write numbers (thousands separators, no 1e6 offset)."""
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v)))


def label_tops(ax: Any, x: Iterable[float], tops: Iterable[float]) -> None:
    """Each bar's total written just above it (tonnes, short form)."""
    for xi, t in zip(x, tops, strict=True):
        ax.annotate(
            fmt(t),
            (xi, t),
            ha="center",
            va="bottom",
            fontsize=7,
            xytext=(0, 2),
            textcoords="offset points",
        )
