"""One status line that is true (issue 20, point 6): a Markov fit that ends (or fails) after the student
chose another model says nothing; an opened MIDI file is said ("Opened song.mid: 5 notes, 2 bars") and
is one step of the history; and every line that names a button ("press Cancel", "Regenerate") is said
while that button is enabled. Real models: the shipped GRU and Markov chains fitted on Bach chorales.
"""

from __future__ import annotations

import re
import threading

import pytest

import jupymuse.corpus
from jupymuse import JupymuseError, MarkovModel, Melody, Studio
from jupymuse.corpus import Corpus
from jupymuse.studio import Settings, StudioController
from jupymuse.studio.choice import DEFAULT
from jupymuse.studio.events import StatusChanged, StudioEvent

from helpers import Gated, mel

PRIMER = "C4:4 D4:4 E4:4 F4:4"


class GatedCorpus:
    """``load_corpus`` that waits for the test's gate, then gives 20 chorales (or raises ``fail``)."""

    def __init__(self, chorales: Corpus, fail: Exception | None = None) -> None:
        self.chorales, self.fail = chorales, fail
        self.started, self.gate = threading.Event(), threading.Event()

    def __call__(self, name: str, progress: object = None) -> Corpus:
        self.started.set()
        assert self.gate.wait(10)
        if self.fail is not None:
            raise self.fail
        return Corpus(list(self.chorales)[:20])


def statuses(controller: StudioController) -> list[str]:
    said: list[str] = []

    def hear(event: StudioEvent) -> None:
        if isinstance(event, StatusChanged):
            said.append(event.text)

    controller.subscribe(hear)
    return said


def test_a_fit_finishing_after_another_model_is_chosen_says_nothing(
    chorales: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader = GatedCorpus(chorales)
    monkeypatch.setattr(jupymuse.corpus, "load_corpus", loader)
    c = StudioController("default", PRIMER, settings=Settings(n=2))
    assert c.model.name  # the GRU is loaded (a fit in progress never holds up a model made already)
    said = statuses(c)
    c.choose("Markov order 1")
    assert loader.started.wait(10)
    assert said == ["Fitting Markov order 1 on bach-chorales…"]  # news of the chosen model: said
    c.choose(DEFAULT)  # the student moves on: the GRU explains at once
    c.generate(8, seed=1)
    last = said[-1]
    assert last.startswith("2 candidates from ")
    loader.gate.set()
    c.wait()
    assert said[-1] == last  # the fit that ended meanwhile did not replace the Generate's line
    assert not [s for s in said if "fitted" in s]
    assert "Markov order 1" in c.models()  # kept: choosing it again is instant, and said
    c.choose("Markov order 1")
    c.wait()
    assert said[-1] == last  # nothing to fit, nothing to say; the views explain the chain


def test_a_fit_failing_is_said_only_while_its_model_is_chosen(
    chorales: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader = GatedCorpus(chorales, fail=JupymuseError("no corpus named 'bach-chorales' here (test)"))
    monkeypatch.setattr(jupymuse.corpus, "load_corpus", loader)
    c = StudioController("default", PRIMER, settings=Settings(n=2))
    assert c.model.name
    said = statuses(c)
    c.choose("Markov order 2")
    assert loader.started.wait(10)
    c.choose(DEFAULT)
    loader.gate.set()
    c.wait()
    assert not [s for s in said if "test" in s]  # about a model not in use: not said
    again = GatedCorpus(chorales, fail=JupymuseError("no corpus named 'bach-chorales' here (test)"))
    monkeypatch.setattr(jupymuse.corpus, "load_corpus", again)
    again.gate.set()
    c.choose("Markov order 2")
    c.wait()
    assert said[-1] == "no corpus named 'bach-chorales' here (test)"  # the chosen one's failure is said


def test_opening_a_midi_file_says_what_came_in_and_is_one_undoable_step(chorales: Corpus) -> None:
    studio = Studio(MarkovModel(1).fit(list(chorales)[:20]), PRIMER, warm_up=False)
    song = Melody.from_notation("G4:4 A4:4 B4:8 r:4 D5:4 E5:16", tempo=96)  # 5 notes over 9 quarters of 4/4
    studio.roll._on_page_message(studio.roll, {"type": "import-midi", "name": "song.mid"}, [song.to_midi()])
    assert studio.melody.notes == song.notes
    assert "Opened song.mid: 5 notes, 3 bars." in studio.status.value
    assert studio.undo_button.tooltip.startswith("Undo open song.mid")
    studio.undo()
    assert studio.melody.notes == mel(PRIMER).notes
    # the same file again: said again (its meta is the melody's already; the action is new)
    studio.redo()
    studio.roll._on_page_message(studio.roll, {"type": "import-midi", "name": "song.mid"}, [song.to_midi()])
    assert "Opened song.mid: 5 notes, 3 bars." in studio.status.value
    studio.roll._on_page_message(studio.roll, {"type": "import-midi", "name": "bad.mid"}, [b"not a MIDI file"])
    assert "bad.mid" in studio.status.value
    assert "Opened" not in studio.status.value
    assert studio.melody.notes == song.notes


BUTTONS = {
    r"press Cancel": "cancel_button",
    r"press Stop training": "stop_button",
    r"press Generate|\(Generate continues": "generate_button",
    r"Regenerate": "regenerate_button",
    r"Accept": "accept_button",
    r"browse": "next_button",
    r"Undo brings|Undo": "undo_button",
    r"Redo": "redo_button",
    r"press Use the new model": "use_button",
}
"""Words of a status line that name a button, and the button."""


def named_buttons_enabled(studio: Studio) -> list[str]:
    """The buttons the status line names that are disabled (should be none)."""
    text = re.sub(r"<[^>]+>", "", studio.status.value)
    owners = {"stop_button": studio.training_tab, "use_button": studio.training_tab}
    return [
        f"{name} disabled for {text!r}"
        for words, name in BUTTONS.items()
        if re.search(words, text) and getattr(owners.get(name, studio), name).disabled
    ]


def test_every_line_naming_a_button_is_said_while_it_is_enabled(chorales: Corpus) -> None:
    markov = MarkovModel(1).fit(list(chorales)[:30])
    gated = Gated(markov)
    studio = Studio(gated, PRIMER, warm_up=False)
    studio.n.value, studio.length.value = 3, 8
    checked: list[str] = []

    def check() -> None:
        checked.append(studio.status.value)
        assert not named_buttons_enabled(studio)

    studio.generate_button.click()
    assert gated.started.wait(10)
    studio.controller.generate(background=True)  # refused: "Still generating: wait, or press Cancel."
    assert "press Cancel" in studio.status.value
    check()
    studio.cancel_button.click()  # Cancel is now disabled: the line must not name it
    studio.controller.generate(background=True)
    assert "Still cancelling" in studio.status.value
    check()
    studio.controller.continue_from(0, background=True)  # busy first: not the hint naming Generate
    assert "Still cancelling" in studio.status.value
    check()
    gated.gate.set()
    studio.wait()
    check()  # "Cancelled: the melody is as it was."
    studio.generate_button.click()
    studio.wait()
    assert "browse, Accept or Regenerate" in studio.status.value
    check()
    studio.generate(n=1)  # one candidate: nothing to browse, so "browse" is not said
    assert re.search(r"1 candidate from .*: Accept or Regenerate\.", studio.status.value)
    check()
    studio.seed.value = studio.controller.settings.seed
    studio.generate(n=1)  # the same again: "change one, or press Regenerate"
    assert "press Regenerate" in studio.status.value
    check()
    studio.undo()
    assert "Redo makes it again" in studio.status.value
    check()
    studio.roll.selected = len(studio.melody) - 1
    studio.controller.continue_from(background=True)  # the last note: the hint names Generate, enabled
    studio.wait()
    assert "Generate continues after the last" in studio.status.value
    check()
    studio.roll.selected = 1
    studio.continue_button.click()
    studio.wait()
    assert "Undo brings them back" in studio.status.value
    check()
    assert len(checked) == 10
