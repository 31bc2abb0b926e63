"""The docstrings' examples run as doctests (issue 25): an example that no longer runs, or
prints another number, fails here, so the reference pages built from them stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mineralcalc

# every module but __main__, which runs the command line when imported
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(mineralcalc.__path__, prefix="mineralcalc.")
    if not m.name.endswith("__main__")
)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, name)
    return [t for t in tests if t.examples]


WITH_EXAMPLES = [name for name in MODULES if _examples(name)]


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_run(name):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in _examples(name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_documented_examples_are_found():
    """A finder that found nothing would pass every module: the scenario format's worked
    example (extends, one new product, its answer) and a dozen others must be collected."""
    assert "mineralcalc.model.scenario_extends" in WITH_EXAMPLES
    assert len(WITH_EXAMPLES) >= 8
