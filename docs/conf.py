"""Sphinx configuration of mineralcalc's documentation.

Build: ``python -m pip install -e ".[docs]" && python -m sphinx -W -b html docs docs/_build/html``
(warnings are errors). The reference pages are generated from the code at build time: the
API from the docstrings (numpydoc), the command line from its parser, the tables from the
schemas the loaders check every file against (``reference/tables.rst`` is written here).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import mineralcalc
from mineralcalc.data.schemas import SCHEMAS

project = "mineralcalc"
author = "mineralcalc developers"
release = mineralcalc.__version__
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinxarg.ext",
    "myst_nb",  # MyST markdown, and notebooks executed at build time
    "sphinx_gallery.gen_gallery",
]
exclude_patterns = [
    "_build",
    "jupyter_execute",
    "tests",
    "gallery/*.ipynb",  # the gallery's downloads, not pages
    "**/sg_execution_times.rst",
]
templates_path = ["_templates"]
html_theme = "pydata_sphinx_theme"
html_title = "mineralcalc"
autosummary_generate = True
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types, with units
numpydoc_show_class_members = False
numpydoc_validation_checks: set[str] = set()
nitpicky = False
suppress_warnings = ["myst.header", "myst.xref_missing"]

# The guide's, how-to's and notebooks' code cells run at every build: their numbers are the
# code's, and a cell that fails fails the build.
# Cells that run the command line (``!mineralcalc ...``) find this Python's script and print
# at 80 columns, as in a terminal.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
os.environ["COLUMNS"] = "80"
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 600
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "colon_fence"]

# The examples gallery: every script of examples/ run at build time, with its text, its
# printed output and its figures.
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "gallery",
    "filename_pattern": "/",  # run every example, not only plot_*.py
    "abort_on_example_error": True,
    "download_all_examples": False,
    "image_scrapers": ("matplotlib",),
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 1e9,  # the gallery shows what each script prints, not its time
    "write_computation_times": False,
}


def _tables_page() -> str:
    """Every table's columns, from the schemas the loaders check and the units and meanings the
    data layer gives each column (:func:`mineralcalc.data.table_columns.column_docs`)."""
    import re

    from mineralcalc.data.table_columns import column_docs

    def rst(text: str) -> str:  # the descriptions quote words as `x`; here they are code
        return re.sub(r"`([^`]+)`", r"``\1``", text)

    lines = [
        "Tables",
        "======",
        "",
        "Every table the package reads (``tables/*.csv``; your own folder, ``--tables FOLDER``",
        "or ``mc.Catalog.from_tables(folder)``, uses the same columns) and what each column",
        "holds. Generated at build time from :data:`mineralcalc.data.schemas.SCHEMAS`, the",
        "columns each loader accepts, and :func:`mineralcalc.data.table_columns.column_docs`,",
        "so it cannot drift from the code. ``tables/README.md`` explains how the shipped tables",
        "were built and how your tables are merged over them.",
        "",
        "* **required?** -- every file of the table must have the column (it may hold an",
        "  empty cell where the meaning says so); an optional one may be left out. Any other",
        "  column is an error, except one whose name starts with ``_``.",
        "* **unit or kind** -- the unit a number is written in, or what a cell of words holds.",
        "  *percent (0-100)*: ``69`` means 69 %. *In the row's* ``unit``: the loader converts",
        "  the number with the unit written in that row's ``unit`` column (``kt``, ``g``, ``MW``).",
        "  *One of*: the only words the loader accepts.",
        "* **holds ids?** -- the cells are ids (source keys, item ids, element symbols,",
        "  commodities, ore types ...) matched exactly as written, case included.",
        "  Countries are names, not ids: any alias of ``countries.csv``, in any case, is read as",
        "  its country.",
        "",
    ]
    header = ["column", "required?", "unit or kind", "meaning", "holds ids?"]
    for name in sorted(SCHEMAS):
        rows: list[list[object]] = [
            [
                f"``{d.name}``",
                "yes" if d.required else "no",
                rst(d.unit),
                rst(d.meaning),
                "yes" if d.holds_ids else "no",
            ]
            for d in column_docs(name)
        ]
        table = _list_table(rows, header)
        table.insert(2, "   :widths: 16 9 30 37 8")
        lines += [name, "-" * len(name), "", *table]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value).replace("\n", " ")


def _list_table(rows: list[list[object]], header: list[str]) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        lines.append(f"   * - {_cell(row[0])}")
        lines += [f"     - {_cell(v)}" for v in row[1:]]
    return [*lines, ""]


def _baseline_page() -> str:
    """The 2024 baseline's market balance of the magnet rare earths, computed at build time."""
    d = mineralcalc.demand(mineralcalc.load_scenario("baseline-2024"))
    frame = d.compare().set_index("element")
    names = ["Nd", "Pr", "Dy", "Tb", "magnet REE (REO)"]
    rows = [
        [
            n,
            frame.loc[n, "demand"],
            frame.loc[n, "supply"],
            f"{frame.loc[n, 'share']:.1%} ({frame.loc[n, 'share_low']:.0%}-"
            f"{frame.loc[n, 'share_high']:.0%})",
        ]
        for n in names
    ]
    lines = [
        "The 2024 baseline",
        "=================",
        "",
        "``mineralcalc report`` (``mc.demand(mc.load_scenario('baseline-2024')).compare()``),",
        "computed when this page was built: demand (the modelled products plus the uses they",
        "do not model) against supply (recorded and unrecorded mine output plus recycling),",
        "mined basis, tonnes of metal (REO for the group). Share is demand over supply, with",
        "its exact low-high bounds.",
        "",
        *_list_table(rows, ["element", "demand [t]", "supply [t]", "share (low-high)"]),
    ]
    return "\n".join(lines)


def _validation_page() -> str:
    """``mc.validate()`` as a table, computed at build time."""
    v = mineralcalc.validate()
    counted = v[v["counted"]]
    outside = int((~counted["within"].astype(bool)).sum())
    rows = [
        [r.quantity, r.kind, r.published, r.ours, r.unit, r.ratio, f"±{r.tolerance:.0%}",
         "within" if r.within else "outside", r.source]
        for r in v.itertuples()
    ]  # fmt: skip
    lines = [
        "Validation",
        "==========",
        "",
        "``mineralcalc validate`` (``mc.validate()``), computed when this page was built: the",
        "baseline against published figures it was not fitted to. Only the validation,",
        "composition and outcome rows count; calibration and context rows are shown, not",
        f"counted. {len(counted)} counted rows: {len(counted) - outside} within tolerance,",
        f"{outside} outside.",
        "",
        *_list_table(
            rows,
            ["figure", "kind", "published", "ours", "unit", "ratio", "tolerance", "status",
             "source"],
        ),
    ]  # fmt: skip
    return "\n".join(lines)


_here = Path(__file__).parent
for _name, _make in (
    ("reference/tables.rst", _tables_page),
    ("baseline.rst", _baseline_page),
    ("validation.rst", _validation_page),
):
    _page = _here / _name
    _text = _make()
    if not _page.exists() or _page.read_text() != _text:
        _page.write_text(_text)
