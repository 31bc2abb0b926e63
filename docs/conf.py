"""Sphinx configuration of mineralcalc's documentation.

Build: ``python -m pip install -e ".[docs]" && python -m sphinx -W -b html docs docs/_build/html``
(warnings are errors). The reference pages are generated from the code at build time: the
API from the docstrings (numpydoc), the command line from its parser, the tables from the
schemas the loaders check every file against (``reference/tables.rst`` is written here).
"""

from __future__ import annotations

import os
import re
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
# the theme reads the light/dark mode a visitor chose; a first visit has none, and without a
# default the theme logs "invalid theme mode" on the console (the site test fails on it)
html_context = {"default_mode": "auto"}
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
os.environ["NO_COLOR"] = "1"  # IPython runs `!` commands in a terminal: rich would colour them
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


_QUALITY = {
    "official statistics": "national statistical offices, geological surveys, the IEA, "
    "the EU's JRC: the figures the others are checked against",
    "peer-reviewed": "journal articles and reviewed reports",
    "industry": "company reports, trade bodies and price reporters (Fastmarkets, Argus, "
    "Adamas): often the only source for a market detail, not independently checked",
    "press": "newspapers and news agencies: figures quoted second-hand, kept where nothing "
    "better was read and marked as such",
    "estimate": "mineralcalc's own estimates (keys starting ``estimate-``): each citation "
    "states the method and the figures it starts from",
}


def _sources_page() -> str:
    """Every source of the shipped tables, by quality, with the tables that cite it."""
    import pandas as pd

    from mineralcalc.data.csvtable import shipped_tables

    folder = shipped_tables()
    sources = pd.read_csv(folder / "sources.csv", keep_default_na=False)
    cited: dict[str, dict[str, int]] = {}
    known = set(sources["key"])
    for path in sorted(folder.glob("*.csv")):
        if path.name == "sources.csv":
            continue
        table = pd.read_csv(path, keep_default_na=False, dtype=str)
        for column in ("source", "sources"):
            if column in table.columns:
                for cell in table[column]:
                    for key in filter(None, (k.strip() for k in cell.split(";"))):
                        counts = cited.setdefault(key, {})
                        counts[path.name] = counts.get(path.name, 0) + 1
        for column in ("note", "reason", "tolerance_basis"):  # a key named in a row's note
            if column in table.columns:
                named = " ".join(table[column])
                for key in set(re.findall(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", named)):
                    if key in known and path.name not in cited.get(key, {}):
                        cited.setdefault(key, {})[f"{path.name} (note)"] = 1
    for path in sorted((folder / "scenarios").glob("*.toml")):
        text = path.read_text()
        for key in sources["key"]:
            if f'"{key}"' in text:
                n = text.count(f'"{key}"')
                cited.setdefault(key, {})[f"scenarios/{path.name}"] = n
    # an estimate's citation names the sources its method starts from (a key as a word)
    keys = set(sources["key"])
    for r in sources[sources["key"].str.startswith("estimate-")].itertuples():
        words = set(re.findall(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", str(r.citation)))
        for key in words & keys - {r.key}:
            cited.setdefault(key, {})[f"{r.key} (method)"] = 1
    counts = sources["quality"].value_counts()
    lines = [
        "Sources and their quality",
        "=========================",
        "",
        "Every number in ``tables/`` carries a ``source`` key into ``tables/sources.csv``;",
        "this page lists them all, generated from the tables when the site was built, with",
        "each source's quality grade and the tables (and rows) that cite it, the rows' notes",
        "that name it and the estimates whose method starts from it. Where sources",
        "disagree, both are kept (an item's ``alternative_of``, or a range). The output of",
        "every command ends with the sources it used and their grades.",
        f"{sum(k not in cited for k in sources['key'])} of the {len(sources)} sources are cited",
        "by no row, note or estimate's method of the tables and scenarios (\u2013 below): sources",
        "read for context; they are kept so that the record of what was read stays whole.",
        "",
        *_list_table(
            [[q, int(counts.get(q, 0)), meaning] for q, meaning in _QUALITY.items()],
            ["quality", "sources", "what it means here"],
        ),
    ]
    for quality in _QUALITY:
        rows = sources[sources["quality"] == quality].sort_values("key")
        title = f"{quality.capitalize()} ({len(rows)})"
        lines += [title, "-" * len(title), ""]
        table = []
        for r in rows.itertuples():
            where = ", ".join(f"{t} ({n})" for t, n in sorted(cited.get(r.key, {}).items()))
            link = f"`{r.year or 'link'} <{r.url}>`__" if r.url else str(r.year)
            note = f" *{r.note}*" if r.note else ""
            table.append([f"``{r.key}``", f"{r.citation}{note}", link, where or "–"])
        lines += _list_table(table, ["key", "citation", "year", "cited by (rows)"])
    return "\n".join(lines)


_here = Path(__file__).parent
for _name, _make in (
    ("reference/tables.rst", _tables_page),
    ("baseline.rst", _baseline_page),
    ("validation.rst", _validation_page),
    ("sources.rst", _sources_page),
):
    _page = _here / _name
    _text = _make()
    if not _page.exists() or _page.read_text() != _text:
        _page.write_text(_text)
