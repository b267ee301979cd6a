"""Loading a user's folder of MIDI files into a ``Corpus``.

Files that cannot be read are skipped, not fatal: the corpus lists them in ``corpus.skipped`` with a
reason, and a ``JupymuseWarning`` summarises them, so one broken file never costs the whole folder.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

from .. import arguments
from ..errors import CorpusError, JupymuseError, JupymuseWarning
from ..music import Melody, read_midi
from ..music.melody import check_steps_per_quarter
from .corpus import Corpus, SkippedFile

MIDI_SUFFIXES = (".mid", ".midi", ".smf", ".kar")
"""File name endings treated as MIDI files (case-insensitive)."""


def find_midi_files(folder: Path, recursive: bool = True) -> list[Path]:
    """MIDI files under ``folder`` (sorted, so corpus order is the same on every machine)."""
    walker: Iterator[Path] = folder.rglob("*") if recursive else folder.glob("*")
    return sorted(p for p in walker if p.suffix.lower() in MIDI_SUFFIXES and p.is_file())


def _read_one(path: str, instrument: int | str | None, spq: int, root: str) -> Melody | str:
    """A melody, or the reason the file was skipped (a string, so it crosses processes)."""
    try:
        melody = read_midi(path, instrument=instrument, steps_per_quarter=spq)
    except JupymuseError as exc:
        return str(exc)
    except Exception as exc:  # an unexpected library failure must not stop a folder import
        return f"'{path}' could not be read ({type(exc).__name__}: {exc})"
    meta = dict(melody.meta)
    meta["source"] = os.path.relpath(path, root)
    return melody.replace(meta=meta)


def _folder(path: object, instrument: object, steps_per_quarter: object) -> Path:
    """The folder ``path`` names, after the reading options are checked (before any file is read)."""
    if instrument is not None and not isinstance(instrument, str):
        arguments.whole(instrument, "instrument (a track number, a name, or None)", 0)
    check_steps_per_quarter(steps_per_quarter)
    return Path(arguments.path(path)).expanduser()


def load_midi_folder(
    path: str | os.PathLike[str],
    *,
    recursive: bool = True,
    instrument: int | str | None = None,
    steps_per_quarter: int = 4,
    progress: bool = True,
) -> Corpus:
    """Read every MIDI file under ``path`` (recursively by default) into a ``Corpus``.

    Each file gives one melody (see :func:`jupymuse.read_midi` for how a line is chosen). Unreadable
    files are skipped and listed in ``corpus.skipped``; a warning summarises them.

    One process reads ~900 small files a second; a process pool gained only ~20% on two cores
    (its start-up eats the rest), so reading stays in this process.

    Raises:
        CorpusError: the folder does not exist, holds no MIDI files, or none of them is readable.
    """
    from tqdm.auto import tqdm

    folder = _folder(path, instrument, steps_per_quarter)
    if not folder.exists():
        raise CorpusError(f"the folder '{folder}' does not exist")
    if not folder.is_dir():
        raise CorpusError(f"'{folder}' is a file, not a folder (use jupymuse.read_midi for one file)")
    files = find_midi_files(folder, recursive)
    if not files:
        raise CorpusError(f"no MIDI files (.mid, .midi) found in '{folder}'")
    root = str(folder)
    melodies: list[Melody] = []
    skipped: list[SkippedFile] = []
    for f in tqdm(files, desc=f"reading {folder.name}", unit="file", disable=not progress):
        got = _read_one(str(f), instrument, steps_per_quarter, root)
        if isinstance(got, str):
            skipped.append(SkippedFile(str(f), got))
        else:
            melodies.append(got)
    if not melodies:
        first = skipped[0].reason if skipped else ""
        raise CorpusError(f"none of the {len(files)} MIDI files in '{folder}' could be read; the first: {first}")
    if skipped:
        shown = "\n".join(f"  {s.reason}" for s in skipped[:10])
        more = f"\n  ... and {len(skipped) - 10} more (see corpus.skipped)" if len(skipped) > 10 else ""
        warnings.warn(
            f"skipped {len(skipped)} of {len(files)} MIDI files in '{folder}':\n{shown}{more}",
            JupymuseWarning,
            stacklevel=2,
        )
    return Corpus(melodies, name=str(folder), skipped=skipped)


class MidiFolderStream:
    """A folder of MIDI files read lazily, file by file, every time it is iterated.

    For training on folders larger than memory: ``GRUModel.fit(stream_midi_folder(path))`` reads
    the files again each epoch and never holds more than a buffer of them. Unreadable files are
    skipped silently here (``load_midi_folder`` lists them); ``skipped`` counts them per pass.
    """

    def __init__(self, folder: Path, files: list[Path], instrument: int | str | None, steps_per_quarter: int) -> None:
        self.folder = folder
        self.files = files
        self.instrument = instrument
        self.steps_per_quarter = steps_per_quarter
        self.skipped = 0

    def __len__(self) -> int:
        """Number of MIDI files (melodies, if all are readable)."""
        return len(self.files)

    def __iter__(self) -> Iterator[Melody]:
        self.skipped = 0
        root = str(self.folder)
        for f in self.files:
            got = _read_one(str(f), self.instrument, self.steps_per_quarter, root)
            if isinstance(got, str):
                self.skipped += 1
            else:
                yield got

    def __repr__(self) -> str:
        return f"<MidiFolderStream '{self.folder}': {len(self.files)} files>"


def stream_midi_folder(
    path: str | os.PathLike[str],
    *,
    recursive: bool = True,
    instrument: int | str | None = None,
    steps_per_quarter: int = 4,
) -> MidiFolderStream:
    """The MIDI files under ``path`` as a lazy, re-readable stream of melodies (see ``MidiFolderStream``).

    Raises:
        CorpusError: the folder does not exist or holds no MIDI files.
    """
    folder = _folder(path, instrument, steps_per_quarter)
    if not folder.is_dir():
        raise CorpusError(f"the folder '{folder}' does not exist")
    files = find_midi_files(folder, recursive)
    if not files:
        raise CorpusError(f"no MIDI files (.mid, .midi) found in '{folder}'")
    return MidiFolderStream(folder, files, instrument, steps_per_quarter)
