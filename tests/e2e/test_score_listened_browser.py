"""A score view marking what the shipped model listened to, in a real JupyterLab (Light and Dark).

The marks are read from the SVG on the page: a ring round the head of each earlier note that gave the
explained note's pitch bits, a bar under the staff for rhythm bits, thicker for more, the explained
note in the selection's colour, an accessible name on each marked note, a legend; all against the
kernel's own value. A click still selects a note; a score of the same notes keeps the marks, of other
notes drops them. Screenshots at 800 and 1280 px go to ``$JUPYMUSE_SCREENSHOTS`` (docs/images).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jupymuse.widget.listened_top import LEAST_BITS

from .contrast import WCAG_JS
from .test_piano_roll_browser import wait_for
from .test_themes_browser import set_theme

pytestmark = pytest.mark.browser

EXPLAINED = 16
CELLS = [
    "import json\n"
    "from jupymuse.corpus import split_style\n"
    "from jupymuse.models import load_default\n"
    "from jupymuse.music.score import Score\n"
    "from jupymuse.widget.listened_top import strongest\n"
    "from jupymuse.widget.score_view import ScoreView\n"
    "model = load_default()\n"
    "melody = split_style('irish').held_out[0][:24]\n"
    f"heard = strongest(model.attribution(melody, {EXPLAINED}, style='irish'))\n"
    "view = ScoreView()\n"
    "view.show(Score(melody))\n"
    "clicked = []\n"
    "view.on_select(lambda i: (clicked.append(i), setattr(view, 'selected', i)))\n"
    "view.show_listened(heard)\n"
    "view"
]
VIEW = ".jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-score-view"
SELECTION = [200, 40, 60]  # the selection's colour, #c8283c
PAINT = {"pitch": ["none", "rgb(0, 105, 92)"], "rhythm": ["rgb(141, 90, 0)", "none"]}
"""Each part's (fill, stroke): a teal ring (#00695c), a brown bar (#8d5a00): the roll's arc colours on white."""

# In the page: every mark with its note, part, bits, thickness and place; each note's head; the texts.
MARKS_JS = """
(sel) => {
  const root = document.querySelector(sel);
  const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
  const heads = {};
  for (const g of root.querySelectorAll('g.note')) {
    const m = g.id.match(/-n(\\d+)$/);
    if (m) heads[m[1]] = box(g.querySelector('.notehead'));
  }
  const marks = [...root.querySelectorAll('.jm-listened-pitch, .jm-listened-rhythm')].map((e) => ({
    part: e.classList.contains('jm-listened-pitch') ? 'pitch' : 'rhythm',
    note: Number(e.parentElement.getAttribute('data-note')),
    bits: Number(e.getAttribute('data-bits')),
    thick: Number(e.getAttribute(e.classList.contains('jm-listened-pitch') ? 'stroke-width' : 'height')),
    clicks: getComputedStyle(e).pointerEvents,
    paint: [getComputedStyle(e).fill, getComputedStyle(e).stroke],
    box: box(e),
  }));
  const named = [...root.querySelectorAll('g.note[aria-label]')].map((g) => ({
    note: Number(g.id.match(/-n(\\d+)/)[1]), label: g.getAttribute('aria-label'), role: g.getAttribute('role'),
    title: g.querySelector(':scope > title')?.textContent ?? null,
  }));
  const explained = [...root.querySelectorAll('g.note.jm-explained')].map((g) => ({
    note: Number(g.id.match(/-n(\\d+)/)[1]), fill: getComputedStyle(g.querySelector('.notehead use')).fill,
  }));
  const legend = root.querySelector('.jm-score-legend');
  return { heads, marks, named, explained, shown: root.dataset.listened,
           legend: legend.hidden ? null : legend.textContent };
}
"""
# In the page: WCAG contrast of each mark on the score's paper, and of the legend's words and swatches.
CONTRAST_JS = (
    "(sel) => {"
    + WCAG_JS
    + """
  const root = document.querySelector(sel);
  const paper = rgba(getComputedStyle(root.querySelector('svg.jupymuse-score > rect')).fill);
  const on = (part, paint) => [...root.querySelectorAll(`.jm-listened-${part}`)]
    .map((e) => ratio(rgba(getComputedStyle(e)[paint]), paper));
  const marks = on('pitch', 'stroke').concat(on('rhythm', 'fill'));
  const legend = root.querySelector('.jm-score-legend');
  const behind = background(legend);
  const words = ratio(rgba(getComputedStyle(legend).color), behind);
  const swatches = [ratio(rgba(getComputedStyle(legend.querySelector('.jm-swatch-pitch ellipse')).stroke), behind),
                    ratio(rgba(getComputedStyle(legend.querySelector('.jm-swatch-rhythm rect')).fill), behind)];
  probe.remove();
  return { paper, marks, words, swatches };
}
"""
)


def shots_folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("JUPYMUSE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_marks(seen: dict[str, Any], heard: dict[str, Any]) -> None:
    """The marks on the page are the kernel's value: the right notes, parts and thickness order."""
    sources = {j: (pitch, rhythm) for j, pitch, rhythm in heard["sources"]}
    assert seen["shown"] == str(len(sources)), seen["shown"]
    drawn = {(m["note"], m["part"]) for m in seen["marks"]}
    parts = ("pitch", "rhythm")
    wanted = {(j, part) for j, bits in sources.items() for part, b in zip(parts, bits, strict=True) if b >= LEAST_BITS}
    assert drawn == wanted
    for mark in seen["marks"]:
        head, box = seen["heads"][str(mark["note"])], mark["box"]
        assert mark["clicks"] == "none", mark
        assert mark["paint"] == PAINT[mark["part"]], mark
        assert abs(mark["bits"] - sources[mark["note"]][0 if mark["part"] == "pitch" else 1]) < 1e-3, mark
        centre = (box["x"] + box["w"] / 2, box["y"] + box["h"] / 2)
        assert head["x"] <= centre[0] <= head["x"] + head["w"], (mark, head)  # over (or under) its own note
        if mark["part"] == "pitch":  # round the head: the ring holds it
            assert head["y"] <= centre[1] <= head["y"] + head["h"], (mark, head)
            assert box["w"] > head["w"], (mark, head)
            assert box["h"] > head["h"], (mark, head)
        else:  # under the head (and the staff)
            assert box["y"] > head["y"] + head["h"], (mark, head)
    for part in ("pitch", "rhythm"):  # more bits, a thicker mark
        ordered = sorted((m["bits"], m["thick"]) for m in seen["marks"] if m["part"] == part)
        assert [t for _, t in ordered] == sorted(t for _, t in ordered), (part, ordered)
    note = heard["note"]
    assert {e["note"] for e in seen["explained"]} == {note}
    assert all(e["fill"] == f"rgb({', '.join(map(str, SELECTION))})" for e in seen["explained"]), seen["explained"]
    labels = {n["note"]: n for n in seen["named"]}
    assert set(labels) == set(sources) | {note}
    for j, (pitch, rhythm) in sources.items():
        label = labels[j]["label"]
        assert label.startswith(f"Note {j + 1}: the model listened to it for note {note + 1}, "), label
        assert f"(pitch {pitch:+.2f}, rhythm {rhythm:+.2f})" in label, label
        assert labels[j]["title"] == label
        assert labels[j]["role"] == "img"
    assert labels[note]["label"].startswith(f"Note {note + 1}: the note explained; the model listened most to notes")
    assert seen["legend"]
    assert f"for note {note + 1} (red)" in seen["legend"]


def test_the_score_marks_what_the_model_listened_to_in_light_and_dark(
    notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], tmp_path: Path
) -> None:
    page = notebook(CELLS)
    page.locator(f"{VIEW} svg.jupymuse-score").first.wait_for(state="visible")
    heard = json.loads(kernel("print(json.dumps(view.listened))"))
    assert heard["note"] == EXPLAINED
    assert len(heard["sources"]) >= 4
    page.wait_for_function(f"document.querySelector('{VIEW}')?.dataset.listened === '{len(heard['sources'])}'")
    check_marks(page.evaluate(MARKS_JS, VIEW), heard)

    # a click on a note still selects it, and the marks stay
    clicked = heard["sources"][0][0]
    page.locator(f"{VIEW} g.note[id$='-n{clicked}'] .notehead").first.click()
    wait_for(kernel, "print(clicked, view.selected)", f"[{clicked}] {clicked}")
    page.wait_for_function(f"document.querySelector('{VIEW} g.note.jm-selected')?.id.endsWith('-n{clicked}')")
    check_marks(page.evaluate(MARKS_JS, VIEW), heard)
    kernel(f"view.selected = {EXPLAINED}")  # as the Studio does: the selected note is the one explained
    page.wait_for_function(f"document.querySelector('{VIEW} g.note.jm-selected')?.id.endsWith('-n{EXPLAINED}')")

    shots = shots_folder(tmp_path)
    page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")  # the room a reader has
    try:
        for theme in ("Light", "Dark"):
            set_theme(page, theme)
            for width in (1280, 800):
                page.set_viewport_size({"width": width, "height": 700})
                page.wait_for_timeout(400)
                check_marks(page.evaluate(MARKS_JS, VIEW), heard)
                seen = page.evaluate(CONTRAST_JS, VIEW)
                where = f"{theme}, {width} px: {seen}"
                assert seen["paper"][:3] == [255, 255, 255], where
                assert len(seen["marks"]) >= len(heard["sources"]), where
                assert min(seen["marks"]) >= 3, where
                assert seen["words"] >= 4.5, where
                assert min(seen["swatches"]) >= 3, where
                page.locator(VIEW).first.scroll_into_view_if_needed()
                page.locator(VIEW).first.screenshot(path=str(shots / f"score-listened-{theme.lower()}-{width}.png"))
    finally:
        set_theme(page, "Light")  # the lab's settings outlive this test
        page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")
        page.set_viewport_size({"width": 1280, "height": 720})

    # a new score of the same notes keeps the marks; of other notes drops them, on the page too
    kernel("view.show(Score(melody.replace(tempo=90), width=600))")
    page.wait_for_function(f"document.querySelector('{VIEW} svg.jupymuse-score')?.getAttribute('width') === '600px'")
    check_marks(page.evaluate(MARKS_JS, VIEW), heard)
    kernel("view.show(Score(melody[:20]))")
    page.wait_for_function(f"document.querySelector('{VIEW}')?.dataset.notes === '20'")
    seen = page.evaluate(MARKS_JS, VIEW)
    assert (seen["marks"], seen["named"], seen["explained"], seen["legend"], seen["shown"]) == ([], [], [], None, "0")
    assert kernel("print(view.listened)").strip() == "{}"

    # marks given while the score is hidden (a Studio's Score tab not shown) are drawn, in place, when it shows
    later = {"note": 5, "sources": [[2, 1.0, 0.5], [4, 0.25, 0.0]]}
    kernel(f"view.layout.display = 'none'; view.show_listened({later!r})")
    page.wait_for_function(f"document.querySelector('{VIEW}')?.getClientRects().length === 0")
    assert page.evaluate(MARKS_JS, VIEW)["marks"] == []
    kernel("view.layout.display = None")
    page.wait_for_function(f"document.querySelector('{VIEW}')?.dataset.listened === '2'")
    check_marks(page.evaluate(MARKS_JS, VIEW), later)
