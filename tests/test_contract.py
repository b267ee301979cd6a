"""The Python half of the boundary contract: ``tests/contract/boundary.json`` describes what crosses
between the kernel and the widget's JavaScript; ``js/test/contract.test.ts`` checks the JS half
against the same file. Each case goes through the real code path (codec, ``Melody``, a ``PianoRoll``
receiving the page's edit message)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jupymuse.music import MAX_PITCH, MAX_VELOCITY, MIN_PITCH, MIN_VELOCITY, Melody, Note
from jupymuse.music.melody import MAX_TEMPO, MIN_TEMPO, parse_key, scale_of
from jupymuse.music.midi import MAX_FILE_BYTES
from jupymuse.music.note import MAX_STEPS
from jupymuse.studio.views import surprise_rgb
from jupymuse.widget import PianoRoll
from jupymuse.widget.codec import FIELDS, MAX_NOTES, ROW_BYTES, bytes_to_notes, melody_to_bytes
from jupymuse.widget.protocol import FROM_PYTHON, SCORE_TO_PYTHON, TO_PYTHON
from jupymuse.widget.state import MAX_NOTE_LENGTH

CONTRACT: dict[str, Any] = json.loads(
    (Path(__file__).parent / "contract" / "boundary.json").read_text(encoding="utf-8")
)


def rows(notes: tuple[Note, ...] | list[Note]) -> list[list[int]]:
    return [[n.pitch, n.start, n.duration, n.velocity] for n in notes]


def _row(r: list[int]) -> bytes:
    """One note row as the page encodes it: four int32 little-endian values."""
    return b"".join(int(v).to_bytes(4, "little", signed=True) for v in r)


def notes_of(case_rows: list[list[int]]) -> list[Note]:
    return [Note(*r) for r in case_rows]


def test_limits_are_the_ones_python_enforces() -> None:
    limits = CONTRACT["limits"]
    assert (limits["min_pitch"], limits["max_pitch"]) == (MIN_PITCH, MAX_PITCH)
    assert (limits["min_velocity"], limits["max_velocity"]) == (MIN_VELOCITY, MAX_VELOCITY)
    assert limits["max_step"] == MAX_STEPS
    assert limits["max_notes"] == MAX_NOTES
    assert (limits["min_tempo"], limits["max_tempo"]) == (MIN_TEMPO, MAX_TEMPO)
    assert limits["max_midi_bytes"] == MAX_FILE_BYTES
    assert limits["max_note_length"] == MAX_NOTE_LENGTH  # the longest note a click draws (js: roll/length.ts)
    assert limits["row_bytes"] == ROW_BYTES
    assert len(limits["row_fields"]) == FIELDS


def test_message_names_are_the_ones_python_handles_and_sends() -> None:
    roll = PianoRoll()
    assert tuple(roll.handlers()) == TO_PYTHON == tuple(CONTRACT["messages"]["to_python"])
    assert tuple(CONTRACT["messages"]["from_python"]) == FROM_PYTHON
    assert tuple(CONTRACT["messages"]["score_to_python"]) == SCORE_TO_PYTHON


@pytest.mark.parametrize("case", CONTRACT["codec"], ids=lambda c: c["name"])
def test_codec_rows(case: dict[str, Any]) -> None:
    notes = notes_of(case["notes"])
    assert melody_to_bytes(Melody(notes)).hex() == case["hex"]
    assert rows(bytes_to_notes(bytes.fromhex(case["hex"]))) == case["notes"]


@pytest.mark.parametrize("case", CONTRACT["monophony"], ids=lambda c: c["name"])
def test_monophony_rule(case: dict[str, Any]) -> None:
    assert rows(Melody(notes_of(case["notes"])).notes) == case["expected"]


@pytest.mark.parametrize("case", CONTRACT["edits"], ids=lambda c: c["name"])
def test_an_edit_from_the_page_lands_as_the_contract_says(case: dict[str, Any]) -> None:
    """The page sends the edited rows as a ``set-notes`` message; the kernel keeps ``after``."""
    roll = PianoRoll(Melody(notes_of(case["before"])))
    raw = b"".join(_row(r) for r in case["raw"])  # the page's own encoding, not the Python codec
    roll._on_page_message(roll, {"type": "set-notes", "reason": case["op"]["kind"]}, [raw])
    assert roll.error == ""
    assert rows(roll.melody.notes) == case["after"]


@pytest.mark.parametrize("case", CONTRACT["keys"], ids=lambda c: repr(c["name"]))
def test_key_names(case: dict[str, Any]) -> None:
    parsed = parse_key(case["name"])
    if case["pitch_classes"] is None:
        assert parsed is None
    else:
        assert parsed is not None
        tonic, mode = parsed
        assert sorted((tonic + s) % 12 for s in scale_of(mode)) == case["pitch_classes"]


def test_every_message_python_sends_is_in_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    roll = PianoRoll("C4:4 E4:4")
    sent: list[str] = []
    monkeypatch.setattr(roll, "send", lambda content, buffers=None: sent.append(content["type"]))
    roll.play()
    roll.stop()
    for kind in ("export-midi", "need-soundfont"):
        roll._on_page_message(roll, {"type": kind}, [])
    assert roll.error == ""
    assert sent[:3] == ["play", "stop", "midi-file"]
    assert sent[3] in ("soundfont", "soundfont-missing")
    assert set(sent) <= set(CONTRACT["messages"]["from_python"])
    with pytest.raises(ValueError, match="not a message the page knows"):
        roll._post("reload")


@pytest.mark.parametrize("case", CONTRACT["surprise_colours"], ids=lambda c: f"{c['bits']} bits")
def test_surprise_colours_of_the_legend_are_the_rolls(case: dict[str, Any]) -> None:
    assert list(surprise_rgb(case["bits"])) == case["rgb"]
