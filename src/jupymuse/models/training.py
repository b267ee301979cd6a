"""Training the GRU: the loss, and a small trainer built on Keras's ``fit`` and callbacks.

``GRUModel.fit`` checks its arguments, splits the melodies and hands over to :class:`Trainer`, which
compiles a copy of the network and runs Keras's ``fit`` over the batches of
:mod:`jupymuse.models.training_data` with three callbacks, called in this order:

1. :class:`Validation`: after every epoch, bits per event on the validation melodies, put in the
   epoch's ``logs`` as ``val_bits`` (and ``val_pitch_bits``);
2. Keras's own ``EarlyStopping`` watching ``val_bits``: it keeps the best epoch's weights, stops
   after ``patience`` epochs without an improvement of at least ``MIN_IMPROVEMENT`` bits, and puts
   the best weights back when training ends;
3. :class:`Progress`: the progress bar, a row of ``TrainingHistory`` per epoch, the user's hooks
   (a ``TrainingEvent`` after every batch and epoch), and ``model.stop()`` (ends after the batch).

Ctrl-C raises ``KeyboardInterrupt`` out of Keras's ``fit``, which then never tells its callbacks
that training ended: the trainer puts the best weights back itself. Then the trained weights are
copied into the model's network.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import keras
import numpy as np
import tensorflow as tf

from .gru_net import build_network
from .training_data import EpochBatches, TrainingData, dataset
from .training_history import TrainingHistory

if TYPE_CHECKING:
    from .gru_config import GRUConfig

LN2 = math.log(2)
MIN_IMPROVEMENT = 1e-4
"""Validation bits per event an epoch must gain over the best so far to count as better."""
Hook = Callable[["TrainingEvent"], None]


@dataclass(frozen=True)
class TrainingEvent:
    """What a training hook receives: after every batch (``kind="batch"``) and epoch (``"epoch"``).

    Losses are in bits per event (pitch and duration), the unit of the evaluation.
    """

    kind: str
    epoch: int
    """Epoch number, from 1."""
    step: int
    """Batches done since training started."""
    loss_bits: float
    """Training loss of this batch (``"batch"``) or mean over the epoch (``"epoch"``)."""
    val_bits: float | None = None
    """Validation bits per event after this epoch (``"epoch"`` events with validation data)."""
    val_pitch_bits: float | None = None
    """Validation pitch bits per note (rests left out) after this epoch."""
    best_epoch: int | None = None
    """Epoch of the best validation figure so far."""


@dataclass(frozen=True)
class FitSettings:
    """The training settings of one ``GRUModel.fit`` (see its arguments)."""

    epochs: int
    batch_size: int
    learning_rate: float
    patience: int | None
    seed: int
    progress: bool
    train_only: tuple[str, ...] = ()
    """Names of the only layers to train (all when empty), e.g. ``("style_embedding",)`` for a new style."""


# ---------------------------------------------------------------------- loss
def masked_cross_entropy(y_true: Any, y_pred: Any) -> Any:
    """Mean cross-entropy (nats) over the real events of a batch; padding (-1) is left out."""
    y = tf.cast(y_true, tf.int32)
    mask = tf.cast(y >= 0, y_pred.dtype)
    ce = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.maximum(y, 0), y_pred)
    return tf.reduce_sum(ce * mask) / tf.maximum(tf.reduce_sum(mask), 1.0)


class LastBatchLoss(keras.metrics.Metric):
    """The masked cross-entropy of the latest batch only (Keras's own loss log is a running mean)."""

    def __init__(self, name: str = "batch_loss", **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.value = self.add_variable(shape=(), initializer="zeros", name="value", aggregation="mean")

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        self.value.assign(masked_cross_entropy(y_true, y_pred))

    def result(self) -> Any:
        return self.value

    def reset_state(self) -> None:
        self.value.assign(0.0)


def sums_fn(net: keras.Model, rest_index: int) -> Callable[..., Any]:
    """Compiled, for one padded batch: summed cross-entropy (nats) of whole events, their count,
    summed pitch cross-entropy of the notes (rests left out) and the number of notes.

    Measured as ``bits_per_note`` measures a model: the ends of melodies are left out and the pitch
    is predicted given that the melody goes on (the end-of-melody class, if any, renormalised away)."""

    @tf.function(reduce_retracing=True)
    def sums(inputs: dict[str, tf.Tensor], targets: dict[str, tf.Tensor]) -> tuple[tf.Tensor, ...]:
        out = net(inputs, training=False)
        tp, td = targets["pitch"], targets["duration"]
        mask = tf.cast(tf.logical_and(tp >= 0, tp <= rest_index), tf.float32)
        pitch_logits = out["pitch"][..., : rest_index + 1]
        ce_p = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.clip_by_value(tp, 0, rest_index), pitch_logits)
        ce_p *= mask
        ce_d = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.maximum(td, 0), out["duration"]) * mask
        notes = mask * tf.cast(tp < rest_index, tf.float32)
        return (
            tf.reduce_sum(ce_p + ce_d),
            tf.reduce_sum(mask),
            tf.reduce_sum(ce_p * notes),
            tf.reduce_sum(notes),
        )

    return sums


# ---------------------------------------------------------------------- callbacks
class Validation(keras.callbacks.Callback):
    """After every epoch: bits per event and pitch bits per note on the validation melodies.

    They go into the epoch's ``logs`` as ``val_bits`` and ``val_pitch_bits`` (for the callbacks after
    this one); an epoch whose validation data holds no event adds nothing.
    """

    def __init__(self, data: TrainingData, rest_index: int) -> None:
        super().__init__()
        self.data = data
        self.rest_index = rest_index
        self._sums: Callable[..., Any] | None = None

    def measure(self) -> tuple[float, float] | None:
        """``(bits per event, pitch bits per note)`` on the validation data, or None."""
        assert self.model is not None
        source = self.data.validation_batches()
        if source is None:
            return None
        if self._sums is None:
            self._sums = sums_fn(self.model, self.rest_index)
        totals = np.zeros(4)
        for inputs, targets in source:
            totals += [float(v) for v in self._sums(inputs, targets)]
        if totals[1] == 0:
            return None
        return totals[0] / totals[1] / LN2, totals[2] / max(totals[3], 1) / LN2

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        figures = self.measure()
        if figures is not None and logs is not None:
            logs["val_bits"], logs["val_pitch_bits"] = float(figures[0]), float(figures[1])


def early_stopping(settings: FitSettings) -> keras.callbacks.EarlyStopping:
    """Keras's ``EarlyStopping`` on ``val_bits``, keeping the best weights (``patience=None``: never stops).

    An epoch is better when ``val_bits < best - MIN_IMPROVEMENT`` (Keras compares in float32).
    """
    return keras.callbacks.EarlyStopping(
        monitor="val_bits",
        mode="min",
        min_delta=MIN_IMPROVEMENT,
        patience=settings.epochs if settings.patience is None else settings.patience,
        restore_best_weights=True,
    )


def best_epoch(stopper: keras.callbacks.EarlyStopping | None) -> int | None:
    """The epoch (from 1) of the best validation figure so far, if there was one."""
    if stopper is None or stopper.best is None:
        return None
    return int(stopper.best_epoch) + 1


class Progress(keras.callbacks.Callback):
    """The progress bar, the history rows, the user's hooks, and ``model.stop()``.

    Reads the validation figures from the epoch's ``logs`` and the best epoch from ``stopper``
    (Keras's ``EarlyStopping``, None without validation), so it comes after both.
    """

    def __init__(
        self,
        *,
        settings: FitSettings,
        batches_per_epoch: int | None,
        hooks: list[Hook],
        history: TrainingHistory,
        should_stop: Callable[[], bool],
        stopper: keras.callbacks.EarlyStopping | None,
    ) -> None:
        super().__init__()
        self.epochs = settings.epochs
        self.hooks = hooks
        self.history_out = history
        self.should_stop = should_stop
        self.stopper = stopper
        self.step = 0
        self.epoch = 0
        self.stop_requested = False
        self._epoch_loss: list[float] = []
        self._t0 = time.perf_counter()
        self.bar: Any = None
        if settings.progress:
            from tqdm.auto import tqdm

            total = settings.epochs * batches_per_epoch if batches_per_epoch else None
            self.bar = tqdm(total=total, unit="batch", desc="training", dynamic_ncols=True, leave=True)

    def _tell(self, event: TrainingEvent) -> None:
        for hook in self.hooks:
            hook(event)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._t0 = time.perf_counter()
        self.epoch = epoch + 1
        self._epoch_loss = []

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        nats = sum(float(v) for k, v in (logs or {}).items() if k.endswith("batch_loss"))
        bits = nats / LN2
        self.step += 1
        self._epoch_loss.append(bits)
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(f"epoch {self.epoch}/{self.epochs} loss {bits:.3f} bits", refresh=False)
        self._tell(TrainingEvent("batch", self.epoch, self.step, bits))
        if self.should_stop():
            self.stop_requested = True
            assert self.model is not None
            self.model.stop_training = True

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        logs = logs or {}
        train_bits = float(np.mean(self._epoch_loss)) if self._epoch_loss else math.nan
        row: dict[str, float] = {"epoch": self.epoch, "loss_bits": train_bits}
        val_bits, val_pitch = logs.get("val_bits"), logs.get("val_pitch_bits")
        if val_bits is not None and val_pitch is not None:
            row.update(val_bits=val_bits, val_pitch_bits=val_pitch)
        row["seconds"] = round(time.perf_counter() - self._t0, 3)
        self.history_out.epochs.append(row)
        best = best_epoch(self.stopper)
        if self.bar is not None:
            text = f"epoch {self.epoch}/{self.epochs} loss {train_bits:.3f}"
            if val_bits is not None:
                text += f" val {val_bits:.3f} bits (pitch {val_pitch:.3f}, best epoch {best})"
            self.bar.set_postfix_str(text)
        self._tell(TrainingEvent("epoch", self.epoch, self.step, train_bits, val_bits, val_pitch, best))

    def close(self, stopped: str) -> None:
        """Record how training ended and close the bar."""
        self.history_out.stopped = stopped
        self.history_out.best_epoch = best_epoch(self.stopper)
        if self.bar is not None:
            self.bar.set_description(f"training ({stopped})")
            self.bar.close()


# ---------------------------------------------------------------------- the trainer
class Trainer:
    """One ``GRUModel.fit``: a compiled copy of the network, trained on ``data`` (see the module docstring)."""

    def __init__(self, config: GRUConfig, data: TrainingData, settings: FitSettings) -> None:
        self.config = config
        self.data = data
        self.settings = settings

    def _compiled(self, network: keras.Model, model_seed: int, strategy: tf.distribute.Strategy | None) -> keras.Model:
        """A copy of ``network`` (built under ``strategy``) compiled with Adam and the masked losses."""
        with strategy.scope() if strategy is not None else nullcontext():
            net = build_network(self.config, model_seed)
            net.set_weights(network.get_weights())
            for layer in net.layers if self.settings.train_only else ():
                layer.trainable = layer.name in self.settings.train_only
            net.compile(
                optimizer=keras.optimizers.Adam(self.settings.learning_rate, clipnorm=1.0),
                loss={"pitch": masked_cross_entropy, "duration": masked_cross_entropy},
                metrics={"pitch": [LastBatchLoss()], "duration": [LastBatchLoss()]},
            )
        return net

    def run(
        self,
        network: keras.Model,
        *,
        model_seed: int,
        history: TrainingHistory,
        callbacks: Sequence[Hook | keras.callbacks.Callback] = (),
        should_stop: Callable[[], bool] = lambda: False,
        strategy: tf.distribute.Strategy | None = None,
    ) -> int:
        """Train from ``network``'s weights and copy the result into it; returns the batches trained.

        ``callbacks`` are hooks (called with every ``TrainingEvent``) and/or Keras callbacks (called
        after jupymuse's own); ``should_stop()`` is asked after every batch.
        """
        settings = self.settings
        net = self._compiled(network, model_seed, strategy)
        stopper = early_stopping(settings) if self.data.has_validation else None
        n_batches = self.data.batches_per_epoch(settings.batch_size)
        progress = Progress(
            settings=settings,
            batches_per_epoch=n_batches,
            hooks=[c for c in callbacks if not isinstance(c, keras.callbacks.Callback)],
            history=history,
            should_stop=should_stop,
            stopper=stopper,
        )
        own = [Validation(self.data, self.config.tokens.rest_index), stopper] if stopper is not None else []
        theirs = [c for c in callbacks if isinstance(c, keras.callbacks.Callback)]
        batches = dataset(
            EpochBatches(self.data, settings.batch_size, settings.seed), n_batches, len(self.config.styles)
        )
        interrupted = False
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*ran out of data", category=UserWarning)
                warnings.filterwarnings("ignore", message="Early stopping conditioned on metric", category=UserWarning)
                net.fit(batches, epochs=settings.epochs, callbacks=[*own, progress, *theirs], verbose=0, shuffle=False)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if stopper is not None and stopper.best_weights is not None:
                net.set_weights(stopper.best_weights)  # Keras does it at the end of fit, which Ctrl-C skips
            progress.close(_why_stopped(interrupted, progress, stopper))
            if progress.step > 0:
                network.set_weights(net.get_weights())
        if interrupted:
            best = best_epoch(stopper)
            print(
                f"Training interrupted after {progress.step} batches; the model keeps "
                + (f"the best weights (epoch {best})." if best else "its latest weights.")
            )
        return progress.step


def _why_stopped(interrupted: bool, progress: Progress, stopper: keras.callbacks.EarlyStopping | None) -> str:
    if interrupted:
        return "interrupted"
    if progress.stop_requested:
        return "stopped"
    if stopper is not None and stopper.stopped_epoch > 0:
        return "early stopping"
    return "completed"
