"""The studio's one Undo/Redo history: the melody and its candidates before each change.

A change (a Generate, a Regenerate, a Continue from here, an edit on the roll, a melody set from
Python) is recorded with the state it replaced. Browsing candidates and Accept belong to the Generate
they came from: Undo takes the whole Generate back (the notes before it return, whatever was browsed
or accepted), and Redo brings it back as it was left (the candidate last shown, accepted or not). A
Generate while candidates are browsed replaces them (after the same notes; it never accepts the one
shown), so Undo after it shows the earlier candidates again, as they were left.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..music import Melody
from .candidates import Candidates
from .events import HistoryChanged, MelodyChanged, StudioEvent

LIMIT = 200
"""States kept each way: enough for a lesson, bounded for a 10,000-note melody edited for hours."""


@dataclass(frozen=True)
class State:
    """What Undo and Redo restore: the notes on the roll and the candidates being browsed."""

    melody: Melody
    candidates: Candidates


class History:
    """Undo and Redo over labelled states (``label``: what the change was, e.g. "Generate")."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._limit = limit
        self._past: list[tuple[str, State]] = []
        self._future: list[tuple[str, State]] = []

    def record(self, label: str, before: State) -> None:
        """A change called ``label`` replaced ``before``; what was undone can no longer be redone."""
        self._past.append((label, before))
        del self._past[: -self._limit]
        self._future.clear()

    def undo(self, now: State) -> tuple[str, State] | None:
        """The change to take back and the state before it (None: nothing to undo)."""
        return self._move(self._past, self._future, now)

    def redo(self, now: State) -> tuple[str, State] | None:
        """The change to make again and the state after it (None: nothing to redo)."""
        return self._move(self._future, self._past, now)

    @staticmethod
    def _move(source: list[tuple[str, State]], target: list[tuple[str, State]], now: State) -> tuple[str, State] | None:
        if not source:
            return None
        label, state = source.pop()
        target.append((label, now))
        return label, state

    def event(self) -> HistoryChanged:
        """What Undo and Redo would do now (their labels, "" for nothing)."""
        return HistoryChanged(self._past[-1][0] if self._past else "", self._future[-1][0] if self._future else "")


class Document:
    """The melody, the candidates being browsed and the history: plain state, no lock, no listeners.

    Each change returns the events that report it; the controller makes changes under its lock and
    sends those events. Undo and Redo restore notes only: the tempo, metre and key stay as they are now.
    """

    def __init__(self, melody: Melody) -> None:
        self.melody = melody
        self.candidates = Candidates()
        self._history = History()

    def state(self) -> State:
        """The melody and candidates now."""
        return State(self.melody, self.candidates)

    def change(self, label: str, melody: Melody, candidates: Candidates) -> list[StudioEvent]:
        """A change called ``label`` to ``melody`` and ``candidates``, kept in the history."""
        self._history.record(label, self.state())
        return self.show(State(melody, candidates))

    def show(self, state: State) -> list[StudioEvent]:
        """Show ``state`` (candidates browsed or accepted: part of the change they came from)."""
        melody = self.melody.replace(notes=state.melody.notes)
        events: list[StudioEvent] = [MelodyChanged(melody)] if melody.notes != self.melody.notes else []
        self.melody, self.candidates = melody, state.candidates
        return [*events, self.candidates.event(), self._history.event()]

    def undo(self) -> tuple[str, list[StudioEvent]] | None:
        """Take back the last change: its label and events (None: nothing to undo)."""
        return self._walk(self._history.undo(self.state()))

    def redo(self) -> tuple[str, list[StudioEvent]] | None:
        """Make the last undone change again: its label and events (None: nothing to redo)."""
        return self._walk(self._history.redo(self.state()))

    def _walk(self, moved: tuple[str, State] | None) -> tuple[str, list[StudioEvent]] | None:
        if moved is None:
            return None
        label, state = moved
        return label, self.show(state)

    def history(self) -> HistoryChanged:
        """What Undo and Redo would do now."""
        return self._history.event()
