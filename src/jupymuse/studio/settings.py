"""The studio's settings as plain data, and the key guess behind "Stay in key".

``Settings`` is what the controller reads (the ipywidgets layout turns its sliders into one);
``Settings.sampling`` turns it into the keyword arguments every model's ``generate`` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..music import Melody
from ..music.melody import key_name, scale_of
from ..music.note import MAX_PITCH, MIN_PITCH

RANGE_MARGIN = 2
"""Semitones "Stay in range" allows beyond the primer's lowest and highest notes."""


def guess_key(melody: Melody) -> str | None:
    """The melody's key, or the major/harmonic-minor key that holds most of its notes.

    Ties (a short melody fits several keys) go to the key whose tonic opens, then closes, the
    melody, and then to major.
    """
    if melody.key:
        return melody.key
    pcs = [p % 12 for p in melody.pitches]
    if not pcs:
        return None

    def score(key: tuple[int, str]) -> float:
        tonic, mode = key
        scale = scale_of(mode)
        fits = sum((pc - tonic) % 12 in scale for pc in pcs)
        return fits + 0.6 * (pcs[0] == tonic) + 0.3 * (pcs[-1] == tonic) + 0.05 * (mode == "major")

    return key_name(*max(((t, m) for t in range(12) for m in ("major", "minor")), key=score))


@dataclass(frozen=True)
class Settings:
    """Everything the studio's controls say about generating and explaining.

    ``top_k`` None keeps every pitch, ``top_p`` None keeps the whole distribution.
    """

    temperature: float = 1.0
    top_k: int | None = None
    top_p: float | None = None
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

    def sampling(self, primer: Melody) -> dict[str, Any]:
        """The ``generate`` keyword arguments for continuing ``primer`` with these settings."""
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
        }

    def changes_explanation(self, other: Settings) -> bool:
        """Whether the "why" views differ between these settings and ``other``."""
        return (self.temperature, self.top_k, self.top_p, self.shade_surprise) != (
            other.temperature,
            other.top_k,
            other.top_p,
            other.shade_surprise,
        )
