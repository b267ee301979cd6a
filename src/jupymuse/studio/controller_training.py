"""The Studio controller's training: one GRU trained live in a worker, its curve, Stop, and the swap.

A mixin of ``StudioController`` (see :mod:`jupymuse.studio.controller`): the same lock, events and
workers; kept apart so each file holds one concern.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import JupymuseError
from ..music import Melody
from .events import CurveChanged, StudioEvent, TrainingChanged
from .training import Curve, TrainingRun

if TYPE_CHECKING:
    from ..models.gru import GRUModel
    from ..models.gru_config import GRUConfig
    from ..models.protocol import MelodyModel
    from .workers import Workers


class StudioTraining:
    """``train``, ``stop_training`` and what they report; the host is a ``StudioController``."""

    _lock: threading.RLock
    _training: TrainingRun | None
    _workers: Workers
    curve: Curve

    def say(self, text: str, error: bool = False) -> None:
        raise NotImplementedError  # the controller's

    def _emit(self, *events: StudioEvent) -> None:
        raise NotImplementedError  # the controller's

    def use(self, model: MelodyModel) -> str:
        raise NotImplementedError  # the controller's

    def bits_table(self, melodies: Iterable[Melody]) -> list[tuple[str, float, float]]:
        raise NotImplementedError  # the controller's

    def train(
        self,
        corpus: Iterable[Melody] | str,
        *,
        epochs: int = 5,
        background: bool = True,
        config: GRUConfig | None = None,
        **fit: Any,
    ) -> threading.Thread | GRUModel:
        """Train a new GRU on ``corpus`` with a live curve; choose it when done (Stop keeps the best).

        Also reports the bits per note on a held-out part of ``corpus`` for the models made so far.
        Returns the worker thread (``background=True``; it converts a new corpus and loads TensorFlow,
        saying so) or the trained model. ``fit`` goes to ``GRUModel.fit`` (``batch_size``...).

        Raises:
            JupymuseError: an unknown corpus name, or a training running already (one at a time).
        """
        run = TrainingRun(corpus, epochs, config, self._on_curve)
        with self._lock:
            if self._training is not None:
                self.say("A training is running already: wait for it, or press Stop training.", error=True)
                raise JupymuseError("a training is running already: one at a time (stop_training() ends it)")
            self._training = run
            self.curve = ([], [])
            self._emit(CurveChanged((), (), None))
        if not background:
            return self._run_training(run, fit)
        return self._workers.start("Training", self._run_training, run, fit)

    def _on_curve(self, batches: list[float], vals: list[tuple[int, float]], progress: float | None) -> None:
        with self._lock:
            self.curve = (batches, vals)
            self._emit(CurveChanged(tuple(batches), tuple(vals), progress))

    def _run_training(self, run: TrainingRun, fit: dict[str, Any]) -> GRUModel:
        self._emit(TrainingChanged(True))
        try:
            split = run.prepare(self.say)
            model = run.fit(**fit)
            with self._lock:
                self._training = None
            self.use(model)
            self.bits_table(split.test)
            history = model.history
            self.say(f"Training {history.stopped if history else 'done'}: the new GRU is in use.")
        except JupymuseError as exc:
            self.say(str(exc), error=True)
        except Exception as exc:  # a bug or a library's error: said, and the studio is not left "training"
            self.say(f"Training failed: {type(exc).__name__}: {exc}", error=True)
            raise
        finally:
            with self._lock:
                self._training = None
                self._emit(TrainingChanged(False))
        return run.result()

    def stop_training(self) -> None:
        """End the running training after the current batch; the best weights so far are kept."""
        run = self._training
        if run is not None:
            run.stop()
            self.say("Stopping after this batch; the best weights so far are kept.")
