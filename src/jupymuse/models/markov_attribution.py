"""A Markov chain's note attribution done fast: only the explained note is scored again.

:func:`jupymuse.models.attribution.attribute` removes each earlier note in turn and scores the
explained note again. A chain's score of the last note depends only on the ``order`` events before it,
so each removal needs the new tail of events, not a scoring of the whole melody: 512 notes cost 512
short lookups instead of 512 scorings of 512 events. A test checks it against the one-melody-at-a-time
loop.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..music import Melody
from ..music.events import N_PITCH_SYMBOLS, REST, Event, melody_events
from .attribution import removals
from .markov import duration_base

if TYPE_CHECKING:
    from .markov import MarkovModel


def removed_scores(model: MarkovModel, cut: Melody, among: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """ln P(pitch) and ln P(pitch and length) of ``cut``'s last note without each earlier note of
    ``among``, as ``model.log_prob`` gives them."""
    events = melody_events(cut)
    note_events = [e for e, (p, _) in enumerate(events) if p != REST][:-1]
    pitch_lp, note_lp = np.empty(len(among)), np.empty(len(among))
    for row, change in enumerate(removals(events, [note_events[j] for j in among])):
        middle: list[Event] = [(REST, change.rest)] if change.rest else []
        before = events[: change.first] + middle
        after = events[change.last + 1 :]
        pitch_lp[row], note_lp[row] = _last_event(model, before, after)
    return pitch_lp, note_lp


def _last_event(model: MarkovModel, before: list[Event], after: list[Event]) -> tuple[float, float]:
    """ln P(pitch) and ln P(pitch and length) of the last event of ``before + after``, as ``log_prob``."""
    order = model.order
    length = len(before) + len(after)
    tail = (before + after)[-(order + 1) :] if length > order else before + after  # the context and the event
    t = len(tail) - 1
    pel, delem = model._pitch_elements(tail), model._dur_elements(tail)  # begin marker: in a context only
    p, d = tail[-1]
    lp = math.log(model._pitch.prob(model._ctx(pel, t), p, 1.0 / N_PITCH_SYMBOLS))
    ld = math.log(model._dur.prob((*model._ctx(delem, t), p), d, duration_base(d)))
    return lp, lp + ld
