"""Foreign openings: training melodies of one style that start with a few notes of another.

A student's primer is often from another style than the one asked for (a chorale's first notes, then
"go on as an Irish tune"). Trained only on whole melodies of each style, the network learns that a
melody's first notes tell its style, and follows the primer. So ``scripts/train_default.py`` shows a
share of each style's melodies with an opening borrowed from a melody of another style: the first
2-8 notes of that melody, moved into the melody's key and octave, its last note held until the
melody's own first note (at the same place in the bar as in the original). The melody carries its
own style label, and the borrowed notes are read but never learned (``meta["unscored"]``: the
training targets of those events are left out), so the network learns to go on in the style it was
asked for after anything, without learning that the style begins with foreign notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .. import arguments
from ..music import Melody, Note
from ..music.events import melody_events
from ..music.keys import tonic_class

UNSCORED = "unscored"
"""``Melody.meta`` key: how many events at the start are read in training but not learned."""
OPENING_NOTES = (2, 8)
"""The fewest and most notes an opening borrows."""


def with_opening(melody: Melody, source: Melody, notes: int) -> Melody | None:
    """``melody`` after the first ``notes`` notes of ``source``, or None when either is too short or
    the two are on different grids.

    The opening is transposed so its key's tonic is the melody's and its last note lies within six
    semitones of the melody's first; its last note lasts until the melody's first note, which keeps
    its place in the bar. ``meta[UNSCORED]`` counts the opening's events (notes and rests).
    """
    melody, source = arguments.melody(melody, "melody"), arguments.melody(source, "source")
    notes = arguments.whole(notes, "notes", 1)
    if len(source) < notes or not len(melody) or source.steps_per_quarter != melody.steps_per_quarter:
        return None
    opening = source[:notes]
    opening = opening.shift(-opening.notes[0].start)
    tonic_m, tonic_o = tonic_class(melody), tonic_class(source)
    shift = ((tonic_m or 0) - (tonic_o or 0)) % 12
    shift -= 12 * round((opening.notes[-1].pitch + shift - melody.notes[0].pitch) / 12)
    try:
        opening = opening.transpose(shift)
    except ValueError:  # InvalidNoteError: out of the MIDI range
        return None
    spb = melody.steps_per_bar
    first = melody.notes[0].start
    join = opening.end + (first - opening.end) % spb  # the melody's first note keeps its place in the bar
    last = opening.notes[-1]
    held = Note(last.pitch, last.start, join - last.start, last.velocity)
    body = [Note(n.pitch, n.start - first + join, n.duration, n.velocity) for n in melody.notes]
    joined = melody.replace(notes=[*opening.notes[:-1], held, *body])
    events = len(melody_events(opening.replace(notes=[*opening.notes[:-1], held])))
    return joined.replace(meta={**melody.meta, UNSCORED: events})


def add_openings(styles: Mapping[str, Sequence[Melody]], share: float, seed: int) -> dict[str, list[Melody]]:
    """Each style's melodies, a ``share`` of them (chosen by ``seed``) with a foreign opening: from a
    random melody of a random other style, ``OPENING_NOTES`` notes long. Needs two styles or more."""
    share = arguments.number(share, "share", 0, 1)
    names = list(styles)
    rng = np.random.default_rng(seed)
    out: dict[str, list[Melody]] = {}
    for name, melodies in styles.items():
        others = [o for o in names if o != name and len(styles[o])]
        row: list[Melody] = []
        for m in melodies:
            if others and rng.random() < share:
                pool = styles[others[int(rng.integers(len(others)))]]
                source = pool[int(rng.integers(len(pool)))]
                k = int(rng.integers(OPENING_NOTES[0], OPENING_NOTES[1] + 1))
                joined = with_opening(m, source, k)
                row.append(joined if joined is not None else m)
            else:
                row.append(m)
        out[name] = row
    return out
