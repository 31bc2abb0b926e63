"""Late binding: conveniences of a lower layer carried out by a higher one.

A :class:`~mineralcalc.results.demand.Demand` offers ``.compare()``, ``.plot()`` and renders
itself with rich; a :class:`~mineralcalc.model.catalog.Catalog` offers ``.intensity()`` and
``.to_tables()``. The code that does this lives in higher layers (``engine/``, ``lenses/``,
``present/``), which import results and catalogs, never the reverse. The lower module calls a
hook by name; the package's composition root (``mineralcalc/__init__.py``) binds every hook to
a ``"module:function"`` once, and the first call imports that module. So data still flows one
way, ``import mineralcalc`` stays cheap, and a contributor adding a chart or a lens registers
one line where all the others are.

Examples
--------
>>> from mineralcalc import hooks
>>> hooks.bound("demand.compare")
'lenses.market:compare'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["bind", "bound", "call"]

_BINDINGS: dict[str, str] = {}
_RESOLVED: dict[str, Callable[..., Any]] = {}


def bind(bindings: Mapping[str, str]) -> None:
    """Bind hook names to ``"module:function"`` targets (modules relative to the package)."""
    for name, target in bindings.items():
        if ":" not in target:
            raise ValueError(f"hook {name!r}: target {target!r} is not 'module:function'")
        _BINDINGS[name] = target
        _RESOLVED.pop(name, None)


def bound(name: str) -> str:
    """The ``"module:function"`` a hook is bound to."""
    try:
        return _BINDINGS[name]
    except KeyError:
        raise LookupError(f"no hook {name!r} is bound (see mineralcalc/__init__.py)") from None


def call(name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the function bound to hook ``name``, importing its module on first use."""
    fn = _RESOLVED.get(name)
    if fn is None:
        module, attr = bound(name).split(":")
        fn = getattr(importlib.import_module(f"mineralcalc.{module}"), attr)
        _RESOLVED[name] = fn
    return fn(*args, **kwargs)
