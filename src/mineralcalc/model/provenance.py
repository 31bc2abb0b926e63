"""Provenance: the sources behind an item's numbers, through its bill of materials."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .items import Item

__all__ = ["source_keys", "sources_frame"]


def sources_frame(
    items: Mapping[str, Item],
    source_table: Mapping[str, Mapping[str, Any]],
    item_id: str,
    *,
    recursive: bool = True,
) -> pd.DataFrame:
    """The sources behind ``item_id``'s numbers and those of its disputed alternatives.

    See :meth:`Catalog.sources <mineralcalc.model.catalog.Catalog.sources>` for the columns.
    """
    alternatives = list(alternatives_of(items).get(item_id, ()))
    rows: list[dict[str, Any]] = []
    for root, alt in [(item_id, None), *((a, a) for a in alternatives)]:
        todo: list[str] = [root]
        seen: set[str] = set()
        while todo:
            i = todo.pop()
            if i in seen:
                continue
            seen.add(i)
            it = items[i]
            rows.extend(
                {"source": s, "item": i, "part": None, "value": None, "alternative": alt}
                for s in it.sources
            )
            for c, p in it.parts.items():
                if p.source:
                    rows.append(
                        {
                            "source": p.source,
                            "item": i,
                            "part": c,
                            "value": str(p),
                            "alternative": alt,
                        }
                    )
                if recursive:
                    todo.append(c)
    cols = ["source", "item", "part", "value", "alternative"]
    frame = pd.DataFrame(rows, columns=cols)
    meta = pd.DataFrame.from_dict(dict(source_table), orient="index")
    if not meta.empty and not frame.empty:
        frame = frame.join(meta, on="source")
    return frame.drop_duplicates().reset_index(drop=True)


def alternatives_of(items: Mapping[str, Item]) -> dict[str, tuple[str, ...]]:
    """The disputed alternatives of every item that has some, indexed once."""
    out: dict[str, list[str]] = {}
    for i, it in items.items():
        if it.alternative_of is not None:
            out.setdefault(it.alternative_of, []).append(i)
    return {k: tuple(v) for k, v in out.items()}


def source_keys(
    items: Mapping[str, Item],
    roots: Iterable[str],
    alternatives: Mapping[str, tuple[str, ...]] | None = None,
) -> set[str]:
    """The source keys behind ``roots`` and everything below them, and behind each root's
    disputed alternatives: one walk of the graph for all of them (what :func:`sources_frame`
    tabulates one item at a time)."""
    alts = alternatives_of(items) if alternatives is None else alternatives
    todo = [r for root in roots for r in (root, *alts.get(root, ()))]
    seen: set[str] = set()
    keys: set[str] = set()
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        it = items[i]
        keys.update(it.sources)
        for c, p in it.parts.items():
            if p.source:
                keys.add(p.source)
            todo.append(c)
    return keys
