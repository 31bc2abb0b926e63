"""Hypothesis strategies: random acyclic bills of materials with random units."""

from __future__ import annotations

from hypothesis import strategies as st

from mineralcalc import Item, Part

ELEMENTS = ("Nd", "Pr", "Dy", "Fe", "Co", "B", "La", "Ce")
MASS_UNITS = {"g": 1e-3, "kg": 1.0, "t": 1e3, "lb": 0.45359237}


def amounts(unit_choices=tuple(MASS_UNITS), ranged=True):
    """A mass amount as a string in a random unit, possibly a range."""

    @st.composite
    def build(draw):
        unit = draw(st.sampled_from(unit_choices))
        kg = draw(st.floats(0.01, 50, allow_nan=False))
        value = kg / MASS_UNITS[unit]
        if ranged and draw(st.booleans()):
            spread = draw(st.floats(0.0, 0.5))
            return f"{value * (1 - spread):.6g} to {value * (1 + spread):.6g} {unit}"
        return f"{value:.6g} {unit}"

    return build()


@st.composite
def bom_graphs(draw, max_items=7, balance=True):
    """A list of Items forming a random DAG over a few elements.

    Items are created in order; an item may contain earlier items (acyclic by construction)
    and elements. Count-basis items hold masses of their children; mass-basis items
    ("materials") hold fractions of elements only, optionally with an element balance
    that no sibling contains (so interval bounds are exactly the vertex extremes).
    """
    n = draw(st.integers(1, max_items))
    items: list[Item] = []
    for i in range(n):
        if draw(st.booleans()):
            # a material: element fractions summing below 1, maybe with a balance
            els = draw(st.lists(st.sampled_from(ELEMENTS), min_size=1, max_size=3, unique=True))
            parts: dict[str, object] = {}
            budget = 0.9 / len(els)
            for el in els[:-1] if (balance and len(els) > 1) else els:
                hi = draw(st.floats(0.01, budget))
                lo = draw(st.floats(0.0, hi))
                parts[el] = (
                    f"{lo * 100:.6g} to {hi * 100:.6g} %" if lo < hi else f"{hi * 100:.6g} %"
                )
            if balance and len(els) > 1:
                parts[els[-1]] = "balance"
            items.append(Item(f"m{i}", "kg", parts))
        else:
            parts = {}
            children = draw(
                st.lists(
                    st.sampled_from([it.id for it in items] + list(ELEMENTS)),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            )
            for c in children:
                child = next((it for it in items if it.id == c), None)
                if child is not None and not child.basis.dimensionality:  # a count child
                    amount: object = draw(st.integers(1, 4))
                else:
                    amount = draw(amounts())
                y = draw(st.sampled_from([1.0, 0.8, "0.7 to 0.9"]))
                parts[c] = Part(amount, yield_=y)
            items.append(Item(f"c{i}", "unit", parts))
    return items


def in_unit(items: list[Item], unit_of) -> list[Item]:
    """The same items with every mass amount rewritten in ``unit_of(item_id, child)``."""
    out = []
    for it in items:
        parts = {}
        for child, part in it.parts.items():
            amount = part.amount
            if amount is not None and str(amount.unit.dimensionality) == "[mass]":
                amount = amount.to(unit_of(it.id, child))
            parts[child] = Part(amount if amount is not None else "balance", part.yield_)
        out.append(it.with_parts(parts))
    return out


@st.composite
def balanced_materials(draw, n=3):
    """Mass-basis materials whose parts add up to exactly 1 (a balance part closes each)."""
    items = []
    for i in range(draw(st.integers(1, n))):
        els = draw(st.lists(st.sampled_from(ELEMENTS), min_size=2, max_size=4, unique=True))
        parts: dict[str, object] = {}
        for el in els[:-1]:
            hi = draw(st.floats(0.001, 0.9 / len(els)))
            lo = draw(st.floats(0.0, hi))
            parts[el] = f"{lo * 100:.6g} to {hi * 100:.6g} %" if lo < hi else f"{hi * 100:.6g} %"
        parts[els[-1]] = "balance"
        items.append(Item(f"mat{i}", "kg", parts))
    return items


# ----------------------------------------------------------------------------- hostile inputs
HOSTILE_TEXT = (
    *("", " ", "nan", "inf", "-inf", "NaN %", "inf %", "-1", "-5 %", "0", "0 %", "1", "100 %"),
    *("150 %", "1e308", "1e-320", "50 (10 to 150) %", "50 (-10 to 90) %", "50 ± 60 %"),
    *("1 to 0.5", "0.5 to 2", "50 kg", "5 GW", "3 m", "%", "kg", "abc", "1,000", "2024"),
    *("1899", "*", "Nd", "bev", "smartphone", "fixed", "weibull", "collection", "=1+1", "é"),
    "\x00",
)


def hostile_rates():
    """A rate as a user might give one, mostly wrong: NaN, infinities, negatives, over 100 %,
    empty, text, wrong units, other types; sometimes a good one."""
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-(10**6), 10**6),
        st.sampled_from([None, True, [], {}, [0.1, 0.2], "50 %", "0 to 100 %", 0.5]),
        st.text(max_size=12),
    )


def hostile_counts():
    """A sample count or seed, mostly wrong; small when it is a whole number."""
    return st.one_of(
        st.integers(-5, 30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([None, True, False, "10", "", 2**70, -(2**70), 1e3]),
        st.text(max_size=4),
    )


def hostile_cells():
    """A cell of a CSV table, mostly wrong."""
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers(-(10**9), 10**9).map(str),
        st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=10),
    )
