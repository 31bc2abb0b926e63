"""Validation: this library's results for the shipped baseline next to published figures.

``tables/validation.csv`` holds published figures (IEA, JRC, Argus, Roskill, the Rare Earth
Industry Association ...), each naming a **metric** that this module computes from the
baseline scenario, with a tolerance. :func:`validate` returns one row per figure: ours, theirs,
the ratio, whether it lies within the tolerance, and, for a figure known to lie outside, the
recorded reason. A row is never dropped: a result outside its tolerance without a reason, or a
recorded reason for a result that is now inside, both fail the tests, so the table stays true.

Metrics are quantities a source publishes in the same scope: products as contained in them
(the IEA's EV and wind demand are material intensity times deployment), mine output by
country, separated oxide, recycled swarf. Totals that this library takes from a source
(the IEA's magnet rare-earth demand) are not validated against that source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..data.market_tables import shipped_validation
from ..elements import GROUPS, OXIDES

__all__ = ["METRICS", "Metric", "validate"]

_MAGNET = GROUPS["magnet REE"]


@dataclass(frozen=True)
class Metric:
    """A quantity computed from the baseline, in tonnes (``unit='t'``) or a fraction (``'%'``)."""

    name: str
    unit: str
    what: str
    compute: Callable[[_Context], float] = field(repr=False)


METRICS: dict[str, Metric] = {}
"""Every metric :func:`validate` can compute, by name."""


def _metric(name: str, unit: str, what: str) -> Callable[[Callable[[_Context], float]], Any]:
    def register(fn: Callable[[_Context], float]) -> Callable[[_Context], float]:
        METRICS[name] = Metric(name, unit, what, fn)
        return fn

    return register


class _Context:
    """The baseline results the metrics read, computed once."""

    def __init__(self, scenario: str) -> None:
        from ..model.scenario import load_scenario
        from ..results.api import demand

        self.scenario = load_scenario(scenario)
        self.demand = demand(self.scenario)
        self.year = self.demand.years[0]

    @cached_property
    def supply(self) -> Any:
        from .supply import supply_for

        return supply_for(self.year, None, None)[0]

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
    def stock_model(self) -> Any:
        return self.demand.stock_model()

    @cached_property
    def output(self) -> pd.DataFrame:
        return self.supply.element_output()

    def frame(self, basis: str) -> pd.DataFrame:
        key = f"_frame_{basis}"
        if key not in self.__dict__:
            f = self.demand.compare(basis=basis, groups=())
            self.__dict__[key] = f[f["year"] == self.year].set_index("element")
        return self.__dict__[key]

    def contained(self, products: tuple[str, ...], elements: tuple[str, ...]) -> float:
        present = [p for p in products if p in self.demand.products]
        if not present:
            return 0.0
        return sum(
            self.demand.total(el, year=self.year, product=present, basis="contained").magnitude
            for el in elements
        )

    def mined(self, elements: tuple[str, ...], countries: tuple[str, ...] | None = None) -> float:
        out = self.output[self.output["element"].isin(elements)]
        if countries is not None:
            out = out[out["country"].isin(countries)]
        metal = out["element"].map(lambda e: OXIDES[e].metal_fraction)
        return float((out["amount"] * metal).sum())


_EV = ("bev", "phev")
_WIND = ("onshore_wind", "offshore_wind", "offshore_turbine")


@_metric("ev_magnet_ree", "t", "Nd+Pr+Dy+Tb contained in the electric cars (bev, phev) of the year")
def _ev(c: _Context) -> float:
    return c.contained(_EV, _MAGNET)


@_metric("wind_magnet_ree", "t", "Nd+Pr+Dy+Tb contained in the wind capacity installed in the year")
def _wind(c: _Context) -> float:
    return c.contained(_WIND, _MAGNET)


def _cleantech(el: str) -> Callable[[_Context], float]:
    return lambda c: c.contained(_EV + _WIND, (el,))


for _el in _MAGNET:
    _metric(
        f"cleantech_{_el.lower()}", "t", f"{_el} contained in the year's electric cars and wind"
    )(_cleantech(_el))


_CARS = ("bev", "phev")
_BATTERIES = ("bev", "phev", "e_two_wheeler", "e_bus", "e_truck", "stationary_storage")
_PACKS = ("ev_battery_lfp", "ev_battery_nmc811", "ev_battery_nmc622", "ev_battery_nca",
          "ev_battery_nmc622_iea")  # fmt: skip


def _battery_gwh(c: _Context, products: tuple[str, ...]) -> float:
    """Battery capacity [GWh] in the year's ``products``: each product's kWh of battery packs
    per unit (:attr:`_Context.pack_kwh`) times its volume."""
    d = c.demand
    y = d.years.index(c.year)
    kwh = sum(float(c.pack_kwh[d.catalog.rows([p])[0]]) * d._volumes[1, d.products.index(p), y]
              for p in products if p in d.products)  # fmt: skip
    return kwh / 1e6


@_metric("battery_gwh", "GWh", "battery capacity of the year's EVs and stationary storage")
def _gwh_all(c: _Context) -> float:
    return _battery_gwh(c, _BATTERIES)


@_metric("ev_battery_gwh", "GWh", "battery capacity of the year's electric vehicles")
def _gwh_ev(c: _Context) -> float:
    return _battery_gwh(c, tuple(p for p in _BATTERIES if p != "stationary_storage"))


@_metric("car_battery_gwh", "GWh", "battery capacity of the year's electric cars (bev, phev)")
def _gwh_cars(c: _Context) -> float:
    return _battery_gwh(c, _CARS)


def _in_batteries(products: tuple[str, ...], el: str) -> Callable[[_Context], float]:
    return lambda c: c.contained(products, (el,))


for _el in ("Ni", "Co", "Mn"):
    _metric(f"car_battery_{_el.lower()}", "t", f"{_el} contained in the year's electric cars")(
        _in_batteries(_CARS, _el)
    )
for _el in ("Li", "Co", "Ni", "C", "Cu"):
    _metric(f"battery_{_el.lower()}", "t", f"{_el} contained in the year's EVs and storage")(
        _in_batteries(_BATTERIES, _el)
    )


def _in_use(product: str, year: int, per: float) -> Callable[[_Context], float]:
    def compute(c: _Context) -> float:
        model = c.stock_model
        return (
            float(model.units_stock[model.products.index(product), model.years.index(year)]) * per
        )

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


@_metric("mined_magnet_ree", "t", "Nd+Pr+Dy+Tb in the year's world mine output (metal)")
def _mined(c: _Context) -> float:
    return c.mined(_MAGNET)


def _mined_in(country: str) -> Callable[[_Context], float]:
    return lambda c: c.mined(_MAGNET, (country,))


for _key, _country in (
    ("china", "China"), ("myanmar", "Burma (Myanmar)"), ("us", "United States"),
    ("australia", "Australia"),
):  # fmt: skip
    _metric(f"mined_magnet_ree_{_key}", "t", f"Nd+Pr+Dy+Tb in {_country}'s mine output (metal)")(
        _mined_in(_country)
    )


@_metric("mined_dy", "t", "Dy in the year's world mine output (metal)")
def _mined_dy(c: _Context) -> float:
    return c.mined(("Dy",))


@_metric("dy_share_myanmar", "%", "Myanmar's share of the world's mined Dy")
def _dy_myanmar(c: _Context) -> float:
    total = c.mined(("Dy",))
    return c.mined(("Dy",), ("Burma (Myanmar)",)) / total if total else float("nan")


def _oxide_in_china(el: str) -> Callable[[_Context], float]:
    # Myanmar's clays are separated in China
    def compute(c: _Context) -> float:
        out = c.output[(c.output["element"] == el)]
        return float(out[out["country"].isin(("China", "Burma (Myanmar)"))]["amount"].sum())

    return compute


_metric(
    "dy2o3_separated_china", "t", "Dy2O3 from the ores China separates (its own and Myanmar's)"
)(_oxide_in_china("Dy"))
_metric(
    "tb4o7_separated_china", "t", "Tb4O7 from the ores China separates (its own and Myanmar's)"
)(_oxide_in_china("Tb"))


@_metric(
    "swarf_prnd_oxide", "t",
    "Nd and Pr recycled from magnet swarf in the year: gross less mined demand, as oxide",
)  # fmt: skip
def _swarf(c: _Context) -> float:
    gross = _demand_by_element(c.frame("gross"))
    mined = _demand_by_element(c.frame("mined"))
    return sum(
        (gross[el] - mined[el]) / OXIDES[el].metal_fraction
        for el in ("Nd", "Pr")
        if el in gross and el in mined
    )


def _demand_by_element(f: pd.DataFrame) -> dict[str, float]:
    return {str(el): float(v) for el, v in f["demand"].items()}


def _oxide_demand(f: pd.DataFrame, members: tuple[str, ...]) -> float:
    demand = _demand_by_element(f)
    return sum(v / OXIDES[el].metal_fraction for el, v in demand.items() if el in members)


@_metric(
    "magnet_share_of_demand", "%", "magnet rare earths' share of rare-earth demand (oxide, gross)"
)
def _magnet_share(c: _Context) -> float:
    f = c.frame("gross")
    return _oxide_demand(f, _MAGNET) / _oxide_demand(f, GROUPS["REE"])


@_metric("magnet_share_of_supply", "%", "magnet rare earths' share of mined rare-earth oxide")
def _magnet_supply_share(c: _Context) -> float:
    out = c.output
    return float(out[out["element"].isin(_MAGNET)]["amount"].sum() / out["amount"].sum())


def validate(scenario: str = "baseline-2024", figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """This library's results for ``scenario`` next to the published figures.

    Parameters
    ----------
    scenario : str
        A shipped scenario or a scenario file (default: the 2024 baseline).
    figures : DataFrame, optional
        Published figures in the columns of :func:`mineralcalc.data.market_tables.read_validation`
        (default: the shipped ``validation.csv``).

    Returns
    -------
    DataFrame
        One row per figure of ``validation.csv``: ``id``, ``quantity``, ``ours``,
        ``published`` (tonnes, or fractions for ``%``), ``unit``, ``ratio`` (ours /
        published), ``tolerance``, ``within`` (bool), ``status`` (``ok``; ``outside: <reason>``
        for a recorded, explained deviation; ``OUTSIDE`` for an unexplained one; ``inside, but
        a reason is recorded`` when the reason has gone stale), ``year``, ``source``, ``note``.

    Examples
    --------
    >>> table = validate()  # doctest: +SKIP
    >>> table[["id", "ratio", "status"]]  # doctest: +SKIP
    """
    refs = shipped_validation(set(METRICS)) if figures is None else figures
    ctx = _Context(scenario)
    rows = []
    for ref in refs.to_dict("records"):
        ours = float(METRICS[str(ref["metric"])].compute(ctx))
        value, tolerance, reason = float(ref["value"]), float(ref["tolerance"]), str(ref["reason"])
        ratio = ours / value if value else float("nan")
        within = bool(np.isfinite(ratio) and abs(ratio - 1) <= tolerance)
        if within:
            status = "ok" if not reason else "inside, but a reason is recorded"
        else:
            status = f"outside: {reason}" if reason else "OUTSIDE"
        rows.append(
            {"id": ref["id"], "quantity": ref["quantity"], "ours": ours, "published": value,
             "unit": ref["unit"], "ratio": ratio, "tolerance": tolerance, "within": within,
             "status": status, "year": ref["year"], "source": ref["source"], "note": ref["note"]}
        )  # fmt: skip
    frame = pd.DataFrame(rows)
    frame.attrs["scenario"] = scenario
    return frame
