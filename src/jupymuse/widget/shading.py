"""The colour scales of the roll's shading (``shading_scale``), the Python twins of ``js/src/roll/draw.ts``.

Surprise (``surpriseColour``): green (expected) through orange to red, full at ``SURPRISE_SCALE_BITS``.
Style evidence (``evidenceColour``): grey near 0, purple for notes the style makes more expected,
orange for notes it makes less expected, full at ±``EVIDENCE_SCALE_BITS``. The saved picture colours
its notes with these and the Studio's legends draw them, so both show the live roll's colours;
``tests/contract/boundary.json`` holds cases the JavaScript and these are checked against.
"""

from __future__ import annotations

import math

Rgb = tuple[int, int, int]

SURPRISE_SCALE_BITS = 8
"""Surprise at which the shading reaches full red."""
EVIDENCE_SCALE_BITS = 2.0
"""Style evidence at which the shading reaches its full colour, either way."""
FOR: Rgb = (150, 60, 200)
"""Purple: notes the style makes more expected (positive evidence)."""
AGAINST: Rgb = (230, 140, 30)
"""Orange: notes the style makes less expected (negative evidence)."""
NEUTRAL: Rgb = (150, 150, 150)
"""Grey: notes the style changes little."""


def _round(x: float) -> int:
    return math.floor(x + 0.5)  # as JavaScript's Math.round


def surprise_rgb(bits: float) -> Rgb:
    """The roll's colour for a surprise of ``bits``: green (expected) through orange to red."""
    t = min(1.0, max(0.0, bits / SURPRISE_SCALE_BITS))
    r = _round(60 + 390 * t) if t < 0.5 else 255
    g = 170 if t < 0.5 else _round(170 - 300 * (t - 0.5))
    return r, max(30, g), 60


def evidence_rgb(bits: float) -> Rgb:
    """The roll's colour for style evidence of ``bits``: grey at 0, purple for the style, orange against it."""
    t = min(1.0, max(-1.0, bits / EVIDENCE_SCALE_BITS))
    end, a = (FOR if t >= 0 else AGAINST), abs(t)
    r, g, b = (_round(n + (e - n) * a) for n, e in zip(NEUTRAL, end, strict=True))
    return r, g, b


def shading_rgb(bits: float, scale: str) -> Rgb:
    """The colour of a note shaded ``bits`` on ``scale`` ("surprise" or "evidence")."""
    return evidence_rgb(bits) if scale == "evidence" else surprise_rgb(bits)
