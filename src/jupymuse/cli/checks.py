"""Checks of the command line that run before any data or model loads (so before TensorFlow).

Single values are checked by the argparse ``type`` functions here (argparse then names the flag);
what depends on several flags or on the file system is checked by the functions below, which raise
:class:`UsageError` naming the flag.
"""

from __future__ import annotations

import argparse
import difflib
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import JupymuseError
from ..models.generation import MAX_GENERATE_STEPS, MAX_GENERATED_EVENTS

MAX_SEED = 2**31 - 1
"""Seeds fit every random generator involved (numpy, Keras, the compiled sampler), even plus a fold."""
MAX_LENGTH = MAX_GENERATE_STEPS
"""Events per generated melody: the models' own limit (``generate`` refuses more the same way)."""
MAX_EVENTS = MAX_GENERATED_EVENTS
"""``-n`` times ``--length``: the events of one ``generate`` in all, the models' own limit."""


class UsageError(JupymuseError):
    """A command line that cannot be carried out as given; the message starts with the flag."""

    def __init__(self, flag: str, message: str) -> None:
        super().__init__(f"argument {flag}: {message}")


# ---------------------------------------------------------------------- single values (argparse types)
def whole(low: int, high: int | None = None, what: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (``what`` explains the upper limit)."""
    span = f"from {low} to {high}" if high is not None else f"at least {low}"
    reason = f" ({what})" if what else ""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number {span}, not '{text}'") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {span}{reason}, not {value}")
        return value

    return parse


def real(low: float, high: float, *, open_low: bool = False, open_high: bool = True) -> Callable[[str], float]:
    """An argparse type: a finite number in the interval from ``low`` to ``high``."""
    span = f"{'(' if open_low else '['}{low:g}, {high:g}{')' if open_high else ']'}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number in {span}, not '{text}'") from None
        above = value > low if open_low else value >= low
        below = value < high if open_high else value <= high
        if not (math.isfinite(value) and above and below):
            raise argparse.ArgumentTypeError(f"must be in {span}, not {text}")
        return value

    return parse


SEED = whole(0, MAX_SEED)


def _pair(text: str, sep: str, form: str, low: int) -> tuple[int, int]:
    """``text`` as two whole numbers of at least ``low`` joined by ``sep`` (one number alone: both)."""
    parts = text.split(sep)
    if len(parts) > 2 or not all(p.strip().isascii() and p.strip().isdigit() and len(p.strip()) <= 9 for p in parts):
        raise argparse.ArgumentTypeError(f"must be {form}, not '{text}'")
    first, last = int(parts[0]), int(parts[-1])
    if min(first, last) < low:
        raise argparse.ArgumentTypeError(f"must be {form} counted from {low}, not '{text}'")
    return first, last


def bars_arg(text: str) -> tuple[int, int]:
    """An argparse type for ``--bars``: ``FIRST-LAST`` (or one bar), counted from 1, inclusive."""
    first, last = _pair(text, "-", "FIRST-LAST bar numbers like 3-4 (or one bar, like 3)", 1)
    if last < first:
        raise argparse.ArgumentTypeError(f"the last bar comes before the first in '{text}': write {last}-{first}")
    return first, last


def span_arg(text: str) -> tuple[int, int]:
    """An argparse type for ``--span``: ``START:END`` in grid steps (whether the span is empty, or fits the
    melody, is checked with the melody)."""
    if ":" not in text:
        raise argparse.ArgumentTypeError(f"must be START:END in grid steps like 32:64, not '{text}'")
    return _pair(text, ":", "START:END in grid steps like 32:64", 0)


def setting_arg(name: str) -> Callable[[str], Any]:
    """An argparse type for the ``SamplingSettings`` field ``name``: its text read and checked by the
    settings' own check, so the flag says the same limit as ``generate`` does.

    Whether a style's names are the model's is checked once the model is loaded, before generating.
    """
    from ..models.sampling_settings import SamplingSettings, parse_text

    kind = "a whole number" if name in ("top_k", "length", "bars", "pitch_range") else "a number"

    def parse(text: str) -> Any:
        try:
            value = parse_text(name, text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc) if name == "style" else f"must be {kind}, not '{text}'") from None
        try:
            SamplingSettings().replace(**{name: (value, value) if name == "pitch_range" else value})
        except JupymuseError as exc:  # "top_p must be ...": argparse names the flag, so the field goes
            raise argparse.ArgumentTypeError(str(exc).removeprefix(f"{name} ")) from None
        return value

    return parse


# ---------------------------------------------------------------------- names
def suggestion(text: str, choices: Sequence[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or nothing."""
    close = difflib.get_close_matches(text, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _files_beside(path: Path, suffixes: Sequence[str]) -> list[str]:
    """Names of files with ``suffixes`` in ``path``'s folder, spelled as ``path`` would be."""
    folder = path.parent
    try:
        found = [p for p in folder.iterdir() if p.suffix.lower() in suffixes and p.is_file()]
    except OSError:
        return []
    return [str(folder / p.name) if str(path.parent) != "." else p.name for p in found]


def check_model_file(flag: str, text: str, keywords: Sequence[str], suffixes: Sequence[str]) -> Path | None:
    """``text`` as a readable model file, or None when it is one of ``keywords``."""
    if text in keywords:
        return None
    path = Path(text).expanduser()
    if path.is_dir():
        raise UsageError(flag, f"'{text}' is a folder, not a model file")
    if not path.is_file():
        named = ", ".join(f"'{k}'" for k in keywords)
        hint = suggestion(text, [*keywords, *_files_beside(path, suffixes)])
        raise UsageError(flag, f"'{text}' is not {named} or a model file{hint}")
    if not os.access(path, os.R_OK):
        raise UsageError(flag, f"'{text}' cannot be read (permission denied)")
    return path


def check_corpus(flag: str, text: str) -> Path | None:
    """A folder of MIDI files (its path), or None when ``text`` names a built-in corpus."""
    from ..corpus import list_corpora

    path = Path(text).expanduser()
    if path.is_dir():
        return path
    names = [c.name for c in list_corpora()]
    base = text.partition(":")[0]
    if base in names:
        return None
    if path.exists():
        raise UsageError(flag, f"'{text}' is a file: name a built-in corpus or a folder of MIDI files")
    hint = suggestion(base, names) or f" (the built-in corpora are: {', '.join(names)})"
    raise UsageError(flag, f"there is no built-in corpus or folder called '{text}'{hint}")


def check_sampling_limits(length: int, n: int) -> None:
    """``-n`` times ``--length`` within ``MAX_EVENTS``."""
    if length * n > MAX_EVENTS:
        raise UsageError(
            "-n",
            f"{n} melodies of --length {length} are {n * length} events; at most {MAX_EVENTS} in all "
            "(fewer melodies or shorter ones)",
        )


# ---------------------------------------------------------------------- output files
MELODY_SUFFIXES = {".mid": "MIDI", ".midi": "MIDI", ".musicxml": "MusicXML", ".xml": "MusicXML", ".abc": "ABC"}
"""The files a melody is read from and written to, by suffix (case ignored)."""
MELODY_FORMATS = "MIDI, MusicXML or ABC"


def check_melody_suffix(text: str) -> str:
    """The format (``"MIDI"``, ``"MusicXML"`` or ``"ABC"``) the ``--out`` suffix asks for; any other suffix
    refused."""
    fmt = MELODY_SUFFIXES.get(Path(text).suffix.lower())
    if fmt is None:
        raise UsageError("--out", f"must end in {', '.join(MELODY_SUFFIXES)} ({MELODY_FORMATS}), not '{text}'")
    return fmt


def numbered(out: Path, count: int) -> list[Path]:
    """The files ``count`` results go to: ``out`` itself, or ``out-1``, ``out-2``, ... before the suffix."""
    if count == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{i + 1}{out.suffix}") for i in range(count)]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def check_outputs(
    text: str,
    *,
    force: bool,
    count: int = 1,
    suffix: str | None = None,
    inputs: Sequence[tuple[str, Path]] = (),
    input_folder: Path | None = None,
) -> list[Path]:
    """The files ``--out`` names, refused before any work if one cannot or must not be written.

    The policy: the folder must exist (nothing is created); an existing file is replaced only with
    ``force``; an input (``inputs``: a description and a file; ``input_folder``: a ``--corpus``
    folder whose MIDI files are read) is never replaced.
    """
    from ..corpus.folder import MIDI_SUFFIXES

    out = Path(text).expanduser()
    if suffix is not None and out.suffix.lower() != suffix:
        raise UsageError("--out", f"must name a {suffix} file, not '{text}'")
    if out.is_dir():
        raise UsageError("--out", f"'{text}' is a folder: name a file in it")
    folder = out.parent
    if not folder.exists():
        raise UsageError("--out", f"the folder '{folder}' does not exist (create it first)")
    if not folder.is_dir():
        raise UsageError("--out", f"'{folder}' is not a folder")
    targets = numbered(out, count)
    for target in targets:
        for what, path in inputs:
            if _same_file(target, path):
                raise UsageError("--out", f"'{target}' is {what}: write to another file")
        midi = target.suffix.lower() in MIDI_SUFFIXES
        if input_folder is not None and midi and target.exists() and _inside(target, input_folder):
            raise UsageError("--out", f"'{target}' is one of the --corpus MIDI files: write to another file")
        if target.exists() and not target.is_file():
            raise UsageError("--out", f"'{target}' is not a regular file")
        if target.exists() and not force:
            raise UsageError("--out", f"'{target}' already exists (add --force to replace it)")
    _check_writable(folder)
    return targets


def _check_writable(folder: Path) -> None:
    """Create and remove a hidden file in ``folder``: the one sure test that a file can be written there."""
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".jupymuse-")
    except OSError as exc:
        raise UsageError("--out", f"cannot write in the folder '{folder}' ({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(probe)
