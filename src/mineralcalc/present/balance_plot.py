"""The market balance as a chart: the rows ``mineralcalc report`` tabulates, in its scope.

:func:`plot_balance` draws exactly the rows of a :func:`~mineralcalc.lenses.market.compare`
frame it is given (the report passes the rows its
table shows, narrowed by ``--elements`` and ``--group``), in the table's order.

One year
    Each element's demand as a share of its world supply (the table's ``share``): the modelled
    products stacked by product, the other uses hatched on top (left out for the products
    alone), whiskers from low to high demand, supply at 100 % with its own low-high range in
    grey. A share axis keeps terbium (hundreds of tonnes) as readable as copper (millions):
    in tonnes, iron and copper would flatten every rare earth. One panel per family (rare
    earths, battery minerals, other), the tightest first as in the table; elements without a
    supply figure get a panel of their own, in tonnes.
Several years
    One small panel per row, in tonnes: demand over the years, its modelled part shaded dark
    and the other uses light, low-high demand dotted, supply dashed with its range in grey;
    the table's year marked.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from ..elements import family_of
from ..errors import UnknownItemError, VolumeError
from .figure import (
    OTHER_USES,
    SUPPLY_BAND,
    figure_legend,
    label_tops,
    product_colours,
    pyplot,
    stacked_bars,
    tick_labels,
    tonnes_axis,
)
from .supply_notes import supply_lines
from .tables import balance_order

if TYPE_CHECKING:
    import pandas as pd

    from ..results.demand import Demand

__all__ = ["plot_balance", "scope_title"]

_DARK = "#1f4e79"


def scope_title(
    frame: pd.DataFrame,
    when: str,
    *,
    other_uses: bool,
    context: str = "",
    without: Iterable[str] = (),
) -> str:
    """The two lines over a chart of a balance: scope, basis and year; the supply it is set
    against.

    ``'demand: products + other uses'`` or ``'modelled products only'``; the demand basis from
    the frame's ``demand_basis``; the stage and ``unrecorded`` from its ``attrs`` (as
    :meth:`Demand.compare` records them), ``without`` the countries removed.
    """
    scope = "demand: products + other uses" if other_uses else "modelled products only"
    basis = {"mined": "net mined basis", "gross": "gross basis (through the processes)"}.get(
        _basis(frame), "basis: " + _basis(frame)
    )
    first = f"{context}: " if context else ""
    first += f"{scope}, {basis}" + (f", {when}" if when else "")
    stage = str(frame.attrs.get("stage", "mining"))
    supply = {"mining": "mine output", "refining": "refined output"}.get(stage, f"{stage} output")
    second = f"against world {supply} + recycling"
    if not frame.attrs.get("unrecorded", True):
        second += ", recorded output only"
    gone = list(without)
    if gone:
        second += f", without the {supply} of {', '.join(gone)}"
    return f"{first}\n{second}"


def _basis(frame: pd.DataFrame) -> str:
    bases = sorted(set(frame["demand_basis"].dropna())) if "demand_basis" in frame else []
    return "/".join(str(b) for b in bases)


def _supply_note(frame: pd.DataFrame, width: float) -> str:
    """What the supply holds, line by line (as under the report's table), wrapped to the
    figure's width in inches."""
    lines = supply_lines(
        str(frame.attrs.get("stage", "mining")), _basis(frame), frame.attrs.get("unrecorded", True)
    )
    return textwrap.fill(f"Supply: {lines}.", width=int(width * 15))


def plot_balance(
    frame: pd.DataFrame,
    *,
    demand: Demand | None = None,
    year: int | None = None,
    kind: str | None = None,
    other_uses: bool = True,
    shares: bool = True,
    context: str = "",
    without: Iterable[str] = (),
) -> Any:
    """A matplotlib figure of the rows of a market balance (see the module notes).

    Parameters
    ----------
    frame : DataFrame
        Rows of :meth:`Demand.compare` (one year or several): every row is drawn, none added.
    demand : Demand, optional
        The demand the frame compares: its products split the modelled bars (one year).
        Without it the modelled part is one bar.
    year : int, optional
        The year of the bars (default: the frame's last); marked on the chart over the years.
    kind : {'elements', 'years'}, optional
        Bars of one year, or panels over the years; default: ``'years'`` when the frame has
        several years.
    other_uses : bool, default True
        The frame's scope: demand = modelled + other uses; ``False``: the modelled products
        alone (the frame of ``compare(other_uses=False)``). Said in the title.
    shares : bool, default True
        Bars as a share of supply; ``False``: in tonnes, one panel per family.
    context : str, optional
        Put before the title (the scenario's name).
    without : country names, optional
        The countries removed from supply, named in the title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    UnknownItemError
        A frame without rows (no element asked for has a row), or an unknown ``kind``.
    VolumeError
        A ``year`` the frame does not hold.
    """
    if frame.empty:
        raise UnknownItemError(
            "nothing to plot: the market balance has no rows (no element asked for has demand "
            "or supply in the scenario)"
        )
    years = sorted({int(y) for y in frame["year"].dropna()})
    kind = kind or ("years" if len(years) > 1 else "elements")
    if kind not in ("elements", "years"):
        raise UnknownItemError(f"kind {kind!r} is not a chart of a balance: 'elements' or 'years'")
    if year is not None and year not in years:
        held = f"{years[0]}-{years[-1]}" if years else "no years"
        raise VolumeError(f"year {year}: the balance holds {held}; give one of those")
    y = year if year is not None else (years[-1] if years else None)
    rows = frame[frame["year"] == y] if y is not None else frame
    names = list(dict.fromkeys(balance_order(rows)["element"]))
    plt = pyplot()
    if kind == "years":
        when = f"{years[0]}-{years[-1]}" if years else ""
        title = scope_title(frame, when, other_uses=other_uses, context=context, without=without)
        return _years(plt, frame, names, y, other_uses, title)
    when = str(y) if y is not None else ""
    title = scope_title(rows, when, other_uses=other_uses, context=context, without=without)
    return _bars(plt, rows.set_index("element").loc[names], demand, y, other_uses, shares, title)


def _bars(
    plt: Any,
    rows: pd.DataFrame,
    demand: Demand | None,
    year: int | None,
    other_uses: bool,
    shares: bool,
    title: str,
) -> Any:
    """One year: a panel per family, bars as shares of supply (or tonnes)."""
    supply = rows["supply"].astype(float).to_numpy()
    has = shares & np.isfinite(supply) & (supply > 0)
    fams = list(dict.fromkeys(family_of(e) for e in rows.index))
    panels = (
        [
            (fam, [e for e, h in zip(rows.index, has, strict=True) if h and family_of(e) == fam])
            for fam in fams
        ]
        if shares
        else []
    )
    panels = [(f"{fam}: share of supply", els) for fam, els in panels if els]
    rest = [e for e, h in zip(rows.index, has, strict=True) if not h]
    if shares and rest:
        panels.append(("no supply figure: tonnes", rest))
    elif not shares:
        panels = [
            (f"{fam}: tonnes", [e for e in rows.index if family_of(e) == fam]) for fam in fams
        ]
    products = list(demand.products) if demand is not None else ["modelled products"]
    colours = product_colours(products)
    if demand is None:
        colours["modelled products"] = _DARK
    width = sum(len(els) for _, els in panels)
    fig, axes = plt.subplots(
        1,
        len(panels),
        figsize=(max(7.0, 0.42 * width + 4.5), 5.8),
        width_ratios=[max(len(els), 2) for _, els in panels],
        layout="constrained",
        squeeze=False,
    )
    top = 110.0
    for ax, (name, els) in zip(axes[0], panels, strict=True):
        top = max(top, _panel(ax, rows.loc[els], demand, year, other_uses, colours, name))
    for ax, (name, _) in zip(axes[0], panels, strict=True):
        ax.set_title(name, fontsize=9)
        if "share" in name:
            ax.set_ylim(0, top * 1.05)
    figure_legend(fig, axes[0], products)
    fig.suptitle(title, fontsize=10)
    what = "other uses hatched on top; " if other_uses else ""
    fig.supxlabel(
        f"Bars: the modelled products stacked by product; {what}whiskers: low-high demand; "
        "orange: supply low-high. t metal; groups (REO) in oxide.\n"
        + _supply_note(rows, fig.get_figwidth()),
        fontsize=8,
        color="dimgray",
    )
    return fig


def _panel(
    ax: Any,
    rows: pd.DataFrame,
    demand: Demand | None,
    year: int | None,
    other_uses: bool,
    colours: dict[str, Any],
    name: str,
) -> float:
    """The bars of ``rows`` on one axis; the highest point drawn (a share panel's)."""
    share = "share" in name
    supply = rows["supply"].astype(float).to_numpy()
    scale = 100.0 / supply if share else np.ones(len(rows))
    if demand is not None:
        split = {el: demand.by_product(el, year=year)["central"] for el in rows.index}
        by_product = {p: np.array([split[el][p] for el in rows.index]) for p in demand.products}
    else:
        by_product = {"modelled products": rows["modelled"].to_numpy(dtype=float)}
    other = rows["other_uses"].to_numpy(dtype=float) * scale if other_uses else None
    tops = stacked_bars(ax, {p: v * scale for p, v in by_product.items()}, colours, other)
    lo_col, hi_col = (
        ("demand_low", "demand_high") if other_uses else ("modelled_low", "modelled_high")
    )
    lo = rows[lo_col].to_numpy(dtype=float) * scale
    hi = rows[hi_col].to_numpy(dtype=float) * scale
    x = np.arange(len(rows))
    ax.errorbar(
        x,
        tops,
        yerr=[np.maximum(tops - lo, 0), np.maximum(hi - tops, 0)],
        fmt="none",
        ecolor="black",
        capsize=3,
        lw=1,
        label="low-high demand",
    )
    tick_labels(ax, list(rows.index))
    ax.grid(axis="y", alpha=0.3)
    if not share:
        ax.set_ylabel("t per year")
        tonnes_axis(ax)
        label_tops(ax, x, tops)
        return 0.0
    s_lo = rows["supply_low"].to_numpy(dtype=float) * scale
    s_hi = rows["supply_high"].to_numpy(dtype=float) * scale
    ax.vlines(x + 0.42, s_lo, s_hi, color=SUPPLY_BAND, lw=3, alpha=0.7, label="supply low-high")
    ax.axhline(100, color="black", ls="--", lw=1, label="supply (= 100 %)")
    ax.set_ylabel("% of world supply")
    drawn = np.concatenate([hi, s_hi, tops])
    drawn = drawn[np.isfinite(drawn)]
    return float(drawn.max()) if drawn.size else 0.0


def _years(
    plt: Any, frame: pd.DataFrame, names: list[str], year: int | None, other_uses: bool, title: str
) -> Any:
    """Several years: one small panel per row, tonnes over the years."""
    from matplotlib.ticker import MaxNLocator

    n = len(names)
    cols = min(n, 5)
    nrows = math.ceil(n / cols)
    fig, axes = plt.subplots(
        nrows,
        cols,
        figsize=(2.9 * cols + 2.5, 2.3 * nrows + 1.4),
        layout="constrained",
        squeeze=False,
    )
    total = "demand (products + other uses)" if other_uses else "modelled products"
    for ax, el in zip(axes.flat, names, strict=False):
        f = frame[frame["element"] == el].sort_values("year")
        xs = f["year"].to_numpy(dtype=int)
        mod = f["modelled"].to_numpy(dtype=float)
        tot = f["demand"].to_numpy(dtype=float) if other_uses else mod
        lo, hi = (
            f[c].to_numpy(dtype=float)
            for c in (
                ("demand_low", "demand_high") if other_uses else ("modelled_low", "modelled_high")
            )
        )
        ax.fill_between(xs, 0, mod, color=_DARK, alpha=0.35, lw=0, label="modelled products")
        if other_uses:
            ax.fill_between(
                xs,
                mod,
                tot,
                color="#d9d9d9",
                hatch="//",
                edgecolor="#7f7f7f",
                lw=0,
                label=OTHER_USES,
            )
        ax.plot(xs, tot, color=_DARK, lw=1.6, label=total)
        ax.plot(xs, lo, color=_DARK, lw=0.8, ls=":", label="low-high demand")
        ax.plot(xs, hi, color=_DARK, lw=0.8, ls=":")
        sup = f["supply"].to_numpy(dtype=float)
        if np.isfinite(sup).any():
            ax.fill_between(
                xs,
                f["supply_low"].to_numpy(dtype=float),
                f["supply_high"].to_numpy(dtype=float),
                color=SUPPLY_BAND,
                alpha=0.25,
                lw=0,
                label="supply low-high",
            )
            ax.plot(xs, sup, color="black", ls="--", lw=1.2, label="supply")
        if year is not None:
            ax.axvline(year, color="grey", lw=0.8, ls=":")
        ax.set_title(el, fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.set_ylim(bottom=0)
        tonnes_axis(ax)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in axes.flat[n:]:
        ax.remove()
    figure_legend(fig, axes.flat[:n], ("modelled products", OTHER_USES))
    fig.suptitle(title, fontsize=10)
    fig.supylabel("t per year (metal; groups in REO)", fontsize=8)
    fig.supxlabel(_supply_note(frame, fig.get_figwidth()), fontsize=8, color="dimgray")
    return fig
