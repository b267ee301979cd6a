"""Foreign openings (issue 25): a style's melody after a few notes of another, read but not learnt."""

from __future__ import annotations

import numpy as np

from jupymuse.models import GRUConfig
from jupymuse.models.foreign_openings import UNSCORED, add_openings, with_opening
from jupymuse.models.training_data import PAD, BatchShape, TrainingData, pad_batch, windows
from jupymuse.music import Melody
from jupymuse.music.events import melody_events

JIG = Melody.from_notation(
    "r:4 D5:2 B4:2 G4:2 G4:2 A4:2 B4:2 c5:4", time_signature=(6, 8), key="G major", meta={"style": "irish"}
)
CHORALE = Melody.from_notation(
    "Bb4:4 Bb4:4 C5:4 D5:8 Eb5:4", time_signature=(4, 4), key="Bb major", meta={"style": "chorale"}
)


def test_the_opening_is_moved_into_the_melody_key_and_held_until_its_first_note() -> None:
    joined = with_opening(JIG, CHORALE, 3)
    assert joined is not None
    opening, body = joined.notes[:3], joined.notes[3:]
    # Bb major moved to G major (the jig's key): Bb Bb C -> G G A, within six semitones of the jig's D5
    assert [n.pitch % 12 for n in opening] == [7, 7, 9]
    assert abs(opening[-1].pitch - JIG.notes[0].pitch) <= 6
    assert [n.pitch for n in body] == JIG.pitches
    spb = JIG.steps_per_bar  # the jig's first note keeps its place in its bar
    assert body[0].start % spb == JIG.notes[0].start % spb
    assert opening[-1].start + opening[-1].duration == body[0].start  # held to the melody's first note
    assert [n.duration for n in body] == [n.duration for n in JIG.notes]
    assert joined.time_signature == (6, 8)
    assert joined.meta["style"] == "irish"
    assert joined.meta[UNSCORED] == 3 == len(melody_events(joined)) - len(melody_events(JIG.shift(-4)))


def test_too_short_a_source_or_another_grid_gives_none() -> None:
    assert with_opening(JIG, CHORALE, 6) is None
    other_grid = Melody.from_notation("C4:8 D4:8", steps_per_quarter=8)
    assert with_opening(JIG, other_grid, 2) is None


def test_unscored_events_get_no_target() -> None:
    config = GRUConfig(styles=("chorale", "irish"))
    joined = with_opening(JIG, CHORALE, 3)
    assert joined is not None
    data = TrainingData(config, [joined, JIG], None, augment=False, check=lambda m: None)
    assert data.train is not None
    first, plain = data.train
    assert (first.target[:3] == PAD).all()
    assert (first.target[3:] >= 0).all()
    assert (plain.target >= 0).all()
    shape = BatchShape(config.tokens.n_pitches, config.tokens.n_durations, 2)
    inputs, targets = pad_batch([next(windows(first, 64))], shape)
    assert (targets["pitch"][0, :3] == PAD).all()
    assert (targets["duration"][0, :3] == PAD).all()
    assert (targets["pitch"][0, 3:] >= 0).all()
    assert inputs["pitch"][0, 3] == first.pitch_in[3]  # the opening is still read


def test_add_openings_changes_a_share_and_keeps_the_rest() -> None:
    long_jig, long_chorale = JIG.then(JIG), CHORALE.then(CHORALE)  # 14 and 10 notes: every opening fits
    styles = {"irish": [long_jig] * 200, "chorale": [long_chorale] * 200}
    out = add_openings(styles, 0.25, seed=1)
    changed = [sum(UNSCORED in m.meta for m in out[s]) for s in styles]
    assert all(30 <= c <= 70 for c in changed)
    assert out == add_openings(styles, 0.25, seed=1)
    assert add_openings(styles, 0.0, seed=1) == {k: list(v) for k, v in styles.items()}
    for m in out["irish"]:
        assert m.pitches[-len(long_jig) :] == long_jig.pitches
    assert np.mean([m.meta.get(UNSCORED, 0) for m in out["chorale"] if UNSCORED in m.meta]) >= 2
