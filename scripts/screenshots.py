"""Take the README's screenshots of the Studio: JupyterLab Light and Dark, 1280 and 800 px wide.

Run from the repository root after ``pip install -e ".[test]"`` (needs Chromium, see README):
``python scripts/screenshots.py`` writes ``docs/images/studio-{light,dark}-{1280,800}.png`` (the simple
face: "More" folded) and ``docs/images/studio-more-{light,dark}-{1280,800}.png`` ("More" open). A real
JupyterLab runs the shipped GRU: a primer, Generate, surprise shading on; nothing is staged by hand.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.e2e.lab import CHROMIUM, CHROMIUM_ARGS, execute, open_notebook, running_lab  # noqa: E402

OUT = ROOT / "docs" / "images"
CELLS = [
    "import jupymuse\n"
    "studio = jupymuse.Studio(melody='G4:4 G4:4 D5:4 D5:4 E5:4 E5:4 D5:8')\n"
    "studio.length.value = 24; studio.n.value = 4; studio.temperature.value = 0.9\n"
    "studio"
]


def wait_until(page: object, code: str, expected: str, timeout: float = 120) -> None:
    """Poll the kernel until ``code`` prints ``expected``."""
    deadline = time.monotonic() + timeout
    while execute(page, code).strip() != expected:
        if time.monotonic() > deadline:
            raise TimeoutError(code)
        time.sleep(0.3)


def shoot(page: Any, path: Path, width: int) -> None:
    """A picture of the Studio, ``width`` px wide, with all of its melody in view."""
    page.set_viewport_size({"width": width, "height": 1500})
    time.sleep(1.0)  # the roll repaints at its new width
    page.locator(".jupymuse-studio .jupymuse-roll button", has_text="Fit").first.click()  # all in view
    time.sleep(0.5)
    studio = page.locator(".jupymuse-studio").first
    studio.scroll_into_view_if_needed()
    studio.screenshot(path=str(path))
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KiB")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_lab(Path(tmp)) as lab, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1500})
        page.set_default_timeout(120_000)
        open_notebook(page, lab, "studio.ipynb", CELLS)
        page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")  # more room
        wait_until(page, "studio.controller.wait(); print(bool(studio.strip.value))", "True")  # the model is ready
        page.locator(".jupymuse-studio button", has_text="Generate").first.click()
        time.sleep(0.5)
        wait_until(page, "print(studio.cancel_button.disabled and len(studio.candidates) > 0)", "True")
        execute(page, "studio.roll.stop(); studio.surprise.value = True")  # a still picture: no playhead
        time.sleep(1.5)
        for theme in ("Light", "Dark"):
            change = f"window.jupyterapp.commands.execute('apputils:change-theme', {{theme: 'JupyterLab {theme}'}})"
            page.evaluate(change)
            page.wait_for_function(f"document.body.dataset.jpThemeLight === '{str(theme == 'Light').lower()}'")
            for more in (False, True):
                execute(page, f"studio.more_open = {more}")
                for width in (1280, 800):
                    shoot(page, OUT / f"studio{'-more' if more else ''}-{theme.lower()}-{width}.png", width)
        execute(page, "studio.more_open = False")
        page.evaluate("window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")
        browser.close()


main()
