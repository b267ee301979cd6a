"""Fill in a real browser (JupyterLab, Light and Dark): select a span with the pointer (a click, then
Shift+click on a later note; a drag on the ruler), Fill, Accept, Undo; and an ABC tune pasted into the
Studio's "Open ABC" box. Screenshots of Fill's candidates at 800 and 1280 px go to
``$JUPYMUSE_SCREENSHOTS`` when it is set (``docs/images/studio-fill-*.png``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .test_piano_roll_browser import Roll, melody_is, wait_for
from .test_studio_browser import button
from .test_themes_browser import set_theme

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("JUPYMUSE_SCREENSHOTS", "")
TUNE = "G4:4 G4:4 D5:4 D5:4 E5:4 E5:4 D5:8 C5:4 C5:4 B4:4 B4:4 A4:4 A4:4 G4:8"
"""Four bars of 4/4: bar 2 (steps 16-32) is E5 E5 D5:8."""
CELLS = [f"import jupymuse\nstudio = jupymuse.Studio('default', {TUNE!r})\nstudio.n.value = 3\nstudio"]
STUDIO = ".jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-studio"


def idle(kernel: Callable[[str], str]) -> None:
    """Wait until the job a click started has finished (Cancel is offered only while it runs)."""
    time.sleep(0.3)
    wait_for(kernel, "print(studio.cancel_button.disabled)", "True", timeout=60)


def themed(page: Any) -> None:
    """Wait until the roll has painted in the theme's colours (the theme's change is over)."""
    page.wait_for_function(
        """(sel) => {
          const root = document.querySelector(sel);
          const p = root?.__jupymusePalette?.();
          return p && p.background === getComputedStyle(root).getPropertyValue('--jp-layout-color1').trim();
        }""",
        arg=f"{STUDIO} .jupymuse-roll",
    )
    page.wait_for_timeout(500)


def select_bar_2(page: Any, roll: Roll) -> None:
    """A click on bar 2's first note, then Shift+click on its last: every note between is selected."""
    page.mouse.click(*roll.at(17, 76))  # E5 at step 16
    page.keyboard.down("Shift")
    page.mouse.click(*roll.at(26, 74))  # D5:8 at step 24
    page.keyboard.up("Shift")


def ruler(roll: Roll, step: float) -> tuple[float, float]:
    """The point on the ruler above ``step``."""
    x, _ = roll.at(step, 60)
    box = roll.canvas.bounding_box()
    return x, box["y"] + 8


@pytest.mark.parametrize("theme", ["Light", "Dark"])
def test_select_a_span_fill_accept_undo_and_paste_abc(
    notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], theme: str
) -> None:
    page = notebook(CELLS)
    roll = Roll(page, scope=".jupymuse-studio")
    roll.canvas.scroll_into_view_if_needed()
    try:
        set_theme(page, theme)
        themed(page)
        assert page.locator(f"{STUDIO} button", has_text="Fill").first.is_disabled()  # nothing selected yet
        select_bar_2(page, roll)
        wait_for(kernel, "print(studio.controller.span)", "(16, 32)")
        assert roll.canvas.get_attribute("data-selection") == "16,32"
        button(page, "Fill").click()
        idle(kernel)
        wait_for(kernel, "print(studio.roll.accent_from, studio.roll.accent_to)", "16 32")
        kept = "print([n for n in studio.melody.notes if not 16 <= n.start < 32] == "
        kept += f"[n for n in jupymuse.Melody.from_notation({TUNE!r}).notes if not 16 <= n.start < 32])"
        assert kernel(kept).strip() == "True"
        assert "Fill bar 2: 3 candidates" in page.locator(STUDIO).first.inner_text()
        _screenshots(page, theme)
        button(page, "Accept").click()
        wait_for(kernel, "print(len(studio.candidates))", "0")
        button(page, "Undo").click()
        melody_is(kernel, TUNE, "studio.melody")
        # a drag on the ruler selects the steps under it, snapped to the grid
        roll.drag(ruler(roll, 32.4), ruler(roll, 47.6))
        wait_for(kernel, "print(studio.controller.span)", "(32, 48)")
        # an ABC tune pasted into the Studio's box becomes the melody, one Undo step
        button(page, "More").click()
        page.locator(f"{STUDIO} textarea").first.fill("X:1\nT:Pasted\nM:3/4\nL:1/4\nK:D\nDFA|d2A|]\n")
        button(page, "Open ABC").click()
        melody_is(kernel, "D4:4 F#4:4 A4:4 D5:8 A4:4", "studio.melody")
        assert "Opened the pasted tune: 5 notes, 2 bars." in page.locator(STUDIO).first.inner_text()
        button(page, "Undo").click()
        melody_is(kernel, TUNE, "studio.melody")
    finally:
        set_theme(page, "Light")  # the lab's settings outlive this test


def _screenshots(page: Any, theme: str) -> None:
    """The Studio with Fill's first candidate shown, at 800 and 1280 px, into ``$JUPYMUSE_SCREENSHOTS``."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (800, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(400)
        page.locator(STUDIO).first.scroll_into_view_if_needed()
        shot = Path(SHOTS) / f"studio-fill-{theme.lower()}-{width}.png"
        page.locator(STUDIO).first.screenshot(path=str(shot))
