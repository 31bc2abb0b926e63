"""Rows of supply.csv for particular rare earths (issue 26): the loader's checks of the
``elements`` column, on small tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from mineralcalc.data.supply_tables import read_supply
from mineralcalc.errors import TableError

TABLES = Path(__file__).resolve().parents[1] / "tables"


# ----------------------------------------------------------------------------- the loader's checks
HEADER = "commodity,country,year,stage,basis,amount,share,unit,source,elements\n"
BASE = (
    "REE,China,2024,mining,oxide,270000,,t,src,\n"
    "REE,China,2024,refining,oxide,,91.3,t,src,\n"
    "REE,Malaysia,2024,refining,oxide,,4.5,t,src,\n"
)


def _read(tmp_path: Path, rows: str):
    path = tmp_path / "supply.csv"
    path.write_text(HEADER + BASE + rows, encoding="utf-8")
    return read_supply(path, {"src": {}})


def test_element_rows_are_read_in_one_spelling(tmp_path):
    frame = _read(tmp_path, "REE,China,2024,refining,oxide,,100,t,src,Tb;Dy\n")
    assert list(frame["elements"]) == ["", "", "", "Dy;Tb"]
    # a table without the column (a user's older supply.csv) is every element's
    path = tmp_path / "old.csv"
    path.write_text(
        "commodity,country,year,stage,basis,share,unit,source\n"
        "REE,China,2024,refining,oxide,91,t,src\n",
        encoding="utf-8",
    )
    assert list(read_supply(path, {"src": {}})["elements"]) == [""]


@pytest.mark.parametrize(
    ("row", "match"),
    [
        (
            "REE,China,2024,refining,oxide,,100,t,src,Dx",
            r"supply.csv:5: elements: 'Dx' is not an element symbol",
        ),
        (
            "REE,China,2024,refining,oxide,,100,t,src,Dy;Fe",
            r":5: elements: Fe is not an element of REE",
        ),
        (
            "REE,China,2024,refining,oxide,,100,t,src,Dy;;Tb",
            r":5: elements: 'Dy;;Tb' has an empty entry",
        ),
        ("REE,China,2024,refining,oxide,,100,t,src,Dy;Dy", r":5: elements: Dy is given twice"),
        (
            "Li,China,2024,refining,metal,,70,t,src,Li",
            r":5: elements: Li supplies one element: leave elements empty",
        ),
        (
            "REE,China,2024,mining,oxide,,100,t,src,Dy",
            r":5: elements: element rows are for a stage after mining.*country_ores.csv",
        ),
        (
            "REE,China,2024,refining,oxide,900,,t,src,Dy",
            r":5: amount: a row with elements gives each country's share.*leave amount empty",
        ),
        (
            "REE,China,2023,refining,oxide,,100,t,src,Dy",
            r":5: elements: the row overrides REE's refining rows of 2023 for Dy, but there are none: add",
        ),
        (
            "REE,China,2024,refining,oxide,,100,t,src,Dy;Tb\nREE,Malaysia,2024,refining,oxide,,0,t,src,Dy",
            r":6: elements: Dy in 2024 \(refining\) is in 'Dy' here and in 'Dy;Tb' at supply.csv:5: give each element's countries in one set",
        ),
        (
            "REE,China,2024,refining,oxide,,100,t,src,Dy\nREE,China,2024,refining,oxide,,100,t,src,Dy",
            r":6: country: 'China' in 2024 \(refining\) for Dy is given twice \(first at row 5\)",
        ),
        (
            "REE,China,2024,refining,oxide,,95,t,src,Dy\nREE,Malaysia,2024,refining,oxide,,10,t,src,Dy",
            r":6: share: the shares of Dy at refining in 2024 add up to 105 %, over 100 %",
        ),
    ],
)
def test_bad_element_rows_are_refused_naming_the_row(tmp_path, row, match):
    with pytest.raises(TableError, match=match):
        _read(tmp_path, row + "\n")


def test_alternative_element_rows_are_kept_but_not_checked_against_the_rest(tmp_path):
    header = HEADER.replace("elements\n", "elements,status\n")
    path = tmp_path / "supply.csv"
    rows = "".join(r.rstrip("\n") + ",\n" for r in BASE.splitlines(keepends=True))
    path.write_text(
        header + rows + "REE,China,2024,refining,oxide,,100,t,src,Dy;Tb,\n"
        "REE,China,2024,refining,oxide,,99,t,src,Dy,alternative\n",
        encoding="utf-8",
    )
    frame = read_supply(path, {"src": {}})
    assert list(frame["alternative"]) == [False, False, False, False, True]
