"""Style evidence: which notes make a melody sound like a style, and the style it is most like.

For each note, log2 P(note | style) - log2 P(note | no style): the bits a model with styles gains (or
loses) on that note by being told the style. Its network learnt "no style" too (a share of its
training windows came without their style), so the difference is what the style adds. A note with
large positive evidence for "irish" is one the model finds far more expected in an Irish tune than in
music in general. Summed over the melody it is the log-likelihood ratio of the style against no style,
so the style with the largest total is the one the melody is most like: a classifier for free, the
same ranking as ``model.style_scores``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..errors import ModelError, SettingError
from ..music import Melody
from .protocol import LN2, NoteLogProbs

if TYPE_CHECKING:
    from .gru_styles import StyleArg

__all__ = ["StyleEvidence", "style_evidence"]


class ScoresStyles(Protocol):
    """A model that scores a melody under each of its styles."""

    @property
    def name(self) -> str: ...

    @property
    def styles(self) -> tuple[str, ...]: ...

    def log_prob(self, melody: Melody, *, style: StyleArg = None) -> NoteLogProbs: ...


@dataclass(frozen=True)
class StyleEvidence:
    """Per style and note: the bits the style adds to the note's log-probability (rests left out)."""

    melody: Melody
    model: str
    styles: tuple[str, ...]
    bits: np.ndarray
    """Shape (styles, notes): log2 P(note | style) - log2 P(note | no style)."""

    def of(self, style: str) -> np.ndarray:
        """The evidence for ``style``, one figure per note of the melody."""
        if style not in self.styles:
            raise SettingError(f"{self.model} knows no style {style!r}; its styles are: {', '.join(self.styles)}")
        return np.asarray(self.bits[self.styles.index(style)])

    @property
    def totals(self) -> dict[str, float]:
        """Each style's evidence summed over the melody, largest first."""
        sums = {s: float(self.bits[i].sum()) for i, s in enumerate(self.styles)}
        return dict(sorted(sums.items(), key=lambda kv: -kv[1]))

    @property
    def likeliest(self) -> str:
        """The style the melody is most like (the largest total)."""
        return next(iter(self.totals))

    def to_text(self, style: str | None = None, k: int = 5) -> str:
        """Totals per style, and the ``k`` notes with the most evidence for ``style`` (default: the likeliest)."""
        style = self.likeliest if style is None else style
        per_note = self.of(style)
        lines = [f"Style evidence under {self.model} (bits each style adds over no style):"]
        lines += [f"  {name}: {total:+.1f} bits" for name, total in self.totals.items()]
        lines.append(f"The notes that sound most {style}:")
        for j in np.argsort(-per_note, kind="stable")[:k]:
            lines.append(f"  note {j + 1}: {per_note[j]:+.2f} bits")
        return "\n".join(lines)


def style_evidence(model: ScoresStyles, melody: Melody) -> StyleEvidence:
    """The evidence of every style of ``model`` for each note of ``melody`` (see the module docstring).

    Raises:
        ModelError: the model knows no styles, or the melody is empty.
    """
    if not model.styles:
        raise ModelError(f"{model.name} knows no styles, so it has no style evidence; train one with styles")
    if not melody.notes:
        raise ModelError("an empty melody has no style evidence: draw or load some notes first")
    plain = model.log_prob(melody)
    notes = ~plain.is_rest
    rows = [model.log_prob(melody, style=s).note[notes] - plain.note[notes] for s in model.styles]
    return StyleEvidence(melody, model.name, model.styles, np.asarray(rows) / LN2)
