"""The Studio's why-views in a real browser (issue 20, points 8 and 9), in JupyterLab 4 and Notebook 7, Light
and Dark, at 800 and 1280 px.

The Markov heatmap (order 1 and order 3): every label drawn at 11 px or more on the screen, no label's box
meets another's or the grid, every label inside the picture, axis titles and a legend in percent, and the
contrast measured from the page's computed colours: 3:1 or more for each shaded cell and legend swatch,
4.5:1 or more for each text, against the background the picture is drawn on. Screenshots of the heatmap go
to ``$JUPYMUSE_SCREENSHOTS`` (else the test's tmp dir).

One surprise: a note clicked on the roll with "Shade surprise" on, the why-view names its surprise with the
figure the roll shades it with (the float32 value the page holds, written by JavaScript's ``toFixed(1)``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .contrast import WCAG_JS
from .test_piano_roll_browser import Roll, wait_for
from .test_themes_browser import set_theme

pytestmark = pytest.mark.browser

MELODY = "G4:4 A4:4 B4:4 C5:4 A4:4 G4:8 E4:4 F#4:4 G4:8"
CELLS = [
    "import jupymuse, json\n"
    "import numpy as np\n"
    f"studio = jupymuse.Studio('markov-1', {MELODY!r}, corpus='bach-chorales:pearce185')\n"
    "studio.explain()\n"
    "studio"
]
HEATMAP = ".jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-studio .jm-heatmap"

MEASURE = (
    """
(sel) => {
"""
    + WCAG_JS
    + """  const svg = document.querySelector(sel);
  const box = svg.getBoundingClientRect();
  const scale = svg.getScreenCTM().a;  // screen px per unit of the picture (1 unless scaled down)
  const texts = [...svg.querySelectorAll('text')];
  const rects = texts.map((t) => t.getBoundingClientRect());
  const name = (i) => `${texts[i].getAttribute('class')} "${texts[i].textContent}"`;
  const meet = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  const overlaps = [];
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) if (meet(rects[i], rects[j])) overlaps.push(`${name(i)} / ${name(j)}`);
  }
  const grid = svg.querySelector('.jm-grid').getBoundingClientRect();
  const onGrid = rects.map((r, i) => (meet(r, grid) ? name(i) : null)).filter(Boolean);
  const outside = rects
    .map((r, i) => (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1
      ? name(i) : null))
    .filter(Boolean);
  const bg = background(svg);
  const cells = [...svg.querySelectorAll('.jm-cell, .jm-swatch')].map((r) => {
    const fill = rgba(getComputedStyle(r).fill);
    const opacity = parseFloat(getComputedStyle(r).fillOpacity);
    return ratio([fill[0], fill[1], fill[2], fill[3] * opacity], bg);
  });
  const textRatios = texts.map((t) => ratio(rgba(getComputedStyle(t).fill), bg));
  probe.remove();
  return {
    scale,
    fonts: texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale),
    glyphs: rects.filter((r, i) => texts[i].getAttribute('class') === 'jm-row-label').map((r) => r.height),
    overlaps, onGrid, outside, cells, textRatios,
    titles: [...svg.querySelectorAll('.jm-axis-title')].map((t) => t.textContent),
    legend: [...svg.querySelectorAll('.jm-legend-text')].map((t) => t.textContent),
    rows: [...svg.querySelectorAll('.jm-row-label')].map((t) => t.textContent),
    swatches: svg.querySelectorAll('.jm-swatch').length,
    background: bg,
    scrolls: svg.parentElement.scrollWidth > svg.parentElement.clientWidth + 1,
    reach: svg.parentElement.scrollWidth - box.width,
    inside: svg.parentElement.getBoundingClientRect().right
      <= svg.closest('.jupymuse-studio').getBoundingClientRect().right + 1,
    width: box.width,
    studio: svg.closest('.jupymuse-studio').clientWidth,
  };
}
"""
)


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("JUPYMUSE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_heatmap(page: Any, order: int, theme: str, width: int) -> dict[str, Any]:
    seen: dict[str, Any] = page.evaluate(MEASURE, HEATMAP)
    report = json.dumps({k: v for k, v in seen.items() if k not in ("cells", "textRatios", "fonts", "glyphs", "rows")})
    where = f"order {order}, {theme}, {width} px: {report}"
    assert seen["inside"], where  # never past the studio's edge: a table wider than the page scrolls in its box
    assert seen["reach"] >= -1, where  # and scrolling reaches all of it
    assert min(seen["fonts"]) >= 11, where  # "Markov heatmap label font >= 11 px", as drawn on the screen
    assert min(seen["glyphs"]) >= 11, where
    assert seen["overlaps"] == [], where
    assert seen["onGrid"] == [], where
    assert seen["outside"] == [], where
    assert seen["titles"] == [
        "next note \u2192",
        ("previous note" if order == 1 else f"previous {order} notes") + " \u2193",
    ]
    assert seen["swatches"] == 6, where
    assert any("chance of the next note" in t for t in seen["legend"]), where
    assert [t for t in seen["legend"] if t.endswith("%")] == ["1%", "5%", "10%", "25%", "50%", "100%"], where
    assert len(seen["cells"]) > 6, where
    assert min(seen["cells"]) >= 3, (where, sorted(seen["cells"])[:5])
    assert min(seen["textRatios"]) >= 4.5, (where, sorted(seen["textRatios"])[:5])
    return seen


def _show_order(page: Any, kernel: Callable[[str], str], order: int) -> None:
    label = f"Markov order {order}"
    kernel(f"studio.model_picker.value = {label!r}")  # fitted in a worker, then explained
    title = "previous note \u2193" if order == 1 else f"previous {order} notes \u2193"
    page.wait_for_function(
        "([sel, want]) => [...(document.querySelector(sel)?.querySelectorAll('.jm-axis-title') ?? [])]"
        ".some((t) => t.textContent === want)",
        arg=[HEATMAP, title],
        timeout=120_000,
    )


@pytest.mark.parametrize("theme", ["Light", "Dark"])
def test_the_heatmap_is_readable_and_the_why_view_shows_the_shaded_surprise(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], theme: str, tmp_path: Path
) -> None:
    page = any_notebook(CELLS)
    page.locator(HEATMAP).first.wait_for(state="visible", timeout=120_000)
    app = "lab" if "/lab/" in page.url else "notebook7"
    shots = _shots(tmp_path)
    try:
        set_theme(page, theme)
        for order in (1, 3):
            _show_order(page, kernel, order)
            for width in (1280, 800):
                page.set_viewport_size({"width": width, "height": 900})
                page.wait_for_timeout(400)  # the notebook lays out again
                _check_heatmap(page, order, theme, width)
                box = page.locator(f"{HEATMAP.removesuffix('.jm-heatmap')}.jm-heatmap-box").first
                box.scroll_into_view_if_needed()
                box.screenshot(  # what the page shows: the box scrolls a table wider than the studio
                    path=str(shots / f"heatmap-{app}-order{order}-{theme}-{width}.png")
                )
        # one surprise: click the 4th note (C5) with the shading on; the why-view says the roll's figure
        page.set_viewport_size({"width": 1280, "height": 900})
        kernel("studio.surprise.value = True")
        wait_for(kernel, "print(len(studio.roll.shading) // 4)", str(len(MELODY.split())), timeout=60)
        roll = Roll(page, scope=".jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-studio")
        roll.canvas.scroll_into_view_if_needed()
        page.mouse.click(*roll.at(14, 72))  # C5: steps 12-16
        wait_for(kernel, "print(studio.controller.selected)", "3", timeout=30)
        value = float(kernel("print(repr(float(np.frombuffer(studio.roll.shading, '<f4')[3])))"))
        want = page.evaluate("(v) => v.toFixed(1)", value)  # the roll's figure for the note
        strip = ".jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-studio .jm-strip .jm-strip-line"
        page.wait_for_function(
            "(sel) => document.querySelector(sel)?.textContent.startsWith('Surprise of note 4')", arg=strip
        )
        line = page.locator(strip).first.text_content()
        assert line == f"Surprise of note 4 (C5): {want} bits, as shaded on the roll"
        split = page.locator(strip).nth(1).text_content()
        assert re.fullmatch(
            r"= \d+\.\d bits for its pitch \(\d+\.\d%, (orange bar|not among the bars)\) \+ \d+\.\d for its length",
            split,
        )
        legend = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-studio .jm-legend").first.text_content()
        assert "P(pitch and length)" in legend
        assert "temperature does not change it" in legend
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-studio .jm-strip").first.screenshot(
            path=str(shots / f"why-{app}-{theme}.png")
        )
    finally:
        set_theme(page, "Light")  # the server's settings outlive this test
