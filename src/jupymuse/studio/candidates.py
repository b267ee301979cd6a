"""The candidates of the last Generate, Fill or Vary, as an immutable value (so the history can keep it).

``Candidates`` knows no threads and sends no events: the controller swaps it under its lock and
reports ``event()``. Browsing and Accept make a new value; Undo and Redo put back an old one. A
Generate's candidates are continuations shown after their primer; a Fill's or Vary's (``revision``
set) are whole melodies, the primer with its span written anew, and only the span is accented.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..music import Melody
from .events import CandidatesChanged
from .revision import Revision


@dataclass(frozen=True)
class Candidates:
    """The continuations to browse, the one shown, and the primer they follow (none: nothing to browse)."""

    items: tuple[Melody, ...] = ()
    index: int = -1
    primer: Melody | None = None
    """What a Generate continued, or the melody a Fill or Vary rewrote a span of."""
    revision: Revision | None = None
    """The Fill or Vary that gave them (None: a Generate's continuations)."""

    def __bool__(self) -> bool:
        return bool(self.items) and self.primer is not None

    @classmethod
    def offer(cls, primer: Melody, candidates: list[Melody], revision: Revision | None = None) -> Candidates:
        """A Generate after ``primer`` (a Fill or Vary of it: ``revision``) gave ``candidates``: the first shown."""
        return cls(tuple(candidates), 0, primer, revision)

    def show(self, index: int) -> Candidates:
        """Candidate ``index`` (modulo their number) shown instead."""
        return Candidates(self.items, index % len(self.items), self.primer, self.revision) if self else self

    def notes_shown(self) -> Melody:
        """The primer followed by the candidate shown (a Fill's or Vary's: the candidate, a whole melody)."""
        assert self.primer is not None
        shown = self.items[self.index]
        return self.primer.replace(notes=shown.notes) if self.revision else self.primer.then(shown)

    def event(self) -> CandidatesChanged:
        """What the candidate buttons and the accent colour should show now."""
        if not self or self.primer is None:
            return CandidatesChanged(0, -1, -1)
        if self.revision is not None:  # the span keeps its length: its new notes lie in [start, end)
            return CandidatesChanged(len(self.items), self.index, self.revision.start, self.revision.end)
        return CandidatesChanged(len(self.items), self.index, self.primer.end)
