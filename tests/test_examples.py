"""Every script in examples/ runs (so examples never rot) and prints what it promises."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip()


def test_quickstart_numbers() -> None:
    script = next(p for p in EXAMPLES if p.name == "quickstart.py")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True).stdout
    # 8 GW x 180 kg/MW = 1,440 t; 17 M EVs x 2.35 kg / 0.75 x 30 % = 15,980 t -> 17,420 t Nd
    assert "17420.0" in out
    # 1.24 billion phones x 3 g = 3,720 t
    assert "3720.0" in out
