"""Loading data tables into a Catalog (placeholder until the data tables land)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .catalog import Catalog

__all__ = ["load_tables", "shipped_tables"]


def shipped_tables() -> Path:
    """The folder of the shipped tables: inside the installed package, or the repository's."""
    from importlib import resources

    packaged = Path(str(resources.files(__package__))) / "_tables"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "tables"


def load_tables(folder: Any, base: Catalog | None = None) -> Catalog:
    """A catalog from ``folder`` (merged over ``base``)."""
    return base if base is not None else Catalog()
