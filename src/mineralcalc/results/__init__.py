"""Results: :class:`~mineralcalc.results.demand.Demand` as arrays and tidy frames, with its
samples. Interpretations (supply, market balance, risk, sensitivity) live in
:mod:`mineralcalc.lenses`; ``mineralcalc.Demand`` (:mod:`mineralcalc.facade`) binds them as
methods."""
