"""Battery minerals in 2024 and 2030
=================================

Battery minerals in 2024 and 2030: what the world's batteries take, against mine output and
refined output, and what goes if China's refining stops.

Run: ``python examples/battery_minerals.py``
"""

import mineralcalc as mc

ELEMENTS = ["Li", "Ni", "Co", "Mn", "C"]

base = mc.demand(mc.load_scenario("baseline-2024"))
f = base.compare().set_index("element").loc[ELEMENTS]
print(
    "2024: demand (batteries and cars modelled, plus other uses) against mine output "
    "(graphite: battery demand against battery-grade output)"
)
for el, r in f.iterrows():
    share = "no share (see note)" if r["share"] != r["share"] else f"{r['share']:.1%}"
    print(
        f"  {el:2}  modelled {r['modelled']:>11,.0f} t  + other {r['other_uses']:>11,.0f} t"
        f"  = {r['demand']:>11,.0f} t  {share}"
    )

# the same demand against refined output, with China's refiners gone
s = mc.supply(2024).without("China", stage="refining")
g = base.compare(supply=s, stage="refining").set_index("element").loc[["Li", "Co", "Ni"]]
print("\n2024 against refined output without China's refining")
for el, r in g.iterrows():
    print(f"  {el:2}  refined supply {r['primary']:>10,.0f} t   share {r['share']:.0%}")

# the disputed per-kWh figure: the IEA's reference car against the cathode formula
iea = mc.demand(
    mc.load_scenario("baseline-2024"), mc.Catalog.default().use("ev_battery_nmc622_iea")
)
li, li_iea = base.total("Li", product="bev").magnitude, iea.total("Li", product="bev").magnitude
print(f"\nLi in 2024's BEVs: {li:,.0f} t (cathode formulas), {li_iea:,.0f} t with the IEA's NMC622")

# growth to 2030 with the build-out of cars and storage
d = mc.demand(mc.load_scenario("buildout-2030"))
print("\nbuildout-2030: battery and car demand, 2030 / 2024")
for el in ["Li", "Ni", "Co", "Mn"]:
    ratio = d.total(el, year=2030).magnitude / d.total(el, year=2024).magnitude
    print(f"  {el:2}  x{ratio:.2f}")
