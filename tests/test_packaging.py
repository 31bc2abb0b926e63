"""The built wheel ships the tables and finds them from a folder outside the repository."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import mineralcalc
from mineralcalc.data.catalog_tables import shipped_tables

ROOT = Path(__file__).resolve().parents[1]


def _table_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
    )  # fmt: skip
    (whl,) = out.glob("mineralcalc-*.whl")
    return whl


def test_wheel_holds_every_table_and_py_typed(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tables = _table_files(ROOT / "tables")
    assert "scenarios/baseline-2024.toml" in tables
    for name in tables:
        assert f"mineralcalc/_tables/{name}" in names
    assert "mineralcalc/py.typed" in names
    assert "mineralcalc/units.txt" in names


def test_installed_wheel_runs_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = (
        "import json, mineralcalc as mc\n"
        "from mineralcalc.data.catalog_tables import shipped_tables\n"
        "cat = mc.Catalog([mc.Item('phone', parts={'Nd': '0.16 g'}, kind='product')])\n"
        "d = mc.demand({'phone': '1.24 billion'}, cat)\n"
        "print(json.dumps({'file': mc.__file__, 'tables': str(shipped_tables()),\n"
        "  'files': sorted(p.relative_to(shipped_tables()).as_posix()\n"
        "                  for p in shipped_tables().rglob('*') if p.is_file()),\n"
        "  'nd': d.total('Nd').to('t').magnitude, 'default': len(mc.Catalog.default()),\n"
        "  'baseline': mc.demand(mc.load_scenario('baseline-2024')).total('Tb').magnitude,\n"
        "  'supply': mc.supply(2024).total('REE').magnitude}))\n"
    )
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    res = subprocess.run(
        [sys.executable, "-c", code], cwd=work, env=env, capture_output=True, text=True, check=True
    )
    out = json.loads(res.stdout)
    assert out["file"].startswith(str(site))
    assert out["tables"].startswith(str(site))
    assert out["files"] == _table_files(ROOT / "tables")
    assert out["nd"] == pytest.approx(198.4)
    assert out["default"] > 150  # elements, oxides and the shipped items
    assert out["baseline"] > 0
    assert out["supply"] == pytest.approx(390_000)


def test_source_checkout_finds_repository_tables() -> None:
    here = Path(mineralcalc.__file__).resolve()
    if ROOT in here.parents:  # editable install or source checkout
        assert shipped_tables() == ROOT / "tables"
    else:  # installed wheel
        assert shipped_tables().name == "_tables"
