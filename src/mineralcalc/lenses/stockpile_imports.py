"""The second basis of a stockpile's pace: the bloc's net imports a year.

The project has no trade table, so a bloc's imports are read as its net import requirement:
its demand for an element (:func:`mineralcalc.lenses.security.bloc_demand`) less its own output
of the element at the stage a stockpile buys, floored at zero. A stockpile buys what
``prices.csv`` prices: separated rare-earth oxide (refined metal or chemicals for the other
commodities), the ``refining`` stage of ``supply.csv`` (:data:`IMPORT_STAGE`; rare-earth
separation), so own output is the bloc's share of that stage times the world's output there, as
:func:`mineralcalc.lenses.security.self_sufficiency` counts it, and imports are its
``import_gap`` at that stage. Where that output is "no data" (the tables name none of the
bloc's members among the stage's producers, or hold no figures for it), the imports are NaN,
never a silent 0 output. A member the tables leave in the unnamed rest makes own output a floor
and the imports a ceiling (the note says so).

:func:`check_pace` checks the pace arguments of :func:`mineralcalc.lenses.stockpiles.stockpile`
together, each refusal naming its argument.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import VolumeError
from .security import self_sufficiency
from .stockpile_pace import DEFAULT_MAX_IMPORT_SHARE, DEFAULT_MAX_SHARE, check_max_share

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["IMPORT_STAGE", "PACES", "bloc_imports", "check_pace"]

IMPORT_STAGE = "refining"
"""The stage whose own output a bloc's imports are counted against: the separated oxide (and
refined metal or chemicals) that ``prices.csv`` prices and a stockpile buys."""

PACES = ("output", "imports")
"""What a stockpile's pace is limited by: a share of world output, or of the bloc's imports."""


def check_pace(
    pace: object,
    max_share: object = None,
    max_import_share: object = None,
    *,
    flags: bool = False,
) -> tuple[str, float | None, float | None]:
    """The pace arguments checked together: the basis and its limit.

    Parameters
    ----------
    pace : str
        ``"output"`` (purchases within ``max_share`` of world output a year) or ``"imports"``
        (within ``max_import_share`` of the bloc's net imports a year).
    max_share : float or str, optional
        Only on the output basis; default
        :data:`~mineralcalc.lenses.stockpile_pace.DEFAULT_MAX_SHARE`.
    max_import_share : float or str, optional
        Only on the imports basis; default
        :data:`~mineralcalc.lenses.stockpile_pace.DEFAULT_MAX_IMPORT_SHARE`.
    flags : bool
        Name the command line's flags (``--pace``, ``--max-share``, ``--max-import-share``)
        in messages instead of the arguments.

    Returns
    -------
    tuple
        The basis, the share of world output (None on the imports basis) and the share of
        imports (None on the output basis), as fractions.

    Raises
    ------
    VolumeError
        An unknown basis; a share given for the basis not asked (``max_import_share`` with
        ``pace="output"``, ``max_share`` with ``pace="imports"``); a share not above 0 and at
        most 100 %.
    """
    names = ("--pace", "--max-share", "--max-import-share") if flags else None
    p_name, s_name, i_name = names or ("pace", "max_share", "max_import_share")
    if not isinstance(pace, str) or pace.strip().lower() not in PACES:
        raise VolumeError(
            f"{p_name} {pace!r}: give 'output' (a share of world output a year) or 'imports' "
            "(a share of the bloc's net imports a year)"
        )
    basis = pace.strip().lower()
    if basis == "output":
        if max_import_share is not None:
            raise VolumeError(
                f"{i_name} {max_import_share!r} limits the pace by the bloc's imports, but the "
                f"pace is limited by world output ({p_name} output): give {p_name} imports "
                f"with it, or leave it out"
            )
        share = DEFAULT_MAX_SHARE if max_share is None else check_max_share(max_share, s_name)
        return basis, share, None
    if max_share is not None:
        raise VolumeError(
            f"{s_name} {max_share!r} is a share of world output, but the pace is limited by the "
            f"bloc's imports ({p_name} imports): give the share of imports as {i_name}, or "
            f"leave {s_name} out"
        )
    imports = (
        DEFAULT_MAX_IMPORT_SHARE
        if max_import_share is None
        else check_max_share(max_import_share, i_name, of="the bloc's net imports")
    )
    return basis, None, imports


def bloc_imports(
    demand: Demand,
    bloc: str | Iterable[str],
    *,
    year: int | None = None,
    elements: str | Iterable[str] = ("Nd", "Pr", "Dy", "Tb"),
) -> pd.DataFrame:
    """A bloc's net imports of each element a year: its demand less its own output at
    :data:`IMPORT_STAGE`, at least 0.

    Parameters
    ----------
    demand : Demand
        The world's demand (:func:`mineralcalc.demand`).
    bloc : str or iterable of str
        A group of ``country_groups.csv``, a country, or a list of them.
    year : int, optional
        One of the demand's years (default: the last).
    elements : str or iterable of str
        Element symbols or groups.

    Returns
    -------
    DataFrame
        Per element: ``demand`` (the bloc's) [t/yr], ``own`` (its output at the stage)
        [t/yr], ``imports`` [t/yr] (NaN: no data, the bloc's output at the stage is not
        known), ``sources`` (the stage's source keys, ``;``-separated) and ``note`` (why there
        is no data, or that own output is a floor). ``attrs``: ``stage``, ``sources``.
    """
    suff = self_sufficiency(
        demand,
        bloc,
        year=year,
        elements=[elements] if isinstance(elements, str) else list(elements),
        stages=[IMPORT_STAGE],
    )
    out = pd.DataFrame(
        {
            "element": suff["element"],
            "demand": suff["demand"],
            "own": suff["supply"],
            "imports": suff["import_gap"],
            "sources": suff["sources"],
            "note": suff["note"],
        }
    ).reset_index(drop=True)
    out.attrs.update(
        stage=IMPORT_STAGE,
        sources=sorted(suff.attrs["supply_sources"].get(IMPORT_STAGE, [])),
    )
    return out
