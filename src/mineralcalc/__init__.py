"""mineralcalc: critical-element demand from bills of materials and production volumes.

>>> import mineralcalc as mc
>>> phone = mc.Item("phone", parts={"Nd": "0.16 g", "Pr": "0.03 g"}, kind="product")
>>> d = mc.demand({"phone": "1.24 billion"}, mc.Catalog([phone]))
>>> d.total("magnet REE")
<Quantity(235.6, 'metric_ton')>
"""

from __future__ import annotations

from .catalog import Catalog
from .demand import demand
from .elements import ELEMENTS, GROUPS, OXIDES, metal_fraction
from .errors import (
    AmountError,
    CycleError,
    DimensionError,
    ItemError,
    MineralcalcError,
    ScenarioError,
    TableError,
    UnitError,
    UnknownItemError,
    VolumeError,
)
from .estimate import Estimate, parse_amount
from .items import Item, Part
from .result import Demand
from .scenario import Scenario, load_scenario
from .supply import Supply, supply
from .timeline import Change
from .units import Q_, ureg

__version__ = "0.1.0"

__all__ = [
    "ELEMENTS",
    "GROUPS",
    "OXIDES",
    "Q_",
    "AmountError",
    "Catalog",
    "Change",
    "CycleError",
    "Demand",
    "DimensionError",
    "Estimate",
    "Item",
    "ItemError",
    "MineralcalcError",
    "Part",
    "Scenario",
    "ScenarioError",
    "Supply",
    "TableError",
    "UnitError",
    "UnknownItemError",
    "VolumeError",
    "__version__",
    "demand",
    "load_scenario",
    "metal_fraction",
    "parse_amount",
    "supply",
    "ureg",
]
