"""Near-twins (the same tune in another key or harmonisation) and the twin-free figures."""

from __future__ import annotations

import math

import pytest

from jupymuse import MarkovModel
from jupymuse.corpus import Corpus
from jupymuse.errors import SettingError
from jupymuse.evaluate import (
    TWIN_THRESHOLD,
    BitsPerNote,
    bits_per_note,
    cross_validate,
    has_twin,
    interval_grams,
    jaccard,
    twin_free,
    twin_groups,
    without_tunes_of,
)
from jupymuse.evaluate.scores import MelodyScore

from helpers import mel

TUNE = mel("C4:4 D4 E4 F4 G4 E4 C4 D4 E4 C4 G3 C4:8")
OTHER = mel("A4:4 A4 G4 F4 E4 E4 D4 C4 B3 B3 C4:8")
TUNES = [
    mel("C4:4 E4 G4 C5 B4 G4 E4 D4 C4:8"),
    mel("G4:4 G4 A4 G4 C5 B4 A4 G4:8"),
    mel("E4:4 F4 G4 G4 F4 E4 D4 C4:8"),
    mel("D4:4 D4 E4 C4 D4 E4 F4 E4 C4 D4:8"),
]


def test_interval_grams_ignore_the_key() -> None:
    grams = interval_grams(TUNE)
    assert interval_grams(TUNE.transpose(5)) == grams
    assert (2, 2, 1, 2) in grams
    assert 0 < len(grams) <= len(TUNE) - 4  # 11 intervals: at most 8 different 4-grams
    assert interval_grams(mel("C4:4 D4 E4 F4")) == set()  # three intervals: no 4-gram


def test_jaccard_and_has_twin() -> None:
    a, b = interval_grams(TUNE), interval_grams(OTHER)
    assert jaccard(a, a) == 1.0
    assert jaccard(set(), set()) == 0.0
    assert jaccard(a, b) < TWIN_THRESHOLD
    variant = mel("C4:4 D4 E4 F4 G4 E4 C4 D4 E4 C4 G3 A3 B3 C4:8")  # a changed cadence
    assert has_twin([TUNE.transpose(-3), OTHER, variant], [TUNE]) == [True, False, True]
    assert has_twin([variant], [TUNE], threshold=1.0) == [False]


def test_twin_groups_join_twins_of_twins_and_agree_with_jaccard() -> None:
    variant = mel("C4:4 D4 E4 F4 G4 E4 C4 D4 E4 C4 G3 A3 B3 C4:8")
    # a chain: `far` is no twin of TUNE, but of `variant`, which is TUNE's twin
    far = mel("A4:4 G4 F4 D4 E4 C4 G3 A3 B3 C4 D4:8")
    melodies = [OTHER, TUNE, *TUNES, variant.transpose(2), far, mel("C4:4"), mel("")]
    grams = [interval_grams(m) for m in melodies]
    groups = twin_groups(melodies)
    assert len(groups) == len(melodies)
    assert jaccard(grams[1], grams[7]) < TWIN_THRESHOLD <= jaccard(grams[6], grams[7])
    assert groups[1] == groups[6] == groups[7] == 1  # numbered by the group's first melody
    for i, a in enumerate(grams):  # every pair of twins shares a group; the singletons keep their own
        for j, b in enumerate(grams):
            if jaccard(a, b) >= TWIN_THRESHOLD:
                assert groups[i] == groups[j]
    assert [groups[i] for i in (0, 2, 3, 4, 5, 8, 9)] == [0, 2, 3, 4, 5, 8, 9]
    assert twin_groups(melodies, threshold=1.0)[7] == 7  # the transposed variant is not an exact twin


def test_twin_free_keeps_the_melodies_with_no_twin() -> None:
    assert twin_free([TUNE, OTHER], [TUNE.transpose(2)]) == [OTHER]
    corpus = Corpus([TUNE.transpose(7), OTHER, TUNES[0]], "pool")
    kept = without_tunes_of(corpus, Corpus([TUNE], "test"))
    assert list(kept) == [OTHER, TUNES[0]]
    assert "no tunes of test" in kept.name


def test_the_per_melody_mean_weighs_every_melody_the_same() -> None:
    model = MarkovModel(1).fit([TUNE, OTHER, *TUNES])
    short, long = mel("C4:4 D4"), mel(" ".join(["E4:4 C4 G4"] * 6))
    result = bits_per_note(model, [short, long, mel("")])
    per_melody = [-model.log_prob(m).pitch.sum() / math.log(2) / len(m) for m in (short, long)]
    assert result.pitch_melody_mean == pytest.approx(sum(per_melody) / 2)
    assert result.pitch == pytest.approx((per_melody[0] * 2 + per_melody[1] * 18) / 20)
    assert len(result.melodies) == 3
    assert result.melodies[2] == MelodyScore(0.0, 0.0, 0, 0)
    only_long = result.subset([False, True, False])
    assert only_long.pitch == pytest.approx(per_melody[1])
    assert only_long.notes == 18
    with pytest.raises(SettingError, match="flags"):
        result.subset([True])
    with pytest.raises(SettingError, match="no notes"):
        BitsPerNote.pooled([])


def test_cross_validation_reports_the_twin_free_figure() -> None:
    # two tunes twice (the second a fifth up), four once: only a doubled tune can have a twin in training
    melodies = [TUNE, TUNE.transpose(7), OTHER, OTHER.transpose(7), *TUNES]
    cv = cross_validate(lambda: MarkovModel(1, context="pitch"), melodies, folds=3, seed=0)
    flags = [t for fold in cv.twins for t in fold]
    assert len(flags) == len(melodies)
    assert 0 < sum(flags) <= 4
    assert flags.count(False) >= len(TUNES)
    free = cv.twin_free
    assert free is not None
    kept = [
        s for f, t in zip(cv.folds, cv.twins, strict=True) for s, twin in zip(f.melodies, t, strict=True) if not twin
    ]
    assert free.notes == sum(s.notes for s in kept)
    assert free.pitch == pytest.approx(sum(s.pitch_bits for s in kept) / free.notes)
    summary = cv.as_dict()
    assert summary["twin_free_melodies"] == flags.count(False)
    assert summary["twin_free_pitch_bits_per_note"] == free.pitch
    assert summary["pitch_bits_per_melody"] == pytest.approx(cv.pitch_melody_mean)
    assert summary["twin_threshold"] == TWIN_THRESHOLD
    every_one_a_twin = cross_validate(lambda: MarkovModel(1), melodies, folds=3, seed=0, twin_threshold=0.0)
    assert every_one_a_twin.twin_free is None
    assert every_one_a_twin.as_dict()["twin_free_pitch_bits_per_note"] is None
