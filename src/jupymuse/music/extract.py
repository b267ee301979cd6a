"""One line from many notes: the two rules that make notes monophonic, in one loop.

Both go through the notes by onset and, of notes starting together, keep the highest. They differ
only in what happens to a note that starts while an earlier one is still sounding:

- **Melody rule** (:func:`monophonic`, applied by ``Melody`` on creation and mirrored by
  ``monophonic`` in ``js/src/roll/editing.ts``): the later note always wins and cuts the earlier one
  short. An edit on the piano roll therefore always shows the note just drawn.
- **Highest-line rule** (:func:`highest_line`, a skyline for polyphonic input: chords, several
  voices or instruments): a note that starts under a *higher* note still sounding is dropped; one
  that starts under a *lower or equal* note cuts it short and takes over. So a sustained melody note
  is not interrupted by accompaniment beneath it, and the top voice is what remains.
"""

from __future__ import annotations

from collections.abc import Iterable

from .note import Note


def _one_line(ordered: Iterable[Note], drop_under_higher: bool) -> list[Note]:
    """The loop both rules share; ``ordered`` is sorted by start, highest pitch first on a start."""
    line: list[Note] = []
    for note in ordered:
        if line:
            prev = line[-1]
            if note.start == prev.start:
                continue
            if note.start < prev.end:
                if drop_under_higher and note.pitch < prev.pitch:
                    continue
                line[-1] = Note(prev.pitch, prev.start, note.start - prev.start, prev.velocity)
        line.append(note)
    return line


def monophonic(notes: Iterable[Note]) -> tuple[Note, ...]:
    """The melody rule: sorted by start, the highest of a start kept, a sounding note cut by the next."""
    return tuple(_one_line(sorted(notes, key=lambda n: (n.start, -n.pitch)), drop_under_higher=False))


def highest_line(notes: Iterable[Note]) -> list[Note]:
    """The top line of possibly overlapping notes (the highest-line rule; of equal notes the longest)."""
    return _one_line(sorted(notes, key=lambda n: (n.start, -n.pitch, -n.duration)), drop_under_higher=True)
