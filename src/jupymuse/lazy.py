"""Names a package imports on first use (PEP 562 ``__getattr__``), so importing the package stays fast.

``import jupymuse`` must not import TensorFlow, music21 or ipywidgets; the packages that would pull
them in name their heavy attributes here instead of importing them at the top.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: attribute ``a`` comes from module ``names[a]``.

    Module names may be relative to ``package`` (``".gru"``) or absolute. The value is stored on the
    package after the first use, so the import happens once.
    """

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(names[name], package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
