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


def _howto_page() -> str:
    """The analysts' questions, each answered from Python and the command line, the numbers
    computed when the page is built."""
    import mineralcalc as mc

    base = mc.demand(mc.load_scenario("baseline-2024"))
    turbine = mc.demand({"wind_dd_pmsg": "15 MW"}, basis="contained").range("Nd")
    lo, c, hi = (q.magnitude for q in turbine)
    cover = mc.stockpile(days=90, bloc="United States")
    li = base.coverage("China", stage="refining").set_index("element").loc["Li"]
    pledges = mc.demand(mc.load_scenario("pledges-2040"))
    stock = pledges.stock_flow()
    wind = stock[(stock["year"] == 2040) & (stock["element"] == "Nd")]
    wind = wind[wind["product"].str.endswith("wind")]
    answers = [
        (
            "How much neodymium is in one 15 MW direct-drive offshore turbine?",
            'mc.demand({"wind_dd_pmsg": "15 MW"}, basis="contained").range("Nd")',
            'mineralcalc explain wind_dd_pmsg --amount "15 MW"',
            f"{c:,.2f} t ({lo:,.2f}-{hi:,.2f} t): the catalog's direct-drive generator per MW "
            "(JRC 2024) times 15 MW.",
        ),
        (
            "What would 90 days of the United States' magnet rare earths cost?",
            'mc.stockpile(days=90, bloc="United States")',
            'mineralcalc security --days 90 --bloc "United States"',
            f"USD {cover.attrs['costs'][1] / 1e6:,.1f} million at 2024 prices "
            f"(USD {cover.attrs['costs'][0] / 1e6:,.1f}-{cover.attrs['costs'][2] / 1e6:,.1f} "
            "million over the price ranges); prices are taken as given.",
        ),
        (
            "What share of lithium demand could the world outside China refine?",
            'mc.demand(mc.load_scenario("baseline-2024")).coverage("China", stage="refining")',
            "mineralcalc report --stage refining --without China --elements Li",
            f"{li['coverage']:.0%} in 2024: {li['supply']:,.0f} t of refined lithium outside "
            f"China against {li['demand']:,.0f} t of demand.",
        ),
        (
            "How much neodymium is in use in wind turbines in 2040?",
            'mc.demand(mc.load_scenario("pledges-2040")).stock_flow()',
            "mineralcalc report pledges-2040 --stocks --by-product --elements Nd",
            f"{wind['stock'].sum():,.0f} t in the pledges-2040 scenario ("
            + ", ".join(f"{r.product} {r.stock:,.0f} t" for r in wind.itertuples())
            + ").",
        ),
    ]
    lines = ["How-to: analysts' questions", "===========================", ""]
    for question, python, command, answer in answers:
        lines += [question, "-" * len(question), "", ".. code-block:: python", ""]
        lines += ["   import mineralcalc as mc", f"   {python}", "", ".. code-block:: console", ""]
        lines += [f"   $ {command}", "", f"**Answer, computed when this page was built:** {answer}"]
        lines.append("")
    return "\n".join(lines)


_here = Path(__file__).parent
for _name, _make in (
    ("reference/tables.rst", _tables_page),
    ("baseline.rst", _baseline_page),
    ("validation.rst", _validation_page),
    ("howto.rst", _howto_page),
):
    _page = _here / _name
    _text = _make()
    if not _page.exists() or _page.read_text() != _text:
        _page.write_text(_text)
