"""The General MIDI SoundFont the roll plays with: ``TimGM6mb.sf2``, installed by pretty_midi (GPL-2).

It is read from the installed package at run time, never copied into jupymuse, and sent to the page
once as a message buffer (never as widget state, so it is not saved into notebooks).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from ..errors import JupymuseError

SOUNDFONT_NAME = "TimGM6mb.sf2"


def soundfont_path() -> Path:
    """Where pretty_midi installed its SoundFont.

    Raises:
        JupymuseError: pretty_midi or its SoundFont is missing.
    """
    spec = importlib.util.find_spec("pretty_midi")
    if spec is None or spec.origin is None:
        raise JupymuseError("pretty_midi is not installed, so there is no SoundFont to play with")
    path = Path(spec.origin).parent / SOUNDFONT_NAME
    if not path.is_file():
        raise JupymuseError(f"pretty_midi's SoundFont is missing ({path}); reinstall pretty_midi")
    return path


@functools.cache
def soundfont_bytes() -> bytes:
    """The SoundFont's bytes (read once per kernel)."""
    return soundfont_path().read_bytes()
