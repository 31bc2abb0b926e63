"""How far recovery meets demand (lenses/recovery.py), on a stock model and a balance made by
hand: every expected number below is read off the arrays written here."""

import math

import numpy as np
import pandas as pd
import pytest

from mineralcalc.lenses.recovery import recovery, shown_years
from mineralcalc.results.stocks import StockFlow

YEARS = list(range(2020, 2032))  # history 2020-2023, the scenario 2024-2031


def _model() -> StockFlow:
    elements = ["Li", "Dy", "Nd"]
    shape = (1, len(elements), len(YEARS))
    recovered = np.zeros(shape)
    recovered[0, 2] = np.arange(len(YEARS))  # Nd: 0, 1, 2 ... t a year
    recovered[0, 1] = 0.5  # Dy: 0.5 t every year
    recovered[0, 0] = 7.0  # Li
    stock = np.full(shape, 100.0)
    return StockFlow(
        YEARS,
        2024,
        ["gadget"],
        elements,
        inflow=stock,
        stock=stock,
        outflow=stock / 10,
        recovered=recovered,
    )


def _demand() -> pd.DataFrame:
    balance = pd.DataFrame(
        {
            "element": ["Nd", "Nd", "Dy", "Li", "Nd"],
            "year": [2024, 2030, 2024, 2024, float("nan")],
            "demand": [40.0, 100.0, 0.0, 70.0, 5.0],
        }
    )
    return balance


def test_recovered_over_the_balances_demand_for_the_magnet_rare_earths():
    frame = recovery(_demand(), _model())
    # default: the magnet rare earths the model holds, in the group's order (Nd, Pr, Dy, Tb),
    # then the battery metals (Li, Co, Ni, C, Cu)
    assert frame.attrs["elements"] == ["Nd", "Dy", "Li"]
    assert list(dict.fromkeys(frame["element"])) == ["Nd", "Dy", "Li"]
    rows = frame.set_index(["element", "year"])
    assert rows.loc[("Nd", 2024), "recovered"] == 4.0  # 2024 is the fifth year
    assert rows.loc[("Nd", 2024), "of_demand"] == pytest.approx(4 / 40)
    assert rows.loc[("Nd", 2030), "of_demand"] == pytest.approx(10 / 100)
    assert math.isnan(rows.loc[("Nd", 2025), "demand"])  # no balance row: no share
    assert math.isnan(rows.loc[("Nd", 2025), "of_demand"])
    assert rows.loc[("Dy", 2024), "demand"] == 0.0
    assert math.isnan(rows.loc[("Dy", 2024), "of_demand"])  # no demand to meet
    assert list(frame["year"][:3]) == [2020, 2021, 2022]


def test_elements_named_keep_their_order():
    frame = recovery(_demand(), _model(), ["Li", "Nd"])
    assert list(dict.fromkeys(frame["element"])) == ["Li", "Nd"]
    li = frame[(frame["element"] == "Li") & (frame["year"] == 2024)].iloc[0]
    assert li["of_demand"] == pytest.approx(7 / 70)


def test_a_summary_shows_the_first_year_every_five_and_the_last():
    assert shown_years(_model()) == [2024, 2029, 2031]
    assert shown_years(_model(), every=3) == [2024, 2027, 2030, 2031]
