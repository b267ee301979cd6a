"""The roll is readable in JupyterLab's Light and Dark themes: WCAG contrast of its text, measured in the page.

For the toolbar's labels and controls, the status line (an error from Python, and plain text),
the shortcuts popover, and the canvas's palette of the last paint (labels on the keys and the
ruler), every ratio must be at least 4.5 (WCAG AA for normal text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CELLS = ['import jupymuse\nroll = jupymuse.PianoRoll("C4:4 E4:4 G4:4")\nroll']
AA = 4.5

# Helpers evaluated in the page: colour parsing, alpha compositing, WCAG luminance and contrast.
CONTRAST_JS = """
() => {
  const probe = document.createElement('span');
  document.body.append(probe);
  const rgba = (css) => {
    probe.style.color = '';
    probe.style.color = css;
    const m = getComputedStyle(probe).color.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat([1]);
  };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (fg, bg) => {
    const [a, b] = [lum(over(fg, bg)), lum(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const background = (el) => {
    // walk up until an opaque background; composite any translucent ones on the way
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const out = {};
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
