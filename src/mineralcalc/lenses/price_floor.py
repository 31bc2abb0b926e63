"""The yearly cost of a price floor: guaranteeing a price on a volume of an element's product.

``cost = max(floor - price, 0) x volume`` at the market's low, central and high price of the
element's priced product (:func:`mineralcalc.lenses.money.price_of`; NdPr oxide for Nd).
"""

from __future__ import annotations

import math
from typing import Any

from ..data.security_tables import SecurityTables
from ..errors import VolumeError
from ..estimate import AmountLike
from .money import RatesGiven, price_of
from .money_checks import check_rates, mass_per_year, money

__all__ = ["price_floor"]


def price_floor(
    element: str,
    floor: AmountLike,
    volume: AmountLike,
    *,
    year: int | None = None,
    market: str | None = None,
    rates: RatesGiven = None,
    tables: SecurityTables | None = None,
) -> dict[str, Any]:
    """The yearly cost of guaranteeing ``floor`` on ``volume`` of an element's priced product
    (NdPr oxide for Nd), at the market's low, central and high price.

    ``cost = max(floor - price, 0) x volume``: ``cost_high`` at the low market price.

    Parameters
    ----------
    element : str
        The element whose priced product the floor holds (``"Nd"``).
    floor : amount of money per mass, e.g. ``"110 USD/kg"``
        One finite amount at least zero (a floor of zero costs nothing).
    volume : mass or mass per time, e.g. ``"1294 t"`` (a year's) or ``"1294 t/yr"``
        One finite amount at least zero (zero volume costs nothing).
    year, market, rates, tables
        Which prices, as in :func:`price_of`.

    Returns
    -------
    dict
        ``floor`` [USD/kg], ``volume_kg`` [kg/yr], ``price_low``, ``price``, ``price_high``
        [USD/kg of the product], ``cost_low``, ``cost``, ``cost_high`` [USD/yr], ``unit``,
        ``prices`` (the row used).

    Raises
    ------
    MineralcalcError
        A floor or volume without a unit, in the wrong unit, a range, NaN, infinite or below
        zero; a bad rate; an element without a price; a cost too large for a float.
    """
    checked = check_rates(rates)
    f = money(floor, "floor", checked, per="/kg", example="'110 USD/kg'")
    kg = mass_per_year(volume, "volume", example="'1294 t'")
    p = price_of(element, year, market=market, rates=checked, per="product", tables=tables)
    costs = {
        "cost_low": max(f - p["high"], 0.0) * kg,
        "cost": max(f - p["price"], 0.0) * kg,
        "cost_high": max(f - p["low"], 0.0) * kg,
    }
    if not all(math.isfinite(v) for v in costs.values()):
        raise VolumeError(
            f"price_floor: floor {floor!r} on volume {volume!r} costs more than a float "
            "holds: give a smaller floor or volume"
        )
    return {
        "element": element,
        "floor": f,
        "volume_kg": kg,
        "price_low": p["low"],
        "price": p["price"],
        "price_high": p["high"],
        **costs,
        "unit": "USD/yr",
        "prices": p,
    }
