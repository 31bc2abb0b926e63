"""mineralcalc: critical-element demand from bills of materials and production volumes.

>>> import mineralcalc as mc
>>> phone = mc.Item("phone", parts={"Nd": "0.16 g", "Pr": "0.03 g"}, kind="product")
>>> d = mc.demand({"phone": "1.24 billion"}, mc.Catalog([phone]))
>>> d.total("magnet REE")
<Quantity(235.6, 'metric_ton')>

The public names load on first use (PEP 562), so ``import mineralcalc`` and the command line's
``--help`` stay fast: pandas and the unit registry are imported only when needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# The public names and the module each comes from. Demand, Catalog, Comparison, demand and
# load_scenario are the facade's (mineralcalc.facade): the plain results with every lens and
# presenter bound as a method, typed, so that go-to-definition and mypy follow each call.
_LAZY: dict[str, str] = {
    "Balance": "lenses.byproducts",
    "Catalog": "facade.catalog",
    "Change": "model.changes",
    "Comparison": "facade.comparison",
    "Demand": "facade.demand",
    "ELEMENTS": "elements",
    "GROUPS": "elements",
    "OXIDES": "elements",
    "Estimate": "estimate",
    "Item": "model.items",
    "Part": "model.items",
    "Q_": "units",
    "Recycling": "model.recycling",
    "Scenario": "model.scenario",
    "Supply": "lenses.supply",
    "demand": "facade.demand",
    "load_scenario": "facade.scenario",
    "metal_fraction": "elements",
    "parse_amount": "estimate",
    "supply": "lenses.supply",
    "ureg": "units",
    "validate": "lenses.validation",
    "stockpile": "lenses.stockpiles",
    "price_floor": "lenses.price_floor",
    "value": "lenses.money",
    "bloc_demand": "lenses.security",
    "self_sufficiency": "lenses.security",
    "AmountError": "errors",
    "CycleError": "errors",
    "DimensionError": "errors",
    "ItemError": "errors",
    "MineralcalcError": "errors",
    "ScenarioError": "errors",
    "SpreadError": "errors",
    "TableError": "errors",
    "UnitError": "errors",
    "UnknownItemError": "errors",
    "ValidationFailure": "errors",
    "VolumeError": "errors",
}

__all__ = [
    "ELEMENTS",
    "GROUPS",
    "OXIDES",
    "Q_",
    "AmountError",
    "Balance",
    "Catalog",
    "Change",
    "Comparison",
    "CycleError",
    "Demand",
    "DimensionError",
    "Estimate",
    "Item",
    "ItemError",
    "MineralcalcError",
    "Part",
    "Recycling",
    "Scenario",
    "ScenarioError",
    "SpreadError",
    "Supply",
    "TableError",
    "UnitError",
    "UnknownItemError",
    "ValidationFailure",
    "VolumeError",
    "__version__",
    "bloc_demand",
    "demand",
    "load_scenario",
    "metal_fraction",
    "parse_amount",
    "price_floor",
    "self_sufficiency",
    "stockpile",
    "supply",
    "ureg",
    "validate",
    "value",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mineralcalc' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from .elements import ELEMENTS, GROUPS, OXIDES, metal_fraction
    from .errors import (
        AmountError,
        CycleError,
        DimensionError,
        ItemError,
        MineralcalcError,
        ScenarioError,
        SpreadError,
        TableError,
        UnitError,
        UnknownItemError,
        ValidationFailure,
        VolumeError,
    )
    from .estimate import Estimate, parse_amount
    from .facade.catalog import Catalog
    from .facade.comparison import Comparison
    from .facade.demand import Demand, demand
    from .facade.scenario import load_scenario
    from .lenses.byproducts import Balance
    from .lenses.money import value
    from .lenses.price_floor import price_floor
    from .lenses.security import bloc_demand, self_sufficiency
    from .lenses.stockpiles import stockpile
    from .lenses.supply import Supply, supply
    from .lenses.validation import validate
    from .model.changes import Change
    from .model.items import Item, Part
    from .model.recycling import Recycling
    from .model.scenario import Scenario
    from .units import Q_, ureg
