"""What ``report --without`` removes, said in words: mine output by the ores the countries
mine, the separation that stays, and the stage that would bind were they to stop at every one."""

from __future__ import annotations

from typing import Any

from ..data.tableset import TableSet
from ..lenses.supply import shipped_years, supply

__all__ = ["binding_stages", "canonical", "without_note"]


def canonical(names: list[str], tables: TableSet | None = None) -> list[str]:
    """Countries and groups as the supply tables spell them (``china`` -> ``China``)."""
    known = supply(shipped_years(tables)[-1], tables).names()
    return [known.canonical(n) or n for n in names]


def without_note(names: list[str], year: int | None, tables: TableSet | None = None) -> str:
    """What a --without removes: mine output, each rare earth from the country's own ores."""
    names = canonical(names, tables)
    years = shipped_years(tables)
    s = supply(year if year in years else years[-1], tables)
    refined = [
        f"{c} {s.share('REE', c, stage='refining'):.0%}"
        for c in names
        if s.share("REE", c, stage="refining") > 0
    ]
    text = (
        f"Without {', '.join(names)}: their mine output is removed, each rare earth by the ores "
        "they mine (the heavies of the clays go with the countries that mine the clays)."
    )
    if refined:
        text += (
            f" Separation and refining stay: {', '.join(refined)} of the world's rare earths "
            "are separated there (IEA), so a refining stop would remove more."
        )
    binds = binding_stages(s, names)
    if binds:
        text += " Were they to stop at every stage, the stage that binds: " + "; ".join(binds) + "."
    return text


def binding_stages(s: Any, names: list[str]) -> list[str]:
    """Per commodity with several stages: the world output left at each stage without
    ``names``, and the stage with the least left (``REE: magnet 6 % left (mining 31 %, ...)``)."""
    gone = s.without(*names)
    out = []
    for commodity in s.commodities:
        stages = s.stages(commodity)
        if len(stages) < 2:
            continue
        left = {}
        for stage in stages:
            whole = s.total(commodity, stage=stage).magnitude
            if whole > 0:
                left[stage] = gone.total(commodity, stage=stage).magnitude / whole
        if len(left) < 2:
            continue
        worst = min(left, key=lambda k: left[k])
        rest = ", ".join(f"{k} {v:.0%}" for k, v in left.items() if k != worst)
        out.append(f"{commodity} {worst} ({left[worst]:.0%} left; {rest})")
    return out
