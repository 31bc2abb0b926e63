"""Interpretations of results: world supply by country, stage and element; the market balance
with the uses the products do not model; the balance problem of co-produced rare earths;
risk (export stops, stockpiles, crossover years); sensitivity; validation against published
figures."""
