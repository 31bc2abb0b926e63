"""Supply: world totals, bases, country shares, groups, what-ifs."""

import pytest

import mineralcalc as mc
from mineralcalc.errors import UnknownItemError, VolumeError


@pytest.fixture(scope="module")
def s2024() -> mc.Supply:
    return mc.supply(2024)


def test_totals_and_bases(s2024):
    assert s2024.total("REE").to("t").magnitude == 390_000  # USGS MCS 2025 (rounded)
    assert s2024.total("REE", "kt").magnitude == pytest.approx(390)
    assert s2024.basis("REE") == "oxide"
    assert s2024.basis("Co") == "content"
    assert s2024.basis("Ga") == "metal"
    assert s2024.total("Li").to("t").magnitude == 240_000
    assert s2024.total("Ga", stage="refining").to("t").magnitude == 320


def test_by_country_is_ordered_with_shares(s2024):
    table = s2024.by_country("REE")
    assert list(table["country"][:3]) == ["China", "United States", "Burma (Myanmar)"]
    assert table["share"].iloc[0] == pytest.approx(270 / 390)
    assert (table["amount"].diff().dropna() <= 0).all()


def test_without_a_country_or_group(s2024):
    rest = s2024.without("China")
    assert rest.total("REE").to("t").magnitude == pytest.approx(120_000)
    assert "China" not in set(rest.by_country("REE")["country"])
    # MSP members among 2024 REE producers: United States 45,000, Australia 13,000, India 2,900
    msp = s2024.share("REE", "Minerals Security Partnership")
    assert msp == pytest.approx((45_000 + 13_000 + 2_900) / 390_000)
    assert s2024.without("Minerals Security Partnership").total("REE").magnitude == pytest.approx(
        390_000 - 60_900
    )


def test_refining_shares(s2024):
    table = mc.supply(2023).by_country("REE", stage="refining")
    assert table.loc[0, "country"] == "China" and table.loc[0, "share"] == pytest.approx(0.92)
    # 2024: the IEA data explorer's separation of magnet rare earths (73.76 of 80.81 kt); the
    # IEA commentary's 91 % is kept as an alternative
    assert s2024.share("REE", "China", stage="refining") == pytest.approx(0.913)
    assert s2024.share("REE", "Malaysia", stage="separation") == pytest.approx(0.045)


def test_alternative_rows_are_kept_but_not_used():
    s = mc.supply(2019)
    assert s.total("REE").to("t").magnitude == 220_000  # MCS 2021, not MCS 2020's 210,000
    assert s.frame[(s.frame.year == 2019) & s.frame.alternative]["amount"].iloc[0] == 210_000


def test_errors(s2024):
    with pytest.raises(VolumeError, match=r"no supply figures for 1999 \(the tables hold"):
        mc.supply(1999)
    with pytest.raises(UnknownItemError, match="did you mean 'REE'"):
        s2024.total("REEs")
    with pytest.raises(VolumeError, match="no refining figures for Mn"):
        s2024.total("Mn", stage="refining")
    with pytest.raises(VolumeError, match="not a mass unit"):
        s2024.total("REE", "MW")


def test_element_split(s2024):
    # Ce over the 393,950 t of the 2024 country rows, each ore type's Ce share scaled to its
    # row's 100 % (ore_types.csv): Bayan Obo's 50 of 100 for China's 70.06 % of 270,000 t,
    # Mount Weld's 13,000 t and Russia's 2,500 t (taken as Bayan Obo's); Mountain Pass's 50.2
    # of 99.9994 for China's Sichuan 22.43 %, the US 45,000 t and Vietnam 300 t; the medium
    # clay's 6.022 of 100.007 for China's 6.909 %, Myanmar's 31,000 t and Brazil's 20 t;
    # Longnan's 1.028 of 100.005 for China's 0.601 %; monazite's 46 of 99.94 for Nigeria and
    # Thailand's 13,000 t each, India 2,900, Madagascar 2,000, Malaysia 130 and Other 1,100
    ce = ((270_000 * 0.7006 + 13_000 + 2_500) * 50 / 100
          + (270_000 * 0.2243 + 45_000 + 300) * 50.2 / 99.9994
          + (270_000 * 0.06909 + 31_000 + 20) * 6.022 / 100.007
          + 270_000 * 0.00601 * 1.028 / 100.005
          + (13_000 + 13_000 + 2_900 + 2_000 + 130 + 1_100) * 46 / 99.94)  # fmt: skip
    split = s2024.element_split("REE")
    assert split["Ce"] == pytest.approx(ce / 393_950, rel=1e-5)  # the sums above are rounded
    assert split.sum() == pytest.approx(1.0)  # every tonne allocated


def test_stages_of_a_commodity_in_chain_order():
    s = mc.supply(2024)
    assert s.stages("REE") == ("mining", "refining", "magnet")
    with pytest.raises(mc.MineralcalcError, match=r"no supply data for 'lithum'.*'Li'"):
        s.stages("lithum")


def test_compare_at_the_refining_stage():
    d = mc.demand(mc.load_scenario("baseline-2024"))
    f = d.compare(without="China", stage="refining").set_index("element")
    s = mc.supply(2024)
    # rare earths refined without China: mine output (recorded and unrecorded, nothing
    # removed) times the 8.7 % of separation left (IEA: China 91.3 %)
    nd_recorded = s.element("Nd")[0] * 0.087
    nd_unrecorded = s.unrecorded_element("Nd")[1] * 0.087
    sec = s.without("China").secondary("Nd", "end of life")
    assert f.loc["Nd", "recorded"] == pytest.approx(nd_recorded)
    assert f.loc["Nd", "unrecorded"] == pytest.approx(nd_unrecorded)
    assert f.loc["Nd", "supply"] == pytest.approx(nd_recorded + nd_unrecorded + sec[1])
    # but no Tb was separated outside China in 2024 (supply.csv's Dy;Tb rows: China 100 %,
    # lynas-2025-heavy-re): none left, recorded or not; recycling only
    sec = s.without("China").secondary("Tb", "end of life")
    assert f.loc["Tb", "recorded"] == 0.0 and f.loc["Tb", "unrecorded"] == 0.0
    assert f.loc["Tb", "supply"] == pytest.approx(sec[1])
    assert f.loc["Tb", "balance"] == pytest.approx(sec[1] - f.loc["Tb", "demand"])
    assert f.attrs["stage"] == "refining"
    with pytest.raises(mc.MineralcalcError, match="stage 'smelter'"):
        d.compare(stage="smelter")


def test_hhi_of_a_shares_only_stage_without_a_country_is_of_what_is_left():
    # found writing the supply guide: without China, rare-earth separation read HHI 22, as if
    # the rest of the world were unconcentrated: the shares stayed shares of the whole world.
    # supply.csv 2024 (IEA GCMO 2025): Malaysia 4.5 %, United States 1.2 %, Other 3.0 %
    # (China 91.3 %); of the 8.7 % left: 4.5/8.7 and 1.2/8.7, Other left out of the sum
    s = mc.supply(2024)
    expected = (100 * 4.5 / 8.7) ** 2 + (100 * 1.2 / 8.7) ** 2
    assert s.without("China").hhi("REE", stage="refining") == pytest.approx(expected)
    assert s.hhi("REE", stage="refining") == pytest.approx(91.3**2 + 4.5**2 + 1.2**2)
