"""The Studio in a real browser, in JupyterLab 4 and in Notebook 7: draw, generate, regenerate,
switch models, shade surprise, train live and stop. Every check reads the kernel's state.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from .test_piano_roll_browser import Roll, melody_is, wait_for

pytestmark = pytest.mark.browser

CELLS = [
    "import jupymuse, json\n"
    "kinder = list(jupymuse.load_corpus('essen:kinder', progress=False))[:40]\n"
    "tiny = jupymuse.GRUConfig(embedding_size=8, hidden_units=16, duration_units=8, dropout=0.0)\n"
    "studio = jupymuse.Studio()\n"
    "studio"
]


def button(page: Any, text: str) -> Any:
    return page.locator(".jupymuse-studio button", has_text=text).first


def test_studio_generates_explains_and_trains(
    any_notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    page = any_notebook(CELLS)
    roll = Roll(page, scope=".jupymuse-studio")
    kernel("studio.melody = jupymuse.Melody(); studio.length.value = 16; studio.n.value = 2")
    # a primer drawn with the mouse
    roll.drag(roll.at(0.3, 67), roll.at(4.02, 67))
    roll.drag(roll.at(4.3, 71), roll.at(8.02, 71))
    melody_is(kernel, "G4:4 B4:4", code="studio.melody")
    # Generate with the shipped GRU: a continuation after the primer, primer untouched
    button(page, "Generate").click()
    wait_for(kernel, "print(len(studio.candidates))", "2", timeout=60)
    checks = json.loads(
        kernel(
            "m = studio.melody\n"
            "print(json.dumps({'n': len(m), 'primer': m.notes[:2] == jupymuse.Melody.from_notation('G4:4 B4:4').notes,"
            " 'after': all(n.start >= 8 for n in m.notes[2:]), 'accent': studio.roll.accent_from}))"
        )
    )
    assert checks == {"n": checks["n"], "primer": True, "after": True, "accent": 8}
    assert checks["n"] > 2
    page.wait_for_function("Number(document.querySelector('.jupymuse-studio .jm-canvas').dataset.notes) > 2")
    # Regenerate draws a new seed and shows it; typed back, that seed gives the same result again
    kernel("studio.seed.value = 7")
    button(page, "Regenerate").click()
    time.sleep(0.5)
    wait_for(kernel, "print(studio.cancel_button.disabled)", "True", timeout=60)
    first = kernel("print(studio.melody.to_notation())").strip()
    seed = int(kernel("print(studio.seed.value)"))
    assert seed != 7
    button(page, "Regenerate").click()
    time.sleep(0.5)
    wait_for(kernel, "print(studio.cancel_button.disabled)", "True", timeout=60)
    assert kernel("print(studio.melody.to_notation())").strip() != first
    assert int(kernel("print(studio.seed.value)")) != seed
    for _ in range(3):  # the second Regenerate, the first, then the Generate
        button(page, "Undo").click()
    melody_is(kernel, "G4:4 B4:4", code="studio.melody")
    kernel(f"studio.seed.value = {seed}")
    button(page, "Generate").click()
    time.sleep(0.5)
    wait_for(kernel, "print(studio.cancel_button.disabled)", "True", timeout=60)
    assert kernel("print(studio.melody.to_notation())").strip() == first
    # Markov order 2 from the model picker
    button(page, "More").click()  # the model picker and the other settings are folded under More
    model = page.locator(".jupymuse-studio .jm-label", has_text="Model").first
    model.locator("xpath=ancestor::div[contains(@class, 'widget-hbox')][1]//select").select_option("Markov order 2")
    wait_for(kernel, "print(studio.model_picker.value)", "Markov order 2")
    button(page, "Accept").click()
    button(page, "Generate").click()
    time.sleep(0.5)
    wait_for(kernel, "print(studio.model.name, len(studio.candidates))", "Markov order 2 (note context) 2", timeout=60)
    # surprise shading in the page equals the model's log_prob
    button(page, "Shade surprise").click()
    wait_for(kernel, "print(studio.surprise.value)", "True")
    page.wait_for_function("document.querySelector('.jupymuse-studio .jm-canvas').dataset.shading.length > 2")
    shown = json.loads(page.locator(".jupymuse-studio .jm-canvas").first.get_attribute("data-shading"))
    expected = json.loads(kernel("print(json.dumps(studio.model.log_prob(studio.melody).note_surprise.tolist()))"))
    assert shown == pytest.approx(expected, abs=2e-3)
    # live training on a tiny corpus: the curve in the page receives points
    page.locator(
        ".jupymuse-studio .widget-tab .lm-TabBar-tab, .jupymuse-studio .p-TabBar-tab", has_text="Training"
    ).first.click()
    kernel("t = studio.train(kinder, epochs=1, config=tiny, batch_size=8)")
    wait_for(kernel, "t.join(); studio.use_trained(); print(studio.model.name)", "GRU (1 x 16 units)", timeout=120)
    page.wait_for_function("Number(document.querySelector('.jupymuse-studio .jm-curve')?.dataset.batches) > 0")
    assert int(page.locator(".jupymuse-studio .jm-curve").first.get_attribute("data-epochs")) == 1
    # Stop during a longer training offers the best weights so far; the model in use stays
    kernel("t = studio.train(kinder * 5, epochs=20, config=tiny, batch_size=4)")
    page.wait_for_function("Number(document.querySelector('.jupymuse-studio .jm-curve')?.dataset.batches) > 3")
    button(page, "Stop training").click()
    wait_for(kernel, "t.join(); print(studio.controller.last_offer.model.history.stopped)", "stopped", timeout=120)
    assert kernel("print(len(studio.generate(4, n=1, seed=0)))").strip() == "1"


SAVE = """
async () => {
  await window.jupyterapp.commands.execute('docmanager:save');
}
"""


def test_drawn_melody_and_settings_survive_saving_and_reopening(
    lab: Any, notebook: Callable[[list[str]], Any], kernel: Callable[[str], str]
) -> None:
    import base64

    import numpy as np

    page_ = notebook(["import jupymuse\nstudio = jupymuse.Studio(melody='C4:4 E4:4 G4:8')\nstudio"])
    roll = Roll(page_, scope=".jupymuse-studio")
    roll.drag(roll.at(16.3, 72), roll.at(20.02, 72))
    melody_is(kernel, "C4:4 E4:4 G4:8 C5:4", code="studio.melody")
    kernel("studio.temperature.value = 0.7; studio.key_lock.value = True")
    page_.evaluate(SAVE)  # the lab fixture turns on the widget manager's saveState
    path = next(lab.root.glob("test_drawn_melody_and_settings_survive*.ipynb"))
    saved = json.loads(path.read_text())
    state = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    models = {k: v["state"] for k, v in state.items()}
    assert any(m.get("description") == "Temperature" and m.get("value") == 0.7 for m in models.values())
    assert any(m.get("description", "").startswith("Stay in key") and m.get("value") is True for m in models.values())
    rolls = [k for k, v in state.items() if "steps_per_quarter" in v["state"] and "audio_status" in v["state"]]
    assert len(rolls) == 1
    buffers = state[rolls[0]].get("buffers", [])
    notes = next(b for b in buffers if b["path"] == ["notes"])
    rows = np.frombuffer(base64.b64decode(notes["data"]), "<i4").reshape(-1, 4)
    assert rows[:, 0].tolist() == [60, 64, 67, 72]
    # reopened with the kernel shut down, the roll draws from the saved state alone
    page_.evaluate("async () => { await window.__jmPanel.sessionContext.shutdown(); }")
    page_.goto(lab.page_url(path.name))
    page_.wait_for_selector(".jupymuse-studio .jm-canvas[data-notes='4']", timeout=60_000)
