"""The balance problem
===================

The balance problem: mining ore for one rare earth brings all the others with it.

In 2024 today's mix of ores met every rare earth (prices fell, stocks rose): the summary names
the tightest. In the 2030 build-out a magnet rare earth binds: how much rare-earth oxide would
have to be mined at the base case's mix of ores to meet every element, what surplus of
lanthanum and cerium that leaves, and what meeting each shortfall from a single ore type would
bring. Run: ``python examples/balance_problem.py``
"""

import mineralcalc as mc

b24 = mc.demand(mc.load_scenario("baseline-2024")).balance()
print(b24.summary())
print()
b = mc.demand(mc.load_scenario("buildout-2030")).balance(2030)
print(b.summary())
print()
print("2030: need (demand less recycling) against mine output, t oxide:")
print(b.elements[["need", "primary", "ratio", "reo_needed"]].round(2).to_string())
print()
by = b.by_ore_type.set_index(["ore_type", "element"])
for ore, what in (("bayan_obo", "Bayan Obo ore"), ("ionic_clay_medium", "medium-heavy clay")):
    if (ore, b.binding) not in by.index:
        continue
    row = by.loc[(ore, b.binding)]
    print(
        f"closing the {b.binding} shortfall from {what} alone takes {row.extra_reo:,.0f} t REO "
        f"more, bringing {row.Ce:,.0f} t CeO2, {row.La:,.0f} t La2O3 and {row.Y:,.0f} t Y2O3"
    )
