"""Errors that jupymuse raises on purpose.

Every problem a student can cause (a broken MIDI file, a bad note, an unknown corpus, a damaged model
file) raises a subclass of :class:`JupymuseError` whose message says what is wrong and, where there
is one, which file. Catch ``JupymuseError`` to handle all of them.
"""

from __future__ import annotations


class JupymuseError(Exception):
    """Base class of every error jupymuse raises on purpose."""


class InvalidNoteError(JupymuseError, ValueError):
    """A note has an impossible value (pitch outside 0-127, negative start, zero duration, ...)."""


class NotationError(JupymuseError, ValueError):
    """A melody written in jupymuse's text notation (``"C4:4 D4:4 r:2"``) could not be read."""


class MidiReadError(JupymuseError):
    """A MIDI file (or bytes) could not be read: empty, truncated, not MIDI, or broken timing."""


class NoMelodyError(MidiReadError):
    """The input holds no usable melody: no notes, only drums, or only zero-length notes."""


class CorpusError(JupymuseError):
    """A corpus name or selection is unknown, or a folder holds no readable MIDI files."""


class ModelError(JupymuseError):
    """A model was used wrongly, e.g. asked to generate before it was trained."""


class ModelFileError(ModelError):
    """A saved model file is missing, damaged, or was written by an incompatible version."""


class OutputError(JupymuseError, OSError):
    """A file could not be written: a missing folder, a folder or read-only file in its place, no space."""


class ScoreError(JupymuseError, ValueError):
    """A melody cannot be written as a score: too many notes or bars, or a note length no note value can write."""


class JupymuseWarning(UserWarning):
    """Something was skipped or adjusted, and the user should know (e.g. unreadable MIDI files)."""


class CorpusConversionWarning(JupymuseWarning):
    """Some files of a built-in corpus could not be converted, so its melodies are left out."""


class CorpusCacheWarning(JupymuseWarning):
    """The corpus cache cannot be written: the corpus was converted in memory and is not kept."""


class SettingError(JupymuseError, ValueError):
    """A setting is out of range: a piano roll's trait (tempo, program, notes...) or a generation limit."""


class ArgumentTypeError(SettingError, TypeError):
    """An argument of the wrong kind: text where a number goes, a number where melodies go, ...

    Both a ``ValueError`` (as every :class:`SettingError`) and a ``TypeError`` (what Python raised
    before jupymuse checked), so code that catches either keeps working.
    """
