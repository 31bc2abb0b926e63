"""An F-35 fleet
=============

An F-35 fleet: 110 deliveries a year (2024), with the disputed rare-earth figures.

CRS (2013) counts 417 kg of rare-earth-bearing material per aircraft; Adamas (2026) estimates
11-20 kg of rare-earth elements. Run: ``python examples/f35_fleet.py``
"""

import mineralcalc as mc

catalog = mc.Catalog.default()
for label, cat in (("Adamas 11-20 kg", catalog), ("CRS 417 kg", catalog.use("f35_crs"))):
    d = mc.demand({"f35": 110}, cat)
    print(f"{label:16} {d.total('REE'):8,.2f~P} of rare earths a year for 110 aircraft")
print()
print("Against 2024 world supply, the CRS reading takes", end=" ")
d = mc.demand({"f35": {2024: 110}}, catalog.use("f35_crs"))
ree = d.compare().set_index("element").loc["REE (REO)"]
print(f"{ree.modelled_share:.3%} of REO; Adamas's estimate, mostly samarium:", end=" ")
sm = mc.demand({"f35": {2024: 110}}, catalog).compare().set_index("element").loc["Sm"]
print(f"{sm.modelled:,.2f} t Sm, {sm.modelled_share:.2%} of the world's Sm")
