"""``StudioController``: the studio without a screen. Melody, model, candidates, history, workers.

It imports no ipywidgets: it reads a plain ``Settings`` and reports every change to its listeners
as events (``studio/events.py``), so it runs and is tested without any front end. Background work
runs in a worker thread; the controller's own state (melody, candidates, history) changes only
under its lock, and events are sent under that lock too, so listeners see them in the order of
the changes. Listeners hear events on the thread that caused them (see ``studio/app.py`` for how
the widgets get them on the kernel's main thread).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..errors import JupymuseError
from ..models.protocol import MelodyModel
from ..music import Melody, as_melody
from ..music.engrave import bar_count
from .candidates import Candidates
from .choice import ModelChoice
from .controller_training import StudioTraining
from .controller_why import StudioWhy
from .events import (
    BusyChanged,
    Listener,
    ModelsChanged,
    PlayRequested,
    SeedChanged,
    StatusChanged,
    StudioEvent,
)
from .history import Document, State
from .settings import Settings
from .training import Curve, TrainingRun
from .workers import Workers


class StudioController(StudioWhy, StudioTraining):
    """Compose with a model: Generate after a primer, browse candidates, Accept, Undo/Redo, train, explain.

    Args:
        model: ``"default"`` (the shipped GRU), ``"markov-1"``/``"markov-2"``/``"markov-3"``
            (fitted on ``corpus`` when first used), or any model object.
        melody: the starting melody (a ``Melody`` or text notation).
        corpus: the corpus the Markov choices are fitted on.
        settings: sampling and view settings (change them with :meth:`configure`); by default the
            chosen model's recommended sampling settings (``model.sampling``), 4 candidates, seed 0.
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
        self._listeners: list[Listener] = []
        self._workers = Workers(lambda text: self.say(text, error=True))
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
        self._workers.on_wait(callback)

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

    # ------------------------------------------------------------------ settings and choices
    def configure(self, settings: Settings, *, explain: bool = True) -> None:
        """Use ``settings`` from now on (the why-views are redrawn when they change)."""
        with self._lock:
            old, self._settings = self._settings, settings
        if explain and settings.changes_explanation(old):
            self._refresh()

    def choose(self, label: str, *, background: bool = True) -> None:
        """Use the model labelled ``label`` (one of :attr:`labels`).

        A Markov chain not fitted yet is fitted in a worker thread (``background=False``: now); a
        Generate started meanwhile waits for that fit.
        """
        with self._lock:
            changed = self._choice.choose(label)
            if changed:
                self._emit(ModelsChanged(self.labels, label))
        if changed:
            self._refresh(background)

    def use(self, model: MelodyModel) -> str:
        """Offer ``model`` and choose it; returns its label."""
        with self._lock:
            label = self._choice.add(model)
            self._choice.choose(label)
            self._emit(ModelsChanged(self.labels, label))
        self.explain()
        return label

    def set_corpus(self, name: str, *, background: bool = True) -> None:
        """Fit the Markov chains on corpus ``name`` from now on (a chosen one at once, in a worker thread)."""
        with self._lock:
            self._choice.set_corpus(name)
        self._refresh(background)

    def _refresh(self, background: bool = True) -> None:
        """Explain again; a Markov chain still to fit is fitted first, in a worker thread that then explains."""
        if background and self._choice.needs_fit():
            self._workers.start("Fitting", self._fit, self._choice.chosen, busy=False)
        else:
            self.explain()

    def _fit(self, label: str) -> None:
        if self._choice.chosen != label:  # chosen away meanwhile: fitted when next chosen
            return
        corpus = self._choice.corpus
        news = self._news(label, corpus)
        try:
            self._choice.get(label, on_fit=news, on_fitted=news)
        except JupymuseError as exc:  # a failed fit too is said only while its model is still chosen
            self._say_if_chosen(label, corpus, str(exc), error=True)
            return
        self.explain()

    def select(self, index: int) -> None:
        """The student selected note ``index`` (-1: none)."""
        with self._lock:
            self._selected = index
        self._refresh()

    # ------------------------------------------------------------------ the melody and its history
    def edit(self, melody: Melody | str, *, label: str = "edit") -> None:
        """The student (or code) changed the melody to ``melody``: shown candidates are accepted.

        The change is one step of the history, called ``label`` (Undo puts the old melody back).
        """
        melody = as_melody(melody)
        with self._lock:
            if melody.notes == self._doc.melody.notes and not self._doc.candidates:
                self._doc.melody = melody  # no change of notes: nothing to undo
                return
            accepted = bool(self._doc.candidates)
            self._emit(*self._doc.change(label, melody, Candidates()))
            if accepted:
                self.say("Accepted.")
        self._refresh()

    def open(self, melody: Melody | str, name: str) -> None:
        """The student opened the file ``name`` holding ``melody``: an edit (one step of the history,
        "open <name>"), and the status line says what came in."""
        melody = as_melody(melody)
        self.edit(melody, label=f"open {name}")
        notes = len(melody.notes)
        bars = bar_count(melody) if melody.notes else 0
        self.say(f"Opened {name}: {notes} note{'s' if notes != 1 else ''}, {bars} bar{'s' if bars != 1 else ''}.")

    def undo(self) -> None:
        """Take back the last change: an edit, or a whole Generate (with what was browsed and accepted)."""
        self._walk(self._doc.undo, "Nothing to undo.", "Undone: {} (Redo makes it again).")

    def redo(self) -> None:
        """Make the last undone change again (a Generate comes back as it was left)."""
        self._walk(self._doc.redo, "Nothing to redo.", "Redone: {}.")

    def _walk(self, step: Callable[[], tuple[str, list[StudioEvent]] | None], nothing: str, done: str) -> None:
        with self._lock:
            moved = step()
            if moved is None:
                self.say(nothing)
                return
            self._emit(*moved[1])
            self.say(done.format(moved[0]))
        self._refresh()

    def restyle(self, melody: Melody) -> None:
        """The melody's tempo, metre or key changed, not its notes: keep it, candidates and all."""
        with self._lock:
            self._doc.melody = as_melody(melody)

    def primer(self) -> Melody:
        """What Generate continues: the whole melody, or while candidates are browsed the melody they follow
        (a new batch replaces them; it never accepts the one shown). A selected note only says what to
        explain; continuing from it (which replaces the notes after it) is :meth:`continue_from`."""
        with self._lock:
            shown = self._doc.candidates
            return shown.primer if shown and shown.primer is not None else self._doc.melody

    def after(self, index: int | None = None) -> int:
        """How many notes :meth:`continue_from` would replace after note ``index`` (default: the selected)."""
        with self._lock:
            i = self._selected if index is None else index
            return len(self._doc.melody) - 1 - i if 0 <= i < len(self._doc.melody) else 0

    # ------------------------------------------------------------------ generation
    def generate(
        self, steps: int | None = None, *, primer: Melody | None = None, background: bool = False, **overrides: Any
    ) -> list[Melody]:
        """Continue the melody (or ``primer``) with the chosen model and settings; show the first candidate.

        ``overrides`` replace settings for this call (``temperature=0.5``, ``n=2``, ``seed=3``...). With
        ``background=True`` it runs in a worker thread and returns [] (see :meth:`wait`).
        """
        return self._start("Generate", steps, primer, background, overrides)

    def continue_from(
        self, index: int | None = None, steps: int | None = None, *, background: bool = False, **overrides: Any
    ) -> list[Melody]:
        """Replace the notes after note ``index`` (default: the selected one) with a continuation of the
        notes up to and including it: "Continue from here". One step of the history (Undo brings the
        replaced notes back), and the status says how many notes were replaced.

        Raises:
            JupymuseError: no such note, or no note after it (in a worker: said in the status line).
        """
        with self._lock:
            i = self._selected if index is None else index
            melody = self._doc.melody
        if background and self._refuse_busy():  # before the hint below, which names Generate (disabled now)
            return []
        if not 0 <= i < len(melody) - 1:
            text = "Select a note before the last one to continue from it (Generate continues after the last)."
            if background:
                self.say(text, error=True)
                return []
            raise JupymuseError(text)
        replaced = len(melody) - 1 - i
        note = f"Continued from note {i + 1}: the {replaced} notes after it are replaced (Undo brings them back). "
        label = f"Continue from note {i + 1}"
        return self._start(label, steps, melody.replace(notes=melody.notes[: i + 1]), background, overrides, note)

    def _start(
        self,
        label: str,
        steps: int | None,
        primer: Melody | None,
        background: bool,
        overrides: dict[str, Any],
        note: str = "",
    ) -> list[Melody]:
        start = primer if primer is not None else self.primer()
        if background and self._refuse_busy():
            return []
        self._cancel.clear()
        shown = self._doc.melody  # an edit made while generating wins over the result
        self._emit(BusyChanged(True))
        job = (label, steps, start, shown, overrides, note)
        if background:
            self._workers.start("Generation", self._generate_and_play, *job, then=self._idle)
            return []
        try:
            return self._generate(*job)
        finally:
            self._idle()

    def _refuse_busy(self) -> bool:
        if self.busy:  # never pointing at a disabled button: Cancel is for a Generate, Stop for a training
            self.say(self._busy_text(), error=True)
        return self.busy

    def _busy_text(self) -> str:
        """Why the studio cannot start more work now, naming only a button that is enabled (each is
        disabled once pressed: Cancel after a cancel, Stop training after a stop)."""
        with self._lock:
            run = self._training
        if run is not None:
            return (
                "A training is stopping: wait for it to end."
                if run.stopping
                else ("A training is running: wait, or press Stop training.")
            )
        if self._cancel.is_set():
            return "Still cancelling the Generate: wait for it to end."
        return "Still generating: wait, or press Cancel."

    def _idle(self) -> None:
        self._emit(BusyChanged(False))

    def regenerate(self, *, background: bool = True) -> list[Melody]:
        """Generate again after the same primer with a new seed (the settings as they are now otherwise).

        The new seed becomes the settings' seed (reported as ``SeedChanged``), so ``generate`` with it
        after the same primer gives the same candidates again.
        """
        if background and self._refuse_busy():
            return []
        with self._lock:
            seed = self._settings.seed
            while seed == self._settings.seed:
                seed = random.randrange(1, 100_000)
            self._settings = replace(self._settings, seed=seed)
            self._emit(SeedChanged(seed))
            primer = self._doc.candidates.primer
        return self._start("Regenerate", None, primer, background, {})

    def _generate_and_play(
        self, label: str, steps: int | None, primer: Melody, shown: Melody, overrides: dict[str, Any], note: str
    ) -> None:
        if self._generate(label, steps, primer, shown, overrides, note):
            self._emit(PlayRequested())  # hear the result at once

    def prepare(self) -> threading.Thread:
        """Get the chosen model ready in a worker and fill the why-views, so they show from the start.

        The shipped GRU loads (a fraction of a second: the numpy engine compiles nothing), a Markov
        chain is fitted, any other model just explains; nothing blocks the caller, and a Generate
        started meanwhile waits for the same load (never a second one).
        """
        if self._choice.needs_fit():
            return self._workers.start("Fitting", self._fit, self._choice.chosen, busy=False)
        return self._workers.start("Explaining", self.explain, busy=False)

    def _generate(
        self, label: str, steps: int | None, primer: Melody, shown: Melody, overrides: dict[str, Any], note: str = ""
    ) -> list[Melody]:
        t0 = time.perf_counter()  # the whole wait: loading or fitting the model counts too
        model = self.model
        settings, options = self._settings, dict(overrides)
        n, seed = options.pop("n", settings.n), options.pop("seed", settings.seed)
        if steps:
            options["length"] = steps
        sampling = settings.for_model(model).replace(**options)
        self.say(f"Generating with {model.name}…")
        candidates = model.generate(primer, n=n, seed=seed, sampling=sampling)
        with self._lock:
            if self._cancel.is_set():
                self.say("Cancelled: the melody is as it was.")
                return []
            if self._doc.melody.notes != shown.notes:
                self.say("The melody changed while generating: press Generate again.")
                return []
            offer, before = Candidates.offer(primer, candidates), self._doc.candidates
            if before and before.primer == primer and before.items == offer.items:  # nothing new to show
                self.say("The same settings and seed give the same candidates: change one, or press Regenerate.")
                return candidates
            self._emit(*self._doc.change(label, offer.notes_shown(), offer))
        self.explain()
        took = (time.perf_counter() - t0) * 1000
        count = len(candidates)
        made = f"{count} candidate{'s' if count != 1 else ''} from {model.name} in {took:.0f} ms"
        choices = "browse, Accept or Regenerate" if count > 1 else "Accept or Regenerate"  # ◀ ▶ need two
        self.say(f"{note}{made}: {choices}.")  # said with the buttons' change (BusyChanged(False) follows)
        return candidates

    def cancel(self) -> None:
        """Drop the result of the Generate running now: the melody stays as it was."""
        self._cancel.set()
        if self.busy and self._training is None:
            self.say("Cancelling: the melody stays as it is…")

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the worker threads (Generate, training) to finish (each for up to ``timeout`` seconds)."""
        self._workers.wait(timeout)

    # ------------------------------------------------------------------ candidates
    def show_candidate(self, index: int) -> None:
        """Put candidate ``index`` (taken modulo their number) after the primer (part of its Generate)."""
        with self._lock:
            if not self._doc.candidates:
                return
            shown = self._doc.candidates.show(index)
            self._emit(*self._doc.show(State(shown.notes_shown(), shown)))
        self._refresh()

    def browse(self, step: int) -> None:
        """Show the candidate ``step`` places on (-1: the previous one, 1: the next)."""
        self.show_candidate(self._doc.candidates.index + step)

    def accept(self) -> None:
        """Keep the candidate shown as part of the melody (Undo still takes the whole Generate back)."""
        with self._lock:
            if not self._doc.candidates:
                return
            self._emit(*self._doc.show(State(self._doc.melody, Candidates())))
            self.say("Accepted.")

    # ------------------------------------------------------------------ why
