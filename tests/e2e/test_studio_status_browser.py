"""One status line that is true (issue 20, point 6), in a real browser (JupyterLab 4 and Notebook 7): a
Markov chain fitted in the background after the student chose the GRU again leaves the Generate's line
alone; a MIDI file opened on the Studio's roll is said ("Opened song.mid: 5 notes, 3 bars.") and is one
step of Undo; a line that names buttons ("Accept or Regenerate") is shown while they are enabled.
Screenshots of the line in Light and Dark at 800 and 1280 px go to ``$JUPYMUSE_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jupymuse import Melody

from .test_piano_roll_browser import Roll, melody_is, wait_for
from .test_studio_browser import button
from .test_themes_browser import set_theme

pytestmark = pytest.mark.browser

MELODY = "C4:4 D4:4 E4:4 F4:4 G4:4 A4:4 B4:4 C5:4"
CELLS = [
    "import jupymuse\n"
    f"studio = jupymuse.Studio(melody={MELODY!r})\n"  # the shipped GRU; the Markov chains on Bach chorales
    "studio.length.value = 8; studio.n.value = 1\n"
    "studio"
]
SHOTS = os.environ.get("JUPYMUSE_SCREENSHOTS", "")

# choose Markov order 1 (its fit starts in a worker), come back to the GRU while it is fitted, Generate
FIT_THEN_GENERATE = """
import threading, time
studio.model_picker.value = "Markov order 1"
deadline = time.monotonic() + 10
while not any(t.name == "jupymuse-fitting" for t in threading.enumerate()) and time.monotonic() < deadline:
    time.sleep(0.01)
studio.model_picker.value = "GRU (shipped default)"
studio.generate()
studio.wait()
print("Markov order 1" in studio.controller.models())
"""


def status(page: Any) -> str:
    return str(page.locator(".jupymuse-studio .jm-status-text").first.inner_text())


def test_status_says_the_last_action_not_a_background_fit_and_names_an_opened_file(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], tmp_path: Path
) -> None:
    page = any_notebook(CELLS)
    roll = Roll(page, scope=".jupymuse-studio")
    roll.canvas.scroll_into_view_if_needed()
    # (a) the fit ended after the Generate: the line still says what the student did last
    assert kernel(FIT_THEN_GENERATE).strip() == "True"  # the chain was fitted, in the background
    page.wait_for_function(
        "document.querySelector('.jupymuse-studio .jm-status-text')?.innerText.includes('1 candidate from GRU')"
    )
    line = status(page)
    assert "fitted" not in line
    assert "Markov" not in line
    # (c) the line names Accept and Regenerate (enabled), not the browse buttons (disabled: one candidate)
    assert line.endswith(": Accept or Regenerate.")
    assert button(page, "Accept").is_enabled()
    assert button(page, "Regenerate").is_enabled()
    assert button(page, "▶").is_disabled()
    button(page, "Accept").click()
    wait_for(kernel, "print(studio.candidates)", "[]")
    # (b) a file opened on the roll: said, and one step of Undo
    song = tmp_path / "song.mid"
    Melody.from_notation("G4:4 A4:4 B4:8 r:4 D5:4 E5:16", tempo=96).to_midi(song)
    page.locator(".jupymuse-studio .jm-file").first.set_input_files(str(song))
    melody_is(kernel, "G4:4 A4:4 B4:8 r:4 D5:4 E5:16", code="studio.melody")
    page.wait_for_function(
        "document.querySelector('.jupymuse-studio .jm-status-text')?.innerText.includes('Opened song.mid')"
    )
    assert "Opened song.mid: 5 notes, 3 bars." in status(page)
    assert kernel("print(studio.undo_button.tooltip)").startswith("Undo open song.mid")
    if SHOTS:
        _screenshots(page, Path(SHOTS), kernel("print(studio.roll.melody.meta['source'])").strip())
    button(page, "Undo").click()
    wait_for(kernel, "print(len(studio.melody) > 8, 'song.mid' in studio.undo_button.tooltip)", "True False")


def _screenshots(page: Any, folder: Path, name: str) -> None:
    """The Studio's status line after the file opened, Light and Dark, 800 and 1280 px (JupyterLab only)."""
    if not page.evaluate("Boolean(window.jupyterapp?.commands.hasCommand('apputils:change-theme'))"):
        return
    folder.mkdir(parents=True, exist_ok=True)
    for theme in ("Light", "Dark"):
        set_theme(page, theme)
        for width in (800, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(400)
            page.locator(".jupymuse-studio .jm-status-text").first.scroll_into_view_if_needed()
            page.screenshot(path=str(folder / f"status_{name}_{theme.lower()}_{width}.png"))
    set_theme(page, "Light")
