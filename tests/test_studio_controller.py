"""The studio's controller without any widget: generate, browse, accept, undo, edit, explain, cancel
(training: test_studio_controller_training.py)."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import threading
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

import jupymuse.corpus
from jupymuse import JupymuseError, MarkovModel, Melody
from jupymuse.corpus import Corpus
from jupymuse.errors import ArgumentTypeError
from jupymuse.models.protocol import HasTransitionTable
from jupymuse.models.sampling_settings import SamplingSettings
from jupymuse.music.key import Key
from jupymuse.studio import Settings, StudioController, guess_key
from jupymuse.studio.events import (
    BusyChanged,
    CandidatesChanged,
    Explained,
    HistoryChanged,
    MelodyChanged,
    ModelsChanged,
    PlayRequested,
    SeedChanged,
    StatusChanged,
    StudioEvent,
)
from jupymuse.studio.mainthread import MainThread

from helpers import Gated, in_own_thread, mel

PRIMER = "G4:4 G4:4 D5:4 D5:4"
FITTED = re.compile(r"Markov order 2 fitted on bach-chorales:pearce185 \(\d+ melodies\) in \d+\.\d s\.")


class Recorder:
    """A listener that keeps every event and the name of the thread it came from."""

    def __init__(self) -> None:
        self.events: list[StudioEvent] = []
        self.threads: list[str] = []

    def __call__(self, event: StudioEvent) -> None:
        self.events.append(event)
        self.threads.append(threading.current_thread().name)

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]

    def statuses(self) -> list[str]:
        return [e.text for e in self.of(StatusChanged)]


@pytest.fixture(scope="module")
def markov(chorales: Corpus) -> MarkovModel:
    return MarkovModel(1).fit(list(chorales)[:30])


def studio(model: Any, melody: str = PRIMER, **settings: Any) -> tuple[StudioController, Recorder]:
    """A controller with 3 candidates of 8 events, and ``settings`` (studio or sampling fields) changed."""
    sampling = {k: settings.pop(k) for k in list(settings) if hasattr(SamplingSettings, k)}
    chosen = Settings(SamplingSettings(length=8).replace(**sampling), **{"n": 3, **settings})
    controller = StudioController(model, melody, settings=chosen)
    recorder = Recorder()
    controller.subscribe(recorder)
    return controller, recorder


NO_WIDGETS = """
import json, sys
sys.modules["ipywidgets"] = None  # any import of ipywidgets or anywidget now fails
sys.modules["anywidget"] = None
from jupymuse import MarkovModel, Melody
from jupymuse.models.sampling_settings import SamplingSettings
from jupymuse.studio import Settings, StudioController
tune = Melody.from_notation("C4:4 D4:4 E4:4 F4:4 G4:4 E4:4 C4:8")
c = StudioController(MarkovModel(1).fit([tune] * 3), "C4:4 D4:4", settings=Settings(SamplingSettings(length=4), n=2))
c.generate(background=True)
c.wait()
c.browse(1)
c.accept()
heavy = [m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras") or m.startswith("jupymuse.widget")]
print(json.dumps({"candidates": len(c.candidates), "melody": len(c.melody) > 2, "heavy": heavy}))
"""


def test_the_controller_needs_no_widgets() -> None:
    out = subprocess.run([sys.executable, "-c", NO_WIDGETS], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == {"candidates": 0, "melody": True, "heavy": []}


def test_generate_shows_the_first_candidate_after_the_primer(markov: MarkovModel) -> None:
    c, rec = studio(markov)
    candidates = c.generate(seed=0)
    assert len(candidates) == 3
    assert c.candidates == candidates
    assert c.melody.notes[:4] == mel(PRIMER).notes
    assert c.melody.notes[4:] == candidates[0].shift(16).notes
    assert all(n.start >= 16 for n in c.melody.notes[4:])
    assert rec.events[0] == BusyChanged(True)
    assert rec.events[-1] == BusyChanged(False)
    assert rec.of(MelodyChanged) == [MelodyChanged(c.melody)]
    assert rec.of(CandidatesChanged) == [CandidatesChanged(3, 0, 16)]
    assert rec.of(HistoryChanged) == [HistoryChanged("Generate", "")]
    assert rec.statuses()[0] == f"Generating with {markov.name}…"
    assert rec.statuses()[-1].startswith(f"3 candidates from {markov.name} in ")
    assert rec.of(Explained)[-1].explanation.table is markov
    assert set(rec.threads) == {threading.current_thread().name}
    assert not rec.of(PlayRequested)


def test_generate_in_a_worker_reports_from_the_worker(markov: MarkovModel) -> None:
    c, rec = studio(markov)
    assert c.generate(seed=1, background=True) == []
    c.wait()
    assert len(c.candidates) == 3
    assert rec.events[0] == BusyChanged(True)
    assert rec.threads[0] == threading.current_thread().name  # the button's state changes at once
    assert rec.events[-2:] == [PlayRequested(), BusyChanged(False)]
    assert set(rec.threads[1:]) == {"jupymuse-generation"}
    assert c.generate(seed=1) == c.candidates  # the same seed, the same candidates


def test_browse_accept_regenerate_and_undo(markov: MarkovModel) -> None:
    c, rec = studio(markov)
    before = c.melody
    candidates = c.generate(seed=2)
    c.browse(1)
    assert c.index == 1
    assert c.melody == mel(PRIMER).then(candidates[1])
    c.browse(-2)  # wraps around
    assert c.index == 2
    assert rec.of(HistoryChanged)[-1] == HistoryChanged("Generate", "")  # browsing is part of its Generate
    again = c.regenerate(background=False)  # after the same primer: a step of its own
    assert c.melody.notes[:4] == before.notes
    assert rec.of(HistoryChanged)[-1] == HistoryChanged("Regenerate", "")
    c.undo()  # the earlier ideas come back, as they were left
    assert (c.candidates, c.index) == (candidates, 2)
    assert c.melody == mel(PRIMER).then(candidates[2])
    assert rec.statuses()[-1] == "Undone: Regenerate (Redo makes it again)."
    c.undo()
    assert c.melody == before
    assert c.candidates == []
    assert rec.of(CandidatesChanged)[-1] == CandidatesChanged(0, -1, -1)
    assert rec.of(HistoryChanged)[-1] == HistoryChanged("", "Generate")
    c.redo()
    c.redo()
    assert (c.candidates, c.index) == (again, 0)
    assert rec.statuses()[-1] == "Redone: Regenerate."
    c.show_candidate(1)
    kept = c.melody
    c.accept()
    assert c.melody == kept
    assert c.candidates == []
    assert rec.statuses()[-1] == "Accepted."
    assert rec.of(CandidatesChanged)[-1] == CandidatesChanged(0, -1, -1)


def test_generate_while_browsing_replaces_the_candidates_and_never_accepts_one(markov: MarkovModel) -> None:
    """The rule: a new batch follows the same notes as the one browsed; Undo shows that one again."""
    c, rec = studio(markov)
    before = c.melody
    first = c.generate(seed=2)
    c.browse(1)
    second = c.generate(seed=3)
    assert c.melody == before.then(second[0])  # not before + first[1] + second[0]
    assert (c.candidates, c.index) == (second, 0)
    assert rec.of(HistoryChanged)[-1] == HistoryChanged("Generate", "")
    c.undo()
    assert (c.candidates, c.index) == (first, 1)  # as it was left
    assert c.generate(seed=2) == first  # the same settings and seed: nothing new, and it says so
    assert (c.candidates, c.index) == (first, 1)
    assert rec.statuses()[-1].startswith("The same settings and seed give the same candidates")
    c.accept()
    c.undo()  # Accept belongs to its Generate: Undo takes the whole Generate back
    assert c.melody == before


def test_an_edit_is_a_step_of_the_history_and_accepts_shown_candidates(markov: MarkovModel) -> None:
    c, rec = studio(markov)
    candidates = c.generate(seed=4)
    shown = c.melody
    edited = c.melody.replace(notes=c.melody.notes[:6])
    rec.events.clear()
    c.edit(edited)
    assert c.melody == edited
    assert c.candidates == []
    assert rec.events[0] == MelodyChanged(edited)
    assert "Accepted." in rec.statuses()
    assert isinstance(rec.events[-1], Explained)
    assert rec.of(HistoryChanged)[-1] == HistoryChanged("edit", "")
    c.undo()  # the edit is taken back: the candidates are browsable again
    assert c.melody == shown
    assert c.candidates == candidates
    c.redo()
    assert c.melody == edited
    c.edit(edited.replace(tempo=90))  # no change of notes: not a step to undo
    assert rec.of(HistoryChanged)[-1] == HistoryChanged("edit", "")
    c.edit(mel("C4:4"), label="melody set from Python")
    assert rec.of(HistoryChanged)[-1] == HistoryChanged("melody set from Python", "")
    c.undo()
    c.undo()
    c.undo()
    assert c.melody.notes == mel(PRIMER).notes
    assert c.melody.tempo == 90  # Undo restores notes, not the tempo set since
    rec.events.clear()
    c.undo()
    assert rec.statuses() == ["Nothing to undo."]
    assert not rec.of(MelodyChanged)


def test_a_selection_never_changes_what_generate_continues(markov: MarkovModel) -> None:
    c, _ = studio(markov, melody=PRIMER + " B4:4 A4:4")
    whole = c.melody
    c.select(1)
    assert c.primer() == whole
    c.generate(seed=5)
    assert c.melody.notes[: len(whole)] == whole.notes  # every note kept, the continuation after them


def test_continue_from_here_replaces_what_follows_says_so_and_undo_restores_it(markov: MarkovModel) -> None:
    c, rec = studio(markov, melody=PRIMER + " B4:4 A4:4")
    whole = c.melody
    assert c.after() == 0  # nothing selected
    c.select(1)
    assert c.after() == len(whole) - 2
    c.continue_from(seed=5)
    assert c.melody.notes[:2] == whole.notes[:2]
    assert all(n.start >= 8 for n in c.melody.notes[2:])
    assert rec.statuses()[-1].startswith(f"Continued from note 2: the {len(whole) - 2} notes after it are replaced")
    c.undo()
    assert c.melody == whole
    assert rec.statuses()[-1] == "Undone: Continue from note 2 (Redo makes it again)."
    with pytest.raises(JupymuseError, match="Select a note before the last one"):
        c.continue_from(len(whole) - 1)
    c.select(-1)
    c.continue_from(background=True)  # from a button: said, not raised
    assert rec.of(StatusChanged)[-1].error


def test_explain_follows_the_selection_and_the_settings(markov: MarkovModel) -> None:
    c, rec = studio(markov)
    ex = c.explain()
    assert ex is not None
    assert ex.next_pitch is not None
    assert ex.next_pitch.title == f"{markov.name}: P(pitch) for the next note"
    assert ex.next_pitch.actual is None
    assert isinstance(ex.table, HasTransitionTable)
    assert ex.surprise is None
    c.select(2)
    ex = rec.of(Explained)[-1].explanation
    assert ex.next_pitch.title.endswith("before note 3")
    assert ex.next_pitch.actual == 74  # D5, the third note
    assert len(ex.history) == 2
    count = len(rec.of(Explained))
    c.configure(replace(c.settings, n=2, seed=9))  # nothing the views show
    assert len(rec.of(Explained)) == count
    c.configure(replace(c.settings, shade_surprise=True, sampling=c.settings.sampling.replace(temperature=0.5)))
    ex = rec.of(Explained)[-1].explanation
    np.testing.assert_allclose(ex.surprise, markov.log_prob(c.melody).note_surprise)
    assert ex.next_pitch.probs.sum() == pytest.approx(1.0)


def test_models_by_name_and_by_object(markov: MarkovModel) -> None:
    with pytest.raises(JupymuseError, match="markov-9"):
        StudioController("markov-9")
    c = StudioController("markov-2", PRIMER, corpus="bach-chorales:pearce185")
    rec = Recorder()
    c.subscribe(rec)
    assert c.chosen == "Markov order 2"
    assert c.model.order == 2  # type: ignore[attr-defined]
    assert rec.statuses()[:1] == ["Fitting Markov order 2 on bach-chorales:pearce185…"]
    assert len(rec.statuses()) == 2
    assert FITTED.fullmatch(rec.statuses()[1])  # the status says when the fit is done
    label = c.use(markov)
    assert label == f"yours: {markov.name}"
    assert c.model is markov
    assert rec.of(ModelsChanged)[-1] == ModelsChanged(c.labels, label)
    assert c.labels[-1] == label
    c.set_corpus("bach-chorales:pearce185")  # the chains are refitted when next used
    assert "Markov order 2" not in c.models()
    c.choose("Markov order 2")
    assert c.model.order == 2  # type: ignore[attr-defined]
    c.wait()
    assert rec.statuses()[-2] == "Fitting Markov order 2 on bach-chorales:pearce185…"
    assert FITTED.fullmatch(rec.statuses()[-1])


def test_cancel_leaves_the_melody_as_it_was(markov: MarkovModel) -> None:
    gated = Gated(markov)
    c, rec = studio(gated)
    before = c.melody
    c.generate(background=True)
    assert gated.started.wait(10)
    assert c.generate(background=True) == []  # one at a time
    assert rec.of(StatusChanged)[-1] == StatusChanged("Still generating: wait, or press Cancel.", True)
    c.cancel()
    gated.gate.set()
    c.wait()
    assert c.melody == before
    assert c.candidates == []
    assert not rec.of(MelodyChanged)
    assert not rec.of(PlayRequested)
    assert rec.statuses()[-1] == "Cancelled: the melody is as it was."
    assert rec.events[-1] == BusyChanged(False)


def test_errors_in_the_worker_are_reported_not_raised(markov: MarkovModel) -> None:
    broken = Gated(markov, fail=RuntimeError("boom"))
    broken.gate.set()
    c, rec = studio(broken)
    c.generate(background=True)
    c.wait()
    assert rec.of(StatusChanged)[-1] == StatusChanged("Generation failed: RuntimeError: boom", True)
    assert rec.events[-1] == BusyChanged(False)
    c, rec = studio(markov)
    c.generate(background=True, temperature=-1.0)
    c.wait()
    error = rec.of(StatusChanged)[-1]
    assert error.error
    assert "temperature" in error.text
    assert c.candidates == []
    with pytest.raises(JupymuseError):  # called directly, the error is the caller's
        c.generate(temperature=-1.0)


def test_guess_key() -> None:
    assert guess_key(mel(PRIMER)) == Key.parse("G major")
    assert guess_key(mel("A4:4 C5:4 E5:4 G#4:4 A4:4")) == Key.parse("A minor")
    assert guess_key(mel("C4:4", key="F major")) == Key.parse("F major")
    assert guess_key(Melody()) is None


def test_main_thread_queues_worker_events_for_the_loop() -> None:
    applied: list[tuple[int, str]] = []

    async def scenario() -> None:
        main = MainThread(lambda e: applied.append((threading.get_ident(), e)))
        worker = threading.Thread(target=lambda: [main(f"w{i}") for i in range(3)])
        worker.start()
        worker.join()
        assert applied == []  # queued: the loop is busy with this coroutine
        assert main.queued == 3
        main("m")  # from the main thread: the queue first, then this, at once
        assert [e for _, e in applied] == ["w0", "w1", "w2", "m"]
        threading.Thread(target=main, args=("later",)).start()
        for _ in range(100):
            await asyncio.sleep(0.01)
            if len(applied) == 5:
                break

    kernel = in_own_thread(lambda: (asyncio.run(scenario()), threading.get_ident())[1])  # the kernel's thread
    assert [e for _, e in applied] == ["w0", "w1", "w2", "m", "later"]
    assert {t for t, _ in applied} == {kernel}

    def with_no_loop() -> int:
        without_loop = MainThread(lambda e: applied.append((threading.get_ident(), e)))
        worker = threading.Thread(target=without_loop, args=("direct",))
        worker.start()
        worker.join()
        assert worker.ident is not None
        return worker.ident

    worker = in_own_thread(with_no_loop)
    assert applied[-1] == (worker, "direct")


def test_regenerate_draws_a_new_seed_that_reproduces_its_result(markov: MarkovModel) -> None:
    c, rec = studio(markov, seed=2)
    first = c.generate()
    again = c.regenerate(background=False)
    seed = c.settings.seed
    assert seed != 2
    assert rec.of(SeedChanged) == [SeedChanged(seed)]  # the Seed box shows it
    assert again != first
    assert c.candidates == again
    c.browse(1)  # still browsable
    assert c.melody == mel(PRIMER).then(again[1])
    c.undo()  # the Regenerate, then the Generate
    c.undo()
    assert c.melody == mel(PRIMER)
    assert c.generate(seed=seed) == again  # typed back, the seed gives the same result
    c.regenerate(background=False)
    assert c.settings.seed not in (2, seed)


def test_undo_after_accept_goes_back_to_the_melody_before_generate(markov: MarkovModel) -> None:
    c, rec = studio(markov)
    before = c.melody
    c.generate(seed=1)
    c.browse(1)
    c.accept()
    accepted = c.melody
    assert accepted != before
    assert rec.of(HistoryChanged)[-1] == HistoryChanged("Generate", "")  # Undo offered...
    c.undo()  # ...and it does what it says
    assert c.melody == before
    assert rec.of(MelodyChanged)[-1] == MelodyChanged(before)
    assert rec.of(CandidatesChanged)[-1] == CandidatesChanged(0, -1, -1)
    assert rec.statuses()[-1] == "Undone: Generate (Redo makes it again)."
    c.redo()  # as it was left: accepted
    assert c.melody == accepted
    assert c.candidates == []
    c.undo()
    rec.events.clear()
    c.undo()  # nothing left to undo: nothing changes and the status does not claim otherwise
    assert c.melody == before
    assert not rec.of(MelodyChanged)
    assert rec.statuses() == ["Nothing to undo."]
    c.accept()  # nothing to accept: not "Accepted."
    assert rec.statuses() == ["Nothing to undo."]
    c.generate(seed=2)  # a new change: what was undone can no longer be redone
    assert rec.of(HistoryChanged)[-1] == HistoryChanged("Generate", "")


def test_choosing_a_markov_chain_fits_in_a_worker_and_generate_waits_for_it(
    markov: MarkovModel, chorales: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, gate, loads = threading.Event(), threading.Event(), []

    def slow_corpus(name: str, progress: bool = True) -> Corpus:
        loads.append(name)
        started.set()
        assert gate.wait(10)
        return Corpus(list(chorales)[:20])

    monkeypatch.setattr(jupymuse.corpus, "load_corpus", slow_corpus)
    c = StudioController(markov, PRIMER, corpus="bach-chorales", settings=Settings(SamplingSettings(length=8), n=3))
    rec = Recorder()
    c.subscribe(rec)
    c.choose("Markov order 1")  # returns while the chain is fitted
    assert started.wait(10)
    assert rec.statuses() == ["Fitting Markov order 1 on bach-chorales…"]
    assert c.generate(background=True) == []  # not refused: it waits for the fit
    assert c.candidates == []
    gate.set()
    c.wait()
    assert loads == ["bach-chorales"]  # fitted once
    statuses = rec.statuses()
    fitted = r"Markov order 1 fitted on bach-chorales \(20 melodies\) in \d+\.\d s\."
    assert re.fullmatch(fitted, statuses[1])
    assert statuses[2] == "Generating with Markov order 1 (note context)…"
    assert statuses[-1].startswith("3 candidates from Markov order 1")
    assert len(c.candidates) == 3
    assert "jupymuse-fitting" in rec.threads
    said_by = {t for e, t in zip(rec.events, rec.threads, strict=True) if isinstance(e, StatusChanged)}
    assert said_by == {"jupymuse-fitting", "jupymuse-generation"}  # the kernel's thread never waited
    c.set_corpus("essen")  # a new corpus while a chain is chosen: fitted again at once, in a worker
    c.wait()
    assert loads == ["bach-chorales", "essen"]
    assert re.fullmatch(fitted.replace("bach-chorales", "essen"), rec.statuses()[-1])
    assert rec.of(Explained)[-1].explanation.table is c.model
    assert rec.threads[-1] == "jupymuse-fitting"


def test_an_edit_during_a_background_generate_is_kept(markov: MarkovModel) -> None:
    gated = Gated(markov)
    c, rec = studio(gated)
    c.generate(background=True)
    assert gated.started.wait(10)
    drawn = mel(PRIMER + " A4:4")
    c.edit(drawn)
    gated.gate.set()
    c.wait()
    assert c.melody == drawn
    assert c.candidates == []
    assert rec.of(MelodyChanged) == [MelodyChanged(drawn)]
    assert not rec.of(PlayRequested)
    assert rec.statuses()[-1] == "The melody changed while generating: press Generate again."
    assert rec.events[-1] == BusyChanged(False)


def test_a_bad_model_corpus_or_primer_is_refused_by_name_before_any_work(markov: MarkovModel) -> None:
    with pytest.raises(ArgumentTypeError, match=r"model must be one of default, .* or a model object .* not None"):
        StudioController(None)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match=r"corpus must be a corpus name \(text\) .* not \[\]"):
        StudioController("markov-1", corpus=[])  # type: ignore[arg-type]
    c = StudioController(markov, PRIMER)
    with pytest.raises(ArgumentTypeError, match=r"model must be .* not 3$"):
        c.use(3)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match=r"corpus must be .* not 3\.5"):
        c.set_corpus(3.5)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="primer must be a Melody, not 'G4:4'"):
        c.generate(primer="G4:4")  # type: ignore[arg-type]
    assert c.labels[-1] == f"yours: {markov.name}"  # nothing changed
    assert c.corpus == "bach-chorales"
    assert c.candidates == []


def test_a_wait_from_another_thread_never_meets_a_worker_listed_but_not_started() -> None:
    from jupymuse.studio.workers import Workers

    workers = Workers(lambda text: None)
    seen: list[BaseException] = []
    stop = threading.Event()

    def waiter() -> None:
        while not stop.is_set():
            try:
                workers.wait(0.01)
            except RuntimeError as exc:  # "cannot join thread before it is started"
                seen.append(exc)

    thread = threading.Thread(target=waiter)
    thread.start()
    try:
        for _ in range(300):
            workers.start("listening", lambda: None, busy=False)
    finally:
        stop.set()
        thread.join()
    assert seen == []
