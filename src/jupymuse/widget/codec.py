"""Notes across the Python/JavaScript boundary: int32 little-endian rows (pitch, start, duration, velocity).

The one codec on the Python side (``js/src/notes.ts`` is its twin). Bytes from the page are not
trusted: every check a student could trip gives an ``InvalidNoteError`` with a plain reason.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidNoteError
from ..music import Melody, Note

FIELDS = 4
ROW_BYTES = 4 * FIELDS
MAX_NOTES = 100_000
"""Most notes a roll accepts from the page (a melody of this size already takes hours to play)."""


def melody_to_bytes(melody: Melody) -> bytes:
    """The melody's notes as rows for the page."""
    cols = melody.to_arrays()
    rows = np.stack([cols["pitch"], cols["start"], cols["duration"], cols["velocity"]], axis=1)
    return rows.astype("<i4").tobytes()


def bytes_to_notes(data: bytes | memoryview) -> list[Note]:
    """Notes from rows sent by the page, checked.

    Raises:
        InvalidNoteError: the bytes are not whole rows, there are too many notes, or a note is out
            of range (pitch 0-127, start from 0, duration at least 1, velocity 1-127).
    """
    raw = bytes(data)
    if len(raw) % ROW_BYTES:
        raise InvalidNoteError(f"the page sent {len(raw)} bytes of notes, not a whole number of notes")
    count = len(raw) // ROW_BYTES
    if count > MAX_NOTES:
        raise InvalidNoteError(f"the page sent {count:,} notes; a piano roll holds at most {MAX_NOTES:,}")
    rows = np.frombuffer(raw, dtype="<i4").reshape(count, FIELDS)
    return [Note(int(p), int(s), int(d), int(v)) for p, s, d, v in rows.tolist()]
