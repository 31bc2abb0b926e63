"""An offshore wind build-out
==========================

An offshore wind build-out: 8 GW a year (2024, GWEC) rising to 34 GW in 2030 (GWEC 2025).

Direct-drive permanent-magnet turbines carry 150-210 kg Nd per MW (JRC 2024); the offshore mix
is 57 % direct drive. Run: ``python examples/offshore_wind.py``
"""

import mineralcalc as mc

d = mc.demand({"offshore_wind": {2024: "8 GW", 2030: "34 GW"}}, years=range(2024, 2031))
for year in (2024, 2027, 2030):
    lo, c, hi = d.range("magnet REE", year=year)
    print(f"{year}: magnet rare earths {c:,.0f~P} (exact bounds {lo:,.0f~P} to {hi:,.0f~P})")

frame = d.compare()
row = frame[(frame.element == "Nd") & (frame.year == 2030)].iloc[0]
print(f"2030: offshore wind alone takes {row.modelled_share:.1%} of the world's Nd supply")
# the market balance adds every use this scenario does not model (IEA: EVs, onshore wind, other
# uses), with the offshore turbines taking their share of the IEA's wind figure
print(
    f"      the whole Nd market: demand {row.demand:,.0f} t against supply {row.supply:,.0f} t "
    f"({row.share:.0%}; {row.note})"
)

# per turbine: the 2024 average offshore turbine (9.8 MW, GWEC)
per_turbine = mc.Catalog.default().intensity("offshore_turbine", "magnet REE", unit="t/unit")
print(f"per 9.8 MW turbine: {per_turbine:.2f} of magnet rare earths to be mined")

# The build-out's Nd and Dy against supply, year by year (needs mineralcalc[plot])
try:
    import matplotlib.pyplot as plt
except ImportError:
    print("no chart: pip install 'mineralcalc[plot]'")
else:
    d.plot(elements=["Nd", "Dy"])
    plt.show()
