"""What each new event of a span may be: the rules of filling a gap and of varying a phrase.

A span is drawn one event at a time for many candidates (rows) at once (:mod:`.span_draw`). Before
each event a rule says, per row, which symbols (the 128 pitches and the rest) and which lengths the
model may choose from, or fixes them:

* :class:`FillRule` (``infill``): any pitch the settings allow, lengths that still fit in the span,
  until the span is full to the step. A rest never follows a rest, and a gap at the very start of a
  melody begins with a note (the silence before a first note is not an event).
* :class:`RhythmRule` (``vary(keep="rhythm")``): the span's own rhythm (every event's length, and its
  rests) with new pitches; with ``contour``, each new pitch moves the way the old one did (up, down
  or the same) from the note before it.
* :class:`PitchRule` (``vary(keep="pitches")``): the span's own pitches in order with new lengths,
  where the model may also put rests between them, filling the span to the step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..music.events import N_PITCH_SYMBOLS, REST, Event


@dataclass
class RowState:
    """Where each row (candidate) stands: its onset, the steps left, its last event and its events."""

    onset: np.ndarray
    end: int
    last_rest: np.ndarray
    """Whether the row's last event is a rest (or no rest may come next: a melody's first event)."""
    last_note: np.ndarray
    """The row's last pitch (-1: no note yet)."""
    notes: np.ndarray
    """Notes drawn so far."""
    events: list[list[Event]] = field(default_factory=list)

    @classmethod
    def begin(cls, rows: int, draw_from: int, end: int, *, no_rest: bool, last_note: int) -> RowState:
        """``rows`` rows about to draw from step ``draw_from`` to ``end``."""
        return cls(
            onset=np.full(rows, draw_from),
            end=end,
            last_rest=np.full(rows, no_rest),
            last_note=np.full(rows, last_note),
            notes=np.zeros(rows, dtype=np.int64),
            events=[[] for _ in range(rows)],
        )

    @property
    def remaining(self) -> np.ndarray:
        """Steps each row has left to fill."""
        return np.asarray(self.end - self.onset)

    @property
    def drawn(self) -> int:
        """Events drawn so far by the rows that drew the most."""
        return max((len(e) for e in self.events), default=0)

    def advance(self, rows: np.ndarray, pitch: np.ndarray, duration: np.ndarray) -> None:
        """Rows ``rows`` drew one event each."""
        rest = pitch == REST
        self.onset[rows] += duration
        self.last_rest[rows] = rest
        self.last_note[rows] = np.where(rest, self.last_note[rows], pitch)
        self.notes[rows] += ~rest
        for r, p, d in zip(rows.tolist(), pitch.tolist(), duration.tolist(), strict=True):
            self.events[r].append((p, d))


Options = tuple[np.ndarray, np.ndarray]
"""A rule's answer for the active rows: a mask (rows, choices) and a fixed value per row (-1 or 0: free)."""


def fitting(durations: np.ndarray, limit: np.ndarray) -> Options:
    """Lengths of ``durations`` up to each row's ``limit``; a row none of them fits gets ``limit`` itself."""
    mask = durations[None, :] <= limit[:, None]
    return mask, np.where(mask.any(axis=1), 0, limit)


class FillRule:
    """``infill``: any allowed pitch and any length that fits, until the span is full to the step."""

    def __init__(self, allowed: np.ndarray, one_note: int | None = None) -> None:
        self.allowed = allowed
        self.single_duration = one_note
        """The span's length when it held one note: temperature 0 then tries every single note."""

    def done(self, s: RowState) -> np.ndarray:
        return np.asarray(s.remaining <= 0)

    def pitches(self, s: RowState, rows: np.ndarray, vocab: np.ndarray) -> Options:
        mask = np.tile(self.allowed & vocab, (len(rows), 1))
        mask[:, REST] &= ~s.last_rest[rows]
        return mask, np.full(len(rows), -1)

    def durations(self, s: RowState, rows: np.ndarray, pitch: np.ndarray, durations: np.ndarray) -> Options:
        return fitting(durations, s.remaining[rows])


class RhythmRule:
    """``vary(keep="rhythm")``: the span's events keep their lengths and rests; notes get new pitches.

    With ``contour``, note ``k`` moves from the note before it as the old note ``k`` did (up, down or
    the same); where the allowed pitches leave no such move, the nearest one outside them is taken.
    """

    def __init__(self, events: list[Event], allowed: np.ndarray, contour: list[int | None] | None) -> None:
        self.pattern = events
        self.allowed = allowed
        self.contour = contour
        """Per event: +1 up, -1 down, 0 the same as the note before, None free."""
        single = len(events) == 1 and events[0][0] != REST
        self.single_duration = events[0][1] if single else None

    def done(self, s: RowState) -> np.ndarray:
        return np.asarray([len(e) >= len(self.pattern) for e in s.events])

    def pitches(self, s: RowState, rows: np.ndarray, vocab: np.ndarray) -> Options:
        k = len(s.events[rows[0]])  # every row draws its k-th event together
        fixed = np.full(len(rows), -1)
        if self.pattern[k][0] == REST:
            return np.zeros((len(rows), N_PITCH_SYMBOLS), bool), np.full(len(rows), REST)
        free = self.allowed & vocab
        free[REST] = False
        mask = np.tile(free, (len(rows), 1))
        way = None if self.contour is None else self.contour[k]
        if way is None:
            return mask, fixed
        symbols = np.arange(N_PITCH_SYMBOLS)
        for i, prev in enumerate(s.last_note[rows].tolist()):
            if prev < 0:
                continue
            if way == 0:
                mask[i], fixed[i] = False, prev
                continue
            mask[i] &= (symbols - prev) * way > 0
            if not mask[i].any():  # no allowed pitch moves that way: the nearest step that does
                fixed[i] = min(max(prev + way, 0), 127)
        return mask, fixed

    def durations(self, s: RowState, rows: np.ndarray, pitch: np.ndarray, durations: np.ndarray) -> Options:
        k = len(s.events[rows[0]])
        return np.zeros((len(rows), len(durations)), bool), np.full(len(rows), self.pattern[k][1])


class PitchRule:
    """``vary(keep="pitches")``: the span's pitches in order, new lengths (and rests the model may add
    between them), until the span is full to the step; every note keeps at least one step."""

    single_duration = None

    def __init__(self, pitches: list[int]) -> None:
        self.sequence = np.asarray(pitches)

    def done(self, s: RowState) -> np.ndarray:
        return np.asarray((s.notes >= len(self.sequence)) & (s.remaining <= 0))

    def pitches(self, s: RowState, rows: np.ndarray, vocab: np.ndarray) -> Options:
        mask = np.zeros((len(rows), N_PITCH_SYMBOLS), bool)
        fixed = np.full(len(rows), -1)
        left = len(self.sequence) - s.notes[rows]
        for i, (j, room) in enumerate(zip(s.notes[rows].tolist(), (s.remaining[rows] - left).tolist(), strict=True)):
            if j >= len(self.sequence):
                fixed[i] = REST  # every note placed: silence to the span's end
                continue
            mask[i, self.sequence[j]] = True
            mask[i, REST] = room >= 1 and not s.last_rest[rows[i]]
        return mask, fixed

    def durations(self, s: RowState, rows: np.ndarray, pitch: np.ndarray, durations: np.ndarray) -> Options:
        left = len(self.sequence) - s.notes[rows]
        after = np.where(pitch == REST, left, left - 1)  # notes still to come after this event
        limit = s.remaining[rows] - np.maximum(after, 0)
        mask, fixed = fitting(durations, limit)
        done = left <= 0  # the closing rest fills the rest of the span
        mask[done], fixed[done] = False, s.remaining[rows][done]
        return mask, fixed
