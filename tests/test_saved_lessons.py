"""Saved notebooks show a picture of the roll, never "Error displaying widget" (issue 11).

``scripts/save_lessons.py`` runs the lessons and drops each widget view that has a picture beside
it. Checked here: that the lessons in ``notebooks/`` are saved that way, what the stripping does,
and that nbconvert's HTML of a saved notebook shows the pictures. And for a fresh clone, whose
lessons are untrusted (issue 21, case 14): saved scores and players are in the forms that show and
play untrusted (``tests/test_untrusted_outputs.py``), and nbval's markers are cell tags, not comments
in the code a student reads.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbval.plugin import find_comment_markers, metadata_tags

from jupymuse.errors import JupymuseError
from jupymuse.freeze import freeze_file, unpictured

from helpers import script

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


save_lessons = script("save_lessons")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_no_lesson_stores_a_widget_view_without_a_picture(path: Path) -> None:
    """Reopened without a kernel, such an output reads "Error displaying widget: model not found"."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = unpictured(nb)
    assert cells == [], f"{path.name}: cells {cells} (run `python scripts/save_lessons.py {path.stem}`)"
    assert "widgets" not in nb["metadata"]  # widget state would commit the built bundle


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _code_cells(path: Path) -> list[dict[str, Any]]:
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_nbval_markers_are_tags_not_comments_in_the_code(path: Path) -> None:
    """A marker is for the test run, not the student: a tag nbval reads (a mistyped one would check the output)."""
    for cell in _code_cells(path):
        source = "".join(cell["source"])
        assert list(find_comment_markers(source)) == [], source[:80]
        assert "NBVAL" not in source.upper(), source[:80]
        tags = cell["metadata"].get("tags", [])
        assert [t for t in tags if t.startswith(("nbval", "raises")) and t not in metadata_tags] == [], tags
        if "nbval-ignore-output" in tags:  # why it is not checked, for whoever edits the lesson
            assert cell["metadata"]["jupymuse"]["unchecked"].strip(), source[:80]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_outputs_that_vary_between_runs_stay_unchecked(path: Path) -> None:
    """Moving the markers kept them: a player's synthesised sound and a live widget's id are not compared."""
    for cell in _code_cells(path):
        texts = [
            _text(v) for o in cell.get("outputs", []) for v in o.get("data", {}).values() if isinstance(v, str | list)
        ]
        varies = any("<audio" in t or 'class="jupymuse-picture"' in t for t in texts)
        tagged = "nbval-ignore-output" in cell["metadata"].get("tags", [])
        assert tagged or not varies, "".join(cell["source"])[:80]


def _saved_data(path: Path) -> list[dict[str, Any]]:
    return [o["data"] for c in _code_cells(path) for o in c.get("outputs", []) if isinstance(o.get("data"), dict)]


def test_saved_scores_and_players_are_in_their_untrusted_forms() -> None:
    """Saved by the current code: each score has its ``<img>`` twin, each player its sound on ``<audio src>``."""
    scores = players = 0
    for path in LESSONS:
        for data in _saved_data(path):
            html = _text(data.get("text/html", ""))
            if 'class="jupymuse-score"' in _text(data.get("image/svg+xml", "")):
                scores += 1
                [encoded] = re.findall(r'^<img class="jupymuse-score" src="data:image/svg\+xml;base64,([^"]+)"', html)
                assert base64.b64decode(encoded).decode("utf-8") == _text(data["image/svg+xml"]), path.name
            if "<audio" in html:
                players += 1
                assert "<source" not in html, f"{path.name}: run `python scripts/save_lessons.py {path.stem}`"
                assert re.match(r'<audio controls="controls" src="data:audio/wav;base64,UklGR', html), path.name
    assert (scores, players) == (5, 6)  # lessons 01, 04, 07 and 08 (two); 00, 01, 04 (two) and 07 (two)


def _output(data: dict[str, Any]) -> dict[str, Any]:
    return {"output_type": "execute_result", "execution_count": 1, "data": data, "metadata": {}}


def test_stripping_drops_widget_views_only_where_a_picture_stands_in() -> None:
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    pictured = _output({WIDGET_VIEW: view, "image/png": "iVBOR", "image/svg+xml": "<svg/>", "text/plain": "roll"})
    bare = _output({WIDGET_VIEW: view, "text/plain": "IntSlider(value=3)"})
    timing = {"execution": {"iopub.status.idle": "2026-01-01T00:00:00Z"}, "tags": ["keep"]}
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "text"},
            {"cell_type": "code", "metadata": timing, "source": "roll", "outputs": [pictured]},
            {"cell_type": "code", "metadata": {}, "source": "slider", "outputs": [bare]},
        ],
        "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {}}, "kernelspec": {}},
    }
    before = copy.deepcopy(nb)
    assert unpictured(nb) == [2]
    assert save_lessons.strip_widget_views(nb) == 1
    assert set(nb["cells"][1]["outputs"][0]["data"]) == {"image/png", "image/svg+xml", "text/plain"}
    assert nb["cells"][2]["outputs"] == before["cells"][2]["outputs"]  # no picture: kept, and reported
    assert nb["cells"][1]["metadata"] == {"tags": ["keep"]}
    assert nb["metadata"] == {"kernelspec": {}}
    assert unpictured(nb) == [2]
    assert save_lessons.strip_widget_views(nb) == 0  # a second pass changes nothing


CELLS = [
    "import jupymuse\nroll = jupymuse.PianoRoll('C4:4 E4:4 G4:4 C5:8')\nroll",
    "studio = jupymuse.Studio('markov-1', 'G4:4 A4:4 B4:4', corpus='bach-chorales:pearce185', warm_up=False)\n"
    "studio.generate(8, n=2, seed=1)\nstudio",
]


def _html(path: Path) -> str:
    subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", str(path), "--output-dir", str(path.parent)],
        check=True,
        capture_output=True,
    )
    return path.with_suffix(".html").read_text(encoding="utf-8")


def _pictures(html: str) -> list[str]:
    """The roll pictures in an HTML export: inline ``<svg>`` or (nbconvert 7.17) ``<img>`` data URLs."""
    encoded = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    found = [base64.b64decode(e).decode("utf-8") for e in encoded]
    found += re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="jupymuse-picture".*?</svg>', html)
    return [svg for svg in found if 'class="jupymuse-picture"' in svg]


@pytest.mark.slow
def test_nbconvert_html_of_a_saved_notebook_shows_the_pictures(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    save_lessons.execute(nb, tmp_path, timeout=300)
    raw = copy.deepcopy(nb)
    assert save_lessons.strip_widget_views(nb) == 2
    saved, unstripped = tmp_path / "saved.ipynb", tmp_path / "unstripped.ipynb"
    nbformat.write(nb, saved)
    nbformat.write(raw, unstripped)
    for path in (saved, unstripped):  # without widget state nbconvert skips widget views either way
        html = _html(path)
        pictures = _pictures(html)
        assert len(pictures) == 2, path.name
        assert "PianoRoll: 4 notes, 2 bars" in pictures[0]
        assert "jupymuse Studio, model Markov order 1" in pictures[1]
        assert "model not found" not in html
        assert "Error displaying widget" not in html
        assert "Studio(children" not in html


def test_jupymuse_freeze_turns_a_saved_notebook_into_pictures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jupymuse.cli import main

    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    output = _output({WIDGET_VIEW: view, "image/png": "iVBOR", "text/plain": "roll"})
    cell = {
        "cell_type": "code",
        "id": "roll",
        "execution_count": 1,
        "metadata": {},
        "source": "roll",
        "outputs": [output],
    }
    state = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb = {"cells": [cell], "metadata": {"widgets": state}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "mine.ipynb"
    path.write_text(json.dumps(nb))
    assert main(["freeze", str(path)]) == 0
    assert "1 live widget view(s) replaced by their picture" in capsys.readouterr().out
    saved = json.loads(path.read_text())
    assert set(saved["cells"][0]["outputs"][0]["data"]) == {"image/png", "text/plain"}
    assert "widgets" not in saved["metadata"]
    nbformat.validate(nbformat.reads(path.read_text(), as_version=4))  # still a valid notebook
    (tmp_path / "broken.ipynb").write_text("{not json")
    assert main(["freeze", str(tmp_path / "broken.ipynb")]) == 2
    assert "is not a notebook jupymuse can read" in capsys.readouterr().err
    assert main(["freeze", str(tmp_path / "x.txt")]) == 2
    assert capsys.readouterr().err.startswith("error: argument NOTEBOOK: ")


def test_freeze_takes_odd_notebook_json_without_a_crash_and_writes_json_back(tmp_path: Path) -> None:
    """Issue 21, case 4: shapes a notebook should not have are left alone, text that cannot be written
    back as JSON is refused with nothing changed, and a lone surrogate is written escaped again."""
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "x"}, "image/png": "iVBOR"}
    odd = [
        {"cells": ["oops"]},
        {"cells": [{"cell_type": "code", "outputs": [{"data": None}]}]},
        {"cells": [{"cell_type": "code", "outputs": "none"}], "metadata": ["a list"]},
        {"cells": [{"cell_type": "code", "outputs": [{"data": dict(view), "text": "\ud800"}]}]},
    ]
    for i, nb in enumerate(odd):
        path = tmp_path / f"odd{i}.ipynb"
        path.write_text(json.dumps(nb))
        dropped = freeze_file(path)
        assert dropped == (1 if i == 3 else 0)
        json.loads(path.read_text())  # still JSON
    for name, text in {
        "huge": '{"cells": [], "x": 1e400}',
        "deep": '{"cells": [], "x": ' + "[" * 10**5 + "]" * 10**5 + "}",
    }.items():
        path = tmp_path / f"{name}.ipynb"
        path.write_text(text)
        with pytest.raises(JupymuseError, match="nothing changed"):
            freeze_file(path)
        assert path.read_text() == text
