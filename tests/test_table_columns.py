"""Every column of every table has a unit (or kind of value) and a meaning, the README names
exactly the columns the loaders accept, and the stated units are the ones the loaders use.

The table reference of the documentation is generated from
:func:`mineralcalc.data.table_columns.column_docs`; ``tables/README.md`` is written by hand.
Both are checked here against :data:`~mineralcalc.data.schemas.SCHEMAS`, the columns each
loader accepts, and a few stated units against what the loader makes of a number given in
them, computed by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import mineralcalc as mc
from mineralcalc.data.column_kinds import ID_KINDS, IN_UNIT, MASS_UNIT, PERCENT
from mineralcalc.data.csvtable import read_sources
from mineralcalc.data.market_tables import read_end_use_elements, read_end_uses
from mineralcalc.data.reserve_tables import read_reserves
from mineralcalc.data.schemas import SCHEMAS
from mineralcalc.data.stock_tables import read_stock_tables
from mineralcalc.data.supply_tables import read_supply
from mineralcalc.data.table_columns import column_docs
from mineralcalc.errors import TableError
from mineralcalc.model.items import KINDS

README = Path(__file__).resolve().parents[1] / "tables" / "README.md"
SOURCES = "key,citation,quality\nsrc,a test source,estimate\n"


def _doc(table: str, column: str):
    return next(d for d in column_docs(table) if d.name == column)


# ----------------------------------------------------------------------------- descriptions
@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_every_column_has_a_unit_and_a_meaning(table):
    schema = SCHEMAS[table]
    docs = column_docs(table)
    assert [d.name for d in docs] == [*schema.required, *schema.optional]
    for d in docs:
        assert d.unit.strip() and d.meaning.strip(), (table, d.name)
        assert d.required == (d.name in schema.required)


def test_a_column_without_a_description_is_refused(monkeypatch):
    # a column added to a schema and nowhere else: column_docs (and so the docs build) fails
    schema = SCHEMAS["regional.csv"]
    grown = type(schema)(schema.required, (*schema.optional, "weight"), schema.ids)
    monkeypatch.setitem(SCHEMAS, "regional.csv", grown)
    with pytest.raises(TableError, match=r"regional.csv: weight: no unit and meaning"):
        column_docs("regional.csv")


def test_an_unknown_table_is_named_with_the_closest():
    with pytest.raises(TableError, match=r"suply.csv: not a table .*supply.csv"):
        column_docs("suply.csv")


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_ids_are_the_columns_of_an_id_kind(table):
    # Schema.ids and the kinds of value say the same: a column holds ids iff its kind is one
    for d in column_docs(table):
        assert d.holds_ids == (d.unit in ID_KINDS), (table, d.name, d.unit)
    assert set(SCHEMAS[table].ids) <= {*SCHEMAS[table].required, *SCHEMAS[table].optional}


def test_item_kinds_are_the_models():
    # items.csv's kind is checked by the model (a layer above the data): same words
    assert _doc("items.csv", "kind").unit == "one of " + ", ".join(f"`{k}`" for k in KINDS)


# ----------------------------------------------------------------------------- the README
def _readme_columns() -> dict[str, set[str]]:
    """Each ``## name.csv`` section's columns: the first cells of its ``| column |`` table."""
    out: dict[str, set[str]] = {}
    for section in re.split(r"^## ", README.read_text(encoding="utf-8"), flags=re.M)[1:]:
        title, _, body = section.partition("\n")
        if not title.strip().endswith(".csv"):
            continue
        tables = re.findall(r"^\| column \|.*\n\|[- |]+\|\n((?:\|.*\n)+)", body, flags=re.M)
        assert len(tables) == 1, f"README section {title!r}: one '| column | meaning |' table"
        first_cells = [row.split("|")[1] for row in tables[0].splitlines()]
        out[title.strip()] = {c for cell in first_cells for c in re.findall(r"`([^`]+)`", cell)}
    return out


def test_readme_has_a_section_for_every_table():
    assert set(_readme_columns()) == set(SCHEMAS)


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_readme_names_exactly_the_loaders_columns(table):
    schema = SCHEMAS[table]
    named = _readme_columns()[table]
    accepted = {*schema.required, *schema.optional}
    assert named - accepted == set(), f"README names columns {table}'s loader refuses"
    assert accepted - named == set(), f"README leaves out columns of {table}"


# ----------------------------------------------------------------------------- units, by behaviour
def test_supply_share_is_percent_and_amount_is_in_the_rows_unit(tmp_path):
    assert _doc("supply.csv", "share").unit == PERCENT
    assert _doc("supply.csv", "amount").unit == IN_UNIT
    assert _doc("supply.csv", "unit").unit == MASS_UNIT
    (tmp_path / "supply.csv").write_text(
        "commodity,country,year,stage,basis,amount,share,unit,source\n"
        "REE,World,2024,mining,oxide,390,,kt,src\n"
        "REE,China,2024,mining,oxide,270000,,t,src\n"
        "REE,China,2024,refining,oxide,,91.5,t,src\n",
        encoding="utf-8",
    )
    sources = {"src": {}}
    frame = read_supply(tmp_path / "supply.csv", sources).set_index(["country", "stage"])
    assert frame.loc[("World", "mining"), "amount"] == pytest.approx(390 * 1000)  # 390 kt in t
    assert frame.loc[("China", "mining"), "amount"] == pytest.approx(270_000)
    assert frame.loc[("China", "refining"), "share"] == pytest.approx(0.915)  # 91.5 % of world


def test_part_amount_is_in_the_rows_unit_and_yield_and_recycled_are_fractions(tmp_path):
    assert _doc("parts.csv", "central").unit.startswith(IN_UNIT)
    assert _doc("parts.csv", "yield").unit == "fraction in (0, 1]"
    assert _doc("parts.csv", "recycled").unit == "fraction 0-1"
    (tmp_path / "sources.csv").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "items.csv").write_text("id,basis\ngadget,unit\n", encoding="utf-8")
    (tmp_path / "parts.csv").write_text(
        "parent,child,central,unit,yield,recycled,source\ngadget,Nd,3,g,0.8,0.5,src\n",
        encoding="utf-8",
    )
    cat = mc.Catalog.from_tables(tmp_path, merge=False)

    def nd(basis):
        return cat.intensity("gadget", "Nd", basis=basis).values("g/unit")[1]

    # by hand: 3 g in the gadget; 3 / 0.8 = 3.75 g through the process; the loss of 0.75 g is
    # half recycled, so 3.75 - 0.5 * 0.75 = 3.375 g is mined
    assert nd("contained") == pytest.approx(3.0)
    assert nd("gross") == pytest.approx(3.75)
    assert nd("mined") == pytest.approx(3.375)


def test_end_use_amount_is_in_the_rows_unit_of_oxide_read_as_metal(tmp_path):
    assert _doc("end_uses.csv", "amount").unit == IN_UNIT
    assert _doc("end_use_elements.csv", "share").unit == PERCENT
    (tmp_path / "end_use_elements.csv").write_text(
        "end_use,group,element,share,source\nmagnets,magnet REE,Nd,75,src\n"
        "magnets,magnet REE,Pr,25,src\n",
        encoding="utf-8",
    )
    (tmp_path / "end_uses.csv").write_text(
        "commodity,end_use,element,year,basis,unit,amount,growth,growth_source,source\n"
        "REE,polishing,Nd,2024,oxide,kt,2,2 %/yr,src,src\n"
        "REE,magnets,magnet REE,2024,metal,t,1000,,,src\n",
        encoding="utf-8",
    )
    sources = {"src": {}}
    splits = read_end_use_elements(tmp_path / "end_use_elements.csv", sources)
    frame = read_end_uses(tmp_path / "end_uses.csv", sources, splits).frame
    rows = frame.set_index(["end_use", "element"])
    # by hand: Nd2O3 is 2 x 144.242 / (2 x 144.242 + 3 x 15.999) = 0.85736 Nd (IUPAC standard
    # atomic weights), so 2 kt of oxide hold 2,000 x 0.85736 = 1,714.7 t of Nd
    nd_fraction = 2 * 144.242 / (2 * 144.242 + 3 * 15.999)
    assert rows.loc[("polishing", "Nd"), "amount"] == pytest.approx(2000 * nd_fraction, rel=1e-4)
    assert rows.loc[("polishing", "Nd"), "growth"] == pytest.approx(0.02)  # 2 %/yr
    # the group's 1,000 t of metal split 75 % / 25 % (percent, not fractions)
    assert rows.loc[("magnets", "Nd"), "amount"] == pytest.approx(750)
    assert rows.loc[("magnets", "Pr"), "amount"] == pytest.approx(250)


def test_reserves_are_in_the_rows_unit_read_as_tonnes(tmp_path):
    assert _doc("reserves.csv", "reserves").unit == IN_UNIT
    assert _doc("reserves.csv", "unit").unit == MASS_UNIT
    (tmp_path / "reserves.csv").write_text(
        "commodity,country,year,basis,reserves,unit,source\n"
        "REE,World,2025,oxide,90,Mt,src\n"
        "REE,China,2025,oxide,44000,kt,src\n",
        encoding="utf-8",
    )
    frame = read_reserves(tmp_path / "reserves.csv", {"src": {}}).set_index("country")
    assert frame.loc["World", "reserves"] == pytest.approx(90e6)  # 90 Mt = 90,000,000 t
    assert frame.loc["China", "reserves"] == pytest.approx(44e6)  # 44,000 kt


def test_recycling_rates_are_percent_and_lifetimes_years(tmp_path):
    assert _doc("recycling.csv", "value").unit == PERCENT
    assert _doc("lifetimes.csv", "mean").unit == "yr"
    (tmp_path / "sources.csv").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "lifetimes.csv").write_text(
        "product,distribution,mean,low,high,source\ngadget,fixed,4,3,5,src\n", encoding="utf-8"
    )
    (tmp_path / "recycling.csv").write_text(
        "product,element,stage,value,low,high,source\ngadget,*,collection,40,20,60,src\n",
        encoding="utf-8",
    )
    (tmp_path / "history.csv").write_text(
        "product,year,amount,unit,source\ngadget,2020,2,million,src\n", encoding="utf-8"
    )
    sources = read_sources(tmp_path / "sources.csv")
    tables = read_stock_tables(tmp_path, sources)
    rec = tables.recycling.iloc[0]
    assert (rec["low"], rec["value"], rec["high"]) == pytest.approx((0.2, 0.4, 0.6))
    life = tables.lifetimes.iloc[0]
    assert (life["low"], life["mean"], life["high"]) == pytest.approx((3, 4, 5))


def test_a_column_every_row_needs_is_a_required_column(tmp_path):
    # end_uses.csv's loader needs an amount on every row: a file without the column is named
    # at its header, as a missing column, not as an empty cell on row 2
    assert _doc("end_uses.csv", "amount").required
    (tmp_path / "end_uses.csv").write_text(
        "commodity,end_use,element,year,basis,unit,source\nREE,polishing,Nd,2024,oxide,kt,src\n",
        encoding="utf-8",
    )
    with pytest.raises(TableError, match=r"end_uses.csv:1: amount: missing column"):
        read_end_uses(tmp_path / "end_uses.csv", {"src": {}}, _no_splits())


def _no_splits() -> pd.DataFrame:
    return pd.DataFrame(columns=["end_use", "group", "element", "share", "source"])
