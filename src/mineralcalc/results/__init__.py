"""Results: :class:`~mineralcalc.results.demand.Demand` as arrays and tidy frames, with its
samples. Interpretations (supply, market balance, risk, sensitivity) live in
:mod:`mineralcalc.lenses`; the conveniences that reach them go through :mod:`mineralcalc.hooks`."""
