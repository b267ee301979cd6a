"""The Studio's drawing: each controller event shown on the widgets (status line, buttons, roll, views).

A layer of ``Studio`` (``app.py``) on top of its controls (``face.py``): the controller reports every
change as an event (``events.py``), which arrives here on the kernel's main thread (``mainthread.py``)
and is drawn. Widget changes made while drawing are not the student's: ``_rendering`` names the
thread drawing, and the reactions to the controls (``wiring.py``) skip them.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

import ipywidgets as w

from ..errors import JupymuseError
from . import listened_views, views
from .events import (
    BusyChanged,
    CandidatesChanged,
    CurveChanged,
    Explained,
    Explanation,
    Heard,
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
from .revision import span_text
from .tips import NO_SPAN, TIPS

if TYPE_CHECKING:
    from .score_view import ScoreTab
    from .training_panel import TrainingPanel


class StudioRender(Face):
    """Draws controller events on the Studio's widgets (the ``Studio`` makes the widgets)."""

    training_tab: TrainingPanel
    score: ScoreTab
    _offered: CandidatesChanged
    """What the candidate buttons can do."""
    _history: HistoryChanged
    """What Undo and Redo can do."""
    _busy: bool
    """Whether a Generate runs: the candidate buttons wait for it."""

    def _views(self) -> None:
        """The why-views: what the model listened to (words), the next-pitch strip and the transition heatmap."""
        self.heard = w.HTML(listened_views.heard_html(""), layout=w.Layout(max_width="100%"))
        self.strip = w.HTML("", layout=w.Layout(max_width="100%"))
        self.matrix = w.HTML("", layout=w.Layout(max_width="100%"))

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
            case Heard():
                self._draw_heard(event)
            case ModelsChanged(labels, chosen):
                if tuple(self.model_picker.options) != labels:
                    self.model_picker.options = list(labels)
                self.model_picker.value = chosen
                self._show_corpus()
                self.training_tab.draw_offer()
            case TrainingChanged() | CurveChanged() | TableChanged():
                self.training_tab.draw(event)

    def _draw_candidates(self, event: CandidatesChanged) -> None:
        with self.roll.hold_sync():
            self.roll.accent_from = event.accent_from
            self.roll.accent_to = event.accent_to
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
        self._draw_revision_buttons(idle)

    def _draw_revision_buttons(self, idle: bool) -> None:
        """Fill, Vary and New from selection work on the selected span: disabled, saying how to select
        one, while there is none (and while work runs)."""
        span = self.controller.span
        for button, tip in ((self.fill_button, "fill"), (self.vary_button, "vary"), (self.new_from_button, "new_from")):
            button.disabled = not (idle and span)
            if span is None:
                button.tooltip = NO_SPAN
            else:
                where = span_text(*span, self.controller.melody.steps_per_bar)
                button.tooltip = f"{TIPS[tip]} ({where})"

    def _draw_heard(self, heard: Heard) -> None:
        """The arcs on the roll, the marks on the score and the words, for the selected note (or none)."""
        value = listened_views.shown(heard)
        with contextlib.suppress(JupymuseError):  # not this melody's (it changed): the change cleared them
            self.roll.listened = value.to_state() if value is not None else {}
            self.score.show_listened(value)
        self.heard.value = listened_views.heard_html(listened_views.heard_text(heard))

    def _draw_explanation(self, explanation: Explanation) -> None:
        evidence = explanation.evidence
        with contextlib.suppress(JupymuseError):  # not this melody's (it changed): its own one follows
            if explanation.surprise is not None:
                self.roll.shade(explanation.surprise)
            elif evidence is not None:
                self.roll.shade(evidence.bits, scale="evidence")
            elif self.roll.shading:
                self.roll.shade(None)
        self.legend.value = (
            views.surprise_legend()
            if explanation.surprise is not None
            else listened_views.evidence_legend(evidence)
            if evidence is not None
            else ""
        )
        shaded = "Surprise" if self.surprise.value else "Style evidence" if self.evidence.value else ""
        if shaded and len(self.controller.melody) > MAX_SHADED_NOTES:
            notes = len(self.controller.melody)
            self.legend.value = views.status(
                f"{shaded} shading covers up to {MAX_SHADED_NOTES:,} notes; this melody has {notes:,}."
            )
        if explanation.next_pitch is not None:
            self.strip.value = views.strip(explanation.next_pitch, explanation.key)
        table = explanation.table
        self.matrix.value = views.heatmap(table, explanation.history, explanation.key) if table is not None else ""
