"""One live GRU training in the studio: the data split, the curve as it grows, and Stop.

The curve is reported at most four times a second (and after every epoch) so a page is never
flooded; Stop asks the model to end after the current batch, keeping the best weights so far.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..music import Melody

if TYPE_CHECKING:
    from ..corpus import Split
    from ..models.gru import GRUModel
    from ..models.gru_config import GRUConfig
    from ..models.training import TrainingEvent

REDRAW_SECONDS = 0.25
"""The least time between two reports of the curve within an epoch."""

Curve = tuple[list[float], list[tuple[int, float]]]


def split_corpus(corpus: Iterable[Melody] | str) -> Split:
    """Training, validation and test melodies (10% each of the latter) from a corpus name or melodies."""
    from ..corpus import Corpus, load_corpus

    data = load_corpus(corpus, progress=False) if isinstance(corpus, str) else Corpus(list(corpus))
    return data.split(valid=0.1, test=0.1, seed=0)


class TrainingRun:
    """A new GRU being trained on ``split`` for up to ``epochs`` epochs.

    ``on_curve(batches, vals, progress)`` hears the curve as it grows (from the training thread).
    """

    def __init__(
        self,
        split: Split,
        epochs: int,
        config: GRUConfig | None,
        on_curve: Callable[[list[float], list[tuple[int, float]], float | None], None],
    ) -> None:
        from ..models import GRUConfig, GRUModel

        self.split = split
        self.epochs = epochs
        self.model: GRUModel = GRUModel(config or GRUConfig())
        self.batches: list[float] = []
        self.vals: list[tuple[int, float]] = []
        self._on_curve = on_curve
        self._last_draw = 0.0
        self._stop = threading.Event()

    @property
    def curve(self) -> Curve:
        """Bits per batch, and (step, validation bits) after each epoch, so far."""
        return list(self.batches), list(self.vals)

    def hook(self, event: TrainingEvent) -> None:
        """The training callback: grow the curve, report it now and then, pass on an early Stop."""
        if self._stop.is_set():  # Stop may come before fit has started listening
            self.model.stop()
        if event.kind == "batch":
            self.batches.append(event.loss_bits)
        elif event.val_bits is not None:
            self.vals.append((event.step, event.val_bits))
        now = time.perf_counter()
        if event.kind == "epoch" or now - self._last_draw > REDRAW_SECONDS:
            self._last_draw = now
            self._on_curve(*self.curve, min(1.0, event.epoch / self.epochs))

    def stop(self) -> None:
        """End after the current batch; the model keeps the best weights so far."""
        self._stop.set()
        self.model.stop()

    def fit(self, callbacks: Iterable[Any] = (), **fit: Any) -> GRUModel:
        """Train (blocking) with the live hook and ``callbacks``; ``fit`` goes to ``GRUModel.fit``."""
        self.model.fit(
            self.split.train,
            epochs=self.epochs,
            validation=list(self.split.valid),
            callbacks=[self.hook, *callbacks],
            progress=False,
            **fit,
        )
        self._on_curve(*self.curve, None)
        return self.model
