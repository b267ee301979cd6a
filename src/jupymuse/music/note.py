"""One note on a step grid, with the MIDI limits it must respect."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from ..errors import InvalidNoteError

MIN_PITCH = 0
"""Lowest MIDI pitch (C-1)."""
MAX_PITCH = 127
"""Highest MIDI pitch (G9)."""
MIN_VELOCITY = 1
"""Softest audible MIDI velocity (velocity 0 means note-off in MIDI)."""
MAX_VELOCITY = 127
"""Loudest MIDI velocity."""
DEFAULT_VELOCITY = 100
"""Velocity of notes that do not say otherwise."""
MAX_STEPS = 1 << 20
"""Latest step a note may end on: about 36 hours of 4/4 at 120 BPM. Beyond it timing is broken."""


def as_int(value: object, what: str) -> int:
    """Return ``value`` as an ``int`` if it is a whole number (int, numpy int, or float like 4.0).

    Raises:
        InvalidNoteError: for NaN, infinities, fractions, booleans, strings and other types.
    """
    if type(value) is int:  # the usual case, first: the numbers ABCs below cost 3 us a call
        return value
    if isinstance(value, bool):
        raise InvalidNoteError(f"{what} must be a whole number, not {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        if math.isfinite(f) and f.is_integer():
            return int(f)
        raise InvalidNoteError(f"{what} must be a whole number, not {value!r}")
    raise InvalidNoteError(f"{what} must be a whole number, not {value!r}")


@dataclass(frozen=True, slots=True)
class Note:
    """A note: MIDI ``pitch``, ``start`` step, ``duration`` in steps, and ``velocity``.

    Times are whole steps of the melody's grid (by default 4 steps per quarter note, so a quarter note
    lasts 4 steps). Values are checked on creation so a bad note can never enter a melody.

    Raises:
        InvalidNoteError: pitch outside 0-127, start < 0, duration < 1, velocity outside 1-127, or a
            value that is not a whole number.
    """

    pitch: int
    start: int
    duration: int
    velocity: int = DEFAULT_VELOCITY

    def __post_init__(self) -> None:
        pitch = as_int(self.pitch, "pitch")
        start = as_int(self.start, "start")
        duration = as_int(self.duration, "duration")
        velocity = as_int(self.velocity, "velocity")
        if not MIN_PITCH <= pitch <= MAX_PITCH:
            raise InvalidNoteError(f"pitch {pitch} is outside the MIDI range {MIN_PITCH}-{MAX_PITCH} (60 is middle C)")
        if start < 0:
            raise InvalidNoteError(f"a note cannot start before step 0 (start={start})")
        if duration < 1:
            raise InvalidNoteError(f"a note must last at least one step (duration={duration})")
        if start + duration > MAX_STEPS:
            raise InvalidNoteError(
                f"a note ending at step {start + duration} is beyond the last allowed step "
                f"{MAX_STEPS}; the timing looks broken"
            )
        if not MIN_VELOCITY <= velocity <= MAX_VELOCITY:
            raise InvalidNoteError(
                f"velocity {velocity} is outside {MIN_VELOCITY}-{MAX_VELOCITY} (how hard the key is hit)"
            )
        object.__setattr__(self, "pitch", pitch)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "duration", duration)
        object.__setattr__(self, "velocity", velocity)

    @property
    def end(self) -> int:
        """The step where the note stops sounding (exclusive)."""
        return self.start + self.duration


def checked_note(pitch: int, start: int, duration: int, velocity: int) -> Note:
    """A ``Note`` from plain ints already checked against the limits above (skips the checks: for
    bulk decoding, e.g. the piano roll's rows after ``codec.check_rows``)."""
    note = object.__new__(Note)
    object.__setattr__(note, "pitch", pitch)
    object.__setattr__(note, "start", start)
    object.__setattr__(note, "duration", duration)
    object.__setattr__(note, "velocity", velocity)
    return note
