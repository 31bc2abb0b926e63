"""Charts with matplotlib (optional: ``pip install 'mineralcalc[plot]'``).

:func:`plot_demand` draws the market balance of a demand, the rows :meth:`Demand.compare` gives
(:mod:`mineralcalc.present.balance_plot`); ``Demand.plot()`` calls it and returns the figure.
:func:`plot_contained` draws the elements contained in the products, :func:`plot_tornado` the
drivers of a spread (:mod:`mineralcalc.lenses.sensitivity`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from ..elements import GROUPS, OXIDE_SUFFIX, family_of, oxide_name, resolve
from ..errors import UnknownItemError
from ..lenses.market import compare
from .balance_plot import plot_balance
from .figure import (
    figure_legend,
    label_tops,
    product_colours,
    pyplot,
    stacked_bars,
    tick_labels,
    tonnes_axis,
)
from .tables import balance_order

if TYPE_CHECKING:
    import pandas as pd

    from ..results.demand import Demand

__all__ = ["plot_contained", "plot_demand", "plot_tornado", "rows_named"]

_pyplot = pyplot  # the name the stock and security charts import


def plot_demand(
    demand: Demand,
    *,
    year: int | None = None,
    kind: str | None = None,
    elements: str | Iterable[str] | None = None,
    other_uses: bool = True,
    supply: bool = True,
    top: int | None = None,
) -> Any:
    """A matplotlib figure of a demand's market balance: what ``mineralcalc report`` tabulates.

    Each element's demand as a share of its world supply (the report's ``share``), modelled
    products stacked by product with the other uses hatched on top, low-high whiskers, supply
    at 100 % with its range; one panel per family, elements without a supply figure in tonnes.
    Over several years, one panel per element in tonnes with supply alongside. The title says
    the scope, the basis and the year. See :mod:`mineralcalc.present.balance_plot`.

    By default every row of :meth:`Demand.compare` is drawn, so the rare earths (Nd, Pr, Dy,
    Tb and the rest, and the REO groups) always are: on a share axis terbium is as readable as
    copper, where tonnes would leave it a sliver beside iron and copper.

    Parameters
    ----------
    demand : Demand
    year : int, optional
        The year of the bars (default: the last); marked on a chart over the years.
    kind : {'elements', 'years'}, optional
        Bars of one year, or panels over the years (default for several years).
    elements : str or iterable of str, optional
        The rows to draw: elements (``'Nd'``), groups (``'magnet REE'``: its members and its
        REO row) or rows by name (``'REE (REO)'``). Default: every row.
    other_uses : bool, default True
        Demand = modelled products + other uses, as :meth:`Demand.compare` gives it; ``False``:
        the modelled products alone (``report --products-only``).
    supply : bool, default True
        Bars as a share of supply; ``False``: tonnes, one panel per family.
    top : int, optional
        Only the first ``top`` rows in the table's order (tightest family and share first).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    UnknownItemError
        A name in ``elements`` that is no element or group, or has no row in the balance.
    """
    frame = rows_named(compare(demand, other_uses=other_uses), elements)
    if top is not None:
        last = frame["year"].dropna()
        at = year if year is not None else (int(last.max()) if len(last) else None)
        rows = frame[frame["year"] == at] if at is not None else frame
        frame = frame[frame["element"].isin(list(balance_order(rows)["element"])[:top])]
    return plot_balance(
        frame, demand=demand, year=year, kind=kind, other_uses=other_uses, shares=supply
    )


def rows_named(frame: pd.DataFrame, elements: str | Iterable[str] | None) -> pd.DataFrame:
    """The rows of a market balance ``elements`` names (all for ``None``): a row by its name,
    an element by its symbol or name, a group as its members and its REO row.

    Raises
    ------
    UnknownItemError
        A name that is no element or group, or whose elements have no row.
    """
    if elements is None:
        return frame
    names = [elements] if isinstance(elements, str) else list(elements)
    have = list(dict.fromkeys(frame["element"]))
    wanted: list[str] = []
    for name in names:
        if name in have:
            wanted.append(name)
            continue
        base = str(name).strip().removesuffix(OXIDE_SUFFIX)
        try:
            members = resolve(base)
        except UnknownItemError as e:
            raise UnknownItemError(f"elements: {e}") from None
        found = [m for m in members if m in have]
        found += [oxide_name(g) for g in GROUPS if g.casefold() == base.casefold()]
        found = [f for f in found if f in have]
        if not found:
            raise UnknownItemError(
                f"elements: {name!r} has no row in the market balance (neither demand nor "
                f"supply of it here); the rows are {', '.join(have)}"
            )
        wanted += found
    return frame[frame["element"].isin(wanted)]


def plot_contained(
    demand: Demand, elements: Iterable[str], *, year: int | None = None, title: str = ""
) -> Any:
    """The mass of each element in the products [t], stacked by product: one panel per family,
    each on its own scale with the totals written over the bars (no supply: contained mass is
    not what mining has to deliver).

    Parameters
    ----------
    demand : Demand
    elements : iterable of str
        The elements to draw, in order.
    year : int, optional
        One year (default: summed over the demand's years).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = pyplot()
    els = list(elements)
    if not els:
        raise UnknownItemError("nothing to plot: no element asked for is in the products")
    fams = list(dict.fromkeys(family_of(e) for e in els))
    panels = [[e for e in els if family_of(e) == fam] for fam in fams]
    fig, axes = plt.subplots(
        1,
        len(panels),
        figsize=(max(7.0, 0.42 * len(els) + 4.5), 5.2),
        width_ratios=[max(len(p), 2) for p in panels],
        layout="constrained",
        squeeze=False,
    )
    colours = product_colours(demand.products)
    for ax, fam, part in zip(axes[0], fams, panels, strict=True):
        split = {e: demand.by_product(e, year=year, basis="contained")["central"] for e in part}
        by_product = {p: np.array([split[e][p] for e in part]) for p in demand.products}
        tops = stacked_bars(ax, by_product, colours)
        label_tops(ax, range(len(tops)), tops)
        tick_labels(ax, part)
        ax.set_title(f"{fam}: tonnes", fontsize=9)
        ax.set_ylabel("t in the products")
        tonnes_axis(ax)
        ax.grid(axis="y", alpha=0.3)
    figure_legend(fig, axes[0], demand.products)
    fig.suptitle(title or "Elements contained in the products", fontsize=10)
    return fig


def plot_tornado(frame: pd.DataFrame, *, top: int = 10) -> Any:
    """A tornado chart of a sensitivity frame: for each of the ``top`` inputs (largest
    first-order index on top), a bar from the mean demand with the input in its lowest tenth to
    the mean with it in its highest, around the overall mean; the index printed beside it.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = pyplot()
    rows = frame.head(top).iloc[::-1]
    mean = float(frame.attrs.get("demand_mean", np.nan))
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.6))
    y = np.arange(len(rows))
    lo = rows["demand_low"].to_numpy(dtype=float)
    hi = rows["demand_high"].to_numpy(dtype=float)
    ax.barh(
        y, hi - mean, left=mean, color="#d9534f", height=0.6, label="input in its highest tenth"
    )
    ax.barh(y, lo - mean, left=mean, color="#5b9bd5", height=0.6, label="input in its lowest tenth")
    ax.axvline(mean, color="black", lw=0.8)
    ax.set_yticks(
        y,
        [f"{p}  ({s:.0%})" for p, s in zip(rows["parameter"], rows["first_order"], strict=True)],
        fontsize=8,
    )
    el, n = frame.attrs.get("element", ""), frame.attrs.get("samples", 0)
    ax.set_xlabel(f"{el} demand [t] (mean {mean:,.0f} t)")
    ax.set_title(
        f"What drives the spread of {el} demand: mean demand with each input in its lowest / highest tenth ({n:,} samples; first-order index in brackets)",
        fontsize=9,
        loc="left",
        wrap=True,
    )
    ax.legend(fontsize=8, loc="lower right", frameon=False)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
