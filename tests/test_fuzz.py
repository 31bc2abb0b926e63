"""Bounded fuzzing of the loaders in the suite: nothing but MineralcalcError escapes.

The long run is ``tests/fuzz/fuzz_loaders.py``.
"""

from hypothesis import HealthCheck, given, settings

from . import fuzzing as fz

FUZZ = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@FUZZ
@given(fz.table_case())
def test_tables(case):
    fz.run_table(*case)


@FUZZ
@given(fz.scenario_case())
def test_scenarios(data):
    fz.run_scenario(data)


@settings(max_examples=300, deadline=None, database=None)
@given(fz.amount_text)
def test_amounts(text):
    fz.run_amount(text)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(fz.item_case())
def test_items(case):
    fz.run_item(*case)
