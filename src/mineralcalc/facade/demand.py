"""``mineralcalc.Demand`` and ``mineralcalc.demand``: a demand with every convenience.

:class:`Demand` is the results' demand (:class:`mineralcalc.results.demand.Demand`: totals,
exact ranges, samples, tidy frames) with the lenses and presenters that take a demand as
their first argument bound as its methods. Each method *is* that function (or that function
returning a rendering frame), so its signature and docstring are written once, in the module
that does the work, and mypy checks every call against them:

========================  ==============================================================
method                    the function
========================  ==============================================================
``compare``               :func:`mineralcalc.lenses.market.compare` (a :class:`Comparison`)
``coverage``              :func:`mineralcalc.lenses.risk.coverage` (a :class:`Comparison`)
``balance``               :func:`mineralcalc.lenses.byproducts.balance`
``crossover``             :func:`mineralcalc.lenses.risk.crossover`
``stockpile_days``        :func:`mineralcalc.lenses.risk.stockpile_days`
``sensitivity``           :func:`mineralcalc.lenses.sensitivity.sensitivity`
``stock_model``           :func:`mineralcalc.lenses.stocks.stock_flow`
``stock_flow``            its :meth:`~mineralcalc.results.stocks.StockFlow.frame`
``stocks``                its :meth:`~mineralcalc.results.stocks.StockFlow.by_element`
``reserves``              :func:`mineralcalc.lenses.reserves.reserves`
``stockpile``             :func:`mineralcalc.lenses.stockpiles.stockpile`
``value``                 :func:`mineralcalc.lenses.money.value`
``bloc_demand``           :func:`mineralcalc.lenses.security.bloc_demand`
``self_sufficiency``      :func:`mineralcalc.lenses.security.self_sufficiency`
``plot``                  :func:`mineralcalc.present.plot.plot_demand`
``__rich__``              :func:`mineralcalc.present.tables.demand_table`
``_repr_html_``           :func:`mineralcalc.present.html.demand_html` (Jupyter)
========================  ==============================================================
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ClassVar, ParamSpec

import pandas as pd

from ..lenses import byproducts, market, money, risk, security, sensitivity, stockpiles, stocks
from ..lenses import reserves as reserves_lens
from ..present import html, plot, tables
from ..results import demand as _results
from ..results.stocks import StockFlow
from .catalog import Catalog
from .comparison import rendered

__all__ = ["Demand", "demand"]

_P = ParamSpec("_P")


def _table_of(
    fn: Callable[_P, StockFlow], table: Callable[[StockFlow], pd.DataFrame], doc: str
) -> Callable[_P, pd.DataFrame]:
    """``fn`` (the stock-flow lens) returning ``table`` of the model it builds: the same
    parameters and types, its own docstring."""

    @functools.wraps(fn)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> pd.DataFrame:
        return table(fn(*args, **kwargs))

    call.__doc__ = doc + " Takes the arguments of :meth:`Demand.stock_model`."
    return call


class Demand(_results.Demand):
    """Element demand of a set of production volumes, with its lenses and pictures.

    Not built directly: use :func:`mineralcalc.demand`. The numbers (``total``, ``range``,
    ``quantiles``, ``to_frame``, ``by_element``, ``by_product`` ...) are
    :class:`mineralcalc.results.demand.Demand`'s; the methods below are the lens and
    presenter functions that take a demand first (see the module notes).
    """

    catalog_type: ClassVar[type[Catalog]] = Catalog
    """The catalog a demand uses when none is given: the shipped one, as a
    :class:`mineralcalc.Catalog`."""

    compare = rendered(market.compare)
    coverage = rendered(risk.coverage)
    balance = byproducts.balance
    crossover = risk.crossover
    stockpile_days = risk.stockpile_days
    sensitivity = sensitivity.sensitivity
    stock_model = stocks.stock_flow
    stock_flow = _table_of(
        stocks.stock_flow,
        StockFlow.frame,
        "Tidy stock-flow table: ``year``, ``product``, ``element``, ``inflow``, ``stock``, "
        "``outflow``, ``recovered`` [t].",
    )
    stocks = _table_of(
        stocks.stock_flow,
        StockFlow.by_element,
        "Per element and year, summed over products: ``inflow``, ``stock``, ``outflow``, "
        "``recovered`` [t], with p5/p95 columns when sampled.",
    )
    reserves = reserves_lens.reserves
    stockpile = stockpiles.stockpile
    value = money.value
    bloc_demand = security.bloc_demand
    self_sufficiency = security.self_sufficiency
    plot = plot.plot_demand
    __rich__ = tables.demand_table
    _repr_html_ = html.demand_html


demand = Demand.build
"""``mineralcalc.demand``: element demand of production volumes, a :class:`Demand` (see
:meth:`mineralcalc.results.demand.Demand.build`)."""
