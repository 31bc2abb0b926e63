"""The catalog: an immutable set of items, compiled once into the engine's arrays.

A :class:`Catalog` checks what needs the whole graph (unknown children, the dimension of
every part line against ``child basis / parent basis``, cycles, balance parts and mass
fractions over 100 %) when it is built, converts every line once to float64 arrays, and
caches the exploded intensities. Catalogs never change: :meth:`Catalog.add` returns a new one.

Every catalog holds the chemical elements (by symbol, basis ``kg``) and the rare-earth
oxides (``Nd2O3`` ..., compositions from atomic masses), so item definitions can refer to
them directly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Any, overload

import numpy as np
import pandas as pd
import pint

from .. import elements as _el
from ..errors import DimensionError, ItemError, MineralcalcError, UnknownItemError, suggest
from ..estimate import Estimate
from ..units import conversion_factor, is_mass, parse_unit, show_unit
from .graph import BASES, CENTRAL, HIGH, LOW, Graph, build_graph
from .items import Item, Part

__all__ = ["Catalog"]

_TOL = 1e-9  # tolerance on mass fractions adding to 1
_KG = parse_unit("kg")


def _builtin_items() -> list[Item]:
    items = [Item(e.symbol, "kg", name=e.name, kind="element") for e in _el.ELEMENTS.values()]
    for ox in _el.OXIDES.values():
        items.append(
            Item(
                ox.formula,
                "kg",
                {ox.element: Part(ox.metal_fraction), "O": "balance"},
                name=f"{_el.ELEMENTS[ox.element].name} oxide",
                kind="material",
                sources=("periodictable",),
                note="metal fraction from standard atomic masses",
            )
        )
    return items


_BUILTIN: list[Item] | None = None
_DEFAULT: Catalog | None = None
_LOCK = threading.Lock()


def builtin_items() -> list[Item]:
    """The elements and rare-earth oxides every catalog holds."""
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = _builtin_items()
    return _BUILTIN


class Catalog:
    """An immutable, validated set of items with their exploded element intensities.

    Parameters
    ----------
    items : iterable of Item
        The items besides the built-in elements and oxides. An id may appear once.
    sources : mapping of str to mapping, optional
        Source records by key (citation, year, url, quality), as in ``tables/sources.csv``.

    Raises
    ------
    ItemError
        Duplicate ids, an item that redefines an element, balance misuse, mass fractions
        over 100 %.
    UnknownItemError
        A part naming an item the catalog does not hold (the message suggests the closest).
    DimensionError
        A part whose amount is not in ``child basis / parent basis``.
    CycleError
        Items containing themselves; the message names the cycle.
    """

    def __init__(
        self,
        items: Iterable[Item] = (),
        *,
        sources: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        table: dict[str, Item] = {it.id: it for it in builtin_items()}
        builtin = set(table)
        user: dict[str, Item] = {}
        for it in items:
            if not isinstance(it, Item):
                raise ItemError(f"a catalog holds Item objects, got {it!r}")
            if it.id in builtin:
                what = "element" if it.id in _el.ELEMENTS else "built-in oxide"
                raise ItemError(f"item {it.id!r}: that id is a {what}; choose another id")
            if it.id in user:
                raise ItemError(f"item {it.id!r} is defined twice; ids must be unique")
            user[it.id] = it
        table.update(user)
        self._items: Mapping[str, Item] = MappingProxyType(table)
        self._user = tuple(user)
        self._sources: Mapping[str, Mapping[str, Any]] = MappingProxyType(dict(sources or {}))
        self._lock = threading.Lock()
        self._targets: dict[Any, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._compile()

    # ----------------------------------------------------------------- construction
    @classmethod
    def default(cls) -> Catalog:
        """The catalog of the shipped tables, loaded once on first use and then shared."""
        global _DEFAULT
        with _LOCK:
            if _DEFAULT is None:
                from ..data.catalog_tables import load_tables, shipped_tables

                _DEFAULT = load_tables(shipped_tables())
            return _DEFAULT

    @classmethod
    def from_tables(cls, folder: Any, *, merge: bool = True) -> Catalog:
        """A catalog from a folder of tables (``items.csv``, ``parts.csv``, ``sources.csv``).

        Parameters
        ----------
        folder : path
            The folder; see ``tables/README.md`` for the columns.
        merge : bool, default True
            Put the user's items over the shipped ones (an item with an existing id replaces
            it, with all its part lines). ``False``: the user's tables alone.

        Raises
        ------
        TableError
            ``file:row: column: problem (hint)`` for any bad cell, missing column, unknown
            unit or key, duplicate or empty file.
        """
        from ..data.catalog_tables import load_tables

        return load_tables(folder, base=cls.default() if merge else None)

    def to_tables(self, folder: Any, *, overwrite: bool = False) -> list[Any]:
        """Write this catalog's own items as ``items.csv``, ``parts.csv``, ``sources.csv``
        (see :func:`mineralcalc.tables.write_tables`); ``from_tables`` reads them back."""
        from ..data.catalog_tables import write_tables

        return write_tables(self, folder, overwrite=overwrite)

    def add(self, *items: Item, replace: bool = False) -> Catalog:
        """A new catalog with ``items`` added.

        Parameters
        ----------
        *items : Item
        replace : bool, default False
            Let an item replace the one with its id; otherwise that is an error.
        """
        current = {i: self._items[i] for i in self._user}
        for it in items:
            if isinstance(it, Item) and it.id in current and not replace:
                raise ItemError(
                    f"item {it.id!r} is already in the catalog; pass replace=True to replace it"
                )
        new_ids = {it.id for it in items if isinstance(it, Item)}
        kept = [it for i, it in current.items() if i not in new_ids]
        return Catalog([*kept, *items], sources=self._sources)

    # ----------------------------------------------------------------- mapping face
    def __getitem__(self, item_id: str) -> Item:
        try:
            return self._items[item_id]
        except (KeyError, TypeError):
            raise self._unknown(item_id) from None

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __rich__(self) -> Any:
        from ..present.tables import catalog_table

        return catalog_table(self)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><b>{pid}</b></td><td>{it.basis_text}</td><td>{it.name or ''}</td>"
            f"<td>{', '.join(self.alternatives(pid))}</td></tr>"
            for pid, it in sorted(self.products.items())
        )
        head = "<tr><th>product</th><th>per</th><th>name</th><th>alternatives</th></tr>"
        return f"<table><caption>{repr(self)[1:-1]}</caption>{head}{rows}</table>"

    def __repr__(self) -> str:
        return (
            f"<Catalog: {len(self._user)} items, {len(self.products)} products, "
            f"{self._graph.parent.size} part lines>"
        )

    @property
    def items(self) -> Mapping[str, Item]:
        """Every item by id, the built-in elements and oxides included."""
        return self._items

    @cached_property
    def products(self) -> Mapping[str, Item]:
        """The products: items of kind ``'product'``, and items of no kind that nothing contains.

        Disputed alternatives are left out (see :meth:`alternatives`); volumes may still name them.
        """
        contained = {c for it in self._items.values() for c in it.parts}
        return MappingProxyType(
            {
                i: it
                for i, it in self._items.items()
                if it.alternative_of is None
                and (it.kind == "product" or (it.kind is None and i not in contained))
            }
        )

    def kind(self, item_id: str) -> str:
        """The item's kind, inferred where it was not given."""
        it = self[item_id]
        if it.kind:
            return it.kind
        if item_id in self.products:
            return "product"
        return "material" if is_mass(it.basis) else "component"

    def _unknown(self, item_id: object, where: str = "", *, kind: str = "item") -> UnknownItemError:
        """An unknown id, with suggestions drawn from names of the kind asked for.

        ``kind='product'`` suggests products, then (for a close match only) other items that
        are not elements; never a list of chemical elements for a product name.
        """
        prefix = f"{where}: " if where else ""
        name = str(item_id)
        if kind == "product":
            products = sorted(self.products)
            others = [i for i in self._user if i not in self.products]
            close = suggest(name, products)
            if not close.startswith("did you mean"):
                near = suggest(name, others)
                close = near if near.startswith("did you mean") else (
                    f"products include {', '.join(repr(p) for p in products[:8])}"
                    + (f" and {len(products) - 8} more" if len(products) > 8 else "")
                    + "; 'mineralcalc products' lists them"
                )  # fmt: skip
            return UnknownItemError(f"{prefix}unknown product {name!r} ({close})")
        return UnknownItemError(f"{prefix}unknown item {name!r} ({suggest(name, self._items)})")

    # ----------------------------------------------------------------- alternatives
    def alternatives(self, item_id: str) -> tuple[str, ...]:
        """Ids of the items that are disputed alternatives of ``item_id`` (other sources'
        figures for the same thing), selectable with :meth:`use`."""
        self[item_id]
        return tuple(i for i, it in self._items.items() if it.alternative_of == item_id)

    def use(self, *alternatives: str) -> Catalog:
        """A new catalog in which each alternative replaces the item it is an alternative of.

        The replaced item keeps its id (so volumes and scenarios still name it) and takes the
        alternative's basis, parts and sources.

        Examples
        --------
        >>> cat = Catalog.default().use("smartphone_press")  # doctest: +SKIP
        """
        current = {i: self._items[i] for i in self._user}
        for alt_id in alternatives:
            alt = self[alt_id]
            if alt.alternative_of is None:
                listed = [i for i, it in current.items() if it.alternative_of]
                raise ItemError(
                    f"{alt_id!r} is not an alternative of another item ({suggest(alt_id, listed)})"
                )
            old = self._items[alt.alternative_of]
            current[old.id] = old.with_parts(
                alt.parts, basis=alt.basis, sources=alt.sources, origin=alt.origin,
                note=f"alternative {alt_id!r} in use: {alt.note or ''}",
            )  # fmt: skip
        return Catalog(current.values(), sources=self._sources)

    # ----------------------------------------------------------------- sources
    def sources(self, item_id: str, *, recursive: bool = True) -> pd.DataFrame:
        """The sources behind an item's numbers, and those of its disputed alternatives.

        Parameters
        ----------
        item_id : str
        recursive : bool, default True
            Include the sources of every item below it in the graph.

        Returns
        -------
        DataFrame
            One row per (source, item, part) use: ``source``, ``item``, ``part``, ``value``,
            ``alternative`` (the alternative's id for rows behind an alternative, else empty),
            and the source's ``citation``, ``year``, ``url``, ``quality`` where known.
        """
        rows: list[dict[str, Any]] = []
        for root, alt in [(item_id, None), *((a, a) for a in self.alternatives(item_id))]:
            todo: list[str] = [root]
            seen: set[str] = set()
            while todo:
                i = todo.pop()
                if i in seen:
                    continue
                seen.add(i)
                it = self._items[i]
                rows.extend(
                    {"source": s, "item": i, "part": None, "value": None, "alternative": alt}
                    for s in it.sources
                )
                for c, p in it.parts.items():
                    if p.source:
                        rows.append(
                            {"source": p.source, "item": i, "part": c, "value": str(p),
                             "alternative": alt}
                        )  # fmt: skip
                    if recursive:
                        todo.append(c)
        cols = ["source", "item", "part", "value", "alternative"]
        frame = pd.DataFrame(rows, columns=cols)
        meta = pd.DataFrame.from_dict(dict(self._sources), orient="index")
        if not meta.empty and not frame.empty:
            frame = frame.join(meta, on="source")
        return frame.drop_duplicates().reset_index(drop=True)

    @property
    def source_table(self) -> Mapping[str, Mapping[str, Any]]:
        """Every source record by key."""
        return self._sources

    # ----------------------------------------------------------------- compilation
    def _compile(self) -> None:
        ids = list(self._items)
        index = {i: n for n, i in enumerate(ids)}
        parent: list[int] = []
        child: list[int] = []
        amount: list[tuple[float, float, float]] = []
        inv_yield: list[tuple[float, float, float]] = []
        balance: list[bool] = []
        mass_frac: list[bool] = []
        amount_dist: list[str] = []
        yield_dist: list[str] = []
        recycled: list[tuple[float, float, float]] = []
        recycled_dist: list[str] = []
        factors: dict[tuple[pint.Unit, pint.Unit, pint.Unit], float] = {}
        for pid, it in self._items.items():
            pn = index[pid]
            for cid, part in it.parts.items():
                cn = index.get(cid)
                where = f"item {pid!r}, part {cid!r}"
                if part.origin:
                    where = f"{part.origin}: {where}"
                if cn is None:
                    raise self._unknown(cid, where)
                ch = self._items[cid]
                if part.amount is None:  # balance
                    if not is_mass(ch.basis):
                        raise ItemError(
                            f"{where}: a 'balance' part must be a mass (its basis is "
                            f"{show_unit(ch.basis)!r})"
                        )
                    vals = (0.0, 0.0, 0.0)
                else:
                    key = (part.amount.unit, ch.basis, it.basis)
                    f = factors.get(key)
                    if f is None:
                        f = factors[key] = _line_factor(part.amount, ch, it, where)
                    lo, c, hi = part.amount.values()
                    vals = (lo * f, c * f, hi * f)
                ylo, yc, yhi = part.yield_.values()
                parent.append(pn)
                child.append(cn)
                amount.append(vals)
                inv_yield.append((1.0 / yhi, 1.0 / yc, 1.0 / ylo))
                balance.append(part.amount is None)
                mass_frac.append(is_mass(ch.basis) and is_mass(it.basis))
                amount_dist.append("fixed" if part.amount is None else part.amount.dist)
                yield_dist.append(part.yield_.dist)
                recycled.append(part.recycled.values() if part.has_loss else (0.0, 0.0, 0.0))
                recycled_dist.append(part.recycled.dist if part.has_loss else "fixed")
        for it in self._items.values():
            if it.alternative_of is not None:
                target = self._items.get(it.alternative_of)
                where = f"{it.origin}: item {it.id!r}" if it.origin else f"item {it.id!r}"
                if target is None:
                    raise self._unknown(it.alternative_of, f"{where}: alternative_of")
                if target.basis != it.basis:
                    raise ItemError(
                        f"{where}: an alternative must have the basis of {target.id!r} "
                        f"({show_unit(target.basis)!r}), not {show_unit(it.basis)!r}"
                    )
        par = np.asarray(parent, dtype=np.int64)
        amt = np.asarray(amount, dtype=np.float64).reshape(-1, 3).T
        bal = np.asarray(balance, dtype=bool)
        mf = np.asarray(mass_frac, dtype=bool)
        self._child_of_line = np.asarray(child, dtype=np.int64)
        self._check_fractions(ids, par, amt, bal, mf)
        leaves = sorted({c for c in child if ids[c] in _el.ELEMENTS}, key=lambda n: n)
        self._dists = (tuple(amount_dist), tuple(yield_dist), tuple(recycled_dist))
        self._ids = ids
        self._index = index
        self._symbols = tuple(ids[n] for n in leaves)
        self._col = {s: k for k, s in enumerate(self._symbols)}
        self._graph: Graph = build_graph(
            len(ids),
            par,
            np.asarray(child, dtype=np.int64),
            amt,
            np.asarray(inv_yield, dtype=np.float64).reshape(-1, 3).T,
            bal,
            np.asarray(leaves, dtype=np.int64),
            names=ids,
            recycled=np.asarray(recycled, dtype=np.float64).reshape(-1, 3).T,
        )

    def _check_fractions(
        self, ids: list[str], par: np.ndarray, amt: np.ndarray, bal: np.ndarray, mf: np.ndarray
    ) -> None:
        n = len(ids)
        if not par.size:
            return
        has_bal = np.zeros(n, dtype=bool)
        has_bal[par[bal]] = True
        bad_sib = np.flatnonzero(has_bal[par] & ~bal & ~mf)
        if bad_sib.size:
            p = ids[par[bad_sib[0]]]
            raise ItemError(
                f"{self._where(p)}: has a 'balance' part, so every other part must be a mass "
                "fraction of a mass-basis child"
            )
        line_over = np.flatnonzero(mf & ~bal & (amt[HIGH] > 1 + _TOL))
        if line_over.size:
            k = int(line_over[0])
            p, c = ids[par[k]], self._line_child(ids, k)
            raise ItemError(
                f"{self._where(p)}, part {c!r}: its high value {amt[HIGH][k]:.2%} is over 100 %: "
                "a kilogram cannot hold more than a kilogram (check the range and its unit)"
            )
        sums = [np.bincount(par[mf], weights=amt[k][mf], minlength=n) for k in (LOW, CENTRAL, HIGH)]
        over = np.flatnonzero(sums[CENTRAL] > 1 + _TOL)
        if over.size:
            p = int(over[0])
            raise ItemError(
                f"{self._where(ids[p])}: its mass fractions add up to {sums[CENTRAL][p]:.2%} "
                "(central values): a kilogram cannot hold more than a kilogram (check the "
                "units, or put the process loss in a yield)"
            )
        over = np.flatnonzero(has_bal & (sums[HIGH] > 1 + _TOL))
        if over.size:
            p = int(over[0])
            raise ItemError(
                f"{self._where(ids[p])}: the high values of its parts add up to "
                f"{sums[HIGH][p]:.2%}, leaving no room for the 'balance' part: lower those highs "
                "or give the balance part as an amount"
            )

    def _line_child(self, ids: list[str], line: int) -> str:
        return ids[int(self._child_of_line[line])]

    def _where(self, item_id: str) -> str:
        origin = self._items[item_id].origin
        return f"{origin}: item {item_id!r}" if origin else f"item {item_id!r}"

    # ----------------------------------------------------------------- intensities
    @property
    def graph(self) -> Graph:
        """The compiled graph (for the engine and benchmarks)."""
        return self._graph

    @property
    def element_columns(self) -> tuple[str, ...]:
        """The elements that some part line reaches, in the engine's column order."""
        return self._symbols

    @property
    def _element_matrices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.element_matrices("mined")

    def element_matrices(self, basis: str = "mined") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Low, central, high kg of every element column per basis-unit of every item.

        Each array has shape (items, :attr:`element_columns`); computed once per basis.
        """
        basis = check_basis(basis)
        key = ("matrices", basis)
        cached = self._targets.get(key)
        if cached is None:
            g = self._graph
            rhs = np.eye(len(self._symbols))
            c = g.central(rhs, basis)
            lo, hi = g.bounds(rhs, c, basis)
            cached = (lo, c, hi)
            with self._lock:
                self._targets[key] = cached
        return cached

    def _target(
        self,
        symbols: tuple[str, ...],
        weights: tuple[float, ...] | None = None,
        basis: str = "mined",
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Low, central, high content of a (weighted) set of elements in every item.

        In kg per basis-unit of each item; with ``weights``, the sum of each element's mass
        times its weight (e.g. 1 / metal fraction for an oxide-equivalent mass). Bounds are
        exact for the weighted sum as a whole.
        """
        key = (symbols, weights, basis)
        cached = self._targets.get(key)
        if cached is not None:
            return cached
        w_of = dict(zip(symbols, weights or (1.0,) * len(symbols), strict=True))
        own = np.zeros(len(self._ids))  # elements no line reaches count only for themselves
        for s in symbols:
            if s not in self._col:
                own[self._index[s]] = w_of[s]
        cols = [self._col[s] for s in symbols if s in self._col]
        if len(cols) <= 1 and weights is None:
            lo_m, c_m, hi_m = self.element_matrices(basis)
            if cols:
                k = cols[0]
                out = (lo_m[:, k] + own, c_m[:, k] + own, hi_m[:, k] + own)
            else:
                out = (own, own, own)
        else:
            w = np.zeros((len(self._symbols), 1))
            for s in symbols:
                if s in self._col:
                    w[self._col[s], 0] = w_of[s]
            c = self._graph.central(w, basis)
            lo, hi = self._graph.bounds(w, c, basis)
            out = (lo[:, 0] + own, c[:, 0] + own, hi[:, 0] + own)
        with self._lock:
            self._targets[key] = out
        return out

    def rows(self, item_ids: Iterable[str]) -> np.ndarray:
        """Engine row index of each item id (raises UnknownItemError with a suggestion)."""
        out = []
        for i in item_ids:
            n = self._index.get(i)
            if n is None:
                raise self._unknown(i)
            out.append(n)
        return np.asarray(out, dtype=np.int64)

    @overload
    def intensity(
        self,
        product_id: str,
        element: None = None,
        *,
        unit: str | None = None,
        basis: str = "mined",
    ) -> pd.DataFrame: ...

    @overload
    def intensity(
        self, product_id: str, element: str, *, unit: str | None = None, basis: str = "mined"
    ) -> Estimate: ...

    def intensity(
        self,
        product_id: str,
        element: str | None = None,
        *,
        unit: str | None = None,
        basis: str = "mined",
    ) -> pd.DataFrame | Estimate:
        """Element content of one basis-unit of an item, with exact low/high bounds.

        Parameters
        ----------
        product_id : str
            Any item id (a product, component or material).
        element : str, optional
            An element or group (``'Nd'``, ``'magnet REE'``): return that one as an
            :class:`Estimate` instead of a table.
        unit : str, optional
            Unit of the result, a mass per the item's basis (default ``'kg/<basis>'``).
        basis : {'mined', 'gross', 'contained'}, default ``'mined'``
            What the masses mean: to be mined (closed loops netted out), passing through the
            processes (scrap included), or contained in the item (see
            :data:`mineralcalc.engine.BASES`).

        Returns
        -------
        DataFrame or Estimate
            Without ``element``: index ``element``, columns ``low``, ``central``, ``high``
            in ``unit`` (also in ``frame.attrs['unit']``), elements with any content, by
            central value, largest first.

        Examples
        --------
        >>> cat = Catalog([Item("phone", parts={"Nd": "0.16 g"}, kind="product")])
        >>> cat.intensity("phone", "Nd", unit="g/unit")
        Estimate('0.16 g/unit', dist='fixed')
        """
        it = self[product_id]
        base = _KG / it.basis
        out_unit = parse_unit(unit) if unit else base
        try:
            f = conversion_factor(base, out_unit)
        except DimensionError as e:
            raise DimensionError(
                f"unit {unit!r} for the intensity of {product_id!r}: {e} "
                f"(use a mass per {show_unit(it.basis)})"
            ) from None
        n = self._index[product_id]
        basis = check_basis(basis)
        if element is not None:
            lo, c, hi = (v[n] * f for v in self._target(_el.resolve(element), None, basis))
            return Estimate._raw(
                float(lo), float(c), float(hi), out_unit, "triangular" if lo < hi else "fixed"
            )
        lo_m, c_m, hi_m = self.element_matrices(basis)
        frame = pd.DataFrame(
            {"low": lo_m[n] * f, "central": c_m[n] * f, "high": hi_m[n] * f},
            index=pd.Index(self._symbols, name="element"),
        )
        if product_id in _el.ELEMENTS and product_id not in self._col:
            frame.loc[product_id] = [f, f, f]
        frame = frame[frame["high"] > 0].sort_values("central", ascending=False, kind="stable")
        frame.attrs["unit"] = show_unit(out_unit)
        return frame


def check_basis(basis: str) -> str:
    """``basis`` if it is one of :data:`~mineralcalc.engine.BASES`, else a clear error."""
    if basis not in BASES:
        raise UnknownItemError(
            f"basis {basis!r} is not one of {', '.join(BASES)} ({suggest(str(basis), BASES)}): "
            "'mined' nets out closed recycling loops, 'gross' counts what passes through "
            "the processes, 'contained' what is in the products"
        )
    return basis


def _line_factor(amount: Estimate, child: Item, parent: Item, where: str) -> float:
    expected = child.basis / parent.basis
    try:
        return conversion_factor(amount.unit, expected)
    except MineralcalcError:
        cb, pb = show_unit(child.basis), show_unit(parent.basis)
        given = show_unit(amount.unit)
        dim = str(expected.dimensionality)
        dim = "a count or fraction" if dim == "dimensionless" else dim
        raise DimensionError(
            f"{where}: amount {amount} has the wrong dimension: it must be {cb} per {pb} "
            f"({dim}), because {child.id!r} is counted in {cb} and {parent.id!r} in {pb}; "
            f"{given!r} is {_dim_text(amount.unit)}"
        ) from None


def _dim_text(unit: pint.Unit) -> str:
    d = str(unit.dimensionality)
    return "a count or fraction" if d == "dimensionless" else d
