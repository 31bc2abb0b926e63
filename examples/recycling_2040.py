"""Recycling in 2040
=================

What share of 2040 Nd and Dy demand could recycling meet at 50 % collection?

The 2040 net-zero-style case (``pledges-2040``) with its cohorts of wind turbines, cars,
phones and hard disks leaving use by their lifetimes (``tables/lifetimes.csv``; history before
2024 from ``tables/history.csv``). Two end-of-life chains, collection rising linearly from
today's 22.3 % of e-waste (Global E-waste Monitor 2024) to 50 % in 2040:

* today's liberation: 4.8 % of the rare earths in collected products freed for recycling, the
  value that makes today's chain recover UNEP's 1 % (``estimate-liberation``);
* every magnet dismantled (liberation 100 %), an assumption of this example;

both with 93 % recovery (oxalate precipitation, Klemettinen et al.). Draws the stock in use
and what leaves it (needs ``mineralcalc[plot]``).

Run: ``python examples/recycling_2040.py``
"""

import mineralcalc as mc

scenario = mc.load_scenario("pledges-2040")
cases = {
    "today's liberation": mc.Recycling.of(
        collection={2024: "22.3 %", 2040: "50 %"}, source="gem-2024"
    ),
    "all magnets dismantled": mc.Recycling.of(
        collection={2024: "22.3 %", 2040: "50 %"}, liberation="100 %", source="gem-2024"
    ),
}
for label, rates in cases.items():
    d = mc.demand(scenario, recycling=rates)
    balance = d.compare().set_index(["element", "year"])
    model = d.stock_model()
    print(f"{label}:")
    for el in ("Nd", "Dy"):
        row = balance.loc[(el, 2040)]
        k = model.elements.index(el)
        end_of_life = model.outflow[:, k, -1].sum()
        print(f"  {el} 2040: demand {row['demand']:>9,.0f} t, end of life {end_of_life:>7,.0f} t,"
              f" recovered {row['secondary']:>6,.0f} t = {row['secondary'] / row['demand']:.1%}"
              f" of demand")  # fmt: skip

# Most of 2040's magnets are still in use: the cars and turbines of the build-out leave after
# 2040. The stock in use is the resource of the 2040s.
stocks = mc.demand(scenario, recycling=cases["all magnets dismantled"]).stocks()
nd = stocks[(stocks["element"] == "Nd") & (stocks["year"] == 2040)].iloc[0]
print(
    f"Nd in use at the end of 2040: {nd['stock']:,.0f} t; leaving use that year: "
    f"{nd['outflow']:,.0f} t"
)

try:
    import matplotlib.pyplot as plt

    from mineralcalc.present.stocks_view import plot_stocks
except ImportError:
    print("no chart: pip install 'mineralcalc[plot]'")
else:
    plot_stocks(stocks, ["Nd", "Dy"])
    plt.show()
