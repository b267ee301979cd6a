"""A gap in a melody: the span of steps ``[start, end)`` that ``infill`` or ``vary`` writes anew, checked.

A :class:`Gap` splits a melody in three: the notes before the span (they end by ``start``), the notes
inside it (the ones to replace) and the notes after it (they start at ``end`` or later). Everything
outside the span stays as it is; a filled melody is the notes before, the new events laid from
where the new part starts, and the notes after. :func:`find_gap` refuses a span that is empty, runs
past the melody's end, or cuts through a note, before any work.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import arguments
from ..errors import ModelError, SettingError
from ..music import Melody
from ..music.events import REST, Event, events_to_notes, melody_events
from ..music.notation import pitch_name
from ..music.note import Note

__all__ = ["SUFFIX_NOTES", "Gap", "find_gap"]

SUFFIX_NOTES = 64
"""Notes after the span whose chance weighs a candidate: further on, a span changes the models'
predictions very little (a Markov chain of order k not at all after k events), and the cost of a
fill stays bounded however long the melody is."""


@dataclass(frozen=True)
class Gap:
    """The span ``[start, end)`` of ``melody``: the notes before it, inside it and after it."""

    melody: Melody
    start: int
    end: int
    before: tuple[Note, ...]
    inside: tuple[Note, ...]
    after: tuple[Note, ...]

    @property
    def length(self) -> int:
        """Grid steps in the span."""
        return self.end - self.start

    @property
    def prefix(self) -> Melody:
        """The melody up to the span (its notes before ``start``), as the models read it first."""
        return self.melody.replace(notes=self.before)

    @property
    def kept(self) -> Melody:
        """The melody without the notes inside the span: what key and range locks read."""
        return self.melody.replace(notes=self.before + self.after)

    def history(self, draw_from: int) -> list[Event]:
        """The events a model reads before drawing from step ``draw_from``: the prefix's events, then
        the silence from its last note to ``draw_from`` (a rest event; none before the first note)."""
        events = melody_events(self.prefix)
        if self.before and draw_from > self.before[-1].end:
            events.append((REST, draw_from - self.before[-1].end))
        return events

    def filled(self, events: list[Event], draw_from: int, *, scoring: bool = False) -> Melody:
        """The melody with ``events`` laid from step ``draw_from`` in place of the notes inside the span.

        With ``scoring``, only the first ``SUFFIX_NOTES`` notes after the span are kept (what weighs it).
        """
        after = self.after[:SUFFIX_NOTES] if scoring else self.after
        return self.melody.replace(notes=(*self.before, *events_to_notes(events, draw_from), *after))

    def inside_events(self) -> list[Event]:
        """The events of the notes inside the span, from its first note to its last (rests between them)."""
        return melody_events(self.melody.replace(notes=self.inside))


def _describe(index: int, note: Note) -> str:
    """A note as people count them (from 1, as the roll's words and attribution do)."""
    return f"note {index + 1} ({pitch_name(note.pitch)}, steps {note.start}-{note.end})"


def find_gap(melody: object, start: object, end: object, model_grid: int | None) -> Gap:
    """The checked gap ``[start, end)`` of ``melody`` (grid steps), before any work.

    Raises:
        ArgumentTypeError: ``melody`` is not a melody, or ``start``/``end`` are not whole numbers.
        SettingError: an empty span, a span before step 0 or past the melody's end, or a span whose
            start or end falls inside a note (naming the note and the step).
        ModelError: a melody on another grid than the model's.
    """
    m = arguments.melody(melody)
    s, e = arguments.whole(start, "start"), arguments.whole(end, "end")
    if e <= s:
        raise SettingError(f"the span [{s}, {e}) is empty: end must be after start (both in grid steps)")
    if s < 0:
        raise SettingError(f"the span [{s}, {e}) starts before step 0")
    if e > m.end:
        raise SettingError(
            f"the span [{s}, {e}) runs past the melody's end at step {m.end}: a span lies within the melody "
            "(to add music after it, use generate)"
        )
    if m.steps_per_quarter != model_grid:
        raise ModelError(f"the melody uses {m.steps_per_quarter} steps per quarter but the model works on {model_grid}")
    for i, note in enumerate(m.notes):
        for edge, name in ((s, "start"), (e, "end")):
            if note.start < edge < note.end:
                raise SettingError(
                    f"the span's {name} at step {edge} falls inside {_describe(i, note)}: move it to step "
                    f"{note.start} or {note.end}, so that the note is wholly inside or outside the span"
                )
    before = tuple(n for n in m.notes if n.start < s)
    inside = tuple(n for n in m.notes if s <= n.start < e)
    after = tuple(n for n in m.notes if n.start >= e)
    return Gap(m, s, e, before, inside, after)
