"""Fill, Vary, New from selection, the keep-seed rule and ABC in the Studio (issue 24): the controller
with the real shipped GRU and a Markov chain, and the Studio's buttons and roll around it."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from jupymuse import JupymuseError, MarkovModel, Melody
from jupymuse.corpus import Corpus
from jupymuse.models.sampling_settings import SamplingSettings
from jupymuse.studio import Settings, Studio, StudioController
from jupymuse.studio.events import (
    BusyChanged,
    CandidatesChanged,
    MelodyChanged,
    SeedChanged,
    StatusChanged,
    StudioEvent,
)

TUNE = "G4:4 G4:4 D5:4 D5:4 E5:4 E5:4 D5:8 C5:4 C5:4 B4:4 B4:4 A4:4 A4:4 G4:8"
"""Four bars of 4/4 at 4 steps per quarter: bar 2 is steps 16-32."""
BAR2 = (16, 32)


class Recorder:
    """A listener keeping every event."""

    def __init__(self) -> None:
        self.events: list[StudioEvent] = []

    def __call__(self, event: StudioEvent) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def statuses(self) -> list[str]:
        return [e.text for e in self.of(StatusChanged)]


class GatedFill(MarkovModel):
    """A Markov chain whose ``infill`` waits until the test opens the gate (so Cancel comes mid-Fill)."""

    started = threading.Event()
    gate = threading.Event()

    def infill(self, *args: Any, **kwargs: Any) -> list[Melody]:  # type: ignore[override]
        self.started.set()
        self.gate.wait(10)
        return super().infill(*args, **kwargs)


@pytest.fixture(scope="module")
def markov(chorales: Corpus) -> MarkovModel:
    return MarkovModel(1).fit(list(chorales)[:40])


def studio(model: Any, melody: str = TUNE, **settings: Any) -> tuple[StudioController, Recorder]:
    """A controller giving 3 candidates, with ``settings`` (studio or sampling fields) changed."""
    sampling = {k: settings.pop(k) for k in list(settings) if hasattr(SamplingSettings, k)}
    chosen = Settings(SamplingSettings().replace(**sampling), **{"n": 3, **settings})
    controller = StudioController(model, melody, settings=chosen)
    recorder = Recorder()
    controller.subscribe(recorder)
    return controller, recorder


def outside(melody: Melody, start: int, end: int) -> list[Any]:
    return [n for n in melody.notes if not start <= n.start < end]


@pytest.mark.parametrize("which", ["default", "markov"])
def test_fill_keeps_the_notes_outside_the_span_marks_it_and_undo_restores(which: str, markov: MarkovModel) -> None:
    c, rec = studio("default" if which == "default" else markov)
    before = c.melody
    c.select_span(*BAR2)
    candidates = c.fill()
    assert len(candidates) == len(c.candidates) == 3
    for candidate in candidates:
        assert outside(candidate, *BAR2) == outside(before, *BAR2)
        assert all(n.start >= 16 and n.end <= 32 for n in candidate.notes if 16 <= n.start < 32)
    assert c.melody.notes == candidates[0].notes  # the whole melody: the span filled, the rest as it was
    assert rec.of(CandidatesChanged)[-1] == CandidatesChanged(3, 0, 16, 32)  # only the span is accented
    assert rec.statuses()[0] == "Filling bar 2 (64 proposals)…"
    assert rec.statuses()[-1].startswith("Fill bar 2: 3 candidates from ")
    c.browse(1)
    assert c.melody.notes == candidates[1].notes
    c.accept()
    assert c.melody.notes == candidates[1].notes
    c.undo()
    assert c.melody.notes == before.notes  # one step of the history: browse and Accept included
    assert rec.statuses()[-1] == "Undone: Fill bar 2 (Redo makes it again)."
    c.redo()
    assert c.melody.notes == candidates[1].notes


def test_vary_keeps_the_rhythm_or_the_pitches(markov: MarkovModel) -> None:
    c, _ = studio(markov)
    before = c.melody
    phrase = [n for n in before.notes if 16 <= n.start < 32]
    for melody in c.vary(*BAR2, keep="rhythm", contour=True):
        new = [n for n in melody.notes if 16 <= n.start < 32]
        assert [(n.start, n.duration) for n in new] == [(n.start, n.duration) for n in phrase]
        assert outside(melody, *BAR2) == outside(before, *BAR2)
    c.undo()
    for melody in c.vary(*BAR2, keep="pitches"):
        assert [n.pitch for n in melody.notes if 16 <= n.start < 32] == [n.pitch for n in phrase]
        assert outside(melody, *BAR2) == outside(before, *BAR2)
    with pytest.raises(JupymuseError, match="keep must be one of"):
        c.vary(*BAR2, keep="melody")  # type: ignore[arg-type]


def test_a_refused_span_is_said_and_changes_nothing(markov: MarkovModel) -> None:
    c, rec = studio(markov)
    before = c.melody
    c.select_span(10, 20)  # step 10 is inside D5 at steps 8-12
    assert c.fill(background=True) == []
    c.wait()
    error = rec.of(StatusChanged)[-1]
    assert error.error
    assert error.text.startswith("Cannot fill steps 10-20 (bars 1-2): the span's start at step 10 falls inside note")
    assert "move it to step 8 or 12" in error.text
    assert c.melody == before
    assert not rec.of(MelodyChanged)
    assert not rec.of(BusyChanged)  # refused before any work
    with pytest.raises(JupymuseError, match="runs past the melody's end"):
        c.fill(48, 80)  # called directly, the refusal is the caller's
    with pytest.raises(JupymuseError, match="Cannot vary steps 4-8 \\(bar 1\\): no note starts there"):
        studio(markov, "C4:4 r:4 D4:4")[0].vary(4, 8)  # a rest: nothing to vary (Fill writes into it)
    c.select_span(0, 0)
    assert c.span is None
    with pytest.raises(JupymuseError, match="select notes"):
        c.fill()


def test_cancel_a_fill_leaves_the_melody_as_it_was(chorales: Corpus) -> None:
    gated = GatedFill(1).fit(list(chorales)[:20])
    c, rec = studio(gated)
    before = c.melody
    c.fill(*BAR2, background=True)
    assert gated.started.wait(10)
    assert c.vary(*BAR2, background=True) == []  # one job at a time
    assert rec.of(StatusChanged)[-1] == StatusChanged("Still generating: wait, or press Cancel.", True)
    c.cancel()
    gated.gate.set()
    c.wait()
    assert c.melody == before
    assert c.candidates == []
    assert rec.statuses()[-1] == "Cancelled: the melody is as it was."
    assert rec.events[-1] == BusyChanged(False)


def test_keep_seed_one_setting_changed_and_back_gives_the_same_candidates(markov: MarkovModel) -> None:
    """The rule: Generate, Fill and Vary draw with the Seed box's seed; only Regenerate draws a new one."""
    c, rec = studio(markov, temperature=0.9, seed=5)
    first = [m.notes for m in c.fill(*BAR2)]
    c.configure(Settings(c.settings.sampling.replace(temperature=1.4), n=3, seed=5))
    hotter = [m.notes for m in c.fill(*BAR2)]  # a Fill of the same span replaces the batch: same primer
    assert c.settings.seed == 5
    c.configure(Settings(c.settings.sampling.replace(temperature=0.9), n=3, seed=5))
    again = [m.notes for m in c.fill(*BAR2)]
    assert again == first != hotter
    assert rec.statuses()[-1].startswith("Fill bar 2: 3 candidates")
    c.regenerate(background=False)
    [seed] = [e.seed for e in rec.of(SeedChanged)]
    assert seed != 5
    assert c.settings.seed == seed
    fresh = [m.notes for m in c.candidates]
    assert fresh != first
    assert all(outside(Melody(notes), *BAR2) == outside(c.candidates[0], *BAR2) for notes in fresh)
    assert [m.notes for m in c.fill(*BAR2)] == fresh  # Fill with that seed gives Regenerate's result again
    assert rec.statuses()[-1] == "The same settings and seed give the same candidates: change one, or press Regenerate."
    gen1 = [m.notes for m in c.generate(8)]
    assert [m.notes for m in c.generate(8)] == gen1  # Generate keeps the seed too


def test_new_from_selection_starts_a_melody_from_a_phrase(markov: MarkovModel) -> None:
    c, rec = studio(markov)
    before = c.melody
    c.select_span(20, 32)  # E5 at 20, D5:8 at 24: the phrase starts on beat 2 of bar 2
    c.new_from_selection()
    assert c.melody.to_notation() == "r:4 E5:4 D5:8"  # moved a bar earlier: still on beat 2
    assert rec.statuses()[-1] == "A new melody from steps 20-32 (bar 2): 2 notes (Undo brings the rest back)."
    assert c.span is None
    c.undo()
    assert c.melody == before
    with pytest.raises(JupymuseError, match="no note starts in"):
        c.new_from_selection(64, 80)


def test_abc_opens_as_one_step_and_bad_abc_loses_nothing(markov: MarkovModel) -> None:
    c, rec = studio(markov)
    before = c.melody
    tunes = "X:1\nT:First\nM:4/4\nL:1/8\nK:G\nGABc d2B2|c2A2 G4|]\n\nX:2\nT:Second\nK:D\nDEFG|\n"
    assert c.open_abc(tunes, "two.abc")
    assert c.melody.to_notation() == "G4:2 A4:2 B4:2 C5:2 D5:4 B4:4 C5:4 A4:4 G4:8"
    assert rec.statuses()[-1] == "Opened two.abc: 9 notes, 2 bars. It holds 2 tunes: this is the first, First."
    c.undo()
    assert c.melody.notes == before.notes
    assert not c.open_abc("X:1\nM:4/4\nK:H dur\nGA|", "bad.abc")
    assert rec.of(StatusChanged)[-1].error
    assert rec.statuses()[-1].startswith("bad.abc: ")
    assert rec.statuses()[-1].endswith("the melody is as it was.")
    assert c.melody.notes == before.notes


def test_the_studio_buttons_follow_the_roll_s_selection_and_its_files() -> None:
    s = Studio(melody=TUNE, warm_up=False)
    before = s.roll.melody
    assert s.fill_button.disabled
    assert s.vary_button.disabled
    assert s.new_from_button.disabled
    assert "Shift+click" in s.fill_button.tooltip
    assert "ruler" in s.fill_button.tooltip
    s.roll.selection = [16, 32]  # as the page sends a span selected on the roll
    assert s.controller.span == BAR2
    assert not s.fill_button.disabled
    assert not s.vary_button.disabled
    assert s.fill_button.tooltip.endswith("(bar 2)")
    s.fill_button.click()
    s.wait()
    assert (s.roll.accent_from, s.roll.accent_to) == BAR2
    assert s.candidate_label.value == f"1 / {len(s.candidates)}"
    assert s.regenerate_button.disabled is False
    s.accept()
    s.undo()
    assert s.roll.melody.notes == before.notes
    s.contour.value = True
    s.vary_keep.value = "pitches"
    assert s.contour.disabled  # keep contour is for new pitches on the same rhythm
    s.vary_button.click()  # with the switch left on: a new rhythm on the same pitches all the same
    s.wait()
    assert "Vary bar 2 (new rhythm, same pitches): " in s.status.value
    assert [n.pitch for n in s.roll.melody.notes] == [n.pitch for n in before.notes]
    s.undo()
    s.roll.selection = (0, 0)
    assert s.fill_button.disabled
    s.roll._on_page_message(s.roll, {"type": "import-abc", "name": "tune.abc"}, [b"X:1\nT:T\nL:1/4\nK:C\nCDEF|G4|]"])
    assert "Opened tune.abc: 5 notes, 2 bars." in s.status.value
    assert len(s.roll.melody.notes) == 5
    opened = s.roll.melody
    s.abc_text.value = "X:1\nM:4/4\nK:H dur\nGA|"
    s.open_abc_button.click()
    assert "the melody is as it was" in s.status.value
    assert s.roll.melody == opened
    assert s.abc_text.value  # kept, to be corrected
    s.abc_text.value = "X:3\nT:Pasted\nL:1/4\nK:D\nDFA2|]"
    s.open_abc_button.click()
    assert "Opened the pasted tune: 3 notes, 1 bar." in s.status.value
    assert s.abc_text.value == ""
