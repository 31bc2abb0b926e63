"""A what-if without a supplier
============================

A what-if: the 2024 world without China's rare-earth mine output (an export stop).

Run: ``python examples/without_supplier.py``
"""

import mineralcalc as mc

supply = mc.supply(2024)
print(f"2024 REE mining: {supply.total('REE'):,.0f~P} REO, HHI {supply.hhi('REE'):,.0f}")
print(
    f"China {supply.share('REE', 'China'):.0%}; Minerals Security Partnership {supply.share('REE', 'Minerals Security Partnership'):.0%}"
)
print(f"without China: {supply.without('China').total('REE'):,.0f~P} REO")
print()

d = mc.demand(mc.load_scenario("baseline-2024"))
cover = d.coverage("China")
cover = cover[
    cover.element.isin(["Nd", "Pr", "Dy", "Tb", "La", "Ce", "REE (REO)", "magnet REE (REO)"])
]
# each rare earth loses China's own output of it (from the ores China mines): the heavy rare
# earths keep Myanmar's clays, the light ones the US, Australian and other light ores
print("2024 demand (modelled products + other uses) covered by the rest of the world's output:")
print(cover[["element", "basis", "demand", "supply", "coverage"]].round(2).to_string(index=False))
