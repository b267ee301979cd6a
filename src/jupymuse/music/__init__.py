"""Melodies and their conversions: notes on a step grid, MIDI, NoteSequence, music21, MusicXML, text, score."""

from .extract import monophonic
from .melody import Melody, as_melody
from .midi import read_midi
from .notation import format_notation, parse_notation, parse_pitch, pitch_name
from .note import MAX_PITCH, MAX_VELOCITY, MIN_PITCH, MIN_VELOCITY, Note
from .score import Score

__all__ = [
    "MAX_PITCH",
    "MAX_VELOCITY",
    "MIN_PITCH",
    "MIN_VELOCITY",
    "Melody",
    "Note",
    "Score",
    "as_melody",
    "format_notation",
    "monophonic",
    "parse_notation",
    "parse_pitch",
    "pitch_name",
    "read_midi",
]
