"""The layered layout holds (issue 12): data flows one way, and each room keeps to itself.

Read from the source with :mod:`ast` (imports inside functions and ``TYPE_CHECKING`` blocks
count: they tie modules together just the same). See ``docs/architecture.md``.
"""

from __future__ import annotations

import ast
import graphlib
import re
from pathlib import Path

import pytest

import mineralcalc
from mineralcalc.facade import catalog as facade_catalog
from mineralcalc.facade import demand as facade_demand

PKG = Path(mineralcalc.__file__).parent
LAYERS = ("floor", "data", "model", "engine", "results", "lenses", "present", "facade", "cli")
"""Lowest first; a module may import its own layer and those below, never above."""
FLOOR = {"errors", "units", "elements", "estimate", "_version"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        if name not in ("__init__", "__main__"):  # the composition root and the entry point
            out[name] = path
    return out


MODULES = _modules()


def _layer(module: str) -> str:
    top = module.split(".")[0]
    if top in FLOOR:
        return "floor"
    assert top in LAYERS, f"{module}: not in a layer folder (add it to one, or to the floor)"
    return top


def _imports(module: str, path: Path) -> set[str]:
    """The package modules ``module`` imports, anywhere in its source."""
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                stem = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.startswith("mineralcalc."):
                stem = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                candidate = ".".join([*stem, alias.name])
                found.add(candidate if candidate in MODULES else ".".join(stem))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("mineralcalc.") for a in node.names
                      if a.name.startswith("mineralcalc.")}  # fmt: skip
    return {m for m in found if m in MODULES and m != module}


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def test_no_import_runs_upward():
    upward = [
        f"{m} ({_layer(m)}) imports {d} ({_layer(d)})"
        for m, deps in GRAPH.items()
        for d in deps
        if LAYERS.index(_layer(d)) > LAYERS.index(_layer(m))
    ]
    assert not upward, "\n".join(upward)


def test_no_circles():
    graphlib.TopologicalSorter(GRAPH).prepare()  # raises CycleError naming the circle


def test_modules_stay_under_about_400_lines():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text().splitlines())) > 400}
    assert not long, long


@pytest.mark.parametrize("library", ["rich", "matplotlib"])
def test_only_present_and_cli_import_the_terminal_and_plot_libraries(library):
    pattern = re.compile(rf"^\s*(?:import|from) {library}\b", re.M)
    users = {m for m, p in MODULES.items() if pattern.search(p.read_text())}
    assert {_layer(m) for m in users} <= {"present", "cli"}, users


def test_only_present_writes_files():
    # the one exception: elements caches what it derives from periodictable in the user's
    # cache folder (~/.cache/mineralcalc), as pint does; no file of the user's
    cache_writers = {"elements"}
    writes = re.compile(r"\.write_(?:text|bytes)\(|os\.replace\(|open\([^)]*['\"][wax]")
    # a docstring's example (``>>> path.write_text(...)``, run as a doctest) writes to a
    # temporary folder of its own: code lines only
    example = re.compile(r"^\s*(?:>>>|\.\.\.)", re.M)

    def code(p):
        return "\n".join(line for line in p.read_text().splitlines() if not example.match(line))

    writers = {m for m, p in MODULES.items() if writes.search(code(p))} - cache_writers
    assert writers and {_layer(m) for m in writers} <= {"present"}, writers


def test_no_call_goes_by_a_string_name():
    # the package root loads its public names lazily (PEP 562); nothing else imports a module
    # or looks a function up by a string, which no type checker or editor can follow
    by_name = re.compile(r"import_module\(|__import__\(|[\"'](?:[a-z_]+\.)+[a-z_]+:[a-z_]+[\"']")
    users = {m for m, p in MODULES.items() if by_name.search(p.read_text())}
    assert not users, users


@pytest.mark.parametrize(
    ("cls", "method", "module", "function"),
    [
        (facade_demand.Demand, "compare", "lenses.market", "compare"),
        (facade_demand.Demand, "coverage", "lenses.risk", "coverage"),
        (facade_demand.Demand, "balance", "lenses.byproducts", "balance"),
        (facade_demand.Demand, "crossover", "lenses.risk", "crossover"),
        (facade_demand.Demand, "stockpile_days", "lenses.risk", "stockpile_days"),
        (facade_demand.Demand, "sensitivity", "lenses.sensitivity", "sensitivity"),
        (facade_demand.Demand, "stock_model", "lenses.stocks", "stock_flow"),
        (facade_demand.Demand, "stock_flow", "lenses.stocks", "stock_flow"),
        (facade_demand.Demand, "stocks", "lenses.stocks", "stock_flow"),
        (facade_demand.Demand, "plot", "present.plot", "plot_demand"),
        (facade_demand.Demand, "__rich__", "present.tables", "demand_table"),
        (facade_catalog.Catalog, "intensity", "engine.intensity", "intensity"),
        (facade_catalog.Catalog, "element_matrices", "engine.intensity", "element_matrices"),
        (facade_catalog.Catalog, "to_tables", "present.catalog_export", "write_tables"),
        (facade_catalog.Catalog, "__rich__", "present.catalog_view", "catalog_table"),
        (facade_catalog.Catalog, "_repr_html_", "present.html", "catalog_html"),
        (facade_demand.Demand, "_repr_html_", "present.html", "demand_html"),
    ],
)
def test_each_convenience_is_the_function_that_does_the_work(cls, method, module, function):
    # written once: the method is the lens's function (or wraps it, keeping its signature),
    # so the signature a user and mypy see is the one the work is done with
    import importlib

    target = getattr(importlib.import_module(f"mineralcalc.{module}"), function)
    attr = cls.__dict__[method]
    assert attr is target or getattr(attr, "__wrapped__", None) is target
