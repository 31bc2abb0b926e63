"""Every convenience is visible to the type checker (issue 24).

``d.compare()``, ``d.plot()``, ``cat.intensity()`` ... are the lens and presenter functions
bound as methods (:mod:`mineralcalc.facade`), so mypy checks a call against the signature
the work is done with. Here mypy runs on a script that calls each convenience twice: once as
documented, once with a keyword renamed (``include_other_uses=`` for ``other_uses=``, the
rename that used to pass mypy and fail at run time). The first must pass, the second must be
an error on its line. The package ships ``py.typed``, so a user's mypy does the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mypy import api

import mineralcalc

SRC = Path(mineralcalc.__file__).parents[1]

# (a call as documented, the same call with one keyword renamed)
CALLS = [
    ("d.compare(other_uses=False)", "d.compare(include_other_uses=False)"),
    ("d.compare(stage='refining')", "d.compare(stages='refining')"),
    ("d.coverage('China', other_uses=False)", "d.coverage('China', other_use=False)"),
    ("d.balance(2024, other_uses=False)", "d.balance(2024, include_other_uses=False)"),
    ("d.crossover('Nd', growth=0.03)", "d.crossover('Nd', supply_growth=0.03)"),
    ("d.stockpile_days('5,000 t Nd', year=2024)", "d.stockpile_days('5,000 t Nd', years=2024)"),
    ("d.sensitivity('Dy', bins=10)", "d.sensitivity('Dy', n_bins=10)"),
    ("d.stock_model(samples=10)", "d.stock_model(n_samples=10)"),
    ("d.stock_flow(strict=True)", "d.stock_flow(strict_lifetimes=True)"),
    ("d.stocks(seed=1)", "d.stocks(random_seed=1)"),
    ("d.plot(top=5)", "d.plot(top_n=5)"),
    ("d.total('Nd', year=2024)", "d.total('Nd', years=2024)"),
    ("cat.intensity('bev', 'Nd', basis='gross')", "cat.intensity('bev', 'Nd', bases='gross')"),
    ("cat.to_tables('out', overwrite=True)", "cat.to_tables('out', replace=True)"),
    ("mc.demand({'bev': 1}, samples=10)", "mc.demand({'bev': 1}, n_samples=10)"),
]


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory, monkeypatch_module) -> tuple[str, list[int], list[int]]:
    folder = tmp_path_factory.mktemp("typed")
    lines = ["import mineralcalc as mc", "d = mc.demand({'bev': 1})", "cat = mc.Catalog.default()"]
    good, bad = [], []
    for right, wrong in CALLS:
        lines.append(right)
        good.append(len(lines))
        lines.append(wrong)
        bad.append(len(lines))
    script = folder / "calls.py"
    script.write_text("\n".join(lines) + "\n")
    monkeypatch_module.setenv("MYPYPATH", str(SRC))  # this checkout's package, installed or not
    out, err, status = api.run(
        [
            str(script),
            "--cache-dir",
            str(folder / ".mypy_cache"),
            "--no-error-summary",
            "--show-error-codes",
            "--follow-imports=silent",
        ]
    )
    report = out + err
    assert status in (0, 1) and "error: unrecognized" not in report, report  # mypy ran
    return report, good, bad


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def _flagged(report: str) -> set[int]:
    return {int(n) for n in re.findall(r"calls\.py:(\d+): error", report)}


def test_the_documented_calls_type_check(mypy_report):
    report, good, _ = mypy_report
    assert not (_flagged(report) & set(good)), report


@pytest.mark.parametrize("k", range(len(CALLS)), ids=[w for _, w in CALLS])
def test_a_renamed_keyword_is_an_error_where_it_is_called(mypy_report, k):
    report, _, bad = mypy_report
    assert bad[k] in _flagged(report), report
