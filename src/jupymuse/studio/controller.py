"""``StudioController``: the studio without a screen. Melody, model, candidates, Undo, workers.

It imports no ipywidgets: it reads a plain ``Settings`` and reports every change to its listeners
as events (``studio/events.py``), so it runs and is tested without any front end. Background work
runs in a worker thread; the controller's own state (melody, candidates, history) changes only
under its lock, and events are sent under that lock too, so listeners see them in the order of
the changes. Listeners hear events on the thread that caused them (see ``studio/app.py`` for how
the widgets get them on the kernel's main thread).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..errors import JupymuseError
from ..models.protocol import MelodyModel
from ..music import Melody, as_melody
from .choice import ModelChoice
from .events import (
    BusyChanged,
    CandidatesChanged,
    CurveChanged,
    Explained,
    Explanation,
    Listener,
    MelodyChanged,
    ModelsChanged,
    PlayRequested,
    StatusChanged,
    StudioEvent,
    TableChanged,
    TrainingChanged,
)
from .explain import explain
from .settings import Settings
from .training import Curve, TrainingRun, split_corpus

if TYPE_CHECKING:
    from ..models.gru import GRUModel
    from ..models.gru_config import GRUConfig


class Worker(threading.Thread):
    """A worker thread whose ``join`` also tells the controller's waiters (as :meth:`StudioController.wait`)."""

    def __init__(self, run: Callable[[], None], name: str, joined: Callable[[], None]) -> None:
        super().__init__(target=run, daemon=True, name=name)
        self._joined = joined

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if not self.is_alive():
            self._joined()


class StudioController:
    """Compose with a model: Generate after a primer, browse candidates, Accept or Undo, train, explain.

    Args:
        model: ``"default"`` (the shipped GRU), ``"markov-1"``/``"markov-2"``/``"markov-3"``
            (fitted on ``corpus`` when first used), or any model object.
        melody: the starting melody (a ``Melody`` or text notation).
        corpus: the corpus the Markov choices are fitted on.
        settings: sampling and view settings (change them with :meth:`configure`).
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
        self._melody = as_melody(melody)
        self._settings = settings or Settings()
        self._selected = -1
        self._candidates: list[Melody] = []
        self._index = -1
        self._primer: Melody | None = None
        self._before: Melody | None = None
        self._undo = False
        self._listeners: list[Listener] = []
        self._waiters: list[Callable[[], None]] = []
        self._workers: list[threading.Thread] = []
        self._cancel = threading.Event()
        self._training: TrainingRun | None = None
        self.curve: Curve = ([], [])
        """The last training's bits per batch and (step, validation bits) per epoch."""

    # ------------------------------------------------------------------ listeners
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` on every change; returns a function that stops it."""
        with self._lock:
            self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def on_wait(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` on the waiting thread after :meth:`wait` (or a worker's ``join``) returns."""
        self._waiters.append(callback)

    def _waited(self) -> None:
        for callback in list(self._waiters):
            callback()

    def _emit(self, event: StudioEvent) -> None:
        with self._lock:  # listeners hear the changes in the order they happened
            for listener in list(self._listeners):
                listener(event)

    def _say(self, text: str, error: bool = False) -> None:
        self._emit(StatusChanged(text, error))

    # ------------------------------------------------------------------ state
    @property
    def melody(self) -> Melody:
        """The melody (with the shown candidate after its primer)."""
        return self._melody

    @property
    def selected(self) -> int:
        """The selected note's index (-1: none): the why-views explain it, Generate continues from it."""
        return self._selected

    @property
    def candidates(self) -> list[Melody]:
        """The continuations of the last Generate, until Accept, Undo or an edit."""
        with self._lock:
            return list(self._candidates)

    @property
    def index(self) -> int:
        """Which candidate is shown (-1: none)."""
        return self._index

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
        return self._choice.get(on_fit=self._say)

    def models(self) -> dict[str, MelodyModel]:
        """The models made so far, by label."""
        with self._lock:
            return self._choice.loaded()

    @property
    def busy(self) -> bool:
        """Whether a worker thread (Generate or training) is running."""
        return any(t.is_alive() for t in self._workers)

    @property
    def training(self) -> bool:
        """Whether a training is running."""
        return self._training is not None

    # ------------------------------------------------------------------ settings and choices
    def configure(self, settings: Settings, *, explain: bool = True) -> None:
        """Use ``settings`` from now on (the why-views are redrawn when they change)."""
        with self._lock:
            old, self._settings = self._settings, settings
        if explain and settings.changes_explanation(old):
            self.explain()

    def choose(self, label: str) -> None:
        """Use the model labelled ``label`` (one of :attr:`labels`)."""
        with self._lock:
            changed = self._choice.choose(label)
            if changed:
                self._emit(ModelsChanged(self.labels, label))
        if changed:
            self.explain()

    def use(self, model: MelodyModel) -> str:
        """Offer ``model`` and choose it; returns its label."""
        with self._lock:
            label = self._choice.add(model)
            self._choice.choose(label)
            self._emit(ModelsChanged(self.labels, label))
        self.explain()
        return label

    def set_corpus(self, name: str) -> None:
        """Fit the Markov chains on corpus ``name`` from now on (each is refitted when next used)."""
        with self._lock:
            self._choice.set_corpus(name)
        self.explain()

    def select(self, index: int) -> None:
        """The student selected note ``index`` (-1: none)."""
        with self._lock:
            self._selected = index
        self.explain()

    # ------------------------------------------------------------------ the melody
    def edit(self, melody: Melody) -> None:
        """The student edited the melody: what is there now is the melody (shown candidates are accepted)."""
        melody = as_melody(melody)
        with self._lock:
            self._melody = melody
            self._emit(MelodyChanged(melody))
            if self._candidates:
                self.accept()
        self.explain()

    def restyle(self, melody: Melody) -> None:
        """The melody's tempo, metre or key changed, not its notes: keep it, candidates and all."""
        with self._lock:
            self._melody = as_melody(melody)

    def primer(self) -> Melody:
        """What Generate continues: the melody, or up to and including the selected note."""
        with self._lock:
            melody, sel = self._melody, self._selected
            if 0 <= sel < len(melody) - 1 and not self._candidates:
                return melody.replace(notes=melody.notes[: sel + 1])
            return melody

    # ------------------------------------------------------------------ generation
    def generate(
        self, steps: int | None = None, *, primer: Melody | None = None, background: bool = False, **overrides: Any
    ) -> list[Melody]:
        """Continue the melody (or ``primer``) with the chosen model and settings; show the first candidate.

        ``overrides`` replace settings for this call (``temperature=0.5``, ``n=2``, ``seed=3``...). With
        ``background=True`` it runs in a worker thread and returns [] (see :meth:`wait`).
        """
        start = primer if primer is not None else self.primer()
        if background and self.busy:
            self._say("Still working: wait, or press Cancel.", error=True)
            return []
        self._cancel.clear()
        self._emit(BusyChanged(True))
        if background:
            self._start("Generation", self._generate_and_play, steps, start, overrides, then=self._idle)
            return []
        try:
            return self._generate(steps, start, overrides)
        finally:
            self._idle()

    def _idle(self) -> None:
        self._emit(BusyChanged(False))

    def regenerate(self, *, background: bool = True) -> list[Melody]:
        """Generate again after the same primer (with the settings as they are now)."""
        return self.generate(primer=self._primer, background=background)

    def _start(
        self, what: str, target: Callable[..., Any], *args: Any, then: Callable[[], None] = lambda: None
    ) -> threading.Thread:
        """Run ``target(*args)``, then ``then()``, in a worker thread that reports errors, never raises."""

        def run() -> None:
            try:
                target(*args)
            except JupymuseError as exc:
                self._say(str(exc), error=True)
            except Exception as exc:  # a worker thread must report, not die silently
                self._say(f"{what} failed: {type(exc).__name__}: {exc}", error=True)
            finally:
                then()

        thread = Worker(run, f"jupymuse-{what.lower()}", self._waited)
        with self._lock:
            self._workers = [t for t in self._workers if t.is_alive()] + [thread]
        thread.start()
        return thread

    def _generate_and_play(self, steps: int | None, primer: Melody, overrides: dict[str, Any]) -> None:
        if self._generate(steps, primer, overrides):
            self._emit(PlayRequested())  # hear the result at once

    def _generate(self, steps: int | None, primer: Melody, overrides: dict[str, Any]) -> list[Melody]:
        model = self.model
        settings = self._settings
        options = {**settings.sampling(primer), **overrides}
        t0 = time.perf_counter()
        self._say(f"Generating with {model.name}…")
        candidates = model.generate(primer, steps or settings.length, **options)
        with self._lock:
            if self._cancel.is_set():
                self._say("Cancelled: the melody is as it was.")
                return []
            if not self._candidates:  # Undo goes back to the melody before the first of a run of Generates
                self._before = self._melody
            self._primer = primer
            self._candidates = list(candidates)
            self._show(0)
        self.explain()
        took = (time.perf_counter() - t0) * 1000
        self._say(f"{len(candidates)} candidates from {model.name} in {took:.0f} ms: browse, Accept or Regenerate.")
        return candidates

    def cancel(self) -> None:
        """Drop the result of the Generate running now: the melody stays as it was."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the worker threads (Generate, training) to finish (each for up to ``timeout`` seconds)."""
        for thread in list(self._workers):
            thread.join(timeout)
        self._waited()

    # ------------------------------------------------------------------ candidates
    def _show(self, index: int) -> None:
        """Under the lock: put candidate ``index`` after the primer."""
        assert self._primer is not None
        self._index = index % len(self._candidates)
        self._melody = self._primer.extend(self._candidates[self._index])
        self._undo = True
        self._emit(MelodyChanged(self._melody))
        self._emit(CandidatesChanged(len(self._candidates), self._index, self._primer.end, True))

    def show_candidate(self, index: int) -> None:
        """Put candidate ``index`` (taken modulo their number) after the primer."""
        with self._lock:
            if not self._candidates or self._primer is None:
                return
            self._show(index)
        self.explain()

    def browse(self, step: int) -> None:
        """Show the candidate ``step`` places on (-1: the previous one, 1: the next)."""
        self.show_candidate(self._index + step)

    def accept(self) -> None:
        """Keep the candidate shown as part of the melody."""
        with self._lock:
            self._candidates = []
            self._index = -1
            self._primer = None
            self._before = None
            self._emit(CandidatesChanged(0, -1, -1, self._undo))
            self._say("Accepted.")

    def undo(self) -> None:
        """Drop the candidates and put back the melody from before Generate."""
        with self._lock:
            if self._before is not None:
                self._melody = self._before
                self._emit(MelodyChanged(self._melody))
            self._candidates = []
            self._index = -1
            self._primer = None
            self._before = None
            self._undo = False
            self._emit(CandidatesChanged(0, -1, -1, False))
            self._say("Back to the melody before Generate.")
        self.explain()

    # ------------------------------------------------------------------ why
    def explain(self) -> Explanation | None:
        """Recompute the why-views' data and report it (nothing while a training runs).

        A model's refusal (a ``JupymuseError``) is reported as a status, not raised.
        """
        with self._lock:
            if self._training is not None:
                return None
            asked = (self._melody, self._selected, self._settings, self._choice.chosen)
        try:
            explanation = explain(self.model, *asked[:3])
        except JupymuseError as exc:
            self._say(str(exc), error=True)
            return None
        with self._lock:
            melody, selected, settings, chosen = asked
            if (
                self._melody.notes != melody.notes
                or self._selected != selected
                or settings.changes_explanation(self._settings)
                or self._choice.chosen != chosen
            ):
                return None  # out of date: the change that made it so explains again
            self._emit(Explained(explanation))
        return explanation

    def bits_table(self, melodies: Iterable[Melody]) -> list[tuple[str, float, float]]:
        """Bits per note on ``melodies`` of every model made so far: (label, pitch, note) rows, reported."""
        from ..evaluate import bits_per_note

        rows = []
        test = [m for m in melodies if len(m)]
        for label, model in self.models().items():
            try:
                score = bits_per_note(model, test)
            except (JupymuseError, ValueError):
                continue
            rows.append((label, score.pitch, score.note))
        self._emit(TableChanged(tuple(rows)))
        return rows

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
        """Train a new GRU on ``corpus`` with a live curve; choose it when done (Stop keeps the best).

        Also reports the bits per note on a held-out part of ``corpus`` for the models made so far.
        Returns the worker thread (``background=True``) or the trained model. ``fit`` goes to
        ``GRUModel.fit`` (``batch_size``, ``callbacks``...).
        """
        run = TrainingRun(split_corpus(corpus), epochs, config, self._on_curve)
        with self._lock:
            self._training = run
            self.curve = ([], [])
            self._emit(CurveChanged((), (), None))
        if not background:
            return self._run_training(run, fit)
        return self._start("Training", self._run_training, run, fit)

    def _on_curve(self, batches: list[float], vals: list[tuple[int, float]], progress: float | None) -> None:
        with self._lock:
            self.curve = (batches, vals)
            self._emit(CurveChanged(tuple(batches), tuple(vals), progress))

    def _run_training(self, run: TrainingRun, fit: dict[str, Any]) -> GRUModel:
        self._emit(TrainingChanged(True))
        self._say(f"Training a GRU on {len(run.split.train)} melodies for up to {run.epochs} epochs…")
        try:
            model = run.fit(**fit)
            with self._lock:
                self._training = None
            self.use(model)
            self.bits_table(run.split.test)
            history = model.history
            self._say(f"Training {history.stopped if history else 'done'}: the new GRU is in use.")
        except JupymuseError as exc:
            self._say(str(exc), error=True)
        finally:
            with self._lock:
                self._training = None
                self._emit(TrainingChanged(False))
        return run.model

    def stop_training(self) -> None:
        """End the running training after the current batch; the best weights so far are kept."""
        run = self._training
        if run is not None:
            run.stop()
            self._say("Stopping after this batch; the best weights so far are kept.")
