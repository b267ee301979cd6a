"""How a generated continuation ends: after ``steps`` events, at a bar line (``bars``), where the
model ends it, or on a cadence (the tonic held to a bar line).

``generate`` makes a :class:`Plan` from its arguments before any work (so every mistake is refused
first), lets the model sample, and hands the raw candidates to :func:`finish`. A cadence re-draws the
last note from the model with only the tonic allowed (so the model still picks its octave and the
melody's approach to it), then holds it to the next bar line: the note a listener hears as the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import ModelError
from ..music import Melody
from ..music.events import REST, Event, events_to_notes
from ..music.keys import tonic_class

ENDINGS = ("cut", "model", "cadence")
"""What ``generate(ending=...)`` accepts."""
MAX_BARS = 512
"""Most bars one continuation may ask for (``bars``)."""


@dataclass(frozen=True)
class Redraw:
    """A cadence's last note drawn again: one event of one candidate after ``primer``, of the ``allowed``
    symbols only (the tonic), never the model's end, with ``seed`` (the candidate's own)."""

    primer: Melody
    allowed: np.ndarray
    """Boolean mask over the 129 symbols: the tonic's pitches the constraints allow."""
    seed: int | None


Resample = Callable[[Redraw], list[Event]]
"""Runs the model's sampler again for a :class:`Redraw`; returns the one candidate's events."""


@dataclass(frozen=True)
class Plan:
    """The length and ending of one ``generate`` call, checked."""

    start: Melody
    steps: int
    """Events the sampler is asked for (with ``bars``: enough for every event to be one grid step)."""
    target: int | None
    """With ``bars``: grid steps from the primer's end to the last bar line asked for."""
    ending: str
    tonic: int | None
    """Pitch class of the tonic for a cadence, when the primer tells it."""

    @classmethod
    def make(cls, start: Melody, steps: int, bars: int | None, ending: str, can_end: bool, model: str) -> Plan:
        """Check the length and ending settings before any work.

        Raises:
            ModelError: an unknown ending, ``"model"`` for a model that never learned endings, or
                ``bars`` that is not 1 to ``MAX_BARS``.
        """
        check_ending(ending, can_end, model)
        if bars is not None or ending == "cadence":
            check_whole_bars(start)
        target = None
        if bars is not None:
            if not isinstance(bars, int) or isinstance(bars, bool) or not 1 <= bars <= MAX_BARS:
                raise ModelError(f"bars must be a whole number from 1 to {MAX_BARS}, not {bars!r}")
            spb = start.steps_per_bar
            target = -(-start.end // spb) * spb + bars * spb - start.end
            steps = target  # every event lasts at least one grid step
        tonic = tonic_class(start) if ending == "cadence" and len(start) else None
        return cls(start, steps, target, ending, tonic)

    def check_allowed(self, allowed: np.ndarray) -> None:
        """Refuse a cadence whose tonic the pitch range or scale forbid (when the primer gives the key)."""
        if self.tonic is not None and not tonic_mask(allowed, self.tonic).any():
            raise ModelError("the pitch range and scale leave no tonic to end on: widen them or leave out the cadence")


def check_ending(ending: object, can_end: bool, model: str) -> None:
    """Refuse an ending that is not one of ``ENDINGS``, or ``"model"`` for a ``model`` that cannot end melodies.

    Raises:
        ModelError: naming the ending (and the model).
    """
    if ending not in ENDINGS:
        raise ModelError(f"ending must be one of {', '.join(map(repr, ENDINGS))}, not {ending!r}")
    if ending == "model" and not can_end:
        raise ModelError(f"{model} has not learned where melodies end; use ending='cut' or 'cadence'")


def check_whole_bars(melody: Melody) -> None:
    """Refuse a metre whose bar is not a whole number of grid steps (7/32 on a sixteenth grid): a length
    in bars or a cadence held to the bar line would end off it.

    Raises:
        ModelError: naming the metre and its steps per bar.
    """
    num, den = melody.time_signature
    spq = melody.steps_per_quarter
    if (num * 4 * spq) % den:
        raise ModelError(
            f"a bar of {num}/{den} is {num * 4 * spq / den:g} grid steps at {spq} steps per quarter, not a whole "
            "number, so bars and cadences cannot end on a bar line: leave them out, or use a metre whose bar "
            "fills whole steps"
        )


def tonic_mask(allowed: np.ndarray, tonic: int) -> np.ndarray:
    """``allowed`` (129 symbols) narrowed to the pitches of pitch class ``tonic`` (no rest)."""
    out = np.zeros_like(allowed)
    out[tonic:REST:12] = allowed[tonic:REST:12]
    return out


def cut(events: list[Event], target: int) -> list[Event]:
    """The events that start before grid step ``target``, the last one shortened to end there."""
    out: list[Event] = []
    t = 0
    for p, d in events:
        if t >= target:
            break
        out.append((p, min(d, target - t)))
        t += d
    return out


def finish(
    plan: Plan, candidates: list[list[Event]], allowed: np.ndarray, seed: int | None, resample: Resample
) -> list[list[Event]]:
    """The candidates cut to ``bars`` and given their cadence, as the plan says.

    A cadence's re-drawn last note of candidate ``i`` uses the seed ``seed + i`` (reproducible).
    """
    out = []
    for i, events in enumerate(candidates):
        ev = cut(events, plan.target) if plan.target is not None else list(events)
        if plan.ending == "cadence":
            ev = cadence(plan, ev, allowed, None if seed is None else seed + i, resample)
        out.append(ev)
    return out


def cadence(plan: Plan, events: list[Event], allowed: np.ndarray, seed: int | None, resample: Resample) -> list[Event]:
    """``events`` ending on the tonic, held to a bar line (trailing rests dropped).

    The last note is re-drawn from the model (``resample``, with ``seed``) with only the tonic allowed
    when it is not the tonic already; it then lasts to the bar line after it has sounded at least a
    quarter note (with ``bars``: to the last bar line asked for).
    """
    ev = list(events)
    while ev and ev[-1][0] == REST:
        ev.pop()
    if not ev:
        return ev
    start = plan.start
    body = start.replace(notes=events_to_notes(ev[:-1], start=0))
    tonic = plan.tonic if plan.tonic is not None else tonic_class(start.then(events_to_notes(ev, start=0)))
    pitch, duration = ev[-1]
    if tonic is not None and pitch % 12 != tonic:
        mask = tonic_mask(allowed, tonic)
        if not mask.any():
            raise ModelError("the pitch range and scale leave no tonic to end on: widen them or leave out the cadence")
        pitch = resample(Redraw(start.then(body), mask, seed))[0][0]
    onset = start.end + sum(d for _, d in ev[:-1])
    spb, spq = start.steps_per_bar, start.steps_per_quarter
    held = -(-(onset + max(duration, spq)) // spb) * spb  # the bar line after at least a quarter note
    end = start.end + plan.target if plan.target is not None else held
    return [*ev[:-1], (pitch, end - onset)]
