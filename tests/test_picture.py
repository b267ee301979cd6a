"""The static picture of a roll (``widget/picture.py``): what it draws, its PNG, its cost, and the mimebundles."""

from __future__ import annotations

import base64
import re
import struct
import subprocess
import sys
import time
import zlib

import numpy as np
import pytest

import jupymuse
from jupymuse.music import Melody, Note
from jupymuse.widget.codec import melody_to_bytes
from jupymuse.widget.picture import (
    ACCENT,
    MAX_BARS,
    MAX_NOTES,
    NOTE,
    PAPER,
    Roll,
    layout,
    picture_bundle,
    roll_png,
    roll_svg,
)
from jupymuse.widget.picture_png import paint

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TUNE = "G4:4 G4:4 D5:4 D5:4 E5:4 E5:4 D5:8 C5:4 C5:4 B4:4 B4:4 A4:4 A4:4 G4:8"


def _notes(svg: str) -> list[str]:
    return re.findall(r'<rect class="jm-note[^"]*"[^>]*>', svg)


def _decode_png(data: bytes) -> np.ndarray:
    """A minimal PNG reader for what ``encode_png`` writes (8-bit RGB, filters None/Sub/Up)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        tag, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(tag + body)
        chunks[tag] = chunks.get(tag, b"") + body
        pos += 12 + length
    w, h, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 2)
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8).reshape(h, w * 3 + 1)
    rows = np.zeros((h, w * 3), dtype=np.uint8)
    for y in range(h):
        kind, line = raw[y, 0], raw[y, 1:]
        prior = rows[y - 1] if y else np.zeros(w * 3, dtype=np.uint8)
        if kind == 0:
            rows[y] = line
        elif kind == 2:
            rows[y] = line + prior
        else:
            pytest.fail(f"unexpected filter {kind}")
    return rows.reshape(h, w, 3)


def test_one_rectangle_per_note_and_the_caption() -> None:
    melody = Melody.from_notation(TUNE, key="G major")
    svg = roll_svg(melody)
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert len(_notes(svg)) == len(melody) == 14
    assert "PianoRoll: 14 notes, 4 bars, G major, 120 bpm — run the cell for the live editor" in svg
    assert ">C5</text>" in svg  # pitch labels on the C rows
    assert all(f">{bar}</text>" in svg for bar in (1, 2, 3, 4))  # bar numbers


def test_generated_notes_are_in_the_accent_colour() -> None:
    melody = Melody.from_notation(TUNE)
    svg = roll_svg(melody, accent_from=32)
    generated = [n for n in _notes(svg) if "jm-generated" in n]
    assert len(generated) == sum(1 for n in melody if n.start >= 32) == 7
    assert all('fill="#d6781e"' in n for n in generated)
    assert all('fill="#285ac8"' in n for n in _notes(svg) if "jm-generated" not in n)
    assert "(7 generated)" in svg


def test_the_png_is_the_same_picture() -> None:
    melody = Melody.from_notation("C4:16 E4:16", key="C major")
    image = _decode_png(roll_png(melody, accent_from=16))
    picture = layout(Roll.of_melody(melody, accent_from=16))
    assert image.shape == (picture.height, picture.width, 3)
    (first, second) = [r for r in picture.rects if r.kind]
    for rect, colour in ((first, NOTE), (second, ACCENT)):
        pixel = image[int(rect.y + rect.h / 2), int(rect.x + rect.w / 2)].astype(int)
        expected = np.array(PAPER) + (np.array(colour) - np.array(PAPER)) * rect.alpha
        assert np.abs(pixel - expected).max() <= 2, (pixel, expected)
    assert (image[2:12, 6:300] < 128).any()  # the caption's text is drawn


def test_an_empty_melody_gives_an_empty_staff() -> None:
    svg = roll_svg(Melody())
    assert _notes(svg) == []
    assert "PianoRoll: 0 notes, 0 bars" in svg
    assert ">C4</text>" in svg
    assert ">C5</text>" in svg
    assert _decode_png(roll_png(Melody())).shape[0] > 100


def test_a_huge_melody_costs_a_bounded_picture() -> None:
    rng = np.random.default_rng(0)
    pitches = rng.integers(48, 84, 10_000)
    big = Melody([Note(int(p), 2 * i, 2) for i, p in enumerate(pitches)])
    start = time.perf_counter()
    for _ in range(5):
        svg, png = roll_svg(big, accent_from=64), roll_png(big, accent_from=64)
    seconds = (time.perf_counter() - start) / 5
    assert seconds < 0.05, f"{1000 * seconds:.1f} ms"  # a few ms on the 2-core CI machine
    assert len(_notes(svg)) == MAX_BARS * 8  # 16 bars of eighth notes
    assert "… and 1,234 more bars" in svg
    assert "10,000 notes (9,968 generated), 1,250 bars" in svg
    assert len(svg) < 60_000
    assert len(png) < 60_000
    dense = Melody([Note(60 + i % 12, i, 1) for i in range(3 * MAX_NOTES)], steps_per_quarter=960)
    assert 0 < len(_notes(roll_svg(dense))) <= MAX_NOTES


def test_the_widgets_bytes_and_the_melody_give_the_same_picture() -> None:
    melody = Melody.from_notation(TUNE, time_signature=(3, 4), tempo=90, key="G major")
    from_rows = Roll.of_rows(
        melody_to_bytes(melody), accent_from=20, steps_per_quarter=4, time_signature=(3, 4), tempo=90, key="G major"
    )
    assert picture_bundle(from_rows)[0]["image/svg+xml"] == roll_svg(melody, accent_from=20)
    assert "3/4" in from_rows.caption()
    assert paint(layout(from_rows), PAPER).dtype == np.uint8


def test_a_roll_shows_a_widget_a_picture_and_a_short_text() -> None:
    roll = jupymuse.PianoRoll(TUNE)
    roll.accent_from = 32
    data, metadata = roll._repr_mimebundle_()
    assert data[WIDGET_VIEW]["model_id"] == roll.model_id
    assert len(_notes(data["image/svg+xml"])) == 14
    assert _decode_png(base64.b64decode(data["image/png"])).shape[1] == 720
    assert data["text/plain"].startswith("PianoRoll: 14 notes (7 generated), 4 bars")
    assert "G4:4 G4:4 D5:4" in data["text/plain"]
    assert len(data["text/plain"]) < 300
    assert isinstance(metadata, dict)


def test_a_studio_shows_its_roll_with_the_candidate_in_the_accent_colour() -> None:
    studio = jupymuse.Studio("markov-1", "G4:4 A4:4 B4:4", corpus="bach-chorales:pearce185", warm_up=False)
    studio.generate(8, n=2, seed=1)
    data, _ = studio._repr_mimebundle_()
    assert WIDGET_VIEW in data
    assert "image/png" in data
    assert "Studio(children" not in data["text/plain"]
    assert data["text/plain"].startswith("jupymuse Studio, model Markov order 1: 11 notes (8 generated)")
    assert len([n for n in _notes(data["image/svg+xml"]) if "jm-generated" in n]) == 8


def test_showing_a_roll_or_a_studio_picture_loads_no_tensorflow() -> None:
    code = (
        "import sys, jupymuse\n"
        "jupymuse.PianoRoll('C4:4')._repr_mimebundle_()\n"
        "jupymuse.Studio(melody='G4:4 A4:4')._repr_mimebundle_()\n"
        "print(sorted(m for m in ('tensorflow', 'keras', 'matplotlib', 'PIL') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
