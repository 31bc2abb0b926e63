"""EV motors: the disputed kilograms per car
=========================================

EV motors for 17 million EVs: the IEA's 0.5 kg of magnet rare earths per car (2021, the
default) against the disputed alternatives: 1-2 kg per motor (IEA 2024 text), 1.2 to 3.5 kg
(BRGM via AFP 2026), 1-3 kg of NdFeB (Roskill). Ranges are carried as exact bounds.

Run: ``python examples/ev_motors.py``
"""

import mineralcalc as mc

catalog = mc.Catalog.default()
evs = {"ev_traction_motor": "17 million"}

for label, cat in (
    ("IEA 0.5 kg (default)", catalog),
    ("IEA 2024 text 1-2 kg", catalog.use("ev_traction_motor_iea2024")),
    ("BRGM 1.2-3.5 kg", catalog.use("ev_traction_motor_brgm")),
    ("Roskill 1-3 kg NdFeB", catalog.use("ev_traction_motor_roskill")),
):
    lo, c, hi = mc.demand(evs, cat).range("magnet REE")
    print(f"{label:22} magnet REE {c:8,.0f~P}   ({lo:,.0f~P} to {hi:,.0f~P})")

# the default traction grade (grain-boundary diffused) against the older bulk-Dy grade
for label, cat in (
    ("diffused grade", catalog),
    ("bulk 7.5 % Dy", catalog.use("ndfeb_re_traction_bulk")),
):
    dy = mc.demand(evs, cat).total("Dy")
    print(f"{label:15} Dy {dy:,.0f~P}")

# a motor of your own: 2.2 kg of high-temperature magnet
mine = catalog.add(mc.Item("my_motor", parts={"ndfeb_magnet_ht": "2.2 kg"}, kind="product"))
print(mine.intensity("my_motor").round(3))
