"""The Studio controller's training: one GRU trained live in a worker, its curve and progress, Stop,
and the offer that ends it (the new model's figure beside the current one's; swapped only on Use).

A mixin of ``StudioController`` (see :mod:`jupymuse.studio.controller`): the same lock, events and
workers (``controller_state.py``); kept apart so each file holds one concern.

The offer is controller state (:attr:`StudioTraining.offer`, :attr:`StudioTraining.last_offer`)
set before the ``TrainingChanged(False)`` that ends a training and changed before the status line of
a choice, so a listener that hears those events reads it up to date.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import JupymuseError
from ..music import Melody
from .controller_state import ControllerState
from .events import CurveChanged, TrainingChanged
from .training import TrainingRun
from .training_offer import TrainingEnd, TrainingOffer, flattered, pitch_bits

if TYPE_CHECKING:
    from ..models.gru import GRUModel
    from ..models.gru_config import GRUConfig


class StudioTraining(ControllerState):
    """``train``, ``stop_training``, ``use_trained``, ``keep_current`` and what they report."""

    # ------------------------------------------------------------------ state
    @property
    def offer(self) -> TrainingOffer | None:
        """The trained model waiting for :meth:`use_trained` or :meth:`keep_current` (None: nothing waits)."""
        with self._lock:
            offer = self._offer
        return offer if offer is not None and not offer.chosen else None

    @property
    def last_offer(self) -> TrainingOffer | None:
        """The last training's offer, waiting or chosen (its ``chosen`` says which), until the next training."""
        with self._lock:
            return self._offer

    @property
    def last_end(self) -> TrainingEnd | None:
        """How far the last training got and why it ended (None: none ended yet)."""
        with self._lock:
            return self._end

    # ------------------------------------------------------------------ training
    def train(
        self,
        corpus: Iterable[Melody] | str,
        *,
        epochs: int = 5,
        background: bool = True,
        config: GRUConfig | None = None,
        **fit: Any,
    ) -> threading.Thread | GRUModel:
        """Train a new GRU on ``corpus`` with a live curve and progress; offer it when done.

        When training ends (finished, stopped early, Stop, Ctrl-C) the trained model (its best weights
        by validation) and the model in use are measured on the same held-out validation melodies, in
        pitch bits per note, and the trained one is offered: :meth:`use_trained` swaps it in,
        :meth:`keep_current` keeps the model in use, which stays in use (Generate uses it) until then.
        Returns the worker thread (``background=True``; it converts a new corpus and loads TensorFlow,
        saying so) or the trained model. ``fit`` goes to ``GRUModel.fit`` (``batch_size``...).

        Raises:
            JupymuseError: an unknown corpus name, or a training running already (one at a time).
        """
        run = TrainingRun(corpus, epochs, config, self._on_curve)
        with self._lock:
            if self._training is not None:
                stopping = "A training is stopping: wait for it to end."
                running = "A training is running already: wait for it, or press Stop training."
                self.say(stopping if self._training.stopping else running, error=True)
                raise JupymuseError("a training is running already: one at a time (stop_training() ends it)")
            self._training = run
            self._offer = None  # a new training replaces a model still waiting for a choice
            self.curve = ([], [])
            self._emit(CurveChanged((), (), 0.0))
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
            run.prepare(self.say)
            run.fit(**fit)
            offer = self._measure(run)
            with self._lock:
                self._end, self._offer = run.end(), offer
                self._training = None
            if offer is None:
                self.say("Training stopped before its first batch: nothing was trained; the model in use stays.")
            else:
                self.say(offer.summary())
        except JupymuseError as exc:
            self.say(str(exc), error=True)
        except Exception as exc:  # a bug or a library's error: said, and the studio is not left "training"
            self.say(f"Training failed: {type(exc).__name__}: {exc}", error=True)
            raise
        finally:
            with self._lock:
                self._training = None
                self._emit(TrainingChanged(False))
        self.explain()  # the why-views wait while training: they catch up with the model in use
        return run.result()

    def _measure(self, run: TrainingRun) -> TrainingOffer | None:
        """The trained model and the one in use, measured on the run's validation melodies (None: nothing trained).

        A model in use that cannot be had or cannot score them, and Ctrl-C while measuring, keep the
        offer (without that figure, saying why).
        """
        if run.model is None or run.split is None or run.done == 0:
            return None
        scored = [m for m in run.split.valid if len(m)]
        current = self.chosen
        self.say(f"Training {run.end().words()}. Measuring both models on the {len(scored)} validation melodies…")
        new_bits: float | None = None
        current_bits: float | None = None
        notes: list[str] = []
        try:
            new_bits, why = pitch_bits(run.model, scored)
            notes.append(why)
            current_bits, why = pitch_bits(self.model, scored)
            notes.append(why)
        except JupymuseError as exc:  # the model in use could not be loaded or fitted
            notes.append(f"{current} could not be measured: {exc}")
        except KeyboardInterrupt:
            notes.append("measuring was interrupted")
        if current_bits is not None:
            notes.append(flattered(current, run.corpus, self.corpus))
        note = "; ".join(n for n in notes if n)
        return TrainingOffer(run.end(), run.model, len(scored), new_bits, current, current_bits, note)

    def stop_training(self) -> None:
        """End the running training after the current batch; the best weights so far are offered.

        Harmless when nothing trains (after the end, or while both models are measured) and when
        pressed again.
        """
        with self._lock:
            run = self._training
            if run is None or run.stopping:
                return
            run.stop()
        if run.fitting:
            self.say("Stopping after this batch; the best weights so far will be offered.")
        elif run.done == 0:
            self.say("Stopping before training starts: the model in use stays.")

    # ------------------------------------------------------------------ the choice
    def use_trained(self) -> bool:
        """Use the model the last training offers (it becomes the chosen model); whether there was one."""
        with self._lock:
            offer = self.offer
            if offer is None:
                self.say("No trained model is waiting: train one first (Training tab).")
                return False
            self._offer = replace(offer, chosen="new")
        label = self.use(offer.model)
        bits = offer.new_bits
        figure = f" ({bits:.2f} pitch bits per note on the validation melodies)" if bits is not None else ""
        self.say(f"Now using the new model, {label}{figure}. Choose another in Model at any time.")
        return True

    def keep_current(self) -> bool:
        """Keep the model in use and set the trained one aside (``last_offer.model`` still holds it)."""
        with self._lock:
            offer = self.offer
            if offer is None:
                self.say("No trained model is waiting: the model in use stays.")
                return False
            self._offer = replace(offer, chosen="current")
            self.say(f"Kept the current model, {self.chosen}. The new model is not used.")
        return True
