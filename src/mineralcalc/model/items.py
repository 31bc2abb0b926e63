"""Items and part lines: the bill-of-materials model.

Everything is an :class:`Item` of one directed acyclic graph: products, components or
sub-technologies, materials and elements. A :class:`Part` line says how much of a child one
basis-unit of the parent holds; its dimension must be ``child basis / parent basis`` (checked
when a :class:`~mineralcalc.Catalog` is built, since only then is the child known).

Checks that need only the item itself (ids, units, signs, yields) run here, on creation;
each error names the item and the part line.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs
import pint

from .. import elements as _el
from ..errors import AmountError, ItemError, MineralcalcError
from ..estimate import BALANCE, Estimate, parse_amount
from ..units import is_mass, parse_unit, show_unit

__all__ = ["BALANCE", "KINDS", "Item", "Part", "builtin_items"]

KINDS = ("product", "technology", "component", "material", "element")
"""Item kinds. ``kind=None`` lets the catalog infer it (a product if nothing contains it)."""

_ABSURD = 1e15  # no real part line is 10^15 of anything per basis unit
_DIMENSIONLESS = parse_unit("")
_NONE_RECYCLED = Estimate.from_checked(0.0, 0.0, 0.0, _DIMENSIONLESS, "fixed")


def _check_amount(est: Estimate, what: str) -> None:
    lo, _, hi = est.values()
    if lo < 0:
        raise AmountError(f"{what} is negative ({est}): amounts are masses or counts >= 0")
    if hi > _ABSURD:
        raise AmountError(f"{what} is absurdly large ({est}): check its unit")


def _parse(value: Any, what: str) -> Estimate:
    try:
        return parse_amount(value)
    except MineralcalcError as e:
        raise type(e)(f"{what}: {e}") from None


def _check_yield(est: Estimate) -> Estimate:
    try:
        lo, c, hi = est.values("dimensionless")
    except MineralcalcError:
        raise AmountError(
            f"yield {est} is not a fraction: give a number in (0, 1] or a percentage"
        ) from None
    if not (lo > 0 and hi <= 1):
        raise AmountError(
            f"yield {est} is outside (0, 1]: a yield is the fraction of input that ends up "
            "in the parent (0.8 for 20 % scrap)"
        )
    return Estimate.from_checked(lo, c, hi, parse_unit(""), est.dist)


def _check_recycled(est: Estimate) -> Estimate:
    try:
        lo, c, hi = est.values("dimensionless")
    except MineralcalcError:
        raise AmountError(
            f"recycled {est} is not a fraction: give a number in [0, 1] or a percentage"
        ) from None
    if not (lo >= 0 and hi <= 1):
        raise AmountError(
            f"recycled {est} is outside [0, 1]: it is the fraction of the line's process loss "
            "that returns to the feed in a closed loop (0.9 when 90 % of the scrap is recycled)"
        )
    return Estimate.from_checked(lo, c, hi, parse_unit(""), est.dist)


@attrs.frozen(init=False)
class Part:
    """A part line: how much of a child one basis-unit of the parent holds.

    Parameters
    ----------
    amount : amount or ``"balance"``
        Any form :func:`~mineralcalc.estimate.parse_amount` reads (``"3 g"``,
        ``"180 kg/MW"``, ``"23 %"``, ``"1.2 to 3.5 kg"``). ``"balance"``: the rest of a
        mass-basis parent (1 minus its other parts).
    yield_ : number, str or Estimate, default 1
        Fraction of the child that ends up in the parent, in (0, 1]. The parent needs
        ``amount / yield_`` of the child (magnet making loses 20-30 %: ``yield_="0.7 to 0.8"``).
    recycled : number, str or Estimate, default 0
        Fraction of the line's process loss (``amount / yield_ - amount``) that returns to the
        feed in a closed loop within the year (magnet swarf recycled to oxide), in [0, 1].
        It passes through the process again (gross demand) but is not mined again (net mined
        demand): see :data:`mineralcalc.model.graph.BASES`.
    source : str, optional
        Key of the source behind the figure (see ``tables/sources.csv``).
    note : str, optional
        Free text.
    origin : str, optional
        Where the line was read (``'parts.csv:12'``); error messages start with it.

    Raises
    ------
    AmountError
        Negative, NaN, infinite or absurd amounts; yields outside (0, 1]; recycled
        fractions outside [0, 1].
    """

    amount: Estimate | None
    yield_: Estimate
    balance: bool
    source: str | None
    note: str | None
    origin: str | None = attrs.field(eq=False, repr=False)
    recycled: Estimate = attrs.field(factory=lambda: _NONE_RECYCLED)

    def __init__(
        self,
        amount: Any,
        yield_: Any = 1.0,
        *,
        recycled: Any = 0.0,
        source: str | None = None,
        note: str | None = None,
        origin: str | None = None,
    ) -> None:
        balance = isinstance(amount, str) and amount.strip().lower() == BALANCE
        est = None if balance else parse_amount(amount)
        if est is not None:
            _check_amount(est, "amount")
        y = _check_yield(_parse(yield_, "yield"))
        r = _check_recycled(_parse(recycled, "recycled"))
        if r.values()[2] > 0 and y.is_fixed and y.values()[1] == 1.0:
            raise AmountError(
                f"recycled {r} needs a yield below 1: it is the share of the line's loss "
                "recycled, and a yield of 1 loses nothing"
            )
        self.__attrs_init__(est, y, balance, source, note, origin, r)

    @property
    def has_loss(self) -> bool:
        """Whether the line loses anything (a yield below 1)."""
        return not (self.yield_.is_fixed and self.yield_.values()[1] == 1.0)

    def __str__(self) -> str:
        text = BALANCE if self.amount is None else str(self.amount)
        if self.has_loss:
            text += f" at yield {self.yield_}"
            if self.recycled.values()[2] > 0:
                text += f", {self.recycled:.3g} of the loss recycled"
        return text


def _freeze_parts(item_id: str, parts: Any) -> Mapping[str, Part]:
    if parts is None:
        return MappingProxyType({})
    if isinstance(parts, Mapping):
        pairs = list(parts.items())
    else:
        try:
            pairs = [(c, a) for c, a in parts]
        except (TypeError, ValueError):
            raise ItemError(
                f"item {item_id!r}: parts must be a mapping {{child_id: amount}}, got {parts!r}"
            ) from None
    out: dict[str, Part] = {}
    for child, amount in pairs:
        where = f"item {item_id!r}, part {child!r}"
        _check_id(child, where + ": child id")
        if child in out:
            raise ItemError(f"{where}: listed twice; give one line per child")
        if child == item_id:
            raise ItemError(f"{where}: an item cannot contain itself")
        try:
            out[child] = amount if isinstance(amount, Part) else Part(amount)
        except MineralcalcError as e:
            raise e.within(where) from None
    balances = [c for c, p in out.items() if p.balance]
    if len(balances) > 1:
        raise ItemError(
            f"item {item_id!r}: parts {balances} are all 'balance'; only one part can be the rest"
        )
    return MappingProxyType(out)


def _check_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ItemError(f"{what} must be a non-empty string, got {value!r}")
    if value != value.strip():
        raise ItemError(f"{what} {value!r} has stray whitespace: use {value.strip()!r}")
    if any(ch in value for ch in "\n\r\t"):
        raise ItemError(f"{what} {value!r} contains a line break or tab")
    return value


@attrs.frozen(init=False, eq=True, hash=False)
class Item:
    """A node of the bill-of-materials graph.

    Parameters
    ----------
    id : str
        Unique id (``'smartphone'``, ``'ndfeb_sintered'``). Elements use their symbols.
    basis : str, default ``'unit'``
        The unit one item means: a count (``'unit'``), a capacity (``'MW'``), an energy
        (``'kWh'``) or a mass (``'kg'``).
    parts : mapping of child id to amount or Part, optional
        What one basis-unit of the item holds; see :class:`Part`.
    name : str, optional
        Human-readable name.
    kind : {'product', 'technology', 'component', 'material', 'element'}, optional
        Inferred by the catalog when omitted.
    sources : str or sequence of str, optional
        Keys of the sources behind the item as a whole.
    note : str, optional
        Free text.
    alternative_of : str, optional
        The id of the item this one is a disputed alternative of (another source's figures for
        the same thing). :meth:`Catalog.use` swaps it in under the other's id.
    origin : str, optional
        Where the item was read (``'items.csv:4'``); error messages start with it.

    Raises
    ------
    ItemError
        A bad id, kind or basis unit, a child listed twice, more than one balance part or a
        balance part on an item whose basis is not a mass.
    AmountError
        A bad amount or yield; the message names the item and the part line.

    Examples
    --------
    >>> phone = Item("smartphone", parts={"Nd": "0.16 g", "Pr": "0.03 g"}, kind="product")
    >>> str(phone.parts["Nd"])
    '0.16 g'
    """

    id: str
    basis: pint.Unit
    parts: Mapping[str, Part]
    name: str | None
    kind: str | None
    sources: tuple[str, ...]
    note: str | None
    alternative_of: str | None
    origin: str | None = attrs.field(eq=False, repr=False)

    def __init__(
        self,
        id: str,
        basis: str | pint.Unit = "unit",
        parts: Mapping[str, Any] | None = None,
        name: str | None = None,
        kind: str | None = None,
        *,
        sources: str | tuple[str, ...] | list[str] = (),
        note: str | None = None,
        alternative_of: str | None = None,
        origin: str | None = None,
    ) -> None:
        _check_id(id, "item id")
        try:
            unit = parse_unit(basis) if isinstance(basis, str) else parse_unit(str(basis))
        except MineralcalcError as e:
            raise ItemError(f"item {id!r}: basis: {e}") from None
        if kind is not None and kind not in KINDS:
            raise ItemError(f"item {id!r}: unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        frozen = _freeze_parts(id, parts)
        if any(p.balance for p in frozen.values()) and not is_mass(unit):
            raise ItemError(
                f"item {id!r}: a 'balance' part needs a mass basis (e.g. 'kg'), "
                f"not {show_unit(unit)!r}"
            )
        srcs = (sources,) if isinstance(sources, str) else tuple(sources)
        if alternative_of is not None:
            _check_id(alternative_of, f"item {id!r}: alternative_of")
        self.__attrs_init__(id, unit, frozen, name, kind, srcs, note, alternative_of, origin)

    def with_parts(self, parts: Mapping[str, Any], **changes: Any) -> Item:
        """The same item with other parts (and any other field given by name)."""
        fields: dict[str, Any] = {
            "basis": self.basis,
            "name": self.name,
            "kind": self.kind,
            "sources": self.sources,
            "note": self.note,
            "alternative_of": self.alternative_of,
            "origin": self.origin,
        }
        fields.update(changes)
        return Item(fields.pop("id", self.id), parts=parts, **fields)

    @property
    def basis_text(self) -> str:
        """The basis as short text, ``'MW'``."""
        return show_unit(self.basis)

    def __repr__(self) -> str:
        parts = ", ".join(f"{c!r}: {str(p)!r}" for c, p in self.parts.items())
        kind = f", kind={self.kind!r}" if self.kind else ""
        return f"Item({self.id!r}, basis={self.basis_text!r}, parts={{{parts}}}{kind})"


def _make_builtin_items() -> list[Item]:
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


def builtin_items() -> list[Item]:
    """The elements and rare-earth oxides every catalog holds."""
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = _make_builtin_items()
    return _BUILTIN
