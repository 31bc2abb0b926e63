"""What drives the spread: sensitivity
===================================

Which inputs drive the spread of a demand: sampling, then sensitivity analysis.

100,000 samples of the 2024 baseline (every uncertain amount, yield, recycling share and
volume drawn), the spread of Dy and Nd demand, and for each the inputs that drive it: the
first-order variance index (the share of the variance an input explains alone), Spearman's
rank correlation, and the demand when the input is low or high. A product's own spread comes
from the same draws. Run: ``python examples/sensitivity.py``
"""

import mineralcalc as mc

d = mc.demand(mc.load_scenario("baseline-2024"), samples=100_000, seed=1)
for element in ("Dy", "Nd"):
    p5, p50, p95 = (q.magnitude for q in d.quantiles(element))
    print(
        f"{element} demand 2024: {p50:,.0f} t (90 % of samples between {p5:,.0f} and {p95:,.0f} t)"
    )
    drivers = d.sensitivity(element)
    shown = drivers.head(5)[
        ["parameter", "first_order", "rank_correlation", "demand_low", "demand_high"]
    ]
    print(shown.round(3).to_string(index=False))
    print(f"first-order indices add up to {drivers.attrs['first_order_sum']:.0%}\n")

# one product's spread, from the very draws of the totals
p5, p50, p95 = (q.magnitude for q in d.quantiles("Dy", product="offshore_wind"))
print(f"Dy in offshore wind: {p50:,.0f} t ({p5:,.0f}-{p95:,.0f} t)")
