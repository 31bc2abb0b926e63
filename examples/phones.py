"""Smartphones
===========

Smartphones: 1.24 billion phones (IDC, 2024), measured Nd/Pr against the ~3 g press figure.

Run: ``python examples/phones.py``
"""

import mineralcalc as mc

catalog = mc.Catalog.default()
volumes = {"smartphone": "1.24 billion"}

measured = mc.demand(volumes, catalog)  # Plymouth 2019: 0.16 g Nd + 0.03 g Pr per phone
press = mc.demand(volumes, catalog.use("smartphone_press"))  # AFP 2026: ~3 g of rare earths

print("Smartphones, 2024 (1.24 billion):")
print(f"  measured Nd+Pr, mined (with magnet losses): {measured.total('REE'):,.0f~P}")
print(f"  press figure, ~3 g of rare earths:          {press.total('REE'):,.0f~P}")
print()
print("Where the two figures come from:")
print(
    catalog.sources("smartphone")[["source", "item", "value", "alternative", "quality"]].to_string()
)
