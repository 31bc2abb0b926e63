"""Element-level rare-earth output: each country's oxide output split by ore type.

Rare-earth statistics count total rare-earth oxide (REO) by country; what an analyst needs is
each element. Ores differ widely: the bastnaesite of Bayan Obo and Mountain Pass is about half
cerium and a quarter lanthanum with almost no heavy rare earths, while the ion-adsorption clays
of southern China and Myanmar carry most of the world's dysprosium, terbium and yttrium. So

    output(country, element) = REO(country) x sum over ore types of
                               share(country, ore type) x share(ore type, element)

with ``REO`` from ``supply.csv``, the country mix from ``country_ores.csv`` and each ore type's
distribution from ``ore_types.csv``. Output of a country with no ore mix, and the part of an
ore type's distribution that its source does not give, stay unallocated and are reported.

References
----------
Long, K. R. et al. (2010) The principal rare earth elements deposits of the United States.
USGS Scientific Investigations Report 2010-5220. https://pubs.usgs.gov/sir/2010/5220/

Binnemans, K., Jones, P. T. (2015) Rare earths and the balance problem. *J. Sustain. Metall.*
1, 29-38. https://doi.org/10.1007/s40831-014-0005-1
"""

from __future__ import annotations

import pandas as pd

__all__ = ["country_mix", "element_output"]


def country_mix(country_ores: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each country's ore-type mix for ``year``: its rows of the latest year up to ``year``,
    else of its earliest year (columns ``country``, ``ore_type``, ``share``, ``year``)."""
    if country_ores.empty:
        return country_ores
    years = country_ores.groupby("country")["year"]
    latest = country_ores[country_ores["year"] <= year].groupby("country")["year"].max()
    chosen = years.min().to_frame("first").join(latest.rename("latest"))
    chosen["use"] = chosen["latest"].fillna(chosen["first"]).astype(int)
    keyed = country_ores.merge(chosen["use"], left_on="country", right_index=True)
    return keyed[keyed["year"] == keyed["use"]].drop(columns="use").reset_index(drop=True)


def element_output(
    output: pd.DataFrame, country_ores: pd.DataFrame, ore_types: pd.DataFrame, year: int
) -> pd.DataFrame:
    """Oxide output of every rare earth by country.

    Parameters
    ----------
    output : DataFrame
        Columns ``country`` and ``amount`` [t REO]: the countries' mine output.
    country_ores : DataFrame
        ``country``, ``year``, ``ore_type``, ``share`` (fractions of the country's output).
    ore_types : DataFrame
        ``ore_type``, ``element``, ``share`` (fractions of the ore type's REO).
    year : int
        The year of ``output`` (picks each country's ore mix, see :func:`country_mix`).

    Returns
    -------
    DataFrame
        Columns ``country``, ``element``, ``amount`` [t of the element's oxide], one row per
        country and element with output, and rows with element ``None`` for what stays
        unallocated (unknown ore type, or elements the ore type's source does not give).

    Examples
    --------
    >>> out = pd.DataFrame({"country": ["A"], "amount": [100.0]})
    >>> mix = pd.DataFrame({"country": ["A"], "year": [2024], "ore_type": ["clay"], "share": [1.0]})
    >>> ores = pd.DataFrame({"ore_type": ["clay"], "element": ["Dy"], "share": [0.05]})
    >>> element_output(out, mix, ores, 2024).to_dict("list")
    {'country': ['A', 'A'], 'element': ['Dy', None], 'amount': [5.0, 95.0]}
    """
    out = output[["country", "amount"]].dropna()
    mix = country_mix(country_ores, year)[["country", "ore_type", "share"]]
    by_type = out.merge(mix, on="country", how="left")
    by_type["ore_reo"] = by_type["amount"] * by_type["share"].fillna(0.0)
    rows = by_type.dropna(subset=["ore_type"]).merge(ore_types, on="ore_type", suffixes=("", "_el"))
    rows["amount_el"] = rows["ore_reo"] * rows["share_el"]
    elements = (
        rows.groupby(["country", "element"], sort=False)["amount_el"]
        .sum()
        .rename("amount")
        .reset_index()
    )
    allocated = elements.groupby("country", sort=False)["amount"].sum()
    totals = out.groupby("country", sort=False)["amount"].sum()
    rest = (totals - allocated.reindex(totals.index, fill_value=0.0)).clip(lower=0.0)
    rest = rest[rest > 1e-9 * totals.clip(lower=1.0)]
    unallocated = pd.DataFrame({"country": rest.index, "element": None, "amount": rest.to_numpy()})
    frame = pd.concat([elements, unallocated], ignore_index=True) if len(rest) else elements
    return frame[frame["amount"] > 0].reset_index(drop=True)
