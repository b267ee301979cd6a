"""Notes across the Python/JavaScript boundary: int32 little-endian rows (pitch, start, duration, velocity).

The one codec on the Python side (``js/src/notes.ts`` is its twin). Bytes from the page are not
trusted: every check a student could trip gives an ``InvalidNoteError`` with a plain reason.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidNoteError
from ..music import Melody, Note
from ..music.extract import monophonic
from ..music.note import MAX_PITCH, MAX_STEPS, MAX_VELOCITY, MIN_PITCH, MIN_VELOCITY, checked_note

FIELDS = 4
ROW_BYTES = 4 * FIELDS
MAX_NOTES = 100_000
"""Most notes a roll accepts from the page (a melody of this size already takes hours to play)."""


def melody_to_bytes(melody: Melody) -> bytes:
    """The melody's notes as rows for the page."""
    cols = melody.to_arrays()
    rows = np.stack([cols["pitch"], cols["start"], cols["duration"], cols["velocity"]], axis=1)
    return rows.astype("<i4").tobytes()


def check_rows(data: bytes | bytearray | memoryview) -> np.ndarray:
    """The page's note rows as an int64 array (notes x 4), every value checked at once.

    Raises:
        InvalidNoteError: the bytes are not whole rows, there are too many notes, or a note is out
            of range (pitch 0-127, start from 0, duration at least 1, velocity 1-127); the message
            is the one ``Note`` gives for the first bad note.
    """
    raw = memoryview(data).cast("B")
    if len(raw) % ROW_BYTES:
        raise InvalidNoteError(f"the page sent {len(raw)} bytes of notes, not a whole number of notes")
    count = len(raw) // ROW_BYTES
    if count > MAX_NOTES:
        raise InvalidNoteError(f"the page sent {count:,} notes; a piano roll holds at most {MAX_NOTES:,}")
    rows = np.frombuffer(raw, dtype="<i4").reshape(count, FIELDS).astype(np.int64)
    pitch, start, duration, velocity = rows.T
    bad = (pitch < MIN_PITCH) | (pitch > MAX_PITCH) | (start < 0) | (duration < 1)
    bad |= (start + duration > MAX_STEPS) | (velocity < MIN_VELOCITY) | (velocity > MAX_VELOCITY)
    if bad.any():
        Note(*rows[int(np.argmax(bad))].tolist())  # raises with the reason
    return rows


def bytes_to_notes(data: bytes | bytearray | memoryview) -> list[Note]:
    """Notes from rows sent by the page, checked (see :func:`check_rows`).

    Raises:
        InvalidNoteError: bad bytes or a note out of range.
    """
    return [checked_note(p, s, d, v) for p, s, d, v in check_rows(data).tolist()]


def canonical_rows(data: bytes | bytearray | memoryview) -> bytes:
    """The page's rows checked and with the monophony rule applied, as the kernel keeps them.

    Rows already sorted and not overlapping (every edit the page makes) are checked in one numpy
    pass and kept as they are; others go through ``Melody``'s rule.

    Raises:
        InvalidNoteError: bad bytes or a note out of range.
    """
    rows = check_rows(data)
    start, end = rows[:, 1], rows[:, 1] + rows[:, 2]
    if bool(np.all(start[1:] >= end[:-1]) and np.all(start[1:] > start[:-1])):
        return rows.astype("<i4").tobytes()
    notes = monophonic(checked_note(p, s, d, v) for p, s, d, v in rows.tolist())
    return np.array([(n.pitch, n.start, n.duration, n.velocity) for n in notes], "<i4").reshape(-1, FIELDS).tobytes()
