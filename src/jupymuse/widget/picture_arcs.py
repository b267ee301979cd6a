"""The arcs of "what the model listened to" in the saved picture of a roll (SVG and PNG), and their words.

The live roll draws them in ``js/src/roll/arcs.ts``; the picture draws the same: from each earlier
note shown in ``listened`` to the explained note, a curve over the notes, solid in teal for the bits
the note gave the explained note's pitch, dashed in brown for its rhythm, ``1 + 3 * bits`` pixels
thick (at most 10); a part below ``LEAST_BITS`` (or negative) is not drawn. Colours are the live
roll's light-theme ones: the picture is on its own white paper. A text line says the same in words,
so a reader of the saved notebook (or of its text) gets it without the picture.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..music import pitch_name
from .listened import Listened
from .listened_top import LEAST_BITS
from .picture_png import Rgb

PITCH: Rgb = (0, 105, 92)
"""Teal: the arcs of bits toward the explained note's pitch (``ARCS.pitch`` in js/src/roll/palette.ts)."""
RHYTHM: Rgb = (141, 90, 0)
"""Brown: the dashed arcs of bits toward its rhythm (``ARCS.rhythm``)."""
DASH = (6, 4)
"""The rhythm arcs' dash and gap, in pixels."""


class Arc(NamedTuple):
    """A quadratic curve from (x0, y0) to (x1, y1) through the control point (cx, cy)."""

    x0: float
    y0: float
    cx: float
    cy: float
    x1: float
    y1: float
    width: float
    colour: Rgb
    dashed: bool


def arc_width(bits: float) -> float:
    """The thickness of an arc for ``bits``: 1 px and 3 px per bit, at most 10 px (0: not drawn)."""
    return 0.0 if not bits >= LEAST_BITS else min(10.0, 1.0 + 3.0 * bits)


def arcs(listened: Listened, tops: dict[int, tuple[float, float]], top_y: float) -> list[Arc]:
    """The arcs of ``listened`` between note tops (``tops[i]``: the middle of note ``i``'s top edge, for
    the notes the picture draws); curves rise above both ends by a third of their span, never above ``top_y``."""
    if listened.note not in tops:
        return []
    x1, y1 = tops[listened.note]
    out = []
    for s in listened.sources:
        if s.index not in tops:
            continue
        x0, y0 = tops[s.index]
        lift = max(12.0, abs(x1 - x0) / 3)
        cy = max(top_y, min(y0, y1) - lift)
        pitch, rhythm = arc_width(s.pitch), arc_width(s.rhythm)
        if pitch:
            out.append(Arc(x0, y0, (x0 + x1) / 2, cy, x1, y1, pitch, PITCH, False))
        if rhythm:  # under the pitch arc: its peak (half way to the control point) a few pixels lower
            below = pitch + rhythm + 6 if pitch else 0
            out.append(Arc(x0, y0, (x0 + x1) / 2, cy + below, x1, y1, rhythm, RHYTHM, True))
    return out


def arc_svg(arc: Arc) -> str:
    """One arc as an SVG path."""
    dash = f' stroke-dasharray="{DASH[0]} {DASH[1]}"' if arc.dashed else ""
    hexed = "#{:02x}{:02x}{:02x}".format(*arc.colour)
    return (
        f'<path class="jm-arc{" jm-rhythm" if arc.dashed else " jm-pitch"}" d="M{arc.x0:.1f} {arc.y0:.1f} '
        f'Q{arc.cx:.1f} {arc.cy:.1f} {arc.x1:.1f} {arc.y1:.1f}" fill="none" stroke="{hexed}" '
        f'stroke-width="{arc.width:.1f}" stroke-linecap="round" stroke-opacity="0.85"{dash}/>'
    )


def paint_arc(canvas: np.ndarray, arc: Arc) -> None:
    """Stamp ``arc`` onto an RGB canvas: a square of its width every half pixel along the curve (dashes left out)."""
    length = np.hypot(arc.cx - arc.x0, arc.cy - arc.y0) + np.hypot(arc.x1 - arc.cx, arc.y1 - arc.cy)
    t = np.linspace(0.0, 1.0, max(2, int(length * 2)))
    xs = (1 - t) ** 2 * arc.x0 + 2 * (1 - t) * t * arc.cx + t**2 * arc.x1
    ys = (1 - t) ** 2 * arc.y0 + 2 * (1 - t) * t * arc.cy + t**2 * arc.y1
    if arc.dashed:
        along = t * length
        keep = along % sum(DASH) < DASH[0]
        xs, ys = xs[keep], ys[keep]
    half = arc.width / 2
    h, w = canvas.shape[:2]
    for x, y in zip(xs, ys, strict=True):
        x0, y0 = max(0, round(x - half)), max(0, round(y - half))
        x1, y1 = min(w, max(x0 + 1, round(x + half))), min(h, max(y0 + 1, round(y + half)))
        canvas[y0:y1, x0:x1] = arc.colour


def listened_line(listened: Listened, pitches: dict[int, int], key: str | None) -> str:
    """The arcs in words: "Arcs: note 12 (G4) listened most to note 4 (D4) +1.30 bits (pitch +1.10, rhythm
    +0.20), ..." (notes counted from 1; ``pitches`` holds the roll's pitches by note index)."""

    def name(i: int) -> str:
        return f"note {i + 1} ({pitch_name(pitches[i], key)})" if i in pitches else f"note {i + 1}"

    if not listened.sources:
        return f"Arcs: no earlier note gave {name(listened.note)} {LEAST_BITS:g} bits or more."
    parts = [
        f"{name(s.index)} {s.bits:+.2f} bits (pitch {s.pitch:+.2f}, rhythm {s.rhythm:+.2f})" for s in listened.sources
    ]
    return f"Arcs: {name(listened.note)} listened most to " + ", ".join(parts) + " (solid: pitch, dashed: rhythm)"
