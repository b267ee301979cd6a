"""Small SVG pictures for the studio's "why" views, drawn in Python so they live in saved notebooks.

Each function returns an ``<svg>`` string: the next-note probability strip, the Markov transition
heatmap, the training curve, and an HTML table of bits per note.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np

from ..music.events import REST
from ..music.key import Key
from ..music.notation import pitch_name

INK = "var(--jp-ui-font-color1, #1f1f1f)"
"""Text and axes: JupyterLab's theme text colour, a light theme's elsewhere. CSS variables work in a
``style`` attribute, not in presentation attributes such as ``fill=``, so every picture sets it as
the root's inherited ``fill`` (bars and lines keep their own colours, which read on both themes)."""
BAR = "#285ac8"
ACCENT = "#d6781e"


def _svg(cls: str, width: float, height: float, body: str, data: str = "") -> str:
    """An ``<svg>`` whose text inherits the theme's text colour, scaled down in a narrower page (but the
    heatmap, whose labels must keep their size: its box scrolls instead, see ``views.heatmap``)."""
    fit = "" if cls == "jm-heatmap" else "; max-width: 100%; height: auto"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"{data} style="fill: {INK}; color: {INK}{fit}">'
        f"{body}</svg>"
    )


def _label(p: int, key: Key | str | None) -> str:
    return "rest" if p == REST else pitch_name(p, key)


def text_width(text: str, size: float) -> float:
    """An upper bound on the width of ``text`` at font ``size`` px, bold or not (from DejaVu Sans, the widest
    common sans-serif; Chromium's default on Linux): room laid out by it is never too small."""
    return size * sum(_WIDTHS.get(ch, 0.72 if ch.islower() else 0.84) for ch in text)


_WIDTHS = {
    **dict.fromkeys(" :.,;'|!", 0.4),
    **dict.fromkeys("ilfjtr()[]-", 0.5),
    **dict.fromkeys("0123456789", 0.7),
    **dict.fromkeys("mwMW%", 1.05),
}


def probability_strip(
    probs: np.ndarray,
    *,
    top: int = 12,
    title: str = "",
    highlight: int | None = None,
    key: Key | str | None = None,
    sampled: np.ndarray | None = None,
    lines: Sequence[str] = (),
) -> str:
    """Bars of the ``top`` likeliest next pitches (probs over 129 symbols: MIDI pitches and the rest), named
    as ``key`` spells them (``Bb4`` in F major; sharps when None).

    ``sampled`` (the chance Generate gives each pitch with its settings, when they change it) shows as a tick
    on each bar and a second figure in brackets; ``lines`` are told under the title (what the bars mean,
    the explained note's surprise).
    """
    p = np.asarray(probs, dtype=float)
    order = [int(i) for i in np.argsort(-p, kind="stable")[:top] if p[i] > 0]
    q = None if sampled is None else np.asarray(sampled, dtype=float)
    scale = max(float(p[order[0]]) if order else 0.0, float(q[order].max()) if q is not None and order else 0.0)
    head = 20 + 16 * len(lines)
    bar, gap = 18, 4
    width = round(max([460.0] + [8 + text_width(line, 11) for line in lines]))
    height = head + 2 + len(order) * (bar + gap)
    rows = []
    for k, i in enumerate(order):
        y = head + k * (bar + gap)
        w = max(1.0, 300 * p[i] / max(scale, 1e-12))
        colour = ACCENT if i == highlight else BAR
        figure, tick, end = f"{100 * p[i]:.1f}%", "", 48 + w
        if q is not None:
            x = 48 + 300 * q[i] / max(scale, 1e-12)
            figure += f" ({100 * q[i]:.1f}%)"
            if q[i] > 0:  # a pitch Generate cannot draw (top-k, top-p) has no tick: "(0.0%)" says so
                tick = f'<rect class="jm-sampled" x="{x - 1:.1f}" y="{y - 2}" width="2" height="{bar + 4}"/>'
            end = max(end, x + 1)
        rows.append(
            f'<text x="4" y="{y + 13}" font-size="11">{html.escape(_label(i, key))}</text>'
            f'<rect x="48" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}" '
            f'data-pitch="{i}" data-p="{p[i]:.6f}"/>{tick}'
            f'<text x="{end + 4:.1f}" y="{y + 13}" font-size="11">{figure}</text>'
        )
    title_text = f'<text x="4" y="13" font-size="12" font-weight="bold">{html.escape(title)}</text>'
    told = "".join(
        f'<text class="jm-strip-line" x="4" y="{29 + 16 * k}" font-size="11">{html.escape(line)}</text>'
        for k, line in enumerate(lines)
    )
    return _svg("jm-strip", width, height, title_text + told + "".join(rows))


def note(text: str, cls: str = "jm-note-text", width: int = 420) -> str:
    """A one-line picture that says why there is nothing to draw."""
    return _svg(cls, width, 28, f'<text x="8" y="18" font-size="12">{html.escape(text)}</text>')


HEAT_FLOOR = 0.002
"""Probabilities below this are left blank (the page shows through): the picture, and saved state, stay small."""
HEAT_LEAST = 0.55
"""Opacity of the faintest drawn cell. Cells are the theme's text colour, so at this opacity or more each
reads at 3:1 or more against the page in Light (black ink on white) and Dark (white ink on #111)."""
HEAT_LEGEND = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0)
"""The probabilities the colour legend shows."""
LABEL, TITLE, CELL = 11, 12, 16
"""Font sizes of the labels and titles, and a cell's side, in px (a label's line fits a cell)."""


def heat_opacity(p: float) -> float:
    """A cell's opacity for probability ``p``: from ``HEAT_LEAST`` (just above ``HEAT_FLOOR``) to 1 (certain),
    by the cube root, so the common small chances (a smoothed chain gives every pitch a few percent) still
    differ: 1%, 5%, 10%, 25%, 50% and 100% are about evenly spaced."""
    return HEAT_LEAST + (1 - HEAT_LEAST) * min(1.0, math.cbrt(max(0.0, p)))


def heatmap(
    rows: Sequence[str],
    cols: Sequence[str],
    probs: np.ndarray,
    *,
    highlight_row: int | None = None,
    row_title: str = "previous note",
    col_title: str = "next note",
    notes: Sequence[str] = (),
) -> str:
    """A transition matrix: P(column | row) in the theme's text colour, darker (Light) or brighter (Dark)
    for likelier, the current row outlined, with axis titles and a legend in percent.

    Every part has the room its text needs (``text_width``): row labels right-aligned in a column as
    wide as the longest, column labels upright in cells of ``CELL`` px, so no label meets another or the
    grid at any font size up to ``LABEL``; the picture is drawn at its size (never scaled below it).
    ``notes`` are extra legend lines (what the labels' parts mean).
    """
    n_r, n_c = len(rows), len(cols)
    label_w = max([text_width(r, LABEL) for r in rows] + [text_width(f"{row_title} \u2193", TITLE)])
    col_h = max([text_width(c, LABEL) for c in cols] + [0.0])
    left = math.ceil(8 + label_w + 6)  # whole pixels: cells and labels keep a cell's pitch apart exactly
    top = math.ceil(8 + TITLE + 8 + col_h + 6)
    parts = [
        f'<text class="jm-axis-title" x="{left:.0f}" y="{8 + TITLE}" font-size="{TITLE}" font-weight="bold">'
        f"{html.escape(col_title)} \u2192</text>",
        f'<text class="jm-axis-title" x="{left - 6:.0f}" y="{top - 6:.0f}" font-size="{TITLE}" font-weight="bold" '
        f'text-anchor="end">{html.escape(row_title)} \u2193</text>',
    ]
    for j, c in enumerate(cols):
        x, y = left + j * CELL + CELL / 2 + 4, top - 4  # upright text: its glyphs lie left of its baseline
        parts.append(
            f'<text class="jm-col-label" x="{x:.1f}" y="{y:.0f}" font-size="{LABEL}" '
            f'transform="rotate(-90 {x:.1f} {y:.0f})">{html.escape(c)}</text>'
        )
    for i, r in enumerate(rows):
        y = top + i * CELL
        bold = ' font-weight="bold"' if i == highlight_row else ""
        parts.append(
            f'<text class="jm-row-label" x="{left - 6:.0f}" y="{y + CELL / 2 + 4:.0f}" font-size="{LABEL}" '
            f'text-anchor="end"{bold}>{html.escape(r)}</text>'
        )
        for j in range(n_c):
            v = float(probs[i, j])
            if v >= HEAT_FLOOR:
                parts.append(
                    f'<rect class="jm-cell" x="{left + j * CELL:.0f}" y="{y:.0f}" width="{CELL}" height="{CELL}" '
                    f'fill-opacity="{heat_opacity(v):.3f}"/>'
                )
    grid_w, grid_h = n_c * CELL, n_r * CELL
    parts.append(
        f'<rect class="jm-grid" x="{left:.0f}" y="{top:.0f}" width="{grid_w}" height="{grid_h}" fill="none" '
        'stroke="currentColor" stroke-opacity="0.35"/>'
    )
    if highlight_row is not None and 0 <= highlight_row < n_r:
        y = top + highlight_row * CELL
        parts.append(
            f'<rect class="jm-current-row" x="{left:.0f}" y="{y:.0f}" width="{grid_w}" height="{CELL}" '
            f'fill="none" stroke="{ACCENT}" stroke-width="2"/>'
        )
    budget = max(left + grid_w, LEGEND_WIDTH)
    legend, legend_w, legend_h = _heat_legend(top + grid_h + 10, notes, budget)
    width, height = max(left + grid_w, legend_w) + 8, top + grid_h + 10 + legend_h
    return _svg("jm-heatmap", round(width), round(height), "".join(parts) + legend)


LEGEND_WIDTH = 300
"""The legend's lines wrap at the table's width, or this many px for a narrow table."""


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` in lines of at most ``width`` px at font ``size`` (by ``text_width``), broken between words."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _heat_legend(y0: float, notes: Sequence[str], budget: float) -> tuple[str, float, float]:
    """The colour legend under the grid: what a shade means, swatches of the shades in percent, and
    ``notes``, each wrapped to ``budget`` px; returns the SVG, its width and its height."""
    caption = f"shade = chance of the next note after the row's notes (blank: under {100 * HEAT_FLOOR:g}%)"
    parts, widths, y = [], [0.0], y0

    def line(text: str) -> None:
        nonlocal y
        parts.append(
            f'<text class="jm-legend-text" x="8" y="{y + LABEL:.0f}" font-size="{LABEL}">{html.escape(text)}</text>'
        )
        widths.append(8 + text_width(text, LABEL))
        y += 16

    for text in wrap(caption, LABEL, budget - 8):
        line(text)
    x, y = 8.0, y + 2
    for p in HEAT_LEGEND:
        text = f"{100 * p:g}%"
        parts.append(
            f'<rect class="jm-swatch" x="{x:.0f}" y="{y:.0f}" width="{CELL}" height="{CELL}" '
            f'fill-opacity="{heat_opacity(p):.3f}" data-p="{p:g}"/>'
            f'<text class="jm-legend-text" x="{x + CELL + 4:.0f}" y="{y + CELL / 2 + 4:.0f}" '
            f'font-size="{LABEL}">{text}</text>'
        )
        x += CELL + 4 + text_width(text, LABEL) + 12
    widths.append(x - 12)
    y += CELL + 6
    for note_text in notes:
        for text in wrap(note_text, LABEL, budget - 8):
            line(text)
    return "".join(parts), max(widths), y - y0 + 4


def loss_curve(
    batch_bits: Sequence[float], val_bits: Sequence[tuple[int, float]], *, width: int = 420, height: int = 160
) -> str:
    """Training loss per batch (blue line) and validation after each epoch (orange dots), in bits."""
    points = [b for b in batch_bits if np.isfinite(b)]
    vals = [(s, v) for s, v in val_bits if np.isfinite(v)]
    if not points:
        empty = '<text x="8" y="20" font-size="12">no training yet</text>'
        return _svg("jm-curve", width, height, empty, ' data-batches="0" data-epochs="0"')
    lo = min([*points, *(v for _, v in vals)])
    hi = max([*points, *(v for _, v in vals)])
    span = max(hi - lo, 1e-6)
    n = max(len(points), max((s for s, _ in vals), default=0), 2)

    def xy(i: float, v: float) -> tuple[float, float]:
        return 36 + (width - 44) * i / (n - 1), 10 + (height - 30) * (hi - v) / span

    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(points)))
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{ACCENT}"/>' for x, y in (xy(s - 1, v) for s, v in vals)
    )
    body = (
        f'<text x="2" y="14" font-size="10">{hi:.2f}</text>'
        f'<text x="2" y="{height - 20}" font-size="10">{lo:.2f}</text>'
        f'<polyline fill="none" stroke="{BAR}" stroke-width="1.5" points="{line}"/>{dots}'
        f'<text x="36" y="{height - 4}" font-size="10">'
        "batches (line: training bits per event, dots: validation)</text>"
    )
    return _svg("jm-curve", width, height, body, f' data-batches="{len(points)}" data-epochs="{len(vals)}"')


def bits_table(rows: Sequence[tuple[str, float, float]]) -> str:
    """An HTML table: model, pitch bits per note, whole-note bits per event (lower is better)."""
    body = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{pitch:.3f}</td><td>{note:.3f}</td></tr>" for name, pitch, note in rows
    )
    return (
        f'<table class="jm-bits" style="color: {INK}">'
        f"<tr><th>model</th><th>pitch bits/note</th><th>note bits/event</th></tr>{body}</table>"
    )
