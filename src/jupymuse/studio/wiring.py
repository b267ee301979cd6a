"""The Studio's wiring: the student's clicks and changes on the widgets turned into controller calls.

A layer of ``Studio`` (``app.py``) on top of its drawing (``render.py``): buttons call the controller
(Generate and friends in a worker thread, so the page never freezes), and changes of the controls and
the roll configure it, edit the melody or select a note. A change made while an event is drawn is not
the student's, and is not passed on (:meth:`StudioWiring._observe`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, Literal

from ..errors import JupymuseError
from .render import StudioRender


class StudioWiring(StudioRender):
    """Connects the Studio's buttons, controls and roll to its controller."""

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
        self.fill_button.on_click(lambda _: c.fill(background=True))
        self.vary_button.on_click(lambda _: self._vary())
        self.new_from_button.on_click(lambda _: self._new_from_selection())
        self.open_abc_button.on_click(lambda _: self._open_abc())

    def _wire_observers(self) -> None:
        c = self.controller
        self._observe(self.corpus, "value", lambda: c.set_corpus(self.corpus.value))
        self._observe(self.model_picker, "value", self._model_chosen)
        settings = (self.temperature, self.top_k, self.top_p, self.length, self.n, self.seed, self.style_picker)
        more = (self.mix_with, self.mix, self.style_strength, self.bars, self.ending, self.key_lock, self.range_lock)
        for control in (*settings, *more):
            self._observe(control, "value", lambda: c.configure(self._settings()))
        for shading in (self.surprise, self.evidence):
            shading.observe(self._one_shading, "value")  # first: the controller never hears both on
            self._observe(shading, "value", lambda: c.configure(self._settings()))
        self._wire_face()
        self._observe(self.roll, "selected", self._selected)
        self._observe(self.roll, "selection", self._span_selected)
        self._observe(self.roll, "notes", self._edited)
        self._observe(self.roll, ["tempo", "time_signature", "key", "steps_per_quarter"], self._restyle)
        self.roll.observe(self._roll_says, ["error", "audio_status"])

    def _observe(self, widget: Any, names: str | list[str], action: Callable[[], None]) -> None:
        """Call ``action`` when the student (or code) changes ``names``, not when an event is drawn."""

        def handler(_change: Any) -> None:
            if self._rendering != threading.get_ident():
                action()

        widget.observe(handler, names)

    def _edited(self) -> None:
        if not self.roll.opening:  # a file being opened is one edit, made when it is in (``on_open``)
            self.controller.edit(self.roll.melody)

    def _selected(self) -> None:
        self.controller.select(self.roll.selected)
        self._draw_buttons()

    def _span_selected(self) -> None:
        self.controller.select_span(*self.roll.selection)
        self._draw_buttons()

    def _vary(self) -> None:
        keep: Literal["rhythm", "pitches"] = "pitches" if self.vary_keep.value == "pitches" else "rhythm"
        contour = keep == "rhythm" and bool(self.contour.value)  # the switch is for new pitches alone
        self.controller.vary(keep=keep, contour=contour, background=True)

    def _new_from_selection(self) -> None:
        try:
            self.controller.new_from_selection()
        except JupymuseError as exc:  # a span with no note in it: said, nothing changes
            self.controller.say(str(exc), error=True)

    def _open_abc(self) -> None:
        if self.controller.open_abc(str(self.abc_text.value)):
            self.abc_text.value = ""  # opened: the tune is on the roll now (Undo brings the melody back)

    def _model_chosen(self) -> None:
        self.controller.choose(self.model_picker.value)
        self._offer_styles()
        self._show_corpus()

    def _restyle(self) -> None:
        with contextlib.suppress(JupymuseError):  # a melody replaced trait by trait: its notes come last
            self.controller.restyle(self.roll.melody)
        self._draw_facts()

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
