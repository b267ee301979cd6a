"""The Python half of the boundary contract: ``tests/contract/boundary.json`` describes what crosses
between the kernel and the widget's JavaScript; ``js/test/contract.test.ts`` checks the JS half
against the same file. Each case goes through the real code path (codec, ``Melody``, a ``PianoRoll``
receiving the page's edit message)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import traitlets

from jupymuse.errors import NotationError
from jupymuse.music import MAX_PITCH, MAX_VELOCITY, MIN_PITCH, MIN_VELOCITY, Melody, Note
from jupymuse.music.abc_read import MAX_ABC_BYTES
from jupymuse.music.key import Key
from jupymuse.music.melody import MAX_TEMPO, MIN_TEMPO
from jupymuse.music.midi import MAX_FILE_BYTES
from jupymuse.music.note import MAX_STEPS
from jupymuse.studio.views import surprise_rgb
from jupymuse.widget import PianoRoll
from jupymuse.widget.codec import FIELDS, MAX_NOTES, ROW_BYTES, bytes_to_notes, melody_to_bytes
from jupymuse.widget.protocol import FROM_PYTHON, SCORE_TO_PYTHON, TO_PYTHON
from jupymuse.widget.state import MAX_NOTE_LENGTH

from helpers import script

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
    assert limits["max_abc_bytes"] == MAX_ABC_BYTES  # the largest ABC file the roll opens (js: limits.ts)
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
    if case["pitch_classes"] is None:
        with pytest.raises(NotationError):
            Key.parse(case["name"])
    else:
        assert sorted(Key.parse(case["name"]).pitch_classes) == case["pitch_classes"]


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


WRITER = script("write_contract")
"""scripts/write_contract.py: what writes the fixture's "traits" section from the widget classes."""


def test_synced_traits_are_the_widgets() -> None:
    """The fixture's trait lists (js/test/contract.test.ts checks protocol.ts against them) are the
    widgets' synced traits: one added, removed or retyped in Python without regenerating fails here."""
    assert CONTRACT["traits"] == WRITER.all_traits(), (
        f"the widgets' synced traits changed: run `{WRITER.COMMAND}`, then make js/src/protocol.ts "
        "(or js/src/score/protocol.ts) agree (js/test/contract.test.ts checks it)"
    )


def test_trait_lists_leave_out_the_base_widgets_traits_and_keep_the_class_order() -> None:
    names = [t["name"] for t in WRITER.synced_traits(PianoRoll)]
    assert not {"_model_name", "_view_module", "_dom_classes", "layout", "tabbable", "tooltip"} & set(names)
    assert names[:4] == ["notes", "steps_per_quarter", "tempo", "time_signature"]
    assert len(names) == len(set(names)) == 24


def test_a_new_synced_trait_is_listed_and_an_unknown_type_is_named() -> None:
    class Wider(PianoRoll):  # a widget with one more synced trait
        labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
        local = traitlets.Int(0)  # not synced: not the page's

    rows = WRITER.synced_traits(Wider)
    assert rows[:-1] == CONTRACT["traits"]["PianoRoll"]
    assert rows[-1] == {"name": "labels", "python": "List(Unicode)", "ts": "string[]"}

    class Odd(PianoRoll):
        extras = traitlets.Dict().tag(sync=True)

    with pytest.raises(SystemExit, match=r"'extras' is a traitlets\.Dict, which has no TypeScript type"):
        WRITER.synced_traits(Odd)


def test_the_writer_rewrites_the_traits_section_alone(tmp_path: Path) -> None:
    path = tmp_path / "boundary.json"
    stale = {**CONTRACT, "traits": {"PianoRoll": [{"name": "gone", "python": "Int", "ts": "number"}]}}
    path.write_text(json.dumps(stale, indent=1), encoding="utf-8")
    assert WRITER.write(path)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written == {**CONTRACT, "traits": WRITER.all_traits()}
    assert list(written) == list(CONTRACT)  # the sections keep their places
    assert not WRITER.write(path)  # up to date: the file is left alone
