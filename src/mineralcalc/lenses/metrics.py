"""The quantities :func:`mineralcalc.lenses.validation.validate` computes from a scenario, to
set next to published figures of the same scope.

Each :class:`Metric` is a function of a :class:`Context` (the scenario's demand, its supply and
comparisons, computed once): products as contained in them (the IEA's EV and wind demand are
material intensity times deployment), battery capacity, stocks in use, mine output by element
and country (the ore model), and the market balance's use against output, the quantity that
study groups and institutes publish as a market's outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..elements import GROUPS, OXIDES
from ..model.scenario import load_scenario
from ..results.demand import Demand
from ..results.stocks import StockFlow
from .market import compare
from .projection import supply_for
from .stocks import stock_flow
from .supply import Supply

__all__ = ["METRICS", "Context", "Metric"]

_MAGNET = GROUPS["magnet REE"]
_PRND = ("Nd", "Pr")


@dataclass(frozen=True)
class Metric:
    """A quantity computed from a scenario: tonnes (``'t'``), a fraction (``'%'``), GWh, GW or
    a count. A metric with a ``scenario`` is always computed from that shipped scenario (a
    published projection of a later year, set beside the same year of a scenario of the same
    kind); the others from the scenario being validated."""

    name: str
    unit: str
    what: str
    compute: Callable[[Context], float] = field(repr=False)
    scenario: str | None = None


METRICS: dict[str, Metric] = {}
"""Every metric :func:`~mineralcalc.lenses.validation.validate` can compute, by name."""


def _metric(
    name: str, unit: str, what: str, scenario: str | None = None
) -> Callable[[Callable[[Context], float]], Any]:
    def register(fn: Callable[[Context], float]) -> Callable[[Context], float]:
        METRICS[name] = Metric(name, unit, what, fn, scenario)
        return fn

    return register


class Context:
    """The results of one scenario that the metrics read, each computed once."""

    def __init__(self, scenario: str, catalog: Any = None) -> None:
        self.scenario = load_scenario(scenario, catalog=catalog)
        self.demand = Demand.build(self.scenario)
        self.year = self.demand.years[0]
        self._catalog = catalog
        self._others: dict[str, Context] = {}

    def other(self, scenario: str) -> Context:
        """The context of another scenario on the same catalog (itself for its own name),
        built once."""
        if scenario == self.scenario.name:
            return self
        if scenario not in self._others:
            self._others[scenario] = Context(scenario, self._catalog)
        return self._others[scenario]

    @cached_property
    def supply(self) -> Supply:
        """The supply of the scenario's first year (recorded, or carried along the outlook)."""
        return supply_for(self.year, None, None, self.demand.catalog.tables)[0]

    @cached_property
    def pack_kwh(self) -> np.ndarray:
        """kWh of battery packs (the chemistries of ``_PACKS``) in one basis unit of every
        item, through the part lines at their central amounts: one solve of the transposed
        line matrix, ``w = (I - A)^-T p``."""
        cat = self.demand.catalog
        g = cat.graph
        a = np.zeros((g.n_items, g.n_items))
        np.add.at(a, (g.child, g.parent), g.amount[1])
        packs = np.zeros(g.n_items)
        packs[cat.rows([k for k in _PACKS if k in cat.items])] = 1.0
        return np.asarray(np.linalg.solve((np.eye(g.n_items) - a).T, packs))

    @cached_property
    def stock_model(self) -> StockFlow:
        """The stock-flow model of the scenario's products."""
        return stock_flow(self.demand)

    @cached_property
    def output(self) -> pd.DataFrame:
        """Recorded mine output by country and element [t oxide]."""
        return self.supply.element_output()

    @cached_property
    def unrecorded(self) -> pd.DataFrame:
        """Unrecorded mine output by country and element [t oxide] (central)."""
        return self.supply.unrecorded_output()

    def frame(self, basis: str, stage: str = "mining") -> pd.DataFrame:
        """The market balance of the scenario's first year, by element."""
        key = f"_frame_{basis}_{stage}"
        if key not in self.__dict__:
            f = compare(self.demand, basis=basis, groups=(), stage=stage)
            self.__dict__[key] = f[f["year"] == self.year].set_index("element")
        frame: pd.DataFrame = self.__dict__[key]
        return frame

    def contained(self, products: tuple[str, ...], elements: tuple[str, ...]) -> float:
        present = [p for p in products if p in self.demand.products]
        if not present:
            return 0.0
        return sum(
            float(
                self.demand.total(el, year=self.year, product=present, basis="contained").magnitude
            )
            for el in elements
        )

    def mined(self, elements: tuple[str, ...], countries: tuple[str, ...] | None = None) -> float:
        """Recorded mine output of ``elements`` [t metal], of some countries or the world."""
        out = self.output[self.output["element"].isin(elements)]
        if countries is not None:
            out = out[out["country"].isin(countries)]
        metal = out["element"].map(lambda e: OXIDES[e].metal_fraction)
        return float((out["amount"] * metal).sum())

    def oxide(self, elements: tuple[str, ...], *, unrecorded: bool = False) -> float:
        """World mine output of ``elements`` [t oxide], recorded (and unrecorded)."""
        frames = [self.output, self.unrecorded] if unrecorded else [self.output]
        return sum(float(f.loc[f["element"].isin(elements), "amount"].sum()) for f in frames)

    def use_over_supply(self, elements: tuple[str, ...], basis: str, stage: str) -> float:
        """Demand over supply of ``elements`` together, as oxide for rare earths."""
        return _over(self.frame(basis, stage), elements, "demand", "supply")


def _over(f: pd.DataFrame, elements: tuple[str, ...], num: str, den: str) -> float:
    """Sum of ``num`` over sum of ``den`` of some elements' rows, rare earths as oxide."""
    w = np.array(
        [1.0 / OXIDES[el].metal_fraction if el in GROUPS["REE"] else 1.0 for el in elements]
    )
    rows = f.loc[list(elements)]
    top = float(rows[num].to_numpy(dtype=float) @ w)
    bottom = float(rows[den].to_numpy(dtype=float) @ w)
    return top / bottom if bottom else float("nan")


# ------------------------------------------------------------------ products
_EV = ("bev", "phev")
_WIND = ("onshore_wind", "offshore_wind", "offshore_turbine")
_BATTERIES = ("bev", "phev", "e_two_wheeler", "e_bus", "e_truck", "stationary_storage")
_PACKS = (
    "ev_battery_lfp",
    "ev_battery_nmc811",
    "ev_battery_nmc622",
    "ev_battery_nca",
    "ev_battery_nmc622_iea",
)


@_metric("ev_magnet_ree", "t", "Nd+Pr+Dy+Tb contained in the electric cars (bev, phev) of the year")
def _ev(c: Context) -> float:
    return c.contained(_EV, _MAGNET)


@_metric("wind_magnet_ree", "t", "Nd+Pr+Dy+Tb contained in the wind capacity installed in the year")
def _wind(c: Context) -> float:
    return c.contained(_WIND, _MAGNET)


@_metric("wind_nd", "t", "Nd contained in the wind capacity installed in the year")
def _wind_nd(c: Context) -> float:
    return c.contained(_WIND, ("Nd",))


def _cleantech(el: str) -> Callable[[Context], float]:
    return lambda c: c.contained(_EV + _WIND, (el,))


for _el in _MAGNET:
    _metric(
        f"cleantech_{_el.lower()}", "t", f"{_el} contained in the year's electric cars and wind"
    )(_cleantech(_el))


def _battery_gwh(c: Context, products: tuple[str, ...]) -> float:
    """Battery capacity [GWh] in the year's ``products``: each product's kWh of battery packs
    per unit (:attr:`Context.pack_kwh`) times its volume."""
    d = c.demand
    y = d.years.index(c.year)
    kwh = sum(
        float(c.pack_kwh[d.catalog.rows([p])[0]]) * d.volume_array[1, d.products.index(p), y]
        for p in products
        if p in d.products
    )
    return float(kwh / 1e6)


@_metric("battery_gwh", "GWh", "battery capacity of the year's EVs and stationary storage")
def _gwh_all(c: Context) -> float:
    return _battery_gwh(c, _BATTERIES)


@_metric("ev_battery_gwh", "GWh", "battery capacity of the year's electric vehicles")
def _gwh_ev(c: Context) -> float:
    return _battery_gwh(c, tuple(p for p in _BATTERIES if p != "stationary_storage"))


@_metric("car_battery_gwh", "GWh", "battery capacity of the year's electric cars (bev, phev)")
def _gwh_cars(c: Context) -> float:
    return _battery_gwh(c, _EV)


def _in_batteries(products: tuple[str, ...], el: str) -> Callable[[Context], float]:
    return lambda c: c.contained(products, (el,))


for _el in ("Ni", "Co", "Mn"):
    _metric(f"car_battery_{_el.lower()}", "t", f"{_el} contained in the year's electric cars")(
        _in_batteries(_EV, _el)
    )
for _el in ("Li", "Co", "Ni", "C", "Cu"):
    _metric(f"battery_{_el.lower()}", "t", f"{_el} contained in the year's EVs and storage")(
        _in_batteries(_BATTERIES, _el)
    )


def _in_use(product: str, year: int, per: float) -> Callable[[Context], float]:
    def compute(c: Context) -> float:
        model = c.stock_model
        units = model.units_stock
        if units is None:  # a model without counts of products in use
            return float("nan")
        return float(units[model.products.index(product), model.years.index(year)]) * per

    return compute


_metric("bev_stock_2023", "count", "battery-electric cars in use at the end of 2023 (stock model)")(
    _in_use("bev", 2023, 1.0)
)
_metric("phev_stock_2023", "count", "plug-in hybrid cars in use at the end of 2023 (stock model)")(
    _in_use("phev", 2023, 1.0)
)
_metric("wind_stock_2023", "GW", "wind capacity in use at the end of 2023 (stock model)")(
    _in_use("onshore_wind", 2023, 1e-3)
)


def _recycled(el: str, year: int) -> Callable[[Context], float]:
    def compute(c: Context) -> float:
        model = c.stock_model
        if el not in model.elements or year not in model.years:
            return float("nan")
        k, j = model.elements.index(el), model.years.index(year)
        return float(model.recovered[:, k, j].sum())

    return compute


for _el in ("Li", "Co", "Ni"):
    for _year in (2030, 2035, 2040):
        _metric(
            f"recycled_{_el.lower()}_{_year}_pledges",
            "t",
            f"{_el} recovered from end-of-life products in {_year}, stock model of pledges-2040",
            scenario="pledges-2040",
        )(_recycled(_el, _year))


# ------------------------------------------------------------------ the ore model
@_metric("mined_magnet_ree", "t", "Nd+Pr+Dy+Tb in the year's recorded world mine output (metal)")
def _mined(c: Context) -> float:
    return c.mined(_MAGNET)


def _mined_in(country: str) -> Callable[[Context], float]:
    return lambda c: c.mined(_MAGNET, (country,))


for _key, _country in (
    ("china", "China"),
    ("myanmar", "Burma (Myanmar)"),
    ("us", "United States"),
    ("australia", "Australia"),
):
    _metric(f"mined_magnet_ree_{_key}", "t", f"Nd+Pr+Dy+Tb in {_country}'s mine output (metal)")(
        _mined_in(_country)
    )


@_metric("mined_dy", "t", "Dy in the year's recorded world mine output (metal)")
def _mined_dy(c: Context) -> float:
    return c.mined(("Dy",))


@_metric("dy_share_myanmar", "%", "Myanmar's share of the world's recorded mined Dy")
def _dy_myanmar(c: Context) -> float:
    total = c.mined(("Dy",))
    return c.mined(("Dy",), ("Burma (Myanmar)",)) / total if total else float("nan")


def _ore_oxide(el: str) -> Callable[[Context], float]:
    return lambda c: c.oxide((el,), unrecorded=True)


_metric("ore_dy2o3", "t", "Dy2O3 in the year's mine output, recorded and unrecorded")(
    _ore_oxide("Dy")
)
_metric("ore_tb4o7", "t", "Tb4O7 in the year's mine output, recorded and unrecorded")(
    _ore_oxide("Tb")
)


@_metric("ore_prnd_oxide", "t", "Nd2O3 + Pr6O11 in the year's mine output, recorded and unrecorded")
def _ore_prnd(c: Context) -> float:
    return c.oxide(_PRND, unrecorded=True)


@_metric(
    "swarf_prnd_oxide",
    "t",
    "Nd and Pr recycled from magnet swarf in the year: gross less mined demand, as oxide",
)
def _swarf(c: Context) -> float:
    gross, mined = c.frame("gross")["demand"], c.frame("mined")["demand"]
    return sum(
        (float(gross[el]) - float(mined[el])) / OXIDES[el].metal_fraction
        for el in _PRND
        if el in gross.index and el in mined.index
    )


def _oxide_demand(f: pd.DataFrame, members: tuple[str, ...]) -> float:
    return sum(
        float(v) / OXIDES[str(el)].metal_fraction for el, v in f["demand"].items() if el in members
    )


@_metric(
    "magnet_share_of_demand", "%", "magnet rare earths' share of rare-earth demand (oxide, gross)"
)
def _magnet_share(c: Context) -> float:
    f = c.frame("gross")
    return _oxide_demand(f, _MAGNET) / _oxide_demand(f, GROUPS["REE"])


@_metric("magnet_share_of_supply", "%", "magnet rare earths' share of recorded mined oxide")
def _magnet_supply_share(c: Context) -> float:
    out = c.output
    return float(out[out["element"].isin(_MAGNET)]["amount"].sum() / out["amount"].sum())


# ------------------------------------------------------------------ market outcomes
@_metric(
    "prnd_use_over_output",
    "%",
    "Nd+Pr demand over supply, as oxide, gross basis (recycled scrap counted on both sides)",
)
def _prnd_balance(c: Context) -> float:
    return c.use_over_supply(_PRND, "gross", "mining")


def _refined_balance(el: str) -> Callable[[Context], float]:
    return lambda c: c.use_over_supply((el,), "mined", "refining")


for _el in ("Li", "Co", "Ni", "Cu"):
    _metric(f"{_el.lower()}_use_over_refined", "%", f"{_el} demand over refined output")(
        _refined_balance(_el)
    )


@_metric(
    "magnet_use_over_refined",
    "%",
    "magnet rare-earth demand (gross) over refined output of primary magnet rare earths",
)
def _magnet_refined(c: Context) -> float:
    return _over(c.frame("gross", "refining"), _MAGNET, "demand", "primary")
