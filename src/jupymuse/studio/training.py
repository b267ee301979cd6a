"""One live GRU training in the studio: the data split, the curve and the progress as they grow, and Stop.

Progress is batches done out of all the epochs' batches (Keras tells the epoch length before the
first batch), so the bar moves with the work and reaches 100% only when every epoch ran. The curve
is reported at most four times a second (and after every epoch) so a page is never flooded; Stop
asks the model to end after the current batch, keeping the best weights so far (by validation).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..errors import JupymuseError
from ..models.protocol import MelodyModel
from ..music import Melody
from .choice import corpus_progress
from .training_offer import TrainingEnd

if TYPE_CHECKING:
    from ..corpus import Split
    from ..models.gru import GRUModel
    from ..models.gru_config import GRUConfig
    from ..models.training import TrainingEvent

REDRAW_SECONDS = 0.25
"""The least time between two reports of the curve within an epoch."""

Curve = tuple[list[float], list[tuple[int, float]]]


def split_corpus(corpus: Iterable[Melody] | str, say: Callable[[str], None] = lambda _: None) -> Split:
    """Training, validation and test melodies (10% each of the latter) from a corpus name or melodies.

    A corpus converted for the first time reports its progress to ``say``.
    """
    from ..corpus import Corpus, load_corpus

    if isinstance(corpus, str):
        data = load_corpus(corpus, progress=corpus_progress(corpus, say))
    else:
        data = Corpus(list(corpus))
    return data.split(valid=0.1, test=0.1, seed=0)


def bits_rows(models: dict[str, MelodyModel], melodies: Iterable[Melody]) -> list[tuple[str, float, float]]:
    """Bits per note of each model on ``melodies``: (label, pitch, note) rows (models that refuse are left out)."""
    from ..evaluate import bits_per_note

    rows = []
    test = [m for m in melodies if len(m)]
    for label, model in models.items():
        try:
            score = bits_per_note(model, test)
        except (JupymuseError, ValueError):
            continue
        rows.append((label, score.pitch, score.note))
    return rows


class TrainingRun:
    """A new GRU to train on ``corpus`` for up to ``epochs`` epochs.

    :meth:`prepare` (in the training thread: it may convert a corpus and imports TensorFlow) splits
    the data and makes the network; ``on_curve(batches, vals, progress)`` hears the curve as it grows,
    with the fraction of all the batches done (None until the number of batches is known).
    """

    def __init__(
        self,
        corpus: Iterable[Melody] | str,
        epochs: int,
        config: GRUConfig | None,
        on_curve: Callable[[list[float], list[tuple[int, float]], float | None], None],
    ) -> None:
        if isinstance(corpus, str):
            from ..corpus.builtin import parse_corpus_name

            parse_corpus_name(corpus)  # an unknown name is refused now, before any work
        self.corpus = corpus
        self.epochs = epochs
        self.config = config
        self.split: Split | None = None
        self.model: GRUModel | None = None
        self.batches: list[float] = []
        self.vals: list[tuple[int, float]] = []
        self.done = 0
        """Batches trained so far."""
        self.total: int | None = None
        """Batches of all the epochs (None: not known yet)."""
        self.epoch = 0
        """The epoch running (from 1; 0: none began)."""
        self.fitting = False
        """Whether the network is training now (not preparing, not measuring)."""
        self._on_curve = on_curve
        self._last_draw = 0.0
        self._stop = threading.Event()

    @property
    def curve(self) -> Curve:
        """Bits per batch, and (step, validation bits) after each epoch, so far."""
        return list(self.batches), list(self.vals)

    @property
    def progress(self) -> float | None:
        """Fraction of all the epochs' batches done (1.0 only when every batch ran); None: not known yet."""
        return min(1.0, self.done / self.total) if self.total else None

    @property
    def stopping(self) -> bool:
        """Whether Stop was pressed."""
        return self._stop.is_set()

    def prepare(self, say: Callable[[str], None]) -> Split:
        """Split the data (converting a corpus the first time, with progress) and make the network."""
        from ..models import GRUConfig, GRUModel

        self.split = split_corpus(self.corpus, say)
        say(f"Building a GRU to train on {len(self.split.train)} melodies…")
        self.model = GRUModel(self.config or GRUConfig())
        say(f"Training a GRU on {len(self.split.train)} melodies for up to {self.epochs} epochs…")
        return self.split

    def result(self) -> GRUModel:
        """The model trained (or stopped); raises if the data could not even be read (the status said why).

        Raises:
            JupymuseError: no model was made.
        """
        if self.model is None:
            raise JupymuseError(f"no training: the melodies of {self.corpus!r} could not be read")
        return self.model

    def end(self) -> TrainingEnd:
        """How far the training got and why it ended (``"stopped"`` before the first batch too)."""
        history = self.model.history if self.model is not None else None
        how = history.stopped if history is not None and history.stopped else "stopped"
        best = history.best_epoch if history is not None else None
        return TrainingEnd(how, self.done, self.total, self.epoch, self.epochs, best)

    def planned(self, per_epoch: int | None, epochs: int) -> None:
        """Keras's plan, before the first batch: ``per_epoch`` batches (None: not known) for ``epochs`` epochs."""
        if per_epoch:
            self.total = per_epoch * (epochs or self.epochs)
        self._on_curve(*self.curve, self.progress)

    def hook(self, event: TrainingEvent) -> None:
        """The training callback: grow the curve and the count, report them now and then, pass on an early Stop."""
        if self._stop.is_set() and self.model is not None:  # Stop may come before fit has started listening
            self.model.stop()
        self.done, self.epoch = event.step, event.epoch
        if event.kind == "batch":
            self.batches.append(event.loss_bits)
        else:
            if self.total is None and event.epoch == 1 and not self._stop.is_set():  # a stream: one epoch told
                self.total = event.step * self.epochs
            if event.val_bits is not None:
                self.vals.append((event.step, event.val_bits))
        now = time.perf_counter()
        if event.kind == "epoch" or now - self._last_draw > REDRAW_SECONDS:
            self._last_draw = now
            self._on_curve(*self.curve, self.progress)

    def stop(self) -> None:
        """End after the current batch; the model keeps the best weights so far."""
        self._stop.set()
        if self.model is not None:
            self.model.stop()

    def fit(self, callbacks: Iterable[Any] = (), **fit: Any) -> GRUModel:
        """Train (blocking, after :meth:`prepare`) with the live hook and ``callbacks``; ``fit`` to ``GRUModel.fit``.

        A Stop pressed before training began trains nothing.
        """
        if self.model is None or self.split is None:
            raise RuntimeError("TrainingRun.prepare() comes before fit()")
        if self._stop.is_set():
            return self.model
        from ..models.tfimport import ensure_tensorflow

        ensure_tensorflow()  # quietly, before Keras is imported here
        from .training_steps import StepCount

        self.fitting = True
        try:
            self.model.fit(
                self.split.train,
                epochs=self.epochs,
                validation=list(self.split.valid),
                callbacks=[self.hook, StepCount(self.planned), *callbacks],
                progress=False,
                **fit,
            )
        finally:
            self.fitting = False
            self._on_curve(*self.curve, self.progress)
        return self.model
