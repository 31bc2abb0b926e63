"""Elements, groups and oxides: masses come from periodictable, fractions from masses."""

import periodictable
import pytest

import mineralcalc as mc
from mineralcalc.elements import ELEMENTS, GROUPS, OXIDES, metal_fraction, resolve
from mineralcalc.errors import UnknownItemError


def test_masses_come_from_periodictable():
    assert ELEMENTS["Nd"].mass == periodictable.Nd.mass
    assert ELEMENTS["Nd"].name == "neodymium"
    assert len(ELEMENTS) >= 100


def test_seventeen_rare_earths_and_groups():
    assert len(GROUPS["REE"]) == 17
    assert set(GROUPS["LREE"]) | set(GROUPS["HREE"]) == set(GROUPS["REE"]) - {"Sc"}
    assert not set(GROUPS["LREE"]) & set(GROUPS["HREE"])
    assert GROUPS["magnet REE"] == ("Nd", "Pr", "Dy", "Tb")


def test_nd2o3_metal_fraction_from_atomic_masses():
    # 2 x 144.242 / (2 x 144.242 + 3 x 15.999) = 0.8574 (reference-figures.md; USGS check)
    nd, o = periodictable.Nd.mass, periodictable.O.mass
    assert metal_fraction("Nd") == pytest.approx(2 * nd / (2 * nd + 3 * o))
    assert round(metal_fraction("Nd"), 4) == 0.8574


@pytest.mark.parametrize(
    ("el", "n_metal", "n_oxygen"),
    [("Ce", 1, 2), ("Pr", 6, 11), ("Tb", 4, 7), ("La", 2, 3), ("Y", 2, 3), ("Sc", 2, 3)],
)
def test_oxide_fractions(el, n_metal, n_oxygen):
    m, o = getattr(periodictable, el).mass, periodictable.O.mass
    assert OXIDES[el].metal_fraction == pytest.approx(n_metal * m / (n_metal * m + n_oxygen * o))


def test_every_ree_has_an_oxide():
    assert set(OXIDES) == set(GROUPS["REE"])


def test_wilburn_216_kg_nd_is_251_kg_nd2o3():
    # USGS SIR 2011-5036 (Wilburn 2011): 216 kg Nd per MW = 251 kg Nd2O3 per MW. From atomic
    # masses 216 / 0.8574 = 251.9: the report truncates to whole kilograms.
    assert 216 / metal_fraction("Nd") == pytest.approx(251.5, abs=0.5)


def test_resolve_names_symbols_groups_case_insensitively():
    assert resolve("Nd") == ("Nd",)
    assert resolve("neodymium") == ("Nd",)
    assert resolve("magnet ree") == GROUPS["magnet REE"]
    assert resolve(["Nd", "magnet REE"]) == ("Nd", "Pr", "Dy", "Tb")
    with pytest.raises(UnknownItemError, match="did you mean"):
        resolve("Ndd")


def test_public_metal_fraction():
    assert mc.metal_fraction("Nd") == OXIDES["Nd"].metal_fraction


def test_cached_element_data_equals_a_fresh_computation(tmp_path, monkeypatch):
    import importlib
    import json

    from mineralcalc import elements

    fresh = elements._from_periodictable()
    assert fresh["oxides"] == {s: o.metal_fraction for s, o in OXIDES.items()}
    assert fresh["elements"] == [[e.symbol, e.name, e.number, e.mass] for e in ELEMENTS.values()]
    # a cache written to a new folder reads back the same
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = elements._load()
    (cache,) = (tmp_path / "mineralcalc").glob("elements-*.json")
    assert json.loads(cache.read_text()) == first == json.loads(json.dumps(fresh))
    assert elements._load() == first
    # a broken cache folder falls back to computing
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    (tmp_path / "file").write_text("not a folder")
    assert elements._load() == json.loads(json.dumps(fresh))
    monkeypatch.setenv("MINERALCALC_NO_CACHE", "1")
    assert importlib.reload(elements).OXIDES["Nd"].metal_fraction == OXIDES["Nd"].metal_fraction
