"""A cadence's last note is drawn again through a named ``Redraw``: one event of one candidate, the tonic
only, the candidate's own seed; ``SamplingRequest.redrawn`` turns that into the sampler's request. The
model's final, its stopping distribution and a cadence's approach (issue 25)."""

from __future__ import annotations

import numpy as np
import pytest

from jupymuse import Melody
from jupymuse.models.endings import Plan, Redraw, finish, tonic_mask
from jupymuse.models.generation import SamplingRequest
from jupymuse.models.sampling import allowed_pitches
from jupymuse.music.events import REST, Event

from helpers import mel

PRIMER = "C4:4 E4:4 G4:4 D4:4"  # C major, 4/4 on a sixteenth grid: a bar is 16 steps


def test_a_cadence_redraws_each_last_note_with_the_tonic_and_the_candidates_own_seed() -> None:
    start = mel(PRIMER, key="C major")
    plan = Plan.make(start, 3, None, "cadence", False, "test")
    allowed = allowed_pitches()
    asked: list[Redraw] = []

    def resample(redraw: Redraw) -> list[list[Event]]:
        asked.append(redraw)
        return [[(72, 4)]]  # the model's choice of tonic: C5

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


def test_the_model_final_is_where_the_model_would_end_most() -> None:
    from jupymuse.models.ending_choice import model_final

    pitches = [60, 62, REST, 67, 74, 60]
    after = np.array([0.1, 0.3, 0.9, 0.2, 0.3, 0.1])  # a rest never counts; D (0.6) beats C (0.2), G (0.2)
    assert model_final(pitches, after) == 2
    no_d = np.ones(12, dtype=bool)
    no_d[2] = False
    assert model_final(pitches, after, no_d) in (0, 7)
    assert model_final([REST], np.array([0.5])) is None


def test_the_stop_is_drawn_from_the_models_stopping_distribution_over_the_final() -> None:
    from jupymuse.models.ending_choice import stop_after

    events = [(60, 4), (62, 4), (REST, 4), (67, 4), (60, 4), (64, 4)]
    after = np.full(6, 0.2)
    kept = [stop_after(events, after, 0, np.random.default_rng(s)) for s in range(2000)]
    assert set(kept) == {1, 5}  # only after a C
    # P(stop after event 0) = 0.2; after event 4: 0.8^4 x 0.2; normalised over the two
    assert kept.count(1) / len(kept) == pytest.approx(0.2 / (0.2 + 0.8**4 * 0.2), abs=0.03)
    assert stop_after(events, after, 11, np.random.default_rng(0)) in (1, 2, 4, 5, 6)  # no B: any note
    assert stop_after([(REST, 4)], np.array([0.5]), 0, np.random.default_rng(0)) == 0
    assert stop_after(events, np.zeros(6), 0, np.random.default_rng(0)) == 5  # never ends: the last C


def test_a_cadence_approach_is_chosen_by_how_likely_the_final_follows() -> None:
    from jupymuse.models.endings import approach

    start = mel(PRIMER, key="C major")
    allowed = allowed_pitches()
    final = tonic_mask(allowed, 0)
    proposals = [[(65, 4), (64, 4)], [(71, 4), (71, 4)], [(69, 4), (67, 30)]]

    def resample(redraw: Redraw) -> list[list[Event]]:
        assert (redraw.steps, redraw.n) == (2, 16)
        return proposals

    def next_pitches(melody: Melody) -> np.ndarray:  # C after B is near certain, after E unlikely
        out = np.full(129, 1e-6)
        out[72] = 0.99 if melody.notes[-1].pitch == 71 else 0.01
        return out

    picks = [
        approach(start, [(62, 4)], allowed, final, 0, np.random.default_rng(s), resample, next_pitches)
        for s in range(50)
    ]
    assert sum(p == [(62, 4), (71, 4), (71, 4)] for p in picks) >= 45
    # with 20 steps of room the third proposal (34 steps) never fits
    for s in range(20):
        kept = approach(start, [(62, 4)], allowed, final, 0, np.random.default_rng(s), resample, next_pitches, 20)
        assert kept != [(62, 4), (69, 4), (67, 30)]
    assert approach(start, [], allowed, final, 0, np.random.default_rng(0), resample, next_pitches, 4) is None
