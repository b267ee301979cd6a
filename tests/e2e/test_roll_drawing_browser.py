"""Drawing like Song Maker (issue 20, points 3 and 9) in a real browser, JupyterLab 4 and Notebook 7.

A click on empty space draws a note of the toolbar's note length (a quarter note at first); a drag
draws the length dragged and makes it the choice. Touch (Chrome's own touch events, sent through the
DevTools protocol as a touch screen sends them) and a pen draw, move and resize as the mouse does;
a tap with no movement is a click, and a touch the browser cancels leaves the melody as it was.
Generated notes have an outline of at least 3:1 against the roll in Light and Dark, repeated notes of
one pitch are visibly apart (read from the canvas's pixels), and downloads carry the melody's title.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .test_piano_roll_browser import Roll, melody_is, wait_for
from .test_themes_browser import set_theme

pytestmark = pytest.mark.browser

CELLS = ["import jupymuse\nroll = jupymuse.PianoRoll(height=240)\nroll"]
ROOT = ".jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-roll"

# The pointer types the roll's canvas heard (to be sure a touch test drove touch, not the mouse)
RECORD_POINTERS = """() => {
  window.__jmPointers = [];
  document.addEventListener('pointerdown', (e) => window.__jmPointers.push(e.pointerType), true);
}"""


class Touch:
    """One finger on the page, through the DevTools protocol (``Input.dispatchTouchEvent``)."""

    def __init__(self, page: Any) -> None:
        self.cdp = page.context.new_cdp_session(page)

    def send(self, kind: str, point: tuple[float, float] | None = None) -> None:
        points = [] if point is None else [{"x": point[0], "y": point[1], "id": 1}]
        self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    def drag(self, a: tuple[float, float], b: tuple[float, float], steps: int = 6) -> None:
        self.send("touchStart", a)
        for i in range(1, steps + 1):
            self.send("touchMove", (a[0] + (b[0] - a[0]) * i / steps, a[1] + (b[1] - a[1]) * i / steps))
        self.send("touchEnd")

    def tap(self, a: tuple[float, float], jitter: float = 0.0) -> None:
        self.send("touchStart", a)
        if jitter:
            self.send("touchMove", (a[0] + jitter, a[1] + jitter / 2))  # a finger never keeps still
        self.send("touchEnd")


class Pen:
    """A pen on the page (``Input.dispatchMouseEvent`` with ``pointerType: "pen"``)."""

    def __init__(self, page: Any) -> None:
        self.cdp = page.context.new_cdp_session(page)

    def drag(self, a: tuple[float, float], b: tuple[float, float], steps: int = 6) -> None:
        common = {"pointerType": "pen", "button": "left", "clickCount": 1}
        self.cdp.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": a[0], "y": a[1], **common})
        for i in range(1, steps + 1):
            x, y = a[0] + (b[0] - a[0]) * i / steps, a[1] + (b[1] - a[1]) * i / steps
            self.cdp.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y, **common})
        self.cdp.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": b[0], "y": b[1], **common})


def test_clicks_draw_notes_of_the_current_length_and_downloads_carry_the_title(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = any_notebook(CELLS)
    roll = Roll(page)
    kernel("roll.melody = jupymuse.Melody(); roll.snap = 1.0")
    length = page.locator(f"{ROOT} .jm-length").first
    assert length.input_value() == "4"  # a quarter note to begin with
    assert kernel("print(roll.note_length)").strip() == "4.0"
    # five clicks on the empty roll: five quarter notes (issue 20: they were sixteenths with rests between)
    for i, pitch in enumerate((64, 65, 67, 65, 64)):
        page.mouse.click(*roll.at(4 * i + 0.3, pitch))
    melody_is(kernel, "E4:4 F4:4 G4:4 F4:4 E4:4")
    # the toolbar's choice: eighth notes
    length.select_option(label="1/8")
    wait_for(kernel, "print(roll.note_length)", "2.0")
    page.mouse.click(*roll.at(20.3, 62))
    page.mouse.click(*roll.at(22.3, 60))
    melody_is(kernel, "E4:4 F4:4 G4:4 F4:4 E4:4 D4:2 C4:2")
    # a drag draws the length dragged (a dotted quarter), which becomes the choice for the next click
    roll.drag(roll.at(24.3, 64), roll.at(30.02, 64))
    melody_is(kernel, "E4:4 F4:4 G4:4 F4:4 E4:4 D4:2 C4:2 E4:6")
    wait_for(kernel, "print(roll.note_length)", "6.0")
    assert length.evaluate("(s) => s.selectedOptions[0].textContent") == "dotted 1/4"
    page.mouse.click(*roll.at(30.3, 62))
    melody_is(kernel, "E4:4 F4:4 G4:4 F4:4 E4:4 D4:2 C4:2 E4:6 D4:6")
    # resizing a note makes its length the choice too: 5/16 is offered by name
    roll.drag(roll.at(35.9, 62), roll.at(35.02, 62))
    melody_is(kernel, "E4:4 F4:4 G4:4 F4:4 E4:4 D4:2 C4:2 E4:6 D4:5")
    wait_for(kernel, "print(roll.note_length)", "5.0")
    assert length.evaluate("(s) => s.selectedOptions[0].textContent") == "5/16"
    # Python's choice shows in the toolbar (and the drawn length's extra option goes)
    kernel("roll.note_length = 16")
    page.wait_for_function("(sel) => document.querySelector(sel).value === '16'", arg=f"{ROOT} .jm-length")
    assert "5/16" not in length.inner_text()
    assert kernel("print(roll.error)").strip() == ""

    # downloads are named after the melody's title, made safe for a file name; melody.* without one
    toolbar = page.locator(f"{ROOT} .jm-toolbar").first
    with page.expect_download() as download:
        toolbar.locator(".jm-download").click()
    assert download.value.suggested_filename == "melody.mid"
    kernel("roll.melody = jupymuse.Melody.from_notation('E4:4 D4:4 C4:8', meta={'title': 'Drowsy Maggie: reel/2'})")
    melody_is(kernel, "E4:4 D4:4 C4:8")
    for button, name in ((".jm-download", "Drowsy Maggie reel2.mid"), (".jm-musicxml", "Drowsy Maggie reel2.musicxml")):
        with page.expect_download() as download:
            toolbar.locator(button).click()
        assert download.value.suggested_filename == name


def test_touch_and_pen_draw_move_and_resize_like_the_mouse(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = any_notebook(CELLS)
    roll = Roll(page)
    kernel("roll.melody = jupymuse.Melody(); roll.snap = 1.0")
    page.evaluate(RECORD_POINTERS)
    touch = Touch(page)
    # a touch drag draws one note of the dragged length (and that length becomes the choice)
    touch.drag(roll.at(0.3, 60), roll.at(10.02, 60))
    melody_is(kernel, "C4:10")
    wait_for(kernel, "print(roll.note_length)", "10.0")
    assert page.evaluate("window.__jmPointers") == ["touch"]
    # a tap with no movement is a click: one note of the current length; a tap that trembles too
    kernel("roll.note_length = 4")
    touch.tap(roll.at(12.3, 64))
    melody_is(kernel, "C4:10 r:2 E4:4")
    touch.tap(roll.at(16.3, 65), jitter=4)
    melody_is(kernel, "C4:10 r:2 E4:4 F4:4")
    assert kernel("print(roll.note_length)").strip() == "4.0"  # a tap remembers nothing
    # a finger moves a note by its body and resizes it by its right edge
    touch.drag(roll.at(13.5, 64), roll.at(13.5, 67))
    melody_is(kernel, "C4:10 r:2 G4:4 F4:4")
    touch.drag(roll.at(19.6, 65), roll.at(22.02, 65))
    melody_is(kernel, "C4:10 r:2 G4:4 F4:6")
    # a touch the browser cancels mid-drag (moving C4 up to E4) changes nothing, on the page or in Python
    touch.send("touchStart", roll.at(2, 60))
    touch.send("touchMove", roll.at(2, 62))
    touch.send("touchMove", roll.at(2, 64))
    touch.send("touchCancel")
    melody_is(kernel, "C4:10 r:2 G4:4 F4:6")
    # a pen draws like a mouse; the page sends all its notes with the edit, so C4 still being C4 in
    # Python shows the page put it back after the cancelled touch
    Pen(page).drag(roll.at(22.3, 67), roll.at(24.02, 67))
    melody_is(kernel, "C4:10 r:2 G4:4 F4:6 G4:2")
    assert page.evaluate("window.__jmPointers").count("pen") == 1
    assert kernel("print(roll.error)").strip() == ""


# Colours of the canvas's pixels at the generated note's outline and across two repeated notes.
PIXELS_JS = """
(sel) => {
  const canvas = document.querySelector(sel + ' .jm-canvas');
  const v = JSON.parse(canvas.dataset.view);
  const scale = canvas.width / canvas.clientWidth;
  const ctx = canvas.getContext('2d');
  const px = (x, y) => Array.from(ctx.getImageData(Math.floor(x * scale), Math.floor(y * scale), 1, 1).data);
  const xOf = (step) => Math.round(v.keys + (step - v.step0) * v.pxPerStep);
  const mid = (pitch) => Math.round(v.ruler + (v.pitchTop - pitch) * v.pxPerPitch) + v.pxPerPitch / 2;
  const repeated = [];
  for (let x = xOf(4) - 10; x <= xOf(4) + 8; x++) repeated.push(px(x + 0.5, mid(60)));
  return {
    outline: px(xOf(8) + 0.5, mid(64)),
    inside: px(xOf(8) + 8.5, mid(64)),
    repeated,
    palette: document.querySelector(sel).__jupymusePalette(),
  };
}
"""


def _luminance(rgb: list[float]) -> float:
    def channel(v: float) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: list[float], b: list[float]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(page: Any, css: str) -> list[float]:
    """A CSS colour as the page computes it: [r, g, b] (opaque colours only)."""
    values = page.evaluate(
        "(c) => { const s = document.createElement('span'); s.style.color = c; document.body.append(s);"
        " const v = getComputedStyle(s).color.match(/[\\d.]+/g).map(Number); s.remove(); return v; }",
        css,
    )
    assert len(values) == 3 or values[3] == 1, css
    return [float(v) for v in values[:3]]


@pytest.mark.parametrize("theme", ["Light", "Dark"])
def test_generated_notes_stand_out_and_repeated_notes_are_apart(
    notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], theme: str, tmp_path: Path
) -> None:
    page = notebook(
        [
            "import jupymuse\n"
            "roll = jupymuse.PianoRoll('C4:4 C4:4 E4:4 E4:4 G4:4 E4:4 C4:8', height=240)\n"
            "roll.accent_from = 8\n"  # the notes from step 8 on were generated
            "roll"
        ]
    )
    Roll(page)
    kernel("roll.selected = 6")  # the last note: its outline shows in the screenshots
    try:
        set_theme(page, theme)
        page.wait_for_function(
            """(sel) => {
              const root = document.querySelector(sel);
              const p = root?.__jupymusePalette?.();
              return p && p.background === getComputedStyle(root).getPropertyValue('--jp-layout-color1').trim();
            }""",
            arg=ROOT,
        )
        for width in (800, 1280):
            page.set_viewport_size({"width": width, "height": 700})
            page.wait_for_timeout(300)
            shot = tmp_path / f"roll-{theme.lower()}-{width}.png"
            page.locator(ROOT).first.screenshot(path=str(shot))
            print(f"\nscreenshot: {shot}")
        got = page.evaluate(PIXELS_JS, ROOT)
    finally:
        set_theme(page, "Light")  # the lab's settings outlive this test
    palette = got["palette"]
    background = _rgb(page, palette["background"])
    outline = _rgb(page, palette["accentOutline"])
    # the outline of generated notes: >= 3:1 against the roll, and it is what the canvas painted
    ratio = _contrast(outline, background)
    print(f"{theme}: generated-note outline {palette['accentOutline']} on {palette['background']}: {ratio:.2f}:1")
    assert ratio >= 3
    assert max(abs(a - b) for a, b in zip(got["outline"][:3], outline, strict=True)) <= 2, got["outline"]
    assert _contrast(got["outline"], got["inside"]) > 1.2  # an edge, not the fill
    # two C4 quarter notes in a row: between their insides, at least two columns clearly unlike both
    repeated = got["repeated"]
    first, second = repeated[2], repeated[-2]  # 8 px before the boundary and 6 px after it: inside each note
    apart = [_contrast(p, first) >= 2 and _contrast(p, second) >= 2 for p in repeated]
    runs = "".join("x" if a else "." for a in apart)
    print(f"{theme}: across the two C4s {runs} (first {first}, second {second})")
    assert "xx" in runs, (runs, repeated)
