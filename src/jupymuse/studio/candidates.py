"""The candidates of the last Generate, as an immutable value (so the history can keep it).

``Candidates`` knows no threads and sends no events: the controller swaps it under its lock and
reports ``event()``. Browsing and Accept make a new value; Undo and Redo put back an old one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..music import Melody
from .events import CandidatesChanged


@dataclass(frozen=True)
class Candidates:
    """The continuations to browse, the one shown, and the primer they follow (none: nothing to browse)."""

    items: tuple[Melody, ...] = ()
    index: int = -1
    primer: Melody | None = None

    def __bool__(self) -> bool:
        return bool(self.items) and self.primer is not None

    @classmethod
    def offer(cls, primer: Melody, candidates: list[Melody]) -> Candidates:
        """A Generate after ``primer`` gave ``candidates``: the first one is shown."""
        return cls(tuple(candidates), 0, primer)

    def show(self, index: int) -> Candidates:
        """Candidate ``index`` (modulo their number) shown instead."""
        return Candidates(self.items, index % len(self.items), self.primer) if self else self

    def notes_shown(self) -> Melody:
        """The primer followed by the candidate shown."""
        assert self.primer is not None
        return self.primer.then(self.items[self.index])

    def event(self) -> CandidatesChanged:
        """What the candidate buttons and the accent colour should show now."""
        if not self or self.primer is None:
            return CandidatesChanged(0, -1, -1)
        return CandidatesChanged(len(self.items), self.index, self.primer.end)
