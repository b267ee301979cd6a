"""The melody a command starts from: ``--primer`` text notation, or ``--primer-file``, a MIDI, MusicXML or
ABC file (``--tune N`` picks the tune ``X:N`` of an ABC file), read and checked before any model loads.

A refusal (unreadable notation, a missing, oversized or damaged file, a tune the file lacks) is a
:class:`UsageError` naming the flag. MusicXML is read by music21 (imported only then). Each file is
refused above its size limit before it is parsed, since parsing costs time and memory per megabyte:
``MAX_FILE_BYTES`` for MIDI and MusicXML, ``MAX_ABC_BYTES`` (1 MiB) for ABC. ABC is read as UTF-8, or
as Latin-1 when it is not UTF-8 (older collections), onto the 4-steps-per-quarter grid MIDI is read on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import JupymuseError
from .checks import MELODY_FORMATS, MELODY_SUFFIXES, UsageError

if TYPE_CHECKING:
    from ..music import Melody

__all__ = ["FILE_FLAG", "STEPS_PER_QUARTER", "TUNE_FLAG", "read_primer"]

FILE_FLAG = "--primer-file"
TUNE_FLAG = "--tune"
STEPS_PER_QUARTER = 4
"""The grid a primer file is read onto (``read_midi``'s default, the shipped models' grid)."""


def read_primer(text: str | None, file: str | None, tune: int | None = None) -> Melody:
    """The melody ``--primer`` (notation) or ``--primer-file`` gives; the empty melody when neither does.

    ``tune`` (``--tune``) picks a tune of an ABC file by its ``X:`` number; it is refused with anything else.
    """
    from ..music import as_melody

    if tune is not None and (file is None or MELODY_SUFFIXES.get(Path(file).suffix.lower()) != "ABC"):
        raise UsageError(TUNE_FLAG, "picks a tune of an ABC file: use it with --primer-file FILE.abc")
    if file is not None:
        return _read_file(file, tune)
    try:
        return as_melody(text or None)
    except JupymuseError as exc:
        raise UsageError("--primer", str(exc)) from None


def _size_limit(kind: str) -> int:
    from ..music.abc_read import MAX_ABC_BYTES
    from ..music.midi import MAX_FILE_BYTES

    return MAX_ABC_BYTES if kind == "ABC" else MAX_FILE_BYTES


def _read_file(text: str, tune: int | None) -> Melody:
    """A MIDI, MusicXML or ABC file (by its suffix) as a melody, checked before it is parsed."""
    path = Path(text).expanduser()
    kind = MELODY_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UsageError(FILE_FLAG, f"must end in {', '.join(MELODY_SUFFIXES)} ({MELODY_FORMATS}), not '{text}'")
    named = f"{'an' if kind == 'ABC' else 'a'} {kind}"
    if path.is_dir():
        raise UsageError(FILE_FLAG, f"'{text}' is a folder, not {named} file")
    if not path.is_file():
        raise UsageError(FILE_FLAG, f"there is no file '{text}'")
    if not os.access(path, os.R_OK):
        raise UsageError(FILE_FLAG, f"'{text}' cannot be read (permission denied)")
    size, limit = path.stat().st_size, _size_limit(kind)
    if size > limit:
        raise UsageError(
            FILE_FLAG,
            f"'{text}' is {size / 2**20:.1f} MiB; {named} melody file may be at most {limit / 2**20:g} MiB "
            "(a melody's file is a few kilobytes)",
        )
    try:
        if kind == "ABC":
            return _read_abc(path, tune)
        return _read_midi(path) if kind == "MIDI" else _read_musicxml(path)
    except UsageError:
        raise
    except JupymuseError as exc:
        raise UsageError(FILE_FLAG, str(exc)) from None


def _read_abc(path: Path, tune: int | None) -> Melody:
    """Tune ``tune`` (its ``X:``; the first when None) of an ABC file, on the primer grid."""
    from ..music import Melody
    from ..music.abc_read import abc_tunes

    with path.open("rb") as handle:
        raw = handle.read(_size_limit("ABC") + 1)  # more (the file grew since it was measured) is refused below
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # every byte is a Latin-1 character: older collections are written so
    if tune is not None:
        numbers = [t.number or "" for t in abc_tunes(text)]
        if not any(n.isascii() and n.isdigit() and len(n) <= 18 and int(n) == tune for n in numbers):
            shown = ", ".join(n or "(none)" for n in numbers[:20]) + (" ..." if len(numbers) > 20 else "")
            raise UsageError(TUNE_FLAG, f"'{path}' has no tune X:{tune}; its tunes are X: {shown}")
    melody = Melody.from_abc(text, number=tune, steps_per_quarter=STEPS_PER_QUARTER)
    return melody.replace(meta={"source": str(path), "title": path.stem, **melody.meta})


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
