"""The ore model (issue 22): every recorded tonne of rare-earth oxide allocated to elements,
unrecorded output as its own line, and the base-year balance of one element by hand.

Expectations are computed in the comments from the rows of small tables written here, or from
the shipped tables' rows (supply.csv, country_ores.csv, ore_types.csv, unrecorded.csv,
secondary.csv, end_uses.csv).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import mineralcalc as mc
from mineralcalc.data.csvtable import shipped_sources, shipped_tables
from mineralcalc.data.supply_tables import read_supply_tables
from mineralcalc.elements import OXIDES
from mineralcalc.errors import TableError
from mineralcalc.lenses.supply import Supply

MF = {el: OXIDES[el].metal_fraction for el in OXIDES}
SRC = "usgs-mcs2025-ree"


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def _toy(folder: Path, *, unrecorded: str | None = None, ores: str | None = None) -> Supply:
    """X mines 1000 t of ore A (La 50, Ce 30, Nd 20 %); Y 100 t, 60 % ore B (Y 60, Dy 10,
    La 30 %) and 40 % ore A in 2024 (ore A alone in 2020); Z 50 t of ore A; W mines nothing
    on record."""
    _write(folder, "supply.csv",
           "commodity,country,year,stage,basis,amount,unit,source\n"
           f"REE,X,2024,mining,oxide,1000,t,{SRC}\nREE,Y,2024,mining,oxide,100,t,{SRC}\n"
           f"REE,Z,2024,mining,oxide,50,t,{SRC}\nREE,World,2024,mining,oxide,1150,t,{SRC}\n")  # fmt: skip
    _write(folder, "country_groups.csv", f"group,country,source\nXY,X,{SRC}\nXY,Y,{SRC}\n")
    _write(folder, "ore_types.csv", ores or (
        f"ore_type,element,share,source\nA,La,50,{SRC}\nA,Ce,30,{SRC}\nA,Nd,20,{SRC}\n"
        f"B,Y,60,{SRC}\nB,Dy,10,{SRC}\nB,La,30,{SRC}\n"))  # fmt: skip
    _write(folder, "country_ores.csv",
           f"country,year,ore_type,share,source\nX,2024,A,100,{SRC}\nY,2020,A,100,{SRC}\n"
           f"Y,2024,B,60,{SRC}\nY,2024,A,40,{SRC}\nZ,2024,A,100,{SRC}\n")  # fmt: skip
    _write(folder, "secondary.csv",
           "commodity,element,year,kind,country,basis,amount,low,high,share,unit,source\n"
           f"REE,Nd,2024,end of life,,oxide,,0,2,1,t,{SRC}\n")  # fmt: skip
    if unrecorded is not None:
        _write(folder, "unrecorded.csv", unrecorded)
    return Supply(2024, read_supply_tables(folder, shipped_sources()))


UNRECORDED = (
    "commodity,country,year,ore_type,amount,low,high,share,unit,source\n"
    f"REE,W,2024,B,20,10,40,,t,{SRC}\n"  # a country with nothing on record: 20 t of ore B
    f"REE,X,2024,,,0,20,10,t,{SRC}\n"  # 10 % (0-20 %) more than X's recorded output
)


def test_every_recorded_tonne_is_split_by_the_ore_types(tmp_path):
    out = _toy(tmp_path).element_output()
    got = {(r.country, r.element): r.amount for r in out.itertuples()}
    # X: 1000 t of A -> La 500, Ce 300, Nd 200; Y: 60 t of B -> Y 36, Dy 6, La 18, and 40 t
    # of A -> La 20, Ce 12, Nd 8; Z: 50 t of A -> La 25, Ce 15, Nd 10
    assert got == pytest.approx(
        {("X", "La"): 500, ("X", "Ce"): 300, ("X", "Nd"): 200, ("Y", "Y"): 36, ("Y", "Dy"): 6,
         ("Y", "La"): 38, ("Y", "Ce"): 12, ("Y", "Nd"): 8, ("Z", "La"): 25, ("Z", "Ce"): 15,
         ("Z", "Nd"): 10}
    )  # fmt: skip
    assert out["amount"].sum() == pytest.approx(1150)  # nothing unallocated


def test_unrecorded_output_by_ore_type_and_share(tmp_path):
    s = _toy(tmp_path, unrecorded=UNRECORDED)
    u = s.unrecorded_output().set_index(["country", "element"])
    # W: 20 t (10-40) of ore B -> Y 12 (6-24), Dy 2 (1-4), La 6 (3-12)
    assert tuple(u.loc[("W", "Dy"), ["low", "amount", "high"]]) == pytest.approx((1, 2, 4))
    assert tuple(u.loc[("W", "Y"), ["low", "amount", "high"]]) == pytest.approx((6, 12, 24))
    # X: 10 % (0-20 %) of its 1000 t, split as its own mix (ore A) -> Nd 20 (0-40)
    assert tuple(u.loc[("X", "Nd"), ["low", "amount", "high"]]) == pytest.approx((0, 20, 40))
    # per element, in metal: Dy from W only; removed with its country; none when recorded only
    assert s.unrecorded_element("Dy") == pytest.approx((1 * MF["Dy"], 2 * MF["Dy"], 4 * MF["Dy"]))
    assert s.without("W").unrecorded_element("Dy") == (0.0, 0.0, 0.0)
    assert s.recorded().unrecorded_element("Nd") == (0.0, 0.0, 0.0)
    # a group: La+Ce+Pr+Nd of both rows, oxide
    assert s.group_unrecorded(("La", "Ce", "Pr", "Nd")) == pytest.approx((3, 6 + 100, 12 + 200))
    # recorded supply is untouched: the unrecorded line is never folded into it
    assert s.element("Dy")[0] == pytest.approx(6 * MF["Dy"])


def test_the_tables_refuse_output_without_elements(tmp_path):
    # a producer with no ore mix: its oxide could not be split
    _write(
        tmp_path, "country_ores.csv", f"country,year,ore_type,share,source\nX,2024,A,100,{SRC}\n"
    )
    with pytest.raises(TableError, match=r"supply.csv:3: country: Y mines 100 t .* no ore mix"):
        read_supply_tables(_fill(tmp_path), shipped_sources())
    # an ore type that leaves 30 % of its oxide to no element
    with pytest.raises(TableError, match=r"ore type A adds up to 70.00%, not 100 %"):
        _toy(tmp_path, ores=f"ore_type,element,share,source\nA,La,50,{SRC}\nA,Nd,20,{SRC}\n"
             f"B,Y,100,{SRC}\n")  # fmt: skip
    # within the rounding of a published distribution (98-102 %) the shares are scaled to 100
    s = _toy(tmp_path, ores=f"ore_type,element,share,source\nA,La,50,{SRC}\nA,Ce,29.5,{SRC}\n"
             f"A,Nd,19.5,{SRC}\nB,Y,60,{SRC}\nB,Dy,10,{SRC}\nB,La,30,{SRC}\n")  # fmt: skip
    assert s.element_output()["amount"].sum() == pytest.approx(1150)
    # an unrecorded row of a country with no recorded output and no ore type
    bad = ("commodity,country,year,ore_type,amount,unit,source\n"
           f"REE,W,2024,,20,t,{SRC}\n")  # fmt: skip
    with pytest.raises(TableError, match=r"unrecorded.csv:2: ore_type: W has no ore mix"):
        _toy(tmp_path, unrecorded=bad)


def _fill(folder: Path) -> Path:
    """The toy tables other than country_ores.csv (written by the caller)."""
    mix = (folder / "country_ores.csv").read_text()
    _toy(folder)
    _write(folder, "country_ores.csv", mix)
    return folder


# ----------------------------------------------------------------------------- shipped tables
def _rows(name: str) -> list[dict[str, str]]:
    with open(shipped_tables() / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _ore(name: str) -> dict[str, float]:
    rows = [r for r in _rows("ore_types.csv") if r["ore_type"] == name]
    total = sum(float(r["share"]) for r in rows)  # scaled to 100 % as the loader does
    return {r["element"]: float(r["share"]) / total for r in rows}


def test_myanmar_split_by_hand():
    # Myanmar mined 31,000 t REO in 2024 (USGS), all medium-heavy ionic clay
    # (country_ores.csv), whose distribution ore_types.csv gives
    clay = _ore("ionic_clay_medium")
    out = mc.supply(2024).element_output()
    mm = out[out["country"] == "Burma (Myanmar)"].set_index("element")["amount"]
    for el in ("Nd", "Pr", "Dy", "Tb", "Y", "La"):
        assert mm[el] == pytest.approx(31_000 * clay[el]), el
    assert mm.sum() == pytest.approx(31_000)


def test_every_recorded_tonne_of_2024_is_allocated():
    # the USGS country rows of 2024 add up to 393,950 t (the world row rounds them to 390,000)
    rows = [r for r in _rows("supply.csv") if r["commodity"] == "REE" and r["year"] == "2024"
            and r["stage"] == "mining" and r["country"] != "World" and not r["status"]]  # fmt: skip
    recorded = sum(float(r["amount"]) for r in rows)
    assert recorded == pytest.approx(393_950)
    out = mc.supply(2024).element_output()
    assert out["element"].notna().all()
    assert out["amount"].sum() == pytest.approx(recorded)


def test_china_dy_by_hand():
    # China: 270,000 t REO; Bayan Obo 70.06 %, Sichuan 22.43 %, medium clay 6.909 %, Longnan
    # clay 0.601 % (country_ores.csv), each at its ore type's Dy share
    ores = {"bayan_obo": 70.06, "sichuan_bastnaesite": 22.43, "ionic_clay_medium": 6.909,
            "ionic_clay_high_y": 0.601}  # fmt: skip
    mix_total = sum(ores.values())
    dy = sum(270_000 * share / mix_total * _ore(o).get("Dy", 0.0) for o, share in ores.items())
    by = mc.supply(2024).by_country("Dy").set_index("country")["amount"]
    assert by["China"] == pytest.approx(dy)


def _published(end_use: str, group_share: float, year: int = 2024) -> float:
    row = next(r for r in _rows("end_uses.csv")
               if r["end_use"] == end_use and r["year"] == str(year) and r["commodity"] == "REE")  # fmt: skip
    return float(row["amount"]) * 1000 * group_share  # kt of magnet REE -> t of the element


def test_base_year_balance_of_dy_by_hand():
    d = mc.demand(mc.load_scenario("baseline-2024"))
    row = d.compare().set_index("element").loc["Dy"]
    # --- demand, mined basis. The scenario holds bev and phev (the IEA's EVs) and
    # onshore_wind and offshore_wind (its wind): those end uses are modelled in full, so
    # only the catch-all "other uses" adds anything: 72.06669 kt of magnet REE at the
    # other-uses split's Dy share (end_use_elements.csv), first use (gross), less the
    # products no other end use lists, carried to the mined basis by the products' ratio
    dy_share = next(float(r["share"]) / 100 for r in _rows("end_use_elements.csv")
                    if r["end_use"] == "other uses" and r["element"] == "Dy")  # fmt: skip
    rest = [p for p in d.products if p not in ("bev", "phev", "onshore_wind", "offshore_wind")]
    gross_rest = d.total("Dy", product=rest, basis="gross").magnitude
    ratio = d.total("Dy").magnitude / d.total("Dy", basis="gross").magnitude
    other = max(0.0, _published("other uses", dy_share) - gross_rest) * ratio
    modelled = d.total("Dy").magnitude
    assert row["other_uses"] == pytest.approx(other)
    assert row["demand"] == pytest.approx(modelled + other)
    # --- supply: recorded Dy2O3 of every country (the ore model), the unrecorded clays
    # (Laos 6,000 t and China 5,000 t of medium clay, Myanmar 0 % more), and end-of-life
    # recycling at 0.5 % of primary (secondary.csv), all as metal
    recorded = mc.supply(2024).element_output()
    dy2o3 = float(recorded.loc[recorded["element"] == "Dy", "amount"].sum())
    unrec = 11_000 * _ore("ionic_clay_medium")["Dy"]
    eol = 0.005 * dy2o3 * MF["Dy"]
    assert row["recorded"] == pytest.approx(dy2o3 * MF["Dy"])
    assert row["unrecorded"] == pytest.approx(unrec * MF["Dy"])
    assert row["supply"] == pytest.approx((dy2o3 + unrec) * MF["Dy"] + eol)
    assert row["share"] == pytest.approx(row["demand"] / row["supply"])


def test_the_default_answer_agrees_with_the_market():
    # 2024: falling prices, rising stocks (Argus, Reuters): no magnet rare earth in deficit by
    # more than 10 %, none in surplus by more than 20 % (the band the README gives per element)
    frame = mc.demand(mc.load_scenario("baseline-2024")).compare().set_index("element")
    for el in ("Nd", "Pr", "Dy", "Tb", "magnet REE (REO)"):
        assert 0.80 <= frame.loc[el, "share"] <= 1.10, el
    # recorded output alone is tighter, never looser
    rec = mc.demand(mc.load_scenario("baseline-2024")).compare(unrecorded=False)
    rec = rec.set_index("element")
    for el in ("Nd", "Pr", "Dy", "Tb"):
        assert rec.loc[el, "share"] > frame.loc[el, "share"]
        assert rec.loc[el, "unrecorded"] == 0


def test_unrecorded_share_grows_with_the_country_and_amounts_are_held(tmp_path):
    # Myanmar's unrecorded row is a share of its recorded output: in 2030 it follows Myanmar
    s30 = mc.supply(2024).recorded()
    assert s30.unrecorded_output().empty
    from mineralcalc.lenses.projection import supply_for

    p30, _ = supply_for(2030, None, None)
    u24 = mc.supply(2024).unrecorded_output()
    u30 = p30.unrecorded_output()
    laos24 = u24[u24["country"] == "Laos"]["amount"].sum()
    laos30 = u30[u30["country"] == "Laos"]["amount"].sum()
    assert laos30 == pytest.approx(laos24) == pytest.approx(6_000)
    assert isinstance(u30, pd.DataFrame)
