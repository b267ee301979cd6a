"""The Studio's words and legend for "what the model listened to" and the style-evidence shading.

The words name the contributions the roll draws (the strongest few, :mod:`jupymuse.widget.listened_top`)
with their distance back and their pitch and rhythm parts, for the "Why this note?" tab (read out by
screen readers as it changes) and for ``Studio.heard``.

Colours of text come from JupyterLab's theme variables (they read in Light and Dark); the evidence
scale is the roll's own (:mod:`jupymuse.widget.shading`, the twin of ``evidenceColour`` in
``js/src/roll/draw.ts``).
"""

from __future__ import annotations

import html

from ..music.keys import guess_key
from ..music.notation import pitch_name
from ..widget.listened import Listened
from ..widget.listened_top import LEAST_BITS, TOP_SOURCES, strongest
from ..widget.shading import EVIDENCE_SCALE_BITS, evidence_rgb
from .events import Heard, StyleShading
from .explain import WINDOW
from .svg import INK


def shown(heard: Heard) -> Listened | None:
    """The contributions the roll draws for ``heard`` (indexes into the whole melody); None for none."""
    found = heard.attribution
    return None if found is None else strongest(found, offset=heard.offset)


def heard_text(heard: Heard) -> str:
    """The contributions drawn, as sentences: "Note 12 (G4), 3.10 bits of surprise under default, listened
    most to: note 4 (D4), 8 notes / 2.00 bars back: +1.30 bits (pitch +1.10, rhythm +0.20); ..." (notes
    counted from 1, as everywhere); "" for no note."""
    found, drawn = heard.attribution, shown(heard)
    if found is None or drawn is None:
        return ""
    window, offset = found.melody, heard.offset
    key = window.key or guess_key(window)

    def name(i: int) -> str:
        return f"note {i + 1} ({pitch_name(window.notes[i - offset].pitch, key)})"

    head = f"N{name(drawn.note)[1:]}, {found.surprise:.2f} bits of surprise under {found.model},"
    if not found.index:
        return f"{head} is the first note{' the model reads' if offset else ''}: nothing comes before it."
    if not drawn.sources:
        return f"{head} got less than {LEAST_BITS:g} bits from every earlier note: no arcs to draw."
    parts = []
    for s in drawn.sources:
        back, bars = found.distance(s.index - offset)
        parts.append(
            f"{name(s.index)}, {back} note{'s' if back != 1 else ''} / {bars:.2f} bars back: {s.bits:+.2f} bits "
            f"(pitch {s.pitch:+.2f}, rhythm {s.rhythm:+.2f})"
        )
    reach = f" (of the {WINDOW} notes before it, which it reads)" if offset else ""
    together = [f"{name(j + offset)} ({b:+.2f})" for j, b in found.together if b > 0]
    relies = (
        f" Together it relies most on {', then '.join(together)}: each the costliest to remove once the ones "
        "before it are gone."
        if together
        else ""
    )
    return (
        f"{head} listened most to{reach}: " + "; ".join(parts) + f".{relies} Bits: how much less expected the note "
        f"is without that one; the top {TOP_SOURCES} of at least {LEAST_BITS:g} bits are drawn as arcs "
        "(solid: pitch, dashed: rhythm, thicker for more bits)."
    )


def evidence_legend(shading: StyleShading) -> str:
    """What the evidence shading means: the scale in bits, which style, and every style's total as text."""
    stops = "".join(
        f'<stop offset="{(b + EVIDENCE_SCALE_BITS) / (2 * EVIDENCE_SCALE_BITS):g}" stop-color="rgb{evidence_rgb(b)}"/>'
        for b in (-EVIDENCE_SCALE_BITS, 0.0, EVIDENCE_SCALE_BITS)
    )
    labels = "".join(
        f'<text x="{8 + 160 * (b + 2) / 4:.0f}" y="30" text-anchor="middle">{label}</text>'
        for b, label in ((-2, "&minus;2"), (-1, "&minus;1"), (0, "0"), (1, "+1"), (2, "+2"))
    )
    bar = (
        f'<svg class="jm-evidence-legend" width="190" height="34" viewBox="0 0 190 34" role="img" '
        f'aria-label="colour scale of style evidence, -2 to +2 bits" '
        f'style="fill:{INK};font:10px sans-serif;vertical-align:middle">'
        f'<defs><linearGradient id="jm-evidence-scale">{stops}</linearGradient></defs>'
        f'<rect x="8" y="4" width="160" height="12" fill="url(#jm-evidence-scale)"/>{labels}</svg>'
    )
    style = html.escape(shading.style)
    which = "your style" if shading.chosen else "the style it sounds most like (no style is chosen)"
    words = (
        f"style evidence for <b>{style}</b>, {which}: bits the style adds to each note, log<sub>2</sub> "
        f"P(note | {style}) &minus; log<sub>2</sub> P(note | no style); purple sounds like {style}, orange "
        "less so, grey hardly changes"
    )
    totals = ", ".join(f"{html.escape(name)} ({total:+.1f} bits)" for name, total in shading.totals)
    return (
        f'<div class="jm-legend jm-evidence" style="color:{INK};font-size:12px;line-height:1.45">{bar} {words}'
        f'<div class="jm-evidence-totals">Sounds most like: {totals}</div></div>'
    )


def heard_html(text: str) -> str:
    """The words for "what the model listened to" (read out by screen readers as they change)."""
    return (
        f'<div class="jm-heard" role="status" aria-live="polite" style="color:{INK};font-size:12px;'
        f'line-height:1.45;max-width:100%;white-space:normal;margin:4px 0">{html.escape(text)}</div>'
    )
