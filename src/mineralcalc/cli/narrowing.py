"""``--elements`` and ``--group``: the rows of a market balance a user asks for."""

from __future__ import annotations

import pandas as pd

from ..elements import GROUPS, OXIDE_SUFFIX, family_of, oxide_name, resolve
from ..errors import UnknownItemError, suggest
from .output import CliError

__all__ = ["narrowed"]


def narrowed(frame: pd.DataFrame, elements: list[str], groups: list[str]) -> pd.DataFrame:
    """The rows ``--elements`` and ``--group`` ask for (all without either)."""
    if not elements and not groups:
        return frame
    wanted: set[str] = set()
    for item in (e.strip() for text in elements for e in text.split(",")):
        if not item:
            continue
        try:
            symbols = resolve(item)
        except UnknownItemError as e:
            raise CliError(f"--elements {item!r}: {e}") from None
        wanted |= set(symbols)
        if len(symbols) == 1 and symbols[0] not in set(frame["element"]):
            have = ", ".join(dict.fromkeys(str(e) for e in frame["element"]))
            raise CliError(
                f"--elements {item!r}: this report has no row for {symbols[0]} (no demand or "
                f"supply of it in the scenario; its rows: {have})"
            )
        if len(symbols) > 1 or item.endswith(OXIDE_SUFFIX):  # a group: its REO row too
            base = item.removesuffix(OXIDE_SUFFIX)
            wanted |= {oxide_name(g) for g in GROUPS if g.casefold() == base.casefold()}
    families = {
        "rare earths": "rare earths",
        "ree": "rare earths",
        "battery": "battery minerals",
        "battery minerals": "battery minerals",
        "other": "other",
    }
    for g in groups:
        family = families.get(g.strip().casefold())
        if family is not None:
            wanted |= {e for e in frame["element"] if family_of(e) == family}
            continue
        try:
            wanted |= set(resolve(g))
        except UnknownItemError:
            known = [*families, *GROUPS]
            raise CliError(f"--group {g!r}: not a family or group ({suggest(g, known)})") from None
        wanted |= {oxide_name(k) for k in GROUPS if k.casefold() == g.strip().casefold()}
    chosen = frame[frame["element"].isin(wanted)]
    if chosen.empty:
        asked = ", ".join([*elements, *groups])
        raise CliError(
            f"{asked!r}: this report has no row for it (no demand or supply in the scenario)"
        )
    return chosen
