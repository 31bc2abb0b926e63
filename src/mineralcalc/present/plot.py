"""Charts with matplotlib (optional: ``pip install 'mineralcalc[plot]'``).

:func:`plot_demand` draws element demand stacked by product against world output for one year,
or demand over the years of a scenario; ``Demand.plot()`` calls it and returns the figure.
:func:`plot_tornado` draws the drivers of a spread (:mod:`mineralcalc.lenses.sensitivity`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from ..results.demand import Demand

__all__ = ["plot_demand", "plot_tornado"]


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - exercised without the extra
        raise ImportError("plots need matplotlib: pip install 'mineralcalc[plot]'") from e
    return plt


def plot_demand(
    demand: Demand,
    *,
    year: int | None = None,
    kind: str | None = None,
    elements: tuple[str, ...] | None = None,
    supply: bool = True,
    top: int = 8,
) -> Any:
    """A matplotlib figure of element demand.

    Parameters
    ----------
    demand : Demand
    year : int, optional
        The year for ``kind="elements"`` (default: the last).
    kind : {'elements', 'years'}, optional
        ``'elements'``: each element's demand as a share of its world output, stacked by
        product, with the low-high range and a 100 % line (tonnes instead, when there is no
        supply figure or ``supply=False``).
        ``'years'``: central demand per element over the years, with low-high bands.
        Default: ``'years'`` for several years, else ``'elements'``.
    elements : tuple of str, optional
        Elements to show (default: the ``top`` with the largest demand).
    supply : bool, default True
        Mark world output (metal, from REO x estimated split) where the tables have it.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _pyplot()
    many = len(demand.years) > 1
    kind = kind or ("years" if many else "elements")
    totals = {el: demand.total(el).to("t").magnitude for el in demand.elements}
    chosen = elements or tuple(sorted(totals, key=totals.__getitem__, reverse=True)[:top])
    if kind == "years":
        return _years(plt, demand, chosen)
    if kind != "elements":
        raise ValueError(f"kind must be 'elements' or 'years', not {kind!r}")
    y = year if year is not None else demand.years[-1]
    frame = demand.compare()
    frame = frame[frame["year"] == y] if y is not None else frame
    sup = frame.set_index("element")["supply"]
    with_supply = [el for el in chosen if el in sup.index and np.isfinite(sup[el])]
    without = [el for el in chosen if el not in with_supply]
    if not supply or not with_supply:
        return _tonnes(plt, demand, chosen, y)
    fig, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
    x = np.arange(len(with_supply))
    world = np.array([sup[el] for el in with_supply])
    bottom = _stack(plt, ax, demand, with_supply, y, 100 / world)
    lo = (
        np.array([demand.range(el, year=y)[0].to("t").magnitude for el in with_supply])
        / world
        * 100
    )
    hi = (
        np.array([demand.range(el, year=y)[2].to("t").magnitude for el in with_supply])
        / world
        * 100
    )
    ax.errorbar(
        x,
        bottom,
        yerr=[bottom - lo, hi - bottom],
        fmt="none",
        ecolor="black",
        capsize=4,
        lw=1,
        label="low–high",
    )
    ax.axhline(100, color="black", ls="--", lw=1.2, label="world output (100 %)")
    ax.set_xticks(x, with_supply)
    ax.set_ylabel("demand as % of world output")
    ax.set_title(
        f"Element demand {y if y is not None else ''} by product, as a share of world output"
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    note = "Elements: metal, against REO output x estimated element split (USGS, mineralcalc estimate)."
    if without:
        note += f" No supply data: {', '.join(without)}."
    fig.text(0.01, -0.02, note, fontsize=8, color="dimgray", ha="left", va="top")
    return fig


def _stack(
    plt: Any, ax: Any, demand: Demand, elements: Any, y: int | None, scale: np.ndarray
) -> np.ndarray:
    """Bars of each product's demand of ``elements`` [t] times ``scale``, stacked; the tops."""
    x = np.arange(len(elements))
    bottom = np.zeros(len(elements))
    cmap = plt.get_cmap("tab20")
    for n, product in enumerate(demand.products):
        vals = np.array(
            [demand.total(el, year=y, product=product).to("t").magnitude for el in elements]
        )
        if vals.any():
            ax.bar(x, vals * scale, bottom=bottom, label=product, color=cmap(n % 20), width=0.7)
            bottom += vals * scale
    return bottom


def _tonnes(plt: Any, demand: Demand, chosen: tuple[str, ...], y: int | None) -> Any:
    fig, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
    x = np.arange(len(chosen))
    _stack(plt, ax, demand, chosen, y, np.ones(len(chosen)))
    ax.set_xticks(x, chosen)
    ax.set_ylabel("tonnes per year")
    ax.set_title(f"Element demand {y if y is not None else ''} by product")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return fig


def _years(plt: Any, demand: Demand, chosen: tuple[str, ...]) -> Any:
    fig, ax = plt.subplots(figsize=(9, 5), layout="constrained")
    years = [y for y in demand.years if y is not None]
    for el in chosen:
        lo, c, hi = (
            np.array([demand.range(el, year=y)[k].to("t").magnitude for y in years])
            for k in range(3)
        )
        (line,) = ax.plot(years, c, marker="o", ms=3, label=el)
        ax.fill_between(years, lo, hi, color=line.get_color(), alpha=0.15)
    ax.set_yscale("log")
    ax.set_xlabel("year")
    ax.set_ylabel("tonnes per year (log scale)")
    ax.set_title("Element demand over the years (bands: low-high)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.grid(alpha=0.3, which="both")
    return fig


def plot_tornado(frame: pd.DataFrame, *, top: int = 10) -> Any:
    """A tornado chart of a sensitivity frame: for each of the ``top`` inputs (largest
    first-order index on top), a bar from the mean demand with the input in its lowest tenth to
    the mean with it in its highest, around the overall mean; the index printed beside it.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _pyplot()
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
