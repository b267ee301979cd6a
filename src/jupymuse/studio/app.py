"""``Studio``: the main screen. A piano roll, a model, sampling controls, and views of *why*.

Built from ipywidgets controls around a ``PianoRoll`` (so every setting is ordinary widget state,
saved with the notebook) plus SVG views drawn in Python (``views.py``, ``svg.py``). The work is the
``StudioController``'s. This module puts the Studio together and gives it its Python API; it is made
in layers, one concern each: ``face.py`` lays the controls out (a first row and "More") and turns them
into ``Settings``, ``render.py`` draws controller events on the widgets, always on the kernel's main
thread (``mainthread.py``), and ``wiring.py`` turns clicks into controller calls, while Generate and
training run in a worker thread so the page never freezes (Cancel, Stop).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

import ipywidgets as w

from ..models.protocol import MelodyModel
from ..music import Melody
from . import views
from .controller import StudioController
from .events import CandidatesChanged, HistoryChanged, StudioEvent
from .guarded import GuardedDropdown
from .layout import fits, row
from .mainthread import MainThread, in_kernel
from .roll import StudioRoll
from .score_view import ScoreTab
from .training import Curve
from .training_panel import TrainingPanel
from .wiring import StudioWiring

if TYPE_CHECKING:
    from ..models.gru import GRUModel
    from ..models.gru_config import GRUConfig

CORPORA = ("bach-chorales", "essen:kinder", "essen", "oneills")
"""The corpora offered besides the one a studio starts with."""


class Studio(StudioWiring, w.VBox):  # type: ignore[misc]
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

    Raises:
        JupymuseError: an unknown model name, a ``model`` that is no model object or a ``corpus`` that is no
            name (``ArgumentTypeError``), checked before anything is built.
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
        self.roll.on_open_abc(self.controller.open_abc)  # an ABC file: read by the controller, which says why not
        self.roll.on_undo(lambda kind: self.controller.undo() if kind == "undo" else self.controller.redo())
        self._rendering: int | None = None  # the thread applying an event (its widget changes are not edits)
        self._offered = CandidatesChanged(0, -1, -1)  # what the candidate buttons can do
        self._history = HistoryChanged("", "")  # what Undo and Redo can do
        self._busy = False  # a Generate runs: the candidate buttons wait for it
        self._model_controls(corpus)
        self._sampling_controls()
        self._generation_controls()
        self._revision_controls()
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
        self._draw_buttons()  # Fill and Vary say how to select a span
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

    def _tabs(self) -> Any:
        why = w.VBox([self.heard, row([self.strip, self.matrix], align="flex-start")])
        tabs = w.Tab(
            children=[why, w.VBox([row([self._labelled("train_corpus")]), self.training_tab.view]), self.score.view],
            titles=["Why this note?", "Training", "Score"],
        )
        self.score.watch(tabs, 2)  # engraved while shown
        return tabs

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

    def select_span(self, start: int, end: int) -> None:
        """Select the steps ``[start, end)`` on the roll (and the notes starting in them), as a drag on the
        ruler does: the span :meth:`fill`, :meth:`vary` and :meth:`new_from_selection` work on."""
        self.roll.selection = (start, end)

    def fill(
        self, start: int | None = None, end: int | None = None, *, background: bool = False, **overrides: Any
    ) -> list[Melody]:
        """New notes for the steps ``[start, end)`` (default: the span selected on the roll) that lead from
        the notes before into the notes after; candidates shown as Generate's are (the span's new notes in
        the accent colour). Same seed, same candidates: Regenerate draws a new seed."""
        return self.controller.fill(start, end, background=background, **overrides)

    def vary(
        self,
        start: int | None = None,
        end: int | None = None,
        *,
        keep: Literal["rhythm", "pitches"] = "rhythm",
        contour: bool = False,
        background: bool = False,
        **overrides: Any,
    ) -> list[Melody]:
        """The phrase in ``[start, end)`` (default: the selected span) anew: new pitches on its rhythm
        (``keep="rhythm"``, moving up and down as before with ``contour``) or a new rhythm on its pitches."""
        return self.controller.vary(start, end, keep=keep, contour=contour, background=background, **overrides)

    def new_from_selection(self) -> None:
        """Make the selected span's notes the whole melody, moved to the first bar (one Undo step)."""
        self.controller.new_from_selection()

    def open_abc(self, text: str, name: str = "the pasted tune") -> bool:
        """Open the ABC tune ``text`` as the melody (one Undo step); bad ABC changes nothing and is said
        in the status line. Whether it opened."""
        return self.controller.open_abc(text, name)

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
