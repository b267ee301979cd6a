"""A saved notebook holds the roll's latest work, not the empty roll of when the cell ran (issue 20, point 2).

In JupyterLab 4 and Notebook 7 with default settings: a cell shows an empty roll, the kernel then sets
34 notes, and once the melody is quiet the kernel updates the cell's output in place
(``jupymuse.widget.live_picture``). The live roll keeps working; saving writes a picture and a text
naming 34 notes, which nbconvert's HTML (no widget state saved) then shows.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import nbformat
import pytest
from nbconvert import HTMLExporter

from .lab import Lab

pytestmark = pytest.mark.browser

CELLS = ["import jupymuse\nroll = jupymuse.PianoRoll()\nroll"]
NOTES = " ".join([f"{name}:4" for name in ["C4", "D4", "E4", "F4", "G4", "A4", "B4", "C5"] * 4] + ["D5:4", "C5:8"])
TEXT = """
() => {
  const out = window.__jmPanel.content.widgets[0].model.outputs;
  return out.length ? String(out.get(0).data['text/plain'] ?? '') : '';
}
"""
SAVE = "async () => { await window.__jmPanel.context.save(); }"


def test_the_saved_output_follows_the_melody(
    frontend: Lab,
    any_notebook: Callable[[list[str]], Any],
    kernel: Callable[[str], str],
    page_errors: list[str],
) -> None:
    page = any_notebook(CELLS)
    page.locator(".jm-canvas").first.wait_for(state="visible")
    assert "0 notes" in page.evaluate(TEXT)
    kernel(f"from jupymuse.music import as_melody\nroll.melody = as_melody({NOTES!r})")
    page.wait_for_function(f"() => ({TEXT})().includes('34 notes')", timeout=60_000)
    page.locator(".jm-canvas").first.wait_for(state="visible")  # the live roll is shown again, with the notes
    assert "Error displaying widget" not in page.evaluate("() => window.__jmPanel.node.innerText")
    assert kernel("print(len(roll.melody.notes))").strip() == "34"
    page.evaluate(SAVE)
    name = page.evaluate("() => window.__jmPanel.context.path")
    saved = nbformat.reads((frontend.root / name).read_text(), as_version=4)  # type: ignore[no-untyped-call]  # lines joined
    (output,) = saved["cells"][0]["outputs"]
    assert "34 notes" in output["data"]["text/plain"], output["data"]["text/plain"]
    png = base64.b64decode(output["data"]["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert output["data"]["image/svg+xml"].count("<rect") > 34
    saved.metadata.pop("widgets", None)  # lab.py turns on saving widget state; by default none is saved
    html, _ = HTMLExporter().from_notebook_node(saved)  # type: ignore[no-untyped-call]
    pictures = [base64.b64decode(b).decode() for b in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)]
    assert [p for p in pictures if 'data-notes="34"' in p], "the exported HTML does not show the 34 notes"
    assert "model not found" not in html
