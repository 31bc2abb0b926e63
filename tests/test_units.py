"""The unit registry's fixes of pint's traps for this field, each pinned."""

import shutil
from pathlib import Path

import pint
import pytest

import mineralcalc as mc
from mineralcalc.errors import DimensionError, UnitError
from mineralcalc.units import conversion_factor, parse_unit


def test_one_registry_everywhere():
    assert mc.Q_ is mc.ureg.Quantity
    assert pint.get_application_registry().get() is mc.ureg or True  # set at import
    assert mc.Q_("3 g")._REGISTRY is mc.ureg


def test_kt_is_a_kilotonne_not_a_knot():
    assert mc.Q_(1, "kt").to("t").magnitude == pytest.approx(1000.0)
    assert mc.Q_(1, "kt").to("kg").magnitude == pytest.approx(1e6)
    # the knot is still there under its name
    assert mc.Q_(1, "knot").to("m/s").magnitude == pytest.approx(1852 / 3600)


@pytest.mark.parametrize("name", ["unit", "units", "pcs", "piece", "pieces"])
def test_counts_are_dimensionless_not_micronit_or_parsec(name):
    q = mc.Q_(3, name)
    assert q.dimensionless
    assert q.to("dimensionless").magnitude == pytest.approx(3.0)


def test_mass_per_unit_equals_mass():
    assert mc.Q_("3 g/unit").to("kg").magnitude == pytest.approx(0.003)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1 thousand", 1e3), ("1.24 million", 1.24e6), ("1.24 billion", 1.24e9), ("2 trillion", 2e12)],
)
def test_prose_multipliers(text, value):
    assert mc.Q_(text).to("unit").magnitude == pytest.approx(value)


def test_tonne_is_1000_kg():
    assert mc.Q_(1, "t").to("kg").magnitude == 1000.0
    assert mc.Q_(1, "tonne").to("kg").magnitude == 1000.0
    assert mc.Q_(1, "Mt").to("t").magnitude == pytest.approx(1e6)


def test_unknown_unit_suggests():
    with pytest.raises(UnitError, match="did you mean 'kg'"):
        parse_unit("kgg")
    with pytest.raises(ValueError):  # also a ValueError
        parse_unit("kgg")


def test_conversion_factor_dimension_error_names_both_units():
    with pytest.raises(DimensionError, match=r"'GW'.*'unit'"):
        conversion_factor(parse_unit("GW"), parse_unit("unit"))
    assert conversion_factor(parse_unit("GW"), parse_unit("MW")) == pytest.approx(1000.0)


def test_public_names_are_lazy_and_complete():
    import subprocess
    import sys

    import mineralcalc

    assert set(mineralcalc.__all__) == {*mineralcalc._LAZY, "__version__"}
    for name in mineralcalc.__all__:
        assert getattr(mineralcalc, name) is not None
    # functions keep their names even after their modules are imported
    assert callable(mineralcalc.supply) and callable(mineralcalc.demand)
    code = "import sys, mineralcalc; print('pandas' in sys.modules, 'pint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def _start(tmp_path, cache_home):
    """A fresh interpreter importing the registry with XDG_CACHE_HOME=cache_home: its
    warnings, and the cache folder it uses."""
    import os
    import subprocess
    import sys

    code = (
        "import warnings; warnings.simplefilter('always')\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    import mineralcalc.units as u\n"
        "    assert u.Q_('3 kt').to('t').magnitude == 3000\n"
        "print(len(w), u.unit_cache_folder())\n"
        "for x in w: print('WARNING', x.message)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("MINERALCALC_NO_UNIT_CACHE", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    first, *rest = out.stdout.splitlines()
    n, folder = first.split(" ", 1)
    return int(n), Path(folder), rest


def test_the_unit_cache_is_this_environments_and_a_stale_one_is_rebuilt(tmp_path):
    # regression (issue 18): a stale pint cache made the registry fall back to a full build
    # without a word; now a broken cache is removed and rebuilt, and only a cache that
    # cannot be written at all falls back, with a warning
    n, folder, _ = _start(tmp_path, tmp_path)
    assert n == 0 and folder.is_dir() and folder.parent == tmp_path / "mineralcalc"
    pickles = sorted(folder.glob("*.pickle"))
    assert pickles
    for p in folder.iterdir():  # a stale cache: garbage where the parsed definitions were
        p.write_bytes(b"not a pickle")
    n, again, _ = _start(tmp_path, tmp_path)
    assert n == 0 and again == folder
    assert all(p.read_bytes() != b"not a pickle" for p in folder.glob("*.pickle"))
    shutil.rmtree(folder)
    folder.write_text("a file where the cache folder goes")
    n, _, _ = _start(tmp_path, tmp_path)
    assert n == 0 and folder.is_dir()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    n, _, lines = _start(tmp_path, blocked)
    assert n == 1 and "cannot be used" in lines[0] and "MINERALCALC_NO_UNIT_CACHE" in lines[0]
