"""The Studio controller's melody and its history: edits, opened files (MIDI, ABC), Undo and Redo, the selected note.

A mixin of ``StudioController`` (see :mod:`jupymuse.studio.controller`). Each change of the notes is
one step of the history (``history.py``'s ``Document``); a change of tempo, metre or key keeps the
notes and is none. Every change ends by explaining again.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import JupymuseError
from ..music import Melody, as_melody
from ..music.engrave import bar_count
from .candidates import Candidates
from .controller_state import ControllerState
from .events import StudioEvent


class StudioHistory(ControllerState):
    """``edit``, ``open``, ``open_abc``, ``undo``, ``redo``, ``restyle`` and ``select``."""

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

    def open(self, melody: Melody | str, name: str, note: str = "") -> None:
        """The student opened the file ``name`` holding ``melody``: an edit (one step of the history,
        "open <name>"), and the status line says what came in (then ``note``, if any)."""
        melody = as_melody(melody)
        self.edit(melody, label=f"open {name}")
        notes = len(melody.notes)
        bars = bar_count(melody) if melody.notes else 0
        counts = f"{notes} note{'s' if notes != 1 else ''}, {bars} bar{'s' if bars != 1 else ''}"
        self.say(f"Opened {name}: {counts}.{f' {note}' if note else ''}")

    def open_abc(self, text: str, name: str = "the pasted tune") -> bool:
        """Open the ABC tune in ``text`` (pasted, or the file ``name``) as :meth:`open` does, on the melody's
        grid; of several tunes the first, which the status line says. ABC that cannot be read changes
        nothing: the reader's message (line and column) goes in the status line. Whether it opened.
        """
        if not isinstance(text, str):
            self.say(f"{name}: ABC is text, not {type(text).__name__}", error=True)
            return False
        from ..music.abc_read import abc_tunes  # loaded when a tune comes, not with the Studio

        grid = self._doc.melody.steps_per_quarter
        try:
            tunes = abc_tunes(text)
            melody = Melody.from_abc(text, steps_per_quarter=grid)
        except JupymuseError as exc:
            self.say(f"{name}: {exc}; the melody is as it was.", error=True)
            return False
        title = str(melody.meta.get("title", ""))
        named = f", {title}" if title else ""
        self.open(melody, name, f"It holds {len(tunes)} tunes: this is the first{named}." if len(tunes) > 1 else "")
        return True

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
