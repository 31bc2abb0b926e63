"""Project Vault: the news in numbers
==================================

The news in numbers: "China holds about 60-70 % of rare-earth mining but about 90 % of
processing"; Project Vault's USD 10 billion Export-Import Bank loan plus about USD 1.67 billion
of private capital; a USD 110/kg price floor for NdPr oxide.

* China's share of mining and of separation (USGS MCS 2025; the IEA's data explorer).
* How many months of the magnet rare earths of the United States and its price-floor partners
  (the EU, Japan, Mexico) USD 11.67 billion buys at 2024 prices, if spent on rare earths alone
  (Project Vault covers many minerals).
* How self-sufficient that bloc is at each stage.
* What the floor costs a year on MP Materials' 1,294 t of NdPr oxide (2024), at the 2024 price
  and at the FOB China price of January 2025.

Run: ``python examples/project_vault.py``
"""

import mineralcalc as mc
from mineralcalc.lenses.money import stockpile
from mineralcalc.lenses.price_floor import price_floor
from mineralcalc.lenses.security import bloc_demand, self_sufficiency

s = mc.supply(2024)
print(f"China: {s.share('REE', 'China'):.0%} of rare-earth mining, "
      f"{s.share('REE', 'China', stage='separation'):.0%} of separation, "
      f"{s.share('REE', 'China', stage='magnet'):.0%} of magnet making (2024)")  # fmt: skip

d = mc.demand(mc.load_scenario("baseline-2024"))
bloc = "US price-floor talks"
need = bloc_demand(d, bloc, elements=["Nd", "Pr", "Dy", "Tb"])
buy = stockpile(dict(zip(need["element"], need["daily"], strict=True)), budget="11.67 billion USD")
lo, mid, hi = buy.attrs["months"]
print(f"USD 11.67 billion buys {mid:.0f} months ({lo:.0f}-{hi:.0f}) of the magnet rare earths of "
      f"{bloc} ({len(need.attrs['members'])} countries)")  # fmt: skip
for member, products in need.attrs["missing"].items():  # no row in regional.csv for these
    print(f"  not counted (no row in regional.csv): {member} for {', '.join(products)}")
for r in buy.itertuples():
    print(f"  {r.element}: {r.tonnes:,.0f} t at USD {r.price:,.0f}/kg of metal")

suff = self_sufficiency(d, bloc, elements=["Nd", "Dy"])
for r in suff.itertuples():
    print(f"  {r.element} {r.stage:9} own supply {r.supply:>8,.0f} t of {r.demand:>8,.0f} t "
          f"({r.self_sufficiency:.0%})")  # fmt: skip

for market in (None, "FOB China"):
    f = price_floor("Nd", "110 USD/kg", "1294 t", market=market)
    p = f["prices"]
    print(
        f"A USD 110/kg floor on 1,294 t of NdPr oxide at {p['product']} {p['period']} "
        f"({p['market']}, USD {p['price']:.1f}/kg): USD {f['cost'] / 1e6:.0f} million a year"
    )
