"""A scenario that extends another: ``extends = "baseline-2024"`` (or a path).

The parent's tables are read first, then the file's own on top of them:

* ``[volumes]``, ``[items]`` and ``[sources]``: the parent's, with the file's added; a
  product, item or source the file names again replaces the parent's as a whole;
* ``[[changes]]``: the parent's, then the file's;
* ``use``: the parent's alternatives and the file's;
* ``year``, ``years``, ``[supply]``, ``[recycling]``: the file's if it gives
  them, else the parent's (``year`` is the year of every year-less volume, the parent's too);
* ``name``, ``title``, ``description``: the file's own (never inherited).

A parent may extend another in turn; a chain that comes back to a file is an error naming
the chain. A path is read relative to the extending file's folder.

Examples
--------
The baseline with one product added (its own item and source), and its answer:

>>> import pathlib, tempfile
>>> import mineralcalc as mc
>>> path = pathlib.Path(tempfile.mkdtemp()) / "drone.toml"
>>> _ = path.write_text('''
... extends = "baseline-2024"
...
... [sources.my-guess]
... citation = "our own estimate: four motors of 2 g Nd each per delivery drone"
... quality = "estimate"
...
... [items.my_drone]
... kind = "product"
... parts = { Nd = { amount = "8 g", source = "my-guess" } }
...
... [volumes]
... my_drone = "10 million"
... ''')
>>> by_product = mc.demand(mc.load_scenario(path)).by_product()
>>> round(float(by_product.loc["my_drone", "Nd"]), 3)  # t: 8 g x 10 million
80.0
>>> "offshore_wind" in by_product.index  # the baseline's products are still there
True
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..data.scenario_file import locate, read_toml
from ..errors import ScenarioError

__all__ = ["Parent", "extended"]

_OWN = ("name", "title", "description")


class Parent:
    """A scenario file another extends: its merged data, the label and path errors name."""

    def __init__(self, data: dict[str, Any], label: str, path: Path) -> None:
        self.data, self.label, self.path = data, label, path


def extended(
    data: Mapping[str, Any], label: str, path: Path | None, seen: tuple[Path, ...] = ()
) -> tuple[dict[str, Any], list[Parent]]:
    """``data`` with the scenario it extends merged under it (see the module notes).

    Returns the merged data (no ``extends`` key) and the parents, nearest first, each with its
    own merged data, so that a parent's errors can name its own file.

    Raises
    ------
    ScenarioError
        ``extends`` that is not a name or path, an unknown name or missing file, a chain that
        comes back to a file; each message starts with the extending file's name.
    """
    if "extends" not in data:
        return dict(data), []
    ref = data["extends"]
    if not isinstance(ref, str) or not ref.strip():
        raise ScenarioError(
            f"{label}: extends: {ref!r}: give a shipped scenario's name (extends = "
            '"baseline-2024") or the path of a .toml file'
        )
    target: str | Path = ref
    if ref.lower().endswith(".toml") and path is not None and not Path(ref).is_absolute():
        target = path.parent / ref
    try:
        parent_path = locate(target)
    except ScenarioError as e:
        raise ScenarioError(f"{label}: extends: {e}") from None
    here = path.resolve() if path is not None else None
    chain = (*seen, *((here,) if here is not None else ()))
    if parent_path.resolve() in chain:
        names = " -> ".join(p.name for p in (*chain, parent_path.resolve()))
        raise ScenarioError(f"{label}: extends: the chain comes back to a file: {names}")
    raw = read_toml(parent_path)
    parent_data, grand = extended(raw, parent_path.name, parent_path, chain)
    merged = _merge(parent_data, data)
    return merged, [Parent(parent_data, parent_path.name, parent_path), *grand]


def _merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in parent.items() if k not in _OWN}
    for key, value in child.items():
        if key == "extends":
            continue
        old = out.get(key)
        tables = key in ("volumes", "items", "sources")
        if tables and isinstance(value, Mapping) and isinstance(old, Mapping):
            out[key] = {**old, **value}
        elif key == "changes" and isinstance(value, list) and isinstance(old, list):
            out[key] = [*old, *value]
        elif key == "use" and isinstance(value, list) and isinstance(old, list):
            out[key] = list(dict.fromkeys([*old, *value]))
        else:  # the file's own, checked where it is read
            out[key] = value
    return out
