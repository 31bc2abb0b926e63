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

from . import hooks as _hooks
from ._version import __version__

# The composition root: the conveniences lower layers offer, bound to the higher modules that
# carry them out (see mineralcalc.hooks). Nothing is imported until a hook is first called.
_hooks.bind(
    {
        "catalog.element_matrices": "engine.intensity:element_matrices",
        "catalog.html": "present.html:catalog_html",
        "catalog.intensity": "engine.intensity:intensity",
        "catalog.rich": "present.catalog_view:catalog_table",
        "catalog.to_tables": "present.catalog_export:write_tables",
        "comparison.html": "present.html:comparison_html",
        "comparison.rich": "present.tables:compare_table",
        "demand.balance": "lenses.balance:balance",
        "demand.compare": "lenses.market:compare",
        "demand.coverage": "lenses.risk:coverage",
        "demand.crossover": "lenses.risk:crossover",
        "demand.plot": "present.plot:plot_demand",
        "demand.rich": "present.tables:demand_table",
        "demand.sensitivity": "lenses.sensitivity:sensitivity",
        "demand.stock_flow": "lenses.stocks:stock_flow",
        "demand.stockpile_days": "lenses.risk:stockpile_days",
    }
)

_LAZY: dict[str, str] = {
    "Balance": "lenses.balance",
    "Catalog": "model.catalog",
    "Change": "model.changes",
    "Comparison": "lenses.comparison",
    "Demand": "results.demand",
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
    "demand": "results.api",
    "load_scenario": "model.scenario",
    "metal_fraction": "elements",
    "parse_amount": "estimate",
    "supply": "lenses.supply",
    "ureg": "units",
    "validate": "lenses.validation",
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
    "demand",
    "load_scenario",
    "metal_fraction",
    "parse_amount",
    "supply",
    "ureg",
    "validate",
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
    from .lenses.balance import Balance
    from .lenses.comparison import Comparison
    from .lenses.supply import Supply, supply
    from .lenses.validation import validate
    from .model.catalog import Catalog
    from .model.changes import Change
    from .model.items import Item, Part
    from .model.recycling import Recycling
    from .model.scenario import Scenario, load_scenario
    from .results.api import demand
    from .results.demand import Demand
    from .units import Q_, ureg
