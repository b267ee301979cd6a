"""The GRU's part in filling and varying spans: every candidate read side by side on the numpy engine.

The music before the span is read once; every candidate (a row) starts from that state. Drawing,
the rows still drawing advance together, one matrix product per event for all of them. Scoring,
each row reads its own events after the music before the span (its span, then the notes after it)
and all rows again advance together; a row that has read all of its events waits. So 64 candidates
cost about what one melody costs to score, not 64 times as much. The scores are the ones
``GRUModel.log_prob`` gives (the same escape mass for events the token scheme lacks; a test holds
them equal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..music.events import N_PITCH_SYMBOLS, Event, melody_events
from .gaps import Gap
from .gru import ESCAPE
from .markov import duration_base
from .sampling import log_softmax

if TYPE_CHECKING:
    from .gru import GRUModel


class GRUReader:
    """The GRU reading rows of events (see :class:`~jupymuse.models.span_draw.Reader`), numpy engine."""

    def __init__(self, model: GRUModel, style: np.ndarray | None, steps_per_bar: int) -> None:
        self.net, self.ts, self.style, self.bar = model._numpy_engine(), model.config.tokens, style, steps_per_bar
        self.vocab = np.zeros(N_PITCH_SYMBOLS, bool)
        self.vocab[self.ts.pitch_values] = True
        self.durations = np.asarray(self.ts.durations)
        self._pitch_of = np.zeros(N_PITCH_SYMBOLS, np.int64)  # each symbol's nearest pitch index
        self._pitch_of[:] = [self.ts.nearest_pitch_index(p) for p in range(N_PITCH_SYMBOLS)]
        self._states: list[np.ndarray] = []
        self._pending = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        self._rows = np.zeros(0, np.int64)
        self._moved: list[np.ndarray] = []

    def _duration_index(self, durations: np.ndarray) -> np.ndarray:
        return np.array([self.ts.nearest_duration_index(int(d)) for d in durations.tolist()], np.int64)

    def reset(self, history: list[Event], first_onset: int, rows: int) -> None:
        ts = self.ts
        if not history:  # the begin marker
            self._states = self.net.zeros(rows)
            self._pending = (np.full(rows, ts.n_pitches), np.full(rows, ts.n_durations))
            return
        pitch = self._pitch_of[[p for p, _ in history]]
        dur = self._duration_index(np.array([d for _, d in history]))
        onsets = first_onset + np.concatenate([[0], np.cumsum([d for _, d in history])[:-1]])
        position = np.minimum(onsets % max(self.bar, 1), ts.max_position - 1)
        pitch_in, dur_in = np.append(ts.n_pitches, pitch[:-1]), np.append(ts.n_durations, dur[:-1])
        _, finals = self.net.run(pitch_in, dur_in, position, self.style)
        self._states = [np.repeat(h, rows, axis=0) for h in finals]
        self._pending = (np.full(rows, pitch[-1]), np.full(rows, dur[-1]))

    def predict(self, rows: np.ndarray, onsets: np.ndarray) -> np.ndarray:
        ts = self.ts
        self._rows = rows
        position = np.minimum(onsets % max(self.bar, 1), ts.max_position - 1)
        pitch, dur = (a[rows] for a in self._pending)
        self._moved = self.net.step([s[rows] for s in self._states], pitch, dur, position, self.style)
        out = np.zeros((len(rows), N_PITCH_SYMBOLS))
        out[:, ts.pitch_values] = np.exp(log_softmax(self.net.pitch_logits(self._moved[-1])[:, : ts.n_pitches]))
        return out

    def duration_probs(self, pitch: np.ndarray) -> np.ndarray:
        return np.asarray(np.exp(self.net.duration_logp(self._moved[-1], self._pitch_of[pitch])))

    def read(self, pitch: np.ndarray, duration: np.ndarray) -> None:
        for state, moved in zip(self._states, self._moved, strict=True):
            state[self._rows] = moved
        self._pending[0][self._rows] = self._pitch_of[pitch]
        self._pending[1][self._rows] = self._duration_index(duration)


def score_rows(reader: GRUReader, gap: Gap, spans: list[list[Event]], draw_from: int) -> tuple[np.ndarray, np.ndarray]:
    """ln P(the span's events | before) and ln P(the events after the span | before and span) of each
    candidate, as ``GRUModel.log_prob`` gives them, all rows read side by side (see the module docstring).

    The span's events are those starting before ``end`` (with the silence joining the span to the
    notes before it); the ones after, those starting at ``end`` or later (at most ``SUFFIX_NOTES`` notes).
    """
    prefix = melody_events(gap.prefix)
    tails = [melody_events(gap.filled(events, draw_from, scoring=True))[len(prefix) :] for events in spans]
    first = gap.before[0].start if gap.before else 0
    reader.reset(prefix, first, len(spans))
    onset = np.array([gap.before[-1].end if gap.before else gap.filled(e, draw_from).notes[0].start for e in spans])
    out = np.zeros((len(spans), 2))
    lengths = np.array([len(t) for t in tails])
    base = {d: np.log(ESCAPE * duration_base(d)) for t in tails for _, d in t}
    for step in range(int(lengths.max(initial=0))):
        rows = np.flatnonzero(lengths > step)
        pitch = np.array([tails[r][step][0] for r in rows.tolist()])
        duration = np.array([tails[r][step][1] for r in rows.tolist()])
        p_net = reader.predict(rows, onset[rows])[np.arange(len(rows)), pitch]
        lp = np.log((1 - ESCAPE) * p_net + ESCAPE / N_PITCH_SYMBOLS)
        d_probs = reader.duration_probs(pitch)
        for i, d in enumerate(duration.tolist()):
            index = reader.ts.duration_index(d)
            d_net = 0.0 if index is None else d_probs[i, index]
            lp[i] += np.logaddexp(np.log1p(-ESCAPE) + np.log(max(d_net, 1e-300)), base[d])
        part = (onset[rows] >= gap.end).astype(np.int64)
        np.add.at(out, (rows, part), lp)
        reader.read(pitch, duration)
        onset[rows] += duration
    return out[:, 0], out[:, 1]
