"""Sensitivity analysis: which inputs drive the spread (issue 12).

The expectations are computed independently of the library: variances of uniform inputs by
hand, Spearman's rho of a sum of uniforms by numerical integration of its definition.
"""

from __future__ import annotations

import pytest
from scipy import integrate

import mineralcalc as mc
from mineralcalc import Catalog, Item, Part

N = 100_000


@pytest.fixture(scope="module")
def two_uniforms():
    # Y = X1 + X2 [t]: 1000 units of p with X1 ~ U(0, 1) kg of Nd, 1000 of q with X2 ~ U(0, 3)
    cat = Catalog(
        [
            Item("p", parts={"Nd": "0 to 1 kg"}, kind="product"),
            Item("q", parts={"Nd": "0 to 3 kg"}, kind="product"),
        ]
    )
    d = mc.demand({"p": 1000, "q": 1000}, cat, samples=N, seed=3)
    return d.sensitivity("Nd").set_index("item")


def _spearman_of_sum(w1: float, w2: float) -> float:
    """Spearman's rho between X1 ~ U(0, w1) and X1 + X2, X2 ~ U(0, w2): 12 E[F1 FY] - 3."""

    def cdf_sum(y: float) -> float:  # the CDF of X1 + X2: area of the part of the box below y
        area = integrate.quad(lambda x1: min(max(y - x1, 0.0), w2), 0, w1)[0]
        return area / (w1 * w2)

    inner = integrate.quad(
        lambda x1: (x1 / w1) * integrate.quad(lambda x2: cdf_sum(x1 + x2), 0, w2)[0] / w2,
        0, w1, limit=200,
    )[0] / w1  # fmt: skip
    return 12 * inner - 3


def test_first_order_indices_of_a_linear_sum_are_the_variance_shares(two_uniforms):
    f = two_uniforms
    # Var(X1) = 1/12, Var(X2) = 9/12: S1 = 0.1 and 0.9, adding up to 1 (no interaction)
    assert f.loc["p", "first_order"] == pytest.approx(
        0.1, abs=max(0.01, 4 * f.loc["p", "first_order_se"])
    )
    assert f.loc["q", "first_order"] == pytest.approx(
        0.9, abs=max(0.01, 4 * f.loc["q", "first_order_se"])
    )
    assert f.attrs["first_order_sum"] == pytest.approx(1.0, abs=0.02)
    assert list(f.index) == ["q", "p"]  # the largest driver first


def test_rank_correlations_match_spearmans_rho_by_integration(two_uniforms):
    f = two_uniforms
    for item, (w1, w2) in {"p": (1.0, 3.0), "q": (3.0, 1.0)}.items():
        expected = _spearman_of_sum(w1, w2)
        assert f.loc[item, "rank_correlation"] == pytest.approx(expected, abs=0.01)
    assert 0.25 < f.loc["p", "rank_correlation"] < 0.35  # ~0.30: a sanity bound on the integral


def test_tornado_bars_are_the_conditional_means_of_the_tails(two_uniforms):
    f = two_uniforms
    # X2 in its lowest tenth: E[X1] + E[X2 | X2 < 0.3] = 0.5 + 0.15 t; highest: 0.5 + 2.85
    assert f.loc["q", "demand_low"] == pytest.approx(0.65, rel=0.01)
    assert f.loc["q", "demand_high"] == pytest.approx(3.35, rel=0.01)
    assert f.loc["p", "demand_low"] == pytest.approx(0.05 + 1.5, rel=0.01)
    assert f.attrs["demand_mean"] == pytest.approx(2.0, rel=0.01)


def test_a_product_of_inputs_leaves_a_share_to_the_interaction():
    # Y = V x F: V ~ U(500, 1500) motors, F ~ U(0.2, 1.0) kg Nd each (independent)
    cat = Catalog([Item("motor", parts={"Nd": "0.2 to 1.0 kg"}, kind="product")])
    d = mc.demand({"motor": "500 to 1500"}, cat, samples=N, seed=5)
    f = d.sensitivity("Nd").set_index("kind")
    ev, vv = 1000.0, 1000.0**2 / 12  # mean and variance of V
    ef, vf = 0.6, 0.8**2 / 12
    var_y = (vv + ev**2) * (vf + ef**2) - (ev * ef) ** 2
    assert f.loc["volume", "first_order"] == pytest.approx(ef**2 * vv / var_y, abs=0.01)
    assert f.loc["amount", "first_order"] == pytest.approx(ev**2 * vf / var_y, abs=0.01)
    interaction = vv * vf / var_y  # what neither explains alone
    assert f.attrs["first_order_sum"] == pytest.approx(1 - interaction, abs=0.02)


def test_a_yield_lowers_demand_and_is_named():
    cat = Catalog([Item("p", "kg", {"Nd": Part("1 kg/kg", yield_="0.5 to 1")}, kind="product")])
    d = mc.demand({"p": "1000 kg"}, cat, samples=20_000, seed=1)
    f = d.sensitivity("Nd")
    row = f.iloc[0]
    assert (row["kind"], row["item"], row["part"]) == ("yield", "p", "Nd")
    assert row["parameter"] == "yield of Nd in p"
    # 1/yield is monotone down: rho = -1 (the grades are exact, the ranks of Y empirical)
    assert row["rank_correlation"] == pytest.approx(-1.0, abs=1e-3)
    assert row["demand_low"] > row["demand_high"]
    assert (row["low"], row["high"], row["dist"]) == (0.5, 1.0, "uniform")


def test_per_year_and_per_product_and_reproducible(two_uniforms):
    cat = Catalog(
        [
            Item("p", parts={"Nd": "0 to 1 kg"}, kind="product"),
            Item("q", parts={"Nd": "0 to 3 kg"}, kind="product"),
        ]
    )
    d = mc.demand({"p": {2024: 1000, 2030: 1000}, "q": {2024: 1000, 2030: 1000}}, cat,
                  samples=5000, seed=2)  # fmt: skip
    a = d.sensitivity("Nd", year=2030)
    b = d.sensitivity("Nd", year=2030)
    assert a.equals(b)
    only_p = d.sensitivity("Nd", product="p").set_index("item")
    assert only_p.loc["p", "first_order"] == pytest.approx(1.0, abs=0.02)
    assert only_p.loc["q", "first_order"] == pytest.approx(0.0, abs=0.02)


def test_sensitivity_errors_say_what_to_do():
    cat = Catalog([Item("p", parts={"Nd": "0 to 1 kg"}, kind="product")])
    with pytest.raises(mc.VolumeError, match="samples=N"):
        mc.demand({"p": 1}, cat).sensitivity("Nd")
    with pytest.raises(mc.VolumeError, match="at least 1,000"):
        mc.demand({"p": 1}, cat, samples=500, seed=1).sensitivity("Nd")
    d = mc.demand({"p": 1}, cat, samples=2000, seed=1)
    for bad in (1, 500, 2.5, True):
        with pytest.raises(mc.VolumeError, match="bins"):
            d.sensitivity("Nd", bins=bad)
    with pytest.raises(mc.UnknownItemError):
        d.sensitivity("Unobtainium")


def test_cli_report_sensitivity_table_csv_and_tornado(tmp_path, capsys):
    import csv
    import io

    from mineralcalc.cli import main

    assert main(["report", "--sensitivity", "Dy", "--samples", "4000"]) == 0
    out = capsys.readouterr().out
    assert "What drives" in out or "what drives" in out
    assert "wind_dd_pmsg" in out.split("━")[-1][:400]  # the largest driver of Dy comes first
    assert main(["report", "--sensitivity", "Dy", "--samples", "4000", "-f", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    first = [float(r["first_order"]) for r in rows]
    assert first == sorted(first, reverse=True) and 0.9 < sum(first) < 1.1
    pytest.importorskip("matplotlib")
    png = tmp_path / "dy.png"
    assert main(["report", "--sensitivity", "Dy", "--samples", "2000", "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_sensitivity_bad_input_exits_2_before_sampling(capsys):
    from mineralcalc.cli import main

    assert main(["report", "--sensitivity", "Dysprosium-ish"]) == 2
    assert "Dysprosium-ish" in capsys.readouterr().err
    assert main(["report", "--sensitivity", "Dy", "--samples", "300"]) == 2
    assert "at least 1,000" in capsys.readouterr().err


def test_sensitivity_of_an_element_without_modelled_demand_is_refused():
    # p needs Nd and no Dy: a spread of Dy demand is 0/0, not "100 % interaction"
    cat = Catalog([Item("p", parts={"Nd": "0 to 1 kg"}, kind="product")])
    d = mc.demand({"p": {2024: 1000, 2030: 0}}, cat, samples=2000, seed=1)
    for name in ("Dy", "Os"):
        with pytest.raises(mc.SpreadError, match=rf"'{name}'.*no product of the demand needs"):
            d.sensitivity(name)
    with pytest.raises(mc.SpreadError, match=r"'Nd' in 2030: no product"):
        d.sensitivity("Nd", year=2030)  # no volume that year
    assert isinstance(mc.SpreadError("x"), mc.MineralcalcError)
    with pytest.raises(mc.UnknownItemError, match="'Unobtainium'"):
        d.sensitivity("Unobtainium")


def test_sensitivity_of_a_demand_that_does_not_vary_is_refused():
    # Nd is a fixed 1 kg a unit: 1 t in every sample; Dy ranges and has its drivers
    cat = Catalog([Item("p", parts={"Nd": "1 kg", "Dy": "0 to 1 kg"}, kind="product")])
    d = mc.demand({"p": 1000}, cat, samples=2000, seed=1)
    with pytest.raises(mc.SpreadError, match=r"'Nd'.*\(1 t\) does not vary.*2,000 samples"):
        d.sensitivity("Nd")
    assert d.sensitivity("Dy").attrs["first_order_sum"] == pytest.approx(1.0, abs=0.05)


def test_cli_sensitivity_of_an_element_the_products_do_not_use_exits_2(capsys):
    from mineralcalc.cli import main

    assert main(["report", "--sensitivity", "Eu", "--samples", "1000"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("mineralcalc: error: --sensitivity Eu: ")
    assert "no product of the demand needs Eu" in err and "nan" not in err
