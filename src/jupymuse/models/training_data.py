"""What the GRU trains on: melodies as windows of tokens, padded into batches, fed through tf.data.

Every melody (in every transposition when augmenting) is cut into windows of at most ``max_len``
events; windows of similar length are batched together (bucketing), so little time goes into
padding, and the order is reshuffled every epoch from the seed. The same generator serves a list
held in memory and a stream of files read lazily (a folder larger than memory).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import tensorflow as tf

from ..errors import ModelError
from ..music import Melody
from .foreign_openings import UNSCORED
from .tokens import EncodedMelody

if TYPE_CHECKING:
    from .gru_config import GRUConfig

PAD = -1
STYLE_DROPOUT = 0.1
"""Share of training windows shown without their style, so the network also learns "any style"."""
Batch = tuple[dict[str, np.ndarray], dict[str, np.ndarray]]
"""Network inputs (pitch, duration, position, next_pitch, and style for a model with styles) and
targets (pitch, duration), (batch, time)."""
Window = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]
"""``(pitch_in, duration_in, position_in, target, style)`` of one window."""


@dataclass(frozen=True)
class BatchShape:
    """What ``pad_batch`` needs to know of the token scheme and the styles."""

    n_pitches: int
    n_durations: int
    n_styles: int = 0
    style_dropout: float = 0.0


def windows(enc: EncodedMelody, max_len: int) -> Iterator[Window]:
    """Windows of at most ``max_len`` events of ``enc``, each with the melody's style."""
    for lo in range(0, len(enc), max_len):
        hi = min(lo + max_len, len(enc))
        yield enc.pitch_in[lo:hi], enc.duration_in[lo:hi], enc.position_in[lo:hi], enc.target[lo:hi], enc.style


def pad_batch(rows: list[Window], shape_of: BatchShape, rng: np.random.Generator | None = None) -> Batch:
    """Windows padded to the longest: network inputs and pitch/duration targets (-1 where padded).

    The end-of-melody target has no duration (-1) and the duration head reads pitch 0 there. With
    styles, each window's style is a one-hot vector at every step, zero for a melody without one and,
    with ``rng``, for a ``style_dropout`` share of the windows.
    """
    nd = shape_of.n_durations
    length = max(len(r[0]) for r in rows)
    shape = (len(rows), length)
    pitch = np.zeros(shape, np.int32)
    dur = np.zeros(shape, np.int32)
    pos = np.zeros(shape, np.int32)
    tp = np.full(shape, PAD, np.int32)
    td = np.full(shape, PAD, np.int32)
    style = np.zeros((len(rows), length, shape_of.n_styles), np.float32)
    for i, (p, d, q, target, s) in enumerate(rows):
        n = len(p)
        pitch[i, :n], dur[i, :n], pos[i, :n] = p, d, q
        learnt = target >= 0  # an unscored event (a foreign opening's) has the target -1: read, not learnt
        tp[i, :n], td[i, :n] = np.where(learnt, target // nd, PAD), np.where(learnt, target % nd, PAD)
        dropped = shape_of.n_styles > 0 and rng is not None and rng.random() < shape_of.style_dropout
        if 0 <= s < shape_of.n_styles and not dropped:
            style[i, :n, s] = 1.0
    end = tp >= shape_of.n_pitches
    td[end] = PAD
    inputs = {"pitch": pitch, "duration": dur, "position": pos, "next_pitch": np.where(end, 0, np.maximum(tp, 0))}
    if shape_of.n_styles:
        inputs["style"] = style
    return inputs, {"pitch": tp, "duration": td}


def batches(
    encoded: Iterable[EncodedMelody],
    *,
    batch_size: int,
    max_len: int,
    shape_of: BatchShape,
    rng: np.random.Generator | None,
    buffer: int = 2048,
) -> Iterator[Batch]:
    """Padded batches of windows of similar length; shuffled when ``rng`` is given.

    Windows are gathered ``buffer`` at a time (everything, for data held in memory), sorted by
    length with random tie-breaking, cut into batches, and the batches shuffled.
    """

    def flush(pool: list[Window]) -> Iterator[Batch]:
        if rng is not None:
            keys = np.array([len(r[0]) // 8 for r in pool]) + rng.random(len(pool))
            pool = [pool[i] for i in np.argsort(keys)]
        groups = [pool[i : i + batch_size] for i in range(0, len(pool), batch_size)]
        order = rng.permutation(len(groups)) if rng is not None else range(len(groups))
        for g in order:
            yield pad_batch(groups[g], shape_of, rng)

    pool: list[Window] = []
    for enc in encoded:
        pool.extend(windows(enc, max_len))
        if len(pool) >= buffer:
            yield from flush(pool)
            pool = []
    if pool:
        yield from flush(pool)


def dataset(make_batches: Callable[[], Iterator[Batch]], n_batches: int | None, n_styles: int) -> tf.data.Dataset:
    """A tf.data pipeline over a batch generator (called afresh each epoch), prefetching ahead.

    ``n_batches`` (when known) tells Keras the epoch length.
    """
    names = ("pitch", "duration", "position", "next_pitch")
    spec = tf.TensorSpec((None, None), tf.int32)
    inputs = {k: spec for k in names}
    if n_styles:
        inputs["style"] = tf.TensorSpec((None, None, n_styles), tf.float32)
    data = tf.data.Dataset.from_generator(
        make_batches,
        output_signature=(inputs, {"pitch": spec, "duration": spec}),
    )
    if n_batches is not None:
        data = data.apply(tf.data.experimental.assert_cardinality(n_batches))
    return data.prefetch(tf.data.AUTOTUNE)


class TrainingData:
    """The training and validation melodies of one ``fit``, encoded as the network reads them.

    Lists are encoded once and held in memory; streams (anything else) are read and encoded again
    every epoch. ``check(melody)`` raises for a melody the model cannot learn from (another grid).

    Raises:
        ModelError: a list of training melodies without a note the token scheme can take.
    """

    def __init__(
        self,
        config: GRUConfig,
        train: Iterable[Melody],
        valid: Iterable[Melody] | None,
        *,
        augment: bool,
        check: Callable[[Melody], None],
    ) -> None:
        self.ts = config.tokens
        self.end = config.end_event
        self.styles = config.styles
        self.shape = BatchShape(self.ts.n_pitches, self.ts.n_durations, len(config.styles), STYLE_DROPOUT)
        self.max_len = config.max_len
        self.augment = augment
        self.check = check
        self.train_source, self.valid_source = train, valid
        self.in_memory = isinstance(train, list)
        self.train = list(self.encode(train, augment)) if self.in_memory else None
        if self.in_memory and not self.train:
            raise ModelError("there are no melodies with notes (within the pitch range) to learn from")
        self.valid = list(self.encode(valid, False)) if isinstance(valid, list) else None

    @property
    def has_validation(self) -> bool:
        """Whether there are validation melodies."""
        return self.valid_source is not None

    def encode(self, melodies: Iterable[Melody], augment: bool) -> Iterator[EncodedMelody]:
        """Each melody with notes, in every key that fits when ``augment``, with its style's index.

        A melody's style is its ``meta["style"]`` (``GRUModel.fit`` sets it from a dict of styles); its
        first ``meta["unscored"]`` events (a foreign opening, :mod:`.foreign_openings`) get no target.
        """
        for m in melodies:
            self.check(m)
            style = m.meta.get("style")
            index = self.styles.index(style) if style in self.styles else -1
            unscored = m.meta.get(UNSCORED, 0)
            for shift in self.ts.transpositions(m, augment):
                if len(m):
                    enc = self.ts.encode(m, shift, end=self.end, style=index)
                    if isinstance(unscored, int) and unscored > 0:
                        target = enc.target.copy()
                        target[:unscored] = PAD
                        enc = dataclasses.replace(enc, target=target)
                    yield enc

    def batches_per_epoch(self, batch_size: int) -> int | None:
        """Batches in one epoch, when the data is in memory (all of it is one bucketing pool)."""
        if self.train is None:
            return None
        n_windows = sum(-(-len(e) // self.max_len) for e in self.train)
        return -(-n_windows // batch_size)

    def training_batches(self, batch_size: int, rng: np.random.Generator) -> Iterator[Batch]:
        """One epoch of shuffled training batches."""
        source = self.train if self.train is not None else self.encode(self.train_source, self.augment)
        return batches(
            source,
            batch_size=batch_size,
            max_len=self.max_len,
            shape_of=self.shape,
            rng=rng,
            buffer=10**9 if self.in_memory else 4096,
        )

    def validation_batches(self) -> Iterator[Batch] | None:
        """The validation batches in a fixed order, or None without validation melodies."""
        if self.valid is not None:
            source: Iterable[EncodedMelody] = self.valid
        elif self.valid_source is not None:
            source = self.encode(self.valid_source, False)
        else:
            return None
        return batches(source, batch_size=64, max_len=self.max_len, shape_of=self.shape, rng=None)


class EpochBatches:
    """The batch generator tf.data calls afresh every epoch; epoch ``e`` is shuffled by ``(seed, e)``."""

    def __init__(self, data: TrainingData, batch_size: int, seed: int) -> None:
        self.data, self.batch_size, self.seed = data, batch_size, seed
        self.epoch = 0

    def __call__(self) -> Iterator[Batch]:
        self.epoch += 1
        return self.data.training_batches(self.batch_size, np.random.default_rng([self.seed, self.epoch]))
