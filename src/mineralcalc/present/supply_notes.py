"""The lines under a market balance that say what its supply is made of: the lines of supply,
the unrecorded estimate, what a removal of countries takes, and, in a projected year, how far
announced supply falls short."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text

from .text import short

if TYPE_CHECKING:
    import pandas as pd

    from ..lenses.removal import Removal

__all__ = ["shortfall_line", "supply_lines", "unrecorded_line", "without_line"]


def supply_lines(stage: str, basis: str, unrecorded: bool) -> str:
    """What the supply columns hold, line by line, for a stage and demand basis."""
    primary = (
        "refined output (rare earths: mine output times the share of separation left)"
        if stage != "mining"
        else "recorded mine output (USGS, China's quota), each rare earth from the ore types its "
        "producers mine"
    )
    lines = [primary]
    if unrecorded:
        lines.append("unrecorded output (estimates: unrecorded.csv)")
    else:
        lines.append("no unrecorded output (--recorded-only)")
    if basis == "gross":
        lines.append(
            "recycled fabrication scrap (Argus: magnet swarf; the batteries' cell-making scrap "
            "has no published figure, so it is in their demand but not in supply: compare Li, "
            "Ni and Co on the mined basis) and end-of-life recycling"
        )
    else:
        lines.append(
            "end-of-life recycling (recycled magnet swarf and cell-making scrap are netted out "
            "of demand)"
        )
    return " + ".join(lines)


def unrecorded_line(frame: pd.DataFrame, year: Any) -> Text:
    """'Unrecorded (estimate): 11,000 t REO (3,000-78,000 t) ...' for the rare earths of a year,
    or nothing when there is none."""
    rows = frame[frame["year"] == year] if year is not None else frame
    ree = rows[rows["element"] == "REE (REO)"]
    if ree.empty or not (ree["unrecorded"].fillna(0.0) > 0).any():
        return Text("")
    r = ree.iloc[0]
    per = rows[rows["element"].isin(("Nd", "Pr", "Dy", "Tb")) & (rows["unrecorded"] > 0)]
    parts = ", ".join(
        f"{e} {short(v)} t" for e, v in zip(per["element"], per["unrecorded"], strict=True)
    )
    return Text(
        f"Unrecorded rare-earth output (estimate, unrecorded.csv): {short(r['unrecorded'])} t REO "
        f"({short(r['unrecorded_low'])}-{short(r['unrecorded_high'])} t), of which {parts}; "
        "in the supply column and its range, never in the recorded one; --recorded-only leaves "
        "it out.",
        style="dim",
    )


def shortfall_line(frame: pd.DataFrame, year: Any) -> Text:
    """In a projected year: which elements' demand the outlook's announced supply does not
    meet, in t/yr; nothing for a year of recorded figures."""
    rows = frame[(frame["year"] == year) & (frame["outlook"].fillna("") != "")]
    if rows.empty:
        return Text("")
    short_rows = rows[rows["shortfall"].fillna(0.0) > 0]
    if short_rows.empty:
        what = "; ".join(sorted(set(rows["outlook"])))
        return Text(f"{year}: supply follows {what}; it meets every element's demand.", style="dim")
    by_outlook: dict[str, list[str]] = {}
    for e, v, o in zip(
        short_rows["element"], short_rows["shortfall"], short_rows["outlook"], strict=True
    ):
        by_outlook.setdefault(str(o), []).append(f"{e} {short(v)} t/yr")
    gaps = "; ".join(f"{', '.join(g)} (supply: {o})" for o, g in by_outlook.items())
    return Text(
        f"{year}: announced supply falls short of demand by {gaps}. Projects nobody has "
        "announced yet are not in these outlooks, so this is capacity still to be committed, "
        "not a deficit the market will see.",
        style="bold",
    )


def _own_words(own: Mapping[str, Mapping[str, float]], least: float) -> str:
    """'; Dy and Tb: refining 0% left, which binds them' for the elements with their own
    shares at a stage (grouped where they read alike), or nothing."""
    alike: dict[str, list[str]] = {}
    for el, by_stage in own.items():
        words = ", ".join(
            f"{stage} {v:.0%} left" + (", which binds them" if v < least else "")
            for stage, v in by_stage.items()
        )
        alike.setdefault(words, []).append(el)
    return "".join(f"; {' and '.join(els)}: {words}" for words, els in alike.items())


def without_line(removal: Removal) -> Text:
    """What a ``--without`` at mining removes, in words (:func:`~mineralcalc.lenses.removal.removal`
    gives the numbers): mine output by the ores the countries mine, the separation that stays,
    and the stage that would bind were they to stop at every one."""
    text = (
        f"Without {', '.join(removal.countries)}: their mine output is removed, each rare earth "
        "by the ores they mine (the heavies of the clays go with the countries that mine the "
        "clays)."
    )
    if removal.refining:
        refined = ", ".join(f"{c} {v:.0%}" for c, v in removal.refining.items())
        text += (
            f" Separation and refining stay: {refined} of the world's rare earths are separated "
            "there (IEA), so a refining stop would remove more."
        )
    binds = [
        f"{s.commodity} {s.binding} ({s.left[s.binding]:.0%} left; "
        + ", ".join(f"{k} {v:.0%}" for k, v in s.left.items() if k != s.binding)
        + _own_words(s.own, s.left[s.binding])
        + ")"
        for s in removal.stages
    ]
    if binds:
        text += " Were they to stop at every stage, the stage that binds: " + "; ".join(binds) + "."
    return Text(text, style="dim")
