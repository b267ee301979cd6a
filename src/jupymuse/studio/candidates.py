"""The candidates of the last Generate and what Undo goes back to, as plain state.

``Candidates`` knows no threads and sends no events: the controller changes it under its lock and
reports ``event()``. Undo is offered exactly when it does something: while candidates are shown,
and after Accept (it then undoes the Accept, back to the melody before the first Generate of the
run), until an edit makes the melody the student's own.
"""

from __future__ import annotations

from ..music import Melody
from .events import CandidatesChanged


class Candidates:
    """The continuations to browse, the one shown, their primer, and the melody from before Generate."""

    def __init__(self) -> None:
        self.items: list[Melody] = []
        self.index = -1
        self.primer: Melody | None = None
        self.before: Melody | None = None
        """The melody Undo puts back (None: Undo has nothing to do)."""

    def __bool__(self) -> bool:
        return bool(self.items)

    def offer(self, melody: Melody, primer: Melody, candidates: list[Melody]) -> Melody:
        """A Generate after ``primer`` gave ``candidates`` while ``melody`` was shown; the melody now."""
        if not self.items:  # Undo goes back to the melody before the first of a run of Generates
            self.before = melody
        self.primer = primer
        self.items = list(candidates)
        return self.show(0)

    def show(self, index: int) -> Melody:
        """Show candidate ``index`` (modulo their number); the melody now."""
        assert self.primer is not None
        self.index = index % len(self.items)
        return self.primer.then(self.items[self.index])

    def accept(self) -> None:
        """Keep the shown candidate; Undo still goes back to the melody before Generate."""
        self.items = []
        self.index = -1
        self.primer = None

    def undo(self) -> Melody | None:
        """Drop the candidates; the melody from before Generate to put back (None: nothing to undo)."""
        before = self.before
        self.accept()
        self.before = None
        return before

    def forget(self) -> bool:
        """The student edited the melody: nothing to browse or undo any more; whether anything was dropped."""
        dropped = bool(self.items) or self.before is not None
        self.accept()
        self.before = None
        return dropped

    def event(self) -> CandidatesChanged:
        """What the buttons should show now."""
        if not self.items or self.primer is None:
            return CandidatesChanged(0, -1, -1, self.before is not None)
        return CandidatesChanged(len(self.items), self.index, self.primer.end, True)
