"""Reading scenario files: TOML into plain data, with limits on size and depth.

A scenario is data (:mod:`tomllib` only, never code). The reader refuses what could hang or
exhaust the machine before parsing (a file over :data:`MAX_SCENARIO_BYTES`) or after (nesting
deeper than :data:`MAX_DEPTH`), and says which file and why; what the keys mean is
:mod:`mineralcalc.model.scenario`'s business.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ScenarioError, suggest
from .csvtable import shipped_tables

__all__ = ["MAX_DEPTH", "MAX_SCENARIO_BYTES", "locate", "read_toml", "shipped_scenarios"]


MAX_SCENARIO_BYTES = 4 * 2**20
"""The largest scenario file read [bytes]."""

MAX_DEPTH = 16
"""The deepest nesting of tables and arrays a scenario may have."""


def _depth(data: Any) -> int:
    """How deeply tables and arrays nest in parsed TOML (without recursion)."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        node, level = todo.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        children = node.values() if isinstance(node, Mapping) else node
        todo.extend((c, level + 1) for c in children if isinstance(c, Mapping | list))
    return deepest


def shipped_scenarios() -> dict[str, Path]:
    """The scenarios shipped in ``tables/scenarios``, by name."""
    folder = shipped_tables() / "scenarios"
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML of a scenario file.

    Raises
    ------
    ScenarioError
        A file over :data:`MAX_SCENARIO_BYTES` or nested deeper than :data:`MAX_DEPTH`, bytes
        that are not UTF-8, malformed TOML, or a file that cannot be read; the message starts
        with the file's name.
    """
    label = path.name
    try:
        size = path.stat().st_size
        if size > MAX_SCENARIO_BYTES:
            raise ScenarioError(
                f"{label}: {size:,} bytes, over the limit of {MAX_SCENARIO_BYTES:,} for a "
                "scenario file (is it the file you meant?)"
            )
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise ScenarioError(f"{label}: byte {e.start}: not UTF-8; save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{label}: malformed TOML: {e}") from None
    except RecursionError:
        raise ScenarioError(
            f"{label}: nested too deeply to read (at most {MAX_DEPTH} levels of tables and "
            "arrays are meaningful in a scenario)"
        ) from None
    except OSError as e:
        raise ScenarioError(f"{label}: cannot read ({e.strerror})") from None
    depth = _depth(data)
    if depth > MAX_DEPTH:
        raise ScenarioError(
            f"{label}: nested more than {MAX_DEPTH} levels deep; a scenario needs a few "
            "(tables of tables of amounts)"
        )
    return data


def locate(path_or_name: str | Path) -> Path:
    path = Path(path_or_name)
    if path.suffix.lower() == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioError(f"{path}: no such scenario file")
        return path
    shipped = shipped_scenarios()
    found = shipped.get(str(path_or_name))
    if found is None:
        raise ScenarioError(
            f"{path_or_name!r} is neither a .toml file nor a shipped scenario "
            f"({suggest(str(path_or_name), shipped)})"
        )
    return found
