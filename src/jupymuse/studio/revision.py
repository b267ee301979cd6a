"""What a Fill or a Vary in the Studio asked for: the span of steps and how to write it anew.

A ``Revision`` travels with the candidates it gave (``candidates.py``), so Regenerate asks the same
again with a new seed, the roll marks the span's new notes in the accent colour, and the status line
and the history name it in bars ("Fill bars 3-4"), as the roll's ruler numbers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PROPOSALS = 64
"""Candidate spans drawn for one Fill or Vary (``model.infill``'s default): each weighed by how well
the model then predicts the notes after the span, then the Studio's number of candidates resampled."""
KEEPS: dict[str, str] = {"rhythm": "new pitches, same rhythm", "pitches": "new rhythm, same pitches"}
"""What Vary keeps of the phrase (``model.vary(keep=...)``), and how the Studio names the choice."""


def span_text(start: int, end: int, steps_per_bar: int) -> str:
    """The span ``[start, end)`` as the roll's ruler numbers it: "bars 3-4" on bar lines, else its steps too."""
    first, last = start // steps_per_bar + 1, (end - 1) // steps_per_bar + 1
    bars = f"bar {first}" if first == last else f"bars {first}-{last}"
    if start % steps_per_bar == 0 and end % steps_per_bar == 0:
        return bars
    return f"steps {start}-{end} ({bars})"


@dataclass(frozen=True)
class Revision:
    """A Fill (``kind="fill"``) or Vary (``"vary"``) of the steps ``[start, end)``."""

    kind: Literal["fill", "vary"]
    start: int
    end: int
    steps_per_bar: int
    keep: Literal["rhythm", "pitches"] = "rhythm"
    """Vary only: what stays of the phrase."""
    contour: bool = False
    """Vary with ``keep="rhythm"`` only: each new pitch moves up, down or level as the old one did."""
    proposals: int = PROPOSALS

    @property
    def where(self) -> str:
        """The span in words ("bars 3-4")."""
        return span_text(self.start, self.end, self.steps_per_bar)

    @property
    def label(self) -> str:
        """The step's name in the history: "Fill bars 3-4", "Vary bars 3-4 (new pitches, same rhythm)"."""
        if self.kind == "fill":
            return f"Fill {self.where}"
        contour = ", contour kept" if self.contour and self.keep == "rhythm" else ""
        return f"Vary {self.where} ({KEEPS[self.keep]}{contour})"

    @property
    def doing(self) -> str:
        """The status line while it runs: "Filling bars 3-4 (64 proposals)…"."""
        verb = "Filling" if self.kind == "fill" else "Varying"
        return f"{verb} {self.where} ({self.proposals} proposals)…"
