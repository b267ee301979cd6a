"""The Studio's Score tab (``studio/score_view.py``): debounced engraving off the main thread, the
generated notes' colour, the selection both ways, a refusal shown instead of a score, and the marks of
what the model listened to (shown now, when the tab is shown, after an engraving in flight, or dropped)."""

from __future__ import annotations

import asyncio
import re
import threading
import time

import pytest

from jupymuse import MarkovModel, Melody, Note, Studio
from jupymuse.errors import SettingError
from jupymuse.music.score import ACCENT, MAX_SCORE_NOTES
from jupymuse.studio.score_view import ScoreTab
from jupymuse.widget import PianoRoll
from jupymuse.widget.listened import Listened, Source

from helpers import in_own_thread, mel

PRIMER = "G4:4 G4:4 D5:4 D5:4"
TUNES = ("G4:4 G4 D5 D5 E5 E5 D5:8", "C5:4 C5 B4 B4 A4 A4 G4:8", "D5:4 D5 C5 C5 B4 B4 A4:8")


def shown_tab(roll: PianoRoll, delay: float = 0.05) -> ScoreTab:
    tab = ScoreTab(roll, delay=delay)
    tab.visible = True
    tab.wait()
    return tab


def coloured(svg: str, colour: str) -> set[int]:
    """The note indexes drawn in ``colour``."""
    return {int(i) for i in re.findall(rf'id="jm[0-9a-f]+-n(\d+)" class="note" color="{colour}"', svg)}


def test_a_hidden_tab_engraves_nothing_until_shown() -> None:
    roll = PianoRoll(PRIMER)
    tab = ScoreTab(roll, delay=0.01)
    roll.melody = mel("C4:4 E4:4")
    time.sleep(0.05)
    assert (tab.engraved, tab.view.svg) == (0, "")
    tab.visible = True
    tab.wait()
    assert tab.engraved == 1
    assert tab.view.spans == [0, 4, 4, 8]
    assert 'class="jupymuse-score"' in tab.view.svg


def test_quick_changes_are_engraved_once_as_the_last_one() -> None:
    roll = PianoRoll(PRIMER)
    tab = shown_tab(roll, delay=0.2)
    before = tab.engraved
    for k in range(1, 6):  # typing/drawing: five changes inside the delay
        roll.melody = mel(" ".join(["C4:4"] * k))
    tab.wait()
    assert tab.engraved == before + 1
    assert tab.view.notes == 5


def test_engraving_happens_off_the_calling_thread_which_is_never_blocked() -> None:
    def body() -> None:  # in a thread of its own: no asyncio loop, whatever else the test session runs
        roll = PianoRoll(PRIMER)
        tab = shown_tab(roll, delay=0.3)
        threads: list[str] = []
        tab.view.observe(lambda _c: threads.append(threading.current_thread().name), "svg")
        roll.melody = mel(" ".join(["C4:2 D4:2 E4:4"] * 100))
        assert tab.view.notes == 4  # the change returns before the score is engraved...
        tab.wait()
        assert tab.view.notes == 300  # ...which comes later
        assert threads  # no loop here: shown where engraved, which is not the caller's thread
        assert threading.current_thread().name not in threads

    in_own_thread(body)


def test_generated_notes_are_drawn_in_the_rolls_accent_colour() -> None:
    roll = PianoRoll(PRIMER + " A4:4 B4:4")
    tab = shown_tab(roll)
    assert coloured(tab.view.svg, ACCENT) == set()
    roll.accent_from = 16  # as a Studio marks the candidate after the primer
    tab.wait()
    assert coloured(tab.view.svg, ACCENT) == {4, 5}


def test_the_selection_goes_both_ways() -> None:
    roll = PianoRoll(PRIMER)
    tab = shown_tab(roll)
    roll.selected = 2
    assert tab.view.selected == 2
    tab.view._on_page_message(tab.view, {"type": "select-note", "index": 3}, [])  # a click in the score
    assert roll.selected == 3 == tab.view.selected
    roll.melody = mel("C4:4")  # the score is a step behind the roll: a stale index selects nothing
    tab.select(3)
    assert roll.selected == -1


def test_a_melody_too_long_for_a_score_shows_the_limit_instead() -> None:
    roll = PianoRoll(Melody([Note(60 + i % 12, 2 * i, 2) for i in range(MAX_SCORE_NOTES + 1)]))
    tab = shown_tab(roll)
    assert tab.view.svg == ""
    assert tab.view.message.startswith("No score: a score engraves at most 4,000 notes")
    roll.melody = mel("C4:4")
    tab.wait()
    assert (tab.view.message, tab.view.notes) == ("", 1)


def test_an_empty_melody_is_an_empty_staff() -> None:
    tab = shown_tab(PianoRoll())
    assert 'class="staff"' in tab.view.svg
    assert tab.view.notes == 0


def test_the_studio_has_a_score_tab_that_follows_generate_on_the_main_thread() -> None:
    model = MarkovModel(1).fit([mel(t) for t in TUNES])
    writers: set[str] = set()

    async def scenario() -> Studio:
        studio = Studio(model, PRIMER)
        tabs = studio.children[-1]
        assert tabs.titles[-1] == "Score"
        assert tabs.children[-1] is studio.score.view
        studio.score.delay = 0.05
        studio.score.view.observe(lambda _: writers.add(threading.current_thread().name), ["svg", "spans"])
        tabs.selected_index = len(tabs.children) - 1
        studio.generate(16, n=2)
        for _ in range(500):
            await asyncio.sleep(0.01)
            if studio.score.view.notes == len(studio.melody):
                break
        return studio

    studio = in_own_thread(lambda: asyncio.run(scenario()), name="kernel-main")
    assert studio.score.view.notes == len(studio.melody) > 4
    assert coloured(studio.score.view.svg, ACCENT) == set(range(4, len(studio.melody)))
    assert writers == {"kernel-main"}


HEARD = Listened(3, (Source(1, 1.25, 0.5), Source(0, 0.25, 0.0)))
"""What a model listened to for note 3 of a four-note melody."""


def test_marks_for_the_melody_shown_are_shown_at_once_and_cleared_with_none() -> None:
    roll = PianoRoll(PRIMER)
    tab = shown_tab(roll)
    tab.show_listened(HEARD)
    assert tab.view.listened == HEARD.to_state()
    roll.tempo = 90  # a new score of the same notes keeps them
    tab.wait()
    assert tab.view.listened == HEARD.to_state()
    tab.show_listened(None)
    assert tab.view.listened == {}


def test_marks_given_while_hidden_show_with_the_score_of_their_notes() -> None:
    roll = PianoRoll(PRIMER)
    tab = shown_tab(roll, delay=0.01)
    tab.visible = False
    tab.show_listened(HEARD)  # hidden, but the view shows these very notes: cheap to mark now
    assert tab.view.listened == HEARD.to_state()
    roll.melody = mel("C4:4 D4 E4 F4")
    tab.show_listened(HEARD)  # for the roll's new notes, which the hidden tab has not engraved
    time.sleep(0.05)
    assert (tab.view.listened, tab.view.shows(roll.melody)) == ({}, False)
    engraved = tab.engraved
    tab.visible = True
    tab.wait()
    assert tab.engraved == engraved + 1
    assert tab.view.shows(roll.melody)
    assert tab.view.listened == HEARD.to_state()


def test_marks_wait_for_an_engraving_in_flight_and_are_dropped_if_the_notes_change_again() -> None:
    roll = PianoRoll(PRIMER)
    tab = shown_tab(roll, delay=0.2)
    roll.melody = mel("C4:4 D4 E4 F4")
    tab.show_listened(HEARD)  # computed for the new notes: the score of them is on its way
    assert tab.view.listened == {}
    tab.wait()
    assert tab.view.listened == HEARD.to_state()

    roll.melody = mel("C4:4 D4 E4 G4")
    tab.show_listened(HEARD)
    roll.melody = mel("C4:4 D4 E4 A4")  # edited again before the score came: the marks are not for it
    tab.wait()
    assert tab.view.shows(roll.melody)
    assert tab.view.listened == {}


def test_marks_computed_for_an_older_melody_are_dropped() -> None:
    roll = PianoRoll(PRIMER)
    tab = shown_tab(roll, delay=0.01)
    heard_for = roll.melody
    tab.show_listened(HEARD, melody=heard_for)
    assert tab.view.listened == HEARD.to_state()
    roll.melody = mel("C4:4 D4 E4 F4 G4")
    tab.show_listened(HEARD, melody=heard_for)  # the model's answer came after an edit
    assert tab.view.listened == {}
    tab.wait()
    assert tab.view.listened == {}


def test_marks_for_a_melody_the_score_refuses_are_dropped_with_its_score() -> None:
    roll = PianoRoll(PRIMER)
    tab = shown_tab(roll, delay=0.01)
    roll.melody = Melody([Note(60 + i % 12, 2 * i, 2) for i in range(MAX_SCORE_NOTES + 1)])
    tab.show_listened(HEARD)
    tab.wait()
    assert tab.view.message.startswith("No score")
    assert tab.view.listened == {}
    roll.melody = mel(PRIMER)
    tab.wait()
    assert tab.view.listened == {}


def test_marks_naming_notes_the_melody_lacks_are_refused_before_anything_changes() -> None:
    roll = PianoRoll(PRIMER)
    tab = shown_tab(roll)
    tab.show_listened(HEARD)
    with pytest.raises(SettingError, match="from 0 to 3, not 4"):
        tab.show_listened(Listened(4, ()))
    with pytest.raises(SettingError, match="from 0 to 1, not 3"):
        tab.show_listened(HEARD, melody=mel("C4 D4"))
    assert tab.view.listened == HEARD.to_state()
