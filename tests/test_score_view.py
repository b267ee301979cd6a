"""The score view widget (``widget/score_view.py``) and the roll's MusicXML download message."""

from __future__ import annotations

from typing import Any

import pytest

from jupymuse.music.musicxml import melody_to_musicxml
from jupymuse.music.score import Score
from jupymuse.widget import PianoRoll
from jupymuse.widget.piano_roll import file_stem
from jupymuse.widget.score_view import ScoreView

from helpers import mel


def test_show_sends_the_svg_with_each_notes_span() -> None:
    view = ScoreView()
    score = Score(mel("G4:4 A4:2 r:2 B4:8"))
    view.show(score)
    assert view.svg == score.svg
    assert view.spans == [0, 4, 4, 6, 8, 16]
    assert view.notes == 3
    assert view.message == ""


def test_say_replaces_the_score_with_a_line() -> None:
    view = ScoreView()
    view.show(Score(mel("G4:4")))
    view.say("No score: too long")
    assert (view.svg, view.spans, view.message, view.notes) == ("", [], "No score: too long", 0)


def test_a_click_on_a_note_reaches_the_callback_and_nothing_else_does() -> None:
    view = ScoreView()
    view.show(Score(mel("G4:4 A4:4")))
    clicked: list[int] = []
    view.on_select(clicked.append)
    for content in (
        {"type": "select-note", "index": 1},
        {"type": "select-note", "index": 2},  # past the notes
        {"type": "select-note", "index": True},
        {"type": "select-note", "index": "0"},
        {"type": "what"},
        "select-note",
    ):
        view._on_page_message(view, content, [])
    assert clicked == [1]
    view.on_select(None)
    view._on_page_message(view, {"type": "select-note", "index": 0}, [])
    assert clicked == [1]


def _sent(roll: PianoRoll, monkeypatch: pytest.MonkeyPatch) -> list[tuple[dict[str, Any], list[bytes]]]:
    messages: list[tuple[dict[str, Any], list[bytes]]] = []
    monkeypatch.setattr(roll, "send", lambda content, buffers=None: messages.append((content, buffers or [])))
    monkeypatch.setattr(roll, "send_state", lambda key=None: None)
    return messages


def test_the_page_gets_the_melodys_musicxml_named_after_its_title(monkeypatch: pytest.MonkeyPatch) -> None:
    melody = mel("G4:4 A4:4 B4:8", meta={"title": "Ode: to <joy>/2"})
    roll = PianoRoll(melody)
    sent = _sent(roll, monkeypatch)
    roll._on_page_message(roll, {"type": "export-musicxml"}, [])
    [(content, buffers)] = sent
    assert content == {"type": "musicxml-file", "name": "Ode to joy2.musicxml"}
    assert buffers[0].decode("utf-8") == melody_to_musicxml(roll.melody)
    assert roll.error == ""


def test_file_stems_are_safe_and_never_empty() -> None:
    assert file_stem(mel("C4")) == "melody"
    assert file_stem(mel("C4", meta={"title": "../../etc/passwd"})) == "etcpasswd"
    assert file_stem(mel("C4", meta={"title": "..."})) == "melody"
    assert file_stem(mel("C4", meta={"title": "x" * 300})) == "x" * 80
