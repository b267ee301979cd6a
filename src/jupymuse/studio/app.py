"""``Studio``: the main screen. A piano roll, a model, sampling controls, and views of *why*.

Built from ipywidgets controls around a ``PianoRoll`` (so every setting is ordinary widget state,
saved with the notebook) plus SVG views drawn in Python (``views.py``, ``svg.py``). The work is the
``StudioController``'s: this layer (with ``face.py``, which lays the controls out as a first row and
"More" and turns them into ``Settings``) turns clicks into controller calls,
and controller events into widget changes, always on the kernel's main thread (``mainthread.py``),
while Generate and training run in a worker thread so the page never freezes (Cancel, Stop).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..errors import JupymuseError
from ..models.protocol import MelodyModel
from ..music import Melody
from . import views
from .controller import StudioController
from .events import (
    BusyChanged,
    CandidatesChanged,
    CurveChanged,
    Explained,
    Explanation,
    HistoryChanged,
    MelodyChanged,
    ModelsChanged,
    PlayRequested,
    SeedChanged,
    StatusChanged,
    StudioEvent,
    TableChanged,
    TrainingChanged,
)
from .explain import MAX_SHADED_NOTES
from .face import Face
from .guarded import GuardedDropdown
from .layout import fits, row
from .mainthread import MainThread, in_kernel
from .roll import StudioRoll
from .score_view import ScoreTab
from .training import Curve
from .training_panel import TrainingPanel

if TYPE_CHECKING:
    from ..models.gru import GRUModel
    from ..models.gru_config import GRUConfig

CORPORA = ("bach-chorales", "essen:kinder", "essen", "oneills")
"""The corpora offered besides the one a studio starts with."""


class Studio(Face, w.VBox):  # type: ignore[misc]
    """Compose with a model: draw a primer, Generate, browse candidates, Accept, and see why.

    Args:
        model: ``"default"`` (the shipped GRU), ``"markov-1"``/``"markov-2"``/``"markov-3"``
            (fitted on ``corpus`` when first chosen), or any model object (``MarkovModel``,
            ``GRUModel`` or your own ``MelodyModel``).
        melody: the starting melody (a ``Melody`` or text notation).
        corpus: the corpus the Markov choices are fitted on.
        warm_up: in a kernel, get the chosen model ready in a worker thread at once (load the
            shipped GRU, a fraction of a second, or fit the Markov chain) and then fill the
            why-views, so "Why this note?" shows from the start. Nothing is compiled.

    The sampling controls start from the chosen model's recommended settings (``model.sampling``,
    the same ones ``model.generate`` and ``jupymuse generate`` start from), so one seed gives one
    melody in all three; choosing another model keeps what the controls say.

    Work started in the background (the buttons, ``train``) reaches the widgets when the kernel
    is idle; in the same cell, :meth:`wait` for it (or ``join`` the thread ``train`` returns).
    """

    def __init__(
        self,
        model: str | MelodyModel = "default",
        melody: Melody | str | None = None,
        *,
        corpus: str = "bach-chorales",
        warm_up: bool = True,
    ) -> None:
        self.controller = StudioController(model, melody, corpus=corpus)
        self.roll = StudioRoll(self.controller.melody, height=300, show_status=False)  # one status line: ours
        self.roll.on_open(self.controller.open)  # an opened file: one step of the history, said in the status
        self.roll.on_undo(lambda kind: self.controller.undo() if kind == "undo" else self.controller.redo())
        self._rendering: int | None = None  # the thread applying an event (its widget changes are not edits)
        self._offered = CandidatesChanged(0, -1, -1)  # what the candidate buttons can do
        self._history = HistoryChanged("", "")  # what Undo and Redo can do
        self._busy = False  # a Generate runs: the candidate buttons wait for it
        self._model_controls(corpus)
        self._sampling_controls()
        self._generation_controls()
        self._views()
        self.score = ScoreTab(self.roll)  # the Score tab: the roll's melody engraved, kept up to date
        style = w.HTML(views.studio_css())  # disabled controls look disabled, in any theme
        super().__init__([style, self._controls_box(), self.roll, self._tabs()])
        self.add_class("jupymuse-studio")
        self.controller.configure(self._settings(), explain=False)
        self._main: MainThread[StudioEvent] = MainThread(self._render)
        self.controller.subscribe(self._main)
        self.controller.on_wait(self._main.flush)  # code that waited for a worker sees its results
        self._wire_buttons()
        self._wire_observers()
        self._offer_styles()
        if warm_up and in_kernel():  # in a worker, and not in scripts (no front end to show it)
            self.controller.prepare()

    # ------------------------------------------------------------------ layout
    def _model_controls(self, corpus: str) -> None:
        c = self.controller
        self.model_picker = GuardedDropdown(self._refused, "Model", options=list(c.labels), value=c.chosen)
        corpora = list(dict.fromkeys([corpus, *CORPORA]))
        self.corpus = GuardedDropdown(self._refused, "Corpus", options=corpora, value=corpus)
        # the same choice in the Training tab, where Train uses it
        self.train_corpus = GuardedDropdown(self._refused, "Train on", options=corpora, value=corpus)
        w.link((self.corpus, "value"), (self.train_corpus, "value"))
        t = self.training_tab = TrainingPanel(c, lambda: str(self.corpus.value))  # the Training tab
        self.train_button, self.epochs, self.stop_button = t.train_button, t.epochs, t.stop_button
        self.train_progress, self.train_view, self.table = t.progress, t.curve, t.table

    def _generation_controls(self) -> None:
        self.generate_button = w.Button(
            description="Generate", button_style="primary", icon="magic", layout=fits("110px")
        )
        self.cancel_button = w.Button(description="Cancel", disabled=True, layout=fits())
        self.prev_button = w.Button(description="◀", disabled=True, tooltip="Previous candidate", layout=fits("40px"))
        self.next_button = w.Button(description="▶", disabled=True, tooltip="Next candidate", layout=fits("40px"))
        self.accept_button = w.Button(description="Accept", disabled=True, button_style="success", layout=fits())
        self.regenerate_button = w.Button(description="Regenerate", disabled=True, layout=fits())
        self.continue_button = w.Button(description="Continue from here", disabled=True, layout=fits())
        self.undo_button = w.Button(description="Undo", icon="undo", disabled=True, layout=fits())
        self.redo_button = w.Button(description="Redo", icon="repeat", disabled=True, layout=fits())
        self.candidate_label = w.HTML("", layout=fits("52px"))
        self.candidate_label.add_class("jm-candidate-label")  # "1 / 4" on one line (views.studio_css)
        self.status = w.HTML("", layout=w.Layout(min_height="20px"))
        self.legend = w.HTML("")  # what the surprise shading means, while it is shown

    def _views(self) -> None:
        self.strip = w.HTML("", layout=w.Layout(max_width="100%"))
        self.matrix = w.HTML("", layout=w.Layout(max_width="100%"))

    def _tabs(self) -> Any:
        why = row([self.strip, self.matrix], align="flex-start")
        tabs = w.Tab(
            children=[why, w.VBox([row([self._labelled("train_corpus")]), self.training_tab.view]), self.score.view],
            titles=["Why this note?", "Training", "Score"],
        )
        self.score.watch(tabs, 2)  # engraved while shown
        return tabs

    # ------------------------------------------------------------------ controls -> controller
    def _wire_buttons(self) -> None:
        c = self.controller
        self.generate_button.on_click(lambda _: c.generate(background=True))
        self.regenerate_button.on_click(lambda _: c.regenerate(background=True))
        self.continue_button.on_click(lambda _: c.continue_from(background=True))
        self.cancel_button.on_click(lambda _: self._cancel())
        self.accept_button.on_click(lambda _: c.accept())
        self.undo_button.on_click(lambda _: c.undo())
        self.redo_button.on_click(lambda _: c.redo())
        self.prev_button.on_click(lambda _: c.browse(-1))
        self.next_button.on_click(lambda _: c.browse(1))

    def _wire_observers(self) -> None:
        c = self.controller
        self._observe(self.corpus, "value", lambda: c.set_corpus(self.corpus.value))
        self._observe(self.model_picker, "value", self._model_chosen)
        settings = (self.temperature, self.top_k, self.top_p, self.length, self.n, self.seed, self.style_picker)
        for control in (*settings, self.mix_with, self.mix, self.bars, self.ending, self.key_lock, self.range_lock):
            self._observe(control, "value", lambda: c.configure(self._settings()))
        self._observe(self.surprise, "value", lambda: c.configure(self._settings()))
        self._wire_face()
        self._observe(self.roll, "selected", self._selected)
        self._observe(self.roll, "notes", self._edited)
        self._observe(self.roll, ["tempo", "time_signature", "key", "steps_per_quarter"], self._restyle)
        self.roll.observe(self._roll_says, ["error", "audio_status"])

    def _edited(self) -> None:
        if not self.roll.opening:  # a file being opened is one edit, made when it is in (``on_open``)
            self.controller.edit(self.roll.melody)

    def _selected(self) -> None:
        self.controller.select(self.roll.selected)
        self._draw_buttons()

    def _model_chosen(self) -> None:
        self.controller.choose(self.model_picker.value)
        self._offer_styles()
        self._show_corpus()

    def _roll_says(self, change: dict[str, Any]) -> None:
        """What the roll would show in its own status line (a refused file, no sound) goes in ours."""
        text = str(change["new"])
        if change["name"] == "error" and text:
            self.controller.say(text, error=True)
        elif change["name"] == "audio_status" and text.startswith("failed"):
            self.controller.say(f"Audio could not start: {text.removeprefix('failed:').strip()}", error=True)
        elif change["name"] == "audio_status" and text not in ("", "soundfont"):
            self.controller.say(f"Sound: {text}", error=True)

    def _cancel(self) -> None:
        self.controller.cancel()
        self.cancel_button.disabled = True  # asked once: the result will be dropped

    def _observe(self, widget: Any, names: str | list[str], action: Callable[[], None]) -> None:
        """Call ``action`` when the student (or code) changes ``names``, not when an event is drawn."""

        def handler(_change: Any) -> None:
            if self._rendering != threading.get_ident():
                action()

        widget.observe(handler, names)

    def _restyle(self) -> None:
        with contextlib.suppress(JupymuseError):  # a melody replaced trait by trait: its notes come last
            self.controller.restyle(self.roll.melody)
        self._draw_facts()

    # ------------------------------------------------------------------ controller -> widgets
    def _render(self, event: StudioEvent) -> None:
        """Show one controller event on the widgets (called on the kernel's main thread)."""
        outer, self._rendering = self._rendering, threading.get_ident()
        try:
            self._draw(event)
        finally:
            self._rendering = outer

    def _draw(self, event: StudioEvent) -> None:
        match event:
            case StatusChanged(text, error):
                self.status.value = views.status(text, error)
                self.training_tab.draw_offer()  # a choice (Use, Keep) is said after it is made
            case BusyChanged(busy):
                self._busy = busy
                self.generate_button.disabled = busy
                self.cancel_button.disabled = not busy
                self.generate_button.icon = "spinner" if busy else "magic"
                self._draw_buttons()
            case SeedChanged(seed):
                self.seed.value = seed
            case MelodyChanged(melody):
                if self.roll.melody != melody:
                    self.roll.melody = melody
                self._draw_facts()
            case CandidatesChanged():
                self._draw_candidates(event)
            case HistoryChanged():
                self._history = event
                self._draw_buttons()
            case PlayRequested():
                self.roll.play()
            case Explained(explanation):
                self._draw_explanation(explanation)
            case ModelsChanged(labels, chosen):
                if tuple(self.model_picker.options) != labels:
                    self.model_picker.options = list(labels)
                self.model_picker.value = chosen
                self._show_corpus()
                self.training_tab.draw_offer()
            case TrainingChanged() | CurveChanged() | TableChanged():
                self.training_tab.draw(event)

    def _draw_candidates(self, event: CandidatesChanged) -> None:
        self.roll.accent_from = event.accent_from
        self.candidate_label.value = f"{event.index + 1} / {event.count}" if event.count else ""
        self._offered = event
        self._draw_buttons()

    def _draw_buttons(self) -> None:
        """Enable each candidate button exactly when it does something (nothing while a Generate runs)."""
        offered, history, idle = self._offered, self._history, not self._busy
        self.prev_button.disabled = self.next_button.disabled = not (idle and offered.count > 1)
        self.accept_button.disabled = self.regenerate_button.disabled = not (idle and offered.count)
        self.undo_button.disabled = not (idle and history.undo)
        self.redo_button.disabled = not (idle and history.redo)
        self.undo_button.tooltip = f"Undo {history.undo} (Ctrl+Z on the roll)" if history.undo else "Nothing to undo"
        sel, after = self.controller.selected, self.controller.after()
        self.continue_button.disabled = not (idle and after)
        self.continue_button.tooltip = (
            f"Replace the {after} notes after note {sel + 1} with a new continuation (Undo brings them back)"
            if after
            else "Select a note before the last to continue from it; Generate continues after the last note"
        )
        self.redo_button.tooltip = f"Redo {history.redo} (Ctrl+Shift+Z)" if history.redo else "Nothing to redo"

    def _draw_explanation(self, explanation: Explanation) -> None:
        if explanation.surprise is not None:
            with contextlib.suppress(JupymuseError):  # not this melody's (it changed): its own one follows
                self.roll.shade(explanation.surprise)
        elif self.roll.shading:
            self.roll.shade(None)
        self.legend.value = views.surprise_legend() if explanation.surprise is not None else ""
        if self.surprise.value and len(self.controller.melody) > MAX_SHADED_NOTES:
            notes = len(self.controller.melody)
            self.legend.value = views.status(
                f"Surprise shading covers up to {MAX_SHADED_NOTES:,} notes; this melody has {notes:,}."
            )
        if explanation.next_pitch is not None:
            self.strip.value = views.strip(explanation.next_pitch, explanation.key)
        table = explanation.table
        self.matrix.value = views.heatmap(table, explanation.history, explanation.key) if table is not None else ""

    # ------------------------------------------------------------------ state
    @property
    def melody(self) -> Melody:
        """The melody on the roll."""
        return self.controller.melody

    @melody.setter
    def melody(self, value: Melody) -> None:
        self.controller.edit(value, label="melody set from Python")

    @property
    def model(self) -> MelodyModel:
        """The chosen model (the shipped GRU and the Markov chains load on first use)."""
        return self.controller.model

    @model.setter
    def model(self, value: MelodyModel) -> None:
        self.controller.use(value)

    @property
    def candidates(self) -> list[Melody]:
        """The continuations of the last Generate, until Accept, Undo or an edit."""
        return self.controller.candidates

    @property
    def curve(self) -> Curve:
        """The last training's bits per batch and (step, validation bits) per epoch."""
        return self.controller.curve

    @property
    def corpus_name(self) -> str:
        """The corpus the Markov choices are fitted on."""
        return self.controller.corpus

    # ------------------------------------------------------------------ operations
    def generate(
        self, steps: int | None = None, *, primer: Melody | None = None, background: bool = False, **overrides: Any
    ) -> list[Melody]:
        """Continue the melody on the roll (or ``primer``) with the chosen model and settings.

        Shows the first candidate after the primer, in the accent colour, and returns all of them.
        ``overrides`` replace control values (``temperature=0.5``, ``n=2``, ``seed=3``...). With
        ``background=True`` (the Generate button) it runs in a worker thread and returns [].
        """
        if steps and "bars" not in overrides:  # a number of events asked for: not the Length in bars
            overrides["bars"] = None
        return self.controller.generate(steps, primer=primer, background=background, **overrides)

    def show_candidate(self, index: int) -> None:
        """Put candidate ``index`` after the primer on the roll."""
        self.controller.show_candidate(index)

    def accept(self) -> None:
        """Keep the candidate on the roll as part of the melody."""
        self.controller.accept()

    def undo(self) -> None:
        """Take back the last change: an edit, a melody set from Python, or a whole Generate."""
        self.controller.undo()

    def redo(self) -> None:
        """Make the last undone change again."""
        self.controller.redo()

    def explain(self) -> None:
        """Redraw the surprise shading, the probability strip and (for Markov models) the heatmap."""
        self.controller.explain()

    def train(
        self,
        corpus: Iterable[Melody] | str,
        *,
        epochs: int = 5,
        background: bool = True,
        config: GRUConfig | None = None,
        **fit: Any,
    ) -> threading.Thread | GRUModel:
        """Train a new GRU on ``corpus`` with a live curve and a bar of batches done (Stop ends it early).

        When it ends, the Training tab shows the new model's pitch bits per note (for Stop: its best
        weights so far) beside the current model's, on the same validation melodies, and offers "Use the
        new model" or "Keep the current model"; the current model stays in use until the first is pressed
        (or :meth:`use_trained` is called). Returns the thread (``background=True``) or the trained model.
        """
        return self.controller.train(corpus, epochs=epochs, background=background, config=config, **fit)

    def use_trained(self) -> bool:
        """Use the model the last training offers ("Use the new model"); whether one was waiting."""
        return self.controller.use_trained()

    def keep_current(self) -> bool:
        """Keep the model in use and set the trained one aside ("Keep the current model"); whether one was waiting."""
        return self.controller.keep_current()

    def _stop_training(self) -> None:
        self.training_tab.stop()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for work started in the background, then show its results on the widgets now.

        Joining the thread ``train`` returns does the same.
        """
        self.controller.wait(timeout)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The live studio plus a picture of its roll and a short text, for where no widget can show."""
        from ..widget.picture import Roll, picture_bundle

        title = f"jupymuse Studio, model {self.model_picker.value}"
        base = super()._repr_mimebundle_(**kwargs)
        return picture_bundle(Roll.of_widget(self.roll), base, title=title, hint="run the cell for the live studio")
