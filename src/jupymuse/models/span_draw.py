"""Drawing candidate spans: many rows at once, one event at a time, as ``generate`` draws.

A model takes part through a :class:`Reader`: it reads the fixed music before the span once, then,
for the rows still drawing, says what it expects next (:meth:`Reader.predict`, then the lengths for
the pitch chosen) and reads the event chosen. :func:`draw_spans` joins it with a rule of
:mod:`.span_rules` (what each event may be) and the sampling settings: the model's distribution,
less what the rule forbids, renormalised, shaped by temperature, top-k and top-p
(:func:`~jupymuse.models.sampling.shape`), and drawn with each row's own random stream (row ``i`` is
the same span whatever the number of rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..music.events import Event
from .sampling import draw_rows, shape
from .span_rules import FillRule, PitchRule, RhythmRule, RowState

Rule = FillRule | RhythmRule | PitchRule


class Reader(Protocol):
    """A model reading many rows of events after the same fixed start."""

    vocab: np.ndarray
    """Boolean mask over the 129 symbols: the pitches (and the rest) the model can choose."""
    durations: np.ndarray
    """The lengths in steps the model can choose, ascending."""

    def reset(self, history: list[Event], first_onset: int, rows: int) -> None:
        """Every row has read ``history`` (its first event at step ``first_onset``)."""
        ...

    def predict(self, rows: np.ndarray, onsets: np.ndarray) -> np.ndarray:
        """P(next pitch) (len(rows), 129) for rows ``rows``, whose next events start at ``onsets``."""
        ...

    def duration_probs(self, pitch: np.ndarray) -> np.ndarray:
        """P(length | pitch) over ``durations`` (len(rows), D) for the rows of the last ``predict``."""
        ...

    def read(self, pitch: np.ndarray, duration: np.ndarray) -> None:
        """The rows of the last ``predict`` read these events."""
        ...


@dataclass(frozen=True)
class Shaping:
    """The sampling settings that shape each choice (see :mod:`jupymuse.models.sampling`)."""

    temperature: float
    top_k: int | None
    top_p: float | None
    duration_temperature: float
    duration_top_p: float | None


def choose(
    probs: np.ndarray,
    options: tuple[np.ndarray, np.ndarray],
    settings: tuple[float, int | None, float | None],
    rngs: list[np.random.Generator],
) -> np.ndarray:
    """One index per row of ``probs``, among the row's allowed ones (``options``' mask), shaped by
    ``settings`` (temperature, top-k, top-p); a row's fixed value (>= 0) wins. A row whose allowed
    choices the model gives no chance at all draws among them evenly."""
    mask, fixed = options
    p = probs * mask
    none = p.sum(axis=1) <= 0
    p[none] = mask[none]
    p[none & ~mask.any(axis=1), 0] = 1.0  # only for rows with a fixed value
    q = shape(p / p.sum(axis=1, keepdims=True), *settings)
    return np.asarray(np.where(fixed >= 0, fixed, draw_rows(q, rngs)))


def draw_spans(
    reader: Reader, rule: Rule, shaping: Shaping, rngs: list[np.random.Generator], start: RowState
) -> list[list[Event]]:
    """The events of each row (one per random stream in ``rngs``) from ``start`` until ``rule`` says done."""
    s = start
    pitch_settings = (shaping.temperature, shaping.top_k, shaping.top_p)
    duration_settings = (shaping.duration_temperature, shaping.top_k, shaping.duration_top_p)
    while (active := np.flatnonzero(~rule.done(s))).size:
        streams = [rngs[i] for i in active.tolist()]
        probs = reader.predict(active, s.onset[active])
        pitch = choose(probs, rule.pitches(s, active, reader.vocab), pitch_settings, streams)
        mask, fixed = rule.durations(s, active, pitch, reader.durations)  # fixed: a length in steps, 0 free
        index = choose(reader.duration_probs(pitch), (mask, np.full(len(active), -1)), duration_settings, streams)
        duration = np.where(fixed > 0, fixed, reader.durations[index])
        reader.read(pitch, duration)
        s.advance(active, pitch, duration)
    return s.events
