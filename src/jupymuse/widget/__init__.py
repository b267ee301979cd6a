"""Widgets for the notebook: the ``PianoRoll`` editor, the ``Studio``, and kernel-rendered ``audio``."""

from .audio import audio
from .piano_roll import PianoRoll
from .studio import Studio

__all__ = ["PianoRoll", "Studio", "audio"]
