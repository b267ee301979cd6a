"""GRUModel: training, sampling rules, scoring, saving and loading, with tiny networks on real chorales."""

from __future__ import annotations

import json
import math
import signal
import zipfile
from pathlib import Path

import numpy as np
import pytest

from jupymuse import Melody, ModelError, ModelFileError, load_model
from jupymuse.corpus import Corpus, stream_midi_folder
from jupymuse.evaluate import bits_per_note
from jupymuse.models import GRUConfig, GRUModel, TrainingEvent
from jupymuse.models.tokens import TokenScheme
from jupymuse.music.events import melody_events

from helpers import mel

TINY = GRUConfig(embedding_size=8, hidden_units=24, duration_units=8, dropout=0.0)
PRIMER = "G4:4 G4 D5 D5"


@pytest.fixture(scope="module")
def few(chorales: Corpus) -> list[Melody]:
    return list(chorales)[:24]


@pytest.fixture(scope="module")
def tiny(few: list[Melody]) -> GRUModel:
    return GRUModel(TINY, seed=1).fit(few, epochs=4, learning_rate=1e-2, progress=False)


def test_training_reduces_the_loss(few: list[Melody]) -> None:
    events: list[TrainingEvent] = []
    model = GRUModel(TINY).fit(
        few[:8], epochs=6, validation=0, learning_rate=1e-2, progress=False, callbacks=[events.append]
    )
    assert model.history is not None
    losses = [row["loss_bits"] for row in model.history.epochs]
    assert len(losses) == 6
    assert losses[-1] < losses[0] - 1.0
    batches = [e for e in events if e.kind == "batch"]
    assert batches
    assert all(math.isfinite(e.loss_bits) and e.loss_bits > 0 for e in batches)
    assert [e.epoch for e in events if e.kind == "epoch"] == [1, 2, 3, 4, 5, 6]
    assert batches[-1].step == len(batches)


@pytest.mark.slow
def test_validation_and_early_stopping_restore_the_best_weights(few: list[Melody]) -> None:
    model = GRUModel(TINY).fit(few[4:], epochs=40, validation=few[:4], patience=2, learning_rate=5e-2, progress=False)
    assert model.history is not None
    vals = [row["val_bits"] for row in model.history.epochs]
    best = int(np.argmin(vals))
    assert model.history.best_epoch == best + 1
    assert model.history.stopped in ("early stopping", "completed")
    if model.history.stopped == "early stopping":
        assert len(vals) == best + 1 + 2
    # the weights kept are the best epoch's: re-measuring gives its figure
    score = bits_per_note(model, few[:4])
    assert score.note == pytest.approx(vals[best], abs=2e-3)


@pytest.mark.slow
def test_same_seed_same_weights(few: list[Melody]) -> None:
    a = GRUModel(TINY, seed=3).fit(few[:6], epochs=2, progress=False)
    b = GRUModel(TINY, seed=3).fit(few[:6], epochs=2, progress=False)
    for wa, wb in zip(a.network.get_weights(), b.network.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)


@pytest.mark.slow
def test_ctrl_c_during_fit_keeps_the_best_weights(few: list[Melody]) -> None:
    def interrupt(event: TrainingEvent) -> None:
        if event.kind == "batch" and event.epoch == 3:
            signal.raise_signal(signal.SIGINT)  # what Ctrl-C does

    # a shell's background job starts with SIGINT ignored; a terminal or Jupyter kernel turns it into
    # KeyboardInterrupt, as Python's own handler does: install that one for this test
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        model = GRUModel(TINY).fit(
            few[4:], epochs=10, validation=few[:4], learning_rate=1e-2, progress=False, callbacks=[interrupt]
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    assert model.history is not None
    assert model.history.stopped == "interrupted"
    assert len(model.history.epochs) == 2
    assert model.is_fitted
    best = min(row["val_bits"] for row in model.history.epochs)
    assert bits_per_note(model, few[:4]).note == pytest.approx(best, abs=2e-3)
    model.generate(PRIMER, 4, seed=0)  # still usable


@pytest.mark.slow
def test_stop_from_a_hook_ends_training_after_the_batch(few: list[Melody]) -> None:
    model = GRUModel(TINY)
    model.fit(few[:6], epochs=5, progress=False, callbacks=[lambda e: model.stop() if e.step == 2 else None])
    assert model.history is not None
    assert model.history.stopped == "stopped"
    assert model.is_fitted


@pytest.mark.slow
def test_streamed_folder_trains_like_a_list(few: list[Melody], tmp_path: Path) -> None:
    for i, m in enumerate(few[:6]):
        m.to_midi(tmp_path / f"{i}.mid")
    (tmp_path / "broken.mid").write_bytes(b"MThd nonsense")
    stream = stream_midi_folder(tmp_path)
    model = GRUModel(TINY).fit(stream, epochs=2, validation=0.3, progress=False)
    assert model.history is not None
    assert len(model.history.epochs) == 2
    assert all(math.isfinite(row["val_bits"]) for row in model.history.epochs)
    assert stream.skipped == 1
    with pytest.raises(ModelError, match="one-time generator"):
        GRUModel(TINY).fit(m for m in few)


def test_temperature_zero_follows_the_primer_and_takes_the_argmax(tiny: GRUModel) -> None:
    primer = mel(PRIMER)
    [out] = tiny.generate(primer, 12, temperature=0, seed=1)
    assert tiny.generate(primer, 12, temperature=0, seed=2) == [out]
    assert out.notes[0].start == 0  # the argmax is a note here: it starts at once
    # the teacher-forced network over primer + continuation agrees with the sampling loop step by step
    dists = tiny.pitch_distributions(primer.then(out))
    events = melody_events(primer.then(out))
    for t in range(len(melody_events(primer)), len(events)):
        assert int(np.argmax(dists[t])) == events[t][0]


def test_primer_is_not_repeated_unless_asked(tiny: GRUModel) -> None:
    primer = mel(PRIMER)
    [alone] = tiny.generate(primer, 8, seed=0)
    [whole] = tiny.generate(primer, 8, seed=0, include_primer=True)
    assert alone.notes[0].start < primer.end  # placed from step 0, not after the primer
    assert whole.notes[: len(primer)] == primer.notes
    assert whole.notes[len(primer) :] == alone.shift(primer.end).notes
    assert whole == primer.then(alone)
    assert tiny.generate(None, 8, seed=0)[0].notes[0].start == 0


def test_top_k_and_top_p_limit_the_choices(tiny: GRUModel) -> None:
    melodies, probs = tiny.generate(PRIMER, 16, n=8, top_k=3, seed=0, return_probs=True)
    kept = probs.sampled > 0
    assert (kept.sum(axis=-1) <= 3).all()
    top3 = np.argsort(-probs.model, axis=-1)[..., :3]
    assert np.take_along_axis(kept, top3, axis=-1).all()
    for c, m in enumerate(melodies):
        events = melody_events(mel(PRIMER).then(m))[4:]
        assert all(kept[c, t, p] for t, (p, _) in enumerate(events))
    assert tiny.generate(PRIMER, 16, top_k=1, seed=5) == tiny.generate(PRIMER, 16, temperature=0)

    _, probs = tiny.generate(PRIMER, 16, n=4, top_p=0.6, seed=0, return_probs=True)
    for c in range(4):
        for t in range(16):
            p, s = probs.model[c, t], probs.sampled[c, t]
            keep = np.sort(p[s > 0])[::-1]
            assert keep.sum() >= 0.6 - 1e-5
            assert keep[:-1].sum() < 0.6 + 1e-5


def test_temperature_reshapes_the_distribution(tiny: GRUModel) -> None:
    _, probs = tiny.generate(PRIMER, 6, temperature=0.5, seed=0, return_probs=True)
    sharp = probs.model**2
    np.testing.assert_allclose(probs.sampled, sharp / sharp.sum(axis=-1, keepdims=True), atol=1e-5)
    np.testing.assert_allclose(probs.model.sum(axis=-1), 1.0, atol=1e-5)


def test_constraints_mask_pitches(tiny: GRUModel) -> None:
    melodies, probs = tiny.generate(
        PRIMER, 32, n=4, seed=0, temperature=1.5, pitch_range=(60, 72), scale="C major", return_probs=True
    )
    pitches = {p for m in melodies for p in m.pitches}
    assert pitches <= {60, 62, 64, 65, 67, 69, 71, 72}
    outside = np.ones(129, bool)
    outside[[60, 62, 64, 65, 67, 69, 71, 72, 128]] = False
    assert (probs.sampled[..., outside] == 0).all()
    np.testing.assert_allclose(probs.model.sum(axis=-1), 1.0, atol=1e-5)  # the model's own: no limits
    assert (probs.model[..., outside] > 0).any()
    with pytest.raises(ModelError, match="no pitch"):
        tiny.generate(PRIMER, 4, pitch_range=(10, 20))


def test_sampling_settings_and_grids_are_checked(tiny: GRUModel) -> None:
    with pytest.raises(ModelError):
        tiny.generate(PRIMER, 4, temperature=-1)
    with pytest.raises(ModelError):
        tiny.generate(PRIMER, 4, top_p=0)
    with pytest.raises(ModelError, match="steps per quarter"):
        tiny.generate(Melody.from_notation("C4:2", steps_per_quarter=2), 4)
    with pytest.raises(ModelError, match="not been trained"):
        GRUModel(TINY).generate(PRIMER, 4)


def test_log_prob_gives_per_note_surprise(tiny: GRUModel, few: list[Melody]) -> None:
    m = few[0]
    lp = tiny.log_prob(m)
    assert len(lp.events) == len(melody_events(m))
    assert np.isfinite(lp.note).all()
    assert (lp.note <= lp.pitch + 1e-12).all()
    assert lp.note_surprise.shape == (len(m),)
    # the pitch probabilities it scores with form a distribution at every step
    dists = tiny.pitch_distributions(m)
    np.testing.assert_allclose(dists.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.exp(lp.pitch[:3]), dists[np.arange(3), [p for p, _ in lp.events[:3]]], rtol=1e-3)
    # notes outside the token scheme are very surprising but possible
    odd = tiny.log_prob(mel("C1:4 D4:9"))
    assert np.isfinite(odd.note).all()
    assert odd.pitch[0] < math.log(1e-5)


def test_save_and_load_give_identical_samples(tiny: GRUModel, tmp_path: Path) -> None:
    path = tiny.save(tmp_path / "tiny.keras")
    again = load_model(path)
    assert isinstance(again, GRUModel)
    assert again.config == TINY
    assert again.generate(PRIMER, 24, n=3, seed=9) == tiny.generate(PRIMER, 24, n=3, seed=9)
    with zipfile.ZipFile(path) as zf:
        assert not any(name.endswith((".pkl", ".pickle")) for name in zf.namelist())
    assert not list(tmp_path.glob(".tiny.keras.*")), "temporary files are cleaned up"
    with pytest.raises(ModelError, match=r"\.keras"):
        tiny.save(tmp_path / "tiny.h5")


def _rewrite(src: Path, dst: Path, change: dict[str, object]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.namelist():
            data = zin.read(item)
            if item == "jupymuse.json":
                meta = json.loads(data)
                for key, value in change.items():
                    if key == "hidden_units":
                        meta["config"]["hidden_units"] = value
                    else:
                        meta[key] = value
                data = json.dumps(meta).encode()
            zout.writestr(item, data)
    return dst


def test_damaged_model_files_give_a_clear_error(tiny: GRUModel, tmp_path: Path) -> None:
    good = tiny.save(tmp_path / "good.keras")
    raw = good.read_bytes()
    (tmp_path / "truncated.keras").write_bytes(raw[: len(raw) // 2])
    (tmp_path / "noise.keras").write_bytes(b"PK\x03\x04" + bytes(200))
    with zipfile.ZipFile(tmp_path / "plain.keras", "w") as zf:
        zf.writestr("config.json", "{}")
    cases = {
        "truncated.keras": "damaged",
        "noise.keras": "damaged",
        "plain.keras": "not a jupymuse GRU",
    }
    for name, message in cases.items():
        with pytest.raises(ModelFileError, match=message):
            load_model(tmp_path / name)
    with pytest.raises(ModelFileError, match="newer jupymuse"):
        load_model(_rewrite(good, tmp_path / "future.keras", {"version": 99}))
    with pytest.raises(ModelFileError, match="not a jupymuse GRU"):
        load_model(_rewrite(good, tmp_path / "other.keras", {"format": "something.else"}))
    with pytest.raises(ModelFileError, match="wrong shape"):
        load_model(_rewrite(good, tmp_path / "mismatch.keras", {"hidden_units": 25}))
    with pytest.raises(ModelFileError, match="no model file"):
        load_model(tmp_path / "missing.keras")


def test_config_round_trips_and_rejects_nonsense() -> None:
    config = GRUConfig(hidden_units=32, tokens=TokenScheme(min_pitch=48, max_pitch=84))
    assert GRUConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    with pytest.raises(ModelError):
        GRUConfig(hidden_units=0)
    with pytest.raises(ModelError):
        GRUConfig(dropout=1.0)
    with pytest.raises(ModelError):
        TokenScheme(durations=(4, 2))


def test_token_scheme_encodes_events_positions_and_transpositions() -> None:
    ts = TokenScheme()
    m = Melody.from_notation("r:12 G4:4 A4:4 r:2 B4:9")  # pickup at beat 4 of a 4/4 bar
    enc = ts.encode(m)
    assert list(enc.position_in) == [12, 0, 4, 6]
    assert enc.pitch_in[0] == ts.n_pitches
    assert enc.duration_in[0] == ts.n_durations
    assert enc.target[0] == (67 - ts.min_pitch) * ts.n_durations + ts.duration_index(4)
    assert enc.pitch_in[1] == 67 - ts.min_pitch
    assert list(enc.in_vocab) == [True, True, True, False]  # 9 steps is not a known duration
    assert ts.transpositions(m, True) == list(range(-6, 6))
    assert ts.transpositions(mel("C2:4 C7:4"), True) == [0]
