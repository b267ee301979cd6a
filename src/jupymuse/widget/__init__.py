"""Widgets for the notebook: the ``PianoRoll`` editor and kernel-rendered ``audio`` (no models: see ``studio/``)."""

from .audio import audio
from .piano_roll import PianoRoll

__all__ = ["PianoRoll", "audio"]
