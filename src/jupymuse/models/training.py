"""Training the GRU: batches through tf.data, the per-batch hook, validation, early stopping, Ctrl-C.

Batches: every melody (in every transposition when augmenting) is cut into windows of at most
``max_len`` events; windows of similar length are batched together (bucketing), so little time goes
into padding, and the order is reshuffled every epoch from the seed. The same generator serves a list
held in memory and a stream of files read lazily (a folder larger than memory).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from .tokens import EncodedMelody

LN2 = math.log(2)
PAD = -1


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


@dataclass
class TrainingHistory:
    """Per-epoch figures of all ``fit`` calls of a model, and how the last one ended."""

    epochs: list[dict[str, float]] = field(default_factory=list)
    stopped: str = ""
    """Why the last ``fit`` ended: ``"completed"``, ``"early stopping"``, ``"interrupted"``, ``"stopped"``."""
    best_epoch: int | None = None
    """Epoch (of the last ``fit``) whose weights the model holds, when validation picked them."""


# ---------------------------------------------------------------------- data
def windows(enc: EncodedMelody, max_len: int) -> Iterator[tuple[np.ndarray, ...]]:
    """``(pitch_in, duration_in, position_in, target)`` windows of at most ``max_len`` events of ``enc``."""
    for lo in range(0, len(enc), max_len):
        hi = min(lo + max_len, len(enc))
        yield enc.pitch_in[lo:hi], enc.duration_in[lo:hi], enc.position_in[lo:hi], enc.target[lo:hi]


def pad_batch(rows: list[tuple[np.ndarray, ...]], n_durations: int) -> tuple[dict[str, np.ndarray], ...]:
    """Windows padded to the longest: network inputs and pitch/duration targets (-1 where padded)."""
    length = max(len(r[0]) for r in rows)
    shape = (len(rows), length)
    pitch = np.zeros(shape, np.int32)
    dur = np.zeros(shape, np.int32)
    pos = np.zeros(shape, np.int32)
    tp = np.full(shape, PAD, np.int32)
    td = np.full(shape, PAD, np.int32)
    for i, (p, d, q, target) in enumerate(rows):
        n = len(p)
        pitch[i, :n], dur[i, :n], pos[i, :n] = p, d, q
        tp[i, :n], td[i, :n] = target // n_durations, target % n_durations
    inputs = {"pitch": pitch, "duration": dur, "position": pos, "next_pitch": np.maximum(tp, 0)}
    return inputs, {"pitch": tp, "duration": td}


def batches(
    encoded: Iterable[EncodedMelody],
    *,
    batch_size: int,
    max_len: int,
    n_durations: int,
    rng: np.random.Generator | None,
    buffer: int = 2048,
) -> Iterator[tuple[dict[str, np.ndarray], ...]]:
    """Padded batches of windows of similar length; shuffled when ``rng`` is given.

    Windows are gathered ``buffer`` at a time (everything, for data held in memory), sorted by
    length with random tie-breaking, cut into batches, and the batches shuffled.
    """

    def flush(pool: list[tuple[np.ndarray, ...]]) -> Iterator[tuple[dict[str, np.ndarray], ...]]:
        if rng is not None:
            keys = np.array([len(r[0]) // 8 for r in pool]) + rng.random(len(pool))
            pool = [pool[i] for i in np.argsort(keys)]
        groups = [pool[i : i + batch_size] for i in range(0, len(pool), batch_size)]
        order = rng.permutation(len(groups)) if rng is not None else range(len(groups))
        for g in order:
            yield pad_batch(groups[g], n_durations)

    pool: list[tuple[np.ndarray, ...]] = []
    for enc in encoded:
        pool.extend(windows(enc, max_len))
        if len(pool) >= buffer:
            yield from flush(pool)
            pool = []
    if pool:
        yield from flush(pool)


def dataset(
    make_batches: Callable[[], Iterator[tuple[dict[str, np.ndarray], ...]]], n_batches: int | None
) -> tf.data.Dataset:
    """A tf.data pipeline over a batch generator (called afresh each epoch), prefetching ahead.

    ``n_batches`` (when known) tells Keras the epoch length.
    """
    names = ("pitch", "duration", "position", "next_pitch")
    spec = tf.TensorSpec((None, None), tf.int32)
    data = tf.data.Dataset.from_generator(
        make_batches,
        output_signature=({k: spec for k in names}, {"pitch": spec, "duration": spec}),
    )
    if n_batches is not None:
        data = data.apply(tf.data.experimental.assert_cardinality(n_batches))
    return data.prefetch(tf.data.AUTOTUNE)


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
    summed pitch cross-entropy of the notes (rests left out) and the number of notes."""

    @tf.function(reduce_retracing=True)
    def sums(inputs: dict[str, tf.Tensor], targets: dict[str, tf.Tensor]) -> tuple[tf.Tensor, ...]:
        out = net(inputs, training=False)
        tp, td = targets["pitch"], targets["duration"]
        mask = tf.cast(tp >= 0, tf.float32)
        ce_p = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.maximum(tp, 0), out["pitch"]) * mask
        ce_d = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.maximum(td, 0), out["duration"]) * mask
        notes = mask * tf.cast(tp != rest_index, tf.float32)
        return (
            tf.reduce_sum(ce_p + ce_d),
            tf.reduce_sum(mask),
            tf.reduce_sum(ce_p * notes),
            tf.reduce_sum(notes),
        )

    return sums


# ---------------------------------------------------------------------- monitor
class Monitor(keras.callbacks.Callback):
    """Progress bar, user hooks, validation each epoch, early stopping with the best weights kept.

    ``validate()`` returns ``(bits per event, pitch bits per note)`` on the validation data, or None.
    The best weights live in memory (``best_weights``) so an interruption can restore them.
    """

    def __init__(
        self,
        *,
        epochs: int,
        batches_per_epoch: int | None,
        validate: Callable[[], tuple[float, float] | None],
        hooks: list[Callable[[TrainingEvent], None]],
        patience: int | None,
        progress: bool,
        history: TrainingHistory,
        should_stop: Callable[[], bool],
    ) -> None:
        super().__init__()
        self.epochs = epochs
        self.validate = validate
        self.hooks = hooks
        self.patience = patience
        self.history_out = history
        self.should_stop = should_stop
        self.best: float = math.inf
        self.best_epoch: int | None = None
        self.best_weights: list[np.ndarray] | None = None
        self.step = 0
        self.epoch = 0
        self.stopped = "completed"
        self._epoch_loss: list[float] = []
        self.bar: Any = None
        if progress:
            from tqdm.auto import tqdm

            total = epochs * batches_per_epoch if batches_per_epoch else None
            self.bar = tqdm(total=total, unit="batch", desc="training", dynamic_ncols=True, leave=True)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._t0 = time.perf_counter()
        self.epoch = epoch + 1
        self._epoch_loss = []

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        logs = logs or {}
        nats = sum(float(v) for k, v in logs.items() if k.endswith("batch_loss"))
        bits = nats / LN2
        self.step += 1
        self._epoch_loss.append(bits)
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(f"epoch {self.epoch}/{self.epochs} loss {bits:.3f} bits", refresh=False)
        event = TrainingEvent("batch", self.epoch, self.step, bits)
        for hook in self.hooks:
            hook(event)
        if self.should_stop():
            self.stopped = "stopped"
            assert self.model is not None
            self.model.stop_training = True

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        assert self.model is not None
        train_bits = float(np.mean(self._epoch_loss)) if self._epoch_loss else math.nan
        row: dict[str, float] = {"epoch": self.epoch, "loss_bits": train_bits}
        val = self.validate()
        if val is not None:
            val_bits, val_pitch = float(val[0]), float(val[1])
            row.update(val_bits=val_bits, val_pitch_bits=val_pitch)
            if val_bits < self.best - 1e-4:
                self.best, self.best_epoch = val_bits, self.epoch
                self.best_weights = self.model.get_weights()
            elif (
                self.patience is not None
                and self.best_epoch is not None
                and self.epoch - self.best_epoch >= self.patience
                and self.stopped == "completed"
            ):
                self.stopped = "early stopping"
                self.model.stop_training = True
        else:
            val_bits, val_pitch = math.nan, math.nan
        self.history_out.epochs.append(row)
        self.history_out.epochs[-1]["seconds"] = round(time.perf_counter() - self._t0, 3)
        if self.bar is not None:
            text = f"epoch {self.epoch}/{self.epochs} loss {train_bits:.3f}"
            if val is not None:
                text += f" val {val_bits:.3f} bits (pitch {val_pitch:.3f}, best epoch {self.best_epoch})"
            self.bar.set_postfix_str(text)
        event = TrainingEvent(
            "epoch",
            self.epoch,
            self.step,
            train_bits,
            None if val is None else val_bits,
            None if val is None else val_pitch,
            self.best_epoch,
        )
        for hook in self.hooks:
            hook(event)

    def finish(self, interrupted: bool) -> None:
        """Restore the best weights (if validation chose some) and close the bar."""
        assert self.model is not None
        if interrupted:
            self.stopped = "interrupted"
        if self.best_weights is not None:
            self.model.set_weights(self.best_weights)
        self.history_out.stopped = self.stopped
        self.history_out.best_epoch = self.best_epoch
        if self.bar is not None:
            self.bar.set_description(f"training ({self.stopped})")
            self.bar.close()
