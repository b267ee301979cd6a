"""Small SVG pictures for the studio's "why" views, drawn in Python so they live in saved notebooks.

Each function returns an ``<svg>`` string: the next-note probability strip, the Markov transition
heatmap, the training curve, and an HTML table of bits per note.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from ..music.events import REST
from ..music.notation import pitch_name

INK = "var(--jp-ui-font-color1, #1f1f1f)"
"""Text and axes: JupyterLab's theme text colour, a light theme's elsewhere. CSS variables work in a
``style`` attribute, not in presentation attributes such as ``fill=``, so every picture sets it as
the root's inherited ``fill`` (bars and lines keep their own colours, which read on both themes)."""
BAR = "#285ac8"
ACCENT = "#d6781e"


def _svg(cls: str, width: float, height: float, body: str, data: str = "") -> str:
    """An ``<svg>`` whose text inherits the theme's text colour, scaled down in a narrower page."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"{data} style="fill: {INK}; color: {INK}; max-width: 100%; height: auto">'
        f"{body}</svg>"
    )


def _label(p: int, key: str | None) -> str:
    return "rest" if p == REST else pitch_name(p, key)


def probability_strip(
    probs: np.ndarray, *, top: int = 12, title: str = "", highlight: int | None = None, key: str | None = None
) -> str:
    """Bars of the ``top`` likeliest next pitches (probs over 129 symbols: MIDI pitches and the rest), named
    as ``key`` spells them (``Bb4`` in F major; sharps when None)."""
    p = np.asarray(probs, dtype=float)
    order = [int(i) for i in np.argsort(-p, kind="stable")[:top] if p[i] > 0]
    width, bar, gap = 420, 18, 4
    height = 22 + len(order) * (bar + gap)
    rows = []
    for k, i in enumerate(order):
        y = 20 + k * (bar + gap)
        w = max(1.0, 300 * p[i] / max(p[order[0]], 1e-12))
        colour = ACCENT if i == highlight else BAR
        rows.append(
            f'<text x="4" y="{y + 13}" font-size="11">{html.escape(_label(i, key))}</text>'
            f'<rect x="48" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}" '
            f'data-pitch="{i}" data-p="{p[i]:.6f}"/>'
            f'<text x="{52 + w:.1f}" y="{y + 13}" font-size="11">{100 * p[i]:.1f}%</text>'
        )
    title_text = f'<text x="4" y="13" font-size="12" font-weight="bold">{html.escape(title)}</text>'
    return _svg("jm-strip", width, height, title_text + "".join(rows))


def note(text: str, cls: str = "jm-note-text", width: int = 420) -> str:
    """A one-line picture that says why there is nothing to draw."""
    return _svg(cls, width, 28, f'<text x="8" y="18" font-size="12">{html.escape(text)}</text>')


def heatmap(rows: Sequence[str], cols: Sequence[str], probs: np.ndarray, *, highlight_row: int | None = None) -> str:
    """A transition matrix: P(column | row) as shades of blue, the current row outlined."""
    n_r, n_c = len(rows), len(cols)
    cell = max(6, min(16, 520 // max(n_c, 1)))
    left, top = 44, 34
    parts = []
    for j, c in enumerate(cols):
        x = left + j * cell + cell / 2
        parts.append(
            f'<text x="{x:.1f}" y="{top - 4}" font-size="8" '
            f'transform="rotate(-60 {x:.1f} {top - 4})">{html.escape(c)}</text>'
        )
    for i, r in enumerate(rows):
        y = top + i * cell
        parts.append(f'<text x="2" y="{y + cell - 3}" font-size="8">{html.escape(r)}</text>')
        for j in range(n_c):
            v = float(probs[i, j])
            if v < 0.002:
                continue  # the page's background shows: keep the picture (and saved state) small
            parts.append(
                f'<rect x="{left + j * cell}" y="{y}" width="{cell}" height="{cell}" '
                f'fill="{BAR}" fill-opacity="{0.08 + 0.92 * min(1.0, v**0.5):.2f}"/>'
            )
    if highlight_row is not None and 0 <= highlight_row < n_r:
        y = top + highlight_row * cell
        parts.append(
            f'<rect class="jm-current-row" x="{left}" y="{y}" width="{n_c * cell}" height="{cell}" '
            f'fill="none" stroke="{ACCENT}" stroke-width="2"/>'
        )
    return _svg("jm-heatmap", left + n_c * cell + 4, top + n_r * cell + 4, "".join(parts))


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
