"""The column reader of the catalog tables agrees with the row reader, cell for cell.

``data/part_table.py`` checks a whole ``parts.csv`` / ``items.csv`` at once and gives up on
any doubt, leaving the row reader to name the bad cell. These tests load the same tables
both ways (the fast path switched off by monkeypatching) and require the same catalog (every
item, part line, estimate, distribution and source, and the compiled graph) or the same
error, word for word: on the shipped tables, on hand-made tables that use every feature of a
part line, and on hypothesis mutations of the shipped tables.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import mineralcalc as mc
from mineralcalc.data import catalog_tables

from . import fuzzing as fz


def _slow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_tables, "parts_fast", lambda *a, **k: None)
    monkeypatch.setattr(catalog_tables, "items_fast", lambda *a, **k: None)


def _load(folder: Path, merge: bool) -> tuple[str, object]:
    try:
        return "ok", mc.Catalog.from_tables(folder, merge=merge)
    except mc.MineralcalcError as e:
        return type(e).__name__, str(e)


def _same_catalog(a: mc.Catalog, b: mc.Catalog) -> None:
    assert list(a.items) == list(b.items)
    for item_id in a.items:
        x, y = a[item_id], b[item_id]
        assert (x.kind, x.name, x.basis, x.sources, x.note) == (
            y.kind,
            y.name,
            y.basis,
            y.sources,
            y.note,
        ), item_id
        assert list(x.parts) == list(y.parts), item_id
        for child in x.parts:
            assert x.parts[child] == y.parts[child], (item_id, child)
            assert x.parts[child].origin == y.parts[child].origin
    ga, gb = a.graph, b.graph
    for name in ("parent", "child", "amount", "inv_yield", "recycled", "balance", "leaves"):
        np.testing.assert_array_equal(getattr(ga, name), getattr(gb, name), err_msg=name)
    for basis in ("mined", "gross"):
        for ma, mb in zip(a.element_matrices(basis), b.element_matrices(basis), strict=True):
            np.testing.assert_array_equal(ma, mb)


def _both(folder: Path, merge: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[str, object]:
    fast = _load(folder, merge)
    with monkeypatch.context() as m:
        _slow(m)
        slow = _load(folder, merge)
    assert fast[0] == slow[0], (fast, slow)
    if fast[0] == "ok":
        assert isinstance(fast[1], mc.Catalog) and isinstance(slow[1], mc.Catalog)
        _same_catalog(fast[1], slow[1])
    else:
        assert fast[1] == slow[1]
    return fast


def test_shipped_tables_read_the_same_both_ways(monkeypatch):
    outcome, _ = _both(fz.SHIPPED, False, monkeypatch)
    assert outcome == "ok"


def test_the_fast_path_is_taken_for_valid_tables(monkeypatch):
    calls = []
    real = catalog_tables.parts_fast

    def spy(*a, **k):
        out = real(*a, **k)
        calls.append(out is not None)
        return out

    monkeypatch.setattr(catalog_tables, "parts_fast", spy)
    mc.Catalog.from_tables(fz.SHIPPED, merge=False)
    assert calls == [True]


FEATURES_ITEMS = """id,basis,kind,name,alternative_of,sources,note
gadget,unit,product,Gadget,,,a product
motor,unit,component,Motor,,,
magnet,kg,material,Magnet,,heim-2023,
alloy,kg,material,Alloy,,,"quoted, with a comma"
turbine,MW,product,Turbine,,,
"""

FEATURES_PARTS = """parent,child,low,central,high,unit,dist,yield_low,yield,yield_high,recycled_low,recycled,recycled_high,source,note
gadget,motor,,2,,unit/unit,,,,,,,,heim-2023,
gadget,Nd,2,3,4,g/unit,triangular,,,,,,,heim-2023,
motor,magnet,1.0,1.2,3.5,kg/unit,pert,0.7,0.8,0.9,0.2,0.5,0.9,heim-2023,
magnet,Nd,,0.3,,kg/kg,,,,,,,,heim-2023,share
magnet,Dy,1,2,3,%,uniform,,,,,,,heim-2023,
magnet,Fe,,balance,,,,,,,,,,,
alloy,Pr,,25,,%,,,0.9,,,0.4,,heim-2023,
alloy,Fe,,balance,,,,,,,,,,,
turbine,magnet,200,600,1000,kg/MW,lognormal,,,,,,,heim-2023,
turbine,alloy,,1,,t/MW,,,,,,,,heim-2023,
"""


def _write(folder: Path, items: str, parts: str) -> None:
    (folder / "items.csv").write_text(items)
    (folder / "parts.csv").write_text(parts)


def test_every_feature_of_a_part_line_reads_the_same(monkeypatch, tmp_path):
    _write(tmp_path, FEATURES_ITEMS, FEATURES_PARTS)
    outcome, cat = _both(tmp_path, True, monkeypatch)
    assert outcome == "ok", cat
    assert isinstance(cat, mc.Catalog)
    # hand check of one line: 1.2 (1.0 to 3.5) kg of magnet per motor at yield 0.8
    line = cat["motor"].parts["magnet"]
    assert line.amount.values("kg") == (1.0, 1.2, 3.5)
    assert line.yield_.values("") == (0.7, 0.8, 0.9)
    assert line.recycled.values("") == (0.2, 0.5, 0.9)
    # gadget: 2 motors x 1.2 kg / 0.8 x 2 % Dy = 0.06 kg Dy (gross), by hand
    per_gadget = cat.intensity("gadget", basis="gross")["central"]
    assert per_gadget["Dy"] == pytest.approx(2 * 1.2 / 0.8 * 0.02)
    assert per_gadget["Nd"] == pytest.approx(2 * 1.2 / 0.8 * 0.3 + 0.003)


@pytest.mark.parametrize(
    "line, reason",
    [
        ("magnet,Tb,2,1,3,%,,,,,,,,heim-2023,", "central below low"),
        ("magnet,Tb,,1,,furlong,,,,,,,,heim-2023,", "unknown unit"),
        ("magnet,Tb,,1,,%,,,1.5,,,,,heim-2023,", "yield above 1"),
        ("magnet,Tb,,1,,%,,,,,,0.5,,heim-2023,", "recycling without a loss"),
        ("magnet,Tb,,1,,%,,,,,,,,nosuchsource,", "unknown source"),
        ("magnet,Tb,,1,,%,,,,,,,,,", "no source"),
        ("magnet,Tb,,balance,,,,,,,,,,,", "second balance part"),
        ("magnet,Tb,,1,,%,bogus,,,,,,,heim-2023,", "unknown distribution"),
        ("magnet,Tb,,inf,,%,,,,,,,,heim-2023,", "infinite amount"),
        ("magnet, Tb,,1,,%,,,,,,,,heim-2023,", "padded id"),
        ("magnet,Tb,,1,,%,,,,,,,,heim-2023, padded note", "ok: padded note"),
        ("magnet,Tb,,1,,kg/MW,,,,,,,,heim-2023,", "dimension mismatch"),
        ("nothing,Tb,,1,,%,,,,,,,,heim-2023,", "unknown parent"),
        ("magnet,Tb,,1e16,,%,,,,,,,,heim-2023,", "absurd amount"),
        ("magnet,Tb,,-1,,%,,,,,,,,heim-2023,", "negative amount"),
    ],
)
def test_a_bad_cell_gives_the_row_readers_message(monkeypatch, tmp_path, line, reason):
    _write(tmp_path, FEATURES_ITEMS, FEATURES_PARTS + line + "\n")
    outcome, message = _both(tmp_path, True, monkeypatch)
    if reason.startswith("ok"):
        assert outcome == "ok"
    else:
        assert outcome != "ok", reason
        where = "items.csv:4" if reason == "second balance part" else "parts.csv:12"
        assert str(message).startswith(where), message


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(fz.table_case())
def test_mutated_tables_read_the_same_both_ways(case):
    name, data, merge = case
    with pytest.MonkeyPatch.context() as monkeypatch, tempfile.TemporaryDirectory() as folder:
        for other in fz.TABLE_FILES:
            (Path(folder) / other).write_bytes((fz.SHIPPED / other).read_bytes())
        (Path(folder) / name).write_bytes(data)
        _both(Path(folder), merge, monkeypatch)
