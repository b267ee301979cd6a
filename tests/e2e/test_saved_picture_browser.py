"""A saved notebook reopened without its widgets shows the roll's latest picture (issue 20, point 2).

With default settings (ipywidgets saves no widget state): compose 34 notes, save, shut the kernel
down and reload. The new kernel has no widget model, so ipywidgets' renderer would write "Error
displaying widget: model not found"; jupymuse's JupyterLab / Notebook 7 extension
(``js/src/labextension``) shows the output's saved picture and text (34 notes) instead. The live
view is kept while the kernel updates the output, and running the cell again brings it back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.sign import NotebookNotary

from .lab import OPEN, Lab
from .test_themes_browser import set_theme

pytestmark = pytest.mark.browser

CELLS = ["import jupymuse\nroll = jupymuse.PianoRoll()\nroll"]
NOTES = " ".join([f"{name}:4" for name in ["C4", "D4", "E4", "F4", "G4", "A4", "B4", "C5"] * 4] + ["D5:4", "C5:8"])
OUTPUT = ".jp-NotebookPanel:visible .jp-OutputArea-output"
PICTURE = f"{OUTPUT} .jm-saved-picture"
TEXT = """
() => {
  const out = window.__jmPanel.content.widgets[0].model.outputs;
  return out.length ? String(out.get(0).data['text/plain'] ?? '') : '';
}
"""
MARK = "() => { document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jm-canvas').__jmMark = 1; }"
MARKED = (
    "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jm-canvas')].map((c) => !!c.__jmMark)"
)
SAVE_AND_SHUT = (
    "async () => { await window.__jmPanel.context.save(); await window.__jmPanel.sessionContext.shutdown(); }"
)
IDLE = """
async () => {
  const panel = window.__jmPanel;
  await panel.sessionContext.ready;
  for (let i = 0; i < 600 && panel.sessionContext.session?.kernel?.status !== 'idle'; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 2000));  // the widget manager has looked for the model by now
}
"""
RUN = "async () => { await window.jupyterapp.commands.execute('notebook:run-all-cells'); }"


@pytest.fixture
def default_settings(frontend: Lab) -> Iterator[None]:
    """ipywidgets' default: no widget state saved with the notebook (``lab.py`` turns it on for other tests)."""
    base = frontend.root.parent
    files = [
        base / d / "@jupyter-widgets" / "jupyterlab-manager" / "plugin.jupyterlab-settings"
        for d in ("settings", "config/lab/user-settings")
    ]
    before = {f: f.read_text() if f.exists() else None for f in files}
    for f in files:
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps({"saveState": False}))
    try:
        yield
    finally:
        for f, text in before.items():
            if text is None:
                f.unlink()
            else:
                f.write_text(text)


def _no_model(error: str) -> bool:
    """ipywidgets' own console error when an output's model is gone (it logs it, then calls its renderer)."""
    return "widget model not found" in error


def _compose_save_and_shut(
    frontend: Lab, any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> tuple[Any, str]:
    """Show an empty roll, set 34 notes from the kernel (the live view kept), save, shut the kernel down."""
    page = any_notebook(CELLS)
    page.locator(f"{OUTPUT} .jm-canvas").first.wait_for(state="visible")
    page.evaluate(MARK)
    kernel(f"from jupymuse.music import as_melody\nroll.melody = as_melody({NOTES!r})")
    page.wait_for_function(f"() => ({TEXT})().includes('34 notes')", timeout=60_000)
    assert page.evaluate(MARKED) == [True], "the kernel's update rebuilt the live view"
    assert page.locator(PICTURE).count() == 0

    name = page.evaluate("() => window.__jmPanel.context.path")
    page.evaluate(SAVE_AND_SHUT)
    saved = json.loads((frontend.root / name).read_text())
    assert "widgets" not in saved["metadata"], "widget state was saved: the test needs ipywidgets' default"
    return page, name


def test_a_reopened_notebook_shows_the_latest_picture(
    frontend: Lab,
    default_settings: None,
    any_notebook: Callable[[list[str]], Any],
    kernel: Callable[[str], str],
    page_errors: list[str],
    tmp_path: Path,
) -> None:
    page, name = _compose_save_and_shut(frontend, any_notebook, kernel)
    page.goto(frontend.page_url(name))
    page.wait_for_function("window.jupyterapp !== undefined")
    page.evaluate(OPEN, name)
    page.evaluate(IDLE)
    picture = page.locator(PICTURE)
    picture.wait_for(state="visible")
    assert "34 notes" in picture.inner_text()
    assert page.locator(f"{PICTURE} img").evaluate("(img) => img.complete && img.naturalWidth > 300")
    shown = page.locator(".jp-NotebookPanel:visible .jp-Notebook").inner_text()
    assert "model not found" not in shown, shown
    assert "Error displaying widget" not in shown, shown
    assert page.locator(f"{OUTPUT} .jm-canvas").count() == 0
    for theme in ["Dark", "Light"] if frontend.app == "lab" else ["Light"]:
        if frontend.app == "lab":
            set_theme(page, theme)
        for width in (800, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.locator(OUTPUT).first.screenshot(path=str(tmp_path / f"reopened-{theme}-{width}.png"))

    page.evaluate(RUN)  # with the kernel running, the cell shows the live roll again
    page.locator(f"{OUTPUT} .jm-canvas").first.wait_for(state="visible")
    assert page.locator(PICTURE).count() == 0
    page_errors[:] = [e for e in page_errors if not _no_model(e)]


def test_a_notebook_opened_with_no_kernel_shows_the_picture(
    frontend: Lab,
    default_settings: None,
    any_notebook: Callable[[list[str]], Any],
    kernel: Callable[[str], str],
    page_errors: list[str],
) -> None:
    page, name = _compose_save_and_shut(frontend, any_notebook, kernel)
    saved = nbformat.read(frontend.root / name, as_version=4)  # type: ignore[no-untyped-call]
    saved.metadata.kernelspec = {"name": "jupymuse-absent", "display_name": "Absent", "language": "python"}
    # signed as the server signed it on save: an untrusted output never reaches the widget renderer
    NotebookNotary().sign(saved)  # type: ignore[no-untyped-call]
    nbformat.write(saved, frontend.root / name)  # type: ignore[no-untyped-call]  # no such kernel: none starts
    page.goto(frontend.page_url(name))
    page.wait_for_function("window.jupyterapp !== undefined")
    page.wait_for_selector(".jp-NotebookPanel .jp-OutputArea-output")
    picture = page.locator(".jp-NotebookPanel .jp-OutputArea-output .jm-saved-picture")
    picture.wait_for(state="visible")
    assert "34 notes" in picture.inner_text()
    page.wait_for_timeout(2000)
    shown = page.locator(".jp-NotebookPanel .jp-Notebook").first.inner_text()
    assert "Loading widget" not in shown, shown
    assert "model not found" not in shown, shown
    assert picture.count() == 1
    page_errors[:] = [e for e in page_errors if not _no_model(e)]
