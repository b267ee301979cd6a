"""The studio's controller trains a GRU without any widget: live curve, a bar that counts batches of all
epochs, Stop and Ctrl-C, and the end that offers the trained model beside the current one (never swapped in
unasked). Real, tiny trainings on a few melodies."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from jupymuse import JupymuseError, MarkovModel
from jupymuse.corpus import Corpus
from jupymuse.evaluate import bits_per_note
from jupymuse.models import GRUConfig
from jupymuse.studio.events import (
    CurveChanged,
    ModelsChanged,
    StatusChanged,
    StudioEvent,
    TableChanged,
    TrainingChanged,
)
from jupymuse.studio.training import split_corpus
from test_studio_controller import studio

TINY = GRUConfig(embedding_size=8, hidden_units=16, duration_units=8, dropout=0.0)


@pytest.fixture(scope="module")
def markov(chorales: Corpus) -> MarkovModel:
    return MarkovModel(1).fit(list(chorales)[:30])


@pytest.mark.slow
def test_training_in_a_worker_reports_live_and_offers_the_model(markov: MarkovModel, kinder: Corpus) -> None:
    c, rec = studio(markov)
    melodies = list(kinder)[:40]
    thread = c.train(melodies, epochs=2, config=TINY, batch_size=16)
    assert isinstance(thread, threading.Thread)
    c.wait()
    assert c.model is markov  # nothing swapped in unasked
    assert c.chosen == f"yours: {markov.name}"
    assert rec.of(TrainingChanged) == [TrainingChanged(True), TrainingChanged(False)]
    curves = rec.of(CurveChanged)
    assert curves[0] == CurveChanged((), (), 0.0)  # the bar starts empty
    assert len(curves[-1].batches) > 0
    assert len(curves[-1].vals) == 2
    assert c.curve == (list(curves[-1].batches), list(curves[-1].vals))
    assert not rec.of(TableChanged)
    offer = c.offer
    assert offer is not None
    assert offer.end.how == "completed"
    assert offer.end.percent == 100
    assert offer.end.batches == offer.end.total == len(curves[-1].batches)
    assert offer.current == f"yours: {markov.name}"
    assert "jupymuse-training" in rec.threads
    said = rec.statuses()
    assert said[-1].startswith("Training finished all 2 epochs. New model ")
    assert said[-1].endswith("The current model stays in use until you press Use the new model.")
    assert c.generate(4, n=1, seed=0)  # Generate goes on with the model in use
    assert c.model is markov
    assert c.use_trained()
    assert c.model is offer.model
    assert c.chosen == "yours: GRU (1 x 16 units)"
    assert rec.of(ModelsChanged)[-1] == ModelsChanged(c.labels, "yours: GRU (1 x 16 units)")
    assert rec.statuses()[-1].startswith("Now using the new model, yours: GRU (1 x 16 units) (")
    assert c.offer is None
    last = c.last_offer
    assert last is not None
    assert last.chosen == "new"
    assert c.generate(4, n=1, seed=0)


def test_the_bar_counts_batches_of_all_epochs_not_epochs_begun(markov: MarkovModel, kinder: Corpus) -> None:
    c, rec = studio(markov)
    c.train(list(kinder)[:40], epochs=3, background=False, config=TINY, batch_size=16)
    reported = [e for e in rec.of(CurveChanged) if e.progress is not None]
    per_epoch = rec.of(CurveChanged)[-1].vals[0][0]  # the step of the first epoch's validation point
    total = 3 * per_epoch
    end = c.last_end
    assert end is not None
    assert (end.batches, end.total) == (total, total)
    assert per_epoch > 2
    for event in reported:  # every report: batches done out of all the epochs' batches
        assert event.progress == pytest.approx(len(event.batches) / total)
    first = next(e for e in reported if e.batches)
    assert first.progress == pytest.approx(1 / total)  # the first batch is one batch, not a fifth
    assert all(e.progress < 1.0 for e in reported if len(e.batches) < total)  # 100% only once every batch ran
    assert reported[-1].progress == 1.0
    progress = [e.progress for e in reported]
    assert progress == sorted(progress)


@pytest.mark.slow
def test_stop_offers_the_best_weights_beside_the_current_model_and_keep_changes_nothing(
    markov: MarkovModel, kinder: Corpus
) -> None:
    c, rec = studio(markov)
    melodies = list(kinder)[:60]

    def stop_in_the_second_epoch(event: Any) -> None:
        if event.kind == "batch" and event.epoch == 2:
            c.stop_training()
            c.stop_training()  # a second press changes nothing

    model = c.train(
        melodies, epochs=4, background=False, config=TINY, batch_size=8, callbacks=[stop_in_the_second_epoch]
    )
    assert not isinstance(model, threading.Thread)
    history = model.history
    assert history is not None
    assert history.stopped == "stopped"
    assert len(history.epochs) == 2  # the first, and the part of the second before Stop
    best = min(history.epochs, key=lambda row: row["val_bits"])
    assert history.best_epoch == best["epoch"]
    valid = split_corpus(melodies).valid
    assert bits_per_note(model, valid).note == pytest.approx(best["val_bits"], abs=1e-3)  # the best weights
    assert c.model is markov  # not swapped in
    offer = c.offer
    assert offer is not None
    assert offer.model is model
    assert offer.end.how == "stopped"
    assert offer.end.best_epoch == best["epoch"]
    assert offer.end.total is not None
    per_epoch = offer.end.total // 4
    assert offer.end.batches == per_epoch + 1  # Stop in the second epoch's first batch
    assert offer.end.percent == (100 * (per_epoch + 1)) // offer.end.total
    assert 25 <= offer.end.percent < 50
    # both figures: pitch bits per note on the same validation melodies
    assert offer.melodies == len(valid) > 0
    assert offer.new_bits == pytest.approx(bits_per_note(model, valid).pitch)
    assert offer.current_bits == pytest.approx(bits_per_note(markov, valid).pitch)
    assert offer.better == ("new" if offer.new_bits < offer.current_bits else "current")
    said = rec.statuses()
    assert said.count("Stopping after this batch; the best weights so far will be offered.") == 1
    percent = offer.end.percent
    assert said[-1].startswith(f"Training stopped at {percent}% (epoch 2 of 4). New model {offer.new_bits:.2f}, ")
    assert f"current model (yours: {markov.name}) {offer.current_bits:.2f} pitch bits per note" in said[-1]
    assert f"on the same {len(valid)} validation melodies" in said[-1]
    assert c.generate(4, n=1, seed=0)  # with the current model
    # Stop after the end changes nothing; Keep keeps the current model
    before = list(rec.events)
    c.stop_training()
    assert rec.events == before
    assert c.keep_current()
    assert c.model is markov
    assert c.offer is None
    kept = c.last_offer
    assert kept is not None
    assert kept.chosen == "current"
    assert rec.statuses()[-1] == f"Kept the current model, yours: {markov.name}. The new model is not used."
    assert not c.use_trained()  # nothing waits any more
    assert not c.keep_current()
    assert c.model is markov
    assert rec.statuses()[-1] == "No trained model is waiting: the model in use stays."


@pytest.mark.slow
def test_a_new_training_replaces_an_offer_still_waiting(markov: MarkovModel, kinder: Corpus) -> None:
    c, _ = studio(markov)
    c.train(list(kinder)[:30], epochs=1, background=False, config=TINY, batch_size=16)
    first = c.offer
    assert first is not None
    c.train(list(kinder)[:30], epochs=1, config=TINY, batch_size=16)
    assert c.offer is None  # the first model no longer waits
    c.wait()
    second = c.offer
    assert second is not None
    assert second.model is not first.model
    assert c.model is markov


@pytest.mark.slow
def test_ctrl_c_during_training_still_offers_the_best_weights_and_changes_nothing(
    markov: MarkovModel, kinder: Corpus
) -> None:
    c, rec = studio(markov)

    def ctrl_c_in_the_second_epoch(event: Any) -> None:
        if event.kind == "batch" and event.epoch == 2:
            raise KeyboardInterrupt

    model = c.train(
        list(kinder)[:40], epochs=3, background=False, config=TINY, batch_size=8, callbacks=[ctrl_c_in_the_second_epoch]
    )
    assert not isinstance(model, threading.Thread)
    assert c.model is markov
    assert not c.training
    offer = c.offer
    assert offer is not None
    assert offer.model is model
    assert offer.end.how == "interrupted"
    assert offer.end.best_epoch == 1  # the weights validated after the first epoch
    assert offer.new_bits is not None
    assert offer.current_bits is not None
    assert rec.statuses()[-1].startswith(f"Training was interrupted at {offer.end.percent}% (epoch 2 of 3). New model")
    assert rec.of(TrainingChanged)[-1] == TrainingChanged(False)


def test_stop_before_training_begins_trains_nothing_and_offers_nothing(markov: MarkovModel, kinder: Corpus) -> None:
    c, rec = studio(markov)

    def stop_while_preparing(event: StudioEvent) -> None:
        if isinstance(event, StatusChanged) and event.text.startswith("Building a GRU"):
            c.stop_training()

    c.subscribe(stop_while_preparing)
    c.train(list(kinder)[:30], epochs=2, background=False, config=TINY, batch_size=16)
    assert c.offer is None
    assert c.model is markov
    statuses = rec.statuses()
    assert "Stopping before training starts: the model in use stays." in statuses
    assert statuses[-1] == "Training stopped before its first batch: nothing was trained; the model in use stays."
    assert not rec.of(CurveChanged)[-1].batches


@pytest.mark.slow
def test_training_on_a_corpus_name_converts_it_in_the_worker_with_progress(
    markov: MarkovModel, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYMUSE_CACHE_DIR", str(tmp_path))  # a cold cache: the corpus converts now
    c, rec = studio(markov)
    with pytest.raises(JupymuseError, match="no built-in corpus called 'no-such'"):
        c.train("no-such", epochs=1, config=TINY)  # refused at once, before any work
    c.train("essen:kinder", epochs=1, config=TINY, batch_size=32)
    c.wait()
    status_threads = [t for e, t in zip(rec.events, rec.threads, strict=True) if isinstance(e, StatusChanged)]
    said = dict(zip(rec.statuses(), status_threads, strict=True))
    converting = [s for s in said if s.startswith("Converting essen:kinder from music21 (first time only)")]
    assert converting[-1].endswith("1 of 1 files…")
    assert {said[s] for s in converting} == {"jupymuse-training"}  # never on the caller's thread
    assert said["Building a GRU to train on 171 melodies…"] == "jupymuse-training"
    assert rec.statuses()[-1].startswith("Training finished all 1 epoch. New model ")
    assert c.model is markov


@pytest.mark.slow
def test_one_training_at_a_time_and_a_crash_inside_it_is_reported(markov: MarkovModel, kinder: Corpus) -> None:
    c, rec = studio(markov)
    started, gate = threading.Event(), threading.Event()

    def hold(event: Any) -> None:  # keep the first training in its first batch until the test lets go
        started.set()
        gate.wait(30)

    c.train(list(kinder)[:40], epochs=1, config=TINY, batch_size=16, callbacks=[hold])
    assert started.wait(60)
    with pytest.raises(JupymuseError, match="a training is running already"):
        c.train(list(kinder)[:40], epochs=1, config=TINY)
    assert rec.statuses()[-1] == "A training is running already: wait for it, or press Stop training."
    c.stop_training()  # stops the one training there is
    gate.set()
    c.wait()
    assert not c.training

    def crash(event: Any) -> None:
        raise RuntimeError("a bug in a callback")

    c.train(list(kinder)[:40], epochs=1, config=TINY, batch_size=16, callbacks=[crash])
    c.wait()
    assert not c.training  # not left "training"
    assert rec.of(TrainingChanged)[-1] == TrainingChanged(False)
    assert rec.statuses()[-1] == "Training failed: RuntimeError: a bug in a callback"
    assert rec.of(StatusChanged)[-1].error
