"""Sphinx configuration of mineralcalc's documentation.

Build: ``python -m pip install -e ".[docs]" && python -m sphinx -W -b html docs docs/_build/html``
(warnings are errors). The reference pages are generated from the code at build time: the
API from the docstrings (numpydoc), the command line from its parser, the tables from the
schemas the loaders check every file against (``reference/tables.rst`` is written here).
"""

from __future__ import annotations

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
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
templates_path = ["_templates"]
html_theme = "pydata_sphinx_theme"
html_title = "mineralcalc"
autosummary_generate = True
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types, with units
numpydoc_show_class_members = False
numpydoc_validation_checks: set[str] = set()
nitpicky = False
suppress_warnings = ["myst.header", "myst.xref_missing"]


def _tables_page() -> str:
    """Every table's columns, required and optional, from the schemas the loaders check."""
    lines = [
        "Tables",
        "======",
        "",
        "Every shipped table (``tables/*.csv``) and the columns its loader accepts, generated",
        "from :data:`mineralcalc.data.schemas.SCHEMAS` at build time, so it cannot drift from",
        "the code. Units and meanings of each column are in ``tables/README.md``.",
        "",
    ]
    for name, schema in sorted(SCHEMAS.items()):
        lines += [name, "-" * len(name), ""]
        lines += [f"* required: {', '.join(f'``{c}``' for c in schema.required)}"]
        if schema.optional:
            lines += [f"* optional: {', '.join(f'``{c}``' for c in schema.optional)}"]
        if schema.ids:
            lines += [f"* ids checked: {', '.join(f'``{c}``' for c in schema.ids)}"]
        lines.append("")
    return "\n".join(lines)


_page = Path(__file__).parent / "reference" / "tables.rst"
_text = _tables_page()
if not _page.exists() or _page.read_text() != _text:
    _page.write_text(_text)
