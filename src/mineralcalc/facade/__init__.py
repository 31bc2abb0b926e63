"""The objects users hold: a demand, a catalog and a market balance with every convenience.

The layers below keep their results as plain data (:mod:`mineralcalc.results`,
:mod:`mineralcalc.model`); the lenses and presenters take them as their first argument. This
layer, above them all and below the command line, puts the two together: ``mc.Demand`` is the
results' demand with ``compare``, ``plot``, ``sensitivity`` ... bound to the lens and
presenter functions themselves, so the type checker and go-to-definition follow every call.
"""
