"""A bloc's stockpile: what a budget buys, or what N days cost, of a bloc's own demand.

:func:`stockpile` puts two lenses together as an analyst asks the question: the bloc's
daily demand (:func:`mineralcalc.lenses.security.bloc_demand`, its members' shares of the
world's products from ``regional.csv``) and what buying it costs at the prices of
``prices.csv`` (:func:`mineralcalc.lenses.money.stockpile`). It is ``mc.stockpile``,
``d.stockpile(...)`` and the first table of ``mineralcalc security``.

It then says whether the market can fill it (:mod:`mineralcalc.lenses.stockpile_pace`): how
long the buying takes when purchases stay within ``max_share`` of each element's world supply
a year, the share of world output that absorbs, and what the same tonnes cost at every market
``prices.csv`` holds (:mod:`mineralcalc.lenses.market_prices`). Prices are taken as given:
nothing here moves a price; the price range changes what a budget buys (and so how long the
buying takes) or what days of cover cost, never the pace.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..estimate import AmountLike
from ..model.scenario import load_scenario
from ..results.demand import Demand
from .market_prices import market_costs
from .money import RatesGiven
from .money import stockpile as buy
from .money_checks import check_rates
from .security import bloc_demand
from .stockpile_imports import bloc_imports, check_pace
from .stockpile_pace import MaxShareLike, add_pace, world_supply

__all__ = ["DEFAULT_BLOC", "DEFAULT_SCENARIO", "stockpile"]

DEFAULT_BLOC = "US price-floor talks"
"""The bloc asked about when none is named: the United States, the EU, Japan and Mexico
(``country_groups.csv``)."""

DEFAULT_SCENARIO = "baseline-2024"
"""The demand a stockpile covers when none is given: the shipped 2024 baseline."""


def stockpile(
    demand: Demand | None = None,
    *,
    bloc: str | Iterable[str] = DEFAULT_BLOC,
    budget: AmountLike | None = None,
    days: float | None = None,
    elements: str | Iterable[str] = ("Nd", "Pr", "Dy", "Tb"),
    year: int | None = None,
    market: str | None = None,
    rates: RatesGiven = None,
    max_share: MaxShareLike | None = None,
    pace: str = "output",
    max_import_share: MaxShareLike | None = None,
) -> pd.DataFrame:
    """What a budget buys, or what ``days`` of cover cost, of a bloc's demand.

    Parameters
    ----------
    demand : Demand, optional
        The world's demand whose bloc share is stocked (``d.stockpile(...)`` passes itself);
        default: the shipped 2024 baseline's (:data:`DEFAULT_SCENARIO`).
    bloc : str or iterable of str, default :data:`DEFAULT_BLOC`
        A group of ``country_groups.csv``, a country (``"United States"``), or a list.
    budget : amount of money, e.g. ``"11.67 billion USD"``
        What to spend; another currency needs its rate in ``rates``.
    days : float
        Instead of a budget: the days [d] of the bloc's demand to buy (``days=90``).
    elements : str or iterable of str
        Elements or groups (``"magnet REE"``); default the magnet rare earths.
    year : int, optional
        The demand's year (default: its last) and the prices' year.
    market : str, optional
        Which rows of ``prices.csv`` (``';'``-separated terms, as
        :func:`mineralcalc.lenses.money.price_of`).
    rates : mapping of currency to USD, optional
        Exchange rates, e.g. ``{"EUR": "1.08 USD"}``; a market quoted in a currency without
        a rate is listed in ``attrs['markets']`` with the rate to give instead of a cost.
    max_share : float or str, optional
        The pace limit on the output basis: purchases of each element stay within this share
        of its world supply a year (``0.05`` or ``"5%"``; above 0, at most 100 %). ``None``
        (default): :data:`~mineralcalc.lenses.stockpile_pace.DEFAULT_MAX_SHARE`, 5 %, an
        estimate (``sources.csv``: ``estimate-stockpile-pace``) from the largest reported
        purchases of state stockpilers.
    pace : {"output", "imports"}, default "output"
        What limits the pace: ``"output"``, ``max_share`` of world output a year;
        ``"imports"``, ``max_import_share`` of the bloc's net imports a year (its demand less
        its own separation output, :func:`~mineralcalc.lenses.stockpile_imports.bloc_imports`):
        an element whose imports are not known ("no data") is left out of the pace, and one
        the bloc does not import makes the time infinite (the limit allows none of it).
    max_import_share : float or str, optional
        The pace limit on the imports basis (only with ``pace="imports"``). ``None``
        (default): :data:`~mineralcalc.lenses.stockpile_pace.DEFAULT_MAX_IMPORT_SHARE`, 30 %,
        an estimate (``estimate-stockpile-import-pace``) from the US DLA's 2025 cobalt tender
        against US net imports of cobalt.

    Returns
    -------
    DataFrame
        :func:`mineralcalc.lenses.money.stockpile`'s frame: per element ``daily`` [t/d],
        prices [USD/kg], ``tonnes`` (with the low and high price's), ``cost`` [USD], and
        from :func:`~mineralcalc.lenses.security.bloc_demand` the bloc's ``share`` of world
        demand, the part of modelled demand the regional split ``covered`` and the part of
        that split with a row for every member (``complete``); ``attrs``: ``days`` (low,
        central, high), ``months``, ``budget`` [USD], ``prices``, and the bloc's ``bloc``,
        ``members``, ``regions``, ``uncounted`` (members ``regional.csv`` does not count for
        some product), ``missing`` (those members' products without a row) and ``year``. The
        pace (:func:`~mineralcalc.lenses.stockpile_pace.add_pace`): per element world
        ``supply`` [t/yr], ``of_output`` (the purchase in years of world output), ``years``
        [yr] (the element alone at the limit), ``absorbed`` (share of world output a year
        while the stockpile is bought) and ``days`` [d]; ``attrs``: ``max_share``, ``years``
        (the stockpile's time at the limit at the high, central and low prices), ``binding``,
        ``days_per_year``, ``no_supply``, ``pace``, ``max_import_share``, ``limit_source``;
        on the imports basis per element ``imports`` [t/yr], ``of_imports`` (the purchase in
        years of the bloc's net imports) and ``absorbed_imports`` (share of net imports a
        year), and ``attrs`` ``no_imports`` (elements without import data), ``not_imported``
        (net imports 0), ``import_stage`` and ``import_notes`` (element -> why no data, or
        that own output is a floor); and ``markets``: per element and market of
        ``prices.csv`` its price [USD/kg of the element] and the cost of ``tonnes`` [USD]
        (:func:`~mineralcalc.lenses.market_prices.market_costs`).

    Raises
    ------
    MineralcalcError
        Both or neither of ``budget`` and ``days``; an unknown bloc, element, year or
        currency; a bad amount; ``max_share`` or ``max_import_share`` not a share above 0 and
        at most 100 %; ``pace`` not ``"output"`` or ``"imports"``; ``max_import_share`` with
        ``pace="output"`` or ``max_share`` with ``pace="imports"`` (each message names the
        argument and its value).

    Examples
    --------
    >>> import mineralcalc as mc
    >>> cover = mc.stockpile(days=90, bloc="United States")  # doctest: +SKIP
    >>> cover["cost"].sum() / 1e9  # USD billion for 90 days of US magnet rare earths
    ... # doctest: +SKIP
    """
    basis, share, import_share = check_pace(pace, max_share, max_import_share)
    checked = check_rates(rates)
    if demand is None:
        demand = Demand.build(load_scenario(DEFAULT_SCENARIO))
    year = demand.years[-1] if year is None else year
    prices = demand.catalog.tables.security
    need = bloc_demand(demand, bloc, year=year, elements=elements, tables=prices)
    frame = buy(
        dict(zip(need["element"], need["daily"], strict=True)),
        budget=budget,
        days=days,
        year=year,
        market=market,
        rates=checked,
        tables=prices,
    )
    supply = world_supply(demand, year, frame["element"])
    if basis == "imports":
        net = bloc_imports(demand, bloc, year=year, elements=list(frame["element"]))
        frame = add_pace(
            frame,
            supply,
            None,
            imports=dict(zip(net["element"], net["imports"], strict=True)),
            max_import_share=import_share,
        )
        frame.attrs.update(
            import_stage=net.attrs["stage"],
            import_notes=dict(zip(net["element"], net["note"], strict=True)),
            import_sources=net.attrs["sources"],
        )
    else:
        frame = add_pace(frame, supply, share)
    markets = market_costs(
        dict(zip(frame["element"], frame["tonnes"], strict=True)),
        year,
        rates=checked,
        tables=prices,
    )
    by_element = need.set_index("element")
    # the bloc's share of demand, what the split covers, and the part every member has rows for
    for column in ("share", "covered", "complete"):
        frame[column] = by_element[column].reindex(frame["element"]).to_numpy()
    frame.attrs.update(
        bloc=bloc if isinstance(bloc, str) else list(bloc),
        year=year,
        markets=markets,
        **{
            k: need.attrs[k]
            for k in ("members", "regions", "uncounted", "missing")
            if k in need.attrs
        },
    )
    frame.attrs["sources"] = sorted(
        set(need.attrs.get("sources", []))
        | {v["source"] for v in frame.attrs["prices"].values()}
        | {key for m in markets for key in m["source"].split(";")}
        | {frame.attrs["limit_source"]}
        | set(frame.attrs.get("import_sources", []))
    )
    return frame
