"""The studio's settings as plain data, and the key guess behind "Stay in key".

``Settings`` is what the controller reads (the ipywidgets layout turns its controls into one): the
model's ``SamplingSettings`` (the one definition ``generate`` and the CLI use too; the controls start
from the chosen model's recommended ones) plus what only a studio has: how many candidates, the seed,
and the roll's shading (surprise, or style evidence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ArgumentTypeError
from ..models.sampling_settings import RANGE_MARGIN, SamplingSettings
from ..music.keys import guess_key

__all__ = ["RANGE_MARGIN", "SamplingSettings", "Settings", "guess_key"]


@dataclass(frozen=True)
class Settings:
    """Everything the studio's controls say about generating and explaining."""

    sampling: SamplingSettings = field(default_factory=SamplingSettings)
    """How Generate composes (temperature, top-k, top-p, locks, style, ending, length...)."""
    n: int = 4
    """Candidates to generate."""
    seed: int = 0
    shade_surprise: bool = False
    """Colour each note by its surprise in bits."""
    shade_evidence: bool = False
    """Colour each note by its style evidence in bits (a model with styles; surprise wins when both are on)."""

    @property
    def shading(self) -> str:
        """What the roll's notes are coloured by: ``"surprise"``, ``"evidence"`` or ``"none"``."""
        return "surprise" if self.shade_surprise else "evidence" if self.shade_evidence else "none"

    def for_model(self, model: object) -> SamplingSettings:
        """The sampling settings for ``model``: a style, style mix or ending it cannot do is left out
        (a Markov chain has no styles, and only a model that learned endings can end a melody)."""
        s, known = self.sampling, set(getattr(model, "styles", ()))
        names = {s.style} if isinstance(s.style, str) else set(s.style or ())
        style = s.style if names and names <= known else None
        ending = "cut" if s.ending == "model" and not getattr(model, "can_end", False) else s.ending
        return s.replace(style=style, ending=ending)

    def changes_explanation(self, other: Settings) -> bool:
        """Whether the "why" views differ between these settings and ``other``."""
        if not isinstance(other, Settings):
            raise ArgumentTypeError(f"other must be Settings, not {type(other).__name__}")
        a, b = self.sampling, other.sampling
        return (a.pitch_settings, a.style, self.shading) != (b.pitch_settings, b.style, other.shading)
