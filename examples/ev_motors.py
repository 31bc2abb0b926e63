"""EV motors: 1.2 to 3.5 kg of rare earths per motor (BRGM via AFP 2026) for 17 million EVs.

The range is carried as exact bounds, and against the IEA's 1-2 kg. Run: ``python examples/ev_motors.py``
"""

import mineralcalc as mc

catalog = mc.Catalog.default()
evs = {"ev_traction_motor": "17 million"}

for label, cat in (
    ("IEA 1-2 kg (default)", catalog),
    ("BRGM 1.2-3.5 kg", catalog.use("ev_traction_motor_brgm")),
    ("Roskill 1-3 kg NdFeB", catalog.use("ev_traction_motor_roskill")),
):
    lo, c, hi = mc.demand(evs, cat).range("magnet REE")
    print(f"{label:22} magnet REE {c:8,.0f~P}   ({lo:,.0f~P} to {hi:,.0f~P})")

# a motor of your own: 2.2 kg of high-temperature magnet
mine = catalog.add(mc.Item("my_motor", parts={"ndfeb_magnet_ht": "2.2 kg"}, kind="product"))
print(mine.intensity("my_motor").round(3))
