"""jupymuse.quality: melody features, MGEval overlap areas, the discriminator and the style classifier."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jupymuse.corpus import Corpus, load_corpus
from jupymuse.errors import SettingError
from jupymuse.music import Melody
from jupymuse.quality import (
    DURATION_CLASSES,
    StyleClassifier,
    cross_validated_accuracy,
    discriminator_accuracy,
    feature_matrix,
    feature_names,
    fit_logistic,
    grouped_folds,
    histogram_matrix,
    intra_distances,
    kl_divergence,
    melody_features,
    mgeval_overlap,
    overlap_area,
    stratified_folds,
)
from jupymuse.quality.mgeval import kde, kde_on_grid, scott_bandwidth

from helpers import mel


def test_features_of_a_four_note_melody() -> None:
    f = melody_features(mel("C4:4 D4 E4 C4"))  # intervals +2 +2 -4, all quarter notes
    assert f.scalars() == pytest.approx(
        {"repeat": 0, "step": 2 / 3, "skip": 1 / 3, "leap": 0, "pc_entropy": 1.5, "range": 4, "rest_share": 0}
    )
    assert f.duration_shares["quarter"] == 1.0
    assert f.pitch_class[[0, 2, 4]] == pytest.approx([0.5, 0.25, 0.25])
    assert f.interval[12 + 2] == pytest.approx(2 / 3)
    assert f.interval[12 - 4] == pytest.approx(1 / 3)
    assert f.vector().shape == (len(feature_names()),)


def test_rests_intervals_across_them_and_duration_classes() -> None:
    f = melody_features(mel("C4:2 r:2 C4:1 G4:8 C5:12 D4:3"))
    assert f.rest_share == pytest.approx(1 / 6)  # one rest among six events
    shares = f.scalars()
    assert (shares["repeat"], shares["leap"]) == pytest.approx((0.25, 0.75))  # 0 across the rest, +7 +5 -10
    expected = {"eighth": 0.2, "sixteenth": 0.2, "half": 0.2, "longer": 0.2, "dotted eighth": 0.2}
    assert f.duration_shares == pytest.approx({d: expected.get(d, 0.0) for d in DURATION_CLASSES})
    assert f.range == 12
    assert f.interval.sum() == pytest.approx(1.0)


def test_wide_intervals_are_clipped_and_odd_lengths_are_other() -> None:
    f = melody_features(mel("C4:5 C6:4"))
    assert f.interval[-1] == 1.0  # +24 counts as +12
    assert f.scalars()["leap"] == 1.0
    assert f.duration_shares["other"] == 0.5  # five sixteenths


def test_duration_classes_follow_quarter_notes_on_any_grid() -> None:
    f = melody_features(Melody([(60, 0, 3), (62, 3, 18), (64, 21, 12)], steps_per_quarter=12))
    assert f.duration_shares["sixteenth"] == f.duration_shares["dotted quarter"] == f.duration_shares["quarter"]


def test_a_single_note_has_no_intervals_and_no_entropy() -> None:
    f = melody_features(mel("E4:4"))
    assert f.interval_shares.sum() == 0
    assert f.interval.sum() == 0
    assert (f.pc_entropy, f.range, f.rest_share) == (0.0, 0.0, 0.0)
    assert feature_matrix([f, f]).shape == (2, len(feature_names()))
    assert histogram_matrix([f], "pitch_class").shape == (1, 12)


def test_an_empty_melody_has_all_features_zero() -> None:
    assert not melody_features(Melody()).vector().any()


def test_intra_distances_are_every_pair_once() -> None:
    d = intra_distances(np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]]))
    assert sorted(d.tolist()) == pytest.approx([1.0, math.sqrt(18), 5.0])


def test_kde_is_scotts_gaussian_estimate_and_the_grid_version_agrees() -> None:
    s = np.random.default_rng(1).gamma(2.0, size=1000)
    h = scott_bandwidth(s)
    assert h == pytest.approx(s.std(ddof=1) * 1000 ** (-0.2))
    grid = np.linspace(s.min() - 5 * h, s.max() + 5 * h, 2000)
    density = kde(s, h, grid)
    assert density.sum() * (grid[1] - grid[0]) == pytest.approx(1.0, abs=1e-3)
    assert np.abs(kde_on_grid(s, h, grid) - density).max() < 1e-4


def test_overlap_area_of_a_set_with_itself_is_one_and_of_far_sets_zero() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(80, 12))
    assert overlap_area(intra_distances(a), intra_distances(a)) == pytest.approx(1.0, abs=1e-3)
    assert mgeval_overlap(a, a).area > 0.97  # inter-set distances include each melody with itself
    assert mgeval_overlap(a, rng.normal(size=(80, 12))).area > 0.85
    assert mgeval_overlap(a, rng.normal(size=(80, 12)) + 6).area < 0.01
    assert overlap_area(np.zeros(5), np.zeros(7)) == 1.0
    assert kl_divergence(intra_distances(a), intra_distances(a)) == pytest.approx(0.0, abs=1e-12)


def test_stratified_folds_split_each_label_evenly() -> None:
    labels = np.array([0] * 50 + [1] * 25)
    folds = stratified_folds(labels, 5, seed=3)
    assert sorted(np.concatenate(folds).tolist()) == list(range(75))
    assert [np.bincount(labels[f]).tolist() for f in folds] == [[10, 5]] * 5
    with pytest.raises(SettingError, match="at least"):
        stratified_folds([0, 1], 5)


def test_grouped_folds_hold_out_each_pair_together() -> None:
    groups = np.concatenate([np.arange(20), np.arange(20)])  # row i and row 20 + i are one pair
    folds = grouped_folds(groups, 5, seed=1)
    assert sorted(np.concatenate(folds).tolist()) == list(range(40))
    for test in folds:
        assert sorted(groups[test].tolist()) == sorted(2 * sorted(set(groups[test].tolist())))
        assert len(test) == 8


def test_logistic_regression_reaches_the_penalised_optimum() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(200, 4))
    y = (x @ [1.0, -2.0, 0.5, 0.0] + rng.normal(size=200) > 0).astype(int)
    model = fit_logistic(x, y, l2=1.0)
    p = model.predict_proba(x)
    grad = (p - np.eye(2)[y]).T @ x + 1.0 * model.coef[:, :-1]  # zero at the minimum
    assert np.abs(grad).max() < 1e-6
    assert (model.predict(x) == y).mean() > 0.8


def test_discriminator_is_near_chance_on_one_distribution_and_sure_on_two() -> None:
    rng = np.random.default_rng(4)
    same = discriminator_accuracy(rng.normal(size=(100, 10)), rng.normal(size=(100, 10)))
    assert 0.35 < same.accuracy < 0.65
    assert len(same.fold_accuracies) == 5
    paired = discriminator_accuracy(rng.normal(size=(50, 10)), rng.normal(size=(50, 10)), paired=True, repeats=3)
    assert len(paired.fold_accuracies) == 15
    assert 0.35 < paired.accuracy < 0.65
    runs = [Melody.from_notation(" ".join(["C4:1", "C6:1"] * 8 + ["D4:1"] * (i % 3))) for i in range(30)]
    songs = [mel("C4:4 D4 E4 F4 G4:8 G4:8 A4:4 A4 A4 A4 G4:16").transpose(i % 7) for i in range(30)]
    assert discriminator_accuracy(songs, runs).accuracy == 1.0


def test_cross_validated_accuracy_handles_several_classes() -> None:
    rng = np.random.default_rng(5)
    centres = np.array([[0, 0], [4, 0], [0, 4]])
    y = np.repeat([0, 1, 2], 30)
    x = centres[y] + rng.normal(size=(90, 2))
    assert cross_validated_accuracy(x, y).accuracy > 0.9


@pytest.fixture(scope="module")
def irish() -> Corpus:
    return load_corpus("oneills:0001", progress=False)  # 50 tunes, one file (quick to convert)


def test_style_classifier_learns_real_styles_and_classifies_new_melodies(kinder: Corpus, irish: Corpus) -> None:
    german, tunes = [m for m in kinder if len(m)], [m for m in irish if len(m)]
    classifier = StyleClassifier(candidates=((1, "pitch"), (2, "note")), seed=0)
    classifier.fit({"german": german[:60], "irish": tunes[:35]})
    assert classifier.choice is not None
    assert classifier.choice.accuracy > 0.85
    assert set(classifier.choice.markov_accuracy) == {(1, "pitch"), (2, "note")}
    assert classifier.accuracy(german[150:], "german") >= 0.85
    # new Irish tunes from the next file (50; 15 left over in this one were too few: one tune is 6.7 points)
    assert classifier.accuracy([m for m in load_corpus("oneills:0051", progress=False) if len(m)], "irish") >= 0.85
    assert classifier.scores(tunes[35:37]).shape == (2, 2)
    with pytest.raises(SettingError, match="two styles"):
        StyleClassifier().fit({"german": german})


def test_a_key_relative_style_classifier_ignores_the_key(kinder: Corpus, irish: Corpus) -> None:
    from jupymuse.quality.keyfinding import ks_tonic
    from jupymuse.quality.style import in_c

    german, tunes = [m for m in kinder if len(m)], [m for m in irish if len(m)]
    for m in german[:10]:
        moved = in_c(m)
        assert ks_tonic(moved) == 0
        assert abs(sum(moved.pitches) / len(m) - 67) <= 6  # centred on G4
    relative = StyleClassifier(candidates=((1, "pitch"),), seed=0, key_relative=True)
    relative.fit({"german": german[:60], "irish": tunes[:35]})
    probe = tunes[40:60]
    for shift in (-5, 1, 4):  # every key gives the same answers
        assert relative.predict([m.transpose(shift) for m in probe]) == relative.predict(probe)
    assert relative.accuracy(probe, "irish") >= 0.8
