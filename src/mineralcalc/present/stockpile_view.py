"""Whether the market can fill a stockpile: how long the buying takes within the pace limit,
the share of world output it absorbs, what the price range changes, and what the same tonnes
cost at each market (the frame of :func:`mineralcalc.lenses.stockpiles.stockpile`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from rich import box

from ..lenses.stockpile_pace import (
    DEFAULT_MAX_IMPORT_SHARE,
    DEFAULT_MAX_SHARE,
    MAX_IMPORT_SHARE_SOURCE,
    MAX_SHARE_SOURCE,
)
from .text import PlainTable, fmt, pct, usd

__all__ = ["duration", "market_table", "pace_table", "price_note", "span"]

EVERY_COLUMN = "-f json"
"""Where a column left out at a narrow terminal is shown: ``security -f csv`` writes only the
self-sufficiency table, ``-f json`` every stockpile column."""


def duration(years: float) -> str:
    """A buying time: years, or months under two years (``"37.5 years"``, ``"3.8 months"``);
    ``"never"`` when infinite (the limit allows none of an element), ``"no data"`` for NaN."""
    if math.isinf(years):
        return "never"
    if not math.isfinite(years):
        return "no data"
    if years < 2:
        return f"{years * 12:.2g} months" if years * 12 < 10 else f"{years * 12:.0f} months"
    return f"{years:.3g} years"


def span(lo: float, hi: float) -> str:
    """Two buying times as one range: ``"37.4-37.6 years"``, or one time when they read alike."""
    a, b = duration(lo), duration(hi)
    if a == b:
        return a
    unit_a, unit_b = a.split(" ", 1)[-1], b.split(" ", 1)[-1]
    return f"{a.split(' ', 1)[0]}-{b}" if unit_a == unit_b else f"{a}-{b}"


def pace_table(frame: pd.DataFrame) -> PlainTable:
    """Per element: tonnes bought, world supply (or the bloc's net imports, on the imports
    basis), the purchase in years of it, the time alone at the limit and the share absorbed
    a year; the caption the stockpile's buying time and what limits it."""
    if frame.attrs.get("pace") == "imports":
        return _imports_table(frame)
    limit = pct(frame.attrs["max_share"])
    table = _pace_columns(
        f"Bought within {limit} of world output a year (the pace limit)",
        (
            ("World supply\n[t/yr]", 2),
            ("Bought /\nyear's supply", 1),
            (f"Alone at\n{limit}/yr", None),
            ("Absorbed\na year", None),
        ),
    )
    for r in frame.to_dict("records"):
        known = math.isfinite(r["supply"])
        table.add_row(
            str(r["element"]),
            fmt(r["tonnes"]),
            fmt(r["supply"]) if known else "no data",
            pct(r["of_output"]) if known else "no data",
            duration(r["years"]),
            pct(r["absorbed"]) if known else "no data",
        )
    table.caption = _time_line(frame)
    if frame.attrs["max_share"] == DEFAULT_MAX_SHARE:
        table.caption += (
            f"The limit, {limit}, is the default: an estimate from the largest reported "
            f"purchases of state stockpilers ({MAX_SHARE_SOURCE}); --max-share sets another"
        )
    else:
        table.caption += f"The limit, {limit}, was given (default {pct(DEFAULT_MAX_SHARE)})"
    missing = frame.attrs.get("no_supply") or []
    if missing:
        table.caption += (
            f"; no world supply figure for {', '.join(missing)}, so their pace is not known"
        )
    return table


def _pace_columns(title: str, columns: Sequence[tuple[str, int | None]]) -> PlainTable:
    """A pace table with its element and tonnes columns, then ``columns`` (header, ``drop``
    order or None), numbers right-aligned and never wrapped."""
    table = PlainTable(
        title=title, box=box.SIMPLE_HEAVY, title_justify="left", every_column=EVERY_COLUMN
    )
    table.add_column("Element", no_wrap=True)
    table.add_column("Bought\n[t]", justify="right", no_wrap=True)
    for name, drop in columns:
        table.add_column(name, justify="right", no_wrap=True, drop=drop)
    return table


def _time_line(frame: pd.DataFrame) -> str:
    """The stockpile's buying time at the limit, in words, ending with a space."""
    lo, c, hi = frame.attrs["years"]
    if not math.isfinite(c):
        if math.isnan(c):
            return "The stockpile's buying time is not known (no data for any element). "
        return "Bought together, the stockpile is never complete. "
    spread = "" if duration(lo) == duration(hi) else f" ({span(lo, hi)} over the price ranges)"
    text = (
        f"Bought together, the stockpile takes {duration(c)}{spread}, "
        f"{frame.attrs['binding']} at the limit"
    )
    if c >= 1:
        text += f", each year adding {fmt(frame.attrs['days_per_year'])} days of cover"
    return text + ". "


def _imports_table(frame: pd.DataFrame) -> PlainTable:
    """The pace table on the imports basis: the bloc's net imports instead of world supply,
    and the share of world output the purchase still absorbs."""
    limit = pct(frame.attrs["max_import_share"])
    table = _pace_columns(
        f"Bought within {limit} of the bloc's net imports a year (the pace limit)",
        (
            ("Net imports\n[t/yr]", None),
            ("Bought /\nimports", 2),
            (f"Alone at\n{limit}/yr", None),
            ("Absorbed/yr:\nimports", None),
            ("world\noutput", 1),
        ),
    )
    for r in frame.to_dict("records"):
        known = math.isfinite(r["imports"])
        table.add_row(
            str(r["element"]),
            fmt(r["tonnes"]),
            fmt(r["imports"]) if known else "no data",
            _of_imports(r["of_imports"], known),
            duration(r["years"]),
            pct(r["absorbed_imports"]) if known else "no data",
            pct(r["absorbed"]) if math.isfinite(r["supply"]) else "no data",
        )
    a = frame.attrs
    caption = _time_line(frame)
    caption += (
        f"Net imports: the bloc's demand less its own {a['import_stage']} output "
        "(supply.csv), at least 0. "
    )
    if a["max_import_share"] == DEFAULT_MAX_IMPORT_SHARE:
        caption += (
            f"The limit, {limit}, is the default: an estimate from the US DLA's cobalt tender "
            f"against US net imports ({MAX_IMPORT_SHARE_SOURCE}); --max-import-share sets another"
        )
    else:
        caption += f"The limit, {limit}, was given (default {pct(DEFAULT_MAX_IMPORT_SHARE)})"
    if a["not_imported"]:
        caption += (
            f"; the bloc's own output covers its demand for {', '.join(a['not_imported'])}, so "
            "a limit on imports allows none of it to be bought: use --pace output"
        )
    if a["no_imports"]:
        notes = a.get("import_notes", {})
        why = {notes.get(el, "") for el in a["no_imports"]}
        caption += (
            f"; no import figure for {', '.join(a['no_imports'])}, so their pace is not known"
        )
        if len(why) == 1 and (only := why.pop()):
            caption += f" ({only.removeprefix('no data: ')})"
    table.caption = caption
    return table


def _of_imports(share: float, known: bool) -> str:
    """The purchase over a year's net imports: ``∞`` where the bloc imports none."""
    if not known:
        return "no data"
    return "∞" if math.isinf(share) else pct(share)


def price_note(frame: pd.DataFrame, markets: Sequence[Mapping[str, Any]]) -> str:
    """What the prices are and what their range changes, in words."""
    if frame.attrs.get("pace") == "imports":
        limit = f"{pct(frame.attrs['max_import_share'])} of the bloc's imports"
    else:
        limit = f"{pct(frame.attrs['max_share'])} of world output"
    text = (
        "Prices are taken as given: nothing here moves a price, though buying "
        f"{limit} a year would itself push it up. "
    )
    if frame.attrs.get("asked") == "days":
        lo, _, hi = frame.attrs["costs"]
        text += (
            f"The price range changes what the days cost ({usd(lo)}-{usd(hi)}), not the "
            "tonnes or the time. "
        )
    else:
        first = frame.iloc[0]
        lo, _, hi = frame.attrs["years"]
        text += (
            f"The price range changes what the budget buys ({fmt(first['tonnes_low'])}-"
            f"{fmt(first['tonnes_high'])} t of {first['element']}) and so the time "
            f"({span(lo, hi)}), not the pace. "
        )
    cheap, dear = 0.0, 0.0
    for el in frame["element"]:
        costs = [m["cost"] for m in markets if m["element"] == el and math.isfinite(m["cost"])]
        cheap += min(costs, default=math.nan)
        dear += max(costs, default=math.nan)
    if math.isfinite(cheap):
        text += (
            f"At the markets below the same tonnes cost {usd(cheap)} (each element where "
            f"it is cheapest) to {usd(dear)} (where dearest)."
        )
    return text


def market_table(markets: Sequence[Mapping[str, Any]], *, title: str) -> PlainTable:
    """Per element and market of ``prices.csv``: the period, the price and the cost of the
    tonnes bought (a market in a currency without a rate says which rate to give)."""
    table = PlainTable(
        title=title, box=box.SIMPLE_HEAVY, title_justify="left", every_column=EVERY_COLUMN
    )
    table.add_column("Element", no_wrap=True)
    table.add_column("Market", min_width=16)
    table.add_column("Year", no_wrap=True)
    table.add_column("Period", drop=1, min_width=10)
    table.add_column("Price\n[USD/kg]", justify="right", no_wrap=True)
    table.add_column("Cost", justify="right", no_wrap=True)
    last = None
    for m in markets:
        if last is not None and m["element"] != last:
            table.add_section()
        last = m["element"]
        if m["why"]:
            price, cost = "–", str(m["why"]).replace("in ", "", 1).split(":")[0] + ": no rate"
        else:
            spread = f" ({fmt(m['low'])}-{fmt(m['high'])})"
            price = fmt(m["price"]) + ("" if fmt(m["low"]) == fmt(m["high"]) else spread)
            cost = usd(m["cost"])
        table.add_row(
            str(m["element"]), str(m["market"]), str(m["year"]), str(m["period"]), price, cost
        )
    if any(m["why"] for m in markets):
        example = next(str(m["why"]).split("give ", 1)[-1] for m in markets if m["why"])
        table.caption = f"A market with no rate is priced in another currency: give {example}"
    return table
