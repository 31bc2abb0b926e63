"""The catalog: an immutable set of items, compiled once into the engine's arrays.

A :class:`Catalog` checks what needs the whole graph (unknown children, the dimension of
every part line against ``child basis / parent basis``, cycles, balance parts and mass
fractions over 100 %) when it is built and converts every line once to float64 arrays
(:mod:`mineralcalc.model.compile`). The engine explodes them and keeps the intensities in the
catalog's cache (:mod:`mineralcalc.engine.intensity`). Catalogs never change:
:meth:`Catalog.add` returns a new one.

Every catalog holds the chemical elements (by symbol, basis ``kg``) and the rare-earth
oxides (``Nd2O3`` ..., compositions from atomic masses), so item definitions can refer to
them directly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Any, Self

import pandas as pd

from .. import elements as _el
from ..data.csvtable import shipped_tables
from ..data.tableset import TableSet, shipped_table_set
from ..errors import ItemError, UnknownItemError, suggest
from ..units import is_mass
from .catalog_arrays import Cache, CatalogArrays
from .compile import compile_items
from .items import Item, builtin_items
from .provenance import alternatives_of, source_keys, sources_frame
from .records import load_items

__all__ = ["Catalog"]


_DEFAULTS: dict[type, Any] = {}  # the shipped catalog, one per class (the facade's and this)
_LOCK = threading.Lock()


class Catalog(CatalogArrays):
    """An immutable, validated set of items with their exploded element intensities.

    Parameters
    ----------
    items : iterable of Item
        The items besides the built-in elements and oxides. An id may appear once.
    sources : mapping of str to mapping, optional
        Source records by key (citation, year, url, quality), as in ``tables/sources.csv``.
    tables : TableSet, optional
        The other tables computed with this catalog (world output, prices, lifetimes ...):
        a user's folder over the shipped tables (:meth:`from_tables` sets it), default the
        shipped ones.

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
        tables: TableSet | None = None,
    ) -> None:
        self.tables: TableSet = shipped_table_set() if tables is None else tables
        """The tables besides items and parts that answers about this catalog use."""
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
        self.cache = Cache()
        """Answers computed from this catalog and kept with it (it never changes): the
        engine's intensities (:mod:`mineralcalc.engine.intensity`)."""
        c = compile_items(self._items, self.unknown_item_error)
        self.compiled = c
        """The items as the engine's arrays (:class:`~mineralcalc.model.compile.Compiled`):
        row ids and index, the graph, distributions, element columns, child of each line."""
        self._ids, self._index, self._graph, self._dists = c.ids, c.index, c.graph, c.dists
        self._symbols, self._col, self._child_of_line = c.symbols, c.col, c.child_of_line

    # ----------------------------------------------------------------- construction
    @classmethod
    def default(cls) -> Self:
        """The catalog of the shipped tables, loaded once on first use and then shared."""
        with _LOCK:
            if cls not in _DEFAULTS:
                items, sources = load_items(shipped_tables())
                _DEFAULTS[cls] = cls(items, sources=sources)
            cat: Self = _DEFAULTS[cls]
            return cat

    @classmethod
    def from_tables(cls, folder: Any, *, merge: bool = True) -> Self:
        """A catalog from a folder of tables (``items.csv``, ``parts.csv``, ``sources.csv``),
        with every other table of the folder (``supply.csv``, ``prices.csv``,
        ``lifetimes.csv`` ...) in :attr:`tables` for the answers computed with it.

        Parameters
        ----------
        folder : path
            The folder; see ``tables/README.md`` for the columns. A ``.csv`` file in it that is
            no table of mineralcalc is an error. Tables it does not hold are the shipped ones.
        merge : bool, default True
            Put the user's items over the shipped ones (an item with an existing id replaces
            it, with all its part lines). ``False``: the user's tables alone.

        Raises
        ------
        TableError
            ``file:row: column: problem (hint)`` for any bad cell, missing column, unknown
            unit or key, duplicate or empty file.
        """
        if not merge:  # the other tables may still be shipped ones, citing shipped sources
            items, sources = load_items(folder)
            return cls(items, sources=sources, tables=TableSet(folder))
        base = cls.default()
        items, sources = load_items(folder, base.own_items, base.source_table)
        return cls(items, sources=sources, tables=TableSet(folder, sources))

    def add(self, *items: Item, replace: bool = False) -> Self:
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
        return type(self)([*kept, *items], sources=self._sources, tables=self.tables)

    # ----------------------------------------------------------------- mapping face
    def __getitem__(self, item_id: str) -> Item:
        try:
            return self._items[item_id]
        except (KeyError, TypeError):
            raise self.unknown_item_error(item_id) from None

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return (
            f"<Catalog: {len(self._user)} items, {len(self.products)} products, "
            f"{self._graph.parent.size} part lines>"
        )

    @property
    def items(self) -> Mapping[str, Item]:
        """Every item by id, the built-in elements and oxides included."""
        return self._items

    @property
    def own_items(self) -> Mapping[str, Item]:
        """The items besides the built-in elements and oxides, by id."""
        return MappingProxyType({i: self._items[i] for i in self._user})

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

    # ----------------------------------------------------------------- alternatives
    def alternatives(self, item_id: str) -> tuple[str, ...]:
        """Ids of the items that are disputed alternatives of ``item_id`` (other sources'
        figures for the same thing), selectable with :meth:`use`."""
        self[item_id]
        return self._alternatives.get(item_id, ())

    @cached_property
    def _alternatives(self) -> Mapping[str, tuple[str, ...]]:
        return alternatives_of(self._items)

    def source_keys(self, item_ids: Iterable[str]) -> set[str]:
        """The source keys behind some items (and their alternatives), in one walk.

        What ``set(catalog.sources(i)["source"])`` gives for each of ``item_ids``, together,
        without building a table per item: linear in the catalog, not in items x products.
        """
        ids = list(item_ids)
        for i in ids:
            self[i]
        return source_keys(self._items, ids, self._alternatives)

    def use(self, *alternatives: str) -> Self:
        """A new catalog in which each alternative replaces the item it is an alternative of.

        The replaced item keeps its id (so volumes and scenarios still name it) and takes the
        alternative's basis, parts and sources.

        Examples
        --------
        >>> cat = Catalog.default().use("smartphone_press")  # doctest: +SKIP
        """
        current = {i: self._items[i] for i in self._user}
        chosen: dict[str, str] = {}
        for alt_id in dict.fromkeys(alternatives):
            alt = self[alt_id]
            if alt.alternative_of is None:
                listed = [i for i, it in current.items() if it.alternative_of]
                raise ItemError(
                    f"{alt_id!r} is not an alternative of another item ({suggest(alt_id, listed)})"
                )
            old = self._items[alt.alternative_of]
            if old.id in chosen:
                raise ItemError(
                    f"{chosen[old.id]!r} and {alt_id!r} are both alternatives of {old.id!r}: "
                    "use one of them"
                )
            chosen[old.id] = alt_id
            current[old.id] = old.with_parts(
                alt.parts,
                basis=alt.basis,
                sources=alt.sources,
                origin=alt.origin,
                note=f"alternative {alt_id!r} in use: {alt.note or ''}",
            )
        return type(self)(current.values(), sources=self._sources, tables=self.tables)

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
        self[item_id]
        return sources_frame(self._items, self._sources, item_id, recursive=recursive)

    @property
    def source_table(self) -> Mapping[str, Mapping[str, Any]]:
        """Every source record by key."""
        return self._sources

    def with_sources(self, sources: Mapping[str, Mapping[str, Any]]) -> Self:
        """A new catalog with more source records (a scenario's ``[sources]``); a key the
        catalog already holds keeps its record."""
        merged = {**sources, **self._sources}
        return type(self)(self.own_items.values(), sources=merged, tables=self.tables)

    def unknown_item_error(
        self, item_id: object, where: str = "", *, kind: str = "item"
    ) -> UnknownItemError:
        """The error for an id this catalog does not hold, with the closest ids as a hint.

        Parameters
        ----------
        item_id : object
            The id asked for (any object: it is shown with ``str``).
        where : str, optional
            What named it (``'volumes'``, ``"change of 'bev', part 'motor'"``): the message
            starts with ``'<where>: '``.
        kind : {'item', 'product'}, default ``'item'``
            ``'product'`` suggests products, then (for a close match only) other items that
            are not elements; never a list of chemical elements for a product name.

        Returns
        -------
        UnknownItemError
            To raise: ``raise catalog.unknown_item_error(pid, "volumes", kind="product")``.
        """
        prefix = f"{where}: " if where else ""
        name = str(item_id)
        if kind == "product":
            products = sorted(self.products)
            others = [i for i in self._user if i not in self.products]
            close = suggest(name, products)
            if not close.startswith("did you mean"):
                close = suggest(name, others)
            if not close.startswith("did you mean"):
                shown = ", ".join(repr(p) for p in products[:8])
                more = f" and {len(products) - 8} more" if len(products) > 8 else ""
                close = f"products include {shown}{more}; 'mineralcalc products' lists them"
            return UnknownItemError(f"{prefix}unknown product {name!r} ({close})")
        return UnknownItemError(f"{prefix}unknown item {name!r} ({suggest(name, self._items)})")
