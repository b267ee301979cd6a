"""GRUModel.fit's trainer: validation in the epoch logs, Keras's EarlyStopping, the best weights kept."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import pytest

from jupymuse import Melody
from jupymuse.corpus import Corpus
from jupymuse.evaluate import bits_per_note
from jupymuse.models import GRUConfig, GRUModel, TrainingEvent

pytestmark = pytest.mark.slow

TINY = GRUConfig(embedding_size=8, hidden_units=24, duration_units=8, dropout=0.0)


@pytest.fixture(scope="module")
def few(chorales: Corpus) -> list[Melody]:
    return list(chorales)[:24]


class Logs(keras.callbacks.Callback):  # type: ignore[misc]
    """A user's Keras callback: it runs after jupymuse's own and sees what they put in the logs."""

    def __init__(self) -> None:
        super().__init__()
        self.epochs: list[dict[str, Any]] = []

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.epochs.append(dict(logs or {}))


def test_validation_figures_reach_the_epoch_logs_history_and_hooks(few: list[Melody]) -> None:
    seen = Logs()
    events: list[TrainingEvent] = []
    model = GRUModel(TINY).fit(
        few[3:], epochs=3, validation=few[:3], learning_rate=1e-2, progress=False, callbacks=[seen, events.append]
    )
    assert model.history is not None
    rows = model.history.epochs
    assert [list(r) for r in rows] == [["epoch", "loss_bits", "val_bits", "val_pitch_bits", "seconds"]] * 3
    assert [e["val_bits"] for e in seen.epochs] == [r["val_bits"] for r in rows]
    epoch_events = [e for e in events if e.kind == "epoch"]
    assert [e.val_pitch_bits for e in epoch_events] == [r["val_pitch_bits"] for r in rows]
    vals = [r["val_bits"] for r in rows]
    assert epoch_events[-1].best_epoch == model.history.best_epoch == int(np.argmin(vals)) + 1


def test_without_patience_training_runs_to_the_end_and_keeps_the_best_weights(few: list[Melody]) -> None:
    model = GRUModel(TINY).fit(few[4:], epochs=9, validation=few[:4], patience=None, learning_rate=5e-2, progress=False)
    assert model.history is not None
    assert model.history.stopped == "completed"
    vals = [r["val_bits"] for r in model.history.epochs]
    assert len(vals) == 9
    assert model.history.best_epoch == int(np.argmin(vals)) + 1
    assert bits_per_note(model, few[:4]).note == pytest.approx(min(vals), abs=2e-3)


def test_without_validation_there_is_no_best_epoch(few: list[Melody]) -> None:
    seen = Logs()
    model = GRUModel(TINY).fit(few, epochs=2, validation=0, progress=False, callbacks=[seen])
    assert model.history is not None
    assert model.history.best_epoch is None
    assert model.history.stopped == "completed"
    assert all("val_bits" not in e for e in seen.epochs)
    assert all("val_bits" not in r for r in model.history.epochs)
