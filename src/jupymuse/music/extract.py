"""Taking one melodic line out of polyphonic input (chords, several voices or instruments).

Rule ("highest note", a skyline): go through the notes by onset; of notes starting together keep the
highest; a note that starts while a *higher* note is still sounding is dropped; a note that starts
while a *lower or equal* note sounds cuts that note short and takes over. So a sustained melody note
is not interrupted by accompaniment beneath it, and the top voice is what remains.
"""

from __future__ import annotations

from collections.abc import Iterable

from .note import Note


def highest_line(notes: Iterable[Note]) -> list[Note]:
    """The top line of possibly overlapping notes, by the rule in the module docstring."""
    ordered = sorted(notes, key=lambda n: (n.start, -n.pitch, -n.duration))
    line: list[Note] = []
    for note in ordered:
        if line:
            prev = line[-1]
            if note.start == prev.start:
                continue
            if note.start < prev.end:
                if note.pitch < prev.pitch:
                    continue
                line[-1] = Note(prev.pitch, prev.start, note.start - prev.start, prev.velocity)
        line.append(note)
    return line
