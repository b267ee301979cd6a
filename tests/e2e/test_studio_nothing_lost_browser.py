"""Nothing is replaced without the student choosing it (issue 20, points 1 and 5), in a real browser
(JupyterLab 4 and Notebook 7): a selected note does not change what Generate continues; "Continue from
here" replaces the notes after it, says so, and Undo brings them back; a Generate while browsing
replaces the candidates and never accepts one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .test_piano_roll_browser import Roll, melody_is, wait_for
from .test_studio_browser import button
from .test_studio_history_browser import idle

pytestmark = pytest.mark.browser

MELODY = "C4:4 D4:4 E4:4 F4:4 G4:4 A4:4 B4:4 C5:4 B4:4 A4:4 G4:4 F4:4 E4:4 D4:4"  # 14 notes
CELLS = [
    "import jupymuse\n"
    f"studio = jupymuse.Studio(melody={MELODY!r})\n"  # the shipped GRU, on the numpy engine
    "studio.length.value = 8; studio.n.value = 2\n"
    "studio"
]


def test_generate_keeps_every_note_and_continue_from_here_is_a_visible_choice(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = any_notebook(CELLS)
    roll = Roll(page, scope=".jupymuse-studio")
    roll.canvas.scroll_into_view_if_needed()
    continue_button = button(page, "Continue from here")
    assert continue_button.is_disabled()  # nothing selected: nothing to continue from
    page.mouse.click(*roll.at(10, 64))  # the 3rd note, E4 (steps 8-12)
    wait_for(kernel, "print(studio.roll.selected, studio.controller.selected)", "2 2")
    # Generate continues after the last note, whatever is selected: all 14 notes stay
    button(page, "Generate").click()
    idle(kernel)
    generated = kernel("print(studio.melody.to_notation())").strip()
    assert generated.startswith(MELODY + " ")
    button(page, "Undo").click()
    melody_is(kernel, MELODY, code="studio.melody")
    # Continue from here is the explicit choice: its tooltip says what it replaces, the status what it did
    kernel("studio.roll.selected = 2")  # the same note again (as the page would send it)
    wait_for(kernel, "print(not studio.continue_button.disabled)", "True")
    tooltip = kernel("print(studio.continue_button.tooltip)").strip()
    assert tooltip.startswith("Replace the 11 notes after note 3 with a new continuation")
    continue_button.click()
    idle(kernel)
    continued = kernel("print(studio.melody.to_notation())").strip()
    assert continued.startswith("C4:4 D4:4 E4:4 ")
    assert not continued.startswith(MELODY)
    status = page.locator(".jupymuse-studio").first.inner_text()
    assert "Continued from note 3: the 11 notes after it are replaced (Undo brings them back)." in status
    button(page, "Undo").click()
    melody_is(kernel, MELODY, code="studio.melody")  # every replaced note is back


def test_generate_while_browsing_replaces_the_candidates(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    """The documented rule (``studio/history.py``): a Generate while candidates are browsed replaces them
    after the same notes and never accepts the one shown; Undo shows them again; Accept then Undo gives
    back the notes before the Generate."""
    page = any_notebook(CELLS)
    Roll(page, scope=".jupymuse-studio").canvas.scroll_into_view_if_needed()
    shown = "studio.candidates[studio.controller.index]"
    follows = f"print(studio.melody == jupymuse.Melody.from_notation({MELODY!r}).then({shown}))"
    button(page, "Generate").click()
    idle(kernel)
    first = kernel("print(studio.candidates[1].to_notation())").strip()
    button(page, "▶").click()
    wait_for(kernel, follows, "True")
    kernel("studio.seed.value = 7")
    button(page, "Generate").click()
    idle(kernel)
    wait_for(kernel, "print(studio.controller.index)", "0")
    wait_for(kernel, follows, "True")  # the 14 notes and the new candidate: nothing accepted on the way
    button(page, "Undo").click()
    wait_for(kernel, "print(studio.controller.index, studio.candidates[1].to_notation())", f"1 {first}")
    wait_for(kernel, follows, "True")
    button(page, "Accept").click()
    wait_for(kernel, "print(len(studio.candidates))", "0")
    button(page, "Undo").click()
    melody_is(kernel, MELODY, code="studio.melody")
