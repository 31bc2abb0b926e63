"""Quick start
===========

Quick start: the 2024 world from the shipped tables, and the seed questions of mineralcalc.

Run: ``python examples/quickstart.py``
"""

import mineralcalc as mc

# 1. The shipped 2024 baseline: every volume and every intensity has a source.
baseline = mc.demand(mc.load_scenario("baseline-2024"))
print(baseline)
print("tonnes to be mined, 2024 (low / central / high):")
print(baseline.by_element().round(0))
print()

# 2. Seed questions with items of your own.
catalog = mc.Catalog(
    [
        # the press figure: ~3 g of rare earths per smartphone (AFP, Feb 2026)
        mc.Item("smartphone", parts={"La": "3 g"}, kind="product", name="smartphone (3 g REE)"),
        # direct-drive offshore wind: 150-210 kg Nd per MW (JRC 2024)
        mc.Item("offshore_wind", "MW", {"Nd": "180 (150 to 210) kg/MW"}, kind="product"),
        # a magnet with 28-32 % Nd, Fe the balance, made at 70-80 % yield, 1.2-3.5 kg per EV motor
        mc.Item("ndfeb", "kg", {"Nd": "28 to 32 %", "Dy": "0 to 4 %", "B": "1 %", "Fe": "balance"}),
        mc.Item(
            "ev", parts={"ndfeb": mc.Part("1.2 to 3.5 kg", yield_="70 to 80 %")}, kind="product"
        ),
    ]
)
demand = mc.demand(
    {"smartphone": "1.24 billion", "offshore_wind": "8 GW", "ev": "17 million"}, catalog
)
print(demand)
print(demand.by_element().round(0))
lo, mid, hi = demand.range("magnet REE")
print(f"magnet REE: {mid:,.0f~P} (exact bounds {lo:,.0f~P} to {hi:,.0f~P})")
