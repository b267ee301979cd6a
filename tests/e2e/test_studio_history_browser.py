"""The Studio's one history in a real browser (JupyterLab 4 and Notebook 7): Generate -> Accept ->
Undo gives the primer back, Redo brings the result back, Ctrl+Z on the roll walks the same history,
a note drawn while a Generate runs is kept, and there is one status line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from .test_piano_roll_browser import Roll, melody_is, wait_for
from .test_studio_browser import button

pytestmark = pytest.mark.browser

PRIMER = "G4:4 B4:4"
CELLS = [
    "import time, jupymuse\n"
    "kinder = list(jupymuse.load_corpus('essen:kinder', progress=False))[:40]\n"
    "markov = jupymuse.MarkovModel(1).fit(kinder)\n"
    "class Slow:\n"
    "    '''The Markov chain, but every Generate takes `delay` seconds (time to draw meanwhile).'''\n"
    "    def __init__(self, model): self.model, self.delay, self.name = model, 0.0, 'slow Markov'\n"
    "    def generate(self, *args, **kwargs):\n"
    "        time.sleep(self.delay)\n"
    "        return self.model.generate(*args, **kwargs)\n"
    "    def __getattr__(self, name): return getattr(self.model, name)\n"
    "slow = Slow(markov)\n"
    f"studio = jupymuse.Studio(slow, {PRIMER!r})\n"
    "studio.length.value = 8; studio.n.value = 2\n"
    "studio"
]


def idle(kernel: Callable[[str], str]) -> None:
    """Wait until the Generate started by a click has finished (Cancel is offered only while it runs)."""
    time.sleep(0.3)
    wait_for(kernel, "print(studio.cancel_button.disabled)", "True", timeout=60)


def test_one_history_for_generate_accept_edits_and_keys(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = any_notebook(CELLS)
    roll = Roll(page, scope=".jupymuse-studio")
    roll.canvas.scroll_into_view_if_needed()
    # one status line: the roll's own is hidden inside the Studio
    assert page.locator(".jupymuse-studio .jm-status").first.is_hidden()
    # Generate -> Accept -> Undo gives the primer back; Redo brings the accepted result back
    button(page, "Generate").click()
    idle(kernel)
    generated = kernel("print(studio.melody.to_notation())").strip()
    assert generated.startswith(PRIMER)
    assert generated != PRIMER
    button(page, "Accept").click()
    wait_for(kernel, "print(len(studio.candidates))", "0")
    button(page, "Undo").click()
    melody_is(kernel, PRIMER, code="studio.melody")
    assert "Undone: Generate" in page.locator(".jupymuse-studio").first.inner_text()
    button(page, "Redo").click()
    melody_is(kernel, generated, code="studio.melody")
    # an edit on the roll is a step of the same history, and Ctrl+Z on the roll walks it
    kernel("studio.melody = jupymuse.Melody.from_notation('G4:4 B4:4')")
    melody_is(kernel, PRIMER, code="studio.roll.melody")
    roll.canvas.scroll_into_view_if_needed()
    roll.drag(roll.at(8.3, 74), roll.at(12.02, 74))
    melody_is(kernel, f"{PRIMER} D5:4", code="studio.melody")
    page.locator(".jupymuse-studio .jupymuse-roll").first.focus()
    page.keyboard.press("Control+z")  # the drawn note
    melody_is(kernel, PRIMER, code="studio.melody")
    page.keyboard.press("Control+z")  # the melody set from Python
    melody_is(kernel, generated, code="studio.melody")
    page.keyboard.press("Control+Shift+z")
    page.keyboard.press("Control+Shift+z")
    melody_is(kernel, f"{PRIMER} D5:4", code="studio.melody")
    assert not page.locator(".jupymuse-studio button", has_text="Undo").first.is_disabled()


def test_a_note_drawn_while_generating_is_kept(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = any_notebook(CELLS)
    roll = Roll(page, scope=".jupymuse-studio")
    roll.canvas.scroll_into_view_if_needed()
    kernel("slow.delay = 4.0")
    button(page, "Generate").click()
    wait_for(kernel, "print(studio.cancel_button.disabled)", "False")  # it runs
    roll.drag(roll.at(8.3, 74), roll.at(12.02, 74))  # meanwhile a note is drawn
    melody_is(kernel, f"{PRIMER} D5:4", code="studio.melody")
    idle(kernel)
    melody_is(kernel, f"{PRIMER} D5:4", code="studio.melody")  # the result did not overwrite it
    assert kernel("print(len(studio.candidates))").strip() == "0"
    status = page.locator(".jupymuse-studio").first.inner_text()
    assert "The melody changed while generating: press Generate again." in status
    page.wait_for_function("Number(document.querySelector('.jupymuse-studio .jm-canvas').dataset.notes) === 3")
