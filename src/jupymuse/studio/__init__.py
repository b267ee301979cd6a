"""The Studio: compose with a model in the notebook (``Studio``), and the same without a screen.

``controller.py`` (``StudioController``) holds the melody, the model choice, candidates, Undo and
the worker threads, and imports no ipywidgets; ``app.py`` (``Studio``) lays out ipywidgets controls
and a ``PianoRoll`` around it. Names are imported on first use, so the controller (and its tests)
never import ipywidgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .app import Studio
    from .controller import StudioController
    from .settings import Settings, guess_key

_LAZY = {
    "Studio": ".app",
    "StudioController": ".controller",
    "Settings": ".settings",
    "guess_key": ".settings",
}

__all__ = ["Settings", "Studio", "StudioController", "guess_key"]


__getattr__ = lazy_names(__name__, _LAZY)
