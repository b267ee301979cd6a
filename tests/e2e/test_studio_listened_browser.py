"""What the model listened to, in a real JupyterLab (issue 23, point 4), Light and Dark, at 800 and 1280 px.

A note clicked on the Studio's roll gets arcs from the notes the shipped GRU listened to: the page draws
the sources Python sent (the canvas's ``data-listened``), the arcs' colours are on the canvas and stand
3:1 or more from the roll's background, and the "Why this note?" tab says the top contributions. Then
"Shade style evidence": the notes take the evidence colours, the legend names the style and the totals,
and its text stands 4.5:1 or more from its background. Screenshots go to ``$JUPYMUSE_SCREENSHOTS``
(``docs/images`` for the README), else the test's tmp dir.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .contrast import WCAG_JS
from .test_piano_roll_browser import Roll, wait_for
from .test_studio_fill_browser import themed
from .test_themes_browser import set_theme

pytestmark = pytest.mark.browser

TUNE = "G4:4 G4 D5 D5 E5 E5 D5:8 C5:4 C5 B4 B4 A4 A4 G4:8"
CELLS = [f"import jupymuse, json\nstudio = jupymuse.Studio(melody={TUNE!r})\nstudio"]
STUDIO = ".jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-studio"

CANVAS = """
(sel) => {
  const canvas = document.querySelector(sel + ' .jm-canvas');
  const root = canvas.closest('.jupymuse-roll');
  const p = root.__jupymusePalette();
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const probe = document.createElement('canvas').getContext('2d');
  const rgb = (css) => {
    probe.fillStyle = css;
    probe.fillRect(0, 0, 1, 1);
    return [...probe.getImageData(0, 0, 1, 1).data];
  };
  const count = (css) => {
    const [r, g, b] = rgb(css);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r) < 4 && Math.abs(data[i + 1] - g) < 4 && Math.abs(data[i + 2] - b) < 4) n++;
    }
    return n;
  };
  return { palette: p, pitch: count(p.pitchArc), rhythm: count(p.rhythmArc), listened: canvas.dataset.listened };
}
"""

LEGEND = (
    """
(sel) => {
"""
    + WCAG_JS
    + """  const legend = document.querySelector(sel + ' .jm-evidence');
  const bg = background(legend);
  const text = ratio(rgba(getComputedStyle(legend).color), bg);
  probe.remove();
  return { text, words: legend.textContent, shown: legend.getBoundingClientRect().height > 0 };
}
"""
)


def _contrast(a: list[float], b: list[float]) -> float:
    def lum(c: list[float]) -> float:
        s = [v / 255 for v in c[:3]]
        r, g, b_ = (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in s)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(page: Any, css: str) -> list[float]:
    return page.evaluate(
        "(css) => { const c = document.createElement('canvas').getContext('2d'); c.fillStyle = css;"
        " c.fillRect(0, 0, 1, 1); return [...c.getImageData(0, 0, 1, 1).data]; }",
        css,
    )


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("JUPYMUSE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _select_note_13(page: Any, kernel: Callable[[str], str]) -> dict[str, Any]:
    """Click note 13 (A4, steps 52-56) and wait until its arcs are painted; returns what Python sent."""
    roll = Roll(page, scope=STUDIO)
    roll.canvas.scroll_into_view_if_needed()
    page.mouse.click(*roll.at(54, 69))
    wait_for(kernel, "print(studio.controller.selected)", "12", timeout=30)
    wait_for(kernel, "print(studio.roll.listened.get('note'))", "12", timeout=60)
    sent: dict[str, Any] = json.loads(kernel("print(json.dumps(studio.roll.listened))"))
    want = json.dumps({"note": 12, "sources": [s[0] for s in sent["sources"]]}, separators=(",", ":"))
    page.wait_for_function(
        "([sel, want]) => document.querySelector(sel + ' .jm-canvas')?.dataset.listened === want",
        arg=[STUDIO, want],
        timeout=30_000,
    )
    return sent


SCORE_MARKS = """(sel) => {
  const index = (e) => Number(/n(\\d+)(?:-\\d+)?$/.exec(e.id)?.[1] ?? -1);
  const root = document.querySelector(sel);
  const of = (cls) => [...new Set([...root.querySelectorAll(`g.note.${cls}`)].map(index))].sort((a, b) => a - b);
  return { sources: of("jm-listened-source"), explained: of("jm-explained") };
}"""
"""The note indexes the Studio's Score tab marks as listened to, and as explained (from the SVG's note ids)."""


@pytest.mark.parametrize("theme", ["Light", "Dark"])
def test_a_selected_note_gets_arcs_and_words_and_style_evidence_a_legend(
    notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], theme: str, tmp_path: Path
) -> None:
    page = notebook(CELLS)
    page.locator(f"{STUDIO} .jm-canvas").first.wait_for(state="visible", timeout=120_000)
    shots = _shots(tmp_path)
    try:
        set_theme(page, theme)
        themed(page)  # the roll repainted in the theme: a click before lands on the old layout
        page.set_viewport_size({"width": 1280, "height": 900})
        sent = _select_note_13(page, kernel)
        assert 0 < len(sent["sources"]) <= 8
        seen = page.evaluate(CANVAS, STUDIO)
        assert seen["pitch"] > 50, seen  # the pitch arcs are on the canvas
        background = _rgb(page, seen["palette"]["background"])
        for arc in ("pitchArc", "rhythmArc"):
            assert _contrast(_rgb(page, seen["palette"][arc]), background) >= 3, (arc, seen["palette"])
        words = page.locator(f"{STUDIO} .jm-heard").first
        assert words.get_attribute("aria-live") == "polite"
        text = words.text_content() or ""
        best = sent["sources"][0]
        assert text.startswith("Note 13 (A4), "), text
        assert f"listened most to: note {best[0] + 1} (" in text, text
        for width in (1280, 800):
            page.set_viewport_size({"width": width, "height": 1400})  # tall: the whole studio in the picture
            page.wait_for_timeout(400)  # the notebook lays out again; the roll repaints at its new width
            assert page.evaluate(CANVAS, STUDIO)["pitch"] > 50
            page.locator(STUDIO).first.scroll_into_view_if_needed()
            page.locator(STUDIO).first.screenshot(path=str(shots / f"studio-listened-{theme.lower()}-{width}.png"))
        page.set_viewport_size({"width": 1280, "height": 900})
        page.locator(f"{STUDIO} .lm-TabBar-tab", has_text="Score").first.click()  # the same notes, marked
        marks = {"sources": sorted(s[0] for s in sent["sources"]), "explained": [12]}
        want = json.dumps(json.dumps(marks, separators=(",", ":")))  # as JSON.stringify writes it, quoted for JS
        page.wait_for_function(
            f"(sel) => JSON.stringify(({SCORE_MARKS})(sel)) === {want}",
            arg=STUDIO,
            timeout=60_000,
        )
        page.locator(f"{STUDIO} .lm-TabBar-tab", has_text="Why this note?").first.click()
        kernel("studio.evidence.value = True")
        wait_for(kernel, "print(studio.roll.shading_scale, len(studio.roll.shading) // 4)", "evidence 14", timeout=60)
        page.locator(f"{STUDIO} .jm-evidence").first.wait_for(state="visible", timeout=30_000)
        likeliest = kernel("print(studio.model.style_evidence(studio.melody).likeliest)").strip()
        legend = page.evaluate(LEGEND, STUDIO)
        assert legend["shown"]
        assert f"style evidence for {likeliest}" in legend["words"]
        assert "Sounds most like: " in legend["words"]
        assert legend["text"] >= 4.5, legend
        page.wait_for_function(  # the page holds the evidence figures it colours the notes by
            "(sel) => (document.querySelector(sel + ' .jm-canvas')?.dataset.shading ?? '').length > 2", arg=STUDIO
        )
        for width in (1280, 800):
            page.set_viewport_size({"width": width, "height": 1400})
            page.wait_for_timeout(400)
            page.locator(STUDIO).first.scroll_into_view_if_needed()
            page.locator(STUDIO).first.screenshot(path=str(shots / f"studio-evidence-{theme.lower()}-{width}.png"))
    finally:
        set_theme(page, "Light")  # the server's settings outlive this test
