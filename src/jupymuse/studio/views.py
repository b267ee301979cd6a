"""The "why" views as SVG/HTML strings, from the controller's data (drawing itself is in ``svg.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from ..errors import NotationError
from ..models.protocol import HasTransitionTable
from ..music.events import REST, Event
from ..music.key import Key
from ..music.notation import parse_pitch, pitch_name
from ..widget.shading import SURPRISE_SCALE_BITS, surprise_rgb
from . import svg
from .events import NextPitch

STRIP_BARS = 12
"""Pitches the probability strip shows (the likeliest)."""
MAX_HEATMAP_ROWS = 30
"""Rows of the transition matrix drawn at most (the picture lives in saved widget state)."""


TEXT = svg.INK
"""Text colour: JupyterLab's theme variable, a light theme's colour elsewhere."""
ERROR = "var(--jp-error-color1, #b71c1c)"


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
        "surprise in bits, &minus;log<sub>2</sub> P(pitch and length), the model's own (temperature does not "
        "change it): green expected, red surprising (1 bit more = half as likely); &ldquo;Why this note?&rdquo; "
        "splits a selected note's into pitch and length; generated notes keep an orange outline"
    )
    return f'<div class="jm-legend" style="color:{TEXT};font-size:12px">{bar} {words}</div>'


def status(text: str, error: bool = False) -> str:
    """The status line's HTML (theme colours; an error in the theme's error colour, bold)."""
    style = f"color:{ERROR};font-weight:bold" if error else f"color:{TEXT}"
    return f'<span class="jm-status-text" style="{style}">{text}</span>'


def studio_css() -> str:
    """The Studio's own ``<style>``, scoped to ``.jupymuse-studio``: disabled buttons look disabled,
    the candidate counter ("1 / 4") stays on one line, a heatmap wider than the studio scrolls in its box.

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
        # the heatmap keeps its size: wider than the studio, its box scrolls instead of pushing the page wide
        " .jupymuse-studio .widget-html:has(.jm-heatmap-box),"
        " .jupymuse-studio .widget-html-content:has(> .jm-heatmap-box) { min-width: 0; }"
        "</style>"
    )


def bits_text(bits: float) -> str:
    """``bits`` as the roll prints it on a shaded note: its float32 value to one decimal, halves rounded up
    (JavaScript's ``toFixed(1)``), so the why-view and the roll never differ in the last digit."""
    exact = Decimal(float(np.float32(bits)))
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def strip(next_pitch: NextPitch, key: Key | str | None = None) -> str:
    """The probability strip: the likeliest next pitches by the model's own probability, named in the
    melody's ``key`` (given or guessed: ``Bb4`` in F major), the melody's own in the accent colour; over
    them, the explained note's surprise as the roll shades it, split into pitch and length, and what the
    bars (and, when the sampling settings change it, the ticks: Generate's chance) mean."""
    lines = []
    s, actual = next_pitch.surprise, next_pitch.actual
    if s is not None and actual is not None:
        p = float(next_pitch.probs[actual])
        shown = actual in np.argsort(-next_pitch.probs, kind="stable")[:STRIP_BARS]
        where = "orange bar" if shown else "not among the bars"
        lines += [  # a selected note is a note, never a rest
            f"Surprise of note {s.index + 1} ({pitch_name(actual, key)}): {bits_text(s.bits)} bits,"
            " as shaded on the roll",
            f"= {bits_text(s.pitch_bits)} bits for its pitch ({100 * p:.1f}%, {where})"
            f" + {bits_text(s.length_bits)} for its length",
        ]
    if next_pitch.sampled is None:
        lines.append("bars: the model's own chance (temperature does not change it)")
    else:
        lines += [
            "bars: the model's own chance; ticks and (brackets): Generate's",
            "chance with your temperature, top-k and top-p",
        ]
    return svg.probability_strip(
        next_pitch.probs,
        top=STRIP_BARS,
        title=next_pitch.title,
        highlight=actual,
        key=key,
        sampled=next_pitch.sampled,
        lines=lines,
    )


def respell(label: str, key: Key | str | None) -> str:
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


def _element_order(element: str) -> tuple[int, int, int]:
    """Where one element of a context goes: ``start`` first, then pitches by MIDI number (then duration),
    rests last, anything else after them."""
    name, _, dur = element.partition(":")
    steps = int(dur) if dur.isdigit() else 0
    if name == "start":
        return (0, 0, steps)
    if name == "r":
        return (2, 0, steps)
    try:
        return (1, parse_pitch(name), steps)
    except NotationError:
        return (3, 0, steps)


def row_order(label: str) -> tuple[tuple[int, int, int], ...]:
    """Where a heatmap row goes: by its context's last element (``start`` first, then pitches by MIDI number,
    low to high, then duration; rests last), then by the whole context from its first element, in the same
    order: ``A4 C4`` before ``A#4 C4`` (never by spelling: ``A#4`` is not before ``A4``)."""
    elements = label.split(" ")
    return (_element_order(elements[-1]), *(_element_order(e) for e in elements))


def heatmap(model: HasTransitionTable, history: Sequence[Event], key: Key | str | None = None) -> str:
    """The transition matrix with the current context's row outlined, its pitches named in ``key``, in a box
    that scrolls sideways in a narrow page (the picture keeps its size, so its labels stay readable).

    At most ``MAX_HEATMAP_ROWS`` rows are drawn: the current context and the most frequent others
    (for order 2 and 3, those ending with the current note, so the student sees how longer memory
    changes a row), in :func:`row_order`. Columns are the next pitches in MIDI order, rest last, those
    some drawn row gives a chance of at least ``svg.HEAT_FLOOR``.
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
    probs = tm.probs[rows]
    cols = sorted(
        (j for j in range(len(tm.cols)) if probs[:, j].max() >= svg.HEAT_FLOOR),
        key=lambda j: _element_order(tm.cols[j]),
    )
    names, shown = [tm.rows[i] for i in rows], [tm.cols[j] for j in cols]
    highlight = names.index(current) if current in names else None
    picture = svg.heatmap(
        [respell(name, key) for name in names],
        [respell(col, key) for col in shown],
        probs[:, cols],
        highlight_row=highlight,
        row_title="previous note" if model.order == 1 else f"previous {model.order} notes",
        notes=_label_notes([*names, *shown], getattr(model, "steps_per_quarter", None)),
    )
    box = "display: block; width: fit-content; max-width: 100%; overflow-x: auto"  # on its own line if need be
    return f'<div class="jm-heatmap-box" style="{box}">{picture}</div>'


def _label_notes(labels: Sequence[str], steps_per_quarter: object) -> list[str]:
    """The legend's lines on what the labels' parts mean, for the parts they use (the grid's steps per
    quarter note from the model, when it says)."""
    elements = {e for label in labels for e in label.split(" ")}
    said = []
    if any(":" in e for e in elements):
        quarter = f" ({steps_per_quarter} = a quarter note)" if isinstance(steps_per_quarter, int) else ""
        said.append(f"A4:2 = A4 held 2 grid steps{quarter}")
    if any(e == "r" or e.startswith("r:") for e in elements):
        said.append("r = a rest")
    if "start" in elements:
        said.append("start = before the melody's first note")
    return said
