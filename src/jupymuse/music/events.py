"""Melodies as event sequences: the form the models read and write.

An event is ``(pitch, duration)``; ``pitch`` is a MIDI number or ``REST`` (128) for the silence
between two notes. The gap before the first note (a pickup) is not an event: it is the melody's
starting offset. So ``C4:4 r:2 E4:2`` is the events ``(60, 4), (128, 2), (64, 2)``.
"""

from __future__ import annotations

from collections.abc import Iterable

from .melody import Melody
from .note import DEFAULT_VELOCITY, Note

REST = 128
"""The pitch symbol of a rest event (one past the highest MIDI pitch)."""
N_PITCH_SYMBOLS = REST + 1
"""How many pitch symbols an event can hold: the 128 MIDI pitches and ``REST``; the models'
distributions over the next pitch have this many columns (column ``p`` is MIDI pitch ``p``)."""
Event = tuple[int, int]


def melody_events(melody: Melody) -> list[Event]:
    """The events of ``melody``: notes and the rests between them, in order."""
    events: list[Event] = []
    pos: int | None = None
    for n in melody.notes:
        if pos is not None and n.start > pos:
            events.append((REST, n.start - pos))
        events.append((n.pitch, n.duration))
        pos = n.end
    return events


def events_to_notes(events: Iterable[Event], start: int = 0, velocity: int = DEFAULT_VELOCITY) -> list[Note]:
    """Notes for ``events`` laid end to end from step ``start`` (rests become gaps)."""
    notes = []
    pos = start
    for pitch, duration in events:
        if pitch != REST:
            notes.append(Note(pitch, pos, duration, velocity))
        pos += duration
    return notes
