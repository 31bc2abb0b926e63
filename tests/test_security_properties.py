"""Hypothesis on the money and security surfaces (issue 23): whatever bad value a budget, day
count, daily demand, floor, volume, rate, element list or bloc holds, the answer is a
MineralcalcError (on the command line: exit 2 and one line) or finite numbers, never another
exception and never NaN or infinity.

Each call starts from good arguments and swaps up to two of them for bad ones, so that about a
third of the calls answer and the rest are refused, one bad argument at a time or two at
once."""

from __future__ import annotations

import contextlib
import io
import json
import math
from functools import cache
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import mineralcalc as mc
from mineralcalc.cli import main
from mineralcalc.errors import MineralcalcError
from mineralcalc.lenses.money import price_of, stockpile
from mineralcalc.lenses.price_floor import price_floor
from mineralcalc.lenses.security import bloc_demand

BOUNDED = settings(
    max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)

# ------------------------------------------------------------------ bad values
NUMBERS = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, -1.0, 0.0, -0.0, 1e-300, 1e300, 1e308]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
)
UNIT_NAMES = ["USD", "EUR", "CNY", "USD/kg", "EUR/t", "CNY/kg", "cent/lb", "kg", "t", "t/yr"]
UNIT_NAMES += ["t/day", "billion USD", "USD/EUR", "", "%", "GW", "parsec", "USD*kg"]
UNITS = st.sampled_from(UNIT_NAMES)
ODD_AMOUNTS = ["", " ", "nan USD", "inf USD", "1e400 USD", "1e400 USD/kg", "-5 USD", "0 USD"]
ODD_AMOUNTS += ["0 t", "up to 5 USD", "~3 t", "1e300 t", "1e300 USD/kg", "1e-300 USD"]
AMOUNTS = st.one_of(
    st.builds(lambda x, u: f"{x!r} {u}".strip(), NUMBERS, UNITS),
    st.builds(lambda x, u: f"{x}{u}", st.integers(-5, 10**6), UNITS),
    st.builds(lambda a, b, u: f"{a} to {b} {u}", NUMBERS, NUMBERS, UNITS),
    st.sampled_from(ODD_AMOUNTS),
    st.text(max_size=12),
    NUMBERS,
    st.sampled_from([None, True, [], {}, ("1 USD", "2 USD"), {"central": "1 USD"}]),
)
RATES = st.one_of(
    st.dictionaries(
        st.sampled_from(["EUR", "CNY", "eur", "USD", "GBP", "cent", "", "RMB", "kg"]),
        AMOUNTS,
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["1.08 USD", 1.08, [("EUR", "1.08 USD")]]),
)
ELEMENT = st.one_of(
    st.sampled_from(["Fe", "Zr", "Pm", "Xx", "nd", "", " ", "REE", None, 5]),
    st.text(max_size=4),
)
BAD = {
    "daily": st.one_of(
        st.dictionaries(ELEMENT, NUMBERS, max_size=3),
        st.dictionaries(st.sampled_from(["Nd", "Dy"]), NUMBERS, min_size=1, max_size=2),
        st.sampled_from([None, [], "Nd", {"Nd": "3"}]),
    ),
    "budget": AMOUNTS,
    "days": st.one_of(NUMBERS, st.sampled_from(["30", True, None, "30 days"])),
    "floor": AMOUNTS,
    "volume": AMOUNTS,
    "rates": RATES,
    "element": ELEMENT,
    "elements": st.one_of(ELEMENT, st.lists(ELEMENT, max_size=3)),
    "bloc": st.one_of(
        st.sampled_from(["Japan", "Mexico", "Germany", "", "Rest of world", "Narnia", None, 5]),
        st.lists(st.sampled_from(["Japan", "Germany", "Narnia", ""]), max_size=3),
        st.text(max_size=10),
    ),
    "year": st.one_of(NUMBERS, st.sampled_from([1990, 2023, 2024.5, "2024", True])),
    "market": st.one_of(st.sampled_from(["", " ", "Narnia", 5]), st.text(max_size=6)),
    "per": st.one_of(st.sampled_from(["oxide", "metal", "", None, "Element"]), st.text(max_size=6)),
}

# ------------------------------------------------------------------ good values
GOOD = {
    "daily": st.dictionaries(
        st.sampled_from(["Nd", "Pr", "Dy", "Tb", "Li", "Co"]),
        st.one_of(st.floats(0, 1e6), st.sampled_from([1e-9, 32.6])),
        min_size=1,
        max_size=3,
    ).filter(lambda d: any(v > 0 for v in d.values())),
    "budget": st.sampled_from(["11.67 billion USD", "5 EUR", "1e12 CNY", "1 USD"]),
    "days": st.floats(1e-3, 1e5),
    "floor": st.sampled_from(["110 USD/kg", "0 USD/kg", "600 CNY/kg", "1e5 EUR/t"]),
    "volume": st.sampled_from(["1294 t", "0 t", "5 t/day", "1e9 kg/yr"]),
    "rates": st.just({"EUR": "1.08 USD", "CNY": "0.139USD"}),
    "element": st.sampled_from(["Nd", "Pr", "Dy", "Tb", "Li", "Co"]),
    "elements": st.sampled_from(["magnet REE", ["Nd", "Li"], "Co", ("Dy",)]),
    "bloc": st.sampled_from(["US price-floor talks", "China", "G7", ["United States", "China"]]),
    "year": st.sampled_from([None, 2024, 2025]),
    "market": st.sampled_from([None, None, "FOB China", "China domestic"]),
    "per": st.sampled_from(["element", "product"]),
}


def calls(*names: str) -> st.SearchStrategy[dict[str, Any]]:
    """Good arguments ``names``, up to two of them swapped for bad ones."""

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        args = {k: draw(GOOD[k]) for k in names}
        for k in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
            args[k] = draw(BAD[k])
            event(f"bad {k}")
        return args

    return build()


@cache
def _baseline() -> Any:
    return mc.demand(mc.load_scenario("baseline-2024"))


def _finite(values: Any) -> bool:
    return all(math.isfinite(float(v)) for v in values)


def _answer_or_error(call: Any) -> Any:
    try:
        out = call()
    except MineralcalcError as e:
        assert str(e) and "\n" not in str(e)
        event(f"refused: {type(e).__name__}")
        return None
    event("answered")
    return out


# ------------------------------------------------------------------ the library
@BOUNDED
@given(calls("daily", "budget", "rates", "year", "market"), st.booleans(), GOOD["days"])
def test_stockpile_answers_finite_numbers_or_refuses(args, by_days, days):
    if by_days:  # the same with days instead of a budget
        args.pop("budget")
        args["days"] = days
    daily = args.pop("daily")
    out = _answer_or_error(lambda: stockpile(daily, **args))
    if out is not None:
        numbers = out.select_dtypes("number").to_numpy().ravel()
        assert _finite(numbers) and _finite(out.attrs["days"]) and _finite([out.attrs["budget"]])
        assert (numbers >= 0).all() and out.attrs["budget"] > 0


@BOUNDED
@given(calls("daily", "days", "rates", "year"))
def test_stockpile_for_days_answers_finite_numbers_or_refuses(args):
    daily = args.pop("daily")
    out = _answer_or_error(lambda: stockpile(daily, **args))
    if out is not None:
        assert _finite(out.select_dtypes("number").to_numpy().ravel())
        assert _finite([out.attrs["budget"], *out.attrs["months"]])


@BOUNDED
@given(calls("element", "floor", "volume", "rates", "year", "market"))
def test_price_floor_answers_finite_numbers_or_refuses(args):
    element, floor, volume = args.pop("element"), args.pop("floor"), args.pop("volume")
    out = _answer_or_error(lambda: price_floor(element, floor, volume, **args))
    if out is not None:
        costs = [out[k] for k in ("floor", "volume_kg", "cost_low", "cost", "cost_high")]
        assert _finite(costs) and min(costs) >= 0
        assert out["cost_low"] <= out["cost"] <= out["cost_high"]


@BOUNDED
@given(calls("element", "year", "market", "rates", "per"))
def test_price_of_answers_finite_prices_or_refuses(args):
    element, year = args.pop("element"), args.pop("year")
    out = _answer_or_error(lambda: price_of(element, year, **args))
    if out is not None:
        assert _finite([out["low"], out["price"], out["high"]])
        assert 0 < out["low"] <= out["price"] <= out["high"]


@BOUNDED
@given(calls("bloc", "elements"), st.sampled_from([None, 2024, 2023]))
def test_bloc_demand_answers_finite_numbers_or_refuses(args, year):
    d = _baseline()
    out = _answer_or_error(
        lambda: bloc_demand(d, args["bloc"], year=year, elements=args["elements"])
    )
    if out is not None:
        numbers = out[["world", "share", "covered", "bloc", "daily"]].to_numpy().ravel()
        assert _finite(numbers) and (numbers >= 0).all() and (out["share"] <= 1).all()


# ------------------------------------------------------------------ the command line
FLAG_VALUES = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
        max_size=14,
    ),
    AMOUNTS.filter(lambda v: isinstance(v, str)),
    st.sampled_from(["EUR", "EUR=", "=1USD", "GBP=1USD", "EUR=-1USD", "EUR=nanUSD", "USD=1USD"]),
    st.sampled_from(["Nd,Xx", " , ", "Japan", "Mexico", "1e400 USD/kg", "-1 t", "EUR=1.08"]),
)
GOOD_FLAGS = {
    "--budget": ["5 billion USD", "1 EUR", "1e9 CNY"],
    "--floor": ["90 USD/kg", "0 USD/kg", "600 CNY/kg"],
    "--floor-volume": ["0 t", "5 t/day", "100 kt"],
    "--rate": ["EUR=1.08USD", "CNY=0.139 USD"],
    "--elements": ["Nd", "Dy,Tb", "magnet REE", "Li"],
    "--bloc": ["China", "European Union", "G7"],
    "--floor-element": ["Pr", "Dy"],
    "--market": ["FOB China", "China domestic", "LME"],
}
GOOD_FLAG = st.sampled_from(sorted(GOOD_FLAGS)).flatmap(
    lambda f: st.tuples(st.just(f), st.sampled_from(GOOD_FLAGS[f]))
)
BAD_FLAG = st.tuples(st.sampled_from(sorted(GOOD_FLAGS)), FLAG_VALUES)


@BOUNDED
@given(st.lists(GOOD_FLAG, max_size=3), st.lists(BAD_FLAG, max_size=1))
def test_cli_security_exits_0_with_finite_numbers_or_2_with_one_line(good, bad):
    _baseline()  # the catalog and intensities warm, so that each run stays short
    rates = ["--rate=EUR=1.08USD", "--rate=CNY=0.139USD"]
    flags = [f"{flag}={value}" for flag, value in good + bad]
    if not any(f.startswith("--rate=") for f in flags):
        flags += rates
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["security", "-f", "json", *flags])
    event(f"exit {code}")
    if code == 2:
        lines = err.getvalue().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mineralcalc: error: "), err.getvalue()
        assert not out.getvalue()
        return
    assert code == 0, err.getvalue()
    doc = json.loads(out.getvalue())
    floor = doc["price_floor"]
    assert _finite([doc["budget_usd"], *doc["days"], *doc["months"]])
    assert _finite([floor["floor"], floor["volume_kg"], floor["cost"], floor["cost_high"]])
    assert _finite([r[k] for r in doc["stockpile"] for k in ("daily", "tonnes", "cost")])
