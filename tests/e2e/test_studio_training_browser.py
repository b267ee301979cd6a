"""Training ends honestly (issue 20, point 7), in a real browser (JupyterLab 4 and Notebook 7, Light and Dark).

Train a GRU from the Studio's Training tab, press Stop mid-way: the bar stays where it stopped
("stopped at N%", never 100%), the panel shows the new model's pitch bits per note beside the current
model's on the same validation melodies (checked against ``bits_per_note`` in the kernel), Generate
keeps using the current model, and "Keep the current model" leaves it in use. The panel is measured for
contrast and photographed at 800 and 1280 px in both themes (to ``$JUPYMUSE_SCREENSHOTS`` when set).
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
from .test_piano_roll_browser import wait_for
from .test_studio_browser import button
from .test_studio_history_browser import idle
from .test_themes_browser import set_theme

pytestmark = pytest.mark.browser

CELLS = [
    "import json, jupymuse\n"
    "from jupymuse.evaluate import bits_per_note\n"
    "from jupymuse.studio.training import split_corpus\n"
    "studio = jupymuse.Studio('markov-1', 'G4:4 B4:4 D5:4', corpus='essen:kinder')\n"
    "studio.length.value = 8; studio.n.value = 2\n"
    "current = studio.model  # the chain fitted on essen:kinder: the model in use\n"
    "studio"
]
PANEL = ".jupymuse-studio .jm-training-end"

CONTRAST_JS = (
    """
(sel) => {
"""
    + WCAG_JS
    + """  const panel = document.querySelector(sel);
  const percent = document.querySelector('.jupymuse-studio .jm-train-percent span');
  const words = [...panel.querySelectorAll('div, td, b'), percent]
    .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
    .map((el) => ratio(rgba(getComputedStyle(el).color), background(el)));
  const bars = [...panel.querySelectorAll('span[aria-hidden]')].map((el) => {
    const s = getComputedStyle(el);
    const paint = rgba(s.backgroundColor)[3] > 0 ? s.backgroundColor : s.borderTopColor;
    return ratio(rgba(paint), background(el.parentElement));
  });
  probe.remove();
  return { words, bars };
}
"""
)


def test_stop_mid_way_shows_both_figures_and_keep_leaves_the_current_model(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str], tmp_path: Path
) -> None:
    page = any_notebook(CELLS)
    tabs = ".jupymuse-studio .widget-tab .lm-TabBar-tab, .jupymuse-studio .p-TabBar-tab"
    page.locator(tabs, has_text="Training").first.click()
    # the Train button trains a GRU on the Corpus picker's corpus (essen:kinder) for the Epochs slider's epochs
    kernel("studio.epochs.value = 3")
    button(page, "Train a GRU").click()
    page.wait_for_function(
        "Number(document.querySelector('.jupymuse-studio .jm-curve')?.dataset.batches) > 3", timeout=180_000
    )
    running = page.locator(".jupymuse-studio .jm-train-percent").first.inner_text()
    match = re.fullmatch(r"(\d+)% of all batches", running.strip())
    assert match, running
    assert int(match.group(1)) < 50  # a few batches of three epochs: nowhere near the end
    assert kernel("print(studio.model is current)").strip() == "True"
    button(page, "Stop training").click()
    page.locator(PANEL).first.wait_for(state="visible", timeout=180_000)
    # where it stopped, not 100%
    end = json.loads(
        kernel(
            "e = studio.controller.last_end\n"
            "print(json.dumps({'how': e.how, 'percent': e.percent, 'bar': studio.train_progress.value,"
            " 'done': e.batches, 'total': e.total}))"
        )
    )
    assert end["how"] == "stopped"
    assert 0 < end["percent"] < 100
    assert end["bar"] == pytest.approx(end["done"] / end["total"])
    assert page.locator(".jupymuse-studio .jm-train-percent").first.inner_text().strip() == (
        f"stopped at {end['percent']}%"
    )
    panel = page.locator(PANEL).first
    assert panel.get_attribute("data-percent") == str(end["percent"])
    assert f"Training stopped at {end['percent']}%" in panel.inner_text()
    # both figures, the same measure on the same validation melodies, as the kernel computes them
    figures = json.loads(
        kernel(
            "o = studio.controller.offer\n"
            "v = split_corpus('essen:kinder').valid\n"
            "print(json.dumps({'new': o.new_bits, 'current': o.current_bits, 'n': o.melodies,"
            " 'new_again': bits_per_note(o.model, v).pitch, 'current_again': bits_per_note(current, v).pitch,"
            " 'valid': len(v), 'best': o.end.best_epoch}))"
        )
    )
    assert figures["new"] == pytest.approx(figures["new_again"])
    assert figures["current"] == pytest.approx(figures["current_again"])
    assert figures["n"] == figures["valid"] > 0
    assert panel.get_attribute("data-new-bits") == f"{figures['new']:.2f}"
    assert panel.get_attribute("data-current-bits") == f"{figures['current']:.2f}"
    text = panel.inner_text()
    assert "Current model: Markov order 1" in text
    assert f"on the same {figures['n']} validation melodies" in text
    assert "fitted on essen:kinder, these melodies included, so its figure flatters it" in text
    use, keep = button(page, "Use the new model"), button(page, "Keep the current model")
    assert use.is_visible()
    assert keep.is_visible()
    status = page.locator(".jupymuse-studio .jm-status-text").first.inner_text()
    assert status.startswith(f"Training stopped at {end['percent']}% (epoch 1 of 3). New model {figures['new']:.2f}")
    # while the choice waits, Generate uses the current model
    button(page, "Generate").click()
    idle(kernel)
    wait_for(kernel, "print('from Markov order 1' in studio.status.value)", "True", timeout=60)
    assert kernel("print(studio.model is current, studio.controller.offer is not None)").strip() == "True True"
    # readable in Light and Dark; photographed at 800 and 1280 px
    shots = Path(os.environ.get("JUPYMUSE_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    app = "lab" if "/lab/" in page.url else "nb7"
    try:
        for theme in ("Light", "Dark"):
            set_theme(page, theme)
            page.wait_for_timeout(300)
            seen = page.evaluate(CONTRAST_JS, PANEL)
            assert seen["words"]
            assert min(seen["words"]) >= 4.5, (theme, seen)
            assert len(seen["bars"]) == 2
            assert min(seen["bars"]) >= 3, (theme, seen)
            for width in (800, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.wait_for_timeout(400)
                tab = page.locator(".jupymuse-studio .jm-training-tab").first
                tab.scroll_into_view_if_needed()
                shot = shots / f"studio-training-end-{app}-{theme.lower()}-{width}.png"
                tab.screenshot(path=str(shot))
                print(f"\nscreenshot: {shot}")
                fits = page.evaluate(
                    "(sel) => { const b = document.querySelector(sel); return b.scrollWidth <= b.clientWidth + 1; }",
                    ".jupymuse-studio .jm-training-offer",
                )
                assert fits, (theme, width)
    finally:
        set_theme(page, "Light")  # the lab's settings outlive this test
        page.set_viewport_size({"width": 1280, "height": 720})
    # decline: the current model stays, the panel says so, the buttons go
    keep.click()
    page.wait_for_selector(f"{PANEL}[data-chosen='current']", timeout=30_000)
    assert "You kept the current model; the new one is not used." in page.locator(PANEL).first.inner_text()
    use.wait_for(state="hidden", timeout=30_000)  # the buttons go once the choice is made
    checks = kernel(
        "print(studio.model is current, studio.model_picker.value, studio.controller.offer is None,"
        " studio.controller.last_offer.chosen)"
    )
    assert checks.strip() == "True Markov order 1 True current"
    status = page.locator(".jupymuse-studio .jm-status-text").first.inner_text()
    assert "Kept the current model, Markov order 1." in status
