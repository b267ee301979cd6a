"""The score view widget (``widget/score_view.py``): the score and its spans, clicks, the marks of what a
model listened to (checked whoever sets them, kept or dropped with the notes); and the roll's MusicXML
download message."""

from __future__ import annotations

from typing import Any

import pytest
import traitlets

from jupymuse.errors import JupymuseError
from jupymuse.music.musicxml import melody_to_musicxml
from jupymuse.music.score import Score
from jupymuse.widget import PianoRoll
from jupymuse.widget.listened import MAX_SOURCES, Listened, Source
from jupymuse.widget.piano_roll import file_stem
from jupymuse.widget.score_view import ScoreSettingError, ScoreView

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


HEARD = {"note": 3, "sources": [[1, 1.25, 0.5], [0, 0.25, -0.125]]}


def test_listened_marks_are_kept_in_their_one_spelling_and_cleared_with_nothing() -> None:
    view = ScoreView()
    view.show(Score(mel("G4:4 A4 B4 C5")))
    assert view.listened == {}
    view.show_listened(Listened(3, (Source(1, 1.25, 0.5), Source(0, 0.25, -0.125))))
    assert view.listened == HEARD
    view.show_listened(None)
    assert view.listened == {}
    view.show_listened({"note": 2, "sources": [(0, 1, 0)]})  # ints and tuples, as Python may write them
    assert view.listened == {"note": 2, "sources": [[0, 1.0, 0.0]]}
    view.show_listened({})
    assert view.listened == {}


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ([3, []], "must be a dict"),
        ("note 3", "must be a dict"),
        ({"note": 3}, 'listened must be {} or {"note"'),
        ({"note": 4, "sources": []}, "from 0 to 3, not 4 (the score shows 4 notes)"),
        ({"note": -1, "sources": []}, "from 0 to 3, not -1"),
        ({"note": True, "sources": []}, "not True"),
        ({"note": 2, "sources": [[2, 1.0, 0.0]]}, "an earlier note) must be a note index from 0 to 1, not 2"),
        ({"note": 2, "sources": [[0, float("nan"), 0.0]]}, "finite numbers within ±1000, not nan"),
        ({"note": 2, "sources": [[0, 0.0, 1e9]]}, "within ±1000"),
        ({"note": 2, "sources": [[0, 1.0]]}, "[index, pitch bits, rhythm bits]"),
        ({"note": 2, "sources": "0 1 0"}, "must be a list"),
        ({"note": 3, "sources": [[0, 0.1, 0.0]] * (MAX_SOURCES + 1)}, f"at most {MAX_SOURCES} earlier notes"),
    ],
)
def test_a_bad_listened_value_is_refused_with_the_limit_and_nothing_changes(value: Any, words: str) -> None:
    view = ScoreView()
    view.show(Score(mel("G4:4 A4 B4 C5")))
    view.listened = HEARD
    with pytest.raises(ScoreSettingError) as refused:
        view.listened = value
    assert words in str(refused.value)
    assert isinstance(refused.value, traitlets.TraitError)
    assert isinstance(refused.value, JupymuseError)
    assert view.listened == HEARD


def test_a_page_setting_listened_goes_through_the_same_check() -> None:
    view = ScoreView()
    view.show(Score(mel("G4:4 A4")))
    view.set_state({"listened": {"note": 1, "sources": [[0, 0.5, 0.25]]}})
    assert view.listened == {"note": 1, "sources": [[0, 0.5, 0.25]]}
    with pytest.raises(ScoreSettingError, match="the score shows 2 notes"):
        view.set_state({"listened": {"note": 5, "sources": []}})
    assert view.listened == {"note": 1, "sources": [[0, 0.5, 0.25]]}


def test_no_score_no_marks() -> None:
    view = ScoreView()
    with pytest.raises(ScoreSettingError, match="the score shows 0 notes"):
        view.listened = {"note": 0, "sources": []}
    view.show(Score(mel("G4:4 A4 B4 C5")))
    view.listened = HEARD
    view.say("No score: too long")
    assert view.listened == {}


def test_a_new_score_of_the_same_notes_keeps_the_marks_and_of_other_notes_drops_them() -> None:
    view = ScoreView()
    melody = mel("G4:4 A4 B4 C5")
    view.show(Score(melody))
    view.listened = HEARD
    assert view.shows(melody)
    retitled = melody.replace(tempo=90, meta={"title": "Again"})
    view.show(Score(retitled, accent_from=8))  # a new tempo, title and colour: the same notes
    assert view.listened == HEARD
    assert view.shows(retitled)
    moved = mel("G4:4 A4 B4 D5")
    assert not view.shows(moved)
    view.show(Score(moved))
    assert view.listened == {}
    view.listened = HEARD
    view.show(Score(mel("G4:4 A4 B4 D5:4 E5:4")))  # more notes: the indexes would point elsewhere
    assert view.listened == {}


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
