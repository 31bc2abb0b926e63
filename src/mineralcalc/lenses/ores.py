"""Element-level rare-earth output: each country's oxide output split by ore type.

Rare-earth statistics count total rare-earth oxide (REO) by country; what an analyst needs is
each element. Ores differ widely: the bastnaesite of Bayan Obo and Mountain Pass is about half
cerium and a quarter lanthanum with almost no heavy rare earths, while the ion-adsorption clays
of southern China and Myanmar carry most of the world's dysprosium, terbium and yttrium. So

    output(country, element) = REO(country) x sum over ore types of
                               share(country, ore type) x share(ore type, element)

with ``REO`` from ``supply.csv``, the country mix from ``country_ores.csv`` and each ore type's
distribution from ``ore_types.csv``. Both are whole (their loaders check that shares add up to
100 %), so every tonne of oxide is allocated to an element. Unrecorded output
(``unrecorded.csv``) is split the same way, by the ore type its row names or else by the
country's mix.

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
        Columns ``country`` and ``amount`` [t REO]: the countries' mine output (extra columns,
        such as ``low`` and ``high``, are split alike).
    country_ores : DataFrame
        ``country``, ``year``, ``ore_type``, ``share`` (fractions of the country's output,
        adding up to 1).
    ore_types : DataFrame
        ``ore_type``, ``element``, ``share`` (fractions of the ore type's REO, adding up to 1).
    year : int
        The year of ``output`` (picks each country's ore mix, see :func:`country_mix`).

    Returns
    -------
    DataFrame
        Columns ``country``, ``element``, ``amount`` [t of the element's oxide] (and the
        extra columns of ``output``), one row per country and element with output. Every tonne
        is allocated: a country without an ore mix is an error.

    Raises
    ------
    KeyError
        For a country with output and no ore mix (the tables' loader refuses such tables
        first, naming the row).

    Examples
    --------
    >>> out = pd.DataFrame({"country": ["A"], "amount": [100.0]})
    >>> mix = pd.DataFrame({"country": ["A"], "year": [2024], "ore_type": ["clay"], "share": [1.0]})
    >>> ores = pd.DataFrame({"ore_type": "clay", "element": ["Dy", "Y"], "share": [0.05, 0.95]})
    >>> element_output(out, mix, ores, 2024).to_dict("list")
    {'country': ['A', 'A'], 'element': ['Dy', 'Y'], 'amount': [5.0, 95.0]}
    """
    values = [c for c in output.columns if c not in ("country", "ore_type")]
    out = output[output[values].fillna(0.0).max(axis=1) > 0]  # a range may have output alone
    if "ore_type" not in out.columns:
        out = out.assign(ore_type=None)
    mix = country_mix(country_ores, year)[["country", "ore_type", "share"]]
    given, rest = out[out["ore_type"].notna()], out[out["ore_type"].isna()]
    missing = sorted(set(rest["country"]) - set(mix["country"]))
    if missing:
        raise KeyError(f"no ore mix for {', '.join(missing)} (country_ores.csv)")
    by_type = pd.concat(
        [
            rest[["country", *values]].merge(mix, on="country"),
            given[["country", "ore_type", *values]].assign(share=1.0),
        ],
        ignore_index=True,
    )
    rows = by_type.merge(
        ore_types[["ore_type", "element", "share"]], on="ore_type", suffixes=("", "_el")
    )
    factor = rows["share"] * rows["share_el"]
    for c in values:
        rows[c] = rows[c] * factor
    frame = rows.groupby(["country", "element"], sort=False)[values].sum().reset_index()
    return frame[frame[values].max(axis=1) > 0].reset_index(drop=True)
