"""The Studio fits a narrow notebook: at 800, 1024 and 1280 px no control is cut or scrolls sideways.

Measured in the page, in JupyterLab (its file browser open, so the studio is narrower than the
window): a box that hides or scrolls what does not fit is how "Model" once read "lodel".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "import jupymuse\n"
    "studio = jupymuse.Studio('markov-1', 'G4:4 A4:4 B4:4', corpus='bach-chorales:pearce185')\n"
    "studio.generate(8, n=4, seed=1)\n"
    "studio.explain()\n"
    "studio.more_open = True\n"  # every control shown: the first row and More
    "studio"
]

MEASURE = """
() => {
  const studio = document.querySelector('.jupymuse-studio');
  const name = (el) => (el.className && typeof el.className === 'string' ? el.className : el.tagName)
    + ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
  const clipped = [];
  for (const el of studio.querySelectorAll('*')) {
    // pictures scale; hidden tabs are not seen; the heatmap's box scrolls a wide table on purpose
    if (el.closest('svg') || el.classList.contains('jm-heatmap-box') || el.offsetParent === null) continue;
    const o = getComputedStyle(el);
    const boxes = [o.overflowX, o.overflow].some((v) => ['hidden', 'auto', 'scroll', 'clip'].includes(v));
    if (boxes && el.scrollWidth > el.clientWidth + 1) clipped.push(name(el) + ` ${el.scrollWidth}>${el.clientWidth}`);
  }
  const cut = [...studio.querySelectorAll('button')]
    .filter((b) => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
    .map((b) => name(b) + ` ${b.scrollWidth}>${b.clientWidth}`);
  const label = studio.querySelector('.jm-candidate-label');
  const range = document.createRange();
  range.selectNodeContents(label.querySelector('.widget-html-content') || label);
  return {
    width: studio.clientWidth,
    studio: studio.scrollWidth <= studio.clientWidth + 1,
    clipped, cut,
    counter: label.textContent.trim(),
    counterLines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size,
    temperature: [...studio.querySelectorAll('.widget-hslider')]
      .find((s) => s.querySelector('label')?.textContent.trim() === 'Temperature')
      ?.querySelector('.slider-container')?.getBoundingClientRect().width,
  };
}
"""


def test_studio_controls_fit_at_800_1024_and_1280_px(
    notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = notebook(CELLS)
    page.wait_for_selector(".jupymuse-studio .jm-candidate-label >> text=1 / 4")
    page.wait_for_selector(".jupymuse-studio .jm-heatmap")
    for width in (1280, 1024, 800):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(400)  # the notebook lays out again
        seen = page.evaluate(MEASURE)
        report = json.dumps(seen)
        assert seen["clipped"] == [], report
        assert seen["cut"] == [], report
        assert seen["studio"], report
        assert seen["counter"] == "1 / 4", report
        assert seen["counterLines"] == 1, report
        assert seen["temperature"] >= 180, report
        assert seen["width"] < width, report
    assert kernel("print(studio.candidate_label.value)").strip() == "1 / 4"
