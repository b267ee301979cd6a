"""The Studio's Score tab in a real JupyterLab: it appears, follows drawing and Generate, marks the
note being played, selects on the roll when a note is clicked, downloads MusicXML from the roll's
toolbar, and reads in JupyterLab Dark (the score keeps its white paper). Every check reads the kernel.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .test_piano_roll_browser import Roll, melody_is, wait_for
from .test_themes_browser import CONTRAST_JS, set_theme

pytestmark = pytest.mark.browser

TUNES = "['C4:4 D4 E4 F4 G4:8 E4:8', 'G4:4 A4 G4 E4 D4:8 C4:8', 'E4:4 G4 A4 G4 E4 D4 C4:8']"
CELLS = [
    "import jupymuse, json\n"
    f"model = jupymuse.MarkovModel(1).fit([jupymuse.Melody.from_notation(t) for t in {TUNES}])\n"
    "studio = jupymuse.Studio(model, warm_up=False)\n"
    "studio"
]
SCORE = ".jupymuse-studio .jupymuse-score-view"
ACCENT = "#d6781e"

# In the page: each drawn note's index, its colour attribute and classes (tied parts included).
NOTES_JS = f"""
() => [...document.querySelectorAll('{SCORE} g.note')].map((g) => ({{
  index: Number((g.id.match(/-n(\\d+)/) || [])[1] ?? -1), colour: g.getAttribute('color'), cls: g.getAttribute('class'),
}}))
"""
# In the page: WCAG contrast of each note's ink (the notehead's computed fill) on the score's paper.
INK_JS = """
(sel) => {
  const probe = document.createElement('span');
  document.body.append(probe);
  const rgb = (css) => {
    probe.style.color = '';
    probe.style.color = css;
    return getComputedStyle(probe).color.match(/[\\d.]+/g).slice(0, 3).map(Number);
  };
  const lin = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const lum = (c) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const svg = document.querySelector(`${sel} svg.jupymuse-score`);
  const paper = rgb(getComputedStyle(svg.querySelector(':scope > rect')).fill);
  const notes = [...svg.querySelectorAll('g.note')].map((g) => ({
    cls: g.getAttribute('class'),
    colour: g.getAttribute('color'),
    ratio: ratio(rgb(getComputedStyle(g.querySelector('.notehead use')).fill), paper),
  }));
  probe.remove();
  return { paper, notes };
}
"""

# The roll's contrast probe (test_themes_browser.py) pointed at the score view's message line.
MESSAGE_CONTRAST_JS = (
    CONTRAST_JS.replace(".jupymuse-roll')", ".jupymuse-score-view')")
    .replace("status: '.jm-status',", "status: '.jm-score-message',")
    .replace("const p = root.__jupymusePalette();", "")
    .replace("const text = rgba(p.text);", "")
    .replace("out.canvas = [p.keyWhite, p.ruler, p.background].map((bg) => ratio(text, rgba(bg)));", "")
)


def sounding(spans: list[int], step: float) -> int:
    """The note sounding at ``step`` (-1: none), from the flat [start, end] spans: what the page should mark."""
    return next((i for i in range(len(spans) // 2) if spans[2 * i] <= step < spans[2 * i + 1]), -1)


def notes_in_score(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(NOTES_JS)


def score_shows(page: Any, count: int, timeout: float = 20_000) -> None:
    """Wait until the score on the page draws ``count`` melody notes."""
    page.wait_for_function(
        f"document.querySelector('{SCORE}')?.dataset.notes === '{count}'"
        f" && new Set([...document.querySelectorAll('{SCORE} g.note')].map((g) => g.id.replace(/-\\d+$/, ''))).size"
        f" === {count}",
        timeout=timeout,
    )


def test_score_tab_follows_the_roll_plays_selects_and_reads_in_dark(
    notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], tmp_path: Path
) -> None:
    page = notebook(CELLS)
    roll = Roll(page, scope=".jupymuse-studio")
    kernel("studio.melody = jupymuse.Melody(); studio.length.value = 8; studio.n.value = 2; studio.score.delay = 0.1")
    # the tab appears, and shows an empty staff for an empty melody
    page.locator(".jupymuse-studio .lm-TabBar-tab", has_text="Score").first.click()
    page.locator(f"{SCORE} svg.jupymuse-score").wait_for(state="visible")
    score_shows(page, 0)
    # a note drawn on the roll appears in the score
    roll.drag(roll.at(0.3, 67), roll.at(4.02, 67))
    melody_is(kernel, "G4:4", code="studio.melody")
    score_shows(page, 1)
    roll.drag(roll.at(4.3, 71), roll.at(8.02, 71))
    melody_is(kernel, "G4:4 B4:4", code="studio.melody")
    score_shows(page, 2)
    # Generate: the continuation appears, drawn in the roll's accent colour; the primer in ink
    page.locator(".jupymuse-studio button", has_text="Generate").first.click()
    wait_for(kernel, "print(len(studio.candidates))", "2", timeout=60)
    total = int(kernel("print(len(studio.melody))"))
    assert total > 2
    score_shows(page, total)
    drawn = notes_in_score(page)
    assert {n["colour"] for n in drawn if n["index"] < 2} == {None}
    assert {n["colour"] for n in drawn if n["index"] >= 2} == {ACCENT}
    assert json.loads(kernel("print(json.dumps(studio.score.view.spans))"))[:4] == [0, 4, 4, 8]

    # playing marks the sounding note: the one under the playhead the roll painted last; Stop clears it
    spans = json.loads(kernel("print(json.dumps(studio.score.view.spans))"))
    kernel("studio.roll.tempo = 60; studio.roll.play()")
    marked: set[int] = set()
    for _ in range(60):
        page.wait_for_timeout(100)
        state = page.evaluate(
            f"() => ({{playing: Number(document.querySelector('{SCORE}').dataset.playing ?? -1),"
            " playhead: document.querySelector('.jupymuse-studio .jm-canvas').dataset.playhead,"
            f" marked: [...document.querySelectorAll('{SCORE} g.note.jm-playing')].map((g) => g.id)}})"
        )
        if state["playhead"]:
            assert state["playing"] == sounding(spans, float(state["playhead"])), state
        if state["playing"] >= 0:
            marked.add(state["playing"])
            assert state["marked"], state
            assert all(f"-n{state['playing']}" in i for i in state["marked"]), state
        if len(marked) >= 3:
            break
    assert len(marked) >= 3, marked
    kernel("studio.roll.stop()")
    page.wait_for_function(f"document.querySelectorAll('{SCORE} g.note.jm-playing').length === 0")

    # a click on a note of the score selects it on the roll: in Python and on the roll's page
    page.locator(f"{SCORE} g.note[id$='-n1'] .notehead").first.click()
    wait_for(kernel, "print(studio.roll.selected, studio.score.view.selected)", "1 1")
    page.wait_for_function("document.querySelector('.jupymuse-studio .jm-canvas').dataset.selected === '1'")
    assert "jm-selected" in (page.locator(f"{SCORE} g.note[id$='-n1']").first.get_attribute("class") or "")
    # and a note selected on the roll is marked in the score
    kernel("studio.roll.selected = 0")
    page.wait_for_function(f"document.querySelector('{SCORE} g.note.jm-selected')?.id.endsWith('-n0')")

    # MusicXML from the roll's toolbar, written by the kernel
    with page.expect_download() as download:
        page.locator(".jupymuse-studio .jm-musicxml").first.click()
    assert download.value.suggested_filename == "melody.musicxml"
    saved = tmp_path / "melody.musicxml"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "<score-partwise" in text
    assert text == kernel("print(studio.melody.to_musicxml(), end='')")

    # readable in Light and Dark: the score keeps its white paper, its notes are dark enough on it
    shots = Path(os.environ.get("JUPYMUSE_SCORE_SHOTS", tmp_path))
    page.set_viewport_size({"width": 1280, "height": 1000})
    studio_box = page.locator(".jupymuse-studio").first
    try:
        for theme in ("Light", "Dark"):
            set_theme(page, theme)
            page.wait_for_timeout(300)
            ink = page.evaluate(INK_JS, SCORE)
            assert ink["paper"] == [255, 255, 255], (theme, ink["paper"])
            for note in ink["notes"]:  # ink: text-like (4.5); the accent colour: a graphic (WCAG 1.4.11, 3)
                assert note["ratio"] >= 3.0, (theme, note)
            plain = [n["ratio"] for n in ink["notes"] if n["cls"] == "note" and n["colour"] is None]
            assert plain
            assert min(plain) >= 4.5, (theme, plain)
            studio_box.scroll_into_view_if_needed()
            page.locator(f"{SCORE}").first.scroll_into_view_if_needed()
            studio_box.screenshot(path=str(shots / f"score-tab-{theme.lower()}.png"))
            # a melody too long for a score shows the limit instead, readable in the theme
            if theme == "Dark":
                kernel("studio.melody = jupymuse.Melody([jupymuse.Note(60 + i % 5, i, 1) for i in range(4001)])")
                page.wait_for_function(f"document.querySelector('{SCORE} .jm-score-message')?.textContent.length > 0")
                message = page.locator(f"{SCORE} .jm-score-message").first.inner_text()
                assert "at most 4,000 notes" in message
                contrast = page.evaluate(MESSAGE_CONTRAST_JS)
                assert contrast["status"]
                assert min(contrast["status"]) >= 4.5, contrast
    finally:
        set_theme(page, "Light")  # the lab's settings outlive this test
