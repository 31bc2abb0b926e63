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
from typing import Any

import pandas as pd

from ..elements import GROUPS, OXIDES
from .metric_context import BATTERY_PRODUCTS, Context, share_over

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


# ------------------------------------------------------------------ products
_EV = ("bev", "phev")
_WIND = ("onshore_wind", "offshore_wind", "offshore_turbine")


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
    return _battery_gwh(c, BATTERY_PRODUCTS)


@_metric("ev_battery_gwh", "GWh", "battery capacity of the year's electric vehicles")
def _gwh_ev(c: Context) -> float:
    return _battery_gwh(c, tuple(p for p in BATTERY_PRODUCTS if p != "stationary_storage"))


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
        _in_batteries(BATTERY_PRODUCTS, _el)
    )


def _first_use(el: str) -> Callable[[Context], float]:
    return lambda c: c.battery_demand(el, c.year, "gross")


for _el in ("Li", "Co", "Ni"):
    _metric(
        f"battery_{_el.lower()}_first_use",
        "t",
        f"{_el} through cell making for the year's EVs and storage (gross: scrap included)",
    )(_first_use(_el))


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


_NOT_MAGNETS = ("catalytic_converter_car", "fcc_catalyst")  # their rare earths are no magnet


def _magnet_stock(el: str, year: int) -> Callable[[Context], float]:
    def compute(c: Context) -> float:
        model = c.stock_model
        if year not in model.years or el not in model.elements:
            return float("nan")  # the model does not reach the year
        keep = [k for k, p in enumerate(model.products) if p not in _NOT_MAGNETS]
        return float(model.stock[keep, model.elements.index(el), model.years.index(year)].sum())

    return compute


def _recycled(el: str, year: int) -> Callable[[Context], float]:
    def compute(c: Context) -> float:
        model = c.stock_model
        if el not in model.elements or year not in model.years:
            return float("nan")
        k, j = model.elements.index(el), model.years.index(year)
        return float(model.recovered[:, k, j].sum())

    return compute


for _el in _MAGNET:
    _metric(
        f"magnet_stock_{_el.lower()}_2007",
        "t",
        f"{_el} in NdFeB magnets in use at the end of 2007 (stock model, products and other uses)",
    )(_magnet_stock(_el, 2007))

for _el in ("Li", "Co", "Ni"):
    for _year in (2030, 2035, 2040):
        _metric(
            f"recycled_{_el.lower()}_{_year}_pledges",
            "t",
            f"{_el} recovered from end-of-life products in {_year}, stock model of pledges-2040",
            scenario="pledges-2040",
        )(_recycled(_el, _year))


def _secondary(el: str, year: int) -> Callable[[Context], float]:
    def compute(c: Context) -> float:
        end_of_life = _recycled(el, year)(c)
        if year not in c.demand.years:
            return float("nan")
        return end_of_life + c.new_scrap(el, year)

    return compute


for _year in (2030, 2040):
    _metric(
        f"secondary_ni_{_year}_pledges",
        "t",
        f"Ni recycled in {_year}: recovered from end-of-life products plus the cell-making "
        "scrap of the year's batteries recycled (gross less mined), pledges-2040",
        scenario="pledges-2040",
    )(_secondary("Ni", _year))


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
    return share_over(c.frame("gross", "refining"), _MAGNET, "demand", "primary")
