"""Varying a phrase: new pitches on its rhythm, or a new rhythm on its pitches, weighed by what follows.

``vary(keep="rhythm")`` keeps every note's onset and length (and the rests) of the span and draws
new pitches; with ``contour=True`` each new pitch moves the way the old one did from the note before
it (up, down or the same; the first note of the span from the last note before it).
``vary(keep="pitches")`` keeps the span's pitches in order and draws new lengths, from the phrase's
first note to the span's end, to the step (the model may put rests between the notes). A variation
is never the phrase itself (unless nothing else was drawn). Either way the candidates are drawn,
weighed by how well the model then predicts the real notes after the span, and resampled exactly
as :mod:`jupymuse.models.infill` fills a gap (temperature 0: the best candidate), at the same cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .. import arguments
from ..errors import ArgumentTypeError, SettingError
from ..music.events import REST, Event
from .gaps import Gap, find_gap
from .infill import Fills, complete, prepare
from .span_rules import PitchRule, RhythmRule

if TYPE_CHECKING:
    from .generation import GeneratesMelodies
    from .sampling_settings import SamplingSettings

__all__ = ["KEEPS", "contour_of", "vary"]

KEEPS = ("rhythm", "pitches")
"""What ``vary(keep=...)`` keeps of the phrase."""


def contour_of(gap: Gap) -> list[int | None]:
    """Per event of the span's notes (from its first note): +1 when the note is above the note before
    it, -1 below, 0 the same; None for a rest, or for the melody's first note (nothing before it)."""
    out: list[int | None] = []
    prev = gap.before[-1].pitch if gap.before else None
    for pitch, _ in gap.inside_events():
        if pitch == REST:
            out.append(None)
            continue
        out.append(None if prev is None else (pitch > prev) - (pitch < prev))
        prev = pitch
    return out


def vary(
    model: GeneratesMelodies,
    melody: object,
    start: object,
    end: object,
    *,
    keep: object = "rhythm",
    contour: object = False,
    n: object = 1,
    proposals: object = 64,
    seed: object = None,
    sampling: SamplingSettings | None = None,
    options: Mapping[str, object],
) -> Fills:
    """``n`` variations of the span ``[start, end)`` of ``melody``, drawn from ``proposals`` (see the
    module docstring).

    Raises:
        SettingError: ``keep`` not one of ``KEEPS``, ``contour`` with ``keep="pitches"`` (the pitches are
            kept, so is their contour), a span without notes, or as ``infill``.
        ArgumentTypeError: ``contour`` that is not True or False.
        ModelError: as ``infill``.
    """
    model._require_fitted()
    kept = arguments.choice(keep, "keep", KEEPS)
    if not isinstance(contour, bool):
        raise ArgumentTypeError(f"contour must be True or False, not {arguments.shown(contour)}")
    if contour and kept == "pitches":
        raise SettingError('contour=True keeps the up/down shape of new pitches: it goes with keep="rhythm"')
    gap = find_gap(melody, start, end, model._grid())
    if not gap.inside:
        raise SettingError(f"the span [{gap.start}, {gap.end}) holds no notes to vary: fill it with infill instead")
    setup = prepare(model, gap, (n, proposals), seed, sampling, options)
    events: list[Event] = gap.inside_events()
    draw_from = gap.inside[0].start  # the silence before the phrase's first note stays
    if kept == "rhythm":
        rule: RhythmRule | PitchRule = RhythmRule(events, setup.allowed, contour_of(gap) if contour else None)
        return complete(model, gap, rule, setup, draw_from, exclude=events)
    closing = [(REST, gap.end - gap.inside[-1].end)] if gap.inside[-1].end < gap.end else []
    rule = PitchRule([note.pitch for note in gap.inside])
    return complete(model, gap, rule, setup, draw_from, exclude=events + closing)
