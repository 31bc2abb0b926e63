"""Country names across the tables (issue 23): one spelling each, checked at load.

"Republic of Korea" in country_groups.csv against "Korea, Republic of" in supply.csv used to
leave Korea's refining in the Minerals Security Partnership's "without"; a misspelt or unknown
country anywhere is now an error naming the file and row, and a group naming itself is one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import mineralcalc as mc
from mineralcalc.data.country_tables import read_countries
from mineralcalc.data.csvtable import shipped_sources, shipped_tables
from mineralcalc.data.tableset import TableSet
from mineralcalc.errors import TableError

SHIPPED = shipped_tables()


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(SHIPPED / name, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_msp_takes_koreas_refining_with_it():
    s = mc.supply(2024)
    # USGS: Korea refined 620 kt of copper in 2024 (supply.csv); the world total by hand
    cu = s.by_country("Cu", stage="refining")
    world = float(cu["amount"].sum() / cu["share"].sum())
    assert s.share("Cu", "Korea, Republic of", stage="refining") == pytest.approx(620_000 / world)
    assert "Korea, Republic of" in s.countries_of("Minerals Security Partnership")
    gone = s.without("Minerals Security Partnership", stage="refining")
    assert gone.share("Cu", "Korea, Republic of", stage="refining") == 0
    # other spellings of a country match it: countries.csv's aliases
    assert s.countries_of("South Korea") == ("Korea, Republic of",)
    assert s.countries_of("Republic of Korea") == ("Korea, Republic of",)


def test_every_country_the_shipped_tables_name_is_in_countries_csv():
    places = read_countries(SHIPPED / "countries.csv", shipped_sources())
    allowed = {"World", "Other", "Rest of world"}
    groups = set(pd.read_csv(SHIPPED / "country_groups.csv")["group"])
    for name, column in [("supply.csv", "country"), ("country_groups.csv", "country"),
                         ("country_ores.csv", "country"), ("unrecorded.csv", "country"),
                         ("outlook.csv", "country"), ("regional.csv", "region")]:  # fmt: skip
        for value in pd.read_csv(SHIPPED / name)[column].dropna():
            assert value in allowed | groups or places.canonical(value) == value, (name, value)


def test_an_alias_is_read_as_its_country(tmp_path):
    _edit(_copy(tmp_path, "country_groups.csv"), '"Korea, Republic of"', "South Korea")
    s = mc.supply(2024, TableSet(tmp_path))
    assert "Korea, Republic of" in s.groups["Minerals Security Partnership"]


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "country_groups.csv",
            "G7,Japan,",
            "G7,Japn,",
            r"country_groups.csv:\d+: country: 'Japn' is not a country of countries.csv \(did you mean 'Japan'",
        ),
        (
            "regional.csv",
            ",China,",
            ",Chine,",
            r"regional.csv:\d+: region: 'Chine' is not a country",
        ),
        ("supply.csv", "REE,China,2024", "REE,Chinaa,2024", r"supply.csv:\d+: country: 'Chinaa'"),
        (
            "country_ores.csv",
            "Thailand,2024",
            "Tailand,2024",
            r"country_ores.csv:\d+: country: 'Tailand'",
        ),
        ("unrecorded.csv", "REE,Laos,", "REE,Loas,", r"unrecorded.csv:\d+: country: 'Loas'"),
    ],
)
def test_an_unknown_country_is_named_where_it_is(tmp_path, name, old, new, message):
    _edit(_copy(tmp_path, name), old, new)
    tables = TableSet(tmp_path)
    with pytest.raises(TableError, match=message):
        _ = tables.security if name == "regional.csv" else tables.supply


def test_a_group_that_names_itself_is_refused(tmp_path):
    path = _copy(tmp_path, "country_groups.csv")
    with path.open("a", encoding="utf-8") as f:
        f.write("European Union,Minerals Security Partnership,state-msp-2023,\n")
    # the MSP names the EU, which would now name the MSP
    with pytest.raises(
        TableError,
        match=r"names itself .*Minerals Security Partnership -> "
        r"European Union -> Minerals Security Partnership",
    ):
        _ = TableSet(tmp_path).supply


def test_countries_csv_refuses_a_spelling_given_twice(tmp_path):
    path = _copy(tmp_path, "countries.csv")
    with path.open("a", encoding="utf-8") as f:
        f.write("Koreaa,KRX,South Korea,iso-3166,\n")
    with pytest.raises(
        TableError, match=r"countries.csv:\d+: aliases: 'South Korea' already names"
    ):
        read_countries(path, shipped_sources())
    _edit(path, "Koreaa,KRX,South Korea", "Koreaa,KR1,")
    with pytest.raises(TableError, match="'KR1' is not an ISO 3166 alpha-3 code"):
        read_countries(path, shipped_sources())
