"""A cadence's last note is drawn again through a named ``Redraw``: one event of one candidate, the tonic
only, the candidate's own seed; ``SamplingRequest.redrawn`` turns that into the sampler's request."""

from __future__ import annotations

import numpy as np

from jupymuse.models.endings import Plan, Redraw, finish, tonic_mask
from jupymuse.models.generation import SamplingRequest
from jupymuse.models.sampling import allowed_pitches
from jupymuse.music.events import Event

from helpers import mel

PRIMER = "C4:4 E4:4 G4:4 D4:4"  # C major, 4/4 on a sixteenth grid: a bar is 16 steps


def test_a_cadence_redraws_each_last_note_with_the_tonic_and_the_candidates_own_seed() -> None:
    start = mel(PRIMER, key="C major")
    plan = Plan.make(start, 3, None, "cadence", False, "test")
    allowed = allowed_pitches()
    asked: list[Redraw] = []

    def resample(redraw: Redraw) -> list[Event]:
        asked.append(redraw)
        return [(72, 4)]  # the model's choice of tonic: C5

    candidates = [[(64, 4), (65, 4), (67, 4)], [(62, 4), (60, 4)], [(67, 4), (71, 4)]]
    out = finish(plan, candidates, allowed, 7, resample)
    assert [r.seed for r in asked] == [7, 9]  # the second candidate ends on C already: nothing drawn
    assert all(np.array_equal(r.allowed, tonic_mask(allowed, 0)) for r in asked)
    assert asked[0].primer.notes == mel(f"{PRIMER} E4:4 F4:4").notes  # the notes before the redrawn one
    # the last note lasts to the bar line after at least a quarter note: 16 + 8 = 24, next bar line at 32
    assert out[0] == [(64, 4), (65, 4), (72, 8)]
    assert out[1] == [(62, 4), (60, 12)]
    assert out[2] == [(67, 4), (72, 12)]


def test_a_redraw_asks_the_sampler_for_one_event_of_one_candidate_that_never_ends_the_melody() -> None:
    allowed = allowed_pitches()
    request = SamplingRequest(
        primer=mel(PRIMER),
        steps=12,
        n=4,
        temperature=0.8,
        top_k=5,
        top_p=None,
        seed=3,
        allowed=allowed,
        style=np.array([1.0]),
        may_end=True,
    )
    tonic = tonic_mask(allowed, 0)
    redrawn = request.redrawn(Redraw(mel(f"{PRIMER} E4:4"), tonic, 11))
    assert (redrawn.n, redrawn.steps, redrawn.seed, redrawn.may_end) == (1, 1, 11, False)
    assert redrawn.primer.notes == mel(f"{PRIMER} E4:4").notes
    assert redrawn.allowed is tonic
    assert (redrawn.temperature, redrawn.top_k, redrawn.style) == (0.8, 5, request.style)  # the rest kept
