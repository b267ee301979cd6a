"""The Studio's Score tab: the melody on the roll engraved as a score, kept up to date without blocking.

Every change the roll shows (an edit, a Generate's candidate, Undo, a new tempo or key) asks for a
new score; the request waits ``delay`` seconds for more changes (typing and drawing send many), then
one timer thread engraves the latest melody (verovio, :class:`~jupymuse.music.score.Score`) and the
result is shown on the kernel's main thread (``mainthread.py``). A score that is no longer the
latest request's is dropped. Nothing is engraved while the tab is hidden; showing it engraves what
is on the roll.

Generated notes (from the roll's ``accent_from`` step on, before ``accent_to`` for a filled span) are
drawn in the roll's accent colour; the
roll's selected note is marked on the page (``ScoreView.selected``), and a note clicked in the score
becomes the roll's selection. A melody the score refuses (over ``MAX_SCORE_NOTES`` notes) shows the
reason instead.

What the model listened to (:meth:`ScoreTab.show_listened`, the same value as the roll's arcs) is
marked on the score of the melody it was computed for: at once when the view shows that melody's notes,
else when a score of them is shown (the tab hidden, or an engraving in flight); a score of other notes
drops it, as the marks would point at the wrong notes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from ..errors import JupymuseError
from ..music import Melody
from ..music.score import ACCENT, Score
from ..widget import PianoRoll
from ..widget.codec import ROW_BYTES
from ..widget.listened import Listened, listened
from ..widget.score_view import NoteKey, ScoreView, note_key
from .mainthread import MainThread

DELAY = 0.3
"""Seconds a change waits for the next before the score is engraved."""
WIDTH = 720
"""The score's width in pixels as engraved (the page fits it to the tab: up to 1.5 times larger, or smaller)."""
REDRAWN_BY = ("notes", "accent_from", "accent_to", "tempo", "time_signature", "key", "steps_per_quarter")
"""The roll's traits that change what the score shows."""


@dataclass(frozen=True)
class Engraved:
    """One request's result: a score, or the reason there is none."""

    request: int
    score: Score | None
    reason: str = ""


class ScoreTab:
    """Keeps a :class:`ScoreView` showing ``roll``'s melody (see the module's docstring).

    Args:
        roll: the Studio's roll.
        delay: seconds to wait for more changes before engraving.
        width: the score's width in pixels.
    """

    def __init__(self, roll: PianoRoll, *, delay: float = DELAY, width: int = WIDTH) -> None:
        self.roll = roll
        self.view = ScoreView()
        self.view.add_class("jupymuse-score-tab")
        self.delay = delay
        self.width = width
        self.engraved = 0  # scores engraved (for tests and curious readers)
        self._main: MainThread[Engraved] = MainThread(self._show)
        self._lock = threading.Lock()
        self._request = 0  # the latest request; older results are dropped
        self._timer: threading.Timer | None = None
        self._visible = False
        self._stale = True  # the roll changed while the tab was hidden
        self._listened: tuple[Listened, NoteKey] | None = None  # marks waiting for a score of their notes
        roll.observe(lambda _change: self.request(), list(REDRAWN_BY))
        roll.observe(self._selected, "selected")
        self.view.on_select(self.select)
        self.view.selected = roll.selected

    @property
    def visible(self) -> bool:
        """Whether the tab shows (a hidden tab engraves nothing until shown)."""
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        self._visible = bool(value)
        if self._visible and self._stale:
            self.request()

    def watch(self, tabs: Any, index: int) -> None:
        """Be visible exactly while ``tabs`` (an ipywidgets ``Tab``) shows its child ``index``."""
        tabs.observe(lambda change: setattr(self, "visible", change["new"] == index), "selected_index")
        self.visible = tabs.selected_index == index

    def request(self) -> None:
        """Engrave the roll's melody after ``delay`` seconds without a newer request (call on the main thread)."""
        melody, accent = self.roll.melody, (self.roll.accent_from, self.roll.accent_to)
        with self._lock:
            self._request += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if not self._visible:
                self._stale = True
                return
            self._stale = False
            timer = threading.Timer(self.delay, self._engrave, (self._request, melody, accent))
            timer.daemon = True
            self._timer = timer
        timer.start()

    def wait(self, timeout: float | None = 10.0) -> None:
        """Wait for the pending score (if any) and show it now (on the main thread)."""
        with self._lock:
            timer = self._timer
        if timer is not None:
            timer.join(timeout)
        self._main.flush()

    def select(self, index: int) -> None:
        """A note clicked in the score: select it on the roll (an index past the roll's notes: none)."""
        self.roll.selected = index if 0 <= index < len(self.roll.notes) // ROW_BYTES else -1

    def show_listened(self, value: Listened | None, *, melody: Melody | None = None) -> None:
        """Mark what the model listened to on the score (None: no marks); cheap, and safe while hidden.

        ``melody`` is the melody ``value`` was computed for (default: the roll's now). Marks for a
        melody that is no longer the roll's are dropped; marks for the roll's melody show on its score,
        now if it is shown, else as soon as it is (an engraving in flight, or the tab shown later).

        Raises:
            SettingError: ``value`` names a note that ``melody`` does not have (the message says which).
        """
        current = self.roll.melody
        melody = current if melody is None else melody
        if value is not None:
            listened(value.to_state(), len(melody))  # checked before anything changes
        self._listened = None
        key = note_key(melody)
        if value is None or (melody is not current and key != note_key(current)):
            self.view.show_listened(None)
        elif self.view.shows(melody):
            self.view.show_listened(value)
        else:  # the view shows other notes (or none) until the roll's are engraved
            self.view.show_listened(None)
            self._listened = (value, key)

    def _selected(self, change: dict[str, Any]) -> None:
        self.view.selected = int(change["new"])

    def _engrave(self, request: int, melody: Melody, accent: tuple[int, int]) -> None:
        """In the timer thread: the score, or why there is none, handed to the main thread; ``accent`` the
        generated notes' steps ``[from, to)`` (``to`` -1: to the end)."""
        if request != self._request:
            return
        start, end = accent
        span = {i: ACCENT for i, n in enumerate(melody.notes) if start <= n.start < end} if 0 <= start < end else None
        try:
            if span is not None:
                result = Engraved(request, Score(melody, highlight=span, width=self.width))
            else:
                result = Engraved(request, Score(melody, accent_from=start, width=self.width))
        except JupymuseError as exc:
            result = Engraved(request, None, f"No score: {exc}")
        except Exception as exc:  # a bug must not kill the tab silently
            result = Engraved(request, None, f"The score could not be drawn ({type(exc).__name__}: {exc}).")
        self.engraved += 1
        self._main(result)

    def _show(self, result: Engraved) -> None:
        """On the main thread: show the latest request's result (an older one is dropped)."""
        if result.request != self._request:
            return
        waiting, self._listened = self._listened, None  # marks wait for one score: theirs, or they are dropped
        if result.score is None:
            self.view.say(result.reason)
            return
        self.view.show(result.score)
        if waiting is not None and waiting[1] == note_key(result.score.melody):
            self.view.show_listened(waiting[0])
