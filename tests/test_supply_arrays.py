"""Supply of many elements over many years at once (issue 24): the arrays that the market
balance reads must equal what each year's own Supply says element by element, for recorded
years, years projected along the outlook or at a rate, removals at every stage or one, and
recorded output only; and a projection at a uniform rate must scale every line as the rate
says, computed here from the recorded figures by hand."""

from __future__ import annotations

import numpy as np
import pytest

import mineralcalc as mc
from mineralcalc.elements import GROUPS, OXIDES
from mineralcalc.errors import VolumeError
from mineralcalc.lenses.projection import (
    outlook_factor_table,
    outlook_factors,
    projected,
    supplies_for,
)
from mineralcalc.lenses.supply import commodity_of

SYMBOLS = ("Nd", "Pr", "Dy", "Tb", "La", "Ce", "Y", "Sc", "Li", "Co", "Ni", "Mn", "Cu", "C", "Fe")
YEARS = [2017, 2019, 2021, 2023, 2024, 2025, 2030, 2033]  # before, between and after figures


def _close(a, b) -> bool:
    return bool(
        np.allclose(
            np.asarray(a, float), np.asarray(b, float), rtol=1e-12, atol=0.0, equal_nan=True
        )
    )


def _by_figures(supplies):
    out = {}
    for s, _ in supplies:
        out.setdefault(s.data_year or s.year, []).append(s)
    return list(out.values())


ADJUST = {
    "as recorded": None,
    "without China": lambda s: s.without("China"),
    "recorded only, without Myanmar": lambda s: s.without("Myanmar").recorded(),
    "without China's refining": lambda s: s.without("China", stage="refining"),
}


@pytest.mark.parametrize(
    ("adjust", "growth"),
    [(a, None) for a in ADJUST] + [("without China", "3 %/yr"), ("as recorded", {"REE": "5 %/yr"})],
)
def test_arrays_equal_each_years_own_supply(adjust, growth):
    supplies = supplies_for(YEARS, None, growth, None, ADJUST[adjust])
    assert [s.year for s, _ in supplies] == YEARS
    for over in _by_figures(supplies):
        for stage in ("mining", "refining"):
            try:
                arr = over[0].element_arrays(SYMBOLS, stage, over=over)
            except VolumeError as e:  # no refining figures in the earliest year: as element()
                with pytest.raises(VolumeError, match=str(e)[:30]):
                    for el in SYMBOLS:
                        over[0].unrecorded_element(el, stage)
                continue
            assert arr.years == tuple(s.year for s in over)
            for y, s in enumerate(over):
                for e, el in enumerate(SYMBOLS):
                    amount, basis, note = s.element(el, stage)
                    assert _close(arr.primary[y, e], amount), (s.year, el, stage)
                    assert (arr.basis[y, e], arr.notes[y, e]) == (basis, note)
                    assert _close(arr.unrecorded[:, y, e], s.unrecorded_element(el, stage))
            for group in ("REE", "LREE", "HREE", "magnet REE"):
                g = over[0].group_arrays(GROUPS[group], stage, over=over)
                for y, s in enumerate(over):
                    oxide, note = s.group_oxide(GROUPS[group], stage)
                    assert _close(g.oxide[y], oxide) and g.notes[y] == note
                    assert _close(g.unrecorded[:, y], s.group_unrecorded(GROUPS[group], stage))
        for kind in (None, "new scrap", "end of life"):
            sec = over[0].secondary_arrays(SYMBOLS, kind, over=over)
            for y, s in enumerate(over):
                for e, el in enumerate(SYMBOLS):
                    assert _close(sec[:, y, e], s.secondary(el, kind)), (s.year, el, kind)


def test_a_uniform_rate_scales_every_line_of_supply():
    # at 3 %/yr everywhere, 2030's supply is 2024's x 1.03^6 line by line: mine output of
    # every commodity and rare earth, the unrecorded output given as a share of a country's
    # output (Myanmar's), while an amount (Laos's clay) is held; recycling given as a mass
    # is held, given as a share it grows with mine output
    base = mc.supply(2024)
    later = [projected(base, y, "3 %/yr")[0] for y in (2024, 2027, 2030)]
    arr = base.element_arrays(SYMBOLS, over=later)
    f = 1.03 ** np.array([0, 3, 6])
    for e, el in enumerate(SYMBOLS):
        c = commodity_of(el)
        if c is not None and c != "REE" and el != "C":
            recorded = base.total(c).to("t").magnitude
            assert arr.primary[:, e] == pytest.approx(recorded * f, rel=1e-12)
    out = base.element_output()
    for el in ("Nd", "Dy", "La"):
        oxide = out.loc[out["element"] == el, "amount"].sum()
        e = SYMBOLS.index(el)
        assert arr.primary[:, e] == pytest.approx(oxide * OXIDES[el].metal_fraction * f, rel=1e-12)
    unrec = base.unrecorded_output()
    held = unrec[unrec["country"] != "Burma (Myanmar)"]
    share = unrec[unrec["country"] == "Burma (Myanmar)"]
    e = SYMBOLS.index("Dy")
    dy = (
        held.loc[held["element"] == "Dy", "amount"].sum()
        + share.loc[share["element"] == "Dy", "amount"].sum() * f
    ) * OXIDES["Dy"].metal_fraction
    assert arr.unrecorded[1, :, e] == pytest.approx(dy, rel=1e-12)


def test_arrays_refuse_supplies_of_other_figures():
    a, b = mc.supply(2024), mc.supply(2023)
    with pytest.raises(VolumeError, match="does not carry the figures"):
        a.element_arrays(["Nd"], over=[a, b])
    with pytest.raises(VolumeError, match="does not carry the figures"):
        a.element_arrays(["Nd"], over=[a.without("China")])


def test_outlook_factors_of_many_years_are_those_of_each_year():
    table = mc.supply(2024).tables.outlook
    years = [2019, 2024, 2026, 2030, 2035, 2050]
    many = outlook_factor_table(table, 2024, years)
    for k, year in enumerate(years):
        one = outlook_factors(table, 2024, year)
        assert set(one) == set(many)
        for key, per in one.items():
            assert list(per) == list(many[key])
            assert [per[c] for c in per] == [float(many[key][c][k]) for c in per]
