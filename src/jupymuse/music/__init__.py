"""Melodies and their conversions: notes on a step grid, MIDI, NoteSequence, music21, MusicXML, ABC, text,
score.

``read_midi`` (mido), ``read_abc`` and ``Score`` (the engraving) are imported on first use, so composing with
a melody costs none of them.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_names
from .extract import monophonic
from .key import Key
from .melody import Melody, as_melody
from .notation import format_notation, parse_notation, parse_pitch, pitch_name
from .note import MAX_PITCH, MAX_VELOCITY, MIN_PITCH, MIN_VELOCITY, Note

if TYPE_CHECKING:
    from .abc_read import read_abc
    from .midi import read_midi
    from .score import Score

__all__ = [
    "MAX_PITCH",
    "MAX_VELOCITY",
    "MIN_PITCH",
    "MIN_VELOCITY",
    "Key",
    "Melody",
    "Note",
    "Score",
    "as_melody",
    "format_notation",
    "monophonic",
    "parse_notation",
    "parse_pitch",
    "pitch_name",
    "read_abc",
    "read_midi",
]

__getattr__ = lazy_names(__name__, {"read_midi": ".midi", "read_abc": ".abc_read", "Score": ".score"})
