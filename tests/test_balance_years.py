"""The market balance over many years in one pass (issue 24) must be what the balance of each
year alone is: a multi-year comparison equals the single-year comparisons of the same volumes
put together, and each row's numbers are those of that year's own supply (asked element by
element), the demand's own totals and quantiles, and the arithmetic of a row."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import mineralcalc as mc
from mineralcalc.elements import ELEMENTS, GROUPS, oxide_name
from mineralcalc.lenses.market import compare
from mineralcalc.lenses.other_uses import other_uses
from mineralcalc.lenses.projection import supply_for
from mineralcalc.lenses.supply import commodity_of

# a product no end use lists and no stock model knows (no lifetime): new demand on top of the
# published figures, with no end-of-life growth, so each year's balance depends on that year
GADGET = mc.Item(
    "gadget",
    parts={
        "Nd": "1 kg",
        "Dy": "0.1 kg",
        "La": "0.2 kg",
        "Li": "2 kg",
        "Co": "0.5 kg",
        "Cu": "3 kg",
    },
    kind="product",
)
CATALOG = mc.Catalog.default().add(GADGET)
YEARS = list(range(2024, 2032))  # the recorded year, then years projected from it
VOLUMES = {"gadget": {y: 1e6 * 1.2 ** (y - 2024) for y in YEARS}}


_DIFFERENCES = ("balance", "headroom", "shortfall")


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    for c in a.columns:
        x, y = a[c], b[c]
        assert x.dtype == y.dtype, c
        if x.dtype.kind == "f":
            # a balance is a difference of two large sums: its last digits are theirs
            scale = np.nanmax(np.abs(b["supply"])) if c in _DIFFERENCES else 0.0
            np.testing.assert_allclose(
                x.to_numpy(), y.to_numpy(), rtol=1e-12, atol=1e-12 * scale, err_msg=c
            )
        else:
            assert x.astype(str).tolist() == y.astype(str).tolist(), c


@pytest.mark.parametrize(
    "options",
    [{}, {"stage": "refining", "without": "China"}, {"basis": "gross", "unrecorded": False}],
)
def test_years_together_are_the_years_alone(options):
    d = mc.demand(VOLUMES, CATALOG, years=YEARS, samples=200, seed=3)
    together = compare(d, **options)
    alone = []
    for y in YEARS:
        one = mc.demand(
            {"gadget": {y: VOLUMES["gadget"][y]}}, CATALOG, years=[y], samples=200, seed=3
        )
        alone.append(compare(one, **options))
    apart = pd.concat(alone, ignore_index=True)
    # the one difference: a clearing element's note names the demand's first year, the
    # year its modelled demand is taken from (here no listed product models it: zero)
    first = re.compile(r"modelled demand of \d{4}")
    apart["note"] = apart["note"].str.replace(first, "modelled demand of 2024", regex=True)
    _same(together, apart)
    assert together.attrs["sources"] == sorted({s for f in alone for s in f.attrs["sources"]})
    assert {"demand_p5", "share_p95"} <= set(together.columns) or options.get("basis")


@pytest.fixture(scope="module")
def fleet():
    # the benchmark's case: cars and offshore wind growing from 2025, every year projected
    years = list(range(2025, 2041))
    volumes = {
        "bev": {y: 17e6 * 1.05 ** (y - 2025) for y in years},
        "offshore_wind": {y: f"{8 * 1.08 ** (y - 2025)} GW" for y in years},
    }
    d = mc.demand(volumes, years=years, samples=500, seed=1)
    return d, compare(d)


def test_each_row_is_its_years_supply_and_demand(fleet):
    d, frame = fleet
    other = other_uses(d).set_index(["element", "year"])
    for year in d.years:
        rows = frame[frame["year"] == year]
        sup = supply_for(year, None, None, d.catalog.tables)[0]
        names = list(rows["element"])
        # elements by atomic number, then the groups in REO
        elements = [n for n in names if n in ELEMENTS]
        assert elements == sorted(elements, key=list(ELEMENTS).index)
        assert names[len(elements) :] == [
            oxide_name(g) for g in ("REE", "LREE", "HREE", "magnet REE")
        ]
        for r in rows[rows["element"].isin(elements)].itertuples(index=False):
            el = r.element
            lo, c, hi = (q.to("t").magnitude for q in d.range(el, year=year))
            assert (r.modelled_low, r.modelled, r.modelled_high) == pytest.approx((lo, c, hi))
            o = other.loc[(el, year), "other"] if (el, year) in other.index else 0.0
            assert r.other_uses == pytest.approx(o) and r.demand == pytest.approx(c + o)
            amount, _, _ = sup.element(el)
            if not amount > 0:
                assert np.isnan(r.supply) and "no supply" in r.note
                continue
            assert r.recorded == pytest.approx(amount, rel=1e-12)
            assert r.unrecorded == pytest.approx(sup.unrecorded_element(el)[1], rel=1e-12)
            assert r.supply == pytest.approx(r.recorded + r.unrecorded + r.secondary, rel=1e-12)
            assert r.share == pytest.approx(r.demand / r.supply)
            assert r.outlook == sup.outlook_of(commodity_of(el) or el) != ""
            if r.demand > r.supply * (1 + 1e-9):
                assert r.shortfall == pytest.approx(r.demand - r.supply)
                assert f"falls short by {r.shortfall:,.0f} t/yr" in r.note
            else:
                assert r.shortfall == 0.0 and "falls short" not in r.note
        for g in GROUPS:
            if g == "REE" or oxide_name(g) not in names:
                continue
            r = rows[rows["element"] == oxide_name(g)].iloc[0]
            assert r.recorded == pytest.approx(sup.group_oxide(GROUPS[g])[0], rel=1e-12)
            assert r.basis == "oxide (REO)"


def test_the_spread_is_each_rows_quantiles(fleet):
    d, frame = fleet
    for r in frame.sample(40, random_state=0).itertuples(index=False):
        qs = [q.to("t").magnitude + r.other_uses for q in d.quantiles(r.element, year=r.year)]
        assert [r.demand_p5, r.demand_p50, r.demand_p95] == pytest.approx(qs, rel=1e-12)
        assert r.share_p50 == pytest.approx(qs[1] / r.supply, rel=1e-12, nan_ok=True)


def test_a_market_that_clears_has_no_verdict():
    # La clears the market in the base year: its other uses are the year's supply less the
    # modelled demand, so demand equals supply; summed in another order, the two may differ
    # in the last digit, which is neither a shortfall nor demand above supply
    d = mc.demand(mc.load_scenario("baseline-2024"))
    la = compare(d, groups=()).set_index("element").loc["La"]
    assert la["balance"] == 0.0 and la["demand"] == pytest.approx(la["supply"], rel=1e-12)
    assert "demand above supply" not in la["note"]
