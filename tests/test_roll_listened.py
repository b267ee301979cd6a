"""The roll's ``listened`` (arcs of what a model listened to) and ``shading_scale`` traits: checked from
Python and from the page, cleared with the notes they belong to, shown by ``show_listened``, and drawn
(with a line of words) in the saved picture."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import traitlets

from jupymuse import Melody, PianoRoll
from jupymuse.errors import SettingError
from jupymuse.models import load_default
from jupymuse.widget.codec import melody_to_bytes
from jupymuse.widget.listened import MAX_SOURCES, Listened, Source
from jupymuse.widget.picture import Roll, layout, picture_bundle
from jupymuse.widget.picture_arcs import PITCH, RHYTHM, arc_width
from jupymuse.widget.shading import evidence_rgb, surprise_rgb
from jupymuse.widget.state import RollSettingError

TUNE = "G4:4 G4 D5 D5 E5 E5 D5:8 C5:4 C5 B4 B4 A4 A4 G4:8"
HEARD = {"note": 6, "sources": [[2, 1.25, 0.5], [5, 0.75, -0.25]]}


def kept_state(roll: PianoRoll, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    sent: list[object] = []
    monkeypatch.setattr(roll, "send_state", lambda key=None: sent.append(key))
    return sent


@pytest.mark.parametrize(
    ("update", "reason"),
    [
        ({"note": 14, "sources": []}, "listened note must be a note index from 0 to 13, not 14"),
        ({"note": 6, "sources": [[6, 1.0, 0.0]]}, "an earlier note) must be a note index from 0 to 5, not 6"),
        ({"note": 6, "sources": [[2, float("nan"), 0.0]]}, "finite numbers within ±1000, not nan"),
        ({"note": 6, "sources": [[2, 1.0, float("inf")]]}, "finite numbers"),
        ({"note": 6, "sources": [[2, 1.0]]}, "each listened source must be [index, pitch bits, rhythm bits]"),
        ({"note": 6, "sources": [[0, 0.1, 0.1]] * (MAX_SOURCES + 1)}, f"at most {MAX_SOURCES} earlier notes"),
        ({"note": True, "sources": []}, "listened note must be a note index"),
        ({"note": 6}, 'listened must be {} or {"note": index'),
        ([1, 2], "listened"),
    ],
)
def test_a_bad_listened_from_the_page_is_refused_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, update: Any, reason: str
) -> None:
    roll = PianoRoll(TUNE)
    roll.listened = HEARD
    sent = kept_state(roll, monkeypatch)
    with pytest.raises(traitlets.TraitError) as refused:
        roll.set_state({"listened": update})
    assert isinstance(refused.value, RollSettingError)
    assert reason in roll.error
    assert "refused" in roll.error
    assert roll.listened == HEARD  # nothing changed
    assert sent[-1] == ["listened"]  # the kept value goes back to the page


def test_listened_is_kept_in_its_plain_form_and_cleared_with_the_notes() -> None:
    roll = PianoRoll(TUNE)
    roll.set_state({"listened": {"note": 6, "sources": [(2, 1, 0.5)]}})
    assert roll.listened == {"note": 6, "sources": [[2, 1.0, 0.5]]}
    roll.set_state({"listened": {}})
    assert roll.listened == {}
    roll.listened = HEARD
    roll.key = "G major"  # not the notes: the arcs stay
    assert roll.listened == HEARD
    roll.melody = Melody.from_notation("C4:4 D4")
    assert roll.listened == {}  # arcs belong to the melody the model heard
    roll.melody = Melody.from_notation(TUNE)
    roll.listened = HEARD
    roll._set_notes([melody_to_bytes(Melody.from_notation(TUNE + " C4:4"))])  # an edit on the page
    assert roll.listened == {}


def test_show_listened_takes_a_models_attribution_and_shows_its_strongest() -> None:
    roll = PianoRoll(TUNE)
    found = load_default().attribution(roll.melody, 12)
    shown = roll.show_listened(found, top=4)
    assert shown is not None
    together = [j for j, _ in found.together if found.bits[j] >= 0.05]
    assert together  # the notes relied on together come first, then the largest others
    drawn = [j for j in found.top(12) if found.bits[j] >= 0.05]  # a twentieth of a bit or more is drawn
    expected = [*together, *(j for j in drawn if j not in together)][:4]
    assert [s.index for s in shown.sources] == expected
    assert roll.listened == shown.to_state()
    assert roll.show_listened(None) is None
    assert roll.listened == {}
    listened = Listened(3, (Source(1, 0.5, 0.25),))
    assert roll.show_listened(listened) == listened
    assert roll.show_listened(listened.to_state()) == listened
    with pytest.raises(SettingError, match="show_listened takes a model's attribution"):
        roll.show_listened("note 3")
    with pytest.raises(RollSettingError, match="not 99"):
        roll.show_listened({"note": 99, "sources": []})


def test_the_shading_scale_is_surprise_or_evidence() -> None:
    roll = PianoRoll("C4:4 D4 E4")
    roll.shade([0.5, -1.0, 2.0], scale="evidence")
    assert roll.shading_scale == "evidence"
    roll.shade([1.0, 2.0, 3.0])
    assert roll.shading_scale == "surprise"
    with pytest.raises(RollSettingError, match="scale must be one of surprise, evidence, not 'loud'"):
        roll.shade([1.0, 2.0, 3.0], scale="loud")
    with pytest.raises(traitlets.TraitError, match="shading_scale must be one of"):
        roll.set_state({"shading_scale": "x" * 10_000})
    assert roll.shading_scale == "surprise"


def _png_pixels(bundle: dict[str, Any]) -> np.ndarray:
    data = base64.b64decode(bundle["image/png"])
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    raw = zlib.decompress(data[data.index(b"IDAT") + 4 : data.index(b"IEND") - 8])
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(height, width * 3 + 1)[:, 1:].astype(np.uint8)
    return np.cumsum(rows, axis=0, dtype=np.uint8).reshape(height, width, 3)  # undo the "Up" filter


def test_the_saved_picture_draws_the_arcs_and_the_shading_and_says_them() -> None:
    roll = PianoRoll(TUNE)
    roll.shade(np.linspace(-2, 2, 14), scale="evidence")
    roll.listened = HEARD
    view = Roll.of_widget(roll)
    picture = layout(view)
    assert [(a.colour, a.dashed) for a in picture.arcs] == [(PITCH, False), (RHYTHM, True), (PITCH, False)]
    assert [a.width for a in picture.arcs] == [arc_width(1.25), arc_width(0.5), arc_width(0.75)]
    notes = [r for r in picture.rects if r.kind]
    assert notes[0].colour == evidence_rgb(-2.0)
    assert notes[-1].colour == evidence_rgb(2.0)
    data, _ = picture_bundle(view)
    line = "Arcs: note 7 (D5) listened most to note 3 (D5) +1.75 bits (pitch +1.25, rhythm +0.50)"
    assert line in data["text/plain"]
    svg = data["image/svg+xml"]
    assert svg.count('class="jm-arc jm-pitch"') == 2
    assert svg.count('class="jm-arc jm-rhythm"') == 1
    assert "stroke-dasharray" in svg
    assert "Arcs: note 7 (D5)" in svg
    pixels = _png_pixels(data)
    for colour in (PITCH, RHYTHM):
        assert (pixels == colour).all(axis=2).sum() > 20, colour  # the arcs are painted in the PNG too
    roll.listened = {}
    roll.shade(np.full(14, 9.0))
    plain = layout(Roll.of_widget(roll))
    assert plain.arcs == ()
    assert next(r for r in plain.rects if r.kind).colour == surprise_rgb(9.0)
    assert "Arcs:" not in picture_bundle(Roll.of_widget(roll))[0]["text/plain"]


def test_the_roll_traits_the_page_reads_include_listened() -> None:
    fixture = json.loads((Path(__file__).parent / "contract" / "boundary.json").read_text(encoding="utf-8"))
    names = {t["name"]: t["ts"] for t in fixture["traits"]["PianoRoll"]}
    assert names["listened"] == "Listened"
    assert names["shading_scale"] == "string"
    cases = fixture["evidence_colours"]  # js/test/contract.test.ts checks evidenceColour against them
    assert [c["rgb"] for c in cases] == [list(evidence_rgb(c["bits"])) for c in cases]
