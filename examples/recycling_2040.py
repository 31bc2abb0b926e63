"""Recycling in 2040
=================

What share of 2040 Nd and Dy demand could recycling meet at 50 % collection?

The 2040 net-zero-style case (``pledges-2040``) with its cohorts leaving use by their
lifetimes: the modelled products (wind turbines, cars, phones, hard disks: ``tables/lifetimes.csv``,
history before 2024 from ``tables/history.csv``) and the uses no product models (industrial
motors, appliances, consumer electronics ...: ``tables/use_lifetimes.csv``, with the world's
NdFeB output since 1987 from ``tables/use_history.csv``). Two end-of-life chains, collection
rising linearly from today's 22.3 % of e-waste (Global E-waste Monitor 2024) to 50 % in 2040:

* today's liberation: 4.8 % of the rare earths in collected products freed for recycling, the
  value that makes today's chain recover UNEP's 1 % (``estimate-liberation``);
* every magnet dismantled (liberation 100 %), an assumption of this example;

both with 93 % recovery (oxalate precipitation, Klemettinen et al.).

The shares divide like by like: what the whole stock in use recovers over the whole demand
(modelled products plus other uses), and what the modelled products recover over the modelled
products' demand; both in contained metal, the year's inflow into use. Draws the stock in use and what leaves it (needs
``mineralcalc[plot]``).

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
    whole = d.stock_model()  # the products and the uses no product models
    products = d.stock_model(other_uses=False)  # the products alone
    print(f"{label} (contained metal, 2040):")
    for el in ("Nd", "Dy"):
        k, j = whole.elements.index(el), products.elements.index(el)
        # the year's inflow into use is its demand in contained metal: every use, or the products'
        need, need_p = whole.inflow[:, k, -1].sum(), products.inflow[:, j, -1].sum()
        back, back_p = whole.recovered[:, k, -1].sum(), products.recovered[:, j, -1].sum()
        print(
            f"  {el}: the whole stock recovers {back:>6,.0f} t of all demand {need:>7,.0f} t"
            f" = {back / need:.1%}; the modelled products {back_p:>6,.0f} t of their"
            f" {need_p:>6,.0f} t = {back_p / need_p:.1%}"
        )

# Most of 2040's magnets are still in use: the cars and turbines of the build-out leave after
# 2040. The stock in use is the resource of the 2040s.
stocks = mc.demand(scenario, recycling=cases["all magnets dismantled"]).stocks()
nd = stocks[(stocks["element"] == "Nd") & (stocks["year"] == 2040)].iloc[0]
print(
    f"Nd in use at the end of 2040 (whole stock): {nd['stock']:,.0f} t; leaving use that year: "
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
