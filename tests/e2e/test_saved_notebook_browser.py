"""A saved notebook with a roll and a studio reopens without "model not found" (issue 11).

The notebook is saved as ``scripts/save_lessons.py`` saves the lessons (widget views dropped where a
picture stands in) and opened WITHOUT running it, in JupyterLab 4 and Notebook 7: untrusted (as a
freshly cloned lesson is: JupyterLab then shows the PNG, as its SVG renderer is not "safe") and
trusted (the SVG). Screenshots in Light and Dark go to ``$JUPYMUSE_SCREENSHOTS`` when it is set.

The lessons themselves, as a fresh clone has them (issue 21, case 14): never trusted, each saved score
shows as the engraved image and each saved player holds a sound the browser decodes, and the code
cells hold no test markers.
"""

from __future__ import annotations

import base64
import json
import os
import re
import wave
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from jupymuse.freeze import unpictured

from .lab import OPEN, Lab
from helpers import script

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "notebooks" / "00_quickstart.ipynb"
SHOTS = os.environ.get("JUPYMUSE_SCREENSHOTS", "")
ERRORS = ("model not found", "Error displaying widget")


def _output(count: int, bundle: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    data, metadata = bundle
    return {"output_type": "execute_result", "execution_count": count, "data": data, "metadata": metadata}


def write_saved_notebook(path: Path) -> int:
    """A notebook as a run and a save leave it (a roll, and a studio with a candidate); widget views dropped."""
    import jupymuse

    roll = jupymuse.PianoRoll("C4:4 E4:4 G4:4 C5:8 B4:4 G4:4 E4:8", show_scale=True)
    studio = jupymuse.Studio("markov-1", "G4:4 A4:4 B4:4 D5:4", corpus="bach-chorales:pearce185", warm_up=False)
    studio.generate(12, n=2, seed=1)
    sources = [
        "import jupymuse\nroll = jupymuse.PianoRoll('C4:4 E4:4 G4:4 C5:8 B4:4 G4:4 E4:8', show_scale=True)\nroll",
        "studio = jupymuse.Studio('markov-1', 'G4:4 A4:4 B4:4 D5:4')\nstudio.generate(12, n=2, seed=1)\nstudio",
    ]
    outputs = [_output(1, roll._repr_mimebundle_()), _output(2, studio._repr_mimebundle_())]
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# A saved roll"},
            *(
                {"cell_type": "code", "execution_count": i + 1, "metadata": {}, "source": src, "outputs": [out]}
                for i, (src, out) in enumerate(zip(sources, outputs, strict=True))
            ),
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    dropped = int(script("save_lessons").strip_widget_views(nb))
    path.write_text(json.dumps(nb))
    return dropped


PICTURES = """
() => [...window.__jmPanel.node.querySelectorAll('.jp-OutputArea-output img')].map((img) => {
  const box = img.getBoundingClientRect();
  return { src: img.src.slice(0, 22), width: box.width, height: box.height };
})
"""

TRUST = """
() => window.__jmPanel.content.widgets.forEach((c) => { if (c.model.type === 'code') c.model.trusted = true; })
"""


def _pictures(page: Any, count: int = 2) -> list[dict[str, Any]]:
    """The outputs' ``count`` pictures, once loaded; no widget error and no widget repr in the notebook."""
    page.wait_for_function(
        "(n) => { const imgs = [...window.__jmPanel.node.querySelectorAll('.jp-OutputArea-output img')];"
        " return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0); }",
        arg=count,
    )
    text = page.evaluate("() => window.__jmPanel.node.innerText")
    assert not [e for e in ERRORS if e in text], text
    assert "Studio(children" not in text
    return list(page.evaluate(PICTURES))


@pytest.fixture
def saved(frontend: Lab) -> str:
    name = f"saved_{frontend.app}.ipynb"
    assert write_saved_notebook(frontend.root / name) == 2
    return name


def _open_without_running(page: Any, frontend: Lab, name: str) -> None:
    page.set_default_timeout(60_000)
    page.goto(frontend.page_url(name))
    page.wait_for_function("window.jupyterapp !== undefined")
    page.wait_for_selector(".jp-NotebookPanel")
    page.evaluate(OPEN, name)


def test_a_saved_notebook_reopens_with_pictures_not_widget_errors(
    frontend: Lab, saved: str, page: Any, page_errors: list[str]
) -> None:
    _open_without_running(page, frontend, saved)
    untrusted = _pictures(page)  # JupyterLab renders no SVG untrusted: the PNG shows
    assert [p["src"] for p in untrusted] == ["data:image/png;base64,"] * 2, untrusted
    assert all(p["width"] > 300 and p["height"] > 100 for p in untrusted), untrusted
    if SHOTS and frontend.app == "lab":
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / "saved_notebook_untrusted_light.png"), full_page=True)
    page.evaluate(TRUST)
    page.wait_for_function(
        "() => [...window.__jmPanel.node.querySelectorAll('.jp-OutputArea-output img')]"
        ".filter((i) => i.src.startsWith('data:image/svg+xml')).length === 2"
    )
    trusted = _pictures(page)
    assert all(p["width"] > 300 and p["height"] > 100 for p in trusted), trusted
    if SHOTS and frontend.app == "lab":
        _screenshots(page, Path(SHOTS))


def _screenshots(page: Any, folder: Path) -> None:
    """The saved notebook (trusted: the SVG) in JupyterLab Light and Dark, for a person to look at."""
    folder.mkdir(parents=True, exist_ok=True)
    for theme in ("Light", "Dark"):
        page.evaluate(f"window.jupyterapp.commands.execute('apputils:change-theme', {{theme: 'JupyterLab {theme}'}})")
        page.wait_for_function(f"document.body.dataset.jpThemeLight === '{str(theme == 'Light').lower()}'")
        page.wait_for_timeout(500)
        page.screenshot(path=str(folder / f"saved_notebook_{theme.lower()}.png"), full_page=True)


def test_the_saved_quickstart_lesson_reopens_with_the_studio_picture(
    frontend: Lab, page: Any, page_errors: list[str]
) -> None:
    """The real lesson, once ``scripts/save_lessons.py`` has saved it (until then this fails, as it should)."""
    unsaved = unpictured(json.loads(QUICKSTART.read_text(encoding="utf-8")))
    assert unsaved == [], f"cells {unsaved}: run `python scripts/save_lessons.py 00_quickstart`"
    name = f"quickstart_{frontend.app}.ipynb"
    (frontend.root / name).write_bytes(QUICKSTART.read_bytes())
    _open_without_running(page, frontend, name)
    (picture,) = _pictures(page, count=1)
    assert picture["src"] == "data:image/png;base64,"
    assert picture["width"] > 300
    page.evaluate(TRUST)
    page.wait_for_selector(".jp-OutputArea-output img[src^='data:image/svg+xml']")
    assert _pictures(page, count=1)[0]["width"] > 300


LESSONS = {
    "01_notes_and_midi": (1, 1),
    "04_sampling_and_creativity": (1, 2),
    "07_styles": (1, 2),
    "08_inside_the_model": (2, 0),
}
"""Lessons with saved scores and players: how many of each."""

UNTRUSTED = """
async ([nScores, nPlayers]) => {
  const panel = window.__jmPanel;
  const code = panel.content.widgets.filter((c) => c.model.type === 'code');
  const out = panel.node.querySelectorAll.bind(panel.node);
  const count = (sel) => out(`.jp-OutputArea-output ${sel}`).length;
  for (let i = 0; i < 600 && (count('img.jupymuse-score') < nScores || count('audio') < nPlayers); i++) {
    await new Promise((r) => setTimeout(r, 100));  // outputs render one by one as the notebook opens
  }
  const scores = [];
  for (const img of out('.jp-OutputArea-output img.jupymuse-score')) {
    img.scrollIntoView({ block: 'center' });
    await img.decode();
    const box = img.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    scores.push({ src: img.src.slice(0, 26), natural: img.naturalWidth, width: box.width, height: box.height,
                  onTop: hit === img });
  }
  const players = await Promise.all([...out('.jp-OutputArea-output audio')].map((a) => new Promise((resolve) => {
    const done = () => resolve({ src: a.src.slice(0, 22), controls: a.controls, duration: a.duration,
                                 error: a.error ? a.error.code : 0 });
    if (a.readyState >= 1 || a.error) return done();
    a.addEventListener('loadedmetadata', done, { once: true });
    a.addEventListener('error', done, { once: true });
    if (a.networkState === HTMLMediaElement.NETWORK_EMPTY) a.load();
  })));
  return {
    trusted: code.filter((c) => c.model.trusted).length,
    first: code[0].model.sharedModel.getSource(),
    markers: code.filter((c) => c.model.sharedModel.getSource().includes('NBVAL')).length,
    scoreText: panel.node.textContent.includes('<Score'),
    scores,
    players,
  };
}
"""


def _saved_durations(path: Path) -> list[float]:
    """Seconds of each saved player's sound in the lesson file, read from its WAV header."""
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for c in json.loads(path.read_text())["cells"]
                   for o in c.get("outputs", []))  # fmt: skip
    durations = []
    for encoded in re.findall(r'<audio[^>]* src="data:audio/wav;base64,([^"]+)"', html):
        with wave.open(BytesIO(base64.b64decode(encoded))) as sound:
            durations.append(sound.getnframes() / sound.getframerate())
    return durations


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_a_fresh_clone_of_a_lesson_shows_its_scores_and_plays_its_sound_untrusted(
    frontend: Lab, page: Any, page_errors: list[str], lesson: str
) -> None:
    """Before: ``<Score: 19 notes ...>`` as text, players without a sound, and ``# NBVAL_...`` atop the first cell."""
    source = ROOT / "notebooks" / f"{lesson}.ipynb"
    name = f"fresh_{lesson}_{frontend.app}.ipynb"
    (frontend.root / name).write_bytes(source.read_bytes())  # a fresh copy: no trust was ever given to it
    _open_without_running(page, frontend, name)
    scores, players = LESSONS[lesson]
    seen = page.evaluate(UNTRUSTED, [scores, players])
    assert seen["trusted"] == 0
    assert seen["markers"] == 0, seen["first"]
    assert not seen["first"].lstrip().startswith("#"), seen["first"]
    assert not seen["scoreText"]
    assert len(seen["scores"]) == scores, seen["scores"]
    for score in seen["scores"]:
        assert score["src"] == "data:image/svg+xml;base64,"
        assert score["natural"] > 300
        assert score["width"] > 300
        assert score["height"] > 60
        assert score["onTop"], score  # shown, not hidden under something else
    assert len(seen["players"]) == players, seen["players"]
    for player, saved in zip(seen["players"], _saved_durations(source), strict=True):
        assert player["src"] == "data:audio/wav;base64,"
        assert player["controls"]
        assert player["error"] == 0
        assert abs(player["duration"] - saved) < 0.01, (player, saved)  # the browser decoded the whole sound
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.locator(".jp-OutputArea-output img.jupymuse-score").first.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / f"untrusted_{lesson}_{frontend.app}.png"))
