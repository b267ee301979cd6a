"""A compact text notation for melodies, used by the CLI, the tests and the docs.

Grammar: tokens separated by spaces (``|`` bar lines are ignored). Each token is
``PITCH[:DURATION][@VELOCITY]``:

* ``PITCH`` is a note name with octave (``C4`` is middle C = MIDI 60, ``F#3``, ``Bb5``, ``C-1``),
  a MIDI number (``60``), or ``r`` for a rest. Sharps and flats both read (``A#4`` and ``Bb4`` are MIDI 70);
  written out, names follow a key when one is given (``Bb4`` in F major) and use sharps when none is.
* ``DURATION`` is in grid steps (with the default 4 steps per quarter: ``4`` = quarter note,
  ``2`` = eighth, ``16`` = whole note). When left out, the previous token's duration is reused
  (the first token defaults to one quarter note).
* ``VELOCITY`` is 1-127 (default 100).

Example: ``"C4:4 D4 E4:8 r:4 G4:16"`` is two quarters, a half note, a quarter rest, a whole note.
Notes follow each other: each token starts where the previous one ended.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import InvalidNoteError, NotationError
from .key import Key, as_key
from .note import DEFAULT_VELOCITY, MAX_PITCH, MIN_PITCH, Note
from .spelling import speller

STEP_OF_LETTER = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_NAME_RE = re.compile(r"^([A-Ga-g])([#b]*)(-?\d+)$")
_TOKEN_RE = re.compile(r"^(?P<pitch>[^:@]+)(?::(?P<dur>[^:@]+))?(?:@(?P<vel>[^:@]+))?$")


def pitch_name(pitch: int, key: Key | str | None = None) -> str:
    """Name of a MIDI pitch in scientific notation: ``60 -> "C4"``.

    With no ``key``, sharps (``70 -> "A#4"``), as MIDI tools name pitches; with one, the key's own
    spelling (:class:`jupymuse.music.spelling.Speller`): ``pitch_name(70, "F major") -> "Bb4"``,
    ``pitch_name(60, "C# major") -> "B#3"``. :func:`parse_pitch` reads every name back to ``pitch``.

    Raises:
        InvalidNoteError: a pitch outside 0-127.
        NotationError: a ``key`` text that is not a key.
    """
    if not MIN_PITCH <= pitch <= MAX_PITCH:
        raise InvalidNoteError(f"pitch {pitch} is outside the MIDI range {MIN_PITCH}-{MAX_PITCH}")
    if key is not None:
        return speller(as_key(key)).name(pitch)
    return f"{_SHARP_NAMES[pitch % 12]}{pitch // 12 - 1}"


def parse_pitch(text: str) -> int:
    """MIDI number of a note name (``"C4"``, ``"Eb3"``, ``"F##2"``) or of a number string (``"60"``).

    Raises:
        NotationError: when the text is not a pitch or lies outside 0-127.
    """
    t = text.strip()
    if t.lstrip("-").isdigit():
        value = int(t)
    else:
        m = _NAME_RE.match(t)
        if not m:
            raise NotationError(
                f"{text!r} is not a pitch: write a note name with octave like C4, F#3 or Bb5, or a MIDI number like 60"
            )
        letter, accidentals, octave = m.groups()
        value = (int(octave) + 1) * 12 + STEP_OF_LETTER[letter.upper()]
        value += accidentals.count("#") - accidentals.count("b")
    if not MIN_PITCH <= value <= MAX_PITCH:
        raise NotationError(f"pitch {text!r} (MIDI {value}) is outside the range 0-127 (C-1 to G9)")
    return value


def _parse_int(text: str, what: str, token: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise NotationError(f"in {token!r}: the {what} {text!r} is not a whole number") from None


def parse_notation(text: str, steps_per_quarter: int = 4, start: int = 0) -> list[Note]:
    """Read the text notation into notes; see the module docstring for the grammar.

    Raises:
        NotationError: with the offending token quoted.
    """
    notes: list[Note] = []
    pos = start
    duration = steps_per_quarter
    for token in text.replace("|", " ").split():
        m = _TOKEN_RE.match(token)
        if not m:
            raise NotationError(f"cannot read {token!r}: expected PITCH[:DURATION][@VELOCITY], e.g. C4:4")
        if m.group("dur") is not None:
            duration = _parse_int(m.group("dur"), "duration", token)
            if duration < 1:
                raise NotationError(f"in {token!r}: a duration must be at least 1 step")
        velocity = DEFAULT_VELOCITY
        if m.group("vel") is not None:
            velocity = _parse_int(m.group("vel"), "velocity", token)
        pitch_text = m.group("pitch")
        if pitch_text.lower() == "r":
            if m.group("vel") is not None:
                raise NotationError(f"in {token!r}: a rest has no velocity")
        else:
            try:
                notes.append(Note(parse_pitch(pitch_text), pos, duration, velocity))
            except InvalidNoteError as exc:
                raise NotationError(f"in {token!r}: {exc}") from None
        pos += duration
    return notes


def format_notation(notes: Iterable[Note], start: int = 0, *, key: Key | None = None) -> str:
    """Write notes (sorted, non-overlapping) in the text notation; gaps become rests.

    Durations are always written, so the text reads the same whatever the grid default. Pitches are
    named as :func:`pitch_name` names them in ``key`` (sharps when None).
    """
    parts: list[str] = []
    pos = start
    for note in notes:
        if note.start > pos:
            parts.append(f"r:{note.start - pos}")
        token = f"{pitch_name(note.pitch, key)}:{note.duration}"
        if note.velocity != DEFAULT_VELOCITY:
            token += f"@{note.velocity}"
        parts.append(token)
        pos = note.end
    return " ".join(parts)
