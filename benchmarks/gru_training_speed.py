"""Training speed of ``GRUModel.fit`` against a plain Keras ``model.fit`` of the same network.

Both train the same architecture on the same data (the chorales BWV 253-438 in every key) for the
same epochs. The plain version pads every melody to the longest and feeds numpy arrays with a
padding mask as sample weights, the way the Keras guides do it; ``GRUModel.fit`` batches windows
of similar length through tf.data. The figure is real notes (events) per second, second epoch on.

    python benchmarks/gru_training_speed.py [--epochs 3]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import keras
import numpy as np

from jupymuse import load_corpus
from jupymuse.models import GRUConfig, GRUModel
from jupymuse.models.gru_net import build_network
from jupymuse.models.training_data import BatchShape, pad_batch


class EpochTimer(keras.callbacks.Callback):  # type: ignore[misc]
    """Seconds per epoch."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self._t = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        self.seconds.append(time.perf_counter() - self._t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    melodies = [m for m in load_corpus("bach-chorales:pearce185", progress=False) if len(m)]
    config = GRUConfig()
    ts = config.tokens
    encoded = [ts.encode(m, s) for m in melodies for s in ts.transpositions(m, True)]
    events = sum(len(e) for e in encoded)
    print(f"{len(encoded)} sequences (melodies x keys), {events} events per epoch, config {config.hidden_units} units")

    # plain Keras: pad everything to the longest melody, mask with sample weights
    rows = [(e.pitch_in, e.duration_in, e.position_in, e.target, -1) for e in encoded]
    inputs, targets = pad_batch(rows, BatchShape(ts.n_pitches, ts.n_durations))
    weights = {k: (v >= 0).astype("float32") for k, v in targets.items()}
    targets = {k: np.maximum(v, 0) for k, v in targets.items()}
    plain = build_network(config, seed=0)
    plain.compile(
        optimizer=keras.optimizers.Adam(2e-3, clipnorm=1.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    timer = EpochTimer()
    plain.fit(
        inputs,
        targets,
        sample_weight=weights,
        batch_size=args.batch_size,
        epochs=args.epochs,
        verbose=0,
        callbacks=[timer],
    )
    plain_rate = events / float(np.mean(timer.seconds[1:]))
    print(
        f"plain Keras fit (padded to {inputs['pitch'].shape[1]} steps): {plain_rate:,.0f} events/s "
        f"(epochs {', '.join(f'{s:.1f}' for s in timer.seconds)} s)"
    )

    model = GRUModel(config, seed=0)
    model.fit(melodies, epochs=args.epochs, validation=0, batch_size=args.batch_size, progress=False)
    assert model.history is not None
    secs = [row["seconds"] for row in model.history.epochs]
    ours = events / float(np.mean(secs[1:]))
    print(f"GRUModel.fit (bucketed tf.data): {ours:,.0f} events/s (epochs {', '.join(f'{s:.1f}' for s in secs)} s)")
    print(f"ratio: {ours / plain_rate:.2f}x the plain Keras fit (target >= 1)")


if __name__ == "__main__":
    main()
