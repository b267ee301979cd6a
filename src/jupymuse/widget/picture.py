"""A static picture of a melody as a piano roll (SVG and PNG), for wherever the live widget cannot show.

A saved notebook reopened, Notebook 7 without widget state, nbconvert's HTML, GitHub: their output
shows this picture from the mimebundle instead of "Error displaying widget". It looks like the live
roll (``js/src/roll/draw.ts``) in fixed colours on its own light paper, as it is shown as an image
on light and dark pages alike. Its cost is bounded: at most ``MAX_BARS`` bars and ``MAX_NOTES`` notes
are drawn, whatever the melody's length; the rest is counted in a footer. Shaded notes (surprise or
style evidence) keep their colours, and the arcs of "what the model listened to" are drawn with a line
of text saying them (``picture_arcs.py``).
"""

from __future__ import annotations

import base64
import bisect
import html
import math
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np

from ..music import Melody, Note, format_notation, pitch_name
from .listened import Listened, listened
from .picture_arcs import Arc, arc_svg, arcs, listened_line, paint_arc
from .picture_png import Rgb, encode_png, paint, text_width
from .shading import shading_rgb

WIDTH = 720
MAX_BARS = 16
"""Most bars a picture draws (a footer says how many more the melody has)."""
MAX_NOTES = 2000
"""Most notes a picture draws (fewer bars are drawn when the first bars hold more)."""
HINT = "run the cell for the live editor"

PAPER: Rgb = (255, 255, 255)
INK: Rgb = (31, 31, 31)
RULER: Rgb = (238, 238, 238)
BAR_LINE: Rgb = (154, 161, 173)
BEAT_LINE: Rgb = (213, 217, 224)
BLACK_ROW: Rgb = (240, 240, 240)  # the live roll's ink at 6% on white
BLACK_KEY: Rgb = (58, 58, 58)
BORDER: Rgb = (189, 189, 189)
NOTE: Rgb = (40, 90, 200)
ACCENT: Rgb = (214, 120, 30)
BLACK_KEYS = frozenset({1, 3, 6, 8, 10})

LINE_H, RULER_H, FOOTER_H, KEYS_W, BLACK_W = 16, 16, 18, 44, 24
MAX_AREA_H, MIN_ROW_H, MAX_ROW_H = 240, 3, 10


class Rect(NamedTuple):
    """A filled rectangle of the picture (``kind`` "note" or "generated" marks a note)."""

    x: float
    y: float
    w: float
    h: float
    colour: Rgb
    alpha: float = 1.0
    kind: str = ""


class Text(NamedTuple):
    """A line of text; ``y`` is its baseline."""

    x: float
    y: float
    text: str
    colour: Rgb = INK
    bold: bool = False


class Picture(NamedTuple):
    """Rectangles, then arcs, then texts on paper ``width`` x ``height``, in drawing order."""

    width: int
    height: int
    rects: list[Rect]
    texts: list[Text]
    arcs: tuple[Arc, ...] = ()


@dataclass(frozen=True)
class Roll:
    """What a picture shows: the first notes of a melody (rows of pitch, start, duration, velocity) and its settings.

    Build it with :meth:`of_melody` or :meth:`of_rows` (the widget's synced bytes): both keep only the
    notes a picture can draw, so the cost does not grow with the melody.
    """

    rows: np.ndarray
    capped: bool  # rows stop at MAX_NOTES before MAX_BARS bars
    total: int
    end: int
    generated: int
    accent_from: int
    steps_per_quarter: int
    time_signature: tuple[int, int]
    tempo: float
    key: str | None  # the key's name as the caption shows it ("G major"), as the widget syncs it
    shading: np.ndarray | None = None  # bits per drawn note (as `rows`), coloured on `shading_scale`
    shading_scale: str = "surprise"
    listened: Listened | None = None  # the arcs: what a model listened to for one note
    accent_to: int = -1  # generated notes start before this step (-1: to the end): a filled span's

    def is_generated(self, start: int) -> bool:
        """Whether a note starting at step ``start`` is generated: in ``[accent_from, accent_to)``."""
        return 0 <= self.accent_from <= start and (self.accent_to < 0 or start < self.accent_to)

    @property
    def steps_per_bar(self) -> int:
        """Grid steps in one bar (as ``Melody.steps_per_bar``)."""
        num, den = self.time_signature
        return max(1, (num * 4 * self.steps_per_quarter) // den)

    @property
    def bars(self) -> int:
        """Bars the whole melody spans (0 when empty)."""
        return -(-self.end // self.steps_per_bar)

    @classmethod
    def of_melody(cls, melody: Melody, *, accent_from: int = -1) -> Roll:
        """The picture's view of ``melody`` (notes from step ``accent_from`` on are generated; -1: none)."""
        notes = melody.notes
        limit = MAX_BARS * melody.steps_per_bar
        before = bisect.bisect_left(notes, limit, key=lambda n: n.start)
        drawn = notes[: min(MAX_NOTES, before)]
        rows = np.array([(n.pitch, n.start, n.duration, n.velocity) for n in drawn], dtype=np.int64).reshape(-1, 4)
        first = bisect.bisect_left(notes, accent_from, key=lambda n: n.start) if accent_from >= 0 else len(notes)
        return cls(
            rows=rows,
            capped=before > MAX_NOTES,
            total=len(notes),
            end=melody.end,
            generated=len(notes) - first,
            accent_from=accent_from,
            steps_per_quarter=melody.steps_per_quarter,
            time_signature=melody.time_signature,
            tempo=melody.tempo,
            key=None if melody.key is None else str(melody.key),
        )

    @classmethod
    def of_rows(
        cls,
        data: bytes,
        *,
        accent_from: int = -1,
        steps_per_quarter: int = 4,
        time_signature: tuple[int, int] = (4, 4),
        tempo: float = 120.0,
        key: str | None = None,
    ) -> Roll:
        """The picture's view of notes as the widget syncs them (int32 LE rows, sorted by start)."""
        all_rows = np.frombuffer(data, dtype="<i4")[: len(data) // 16 * 4].reshape(-1, 4)
        starts = all_rows[:, 1]
        num, den = time_signature
        limit = MAX_BARS * max(1, (num * 4 * steps_per_quarter) // den)
        before = int(np.searchsorted(starts, limit))
        count = min(MAX_NOTES, before)
        end = int(all_rows[-1, 1] + all_rows[-1, 2]) if len(all_rows) else 0
        first = int(np.searchsorted(starts, accent_from)) if accent_from >= 0 else len(all_rows)
        return cls(
            rows=all_rows[:count].astype(np.int64),
            capped=before > MAX_NOTES,
            total=len(all_rows),
            end=end,
            generated=len(all_rows) - first,
            accent_from=accent_from,
            steps_per_quarter=steps_per_quarter,
            time_signature=(num, den),
            tempo=tempo,
            key=key or None,
        )

    @classmethod
    def of_widget(cls, roll: Any) -> Roll:
        """The picture's view of a ``PianoRoll`` (duck-typed: this module must not import the widget)."""
        view = cls.of_rows(
            roll.notes,
            accent_from=roll.accent_from,
            steps_per_quarter=roll.steps_per_quarter,
            time_signature=tuple(roll.time_signature),
            tempo=roll.tempo,
            key=roll.key,
        )
        shading = np.frombuffer(roll.shading, dtype="<f4") if len(roll.shading) == 4 * view.total else None
        accent_to = int(getattr(roll, "accent_to", -1))
        if accent_to >= 0 and view.accent_from >= 0:  # a filled span: its notes alone are generated
            starts = np.frombuffer(roll.notes, dtype="<i4")[1::4]
            view = replace(
                view,
                accent_to=accent_to,
                generated=int(np.count_nonzero(starts < accent_to)) - (view.total - view.generated),
            )
        return replace(
            view,
            shading=None if shading is None else shading[: len(view.rows)].astype(float),
            shading_scale=roll.shading_scale,
            listened=listened(roll.listened, view.total),
        )

    def caption(self, title: str = "PianoRoll", hint: str = HINT) -> str:
        """One line: what the roll holds and how to get the live one."""
        notes = f"{self.total:,} note{'' if self.total == 1 else 's'}"
        if self.generated:
            notes += f" ({self.generated:,} generated)"
        parts = [notes, f"{self.bars:,} bar{'' if self.bars == 1 else 's'}"]
        if self.time_signature != (4, 4):
            parts.append("{}/{}".format(*self.time_signature))
        if self.key:
            parts.append(self.key)
        parts.append(f"{self.tempo:g} bpm")
        return f"{title}: {', '.join(parts)}" + (f" — {hint}" if hint else "")

    def text(self, title: str = "PianoRoll", hint: str = HINT) -> str:
        """A short plain-text stand-in: the caption, the first notes in the text notation and the arcs in words."""
        head = [Note(*(int(v) for v in row)) for row in self.rows[:12]]
        more = " …" if self.total > len(head) else ""
        notation = format_notation(head, start=int(head[0].start) if head else 0)
        arcs = f"\n{self.arcs_line()}" if self.listened is not None else ""
        return self.caption(title, hint) + (f"\n{notation}{more}" if head else "") + arcs

    def arcs_line(self) -> str:
        """The arcs in words ("" when none are shown)."""
        if self.listened is None:
            return ""
        return listened_line(self.listened, dict(enumerate(int(p) for p in self.rows[:, 0])), self.key)


def _visible(roll: Roll) -> tuple[np.ndarray, int]:
    """The notes to draw and the number of bars shown (fewer when the first bars hold over MAX_NOTES notes)."""
    per_bar = roll.steps_per_bar
    bars = min(max(roll.bars, 1), MAX_BARS) if roll.total else 4
    rows = roll.rows
    if roll.capped:  # cut at MAX_NOTES: show the bars before the last note's (at least one)
        bars = max(1, int(rows[-1, 1]) // per_bar)
    return rows[rows[:, 1] < bars * per_bar], bars


def _pitch_span(rows: np.ndarray) -> tuple[int, int]:
    """Lowest and highest row drawn: the notes' range plus one row each side, at least an octave."""
    if not len(rows):
        return 60, 72
    lo, hi = int(rows[:, 0].min()) - 1, int(rows[:, 0].max()) + 1
    while hi - lo < 12:
        lo, hi = lo - (hi - lo) % 2, hi + 1
    return max(0, lo), min(127, hi)


def _caption(roll: Roll, width: int, title: str, hint: str) -> list[Text]:
    """The caption in one bold line, or with the hint on a second line when one is too wide."""
    line = roll.caption(title, hint)
    if text_width(line, bold=True) * 1.12 <= width - 12 or not hint:  # the SVG's bold font is wider
        return [Text(6, 15, line, bold=True)]
    return [Text(6, 15, roll.caption(title, ""), bold=True), Text(6, 15 + LINE_H, hint)]


def layout(roll: Roll, *, width: int = WIDTH, title: str = "PianoRoll", hint: str = HINT) -> Picture:
    """Lay the roll out as rectangles and texts (both renderers draw this, so SVG and PNG match)."""
    rows, bars = _visible(roll)
    lo, hi = _pitch_span(rows)
    row_h = max(MIN_ROW_H, min(MAX_ROW_H, MAX_AREA_H // (hi - lo + 1)))
    caption = _caption(roll, width, title, hint)
    caption_h = 6 + LINE_H * len(caption)
    top = caption_h + RULER_H
    grid_h = (hi - lo + 1) * row_h
    more = roll.bars - bars if roll.total else 0
    said = roll.arcs_line()
    height = top + grid_h + (FOOTER_H if more > 0 else 4) + (FOOTER_H if said else 0)
    steps = bars * roll.steps_per_bar
    x0, grid_w = KEYS_W, width - KEYS_W - 1
    px = grid_w / steps
    rects = [Rect(0, 0, width, height, PAPER), Rect(0, caption_h, width, RULER_H, RULER)]
    texts = caption
    for p in range(lo, hi + 1):
        y = top + (hi - p) * row_h
        if p % 12 in BLACK_KEYS:
            rects += [Rect(x0, y, grid_w, row_h, BLACK_ROW), Rect(0, y, BLACK_W, row_h, BLACK_KEY)]
        elif p % 12 == 0:
            rects.append(Rect(0, y + row_h - 1, width - 1, 1, BAR_LINE))
            texts.append(Text(BLACK_W + 2, y + row_h - 1, pitch_name(p)))
    per_beat = roll.steps_per_quarter * 4 / roll.time_signature[1]
    if per_beat * px >= 4:
        rects += [Rect(round(x0 + b * per_beat * px), top, 1, grid_h, BEAT_LINE) for b in range(int(steps / per_beat))]
    every = max(1, math.ceil(22 / (roll.steps_per_bar * px)))  # bar numbers at least 22 px apart
    for bar in range(bars + 1):
        x = round(x0 + bar * roll.steps_per_bar * px)
        rects.append(Rect(min(x, width - 2), top, 1, grid_h, BAR_LINE))
        if bar < bars and bar % every == 0:
            texts.append(Text(x + 3, top - 4, str(bar + 1)))
    rects += [Rect(0, top - 1, width, 1, BAR_LINE), Rect(KEYS_W - 1, top, 1, grid_h, BAR_LINE)]
    tops: dict[int, tuple[float, float]] = {}
    for i, (pitch, start, duration, velocity) in enumerate(rows.tolist()):
        x = x0 + start * px
        w = max(1.0, min(duration * px, x0 + grid_w - x) - 1)
        generated = roll.is_generated(start)
        y = top + (hi - pitch) * row_h + (1 if row_h > 3 else 0)
        colour = ACCENT if generated else NOTE
        if roll.shading is not None and i < len(roll.shading):
            colour = shading_rgb(float(roll.shading[i]), roll.shading_scale)
        rects.append(Rect(x, y, w, row_h - (2 if row_h > 3 else 1), colour,
                          0.45 + 0.55 * velocity / 127, "generated" if generated else "note"))  # fmt: skip
        tops[i] = (x + w / 2, y)
    if more > 0:
        texts.append(Text(x0, top + grid_h + FOOTER_H - 5, f"… and {more:,} more bar{'' if more == 1 else 's'}"))
    if said:
        texts.append(Text(6, height - 5, _fit(said, width - 12)))
    drawn = arcs(roll.listened, tops, top + 2) if roll.listened is not None else []
    return Picture(width, height, rects, texts, tuple(drawn))


def _fit(line: str, width: int) -> str:
    """``line`` cut (with "…") to ``width`` pixels of the picture's font."""
    if text_width(line) <= width:
        return line
    while line and text_width(line + " …") > width:
        line = line[: int(len(line) * 0.9)]
    return line.rstrip(" ,") + " …"


def _hex(colour: Rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def render_svg(picture: Picture, roll: Roll) -> str:
    """The picture as a standalone ``<svg>`` (its own paper and border: it reads on any page)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="jupymuse-picture" width="{picture.width}" '
        f'height="{picture.height}" viewBox="0 0 {picture.width} {picture.height}" data-notes="{roll.total}" '
        'font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="11" '
        'style="max-width: 100%; height: auto" shape-rendering="crispEdges">'
    ]
    for r in picture.rects:
        cls = f' class="jm-note{" jm-generated" if r.kind == "generated" else ""}"' if r.kind else ""
        opacity = f' fill-opacity="{r.alpha:.2f}"' if r.alpha < 1 else ""
        out.append(
            f'<rect{cls} x="{r.x:.1f}" y="{r.y}" width="{r.w:.1f}" height="{r.h}" fill="{_hex(r.colour)}"{opacity}/>'
        )
    out += [arc_svg(arc) for arc in picture.arcs]
    for t in picture.texts:
        weight = ' font-weight="bold"' if t.bold else ""
        out.append(f'<text x="{t.x}" y="{t.y}" fill="{_hex(t.colour)}"{weight}>{html.escape(t.text)}</text>')
    out.append(
        f'<rect x="0.5" y="0.5" width="{picture.width - 1}" height="{picture.height - 1}" fill="none" '
        f'stroke="{_hex(BORDER)}"/></svg>'
    )
    return "".join(out)


def roll_svg(
    melody: Melody, *, accent_from: int = -1, width: int = WIDTH, title: str = "PianoRoll", hint: str = HINT
) -> str:
    """``melody`` as an SVG piano roll; notes from step ``accent_from`` on in the accent colour (-1: none)."""
    roll = Roll.of_melody(melody, accent_from=accent_from)
    return render_svg(layout(roll, width=width, title=title, hint=hint), roll)


def roll_png(
    melody: Melody, *, accent_from: int = -1, width: int = WIDTH, title: str = "PianoRoll", hint: str = HINT
) -> bytes:
    """``melody`` as a PNG piano roll (the same picture as :func:`roll_svg`, for untrusted notebooks)."""
    picture = layout(Roll.of_melody(melody, accent_from=accent_from), width=width, title=title, hint=hint)
    return encode_png(_paint(picture))


def _paint(picture: Picture) -> np.ndarray:
    """The picture as RGB pixels: rectangles and texts, then the arcs over the notes."""
    canvas = paint(picture, BORDER)
    for arc in picture.arcs:
        paint_arc(canvas, arc)
    return canvas


def picture_bundle(
    roll: Roll, base: Any = None, *, width: int = WIDTH, title: str = "PianoRoll", hint: str = HINT
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A widget's mimebundle (``base``: what its ``_repr_mimebundle_`` gave) plus the roll's pictures.

    SVG for trusted outputs and HTML export, PNG for untrusted ones (JupyterLab shows no SVG there),
    and a short ``text/plain`` instead of the widget's long repr.
    """
    data, metadata = base if isinstance(base, tuple) else (base or {}, {})
    picture = layout(roll, width=width, title=title, hint=hint)
    pictures = {
        "image/svg+xml": render_svg(picture, roll),
        "image/png": base64.b64encode(encode_png(_paint(picture))).decode("ascii"),
        "text/plain": roll.text(title, hint),
    }
    return {**data, **pictures}, dict(metadata)
