"""The rows of a market balance as column arrays: every element and group in every year at once.

:func:`~mineralcalc.lenses.market.compare` gathers its inputs as arrays over years and
elements (modelled demand, :class:`~mineralcalc.lenses.other_uses.OtherUses`, each year's
supply through :class:`~mineralcalc.lenses.supply_arrays.SupplyArrays`) and
:func:`balance_columns` turns them into the balance's columns in one pass: the arithmetic of a
row (demand, supply line by line, shares, balance, shortfall) on whole arrays, and only the
notes, which are text, cell by cell. Rows run year by year: the elements in order of atomic
number (those with modelled demand or other uses that year), then the REE groups in REO.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..elements import ELEMENTS, GROUPS, OXIDES, oxide_name
from .market_arithmetic import COLUMNS, Cells, finish, lch, rate_note, row_note
from .other_uses import OtherUses
from .supply import Supply, commodity_of

if TYPE_CHECKING:
    from ..results.demand import Demand

__all__ = ["COLUMNS", "Balance", "balance_columns"]


@dataclass(frozen=True)
class Balance:
    """The columns of a market balance (:func:`balance_columns`).

    Attributes
    ----------
    columns : dict of str to array or list
        One value per row in each column of :data:`COLUMNS` (``year`` as a list of int or
        None).
    names : list of str
        Each row's element or group (``'REE (REO)'``).
    years : list of int or None
        Each row's year.
    """

    columns: dict[str, Any]
    names: list[str]
    years: list[int | None]


def balance_columns(
    demand: Demand,
    *,
    basis: str,
    stage: str,
    groups: Sequence[str],
    modelled: tuple[tuple[str, ...], np.ndarray],
    other: OtherUses | None,
    end_of_life: tuple[dict[str, dict[int, float]], str],
    supplies: Sequence[tuple[Supply, str]],
) -> Balance:
    """The market balance of every element and group in every year, as columns.

    Parameters
    ----------
    demand : Demand
    basis : {'mined', 'gross'}
        The comparison's demand basis.
    stage : str
        The stage of primary supply (canonical name).
    groups : sequence of str
        REE groups to add as rows, in REO.
    modelled : (elements, ndarray)
        Modelled demand (:meth:`Demand.element_array` in t, shape (3, years, elements)).
    other : OtherUses or None
        The other uses (None: the products alone).
    end_of_life : (dict, str)
        End-of-life recycling beyond the base year per element and year [t], and its note.
    supplies : sequence of (Supply, str)
        Each year's supply and how it was obtained
        (:func:`~mineralcalc.lenses.projection.supplies_for`).
    """
    years = list(demand.years)
    elements, tonnes = modelled
    other_at = {el: k for k, el in enumerate(other.elements)} if other is not None else {}
    names = [e for e in ELEMENTS if e in elements or e in other_at]
    present = np.zeros((len(years), len(names)), dtype=bool)
    model = np.zeros((3, len(years), len(names)))
    extra = np.zeros((3, len(years), len(names)))
    extra_note = np.full((len(years), len(names)), "", dtype=object)
    rows_of = [k for k, y in enumerate(years) if y is not None]  # the other uses' year axis
    for u, el in enumerate(names):
        if el in elements:
            present[:, u] = True
            model[:, :, u] = tonnes[:, :, elements.index(el)]
        if other is not None and el in other_at:
            e = other_at[el]
            has = other.present[:, e]
            present[rows_of, u] |= has
            extra[:, rows_of, u] = np.where(has, other.values[:, :, e], 0.0)
            extra_note[rows_of, u] = np.where(has, other.notes[:, e], "")
    cells = _element_cells(
        names, present, model, extra, extra_note, stage, basis, end_of_life, supplies, years
    )
    done = finish(cells)
    g_names = [oxide_name(g) for g in groups]
    g_present, g_cells = _group_cells(
        demand, groups, names, present, cells, done, stage, basis, supplies
    )
    g_done = finish(g_cells)
    keep = np.concatenate([present, g_present], axis=1)
    ys, cols = np.nonzero(keep)
    all_names = [*names, *g_names]
    joined = {k: np.concatenate([done[k], g_done[k]], axis=-1) for k in done}
    outlook = np.concatenate([cells.outlook, g_cells.outlook], axis=1)
    row_notes = []
    for y, c in zip(ys.tolist(), cols.tolist(), strict=True):
        parts = cells.notes[y][c] if c < len(names) else g_cells.notes[y][c - len(names)]
        row_notes.append(row_note(parts, joined, str(outlook[y, c]), y, c))
    supply_year = [s.data_year or s.year for s, _ in supplies]
    columns: dict[str, Any] = {
        "element": [all_names[c] for c in cols],
        "year": [years[y] for y in ys],
        "basis": list(np.concatenate([cells.basis, g_cells.basis], axis=1)[ys, cols]),
        "demand_basis": [basis] * len(ys),
    }
    for name, values in joined.items():
        if name in ("ok", "above"):
            continue
        columns[name] = values[ys, cols]
    columns["supply_year"] = np.array([supply_year[y] for y in ys], dtype=np.int64)
    columns["outlook"] = list(outlook[ys, cols])
    columns["note"] = row_notes
    ordered = {k: columns[k] for k in COLUMNS}
    return Balance(ordered, ordered["element"], ordered["year"])


def _element_cells(
    names: list[str],
    present: np.ndarray,
    model: np.ndarray,
    extra: np.ndarray,
    extra_note: np.ndarray,
    stage: str,
    basis: str,
    end_of_life: tuple[dict[str, dict[int, float]], str],
    supplies: Sequence[tuple[Supply, str]],
    years: list[int | None],
) -> Cells:
    """Supply and notes of every element in every year, the years grouped by the figures
    their supply carries."""
    n_y, n_u = present.shape
    recorded = np.full((n_y, n_u), np.nan)
    unrec = np.zeros((3, n_y, n_u))
    scrap = np.zeros((3, n_y, n_u))
    end = np.zeros((3, n_y, n_u))
    sbasis = np.full((n_y, n_u), "metal", dtype=object)
    snote = np.full((n_y, n_u), "", dtype=object)
    # refined output already holds the recycled feed: only mine output and rare-earth
    # separation get recycling added
    recycled = [stage == "mining" or commodity_of(el) == "REE" for el in names]
    for ys in _by_figures(supplies):
        over = [supplies[y][0] for y in ys]
        cols = [u for u in range(n_u) if present[ys, u].any()]
        syms = [names[u] for u in cols]
        arr = over[0].element_arrays(syms, stage, over=over)
        rows, at = np.ix_(ys, cols)
        recorded[rows, at], sbasis[rows, at], snote[rows, at] = arr.primary, arr.basis, arr.notes
        unrec[:, rows, at] = arr.unrecorded
        rec = [u for u in cols if recycled[u]]
        if not rec:
            continue
        rows, at = np.ix_(ys, rec)
        rec_syms = [names[u] for u in rec]
        if basis == "gross":
            scrap[:, rows, at] = over[0].secondary_arrays(rec_syms, "new scrap", over=over)
        end[:, rows, at] = over[0].secondary_arrays(rec_syms, "end of life", over=over)
    eol, eol_note = end_of_life
    for u, el in enumerate(names):
        if el in eol and recycled[u]:
            for y, year in enumerate(years):
                if year is not None:
                    end[:, y, u] = np.maximum(end[:, y, u] + eol[el].get(int(year), 0.0), 0.0)
    outlook = np.empty((n_y, n_u), dtype=object)
    notes: list[list[list[str]]] = []
    for y, (sup, how) in enumerate(supplies):
        rates: dict[str | None, str] = {}
        row: list[list[str]] = []
        for u, el in enumerate(names):
            c = commodity_of(el)
            outlook[y, u] = sup.outlook_of(c or el)
            if c not in rates:
                rates[c] = rate_note(how, sup, el)
            cell = [snote[y, u], rates[c]]
            if el in eol and eol_note and recycled[u]:
                cell.append(eol_note)
            if extra_note[y, u]:
                cell.append(extra_note[y, u])
            row.append(cell)
        notes.append(row)
    return Cells(model, extra, recorded, unrec, scrap, end, outlook, sbasis, notes)


def _group_cells(
    demand: Demand,
    groups: Sequence[str],
    names: list[str],
    present: np.ndarray,
    cells: Cells,
    done: dict[str, np.ndarray],
    stage: str,
    basis: str,
    supplies: Sequence[tuple[Supply, str]],
) -> tuple[np.ndarray, Cells]:
    """The REE groups' cells, in REO: members' demand and recycling weighted to oxide. A
    member with demand and no supply figure (scandium: no ore type gives it, and USGS's REO
    leaves it out) is left out of the group, said in the note, rather than poisoning it."""
    n_y, n_g = len(supplies), len(groups)
    g_present = np.zeros((n_y, n_g), dtype=bool)
    model, other, scrap, end, unrec = (np.zeros((3, n_y, n_g)) for _ in range(5))
    recorded = np.full((n_y, n_g), np.nan)
    notes: list[list[list[str]]] = [[[] for _ in range(n_g)] for _ in range(n_y)]
    outlook = np.empty((n_y, n_g), dtype=object)
    finite = np.isfinite(done["supply"])
    arrays: dict[tuple[str, ...], np.ndarray] = {}
    for k, g in enumerate(groups):
        col = {el: names.index(el) for el in GROUPS[g] if el in names}
        here = np.zeros((n_y, len(GROUPS[g])), dtype=bool)  # present that year
        bad = np.zeros_like(here)  # present without a supply figure: left out
        for m, el in enumerate(GROUPS[g]):
            if el in col:
                here[:, m] = present[:, col[el]]
                bad[:, m] = here[:, m] & ~finite[:, col[el]]
        g_present[:, k] = (here & ~bad).any(axis=1)
        for y in np.nonzero(g_present[:, k])[0].tolist():
            members = tuple(el for m, el in enumerate(GROUPS[g]) if not bad[y, m])
            if members not in arrays:
                weights = tuple(1.0 / OXIDES[m].metal_fraction for m in members)
                arrays[members] = demand.product_arrays(members, weights, basis).sum(axis=1)
            model[:, y, k] = arrays[members][:, y] / 1000.0
        for m, el in enumerate(GROUPS[g]):
            if el not in col:
                continue
            w = 1.0 / OXIDES[el].metal_fraction
            use = (here[:, m] & ~bad[:, m])[None, :]
            u = col[el]
            other[:, :, k] += np.where(use, cells.other[:, :, u], 0.0) * w
            for acc, name in ((scrap, "new_scrap"), (end, "end_of_life")):
                acc[:, :, k] += np.where(use, np.nan_to_num(lch(done, name)[:, :, u]), 0.0) * w
        for same in _by_figures(supplies):
            ys = [y for y in same if g_present[y, k]]
            if not ys:
                continue
            over = [supplies[y][0] for y in ys]
            arr = over[0].group_arrays(GROUPS[g], stage, over=over)
            recorded[ys, k] = arr.oxide
            unrec[:, ys, k] = arr.unrecorded
            for i, y in enumerate(ys):
                sup, how = supplies[y]
                left_out = [m for j, m in enumerate(GROUPS[g]) if bad[y, j]]
                notes[y][k] = [arr.notes[i], rate_note(how, sup, "REE")]
                if left_out:
                    notes[y][k].append(f"{', '.join(left_out)} left out (no supply data)")
    for y, (sup, _) in enumerate(supplies):
        outlook[y, :] = sup.outlook_of("REE")
    basis_g = np.full((n_y, n_g), "oxide (REO)", dtype=object)
    cells_g = Cells(model, other, recorded, unrec, scrap, end, outlook, basis_g, notes)
    return g_present, cells_g


def _by_figures(supplies: Sequence[tuple[Supply, str]]) -> list[list[int]]:
    """The indices of the years whose supplies carry the same figures (a recorded year, the
    same removals and unrecorded output), in order of first appearance."""
    out: dict[tuple[Any, ...], list[int]] = {}
    for y, (s, _) in enumerate(supplies):
        key = (s.data_year or s.year, s.removed, s.removed_at, s.unrecorded, id(s.tables))
        out.setdefault(key, []).append(y)
    return list(out.values())
