"""The roll is readable in JupyterLab's Light and Dark themes: WCAG contrast of its text, measured in the page.

For the toolbar's labels and controls, the status line (an error from Python, and plain text),
the shortcuts popover, and the canvas's palette of the last paint (labels on the keys and the
ruler), every ratio must be at least 4.5 (WCAG AA for normal text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .contrast import WCAG_JS

pytestmark = pytest.mark.browser

CELLS = ['import jupymuse\nroll = jupymuse.PianoRoll("C4:4 E4:4 G4:4")\nroll']
AA = 4.5

# Helpers evaluated in the page: colour parsing, alpha compositing, WCAG luminance and contrast.
CONTRAST_JS = (
    """
() => {
"""
    + WCAG_JS
    + """  const out = {};
  const root = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-roll');
  const pick = {
    toolbar: ['label', '> span', 'button', 'select', 'input[type=number]'].map((s) => `.jm-toolbar ${s}`).join(','),
    status: '.jm-status',
    popover: '.jm-popover strong, .jm-popover td',
  };
  for (const [part, sel] of Object.entries(pick)) {
    out[part] = [...root.querySelectorAll(sel)].map((el) => ratio(rgba(getComputedStyle(el).color), background(el)));
  }
  const p = root.__jupymusePalette();
  const text = rgba(p.text);
  out.canvas = [p.keyWhite, p.ruler, p.background].map((bg) => ratio(text, rgba(bg)));
  probe.remove();
  return out;
}
"""
)


def set_theme(page: Any, theme: str) -> None:
    """Switch JupyterLab to ``theme`` ("Light" or "Dark") and wait until it is applied."""
    page.evaluate(f"window.jupyterapp.commands.execute('apputils:change-theme', {{theme: 'JupyterLab {theme}'}})")
    page.wait_for_function(f"document.body.dataset.jpThemeLight === '{str(theme == 'Light').lower()}'")


@pytest.mark.parametrize("theme", ["Light", "Dark"])
def test_roll_text_contrast(notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], theme: str) -> None:
    page = notebook(CELLS)
    root = ".jp-NotebookPanel:visible .jupymuse-roll"
    page.locator(f"{root} .jm-canvas").first.wait_for(state="visible")
    try:
        set_theme(page, theme)
        # the canvas repaints with the theme's colours: its palette's text is the theme's text colour
        page.wait_for_function(
            """(sel) => {
              const root = document.querySelector(sel);
              const p = root?.__jupymusePalette?.();
              const want = getComputedStyle(root).getPropertyValue('--jp-ui-font-color1').trim();
              return p && p.text === want;
            }""",
            arg=".jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-roll",
        )
        page.locator(f"{root} .jm-help").first.click()
        page.locator(f"{root} .jm-popover").first.wait_for(state="visible")
        kernel("roll.error = 'that edit was refused'")
        page.wait_for_function("document.querySelector('.jm-status.jm-error')?.textContent.length > 0")
        error = page.evaluate(CONTRAST_JS)
        page.evaluate(
            "() => { const s = document.querySelector('.jm-status'); s.classList.remove('jm-error');"
            " s.textContent = 'Sound: fallback'; }"
        )
        plain = page.evaluate(CONTRAST_JS)
    finally:
        set_theme(page, "Light")  # the lab's settings outlive this test
    ratios = {**plain, "status (error)": error["status"]}
    print(f"\n{theme}: " + ", ".join(f"{k} min {min(v):.2f} ({len(v)})" for k, v in ratios.items()))
    for part, values in ratios.items():
        assert values, part
        assert min(values) >= AA, (theme, part, values)
