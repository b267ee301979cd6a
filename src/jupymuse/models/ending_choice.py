"""Endings that end like real melodies: where a continuation stops, on which pitch class, and how it gets there.

**The final.** A melody ends on the final of its mode: the tonic of a major or minor tune, but for
the Chinese songs (pentatonic modes, :data:`MODAL_STYLES`) most often the fifth or the sixth degree of
the scale its key signature names. So the primer's key gives the final, except in a style with modes;
without a key (or in such a style) a model that learned where melodies end names it:
:func:`model_final` takes the pitch class on whose notes the model puts the most probability of ending
(summed over the melody's notes). A model that never learned endings uses the guessed key's tonic.

**ending="model".** Sampling until the model draws its end event lets it end after any note, and a
long continuation gives it many chances to end off the final (29-50% of endings on the tonic, against
86-90% for real melodies). So the continuation is drawn to the full length without ending, and the
stop is then drawn from the model's own stopping distribution, P(stop after event t) = h_t prod_{s<t}
(1 - h_s) (h: P(end) after each event), kept to the notes on the final: the model still picks where,
among the places a real melody could end. At least one note is always kept. Where no note of the
continuation is on the final, every note may end it.

**Cadence approach.** A cadence re-draws its last notes: :data:`APPROACH` notes before the final,
proposed :data:`APPROACH_PROPOSALS` times by the model, each weighted by the model's probability that the
final's pitch class comes next (the importance weight of drawing the final from the model afterwards,
restricted to the final), then one chosen by weight, and the final drawn after it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..music import Melody
from ..music.events import REST, Event
from ..music.keys import tonic_class

MODAL_STYLES = frozenset({"chinese"})
"""Styles whose melodies end on the final of a mode, not the tonic of the key their signature names (the
built-in Chinese songs: pentatonic modes ending on any degree). For them the final comes from the
model even when the primer has a key."""


def is_modal(styles: Sequence[str], weights: np.ndarray | None) -> bool:
    """Whether a style mix (``weights`` over ``styles``, None: no style) is mostly styles with modes."""
    return weights is not None and sum(w for s, w in zip(styles, weights, strict=True) if s in MODAL_STYLES) > 0.5


APPROACH = 2
"""Notes before a cadence's final that are drawn again, for the final."""
APPROACH_PROPOSALS = 16
"""Approaches proposed per cadence, each weighted by how likely the final follows it."""

Hazards = Callable[[Melody], np.ndarray]
"""P(end) before each event of a melody and after its last (events + 1,): a model that can end."""


def model_final(pitches: Sequence[int], after: np.ndarray, classes: np.ndarray | None = None) -> int | None:
    """The pitch class whose notes carry most of the model's probability of ending right after them.

    ``pitches``: the melody's events' pitches (``REST`` for a rest); ``after[t]``: P(end) after event t;
    ``classes``: the 12 pitch classes that may be chosen (boolean; None: all). None when no note counts.
    """
    mass = np.zeros(12)
    for p, h in zip(pitches, after, strict=False):
        if p != REST:
            mass[p % 12] += h
    if classes is not None:
        mass = mass * classes
    return int(np.argmax(mass)) if mass.any() else None


def pitch_classes(allowed: np.ndarray) -> np.ndarray:
    """The pitch classes (12, boolean) with a pitch in ``allowed`` (the 129 symbols)."""
    return np.asarray([allowed[c:REST:12].any() for c in range(12)])


def final_class(melody: Melody, hazards: Hazards | None, allowed: np.ndarray | None = None) -> int | None:
    """The final to end ``melody`` on: the model's (:func:`model_final`, among the pitch classes the
    constraints ``allowed`` leave), else the key's tonic."""
    if hazards is not None and len(melody):
        from ..music.events import melody_events

        events = melody_events(melody)
        classes = None if allowed is None else pitch_classes(allowed)
        final = model_final([p for p, _ in events], hazards(melody)[1:], classes)
        if final is not None:
            return final
    return tonic_class(melody)


def stop_after(events: Sequence[Event], after: np.ndarray, final: int | None, rng: np.random.Generator) -> int:
    """How many of ``events`` to keep: a stop drawn from the model's stopping distribution over the notes
    on ``final`` (``after[t]``: P(end) after event t), else over every note. 0 only without a note."""
    after = np.clip(np.asarray(after[: len(events)], dtype=np.float64), 0.0, 1.0)
    survive = np.concatenate([[1.0], np.cumprod(1.0 - after)[:-1]]) if len(after) else after
    stop = survive * after
    notes = np.array([p != REST for p, _ in events[: len(after)]], dtype=bool)
    on_final = notes & np.array([p != REST and p % 12 == final for p, _ in events[: len(after)]], dtype=bool)
    for allowed in (on_final, notes):
        weights = stop * allowed
        if weights.sum() > 0:
            return int(rng.choice(len(weights), p=weights / weights.sum())) + 1
        if allowed.any():  # the model never ends here: the last such note
            return int(np.flatnonzero(allowed)[-1]) + 1
    return 0
