"""PianoRoll on the Python side: the binary note rows, edits from the page, bad input, files, sound."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import numpy as np
import pytest
import traitlets

import jupymuse
from jupymuse import Melody, PianoRoll
from jupymuse.music.key import Key
from jupymuse.widget.codec import MAX_NOTES, bytes_to_notes, melody_to_bytes
from jupymuse.widget.soundfont import soundfont_path

from helpers import mel


def rows(*notes: tuple[int, int, int, int]) -> bytes:
    return np.array(notes, dtype="<i4").reshape(-1, 4).tobytes()


class Sent:
    """Records what the widget sends to the page."""

    def __init__(self, roll: PianoRoll, monkeypatch: pytest.MonkeyPatch) -> None:
        self.messages: list[tuple[dict[str, Any], list[bytes]]] = []
        self.states: list[object] = []
        monkeypatch.setattr(roll, "send", lambda content, buffers=None: self.messages.append((content, buffers or [])))
        monkeypatch.setattr(roll, "send_state", lambda key=None: self.states.append(key))


def page(roll: PianoRoll, content: object, buffers: list[bytes] | None = None) -> None:
    roll._on_page_message(roll, content, buffers or [])


def test_notes_cross_as_int32_rows_and_round_trip() -> None:
    m = mel("C4:4 D4:2@80 r:2 E4:8")
    data = melody_to_bytes(m)
    assert len(data) == 3 * 16
    assert np.frombuffer(data, "<i4").reshape(3, 4).tolist() == [[60, 0, 4, 100], [62, 4, 2, 80], [64, 8, 8, 100]]
    assert bytes_to_notes(data) == list(m.notes)
    roll = PianoRoll(m)
    assert roll.melody == m
    assert roll.notes == data


def test_assigning_a_melody_redraws_and_keeps_its_settings() -> None:
    roll = PianoRoll("C4:4")
    seen: list[Melody] = []
    stop = roll.on_change(seen.append)
    new = Melody.from_notation("G4:4 A4:4", tempo=90, time_signature=(3, 4), key="G major")
    roll.melody = new
    assert roll.melody == new
    assert (roll.tempo, tuple(roll.time_signature), roll.key) == (90, (3, 4), "G major")
    assert seen == [new]
    stop()
    roll.melody = Melody()
    assert len(seen) == 1


@pytest.mark.parametrize("key", ["D dorian", "Gb major", "C# minor", "A aeolian"])
def test_a_typed_key_travels_to_the_page_as_its_name_and_back(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    roll = PianoRoll("C4:4")
    Sent(roll, monkeypatch)
    melody = Melody.from_notation("D4:4 E4:4", key=Key.parse(key))
    roll.melody = melody
    assert roll.key == key  # the synced trait is text: the page shows it
    assert roll.melody.key == Key.parse(key)
    roll.set_state({"key": key.lower().replace("b ", "- ")})  # as the page or music21 might write it
    assert roll.key == key  # kept as Key writes it
    assert roll.melody == melody
    roll.key = Key.parse("F major")  # a Key from Python is taken as its name
    assert (roll.key, roll.melody.key) == ("F major", Key.parse("F major"))
    roll.key = ""
    assert roll.melody.key is None


def test_an_edit_from_the_page_becomes_the_melody(monkeypatch: pytest.MonkeyPatch) -> None:
    roll = PianoRoll("C4:4")
    Sent(roll, monkeypatch)
    page(roll, {"type": "set-notes", "reason": "draw"}, [rows((60, 0, 4, 100), (64, 4, 4, 90), (67, 4, 8, 90))])
    # the monophony rule: of the two notes on step 4 the higher stays
    assert roll.melody.to_notation() == "C4:4 G4:8@90"
    assert roll.error == ""


@pytest.mark.parametrize(
    ("buffers", "reason"),
    [
        ([rows((128, 0, 4, 100))], "pitch"),
        ([rows((60, -4, 4, 100))], "start"),
        ([rows((60, 0, 0, 100))], "duration"),
        ([rows((60, 0, 4, 0))], "velocity"),
        ([b"\x00" * 17], "not a whole number of notes"),
        ([np.zeros((MAX_NOTES * 10, 4), "<i4").tobytes()], "at most"),
        ([], "without its notes"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(
    monkeypatch: pytest.MonkeyPatch, buffers: list[bytes], reason: str
) -> None:
    roll = PianoRoll("C4:4 D4:4")
    sent = Sent(roll, monkeypatch)
    before = roll.melody
    page(roll, {"type": "set-notes", "reason": "draw"}, buffers)
    assert roll.melody == before
    assert reason in roll.error
    assert "notes" in sent.states  # the page is told to show the kept melody again
    page(roll, {"type": "set-notes"}, [rows((60, 0, 4, 100))])
    assert roll.error == ""


@pytest.mark.parametrize(
    "content", [{"type": "explode"}, {"no": "type"}, {"type": ["set-notes"]}, {"type": 3}, ["a", "list"], "text"]
)
def test_malformed_or_unknown_messages_are_refused(monkeypatch: pytest.MonkeyPatch, content: object) -> None:
    roll = PianoRoll("C4:4")
    Sent(roll, monkeypatch)
    page(roll, content)
    assert "does not know" in roll.error
    assert roll.melody == mel("C4:4")


def test_traits_reject_out_of_range_settings() -> None:
    roll = PianoRoll()
    for name, value in (("program", 128), ("velocity", 0), ("tempo", 0.0), ("snap", -1.0)):
        with pytest.raises(Exception, match=name if name != "snap" else "snap"):
            setattr(roll, name, value)


def test_import_and_export_midi(monkeypatch: pytest.MonkeyPatch) -> None:
    roll = PianoRoll()
    sent = Sent(roll, monkeypatch)
    source = mel("E4:4 F4:4 G4:8", tempo=100)
    page(roll, {"type": "import-midi", "name": "song.mid"}, [source.to_midi()])
    assert roll.melody.to_notation() == "E4:4 F4:4 G4:8"
    assert roll.tempo == 100
    assert roll.melody.meta["source"] == "song.mid"
    assert roll.melody.meta["title"] == "song"  # as read_midi("song.mid") names it: downloads are song.*
    page(roll, {"type": "import-midi", "name": "broken.mid"}, [b"MThd garbage"])
    assert roll.error.startswith("broken.mid:")
    assert roll.melody.to_notation() == "E4:4 F4:4 G4:8"
    page(roll, {"type": "export-midi"})
    content, buffers = sent.messages[-1]
    assert content == {"type": "midi-file", "name": "song.mid"}
    assert jupymuse.read_midi(bytes(buffers[0])).to_notation() == "E4:4 F4:4 G4:8"


def test_import_and_export_abc(monkeypatch: pytest.MonkeyPatch) -> None:
    roll = PianoRoll()
    sent = Sent(roll, monkeypatch)
    tune = "X:7\nT:Kesh\nM:6/8\nL:1/8\nK:G\nGAG GAB|ABA ABd|]\n"
    page(roll, {"type": "import-abc", "name": "kesh.abc"}, [tune.encode("utf-8")])
    assert roll.error == ""
    assert roll.melody.to_notation().startswith("G4:2 A4:2 G4:2 G4:2 A4:2 B4:2")
    assert tuple(roll.time_signature) == (6, 8)
    assert (roll.melody.meta["title"], roll.melody.meta["source"]) == ("Kesh", "kesh.abc")
    page(roll, {"type": "export-abc"})
    content, buffers = sent.messages[-1]
    assert content == {"type": "abc-file", "name": "Kesh.abc"}
    assert Melody.from_abc(bytes(buffers[0]).decode("utf-8")).notes == roll.melody.notes
    before = roll.melody
    for name, data, reason in (
        ("bad.abc", b"X:1\nK:Q minor\nGA|", "bad.abc:"),
        ("latin1.abc", "X:1\nT:Caf\u00e9\nK:C\nC|".encode("latin-1"), "latin1.abc is not UTF-8"),
        ("huge.abc", b"X:1\nK:C\n" + b"C" * (1 << 20), "up to 1,048,576 bytes"),
    ):
        page(roll, {"type": "import-abc", "name": name}, [data])
        assert reason in roll.error
        assert roll.melody == before  # nothing lost
    page(roll, {"type": "import-abc", "name": "none.abc"}, [])
    assert "without its text" in roll.error


def test_selection_and_accent_to_are_checked_spans() -> None:
    roll = PianoRoll("C4:4 D4:4 E4:8")
    roll.selection = (4, 16)
    assert roll.selection == (4, 16)
    roll.selection = [8, 8]  # as the page sends a span: a list; an empty one is none
    assert roll.selection == (0, 0)
    for bad in ((5, 3), (-1, 4), (0, 2**20 + 1), (True, 4)):
        with pytest.raises(traitlets.TraitError, match="selection must be a span of steps"):
            roll.selection = bad
    assert roll.selection == (0, 0)
    roll.accent_to = 16
    with pytest.raises(traitlets.TraitError, match="accent_to must be -1-"):
        roll.accent_to = -2


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        (None, "melody"),
        ("Drowsy Maggie", "Drowsy Maggie"),
        ("Sí señor: a reel/jig?", "Sí señor a reeljig"),
        ("../../etc/passwd", "etcpasswd"),
        ("///", "melody"),
    ],
)
def test_downloads_are_named_after_the_title(monkeypatch: pytest.MonkeyPatch, title: str | None, stem: str) -> None:
    """Downloads from the toolbar carry the melody's title, made safe for a file name; ``melody.*`` without one."""
    meta = {} if title is None else {"title": title}
    roll = PianoRoll(Melody.from_notation("G4:4 A4:4 B4:8", meta=meta))
    sent = Sent(roll, monkeypatch)
    page(roll, {"type": "set-notes", "reason": "delete"}, [rows((67, 0, 4, 100), (69, 4, 4, 100))])
    page(roll, {"type": "export-midi"})
    page(roll, {"type": "export-musicxml"})  # an edit on the page kept the title
    names = [content["name"] for content, _ in sent.messages]
    assert names == [f"{stem}.mid", f"{stem}.musicxml"]
    midi = jupymuse.read_midi(bytes(sent.messages[0][1][0]))
    assert midi.to_notation() == "G4:4 A4:4"


def test_note_length_is_what_a_click_draws_and_is_checked() -> None:
    """``note_length`` (sixteenths): a quarter note by default; the page may set any length above 0 up to 64."""
    roll = PianoRoll("C4:4")
    assert roll.note_length == 4.0
    roll.set_state({"note_length": 6})  # a dotted quarter drawn by dragging
    roll.set_state({"note_length": 4 / 3})  # a triplet eighth
    assert roll.note_length == pytest.approx(4 / 3)
    assert PianoRoll(note_length=16).note_length == 16
    with pytest.raises(jupymuse.JupymuseError, match="note_length must be more than 0 and at most 64"):
        PianoRoll(note_length=0)


def test_the_soundfont_is_sent_as_a_buffer_not_saved_as_state(monkeypatch: pytest.MonkeyPatch) -> None:
    roll = PianoRoll("C4:4")
    sent = Sent(roll, monkeypatch)
    page(roll, {"type": "need-soundfont"})
    content, buffers = sent.messages[-1]
    assert content["type"] == "soundfont"
    assert bytes(buffers[0][:4]) == b"RIFF"
    assert len(buffers[0]) == soundfont_path().stat().st_size
    state = {k: v for k, v in roll.get_state().items() if k not in ("_esm", "_css")}  # the bundle is anywidget's
    assert len(json.dumps(state, default=str)) < 10_000  # 6 MB of SoundFont never lands in saved state
    page(roll, {"type": "audio-status", "status": "soundfont"})
    assert roll.audio_status == "soundfont"


def test_play_and_stop_send_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    roll = PianoRoll("C4:4")
    sent = Sent(roll, monkeypatch)
    roll.play()
    roll.stop()
    assert [m for m, _ in sent.messages] == [{"type": "play"}, {"type": "stop"}]


def test_two_rolls_are_independent() -> None:
    a, b = PianoRoll("C4:4"), PianoRoll("G4:4")
    a.melody = mel("D4:4 E4:4")
    assert b.melody == mel("G4:4")


def test_audio_renders_in_the_kernel() -> None:
    player = jupymuse.audio("C4:4 E4:4 G4:8", rate=8000)
    assert player.data[:4] == b"RIFF"
    assert len(player.data) > 8000  # about a second of sound


def test_showing_a_roll_does_not_import_tensorflow() -> None:
    code = (
        "import sys, jupymuse; r = jupymuse.PianoRoll('C4:4 D4:4'); r._repr_mimebundle_(); "
        "print([m for m in ('tensorflow', 'keras') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_undo_and_redo_go_to_the_kernel_only_when_it_keeps_the_history(monkeypatch: pytest.MonkeyPatch) -> None:
    roll = PianoRoll("C4:4")
    Sent(roll, monkeypatch)
    assert not roll.kernel_undo
    page(roll, {"type": "undo"})  # the page keeps its own history: a stray message is refused, nothing changes
    assert "keeps its own history" in roll.error
    asked: list[str] = []
    roll.on_undo(asked.append)
    assert roll.kernel_undo
    page(roll, {"type": "undo"})
    page(roll, {"type": "redo"})
    assert asked == ["undo", "redo"]
    roll.on_undo(None)
    assert not roll.kernel_undo


# ---------------------------------------------------------------------- issue 12: page state is checked (case 4)
@pytest.mark.parametrize(
    ("update", "reason"),
    [
        ({"steps_per_quarter": 0}, "steps_per_quarter"),
        ({"time_signature": [0, 4]}, "time signature 0/4"),
        ({"time_signature": [4, 3]}, "time signature 4/3"),
        ({"time_signature": [4, 0]}, "time signature 4/0"),
        ({"notes": memoryview(b"\x01\x02\x03\x04\x05")}, "not a whole number of notes"),
        ({"notes": memoryview(rows((200, 0, 4, 100)))}, "pitch 200"),
        ({"notes": memoryview(rows((60, -5, 4, 100)))}, "before step 0"),
        ({"tempo": float("nan")}, "tempo"),
        ({"tempo": 0}, "tempo"),
        ({"velocity": 0}, "velocity"),
        ({"velocity": 64.5}, "velocity"),
        ({"velocity": True}, "velocity"),
        ({"program": 200}, "program"),
        ({"snap": "x"}, "snap"),
        ({"height": 5}, "height"),
        ({"selected": True}, "selected"),
        ({"accent_from": -3}, "accent_from"),
        ({"note_length": 0}, "note_length must be more than 0"),
        ({"note_length": -4}, "note_length"),
        ({"note_length": 64.5}, "at most 64 sixteenth notes"),
        ({"note_length": float("nan")}, "note_length"),
        ({"note_length": "x"}, "note_length"),
        ({"shading": memoryview(b"\x00" * 8)}, "shading"),
        ({"key": "x" * 1000}, "key"),
        ({"key": "H dur"}, "'H dur' is not a key"),
        ({"tempo": 90, "steps_per_quarter": 0}, "steps_per_quarter"),
        ({"selection": [12, 4]}, "selection must be a span of steps"),
        ({"accent_to": 2**21}, "accent_to"),
    ],
)
def test_a_bad_state_update_from_the_page_is_refused_and_shown(
    monkeypatch: pytest.MonkeyPatch, update: dict[str, Any], reason: str
) -> None:
    roll = PianoRoll("C4:4 D4:4 E4:8")
    sent = Sent(roll, monkeypatch)
    before = roll.melody
    with pytest.raises(traitlets.TraitError):
        roll.set_state(update)
    assert roll.melody == before  # still readable, unchanged
    assert (roll.tempo, roll.steps_per_quarter) == (120.0, 4)
    assert reason in roll.error
    assert "refused" in roll.error
    assert sent.states[-1] == list(update)  # the kept values go back to the page


def test_the_comm_path_shows_a_refused_update_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    roll = PianoRoll("C4:4")
    Sent(roll, monkeypatch)
    msg = {"content": {"data": {"method": "update", "state": {"velocity": 500}, "buffer_paths": []}}, "buffers": []}
    roll._handle_msg(msg)  # what ipywidgets calls for the page's update: it must not raise
    assert "velocity" in roll.error
    assert roll.velocity == 100


def test_notes_arriving_as_state_follow_the_monophony_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    roll = PianoRoll("C4:4")
    Sent(roll, monkeypatch)
    roll.set_state({"notes": memoryview(rows((64, 4, 4, 90), (60, 0, 8, 100), (67, 4, 2, 90)))})
    assert roll.melody.to_notation() == "C4:4 G4:2@90"
    assert roll.notes == melody_to_bytes(roll.melody)
    roll.set_state({"tempo": 90, "time_signature": [3, 4], "selected": 1, "follow": False})
    assert (roll.melody.tempo, roll.melody.time_signature, roll.selected) == (90, (3, 4), 1)
    roll.set_state({"selected": 7})  # the page was a step behind: nothing selected, no error
    assert roll.selected == -1
    assert roll.error == ""


def test_a_python_side_bad_setting_is_a_jupymuse_error_and_a_trait_error() -> None:
    with pytest.raises(jupymuse.JupymuseError, match="program"):
        PianoRoll(program=200)
    roll = PianoRoll("C4:4 D4:4")
    roll.shade([1.0, 2.0])
    roll.melody = mel("C4:4")  # fewer notes: the stale shading and selection go
    assert roll.shading == b""
    assert roll.selected == -1


# ---------------------------------------------------------------------- issue 12: files the roll opens and writes
def test_download_works_for_a_title_midi_text_cannot_hold(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    path = tmp_path / "Lied ♪.mid"
    mel("E4:4 F4:4 G4:8").to_midi(path)
    roll = PianoRoll(jupymuse.read_midi(path))
    sent = Sent(roll, monkeypatch)
    page(roll, {"type": "export-midi"})
    assert roll.error == ""
    content, buffers = sent.messages[-1]
    assert content["type"] == "midi-file"
    assert jupymuse.read_midi(bytes(buffers[0])).to_notation() == "E4:4 F4:4 G4:8"


def test_a_dropped_file_over_the_limit_is_refused_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    from jupymuse.music.midi import MAX_FILE_BYTES

    roll = PianoRoll("C4:4")
    Sent(roll, monkeypatch)
    page(roll, {"type": "import-midi", "name": "huge.mid"}, [b"MThd" + bytes(MAX_FILE_BYTES)])
    assert roll.error.startswith("huge.mid:")
    assert "up to 4 MiB" in roll.error
    assert roll.melody == mel("C4:4")


@pytest.mark.slow
def test_edits_of_a_100k_note_melody_stay_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    big = Melody([jupymuse.Note(60 + i % 12, 2 * i, 2) for i in range(MAX_NOTES)])
    roll = PianoRoll(big)
    Sent(roll, monkeypatch)
    assert roll.melody is big  # the melody just assigned is not decoded again
    raw = bytearray(roll.notes)
    raw[0:4] = (50).to_bytes(4, "little")
    t0 = time.perf_counter()
    page(roll, {"type": "set-notes"}, [bytes(raw)])
    assert time.perf_counter() - t0 < 1.0  # checked in one numpy pass, not 100k Note objects
    assert roll.error == ""
    assert roll.melody.notes[0].pitch == 50


def test_an_export_too_long_for_musicxml_is_refused_at_once_and_says_why_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page waits for the file or an error (``KernelRequests`` in js/src/toolbar.ts): a refusal must
    come quickly, and a second one must reach the page too, though its text is the same."""
    long = Melody([jupymuse.Note(60, 13 * i, 13) for i in range(25_001)], steps_per_quarter=1, time_signature=(255, 1))
    roll = PianoRoll(long)
    sent = Sent(roll, monkeypatch)
    for _ in range(2):
        sent.states.clear()
        started = time.process_time()
        page(roll, {"type": "export-musicxml"})
        assert time.process_time() - started < 1.0
        assert "MAX_MUSICXML_PIECES" in roll.error
        assert "error" in sent.states  # the page hears it, the second time as the first
    assert [content["type"] for content, _ in sent.messages] == []  # no file
    roll.melody = mel("Bb4:4 C5:4 D5:4", meta={"title": "Lied"})
    page(roll, {"type": "export-musicxml"})
    content, buffers = sent.messages[-1]
    assert content == {"type": "musicxml-file", "name": "Lied.musicxml"}
    assert b"<step>B</step><alter>-1</alter>" in bytes(buffers[0])
