"""A bill of materials of your own
===============================

A bill of materials of your own, mixing units, yields and a balance part.

Run: ``python examples/custom_bom.py``
"""

import mineralcalc as mc

catalog = mc.Catalog.default().add(
    # a grade with Dy and Tb for hot motors; Fe is what remains
    mc.Item(
        "my_magnet_alloy", "kg",
        {"nd_metal": "24 to 27 %", "dy_metal": "3 to 5 %", "tb_metal": "0.5 %", "B": "1 %", "Fe": "balance"},
        kind="material",
    ),
    # a pump motor: 600 g of magnet, made at 75-85 % yield, plus a copper winding
    mc.Item("pump_motor", parts={"my_magnet_alloy": mc.Part("600 g", yield_="75 to 85 %"), "Cu": "1.4 kg"}),
    # a heat pump holds one pump motor and a compressor motor of 2 kg of magnet
    mc.Item("heat_pump", parts={"pump_motor": 1, "ndfeb_magnet_ht": "2 kg"}, kind="product"),
)  # fmt: skip

print(catalog.intensity("heat_pump").round(4))
d = mc.demand({"heat_pump": "5 million"}, catalog)
print(f"5 million heat pumps: {d.total('Dy'):,.1f~P} Dy, {d.total('magnet REE'):,.0f~P} magnet REE")
try:
    catalog.add(mc.Item("broken", parts={"Nd": "3 m"}))
except mc.MineralcalcError as e:
    print("a wrong unit is caught where it enters:", e)
