"""The balance problem: mining ore for one rare earth brings all the others with it.

Which rare earth binds the 2024 market, how much rare-earth oxide would have to be mined at
today's mix of ores to meet every element, what surplus of lanthanum and cerium that leaves,
and what meeting each shortfall from a single ore type would bring. Then the same for the 2030
build-out. Run: ``python examples/balance_problem.py``
"""

import mineralcalc as mc

b = mc.demand(mc.load_scenario("baseline-2024")).balance()
print(b.summary())
print()
print("need (demand less recycling) against mine output, t oxide:")
print(b.elements[["need", "primary", "ratio", "reo_needed"]].round(2).to_string())
print()
# meeting the Nd shortfall from Bayan Obo-type ore alone: the extra REO and what it brings
by = b.by_ore_type.set_index(["ore_type", "element"])
row = by.loc[("bayan_obo", "Nd")]
print(
    f"closing the Nd shortfall from Bayan Obo ore takes {row.extra_reo:,.0f} t REO more, "
    f"bringing {row.Ce:,.0f} t CeO2 and {row.La:,.0f} t La2O3 nobody asked for"
)
clay = by.loc[("ionic_clay", b.binding)] if ("ionic_clay", b.binding) in by.index else None
if clay is not None and clay.extra_reo < float("inf"):
    print(
        f"closing the {b.binding} shortfall from ion-adsorption clay takes {clay.extra_reo:,.0f} t "
        f"REO more, bringing {clay.Y:,.0f} t Y2O3"
    )
print()
print(mc.demand(mc.load_scenario("buildout-2030")).balance(2030).summary())
