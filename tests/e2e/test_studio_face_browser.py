"""The Studio's simple face (issue 20, point 4) in a real browser, JupyterLab 4 and Notebook 7, Light and
Dark: the first row holds what a beginner needs, "More" opens and closes and stays as it was when the
Studio is shown again, every control has a tooltip (a ``title``), nothing is cut at 800 px with "More"
open, and a key or meter the page sends from outside the list is refused in the status line with
nothing changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from .test_piano_roll_browser import SHOW_ANOTHER, wait_for
from .test_studio_browser import button
from .test_studio_layout_browser import MEASURE
from .test_themes_browser import set_theme

pytestmark = pytest.mark.browser

CELLS = ["import jupymuse\nstudio = jupymuse.Studio(melody='G4:4 A4:4 B4:4 D5:4')\nstudio"]

FIRST_ROW = """
() => {
  const generate = [...document.querySelectorAll('.jupymuse-studio button')].find(
    (b) => b.textContent.trim() === 'Generate');
  const row = generate.closest('.widget-hbox');
  return {
    buttons: [...row.querySelectorAll('button')].map((b) => b.textContent.trim()),
    dropdowns: [...row.querySelectorAll('.jm-label')].map((l) => l.textContent.trim()),
    sliders: row.querySelectorAll('.widget-slider').length,
  };
}
"""

UNTITLED = """
() => {
  const studio = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jupymuse-studio')
    || document.querySelector('.jupymuse-studio');
  const missing = [];
  for (const el of studio.querySelectorAll('button, select, input')) {
    if (el.closest('.jupymuse-roll') || el.offsetParent === null) continue;  // the roll has its own; hidden
    // its own title or an enclosing one, or (ipywidgets' way for a described control) its label's
    let at = el, title = '';
    while (at && at !== studio && !title) { title = (at.getAttribute('title') || '').trim(); at = at.parentElement; }
    title = title || (el.closest('.widget-inline-hbox')?.querySelector(':scope > label')?.title || '').trim();
    if (!title) missing.push(el.tagName + ' "' + (el.textContent || el.value || '').trim().slice(0, 30) + '"');
  }
  return missing;
}
"""

MORE_SHOWN = "[...document.querySelectorAll('.jupymuse-studio .jm-more')].map((m) => m.offsetParent !== null)"

PICKER = """const picker = (label) => [...document.querySelectorAll('.jupymuse-studio .jm-label')]
  .find((l) => l.textContent.trim() === label).closest('.widget-hbox').querySelector('select');"""

CHOOSE_OUTSIDE = (
    """
(label) => {
  """
    + PICKER
    + """
  const select = picker(label);
  const kept = select.selectedIndex;
  const option = document.createElement('option');
  option.textContent = 'not a choice';
  select.appendChild(option);  // as a changed or stale page could offer
  select.selectedIndex = select.options.length - 1;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  return { sent: select.options.length - 1, kept };
}
"""
)


def themes(page: Any) -> list[str]:
    """Light and Dark where the front end can switch themes (both do; checked, not assumed)."""
    can = page.evaluate("Boolean(window.jupyterapp?.commands.hasCommand('apputils:change-theme'))")
    return ["Light", "Dark"] if can else ["Light"]


def test_first_row_more_tooltips_and_fit(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = any_notebook(CELLS)
    page.wait_for_selector(".jupymuse-studio .jm-more", state="attached")
    first = page.evaluate(FIRST_ROW)
    for name in ("Generate", "◀", "▶", "Accept", "Regenerate", "Undo", "Redo", "Play", "More"):
        assert name in first["buttons"], first
    assert first["dropdowns"] == ["Style", "Length"], first
    assert first["sliders"] == 0, first  # no Temperature, Top-k, Top-p before the roll
    assert page.evaluate(MORE_SHOWN) == [False]
    assert kernel("print(studio.key_lock.description)").strip() == "Stay in key (G major)"
    button(page, "More").click()
    page.wait_for_function(f"{MORE_SHOWN}.every(Boolean)")
    assert kernel("print(studio.more_open)").strip() == "True"
    # the detected key is shown where "Stay in key" uses it, and as the key control's first choice
    studio_text = page.locator(".jupymuse-studio").first.inner_text()
    assert "Stay in key (G major)" in studio_text
    assert page.locator(".jupymuse-studio select").filter(has_text="detected: G major").count() == 1
    shown = themes(page)
    try:
        for theme in shown:
            if len(shown) > 1:
                set_theme(page, theme)
            assert page.evaluate(UNTITLED) == []
            for width in (1280, 800):
                page.set_viewport_size({"width": width, "height": 900})
                page.wait_for_timeout(400)
                seen = page.evaluate(MEASURE)
                report = json.dumps(seen)
                assert seen["clipped"] == [], report
                assert seen["cut"] == [], report
                assert seen["studio"], report
    finally:
        if len(shown) > 1:
            set_theme(page, "Light")
    # shown again, the Studio opens as it was; closed, both views close
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate(SHOW_ANOTHER, "studio")  # a new cell shows the same Studio
    page.wait_for_function(f"{MORE_SHOWN}.length === 2 && {MORE_SHOWN}.every(Boolean)")
    button(page, "More").click()
    page.wait_for_function(f"{MORE_SHOWN}.length === 2 && !{MORE_SHOWN}.some(Boolean)")
    assert kernel("print(studio.more_open)").strip() == "False"


@pytest.mark.parametrize("label", ["Key", "Meter"])
def test_a_key_or_meter_from_outside_the_list_is_refused_visibly(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], label: str
) -> None:
    page = any_notebook(CELLS)
    page.wait_for_selector(".jupymuse-studio .jm-more", state="attached")
    button(page, "More").click()
    page.wait_for_function(f"{MORE_SHOWN}.every(Boolean)")
    before = kernel("print(studio.melody.to_notation(), studio.melody.key, studio.melody.time_signature)").strip()
    sent = page.evaluate(CHOOSE_OUTSIDE, label)
    page.wait_for_selector(".jupymuse-studio .jm-status-text >> text=nothing was changed")
    status = page.locator(".jupymuse-studio .jm-status-text").first
    assert status.is_visible()
    text = status.inner_text()
    assert f"{label}: the page sent choice {sent['sent']}" in text, text
    assert kernel("print(studio.melody.to_notation(), studio.melody.key, studio.melody.time_signature)").strip() == (
        before
    )
    picker = "key_picker" if label == "Key" else "meter"
    wait_for(kernel, f"print(studio.{picker}.index)", str(sent["kept"]))
    # the page shows the kept choice again
    page.wait_for_function(
        "([label, kept]) => {" + PICKER + "return picker(label).selectedIndex === kept; }",
        arg=[label, sent["kept"]],
    )
