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
from ..music.events import REST, Event, events_to_notes, melody_events
from ..music.keys import tonic_class
from .ending_choice import APPROACH, APPROACH_PROPOSALS, Hazards, final_class, stop_after

ENDINGS = ("cut", "model", "cadence")
"""What ``generate(ending=...)`` accepts."""
MAX_BARS = 512
"""Most bars one continuation may ask for (``bars``)."""


@dataclass(frozen=True)
class Redraw:
    """A cadence's last notes drawn again: ``steps`` events of ``n`` candidates after ``primer``, of the
    ``allowed`` symbols only, never the model's end, with ``seed`` (the candidate's own)."""

    primer: Melody
    allowed: np.ndarray
    """Boolean mask over the 129 symbols: the final's pitches the constraints allow, or all they allow."""
    seed: int | None
    steps: int = 1
    n: int = 1


Resample = Callable[[Redraw], list[list[Event]]]
"""Runs the model's sampler again for a :class:`Redraw`; returns the candidates' events."""
NextPitches = Callable[[Melody], np.ndarray]
"""P(next pitch) after a melody, over the 129 symbols (the model's, for weighing a cadence's approach)."""


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
    """Pitch class a cadence or ``ending="model"`` ends on when known before sampling: the primer's key's
    tonic (a style with modes excepted), or for a model that never learned endings its guessed tonic.
    None: the final of the whole melody (:func:`~jupymuse.models.ending_choice.final_class`)."""

    @classmethod
    def make(
        cls,
        start: Melody,
        steps: int,
        bars: int | None,
        ending: str,
        can_end: bool,
        model: str,
        modal: bool = False,
    ) -> Plan:
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
        # the primer's key tells the tonic, unless the style has modes (its final can be another degree);
        # else a model that learned endings finds the final of the whole melody (ending_choice.final_class)
        tonic = None
        if ending in ("cadence", "model") and len(start):
            if start.key is not None and not modal:
                tonic = start.key.tonic
            elif not can_end and ending == "cadence":
                tonic = tonic_class(start)
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
    plan: Plan,
    candidates: list[list[Event]],
    allowed: np.ndarray,
    seed: int | None,
    resample: Resample,
    hazards: Hazards | None = None,
    next_pitches: NextPitches | None = None,
) -> list[list[Event]]:
    """The candidates cut to ``bars``, stopped where the model ends them, or given their cadence, as the
    plan says (:mod:`.ending_choice`). ``hazards``: the model's P(end) along a melody, when it learned
    endings; ``next_pitches`` weighs a cadence's approaches.

    The random choices of candidate ``i`` (stop, cadence) use the seed ``seed + i`` (reproducible).
    """
    out = []
    for i, events in enumerate(candidates):
        own = None if seed is None else seed + i
        ev = cut(events, plan.target) if plan.target is not None else list(events)
        if plan.ending == "model" and hazards is not None:
            ev = model_stop(plan.start, ev, hazards, own, allowed, plan.tonic)
        if plan.ending == "cadence":
            ev = cadence(plan, ev, allowed, own, resample, hazards, next_pitches)
        out.append(ev)
    return out


def model_stop(
    start: Melody,
    events: list[Event],
    hazards: Hazards,
    seed: int | None,
    allowed: np.ndarray | None = None,
    final: int | None = None,
) -> list[Event]:
    """``events`` stopped where the model ends them, on a note of ``final`` or else the melody's final
    (:func:`stop_after`)."""
    if not events:
        return events
    whole = start.then(events_to_notes(events, start=0))
    after = hazards(whole)[len(melody_events(start)) + 1 :]  # P(end) after each continuation event
    if final is None:
        final = final_class(whole, hazards, allowed)
    return events[: stop_after(events, after, final, np.random.default_rng(seed))]


def cadence(
    plan: Plan,
    events: list[Event],
    allowed: np.ndarray,
    seed: int | None,
    resample: Resample,
    hazards: Hazards | None = None,
    next_pitches: NextPitches | None = None,
) -> list[Event]:
    """``events`` ending on the final, approached as the model would, held to a bar line (trailing
    rests dropped).

    The final is the primer's tonic for a model that never learned endings, else the model's final of
    the whole melody (:func:`final_class`). The last ``APPROACH`` notes before it are drawn again when the
    continuation has more (:func:`approach`); the last note is re-drawn from the model (``resample``, with
    ``seed``) with only the final allowed when it is not on it already. It then lasts to the bar line
    after it has sounded at least a quarter note (with ``bars``: to the last bar line asked for).
    """
    ev = list(events)
    while ev and ev[-1][0] == REST:
        ev.pop()
    if not ev:
        return ev
    start = plan.start
    tonic = plan.tonic
    if tonic is None:
        tonic = final_class(start.then(events_to_notes(ev, start=0)), hazards, allowed)
    if tonic is None:
        return ev
    mask = tonic_mask(allowed, tonic)
    if not mask.any():
        raise ModelError("the pitch range and scale leave no final to end on: widen them or leave out the cadence")
    rng = np.random.default_rng(seed)
    if len(ev) > APPROACH + 1 and next_pitches is not None:
        body = ev[: -(APPROACH + 1)]
        room = None if plan.target is None else plan.target - sum(d for _, d in body)  # the final must fit
        new = approach(start, body, allowed, mask, seed, rng, resample, next_pitches, room)
        ev = (new if new is not None else ev[:-1]) + ev[-1:]
    pitch, duration = ev[-1]
    if pitch % 12 != tonic or pitch == REST:
        pitch = resample(Redraw(start.then(events_to_notes(ev[:-1], start=0)), mask, seed))[0][0][0]
    onset = start.end + sum(d for _, d in ev[:-1])
    spb, spq = start.steps_per_bar, start.steps_per_quarter
    held = -(-(onset + max(duration, spq)) // spb) * spb  # the bar line after at least a quarter note
    end = start.end + plan.target if plan.target is not None else held
    return [*ev[:-1], (pitch, end - onset)]


def approach(
    start: Melody,
    body: list[Event],
    allowed: np.ndarray,
    final: np.ndarray,
    seed: int | None,
    rng: np.random.Generator,
    resample: Resample,
    next_pitches: NextPitches,
    room: int | None = None,
) -> list[Event] | None:
    """``body`` and ``APPROACH`` new events leading to the final: ``APPROACH_PROPOSALS`` drawn by the model,
    one kept with probability proportional to P(a pitch of ``final`` next | body, approach). With
    ``room`` (steps), only approaches shorter than it count (the final starts before the bar line asked
    for); None when none does."""
    before = start.then(events_to_notes(body, start=0))
    proposals = resample(Redraw(before, allowed, seed, steps=APPROACH, n=APPROACH_PROPOSALS))
    fits = [bool(a) and (room is None or sum(d for _, d in a) < room) for a in proposals]
    weights = np.array(
        [
            next_pitches(before.then(events_to_notes(a, start=0)))[final].sum() if ok else 0.0
            for a, ok in zip(proposals, fits, strict=True)
        ]
    )
    if not weights.sum() > 0:
        return body + proposals[fits.index(True)] if any(fits) else None
    return body + proposals[int(rng.choice(len(proposals), p=weights / weights.sum()))]
