"""PianoRoll in a real JupyterLab: draw, move, delete, undo with the mouse, then check the kernel's melody.

Also: Play produces signal through the SoundFont synth, a MIDI file opened in the page becomes the
melody, and bad edits from the page leave the melody alone.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jupymuse import Melody

pytestmark = pytest.mark.browser

CELLS = ["import jupymuse\nroll = jupymuse.PianoRoll(height=240)\nroll"]


class Roll:
    """The roll's canvas in the page, addressed in steps and pitches."""

    def __init__(self, page: Any, scope: str = ".jp-NotebookPanel:visible") -> None:
        self.page = page
        self.canvas = page.locator(f"{scope} .jm-canvas").first
        self.canvas.wait_for(state="visible")
        self.page.wait_for_function("document.querySelector('.jm-canvas')?.dataset.view !== undefined")

    def at(self, step: float, pitch: int) -> tuple[float, float]:
        box = self.canvas.bounding_box()
        v = json.loads(self.canvas.get_attribute("data-view"))
        x = v["keys"] + (step - v["step0"]) * v["pxPerStep"]
        y = v["ruler"] + (v["pitchTop"] - pitch) * v["pxPerPitch"] + v["pxPerPitch"] / 2
        return box["x"] + x, box["y"] + y

    def drag(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        self.page.mouse.move(*a)
        self.page.mouse.down()
        self.page.mouse.move((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, steps=3)
        self.page.mouse.move(*b, steps=3)
        self.page.mouse.up()


def wait_for(kernel: Callable[[str], str], code: str, expected: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    got = ""
    while time.monotonic() < deadline:
        got = kernel(code).strip()
        if got == expected:
            return
        time.sleep(0.2)
    raise AssertionError(f"{code!r} printed {got!r}, expected {expected!r}")


def melody_is(kernel: Callable[[str], str], notation: str, code: str = "roll.melody") -> None:
    wait_for(kernel, f"print({code}.to_notation())", notation)


def test_draw_move_delete_undo_reach_python(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = any_notebook(CELLS)
    roll = Roll(page)
    kernel("roll.melody = jupymuse.Melody(); roll.snap = 1.0")
    # three notes drawn by click and drag
    roll.drag(roll.at(0.3, 60), roll.at(4.02, 60))
    melody_is(kernel, "C4:4")
    roll.drag(roll.at(4.3, 62), roll.at(8.02, 62))
    melody_is(kernel, "C4:4 D4:4")
    roll.drag(roll.at(8.3, 64), roll.at(12.02, 64))
    melody_is(kernel, "C4:4 D4:4 E4:4")
    # move the second up three semitones
    roll.drag(roll.at(5.5, 62), roll.at(5.5, 65))
    melody_is(kernel, "C4:4 F4:4 E4:4")
    # delete the third by double-clicking it
    page.mouse.dblclick(*roll.at(10, 64))
    melody_is(kernel, "C4:4 F4:4")
    # undo brings it back, redo removes it again
    page.locator(".jupymuse-roll").first.focus()
    page.keyboard.press("Control+z")
    melody_is(kernel, "C4:4 F4:4 E4:4")
    page.keyboard.press("Control+Shift+z")
    melody_is(kernel, "C4:4 F4:4")
    # a resize from the note's right edge
    roll.drag(roll.at(7.9, 65), roll.at(12.02, 65))
    melody_is(kernel, "C4:4 F4:8")
    assert kernel("print(roll.error)").strip() == ""


def test_play_makes_sound_with_the_soundfont(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = any_notebook([*CELLS, "roll.melody = jupymuse.Melody.from_notation('C4:4 E4:4 G4:4 C5:8', tempo=100)"])
    Roll(page)
    page.locator(".jm-play").first.click()
    wait_for(kernel, "print(roll.audio_status)", "soundfont", timeout=30)
    page.wait_for_function("document.querySelector('.jupymuse-roll').__jupymuseLevel() > 0.001", timeout=10_000)
    assert page.locator(".jm-play").first.inner_text().startswith("■")
    page.locator(".jm-play").first.click()  # stop
    kernel("roll.play()")  # from Python too
    page.wait_for_function("document.querySelector('.jupymuse-roll').__jupymuseLevel() > 0.001", timeout=10_000)
    kernel("roll.stop()")


def test_opening_a_midi_file_and_refusing_bad_input(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], tmp_path: Path
) -> None:
    page = any_notebook(CELLS)
    Roll(page)
    song = tmp_path / "song.mid"
    Melody.from_notation("G4:4 A4:4 B4:8 r:4 D5:4", tempo=96).to_midi(song)
    page.locator(".jm-file").first.set_input_files(str(song))
    melody_is(kernel, "G4:4 A4:4 B4:8 r:4 D5:4")
    wait_for(kernel, "print(roll.tempo, roll.melody.meta['source'])", "96.0 song.mid")
    # a broken file: the melody stays, the page shows why
    broken = tmp_path / "broken.mid"
    broken.write_bytes(b"MThd\x00\x00\x00\x06 this is not music")
    page.locator(".jm-file").first.set_input_files(str(broken))
    page.wait_for_selector(".jm-status.jm-error")
    assert "broken.mid" in page.locator(".jm-status").first.inner_text()
    melody_is(kernel, "G4:4 A4:4 B4:8 r:4 D5:4")


SHOW_ANOTHER = """
async (code) => {
  const app = window.jupyterapp;
  const panel = window.__jmPanel;
  panel.content.activeCellIndex = panel.content.widgets.length - 1;
  await app.commands.execute('notebook:insert-cell-below');
  panel.content.activeCell.model.sharedModel.setSource(code);
  await app.commands.execute('notebook:run-cell');
}
"""

HAS_HOOKS = """[...document.querySelectorAll('.jupymuse-roll')].map(
  (root) => typeof root.__jupymuseFrame === 'function' && typeof root.__jupymuseLevel === 'function'
)"""


def test_test_hooks_only_where_the_page_asks(notebook: Callable[[list[str]], Any]) -> None:
    """The test hooks are installed only when `__jupymuseTestHooks` is true as the roll renders."""
    page = notebook(CELLS)
    Roll(page)
    assert page.evaluate(HAS_HOOKS) == [True]  # the fixtures set the flag before the page loads
    page.evaluate("globalThis.__jupymuseTestHooks = false")  # as on a user's page
    page.evaluate(SHOW_ANOTHER, "jupymuse.PianoRoll('C4:4 E4:4')")
    page.wait_for_function("document.querySelectorAll('.jupymuse-roll .jm-canvas[data-view]').length === 2")
    assert page.evaluate(HAS_HOOKS) == [True, False]


def test_notes_added_from_python_come_into_view(
    notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    """A continuation far past the right edge (as Generate adds) is in view once it arrives."""
    page = notebook([*CELLS, "roll.melody = jupymuse.Melody.from_notation('G4:4 G4:4 D5:4 D5:4')"])
    roll = Roll(page)
    first = json.loads(roll.canvas.get_attribute("data-view"))
    kernel("roll.melody = roll.melody.extend(jupymuse.Melody.from_notation('E5:4 ' * 40 + 'C6:8').shift(16))")
    page.wait_for_function("document.querySelector('.jm-canvas').dataset.notes === '45'")
    view = json.loads(roll.canvas.get_attribute("data-view"))
    last_end = 16 + 4 * 40 + 8
    visible_to = view["step0"] + (view["width"] - view["keys"]) / view["pxPerStep"]
    assert view["step0"] <= 16, view  # the continuation's first note...
    assert visible_to >= last_end, view  # ...and its last are both on the canvas
    assert view["pitchTop"] >= 84, view  # C6 is the top row shown or below it
    assert view != first


def test_a_continuation_right_after_display_is_in_view(
    notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    """Generate right after the Studio appears (before its roll's first full-size paint): still in view."""
    cell = (
        "import jupymuse\nstudio = jupymuse.Studio('markov-1', 'G4:4 A4:4 B4:4', corpus='bach-chorales:pearce185')\n"
        "display(studio)\nstudio.generate(32, n=2, seed=0)\nnone = None"
    )
    page = notebook([cell])
    roll = Roll(page)
    end = int(kernel("print(studio.melody.end)").strip())
    page.wait_for_function(
        f"document.querySelector('.jm-canvas').dataset.notes === '{kernel('print(len(studio.melody))').strip()}'"
    )
    page.wait_for_timeout(300)  # a paint or two after the notes arrived
    view = json.loads(roll.canvas.get_attribute("data-view"))
    visible_to = view["step0"] + (view["width"] - view["keys"]) / view["pxPerStep"]
    assert view["step0"] <= 12, view  # the continuation starts at 12...
    assert visible_to >= end, view  # ...and ends in view
    assert visible_to <= 3 * end, view  # zoomed to the music, not far out
