"""Rich views of the catalog: its products as a table, an item's bill of materials as a tree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from rich.tree import Tree

from ..engine.intensity import intensity
from .text import PlainTable, fmt

if TYPE_CHECKING:
    from ..model.catalog import Catalog

__all__ = ["CatalogTable", "bom_tree", "catalog_table"]


class CatalogTable:
    """The products of a catalog laid out for the width it is rendered at: ids whole always;
    below 120 columns the sources are left out (``explain`` and the csv/json output give
    them) so the names and alternatives keep their room."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield _products(self.catalog, wide=options.max_width >= 120)


def catalog_table(catalog: Catalog) -> CatalogTable:
    """The products of a catalog, with their basis, kind, alternatives and sources."""
    return CatalogTable(catalog)


def _products(catalog: Catalog, *, wide: bool) -> PlainTable:
    table = PlainTable(title="Products", box=box.SIMPLE_HEAVY, title_justify="left")
    longest = max((len(pid) for pid in catalog.products), default=7)
    table.add_column("Product", style="bold", no_wrap=True, min_width=longest)  # ids stay whole
    table.add_column("Per", style="cyan", no_wrap=True)
    table.add_column("Name", ratio=2)
    alternatives = [a for pid in catalog.products for a in catalog.alternatives(pid)]
    widest = max((len(a) for a in alternatives), default=12)
    table.add_column("Alternatives", style="magenta", ratio=1, min_width=widest)
    if wide:
        table.add_column("Sources", style="dim", ratio=2)
    else:
        table.caption = "sources: mineralcalc explain PRODUCT, or -f csv / json"
    for pid, item in sorted(catalog.products.items()):
        keys = sorted(catalog.source_keys([pid]) - {"periodictable"})
        shown = ", ".join(keys[:4]) + (f" (+{len(keys) - 4})" if len(keys) > 4 else "")
        cells = [pid, item.basis_text, item.name or "", ", ".join(catalog.alternatives(pid))]
        table.add_row(*cells, *([shown] if wide else []))
    return table


def bom_tree(
    catalog: Catalog, item_id: str, *, depth: int = 6, top: int = 4, basis: str = "contained"
) -> Tree:
    """The bill of materials of an item as a tree: amount and yield on every line, and each
    level's element contents per basis-unit (the ``top`` largest, central values), in
    ``basis`` (default: contained in the item)."""

    def contents(iid: str) -> Text:
        frame = intensity(catalog, iid, basis=basis)
        if frame.empty:
            return Text("no elements", style="dim")
        per = catalog[iid].basis_text
        parts = [f"{el} {fmt(v)}" for el, v in frame["central"].head(top).items()]
        more = f" +{len(frame) - top}" if len(frame) > top else ""
        return Text(f"[{', '.join(parts)}{more} kg/{per}]", style="green")

    def label(iid: str) -> Text:
        it = catalog[iid]
        text = Text(iid, style="bold")
        if it.name:
            text.append(f"  {it.name}", style="italic")
        return text

    root_item = catalog[item_id]
    root = Tree(Text.assemble(label(item_id), f"  per {root_item.basis_text}  ", contents(item_id)))

    def yield_text(part: Any) -> Text:
        if part.yield_.is_fixed and part.yield_.values()[1] == 1.0:
            return Text("")
        return Text(f" at yield {part.yield_}", style="yellow")

    def chain(iid: str) -> tuple[Text, str]:
        """Follow single-line pass-throughs (1 kg/kg at some yield) down to where the graph
        branches: ``→ nd_metal at yield 0.75 → Nd at yield 0.8``."""
        text = Text()
        while len(catalog[iid].parts) == 1:
            ((child, part),) = catalog[iid].parts.items()
            if part.amount is None or part.amount.values()[1] != 1.0 or not part.amount.is_fixed:
                break
            text.append(" → ", style="dim")
            text.append(child, style="bold")
            text.append_text(yield_text(part))
            iid = child
        return text, iid

    def grow(node: Tree, iid: str, level: int) -> None:
        for child, part in catalog[iid].parts.items():
            line = Text(str(part.amount) if part.amount is not None else "balance", style="cyan")
            line.append_text(yield_text(part))
            line.append("  ")
            line.append_text(label(child))
            if part.source:
                line.append(f"  ({part.source})", style="dim")
            tail, end = chain(child)
            line.append_text(tail)
            if catalog[child].parts:
                line.append("  ")
                line.append_text(contents(child))
            branch = node.add(line)
            if catalog[end].parts:
                if level >= depth:
                    branch.add(Text("…", style="dim"))
                else:
                    grow(branch, end, level + 1)

    grow(root, item_id, 1)
    return root
