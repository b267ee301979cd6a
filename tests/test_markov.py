"""The Markov chain: probabilities, generation, smoothing, teaching table, saving."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from jupymuse import MarkovModel, Melody, ModelError, ModelFileError, Note, load_model
from jupymuse.corpus import Corpus
from jupymuse.models import MelodyModel
from jupymuse.models.formats import MARKOV_FILE
from jupymuse.music.events import REST, melody_events

from helpers import mel

TINY = [mel("C4:4 D4 E4 C4 r:4 C4:4 D4 E4:8"), mel("E4:4 D4 C4:8 r:2 E4:2 D4:4 C4:8")]


@pytest.fixture(scope="module")
def bach_model(all_chorales: Corpus) -> MarkovModel:
    return MarkovModel(order=2).fit(all_chorales)


def test_follows_the_protocol() -> None:
    assert isinstance(MarkovModel(), MelodyModel)


def test_first_order_counts_match_hand_counting() -> None:
    model = MarkovModel(order=1).fit(TINY)
    tm = model.transition_matrix(feature="note")
    row = tm.rows.index("D4:4")
    # after D4:4 come E4:4, E4:8, C4:8, C4:8 (one each in the first melody, two in the second)
    counts = dict(zip(tm.cols, tm.counts[row], strict=True))
    assert counts == {**dict.fromkeys(tm.cols, 0.0), "E4:4": 1, "E4:8": 1, "C4:8": 2}
    assert np.allclose(tm.probs.sum(axis=1), 1)
    assert tm.probs[row, tm.cols.index("C4:8")] == tm.probs[row].max()


@pytest.mark.parametrize(("order", "context"), [(1, "note"), (2, "note"), (2, "pitch"), (3, "pitch")])
def test_probabilities_sum_to_one_for_every_context(all_chorales: Corpus, order: int, context: str) -> None:
    model = MarkovModel(order, context=context).fit(all_chorales[:60])  # type: ignore[arg-type]
    histories = [melody_events(m)[:k] for m in all_chorales[60:70] for k in range(0, 12, 3)]
    for history in histories:
        pitch = model.pitch_distribution(history)
        assert pitch.shape == (129,)
        assert math.isclose(pitch.sum(), 1.0, rel_tol=1e-9)
        assert (pitch > 0).all()  # nothing is impossible, not even an unseen pitch
        for p in (60, 67, REST, 3):
            _, probs = model.duration_distribution(history, p)
            # seen durations only: the rest of the mass belongs to unseen ones (summed in the next test)
            assert probs.sum() < 1
            assert (probs > 0).all()
        _, _, joint = model.joint_distribution(history)
        assert math.isclose(joint.sum(), 1.0, rel_tol=1e-9)


def test_full_duration_distribution_sums_to_one() -> None:
    # with a base of 1/(d(d+1)) over all d >= 1, seen + unseen durations sum to 1
    model = MarkovModel(order=1).fit(TINY)
    total = sum(
        math.exp(model.log_prob(Melody([(60, 0, d)])).note[0] - model.log_prob(Melody([(60, 0, d)])).pitch[0])
        for d in range(1, 4000)
    )
    assert total == pytest.approx(1.0, abs=1e-3)


def test_unseen_notes_get_small_but_nonzero_probability(bach_model: MarkovModel) -> None:
    weird = mel("C1:3 F#8:37 r:5 C0:1")
    lp = bach_model.log_prob(weird)
    assert np.isfinite(lp.note).all()
    assert (lp.note < math.log(1e-3)).all()


def test_temperature_zero_picks_the_most_likely_note(bach_model: MarkovModel) -> None:
    primer = mel("G4:4 G4 D5 D5")
    [out] = bach_model.generate(primer, steps=1, temperature=0)
    history = melody_events(primer)
    pitch = int(np.argmax(bach_model.pitch_distribution(history)))
    durations, dur_p = bach_model.duration_distribution(history, pitch)
    assert (out[0].pitch, out[0].duration) == (pitch, durations[int(np.argmax(dur_p))])
    # and greedy generation is deterministic whatever the seed
    assert bach_model.generate(primer, 16, temperature=0, seed=1) == bach_model.generate(
        primer, 16, temperature=0, seed=2
    )


def test_seeds_make_generation_reproducible(bach_model: MarkovModel) -> None:
    a = bach_model.generate("G4:4 A4", 32, n=3, seed=7)
    b = bach_model.generate("G4:4 A4", 32, n=3, seed=7)
    c = bach_model.generate("G4:4 A4", 32, n=3, seed=8)
    assert a == b
    assert a != c
    assert len({m.to_notation() for m in a}) == 3  # the candidates differ


def test_continuation_follows_the_primer_without_repeating_it(bach_model: MarkovModel) -> None:
    primer = mel("r:4 G4:4 G4 D5 D5")
    [cont] = bach_model.generate(primer, steps=20, seed=0)
    assert len(melody_events(cont)) <= 20
    [whole] = bach_model.generate(primer, steps=20, seed=0, include_primer=True)
    assert whole.notes[: len(primer)] == primer.notes
    assert whole.notes[len(primer) :] == cont.shift(primer.end).notes
    gap = whole.notes[len(primer)].start - primer.end  # a rest drawn first stays a gap, nothing more
    assert cont.notes[0].start == gap
    assert cont.meta["generated_by"] == bach_model.name


def test_generation_uses_only_seen_pitches_and_durations(bach_model: MarkovModel, all_chorales: Corpus) -> None:
    seen_pitches = {p for m in all_chorales for p in m.pitches}
    seen_durations = {d for m in all_chorales for _, d in melody_events(m)}
    for m in bach_model.generate(None, 64, n=4, seed=3, temperature=1.5):
        assert set(m.pitches) <= seen_pitches
        assert {d for _, d in melody_events(m)} <= seen_durations


def test_top_k_one_equals_greedy(bach_model: MarkovModel) -> None:
    assert bach_model.generate("C5:4", 12, top_k=1, seed=0) == bach_model.generate("C5:4", 12, temperature=0)


def test_higher_order_fits_training_data_better(all_chorales: Corpus) -> None:
    train = all_chorales[:100]
    scores = [-np.mean([MarkovModel(o).fit(train).log_prob(m).pitch.mean() for m in train[:20]]) for o in (0, 1, 2, 3)]
    assert scores == sorted(scores, reverse=True)


def test_save_and_load_give_identical_samples(bach_model: MarkovModel, tmp_path: Path) -> None:
    path = bach_model.save(tmp_path / "m.json")
    loaded = load_model(path)
    assert isinstance(loaded, MarkovModel)
    assert loaded.generate("G4:4", 32, seed=5) == bach_model.generate("G4:4", 32, seed=5)
    m = mel("G4:4 A4 B4 G4")
    assert np.allclose(loaded.log_prob(m).note, bach_model.log_prob(m).note)
    assert "pickle" not in path.read_text()


def test_broken_model_files(tmp_path: Path, bach_model: MarkovModel) -> None:
    good = bach_model.save(tmp_path / "good.json").read_text()
    cases = {
        "missing.json": None,
        "empty.json": "",
        "truncated.json": good[: len(good) // 2],
        "other.json": json.dumps({"hello": 1}),
        "kind.json": json.dumps({"format": "something-else", "version": 1}),
        "newer.json": good.replace(f'"version":{MARKOV_FILE.version}', '"version":99'),
        "damaged.json": good.replace('"order":2', '"order":"two"'),
    }
    for name, text in cases.items():
        path = tmp_path / name
        if text is not None:
            path.write_text(text)
        with pytest.raises(ModelFileError):
            load_model(path)
    with pytest.raises(ModelFileError, match="not valid JSON"):
        load_model(tmp_path / "truncated.json")
    with pytest.raises(ModelFileError, match="newer jupymuse"):
        load_model(tmp_path / "newer.json")


def test_clear_errors_for_misuse(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not been trained"):
        MarkovModel().generate(None, 4)
    with pytest.raises(ModelError, match="order"):
        MarkovModel(order=-1)
    with pytest.raises(ModelError, match="context"):
        MarkovModel(context="rhythm")  # type: ignore[arg-type]
    with pytest.raises(ModelError, match="no melodies"):
        MarkovModel().fit([])
    model = MarkovModel().fit(TINY)
    with pytest.raises(ModelError, match="steps per quarter"):
        model.generate(mel("C4:3", steps_per_quarter=3), 4)
    with pytest.raises(ModelError, match="temperature"):
        model.generate(None, 4, temperature=-1)


def test_pitch_context_transition_matrix() -> None:
    model = MarkovModel(order=1, context="pitch").fit(TINY)
    tm = model.transition_matrix(feature="pitch")
    assert tm.cols == ["C4", "D4", "E4", "r"]
    assert "start" in tm.rows
    assert np.allclose(tm.probs.sum(axis=1), 1)


def test_constraints_keep_pitches_in_range_and_scale(bach_model: MarkovModel) -> None:
    melodies = bach_model.generate("G4:4 A4", 64, n=4, seed=3, pitch_range=(62, 74), scale="G major")
    pitches = {p for m in melodies for p in m.pitches}
    assert pitches
    assert all(62 <= p <= 74 and p % 12 in {7, 9, 11, 0, 2, 4, 6} for p in pitches)
    with pytest.raises(ModelError, match="no pitch"):
        bach_model.generate("G4:4", 4, pitch_range=(0, 10))


def test_return_probs_gives_the_distribution_each_pitch_was_drawn_from(bach_model: MarkovModel) -> None:
    primer = mel("G4:4 G4 D5 D5")
    melodies, probs = bach_model.generate(primer, 8, n=2, seed=0, temperature=0.7, return_probs=True)
    assert probs.model.shape == probs.sampled.shape == (2, 8, 129)
    np.testing.assert_allclose(probs.model.sum(axis=-1), 1.0)
    np.testing.assert_allclose(probs.sampled.sum(axis=-1), 1.0)
    np.testing.assert_allclose(probs.model[0, 0], bach_model.pitch_distribution(melody_events(primer)))
    np.testing.assert_allclose(probs.model[0, 0], bach_model.pitch_distributions(primer)[-1])
    for c, m in enumerate(melodies):
        events = melody_events(primer.then(m))[len(primer) :]
        assert all(probs.sampled[c, t, p] > 0 for t, (p, _) in enumerate(events))


# ---------------------------------------------------------------------- issue 12, case 6: limits before work
@pytest.mark.parametrize(
    ("kwargs", "limit"),
    [
        ({"steps": 100_000, "n": 4096}, "0-8,192 events"),
        ({"steps": 100_000_000}, "0-8,192 events"),
        ({"steps": 8192, "n": 32}, "at most 131,072"),
        ({"steps": 4, "n": 5000}, "1-4,096 melodies"),
        ({"steps": 4.0}, "whole numbers"),
    ],
)
def test_generate_refuses_sizes_over_the_limits_before_any_work(kwargs: dict[str, int], limit: str) -> None:
    import time

    model = MarkovModel().fit(TINY)
    t0 = time.perf_counter()
    with pytest.raises(ModelError, match=limit):
        model.generate(None, **kwargs)
    assert time.perf_counter() - t0 < 0.5


def test_generate_refuses_a_length_that_could_leave_the_grid() -> None:
    model = MarkovModel().fit(mel("C4:4 D4:4096 E4:4"))
    with pytest.raises(ModelError, match="last step a melody can hold"):
        model.generate(None, 8000)


def test_generate_allocates_no_distributions_unless_asked() -> None:
    import tracemalloc

    model = MarkovModel().fit(TINY)
    tracemalloc.start()
    model.generate(None, 4000, n=2, seed=0)  # the distributions would take 2 x 2 x 4000 x 129 x 8 = 16 MB
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4e6


def test_gru_generates_through_the_same_checks() -> None:
    from jupymuse.models.generation import GeneratesMelodies
    from jupymuse.models.gru import GRUModel

    assert GRUModel.generate is GeneratesMelodies.generate  # so the same limits, checked before TensorFlow runs


def test_long_histories_cost_only_their_context() -> None:
    """Scoring a 100k-event melody (what the Studio explains on every edit) is linear, not quadratic."""
    import time

    model = MarkovModel(2).fit(TINY)
    long = Melody([Note(60 + i % 5, 2 * i, 2) for i in range(100_000)])
    t0 = time.perf_counter()
    dists = model.pitch_distributions(long)
    assert dists.shape == (100_001, 129)
    assert time.perf_counter() - t0 < 10  # was about 100 s
    history = melody_events(long)
    assert np.array_equal(model.pitch_distribution(history), dists[-1])
