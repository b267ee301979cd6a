"""The melody a command starts from: ``--primer`` text notation, or ``--primer-file``, a MIDI or MusicXML
file, read and checked before any model loads.

A refusal (unreadable notation, a missing, oversized or damaged file) is a :class:`UsageError` naming
the flag. MusicXML is read by music21 (imported only then); like a MIDI file, the file is refused
above ``MAX_FILE_BYTES`` before it is parsed, since parsing costs seconds and memory per megabyte.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import JupymuseError
from .checks import MELODY_SUFFIXES, UsageError

if TYPE_CHECKING:
    from ..music import Melody

__all__ = ["FILE_FLAG", "read_primer"]

FILE_FLAG = "--primer-file"


def read_primer(text: str | None, file: str | None) -> Melody:
    """The melody ``--primer`` (notation) or ``--primer-file`` gives; the empty melody when neither does."""
    from ..music import as_melody

    if file is not None:
        return _read_file(file)
    try:
        return as_melody(text or None)
    except JupymuseError as exc:
        raise UsageError("--primer", str(exc)) from None


def _read_file(text: str) -> Melody:
    """A MIDI or MusicXML file (by its suffix) as a melody, checked before it is parsed."""
    from ..music.midi import MAX_FILE_BYTES

    path = Path(text).expanduser()
    kind = MELODY_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UsageError(FILE_FLAG, f"must end in {', '.join(MELODY_SUFFIXES)} (MIDI or MusicXML), not '{text}'")
    if path.is_dir():
        raise UsageError(FILE_FLAG, f"'{text}' is a folder, not a {kind} file")
    if not path.is_file():
        raise UsageError(FILE_FLAG, f"there is no file '{text}'")
    if not os.access(path, os.R_OK):
        raise UsageError(FILE_FLAG, f"'{text}' cannot be read (permission denied)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UsageError(
            FILE_FLAG,
            f"'{text}' is {size / 2**20:.1f} MiB; a melody file may be at most {MAX_FILE_BYTES // 2**20} MiB "
            "(a melody's file is a few kilobytes)",
        )
    try:
        return _read_midi(path) if kind == "MIDI" else _read_musicxml(path)
    except UsageError:
        raise
    except JupymuseError as exc:
        raise UsageError(FILE_FLAG, str(exc)) from None


def _read_midi(path: Path) -> Melody:
    from ..music import read_midi

    return read_midi(path)


def _read_musicxml(path: Path) -> Melody:
    """The melody of a MusicXML file (its soprano or first part), by music21."""
    from music21 import converter

    from ..music import Melody

    try:
        return Melody.from_music21(
            converter.parseFile(str(path), format="musicxml", forceSource=True, storePickle=False)
        )
    except JupymuseError:
        raise
    except Exception as exc:  # music21 raises many kinds for a damaged file; each is a refusal here
        raise UsageError(FILE_FLAG, f"'{path}' could not be read as MusicXML ({type(exc).__name__}: {exc})") from None
