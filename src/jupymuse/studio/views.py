"""The "why" views as SVG/HTML strings, from the controller's data (drawing itself is in ``svg.py``)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..errors import NotationError
from ..models.protocol import HasTransitionTable
from ..music.events import REST, Event
from ..music.notation import parse_pitch, pitch_name
from . import svg
from .events import NextPitch

MAX_HEATMAP_ROWS = 30
"""Rows of the transition matrix drawn at most (the picture lives in saved widget state)."""


TEXT = svg.INK
"""Text colour: JupyterLab's theme variable, a light theme's colour elsewhere."""
ERROR = "var(--jp-error-color1, #b71c1c)"


SURPRISE_SCALE_BITS = 8
"""Surprise at which the roll's shading reaches full red (``surpriseColour`` in js/src/roll/draw.ts)."""


def surprise_rgb(bits: float) -> tuple[int, int, int]:
    """The roll's colour for a surprise of ``bits``: green (expected) through orange to red.

    The twin of ``surpriseColour`` in ``js/src/roll/draw.ts`` (the legend must show the roll's
    colours); ``tests/contract/boundary.json`` holds cases both sides are checked against.
    """
    t = min(1.0, max(0.0, bits / SURPRISE_SCALE_BITS))
    r = math.floor(60 + 390 * t + 0.5) if t < 0.5 else 255  # rounds like JavaScript's Math.round
    g = 170 if t < 0.5 else math.floor(170 - 300 * (t - 0.5) + 0.5)
    return r, max(30, g), 60


def surprise_legend() -> str:
    """What the shading means: the colour scale in bits, and how generated notes stay visible."""
    stops = "".join(
        f'<stop offset="{b / SURPRISE_SCALE_BITS:g}" stop-color="rgb{surprise_rgb(b)}"/>' for b in (0, 4, 8)
    )
    labels = "".join(
        f'<text x="{8 + 160 * b / SURPRISE_SCALE_BITS:.0f}" y="30" text-anchor="middle">{b}</text>'
        for b in (0, 2, 4, 6)
    )
    bar = (
        f'<svg class="jm-surprise-legend" width="190" height="34" viewBox="0 0 190 34" role="img" '
        f'style="fill:{TEXT};font:10px sans-serif;vertical-align:middle">'
        f'<defs><linearGradient id="jm-surprise-scale">{stops}</linearGradient></defs>'
        f'<rect x="8" y="4" width="160" height="12" fill="url(#jm-surprise-scale)"/>{labels}'
        '<text x="168" y="30" text-anchor="middle">8+</text></svg>'
    )
    words = (
        "surprise in bits, &minus;log<sub>2</sub> P(note): green expected, red surprising "
        "(1 bit more = half as likely); generated notes keep an orange outline"
    )
    return f'<div class="jm-legend" style="color:{TEXT};font-size:12px">{bar} {words}</div>'


def status(text: str, error: bool = False) -> str:
    """The status line's HTML (theme colours; an error in the theme's error colour, bold)."""
    style = f"color:{ERROR};font-weight:bold" if error else f"color:{TEXT}"
    return f'<span class="jm-status-text" style="{style}">{text}</span>'


def studio_css() -> str:
    """The Studio's own ``<style>``, scoped to ``.jupymuse-studio``: disabled buttons look disabled,
    the candidate counter ("1 / 4") stays on one line.

    ipywidgets' coloured buttons (success, warning, ...) keep their colours when disabled; this
    fades every disabled button and control and shows the not-allowed cursor, in any theme.
    """
    disabled = ", ".join(
        f".jupymuse-studio {sel}"
        for sel in (
            ".jupyter-button:disabled",
            ".jupyter-button.mod-disabled",
            ".widget-button:disabled",
            "button:disabled",
            "select:disabled",
            "input:disabled",
        )
    )
    return (
        "<style>"
        f"{disabled} {{ opacity: 0.45 !important; cursor: not-allowed !important; box-shadow: none !important; }}"
        f" .jupymuse-studio .jm-status-text, .jupymuse-studio .jm-bits {{ color: {TEXT}; }}"
        " .jupymuse-studio .jm-candidate-label { white-space: nowrap; text-align: center; }"
        " .jupymuse-studio .jm-candidate-label .widget-html-content { white-space: nowrap; }"
        "</style>"
    )


def strip(next_pitch: NextPitch, key: str | None = None) -> str:
    """The probability strip: the likeliest next pitches, named in the melody's ``key`` (given or guessed:
    ``Bb4`` in F major), the melody's own in the accent colour."""
    return svg.probability_strip(next_pitch.probs, title=next_pitch.title, highlight=next_pitch.actual, key=key)


def respell(label: str, key: str | None) -> str:
    """A table label (``"A#4:2 r:4 start"``, as the model names its rows and columns) with its pitches named
    in ``key``: ``"Bb4:2 r:4 start"`` in F major. Anything that is not a pitch stays as it is."""

    def one(token: str) -> str:
        name, colon, rest = token.partition(":")
        if name.lstrip("-").isdigit():  # a number is not a name (parse_pitch would read it as MIDI)
            return token
        try:
            return f"{pitch_name(parse_pitch(name), key)}{colon}{rest}"
        except NotationError:
            return token

    return " ".join(one(token) for token in label.split(" "))


def context_label(model: HasTransitionTable, history: Sequence[Event]) -> str:
    """The transition table's row for the context after ``history`` (``start`` fills a short one), named
    as the model names its rows (sharps), so it can be found among them; :func:`respell` names it for people."""

    def label(p: int, d: int) -> str:
        name = "r" if p == REST else pitch_name(p)
        return f"{name}:{d}" if model.context == "note" else name

    recent = [label(p, d) for p, d in history[-model.order :]]
    return " ".join(["start"] * (model.order - len(recent)) + recent)


def row_order(label: str) -> tuple[int, int, int, str]:
    """Where a heatmap row goes: by its context's last element, ``start`` first, then pitches low to
    high (then duration), rests last; the whole label breaks ties (longer contexts)."""
    last = label.split(" ")[-1]
    name, _, dur = last.partition(":")
    steps = int(dur) if dur.isdigit() else 0
    if name == "start":
        return (0, 0, steps, label)
    if name == "r":
        return (2, 0, steps, label)
    try:
        return (1, parse_pitch(name), steps, label)
    except NotationError:
        return (3, 0, steps, label)


def heatmap(model: HasTransitionTable, history: Sequence[Event], key: str | None = None) -> str:
    """The transition matrix with the current context's row outlined, its pitches named in ``key``.

    At most ``MAX_HEATMAP_ROWS`` rows are drawn: the current context and the most frequent others
    (for order 2 and 3, those ending with the current note, so the student sees how longer memory
    changes a row). Rows go by the pitch of their context's last note, low to high from the top
    (as the columns go left to right), then by duration; rests last.
    """
    tm = model.transition_matrix("pitch")
    if not tm.rows:
        return svg.note(f"No {model.order}-note context was seen in training (its melodies are shorter): no table.")
    current = context_label(model, history)
    candidates = list(range(len(tm.rows)))
    if model.order > 1:
        last = current.split(" ")[-1]
        candidates = [i for i, r in enumerate(tm.rows) if r.split(" ")[-1] == last]
    busiest = sorted(candidates, key=lambda i: -float(tm.counts[i].sum()))
    exact = [i for i in candidates if tm.rows[i] == current]
    rows = sorted(set(exact + busiest[: MAX_HEATMAP_ROWS - len(exact)]), key=lambda i: row_order(tm.rows[i]))
    names = [tm.rows[i] for i in rows]
    highlight = names.index(current) if current in names else None
    shown = [respell(name, key) for name in names]
    return svg.heatmap(shown, [respell(col, key) for col in tm.cols], tm.probs[rows], highlight_row=highlight)
