"""The studio's settings as plain data, and the key guess behind "Stay in key".

``Settings`` is what the controller reads (the ipywidgets layout turns its sliders into one);
``Settings.sampling`` turns it into the keyword arguments every model's ``generate`` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..music import Melody
from ..music.keys import guess_key
from ..music.note import MAX_PITCH, MIN_PITCH

__all__ = ["DEFAULT_TEMPERATURE", "DEFAULT_TOP_P", "RANGE_MARGIN", "Settings", "guess_key"]

DEFAULT_TEMPERATURE = 0.95
DEFAULT_TOP_P = 0.98
"""The Studio's sampling defaults: the settings whose continuations came closest to real ones of every
style on the validation melodies (``benchmarks/generation_quality.py --melodies validation``)."""
RANGE_MARGIN = 2
"""Semitones "Stay in range" allows beyond the primer's lowest and highest notes."""


@dataclass(frozen=True)
class Settings:
    """Everything the studio's controls say about generating and explaining.

    ``top_k`` None keeps every pitch, ``top_p`` None keeps the whole distribution.
    """

    temperature: float = DEFAULT_TEMPERATURE
    top_k: int | None = None
    top_p: float | None = DEFAULT_TOP_P
    length: int = 32
    """Events to generate (notes or rests)."""
    n: int = 4
    """Candidates to generate."""
    seed: int = 0
    key_lock: bool = False
    """Keep the continuation in the primer's key (its own, else the guessed one)."""
    range_lock: bool = False
    """Keep the continuation within the primer's range (give or take ``RANGE_MARGIN``)."""
    shade_surprise: bool = False
    """Colour each note by its surprise in bits."""
    style: str | None = None
    """The style to compose in (None: any), when the model knows it."""
    ending: str = "cut"
    """``generate``'s ending: ``"cut"``, ``"model"`` (when the model can end melodies) or ``"cadence"``."""

    def sampling(self, primer: Melody, model: object = None) -> dict[str, Any]:
        """The ``generate`` keyword arguments for continuing ``primer`` with these settings.

        A style or ending the ``model`` cannot do is left out (a Markov chain has no styles).
        """
        pitches = primer.pitches
        span = None
        if self.range_lock and pitches:
            span = (max(MIN_PITCH, min(pitches) - RANGE_MARGIN), min(MAX_PITCH, max(pitches) + RANGE_MARGIN))
        return {
            "temperature": self.temperature,
            "top_k": self.top_k,
            "top_p": self.top_p,
            "n": self.n,
            "seed": self.seed,
            "scale": guess_key(primer) if self.key_lock else None,
            "pitch_range": span,
            "style": self.style if self.style in getattr(model, "styles", ()) else None,
            "ending": "cut" if self.ending == "model" and not getattr(model, "can_end", False) else self.ending,
        }

    def changes_explanation(self, other: Settings) -> bool:
        """Whether the "why" views differ between these settings and ``other``."""
        return (self.temperature, self.top_k, self.top_p, self.shade_surprise, self.style) != (
            other.temperature,
            other.top_k,
            other.top_p,
            other.shade_surprise,
            other.style,
        )
