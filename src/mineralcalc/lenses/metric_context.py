"""The results of one scenario that :mod:`mineralcalc.lenses.metrics` reads, each computed once
(:class:`Context`): its demand, the supply of its first year, the market balance by basis and
stage, the stock-flow model, mine output by country and element, battery packs per item.
"""

from __future__ import annotations

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

__all__ = ["BATTERY_PRODUCTS", "PACKS", "Context", "share_over"]

BATTERY_PRODUCTS = ("bev", "phev", "e_two_wheeler", "e_bus", "e_truck", "stationary_storage")
"""The products whose batteries the metrics count: EVs and stationary storage."""

PACKS = (
    "ev_battery_lfp",
    "ev_battery_nmc811",
    "ev_battery_nmc622",
    "ev_battery_nca",
    "ev_battery_nmc622_iea",
)
"""The battery packs whose kWh :attr:`Context.pack_kwh` counts in every item."""


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
        """kWh of battery packs (the chemistries of ``PACKS``) in one basis unit of every
        item, through the part lines at their central amounts: one solve of the transposed
        line matrix, ``w = (I - A)^-T p``."""
        cat = self.demand.catalog
        g = cat.graph
        a = np.zeros((g.n_items, g.n_items))
        np.add.at(a, (g.child, g.parent), g.amount[1])
        packs = np.zeros(g.n_items)
        packs[cat.rows([k for k in PACKS if k in cat.items])] = 1.0
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

    def battery_demand(self, element: str, year: int | None, basis: str) -> float:
        """Demand for ``element`` of the battery products (:data:`BATTERY_PRODUCTS`) in
        ``year`` (None: a scenario without years) on ``basis`` [t]."""
        present = [p for p in BATTERY_PRODUCTS if p in self.demand.products]
        if not present:
            return 0.0
        total = self.demand.total(element, year=year, product=present, basis=basis)
        return float(total.to("t").magnitude)

    def new_scrap(self, element: str, year: int) -> float:
        """``element`` in the cell-making scrap of ``year``'s battery products that is recycled
        within the year [t]: their gross less their mined demand."""
        return self.battery_demand(element, year, "gross") - self.battery_demand(
            element, year, "mined"
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
        return share_over(self.frame(basis, stage), elements, "demand", "supply")


def share_over(f: pd.DataFrame, elements: tuple[str, ...], num: str, den: str) -> float:
    """Sum of ``num`` over sum of ``den`` of some elements' rows, rare earths as oxide."""
    w = np.array(
        [1.0 / OXIDES[el].metal_fraction if el in GROUPS["REE"] else 1.0 for el in elements]
    )
    rows = f.loc[list(elements)]
    top = float(rows[num].to_numpy(dtype=float) @ w)
    bottom = float(rows[den].to_numpy(dtype=float) @ w)
    return top / bottom if bottom else float("nan")
