"""Rasterize a roll picture to PNG with numpy and zlib alone (no imaging library at display time).

JupyterLab shows no SVG in an untrusted notebook (a freshly cloned lesson is one): its SVG renderer is
not "safe", its PNG renderer is. So the picture travels as PNG too, painted here from the same
rectangles and texts as the SVG, with text in our own small bitmap font (``picture_font.py``).
"""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING

import numpy as np

from . import picture_font as font

if TYPE_CHECKING:
    from .picture import Picture

Rgb = tuple[int, int, int]
_PLAIN = str.maketrans({"—": "-", "–": "-", "…": "...", "♯": "#", "♭": "b"})


def _glyphs() -> tuple[np.ndarray, tuple[int, ...]]:
    """The font's strip as coverage 0-1 and where each character's cell starts in it."""
    return font.strip()


def _codes(text: str) -> list[int]:
    """Each character's index in the font; characters outside ASCII become "?" (dashes and dots first spelled out)."""
    plain = text.translate(_PLAIN).encode("ascii", "replace")
    last = font.FIRST + len(font.ADVANCES)
    return [c - font.FIRST if font.FIRST <= c < last else ord("?") - font.FIRST for c in plain]


def text_width(text: str, *, bold: bool = False) -> int:
    """Width of ``text`` in pixels in the PNG's font (the SVG's font is about as wide)."""
    return sum(font.ADVANCES[c] for c in _codes(text)) + (1 if bold else 0)


def text_alpha(text: str, *, bold: bool = False) -> np.ndarray:
    """Coverage (0-1) of ``text`` in the bitmap font: HEIGHT rows; characters outside ASCII become "?"."""
    alpha, starts = _glyphs()
    codes = _codes(text)
    width = sum(font.ADVANCES[c] for c in codes) + 2
    out = np.zeros((font.HEIGHT, width), dtype=np.float32)
    x = 0
    for c in codes:
        cell = alpha[:, starts[c] : starts[c + 1]]
        np.maximum(out[:, x : x + cell.shape[1]], cell, out=out[:, x : x + cell.shape[1]])
        x += font.ADVANCES[c]
    if bold:
        np.maximum(out[:, 1:], out[:, :-1].copy(), out=out[:, 1:])
    return out


def _blend(canvas: np.ndarray, x0: int, y0: int, colour: Rgb, alpha: np.ndarray | float) -> None:
    """Paint ``colour`` at ``alpha`` (a number, or a coverage array placed at x0, y0) onto ``canvas``."""
    h, w = canvas.shape[:2]
    if isinstance(alpha, np.ndarray):
        ah, aw = alpha.shape
        alpha = alpha[max(0, -y0) : min(ah, h - y0), max(0, -x0) : min(aw, w - x0)][..., None]
        y0, x0 = max(0, y0), max(0, x0)
        canvas = canvas[y0 : y0 + alpha.shape[0], x0 : x0 + alpha.shape[1]]
    elif alpha >= 1:
        canvas[...] = colour
        return
    below = canvas.astype(np.float32)
    canvas[...] = np.rint(below + (np.asarray(colour, dtype=np.float32) - below) * alpha)


def paint(picture: Picture, border: Rgb) -> np.ndarray:
    """The picture as an RGB uint8 array (height x width x 3)."""
    canvas = np.zeros((picture.height, picture.width, 3), dtype=np.uint8)
    paper = np.asarray(picture.rects[0].colour, dtype=np.float32)
    for r in picture.rects:
        x0, y0 = round(r.x), round(r.y)
        x1, y1 = max(x0 + 1, round(r.x + r.w)), max(y0 + 1, round(r.y + r.h))
        # translucent notes: their colour over the paper, painted opaque (fast; the grid below hardly shows)
        colour = np.rint(paper + (np.asarray(r.colour) - paper) * r.alpha) if r.alpha < 1 else r.colour
        canvas[max(0, y0) : y1, max(0, x0) : x1] = colour
    for t in picture.texts:
        _blend(canvas, round(t.x), round(t.y) - font.BASELINE, t.colour, text_alpha(t.text, bold=t.bold))
    canvas[[0, -1], :] = border
    canvas[:, [0, -1]] = border
    return canvas


def _chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))


def encode_png(image: np.ndarray) -> bytes:
    """An RGB uint8 array as PNG bytes (rows "Up"-filtered: a roll's rows repeat, so they compress well)."""
    h, w = image.shape[:2]
    rows = image.reshape(h, w * 3)
    filtered = np.empty((h, w * 3 + 1), dtype=np.uint8)
    filtered[:, 0] = 2  # filter type Up: each byte minus the byte above it
    filtered[0, 1:] = rows[0]
    filtered[1:, 1:] = rows[1:] - rows[:-1]
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    body = zlib.compress(filtered.tobytes(), 1)  # level 1: about as small as 6 here, twice as fast
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")
