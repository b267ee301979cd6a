"""The Studio controller's melody and its history: edits, opened files, Undo and Redo, the selected note.

A mixin of ``StudioController`` (see :mod:`jupymuse.studio.controller`). Each change of the notes is
one step of the history (``history.py``'s ``Document``); a change of tempo, metre or key keeps the
notes and is none. Every change ends by explaining again.
"""

from __future__ import annotations

from collections.abc import Callable

from ..music import Melody, as_melody
from ..music.engrave import bar_count
from .candidates import Candidates
from .controller_state import ControllerState
from .events import StudioEvent


class StudioHistory(ControllerState):
    """``edit``, ``open``, ``undo``, ``redo``, ``restyle`` and ``select``."""

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

    def select(self, index: int) -> None:
        """The student selected note ``index`` (-1: none)."""
        with self._lock:
            self._selected = index
        self._refresh()
