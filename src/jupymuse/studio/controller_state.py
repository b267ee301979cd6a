"""What every part of the Studio controller shares: its state and lock, its listeners, the status line.

``StudioController`` (``controller.py``) is made of mixins, one concern each: the model choice
(``controller_choice.py``), the melody's history (``controller_history.py``), Generate and its
candidates (``controller_generation.py``), training (``controller_training.py``) and the why-views
(``controller_why.py``). Each is a ``ControllerState``, so the state is made and declared once, here,
with the read-only views of it. The two steps that other concerns end with are declared here and made
in their own mixin: :meth:`ControllerState.explain` (``StudioWhy``) and :meth:`ControllerState.use`
(``StudioChoice``), with ``_refresh`` (explain again, after a Markov fit when one is due).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable

from ..models.protocol import MelodyModel
from ..music import Melody, as_melody
from .choice import ModelChoice
from .events import Explanation, Heard, Listener, StatusChanged, StudioEvent
from .history import Document
from .settings import Settings
from .training import Curve, TrainingRun
from .training_offer import TrainingEnd, TrainingOffer
from .workers import Workers


class ControllerState(ABC):
    """The controller's state, its listeners and its status line (the base of each of its mixins).

    Args:
        model: ``"default"`` (the shipped GRU), ``"markov-1"``/``"markov-2"``/``"markov-3"``
            (fitted on ``corpus`` when first used), or any model object.
        melody: the starting melody (a ``Melody`` or text notation).
        corpus: the corpus the Markov choices are fitted on.
        settings: sampling and view settings; by default the chosen model's recommended ones.
    """

    def __init__(
        self,
        model: str | MelodyModel = "default",
        melody: Melody | str | None = None,
        *,
        corpus: str = "bach-chorales",
        settings: Settings | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._choice = ModelChoice(model, corpus)
        self._doc = Document(as_melody(melody))
        self._settings = settings or Settings(self._choice.recommended())
        self._selected = -1
        self._span: tuple[int, int] | None = None  # the selected steps [start, end): Fill and Vary's span
        self._listeners: list[Listener] = []
        self._workers = Workers(lambda text: self.say(text, error=True))
        self._cancel = threading.Event()  # set by Cancel: the running Generate's result is dropped
        self._training: TrainingRun | None = None
        self._offer: TrainingOffer | None = None  # the last training's model, waiting or chosen
        self._end: TrainingEnd | None = None  # how far the last training got
        self.curve: Curve = ([], [])
        """The last training's bits per batch and (step, validation bits) per epoch."""
        self._heard = Heard(None)  # what the model listened to for the selected note, as last reported
        self._heard_key: tuple[object, ...] | None = None  # what that was asked for (melody, note, style, model)
        self._heard_ticket = 0  # the latest ask: a worker's result for an older one is dropped

    # ------------------------------------------------------------------ steps made by a mixin
    @abstractmethod
    def explain(self) -> Explanation | None:
        """Recompute the why-views' data and report it (``StudioWhy``)."""

    @abstractmethod
    def use(self, model: MelodyModel) -> str:
        """Offer ``model`` and choose it; returns its label (``StudioChoice``)."""

    @abstractmethod
    def _refresh(self, background: bool = True) -> None:
        """Explain again, after fitting a Markov chain still to fit (``StudioChoice``)."""

    # ------------------------------------------------------------------ listeners and the status line
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` on every change; returns a function that stops it."""
        with self._lock:
            self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def on_wait(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` on the waiting thread after :meth:`wait` (or a worker's ``join``) returns."""
        self._workers.on_wait(callback)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the worker threads (Generate, training) to finish (each for up to ``timeout`` seconds)."""
        self._workers.wait(timeout)

    def _emit(self, *events: StudioEvent) -> None:
        with self._lock:  # listeners hear the changes in the order they happened
            for event in events:
                for listener in list(self._listeners):
                    listener(event)

    def say(self, text: str, error: bool = False) -> None:
        """Show ``text`` in the status line (red if ``error``): the studio's one line, the roll's messages too."""
        self._emit(StatusChanged(text, error))

    def _news(self, label: str, corpus: str) -> Callable[[str], None]:
        """Say a model's fit news (progress, "fitted in 2.1 s") only while it is the chosen model on ``corpus``.

        The status line describes the student's last action: a fit that finishes after they chose another
        model (or corpus) would replace that line with news of a model they are not using, so it says
        nothing (the model is kept, and its next use is instant).
        """

        return lambda text: self._say_if_chosen(label, corpus, text)

    def _say_if_chosen(self, label: str, corpus: str, text: str, error: bool = False) -> None:
        with self._lock:  # the check and the line together: a choice made meanwhile waits for both
            if self._choice.chosen == label and self._choice.corpus == corpus:
                self.say(text, error)

    # ------------------------------------------------------------------ state
    @property
    def melody(self) -> Melody:
        """The melody (with the shown candidate after its primer)."""
        return self._doc.melody

    @property
    def selected(self) -> int:
        """The selected note's index (-1: none): the why-views explain it, :meth:`continue_from` starts there."""
        return self._selected

    @property
    def candidates(self) -> list[Melody]:
        """The continuations of the last Generate, until Accept, Undo or an edit."""
        return list(self._doc.candidates.items)

    @property
    def index(self) -> int:
        """Which candidate is shown (-1: none)."""
        return self._doc.candidates.index

    @property
    def settings(self) -> Settings:
        """The settings Generate and the why-views use."""
        return self._settings

    @property
    def corpus(self) -> str:
        """The corpus the Markov choices are fitted on."""
        return self._choice.corpus

    @property
    def labels(self) -> tuple[str, ...]:
        """The models to choose from."""
        return tuple(self._choice.labels)

    @property
    def chosen(self) -> str:
        """The chosen model's label."""
        return self._choice.chosen

    @property
    def model(self) -> MelodyModel:
        """The chosen model (the shipped GRU and the Markov chains load on first use)."""
        label, corpus = self._choice.chosen, self._choice.corpus
        news = self._news(label, corpus)
        return self._choice.get(label, on_fit=news, on_fitted=news)

    def models(self) -> dict[str, MelodyModel]:
        """The models made so far, by label."""
        with self._lock:
            return self._choice.loaded()

    @property
    def busy(self) -> bool:
        """Whether a worker thread (Generate or training) is running (a Markov fit does not count)."""
        return self._workers.busy

    @property
    def training(self) -> bool:
        """Whether a training is running."""
        return self._training is not None
