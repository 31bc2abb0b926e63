"""A scenario over years
=====================

A scenario over years from a TOML file: growth rates, interpolation, thrifting.

Run: ``python examples/scenario_years.py``
"""

import tempfile
from pathlib import Path

import mineralcalc as mc

TOML = """
name = "ev-boom"
years = "2024..2035"

[volumes.bev]
2024 = { amount = "10.5 million", source = "inovev-2025" }
2030 = { amount = "33 million", source = "iea-gevo-2024-data" }
growth = "5 %/yr"

[volumes.offshore_wind]
2024 = "8 GW"
2030 = "34 GW"
growth = "3 %/yr"

[[changes]]          # less Dy in every magnet
item = "*"
part = "dy_in_magnets"
rate = "-4 %/yr"
since = 2024

[supply]
growth = { REE = "4.9 %/yr" }
"""

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "ev-boom.toml"
    path.write_text(TOML)
    d = mc.demand(mc.load_scenario(path))

frame = d.compare()
nd = frame[frame.element == "Nd"][["year", "modelled", "other_uses", "demand", "supply", "share"]]
print(nd.round(2).to_string(index=False))
# the whole market (these products plus every other use of Nd) is already above recorded
# output in 2024, as the IEA's own balance is; the products alone cross it later
print("first year Nd demand reaches supply, whole market:", d.crossover("Nd"))
print("first year these products alone need all of it:", d.crossover("Nd", other_uses=False))
print(
    "5,000 t Nd stockpile in 2030 lasts (days of these products' demand, high/central/low):",
    [round(x.magnitude) for x in d.stockpile_days("5,000 t Nd", year=2030)],
)
