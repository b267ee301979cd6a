"""The Markov chain's part in filling and varying spans: reading rows of events, and scoring candidates.

:class:`ChainReader` is the chain's :class:`~jupymuse.models.span_draw.Reader`: each row keeps its
own history and asks the chain for its next-pitch and length distributions, as ``generate`` does.
:func:`score_by_log_prob` weighs candidates with the model's own ``log_prob``, so the figures are
exactly the ones ``log_prob`` gives; a chain of order ``k`` reads only its last ``k`` events, so
each candidate is scored from the ``k`` notes before the span on, not from the melody's start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..music.events import N_PITCH_SYMBOLS, Event, melody_events
from .gaps import Gap

if TYPE_CHECKING:
    from .markov import MarkovModel
    from .protocol import MelodyModel


class ChainReader:
    """A Markov chain reading rows of events (see :class:`~jupymuse.models.span_draw.Reader`)."""

    def __init__(self, model: MarkovModel) -> None:
        self.model = model
        self.vocab = np.zeros(N_PITCH_SYMBOLS, bool)
        self.vocab[model._pitches] = True  # what it can generate: the symbols seen in training
        self.durations = np.asarray(model._durations)
        self._histories: list[list[Event]] = []
        self._rows = np.zeros(0, np.int64)

    def reset(self, history: list[Event], first_onset: int, rows: int) -> None:
        tail = history[max(0, len(history) - self.model.order) :]  # the chain reads no further back
        self._histories = [list(tail) for _ in range(rows)]

    def predict(self, rows: np.ndarray, onsets: np.ndarray) -> np.ndarray:
        self._rows = rows
        return np.array([self.model.pitch_distribution(self._histories[r]) for r in rows.tolist()])

    def duration_probs(self, pitch: np.ndarray) -> np.ndarray:
        pairs = zip(self._rows.tolist(), pitch.tolist(), strict=True)
        return np.array([self.model.duration_distribution(self._histories[r], p)[1] for r, p in pairs])

    def read(self, pitch: np.ndarray, duration: np.ndarray) -> None:
        for r, p, d in zip(self._rows.tolist(), pitch.tolist(), duration.tolist(), strict=True):
            history = self._histories[r]
            history.append((p, d))
            if len(history) > self.model.order:  # the chain reads no further back
                del history[: len(history) - self.model.order]


def score_by_log_prob(
    model: MelodyModel, gap: Gap, spans: list[list[Event]], draw_from: int, order: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """ln P(the span's events | before) and ln P(the events after the span | before and span) of each
    candidate, from ``model.log_prob`` of the filled melody (with at most ``SUFFIX_NOTES`` notes after
    the span; from the last ``order`` notes before it when the model reads only that far back).

    The span's events are those starting before ``end`` (with the silence joining the span to the
    notes before it); the ones after, those starting at ``end`` or later.
    """
    keep = len(gap.before) if order is None else min(order, len(gap.before))
    cut = len(gap.before) - keep
    head = melody_events(gap.melody.replace(notes=gap.before[cut:]))
    out = np.zeros((len(spans), 2))
    for i, events in enumerate(spans):
        filled = gap.filled(events, draw_from, scoring=True)
        window = filled.replace(notes=filled.notes[cut:])
        scores = model.log_prob(window)
        tail = scores.events[len(head) :]
        onset = gap.before[-1].end if gap.before else window.notes[0].start
        for (_, d), lp in zip(tail, scores.note[len(head) :], strict=True):
            out[i, 0 if onset < gap.end else 1] += lp
            onset += d
    return out[:, 0], out[:, 1]
